"""What a query typed in a search box matches, without ranking or visibility: the identifiers (phone, e-mail,
numbers) and the names in any spelling. The global search (``selectors/search.py``) ranks these in tiers;
the lists' search box (``filters.py``, ``q``) filters by them. Both read this module, so they match alike."""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When

from velinimet.core.fulltext import MIN_TRIGRAM, contains_all, word_prefix_q
from velinimet.core.text import fold, sound_key
from velinimet.customers.models import CardNumber, Company, Email, Person, Phone
from velinimet.customers.normalize import PHONE_TAIL, bare_identifier, email_key, phone_digits, phone_lookup_keys

CUSTOMER_DIGITS = 7  # customer numbers are M0002565: a letter and seven digits (services.records)


def identifier_ids(model: type[Person] | type[Company], query: str) -> list[int] | None:
    """Ids of matches on phone, e-mail, numbers (whole or partial); None when the query cannot be one."""
    matches = identifier_matches(model, query)
    return None if matches is None else list(matches)


def identifier_matches(model: type[Person] | type[Company], query: str) -> dict[int, bool] | None:
    """Id -> whether the query is one of its identifiers whole (a phone number, an e-mail address, a
    customer, identity, tax, IBAN or card number) rather than a part of one (a phone's last digits, an
    e-mail's start or domain, a customer number's start); None when the query cannot be an identifier.

    Each lookup is its own branch on its own index, all in one statement (UNION ALL): an OR across tables
    would make the engine scan the whole people table (0.3 s at a million rows, against 1 ms this way),
    and the round trips and the ORM's work per statement were most of an identifier search.
    """
    holder = "person" if model is Person else "company"
    text = query.strip()
    compact = "".join(text.split()).upper()
    lookups: list[QuerySet[Any]] = []

    def add(queryset: QuerySet[Any], field: str, exact: bool | Any) -> None:
        flag = exact if not isinstance(exact, bool) else Value(exact, output_field=BooleanField())
        lookups.append(queryset.annotate(exact=flag).values_list(field, "exact"))

    digits = phone_digits(text)
    if len(digits) >= PHONE_TAIL:
        numbers = phone_lookup_keys(text)
        if numbers:
            add(Phone.objects.filter(e164__in=numbers), holder, True)
        # the last seven digits or more, without the area code: "555 44 33", "532 555 4433"
        tail = Phone.objects.filter(tail=digits[-PHONE_TAIL:], e164__endswith=digits)
        add(_first(Phone, tail), holder, False)
    if text.startswith("@") and len(text) > 1:  # a domain: "@firma.com.tr"
        add(_first(Email, Email.objects.filter(domain=email_key(text[1:]))), holder, False)
    elif "@" in text:
        key = email_key(text)
        start = _first(Email, Email.objects.filter(key__gte=key, key__lt=key + "\uffff"))
        add(start, holder, Case(When(key=key, then=True), default=False, output_field=BooleanField()))
    if compact.replace("-", "").replace(".", "").replace("/", "").isalnum() and any(ch.isdigit() for ch in compact):
        # identifiers are stored without the separators people write them with ("100-000-001-46");
        # customer and card numbers keep their dashes
        bare = bare_identifier(compact)
        fields = ["iban", "tckn"] if model is Person else ["iban", "vkn", "voen"]
        add(model.objects.filter(customer_number=compact), "pk", True)
        if compact.isdigit() and len(compact) <= CUSTOMER_DIGITS:  # "2565" is M0002565
            add(model.objects.filter(customer_number=f"M{int(compact):0{CUSTOMER_DIGITS}d}"), "pk", False)
        elif compact[:1].isalpha() and compact[1:].isdigit() and len(compact) < 1 + CUSTOMER_DIGITS:
            # the start of a customer number: "M000256" finds M0002560 to M0002569, on the unique index
            missing = 1 + CUSTOMER_DIGITS - len(compact)  # a range of whole numbers: the same in every collation
            start = model.objects.filter(
                customer_number__gte=compact + "0" * missing, customer_number__lte=compact + "9" * missing
            )
            add(_first(model, start), "pk", False)
        for field in fields:
            add(model.objects.filter(**{field: bare}), "pk", True)
        add(CardNumber.objects.filter(number=compact), holder, True)
    if not lookups:
        return None
    rows = lookups[0].union(*lookups[1:], all=True) if len(lookups) > 1 else lookups[0]
    found: dict[int, bool] = {}
    for pk, exact in rows:
        if pk is not None:
            found[pk] = found.get(pk, False) or bool(exact)
    return found


def _first(model: type[Any], queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The rows of ``queryset`` among its first ``PARTIAL_MATCHES`` (a partial identifier such as a phone's
    last digits or a domain may match many): a bounded subselect, which may sit inside a UNION where a
    LIMIT may not (SQLite)."""
    return model.objects.filter(pk__in=queryset.values("pk")[:PARTIAL_MATCHES])


PARTIAL_MATCHES = 50


def search_filter(queryset: QuerySet[Any], query: str) -> QuerySet[Any]:
    """The records of ``queryset`` (people or companies) the global search's tiers match, unranked: the
    lists' search box (``q``). An identifier (phone, its last seven digits, e-mail or its domain, a number)
    that matches is the answer, as in the search; otherwise every word occurs in the name, or the name in
    another spelling starts with the words (the spelling tier). The fuzzy tier is the search's alone."""
    model = queryset.model
    ids = identifier_ids(model, query)
    if ids:
        return queryset.filter(pk__in=ids)
    words = fold(query).split()
    if not words:
        return queryset.none() if ids is not None else queryset
    base = model.objects.live().order_by()
    names = contains_all(base, words).values("pk")
    sounds = sound_key(" ".join(words)).split()
    sound_long = [w for w in sounds if len(w) >= MIN_TRIGRAM]
    if sound_long:  # as the spelling tiers: the whole key, or every word a word-prefix of it with 3+ letters
        spelled = contains_all(base, sound_long, "sound_key").filter(word_prefix_q(sounds, "sound_key")).values("pk")
    else:
        spelled = base.filter(sound_key=" ".join(sounds)).values("pk")
    return queryset.filter(Q(pk__in=names) | Q(pk__in=spelled))
