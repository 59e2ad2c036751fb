"""Reads of the duplicate finder's results and of merged records, with the user's visibility applied."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef

from velinimet.core.models import Job
from velinimet.customers.models import Company, DuplicatePair, NotDuplicate, Person
from velinimet.customers.selectors.records import visible_records

if TYPE_CHECKING:
    from velinimet.accounts.models import User

FINDER = "customers.find_duplicates"
PAGE = 50


@dataclass(frozen=True)
class PairRow:
    """One pair as the results show it: the stored pair (score, reason codes) and both records."""

    pair: DuplicatePair
    a: Any
    b: Any

    @property
    def records(self) -> tuple[Any, Any]:
        return (self.a, self.b)


@dataclass(frozen=True)
class PairPage:
    rows: list[PairRow]
    next_after: int | None  # the ``after`` of the next page, None on the last


def finder_job(user: User, kind: str, job_id: str = "") -> Job | None:
    """The finished duplicate-finder run ``job_id`` if ``user`` may see its result (its starter or an
    administrator, ``core.jobfiles.may_see_result``), else ``user``'s newest run for ``kind``."""
    import uuid

    from velinimet.core.jobfiles import may_see_result

    try:
        wanted = uuid.UUID(job_id) if job_id else None
    except ValueError:
        wanted = None
    if wanted is not None:
        job = Job.objects.filter(pk=wanted, kind=FINDER, state=Job.State.SUCCEEDED, params__kind=kind).first()
        if job is not None and may_see_result(user, job):
            return job
    return latest_finder_job(user, kind)


def latest_finder_job(user: User, kind: str) -> Job | None:
    """The newest finished duplicate-finder run of ``user`` for ``kind``."""
    return (
        Job.objects.filter(kind=FINDER, started_by=user, state=Job.State.SUCCEEDED, params__kind=kind)
        .order_by("-finished_at")
        .first()
    )


def duplicate_pairs_page(
    user: User,
    job: Job,
    *,
    reason: str = "",
    min_score: int | None = None,
    after: int | None = None,
    limit: int = PAGE,
) -> PairPage:
    """A page of ``job``'s pairs, strongest first, those marked "not a duplicate" since left out.

    Keyset on ``DuplicatePair.rank`` (the (job, rank) unique index): each page is one range scan of
    ``limit`` rows, page 2,000 of 400,000 costs what page 1 costs; a minimum score narrows the range. A pair whose record was deleted, merged
    or is no longer visible is skipped (the page can be shorter than ``limit``; ``next_after`` still moves).
    """
    kind = job.params.get("kind", "person")
    qs = DuplicatePair.objects.filter(job=job).exclude(
        Exists(NotDuplicate.objects.filter(kind=kind, low=OuterRef("a"), high=OuterRef("b")))
    )
    if min_score is not None:
        qs = qs.filter(rank__lt=DuplicatePair.rank_limit(min_score))
    if after is not None:
        qs = qs.filter(rank__gt=after)
    if reason:
        # One index range per combination of reasons that holds ``reason`` (the run lists them): a rare
        # reason (3 pairs of 400,000) costs what a common one does, never a scan of every pair.
        sets = [s for s in job.result.get("reason_sets", []) if f",{reason}," in s]
        pairs = sorted(
            (p for reasons in sets for p in qs.filter(reasons=reasons).order_by("rank")[: limit + 1]),
            key=lambda p: p.rank,
        )[: limit + 1]
    else:
        pairs = list(qs.order_by("rank")[: limit + 1])
    more = len(pairs) > limit
    pairs = pairs[:limit]
    model = Person if kind == "person" else Company
    ids = {i for p in pairs for i in (p.a, p.b)}
    records = {r.pk: r for r in visible_records(model, user).filter(pk__in=ids)}
    rows = [PairRow(p, records[p.a], records[p.b]) for p in pairs if p.a in records and p.b in records]
    return PairPage(rows, pairs[-1].rank if more and pairs else None)


def merged_survivor(user: User, model: Any, pk: int) -> Any:
    """The live record that ``pk`` was merged into (following merges of merges), if ``user`` may see it;
    None when ``pk`` was not merged or the survivor is hidden from ``user``."""
    from velinimet.core.visibility import restrict

    seen: set[int] = set()
    # the merged record itself must have been the user's to see: no asking what a hidden id became
    merged = restrict(model.objects.filter(pk=pk, merged_into__isnull=False), user, "read")
    current = merged.values_list("merged_into_id", flat=True).first()
    while current is not None and current not in seen:
        seen.add(current)
        survivor = visible_records(model, user).filter(pk=current).first()
        if survivor is not None:
            return survivor
        current = model.objects.filter(pk=current).values_list("merged_into_id", flat=True).first()
    return None
