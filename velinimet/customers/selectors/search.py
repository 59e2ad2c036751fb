"""Global search and caller recognition over people and companies.

Tiers, best first: exact identifiers (phone, e-mail, customer/identity/tax/card number), exact folded
name, every word a word-prefix, the name in another spelling (``sound_key``: every word a word-prefix,
or the whole key for words under three letters), every word contained, and last a fuzzy tier (trigram similarity of the sound keys of a small
candidate set, for dropped or changed letters, when nothing else matched: "Kuliev" finds "Quliyev"). Each tier is one indexed query
with visibility in the same SQL, stopping at ``limit`` rows (no ORDER BY, so the engine stops early); a
tier runs only when the ones before it found fewer than ``limit`` records.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.urls import reverse

from velinimet.core.fulltext import (
    MIN_TRIGRAM,
    candidate_keys,
    common_word_prefixes,
    contains_all,
    fts_candidates,
    key_prefix_filter,
    uses_candidate_chunks,
    word_prefix_candidates,
    word_prefix_match,
    word_prefix_q,
)
from velinimet.core.search import SearchHit
from velinimet.core.text import fold, sound_key
from velinimet.core.visibility import restrict
from velinimet.customers.matching_text import identifier_ids
from velinimet.customers.models import Company, Person

if TYPE_CHECKING:
    from velinimet.accounts.models import User


SCORE_IDENTIFIER, SCORE_EXACT, SCORE_PREFIX, SCORE_CONTAINS = 4, 3, 2, 1
SCORE_SOUND, SCORE_FUZZY = 1, 0  # another spelling ranks with a substring; a near spelling last


MAX_CHUNKS = 5  # at most 5,000 newest candidates per tier on SQLite before giving up on more hits


def _base(model: type[Person] | type[Company]) -> QuerySet[Any]:
    return model.objects.live().order_by()


#: The fuzzy tier: candidates per probe (newest first), and the trigram similarity a word must reach.
FUZZY_CANDIDATES, FUZZY_SIMILARITY, FUZZY_MIN_LENGTH = 300, 0.4, 4


def trigrams(word: str) -> set[str]:
    """The trigrams of one word as pg_trgm counts them (two spaces before, one after)."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(one: str, other: str) -> float:
    """pg_trgm's ``similarity()`` of two words: shared trigrams over all trigrams."""
    a, b = trigrams(one), trigrams(other)
    return len(a & b) / len(a | b) if a or b else 0.0


def _sound_prefix(base: QuerySet[Any], words: list[str]) -> QuerySet[Any]:
    """Rows whose sound key has every word as a word-prefix, from the sound key's trigram index."""
    long_words = [w for w in words if len(w) >= MIN_TRIGRAM]
    if uses_candidate_chunks(base):
        ids = fts_candidates(base, long_words, column="sound_key", newest=False)
        return base.filter(pk__in=ids).filter(word_prefix_q(words, "sound_key"))
    return contains_all(base, long_words, "sound_key").filter(word_prefix_q(words, "sound_key"))


def _fuzzy(base: QuerySet[Any], words: list[str]) -> QuerySet[Any]:
    """Rows whose sound key has, for every query word, a word of trigram similarity ≥ ``FUZZY_SIMILARITY``.

    Never over the whole table: the candidates are at most ``FUZZY_CANDIDATES`` rows, found on
    the sound key's trigram index by the longest word's first three letters (a letter dropped or changed
    later: "mamdov") or by its second to fourth (the first letter changed: "kuliav" for "guliav"), in one
    statement; visibility applies to the few that are near."""
    word = max(words, key=len)
    candidates = candidate_keys(base, sorted({word[:3], word[1:4]}), "sound_key", FUZZY_CANDIDATES)
    near = [
        pk
        for pk, key in candidates
        if all(max((similarity(w, k) for k in key.split()), default=0.0) >= FUZZY_SIMILARITY for w in words)
    ]
    return base.filter(pk__in=near)


Tier = QuerySet[Any] | Callable[[], QuerySet[Any]] | None


def _tiers(model: type[Person] | type[Company], query: str) -> list[tuple[int, Tier]]:
    """(score, queryset) per tier; ``None`` marks a substring tier answered in candidate chunks, a function
    a tier whose candidates are read only when the search gets to it."""
    base = _base(model)
    tiers: list[tuple[int, Tier]] = []
    ids = identifier_ids(model, query)
    if ids is not None:
        tiers.append((SCORE_IDENTIFIER, base.filter(pk__in=ids)))
    words = fold(query).split()
    if words:
        key = " ".join(words)
        tiers.append((SCORE_EXACT, base.filter(search_key=key)))
        tiers.append((SCORE_PREFIX, key_prefix_filter(base, key)))  # the name starts with it: b-tree
        if common_word_prefixes(base, words):  # PostgreSQL, frequent words: the planner picks the access path
            tiers.append((SCORE_PREFIX, word_prefix_match(base, words)))
        elif uses_candidate_chunks(base) or any(len(w) < MIN_TRIGRAM for w in words):
            tiers.append((SCORE_PREFIX, word_prefix_candidates(base, words)))  # every word starts a word
        else:  # PostgreSQL with 3+ letters: the trigram index narrows, the word test filters (cheaper)
            tiers.append((SCORE_PREFIX, contains_all(base, words).filter(word_prefix_q(words))))
        sounds = sound_key(key).split()
        if any(len(w) >= MIN_TRIGRAM for w in sounds):  # every word a word-prefix (the whole key included)
            tiers.append((SCORE_SOUND, lambda: _sound_prefix(base, sounds)))
        elif sounds:  # only short words: the whole key, on its b-tree
            tiers.append((SCORE_SOUND, base.filter(sound_key=" ".join(sounds))))
        if any(len(w) >= MIN_TRIGRAM for w in words):  # inside words: trigrams need three letters
            tiers.append((SCORE_CONTAINS, None if uses_candidate_chunks(base) else contains_all(base, words)))
        if model is Person and sounds and max(len(w) for w in sounds) >= FUZZY_MIN_LENGTH:  # people's names
            tiers.append((SCORE_FUZZY, lambda: _fuzzy(base, sounds)))
    return tiers


def search_records(user: User, model: type[Person] | type[Company], query: str, limit: int) -> list[tuple[int, Any]]:
    """(score, record) pairs the user may see, best first, at most ``limit``."""
    found: dict[int, tuple[int, Any]] = {}
    words = fold(query).split()
    has_digits = any(ch.isdigit() for ch in query)
    for score, qs in _tiers(model, query):
        if len(found) >= limit or (found and has_digits and score < SCORE_IDENTIFIER):
            break  # "0532 123 45 67" found as a phone is not also looked for in names
        if score == SCORE_FUZZY and found:
            break  # near spellings only when nothing else matched
        if callable(qs):
            qs = qs()
        if qs is not None:
            for record in restrict(qs, user).exclude(pk__in=list(found))[: limit - len(found)]:
                found.setdefault(record.pk, (score, record))
            continue
        before = None
        long_words = [w for w in words if len(w) >= MIN_TRIGRAM]
        for _chunk in range(MAX_CHUNKS):
            ids = fts_candidates(_base(model), long_words, before=before)
            if not ids:
                break
            qs = _base(model).filter(pk__in=ids).exclude(pk__in=list(found))
            for short in (w for w in words if len(w) < MIN_TRIGRAM):
                qs = qs.filter(search_key__contains=short)
            for record in restrict(qs, user)[: limit - len(found)]:
                found.setdefault(record.pk, (score, record))
            if len(found) >= limit or len(ids) < 1000:
                break
            before = ids[-1]
    return sorted(found.values(), key=lambda pair: (-pair[0], pair[1].search_key))


def _hits(user: User, model: type[Person] | type[Company], query: str, limit: int) -> list[SearchHit]:
    kind = "person" if model is Person else "company"
    return [
        SearchHit(
            type=kind,
            id=record.pk,
            title=str(record),
            score=score,
            subtitle=record.customer_number,
            url=reverse(f"customers:{kind}_detail", args=[record.pk]),
        )
        for score, record in search_records(user, model, query, limit)
    ]


def search_people(user: User, query: str, limit: int) -> list[SearchHit]:
    return _hits(user, Person, query, limit)


def search_companies(user: User, query: str, limit: int) -> list[SearchHit]:
    return _hits(user, Company, query, limit)


#: The columns a caller card reads (``caller_card``, ``str()`` of the record and its owner). Other
#: fields load on first access, one query each: correct, but slower, so a card fact should not need them.
_CARD_FIELDS: dict[type[Person] | type[Company], tuple[str, ...]] = {
    Person: ("id", "customer_number", "owner_id", "first_name", "last_name"),
    Company: ("id", "customer_number", "owner_id", "name", "short_name"),
}
