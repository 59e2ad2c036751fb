"""Global search and caller recognition over people and companies.

Tiers, best first: exact identifiers (phone, e-mail, customer/identity/tax/card number), exact folded
name, every word a word-prefix, every word contained. Each tier is one indexed query with visibility
in the same SQL, stopping at ``limit`` rows (no ORDER BY, so the engine stops early).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse

from velinimet.core.fulltext import contains_all, word_prefix_q
from velinimet.core.search import SearchHit
from velinimet.core.text import fold
from velinimet.core.visibility import restrict

from .models import CardNumber, Company, Email, Person, Phone
from .normalize import phone_lookup_keys

SCORE_IDENTIFIER, SCORE_EXACT, SCORE_PREFIX, SCORE_CONTAINS = 4, 3, 2, 1


def _identifier_q(model: type[Person] | type[Company], query: str) -> Q | None:
    """Exact matches on phone, e-mail, numbers; None when the query cannot be one of them."""
    holder = "person" if model is Person else "company"
    text = query.strip()
    compact = "".join(text.split()).upper()
    q = Q(pk__in=[])
    found = False
    digits = sum(ch.isdigit() for ch in text)
    if digits >= 7:
        numbers = phone_lookup_keys(text)
        if numbers:
            q |= Q(pk__in=Phone.objects.filter(e164__in=numbers).values(holder))
            found = True
    if "@" in text:
        key = text.lower()
        q |= Q(pk__in=Email.objects.filter(key__gte=key, key__lt=key + "\uffff").values(holder))
        found = True
    if compact.replace("-", "").isalnum() and any(ch.isdigit() for ch in compact):
        q |= Q(customer_number=compact) | Q(iban=compact)
        q |= Q(pk__in=CardNumber.objects.filter(number=compact).values(holder))
        q |= Q(tckn=compact) if model is Person else (Q(vkn=compact) | Q(voen=compact))
        found = True
    return q if found else None


def _tiers(model: type[Person] | type[Company], query: str) -> list[tuple[int, QuerySet[Any]]]:
    base = model.objects.filter(deleted_at__isnull=True).order_by()
    tiers: list[tuple[int, QuerySet[Any]]] = []
    identifier = _identifier_q(model, query)
    if identifier is not None:
        tiers.append((SCORE_IDENTIFIER, base.filter(identifier)))
    key = fold(query)
    words = key.split()
    if words:
        tiers.append((SCORE_EXACT, base.filter(search_key=key)))
        candidates = contains_all(base, words)
        tiers.append((SCORE_PREFIX, candidates.filter(word_prefix_q(words))))
        tiers.append((SCORE_CONTAINS, candidates))
    return tiers


def search_records(user: Any, model: type[Person] | type[Company], query: str, limit: int) -> list[tuple[int, Any]]:
    """(score, record) pairs the user may see, best first, at most ``limit``."""
    found: dict[int, tuple[int, Any]] = {}
    for score, qs in _tiers(model, query):
        remaining = limit - len(found)
        if remaining <= 0:
            break
        rows = restrict(qs, user).exclude(pk__in=list(found))[:remaining]
        for record in rows:
            found.setdefault(record.pk, (score, record))
    return sorted(found.values(), key=lambda pair: (-pair[0], pair[1].search_key))


def search_people(user: Any, query: str, limit: int) -> list[SearchHit]:
    hits = []
    for score, person in search_records(user, Person, query, limit):
        hits.append(
            SearchHit(
                type="person",
                id=person.pk,
                title=str(person),
                score=score,
                subtitle=person.customer_number,
                url=reverse("customers:person_detail", args=[person.pk]),
            )
        )
    return hits


def search_companies(user: Any, query: str, limit: int) -> list[SearchHit]:
    hits = []
    for score, company in search_records(user, Company, query, limit):
        hits.append(
            SearchHit(
                type="company",
                id=company.pk,
                title=str(company),
                score=score,
                subtitle=company.customer_number,
                url=reverse("customers:company_detail", args=[company.pk]),
            )
        )
    return hits


def caller_lookup(user: Any, number: str) -> Any:
    """The visible person (else company) with this phone number: one indexed lookup each."""
    keys = phone_lookup_keys(number)
    if not keys:
        return None
    for model, holder in ((Person, "person"), (Company, "company")):
        ids = Phone.objects.filter(e164__in=keys, **{f"{holder}__isnull": False}).values(holder)
        record = restrict(model.objects.filter(pk__in=ids, deleted_at__isnull=True), user).first()
        if record is not None:
            return record
    return None
