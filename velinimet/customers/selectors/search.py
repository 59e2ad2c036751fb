"""Global search and caller recognition over people and companies.

Tiers, best first: identifiers (phone, e-mail, customer/identity/tax/card number, whole or in part),
exact folded name, the name starting with the query, every word a word-prefix, then (one score) the
name in another spelling (``sound_key``: every word a word-prefix, or the whole key for words under
three letters) or every word contained, and last a fuzzy tier (trigram similarity of the sound keys
of a small candidate set, for dropped or changed letters, when nothing else matched: "Kuliev" finds
"Quliyev"). Each tier is read only when the ones before it found fewer than ``limit`` records, with
visibility in the same SQL and stopping at the limit. On SQLite a tier's FTS5 candidates are a bounded
subselect of the statement that reads its rows (no ids through Python), and the range of names
starting with the query is read in key order, so the exact names come first without a statement of
their own. A query that can only be an identifier is not looked for in names.
"""

from __future__ import annotations

import operator
from functools import reduce
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import get_language

from velinimet.core.fulltext import (
    MIN_TRIGRAM,
    candidate_keys,
    common_word_prefixes,
    contains_all,
    fts_candidates,
    fts_chunk_q,
    fts_nth_candidate,
    key_prefix_filter,
    uses_candidate_chunks,
    word_prefix_candidates,
    word_prefix_match,
    word_prefix_q,
)
from velinimet.core.search import SearchHit
from velinimet.core.text import fold, sort_alphabet, sound_key
from velinimet.core.visibility import restrict
from velinimet.customers.matching_text import identifier_matches
from velinimet.customers.models import Company, Person
from velinimet.customers.pickers import namesake_facts

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


def _fuzzy_ids(base: QuerySet[Any], words: list[str]) -> list[int]:
    """Ids of rows whose sound key has, for every query word, a word of trigram similarity ≥ ``FUZZY_SIMILARITY``.

    Never over the whole table: the candidates are at most ``FUZZY_CANDIDATES`` rows per probe, found on
    the sound key's trigram index by the longest word's first three letters (a letter dropped or changed
    later: "mamdov") or by its second to fourth (the first letter changed: "kuliav" for "guliav"), in one
    statement; visibility applies to the few that are near."""
    word = max(words, key=len)
    candidates = candidate_keys(base, sorted({word[:3], word[1:4]}), "sound_key", FUZZY_CANDIDATES)
    return [
        pk
        for pk, key in candidates
        if all(max((similarity(w, k) for k in key.split()), default=0.0) >= FUZZY_SIMILARITY for w in words)
    ]


def identifier_shaped(query: str) -> bool:
    """Whether ``query`` can only be an identifier, never a name: an e-mail address or domain, or mostly
    digits (a phone number, a customer, identity, tax or IBAN number). Names are not searched for it."""
    digits = sum(ch.isdigit() for ch in query)
    return "@" in query or (digits >= IDENTIFIER_DIGITS and sum(ch.isalpha() for ch in query) <= 2)


IDENTIFIER_DIGITS = 5  # "A101" or "3M" may be names; "34710" or "M0002565" are not


#: What a hit shows (``str()``, the number, the sort key): the other columns are never read.
_HIT_FIELDS: dict[type[Person] | type[Company], tuple[str, ...]] = {
    Person: ("id", "customer_number", "search_key", "sort_key_tr", "sort_key_az", "first_name", "last_name"),
    Company: ("id", "customer_number", "search_key", "sort_key_tr", "sort_key_az", "name", "short_name"),
}


class _Search:
    """One model's tiered search for one user (see the module docstring). Each tier is read only when the
    tiers before it found fewer than ``limit`` records, so a common name costs one or two statements."""

    def __init__(self, user: User, model: type[Person] | type[Company], query: str, limit: int) -> None:
        self.user, self.model, self.query, self.limit = user, model, query, limit
        self.base = _base(model)
        self.found: dict[int, tuple[int, Any]] = {}
        self.restricted = False  # whether visibility narrowed the last tier read
        self.exact: set[int] = set()  # found by a whole identifier (a phone, an e-mail, a number), not a part

    @property
    def missing(self) -> int:
        return self.limit - len(self.found)

    def take(self, score: int, queryset: QuerySet[Any]) -> list[Any]:
        """The visible rows of ``queryset`` not found yet, at most ``missing``, recorded with ``score``."""
        qs = restrict(queryset, self.user)
        self.restricted = qs is not queryset
        if self.found:
            qs = qs.exclude(pk__in=list(self.found))
        rows = list(qs.only(*_HIT_FIELDS[self.model])[: self.missing])
        for record in rows:
            self.found.setdefault(record.pk, (score, record))
        return rows

    def run(self) -> list[tuple[int, Any]]:
        matches = identifier_matches(self.model, self.query)
        if matches:
            self.take(SCORE_IDENTIFIER, self.base.filter(pk__in=list(matches)))
            self.exact = {pk for pk in self.found if matches[pk]}
        words = fold(self.query).split()
        if not words or identifier_shaped(self.query) or (self.found and any(ch.isdigit() for ch in self.query)):
            return self._ranked()  # "0532 123 45 67" found as a phone is not also looked for in names
        self._names(words)
        return self._ranked()

    def _ranked(self) -> list[tuple[int, Any]]:
        """Best score first; namesakes of one score in the reader's alphabet (``core.text.sort_key``)."""
        column = f"sort_key_{sort_alphabet(get_language())}"
        return sorted(
            self.found.values(), key=lambda pair: (-pair[0], getattr(pair[1], column) or pair[1].search_key, pair[1].pk)
        )

    def _names(self, words: list[str]) -> None:
        key, base = " ".join(words), self.base
        # The whole name starts with the query; the exact names are among these rows unless the limit cut
        # them off, and then (a name many people share) they are asked for on their own. SQLite reads the
        # range in key order from the b-tree (no sort), so there the exact names come first anyway.
        in_order = uses_candidate_chunks(base)
        prefix = key_prefix_filter(base, key)
        rows = self.take(SCORE_PREFIX, prefix.order_by("search_key") if in_order else prefix)
        for record in rows:
            if record.search_key == key:
                self.found[record.pk] = (SCORE_EXACT, record)
        if not in_order and not self.missing and any(record.search_key != key for record in rows):
            exact = restrict(base.filter(search_key=key), self.user).only(*_HIT_FIELDS[self.model])[: self.limit]
            for record in exact:
                self.found[record.pk] = (SCORE_EXACT, record)
            ranked = self._ranked()[: self.limit]
            self.found = {record.pk: (score, record) for score, record in ranked}
        if not self.missing:
            return
        self._word_prefix(words)
        if not self.missing:
            return
        sounds = sound_key(key).split()
        self._inside(words, sounds)
        near = self.model is Person and not self.found and sounds and max(len(w) for w in sounds) >= FUZZY_MIN_LENGTH
        if near:  # near spellings only when nothing else matched, and only of people's names
            self.take(SCORE_FUZZY, base.filter(pk__in=_fuzzy_ids(base, sounds)))

    def _word_prefix(self, words: list[str]) -> None:
        """Every word starts one of the name's words ("ozt" finds "Şükrü Öztürk")."""
        base = self.base
        if common_word_prefixes(base, words):  # PostgreSQL, frequent words: the planner picks the access path
            qs = word_prefix_match(base, words)
        elif uses_candidate_chunks(base) or any(len(w) < MIN_TRIGRAM for w in words):
            qs = word_prefix_candidates(base, words)
        else:  # PostgreSQL with 3+ letters: the trigram index narrows, the word test filters (cheaper)
            qs = contains_all(base, words).filter(word_prefix_q(words))
        self.take(SCORE_PREFIX, qs)

    def _inside(self, words: list[str], sounds: list[str]) -> None:
        """The name in another spelling (every word a word-prefix of the sound key, or the whole sound key
        when its words are short) and every word inside the name: one score, so on SQLite one candidate
        statement and one read of the rows for both, then older candidates in chunks."""
        base = self.base
        long_words = [w for w in words if len(w) >= MIN_TRIGRAM]
        long_sounds = [w for w in sounds if len(w) >= MIN_TRIGRAM]
        if not uses_candidate_chunks(base):
            if long_sounds:
                self.take(
                    SCORE_SOUND, contains_all(base, long_sounds, "sound_key").filter(word_prefix_q(sounds, "sound_key"))
                )
            elif sounds:
                self.take(SCORE_SOUND, base.filter(sound_key=" ".join(sounds)))
            if long_words and self.missing:
                self.take(SCORE_CONTAINS, contains_all(base, words))
            return
        shorts = Q()
        for short in (w for w in words if len(w) < MIN_TRIGRAM):
            shorts &= Q(search_key__contains=short)
        conditions = []
        if long_sounds:
            spelled = fts_chunk_q(base, long_sounds, column="sound_key", cap=CHUNK, newest=False)
            conditions.append(spelled & word_prefix_q(sounds, "sound_key"))
        elif sounds:  # only short words: the whole sound key, on its b-tree
            conditions.append(Q(sound_key=" ".join(sounds)))
        if long_words:
            conditions.append(fts_chunk_q(base, long_words, cap=CHUNK) & shorts)
        if conditions:
            self.take(SCORE_SOUND, base.filter(reduce(operator.or_, conditions)))
        if not long_words or not self.missing or not (self.restricted or len(long_words) < len(words)):
            return  # nothing filtered the newest CHUNK candidates away: there are no more
        # visibility or the short words left too few of the newest CHUNK: older candidates, chunk by chunk
        before = fts_nth_candidate(base, long_words, CHUNK)
        for _chunk in range(MAX_CHUNKS - 1):
            if before is None or not self.missing:
                break
            ids = fts_candidates(base, long_words, before=before, cap=CHUNK)
            if ids:
                self.take(SCORE_CONTAINS, base.filter(shorts, pk__in=ids))
            before = ids[-1] if len(ids) == CHUNK else None


CHUNK = 1000


def search_records(user: User, model: type[Person] | type[Company], query: str, limit: int) -> list[tuple[int, Any]]:
    """(score, record) pairs the user may see, best first, at most ``limit``."""
    return _Search(user, model, query, limit).run()


def _hits(user: User, model: type[Person] | type[Company], query: str, limit: int) -> list[SearchHit]:
    kind = "person" if model is Person else "company"
    search = _Search(user, model, query, limit)
    found = search.run()
    facts = namesake_facts(model, [record.pk for _score, record in found]) if found else {}
    return [
        SearchHit(
            type=kind,
            id=record.pk,
            title=str(record),
            score=score,
            subtitle=" · ".join([record.customer_number, *facts.get(record.pk, [])]),
            url=reverse(f"customers:{kind}_detail", args=[record.pk]),
            extra={"exact": True} if record.pk in search.exact else {},
        )
        for score, record in found
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
