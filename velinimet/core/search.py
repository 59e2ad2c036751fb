"""The one global search interface: modules register providers; the shell box and the API call ``search()``.

Each provider returns hits for the records the user may see (its own visibility applies), ranked
exact > prefix > contains by ``rank()`` on the folded text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

from .registry import registry
from .text import fold

if TYPE_CHECKING:
    from .visibility import AccessSubject


@dataclass
class SearchHit:
    type: str
    id: Any
    title: str
    url: str
    subtitle: str = ""
    score: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SearchProvider:
    type: str
    label: str | Promise
    search: Callable[[Any, str, int], Iterable[SearchHit]]
    order: int = 100


PROVIDERS = registry.declare(
    "core.search_providers", SearchProvider, "sources of hits for the global search box", key=lambda p: p.type
)


def rank(query_key: str, *candidates: str) -> int:
    """3 exact, 2 a word starts with the query, 1 contains it, 0 no match (all on folded text)."""
    best = 0
    for candidate in candidates:
        key = fold(candidate)
        if not key:
            continue
        if key == query_key:
            return 3
        if key.startswith(query_key) or f" {query_key}" in f" {key}":
            best = max(best, 2)
        elif query_key in key:
            best = max(best, 1)
    return best


def search(user: AccessSubject, query: str, *, limit: int = 10) -> list[tuple[SearchProvider, list[SearchHit]]]:
    """Grouped results: one (provider, hits) pair per provider that found something, at most ``limit``
    hits each (the search page asks for one more, to know whether to offer "more")."""
    if not fold(query):
        return []
    groups = []
    for provider in PROVIDERS.ordered():
        hits = sorted(provider.search(user, query, limit), key=lambda h: -h.score)[
            :limit
        ]  # stable: keeps provider order
        if hits:
            groups.append((provider, hits))
    return groups


#: Hits per page of one kind on the search page (its "more" link), and the pages it goes to at most.
PAGE_SIZE, MAX_PAGES = 25, 20


@dataclass
class SearchPage:
    """One kind's hits on the search page: page ``number`` of them, and whether there are more."""

    provider: SearchProvider
    hits: list[SearchHit]
    number: int
    has_next: bool


def search_more(user: AccessSubject, query: str, kind: str, page: int) -> SearchPage | None:
    """Page ``page`` (from 1, at most ``MAX_PAGES``) of the hits of one provider; None for an unknown kind.
    Providers answer "the best n", so page p asks for p pages and one hit more (to know there is a next)."""
    provider = next((p for p in PROVIDERS.values() if p.type == kind), None)
    if provider is None or not fold(query):
        return None
    page = max(1, min(page, MAX_PAGES))
    hits = sorted(provider.search(user, query, page * PAGE_SIZE + 1), key=lambda h: -h.score)
    shown = hits[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return SearchPage(provider, shown, page, len(hits) > page * PAGE_SIZE and page < MAX_PAGES)


def exact_hit(groups: list[tuple[SearchProvider, list[SearchHit]]]) -> SearchHit | None:
    """The one hit of a search that found a single record by a whole identifier (its phone number, e-mail,
    customer or card number...): pressing Enter on such a query opens the record."""
    hits = [hit for _provider, found in groups for hit in found]
    return hits[0] if len(hits) == 1 and hits[0].extra.get("exact") else None
