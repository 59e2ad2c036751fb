"""What a query typed in a search box matches, without ranking or visibility: the identifiers (phone, e-mail,
numbers) and the names in any spelling. The global search (``selectors/search.py``) ranks these in tiers;
the lists' search box (``filters.py``, ``q``) filters by them. Both read this module, so they match alike."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from velinimet.core.fulltext import MIN_TRIGRAM, contains_all, word_prefix_q
from velinimet.core.text import fold, sound_key
from velinimet.customers.models import CardNumber, Company, Email, Person, Phone
from velinimet.customers.normalize import PHONE_TAIL, bare_identifier, email_key, phone_digits, phone_lookup_keys

CUSTOMER_DIGITS = 7  # customer numbers are M0002565: a letter and seven digits (services.records)


def identifier_ids(model: type[Person] | type[Company], query: str) -> list[int] | None:
    """Ids of exact matches on phone, e-mail, numbers; None when the query cannot be one of them.

    Each lookup is its own query on its own index: an OR across tables would make the engine scan the
    whole people table (measured: 0.3 s at a million rows, against 1 ms this way).
    """
    holder = "person" if model is Person else "company"
    text = query.strip()
    compact = "".join(text.split()).upper()
    lookups: list[Any] = []
    digits = phone_digits(text)
    if len(digits) >= PHONE_TAIL:
        numbers = phone_lookup_keys(text)
        if numbers:
            lookups.append(Phone.objects.filter(e164__in=numbers).values_list(holder, flat=True))
        # the last seven digits or more, without the area code: "555 44 33", "532 555 4433"
        tail = Phone.objects.filter(tail=digits[-PHONE_TAIL:], e164__endswith=digits)
        lookups.append(_first(Phone, tail).values_list(holder, flat=True))
    if text.startswith("@") and len(text) > 1:  # a domain: "@firma.com.tr"
        domain = email_key(text[1:])
        lookups.append(_first(Email, Email.objects.filter(domain=domain)).values_list(holder, flat=True))
    elif "@" in text:
        key = email_key(text)
        lookups.append(
            _first(Email, Email.objects.filter(key__gte=key, key__lt=key + "\uffff")).values_list(holder, flat=True)
        )
    if compact.replace("-", "").replace(".", "").replace("/", "").isalnum() and any(ch.isdigit() for ch in compact):
        # identifiers are stored without the separators people write them with ("100-000-001-46");
        # customer and card numbers keep their dashes
        bare = bare_identifier(compact)
        fields = ["iban", "tckn"] if model is Person else ["iban", "vkn", "voen"]
        lookups.append(model.objects.filter(customer_number=compact).values_list("pk", flat=True))
        if compact.isdigit() and len(compact) <= CUSTOMER_DIGITS:  # "2565" is M0002565
            lookups.append(
                model.objects.filter(customer_number=f"M{int(compact):0{CUSTOMER_DIGITS}d}").values_list(
                    "pk", flat=True
                )
            )
        elif compact[:1].isalpha() and compact[1:].isdigit() and len(compact) < 1 + CUSTOMER_DIGITS:
            # the start of a customer number: "M000256" finds M0002560 to M0002569, on the unique index
            missing = 1 + CUSTOMER_DIGITS - len(compact)  # a range of whole numbers: the same in every collation
            start = model.objects.filter(
                customer_number__gte=compact + "0" * missing, customer_number__lte=compact + "9" * missing
            )
            lookups.append(_first(model, start).values_list("pk", flat=True))
        lookups += [model.objects.filter(**{f: bare}).values_list("pk", flat=True) for f in fields]
        lookups.append(CardNumber.objects.filter(number=compact).values_list(holder, flat=True))
    if not lookups:
        return None
    # One statement for every lookup (each branch on its own index): the round trips and the ORM's work
    # per statement were most of an identifier search.
    rows = lookups[0].union(*lookups[1:], all=True) if len(lookups) > 1 else lookups[0]
    return list({pk for pk in rows if pk is not None})


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
