"""The duplicate finder: a background job that scores every candidate pair of the whole database.

The rules and their weights are ``matching.RULES`` (the ones the check on create and the import use);
each rule is one GROUP BY over an indexed column (e-mail key, phone, TCKN/VKN/VÖEN/IBAN, folded name with
the city or the company), restricted to the records the user who started the job may see. The job then
walks the visible records in id order, pairs each with the records after it that share a key, scores
the pair (``matching.score``) and stores it (``DuplicatePair``), so its progress is counted in records
("31,000 of 100,304"). Pairs a user marked "not a duplicate" (``NotDuplicate``) are never stored.

Each run replaces the pairs of the same user's earlier runs of the same kind.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils.translation import gettext as _

from velinimet.core import audit
from velinimet.core.jobs import JobProgress, job_start
from velinimet.core.models import Job
from velinimet.core.visibility import Action
from velinimet.customers.exceptions import DomainError
from velinimet.customers.models import Company, DuplicatePair, NotDuplicate, Person
from velinimet.customers.seed import insert_rows
from velinimet.customers.selectors.records import visible_records
from velinimet.customers.services.matching import rules_for, score

if TYPE_CHECKING:
    from velinimet.accounts.models import User

KIND = "customers.find_duplicates"
BATCH = 5000  # pairs per INSERT batch


def duplicates_find_start(*, actor: User, kind: str) -> Job:
    if kind not in ("person", "company"):
        raise ValueError(kind)
    title = _("Find duplicate people") if kind == "person" else _("Find duplicate companies")
    return job_start(actor=actor, kind=KIND, title=title, params={"kind": kind})


def duplicates_find_run(job: Job, progress: JobProgress) -> dict[str, Any]:
    user = get_user_model().objects.get(pk=job.started_by_id or 0)
    kind = job.params.get("kind", "person")
    visible = visible_records(Person if kind == "person" else Company, user)
    total = visible.count()
    progress.update(done=0, total=total, message=_("Collecting shared keys"), force=True)
    groups_of = _groups_by_record(kind, visible, progress)
    DuplicatePair.objects.filter(job=job).delete()  # a job run again after a crash starts over
    progress.update(message=_("People checked") if kind == "person" else _("Companies checked"), force=True)
    result = _store_pairs(job, kind, visible, groups_of, progress)
    earlier = Job.objects.filter(kind=KIND, started_by_id=job.started_by_id, params__kind=kind).exclude(pk=job.pk)
    DuplicatePair.objects.filter(job__in=earlier.values("pk")).delete()
    if connection.vendor == "postgresql":
        # The planner's statistics still say the table is empty, so the first results page would sort
        # all 400,000 pairs (790 ms) instead of reading 51 from the (job, rank) index (0.4 ms);
        # autovacuum would analyze only a minute later. ANALYZE samples the table: 0.6 s.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(DuplicatePair._meta.db_table)}")
    progress.update(done=total, message=_("Done"), force=True)
    return {"kind": kind, "scanned": total, **result}


def _groups_by_record(kind: str, visible: Any, progress: JobProgress) -> dict[int, list[tuple[str, list[int]]]]:
    """Record id -> the groups (rule code, sorted member ids) it belongs to: one GROUP BY per rule."""
    groups_of: dict[int, list[tuple[str, list[int]]]] = defaultdict(list)
    for rule in rules_for(kind):
        for ids in rule.pair(kind, visible.values("pk")):
            group = (rule.code, ids)
            for pk in ids:
                groups_of[pk].append(group)
        progress.update()  # a cancel is honoured between rules too
    return groups_of


def _store_pairs(
    job: Job, kind: str, visible: Any, groups_of: dict[int, list[tuple[str, list[int]]]], progress: JobProgress
) -> dict[str, Any]:
    """Walk the visible records in id order; pair each with the later records it shares a group with,
    score and store the pairs (not those marked "not a duplicate"); progress is the records walked."""
    dismissed = set(NotDuplicate.objects.filter(kind=kind).values_list("low", "high"))
    order = [rule.code for rule in rules_for(kind)]
    count, by_reason, sequence, batch, reason_sets = 0, dict.fromkeys(order, 0), 0, [], set()
    for done, pk in enumerate(visible.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=5000), 1):
        partners: dict[int, set[str]] = defaultdict(set)
        for code, ids in groups_of.pop(pk, ()):
            for other in ids:
                if other > pk and (pk, other) not in dismissed:
                    partners[other].add(code)  # two shared phones are one reason
        for other in sorted(partners):
            ordered = [code for code in order if code in partners[other]]
            for code in ordered:
                by_reason[code] += 1
            reasons, pair_score, sequence = f",{','.join(ordered)},", score(ordered), sequence + 1
            reason_sets.add(reasons)
            rank = DuplicatePair.rank_of(pair_score, sequence)
            row = {"job_id": job.pk, "kind": kind, "rank": rank, "a": pk, "b": other, "score": pair_score}
            batch.append({**row, "reasons": reasons})
        count += len(partners)
        if len(batch) >= BATCH:
            _insert(batch)
            batch = []
        progress.update(done=done)
    _insert(batch)
    # ``reason_sets``: the combinations of reasons this run found (a handful); a filter by reason reads
    # one (job, reasons, rank) index range for each that holds it (``selectors.duplicates``)
    return {"count": count, "by_reason": by_reason, "reason_sets": sorted(reason_sets)}


def _insert(rows: list[dict[str, Any]]) -> None:
    """Store a batch of pairs in one transaction with the seed's bulk writer (``COPY`` on PostgreSQL, one
    ``executemany`` on SQLite). ``bulk_create`` spent two thirds of the job building model instances and
    SQL (45 µs a pair), psycopg's ``executemany`` a round trip a row: at 100,000 people (403,703 pairs) the
    job took 25–37 s (SQLite) and 42 s (PostgreSQL) with them."""
    if rows:
        with transaction.atomic():  # one commit per batch, not one per row
            insert_rows(DuplicatePair, rows)


# --- "not a duplicate" -------------------------------------------------------------------------
def _pair_records(actor: User, kind: str, a: int, b: int) -> tuple[Any, Any]:
    """The two records of a pair, for a user who may change both (as a merge needs): 404 if one is hidden
    from ``actor``, 403 if one is only readable."""
    from velinimet.customers.selectors import get_company_for_user, get_person_for_user

    if kind not in ("person", "company"):
        raise DomainError(_("Choose people or companies."), code="pair_kind")
    if a == b:
        raise DomainError(_("Choose two different records."), code="pair_same")
    getter = get_person_for_user if kind == "person" else get_company_for_user
    return getter(actor, a, action=Action.UPDATE), getter(actor, b, action=Action.UPDATE)


@transaction.atomic
def duplicate_dismiss(*, actor: User, kind: str, a: int, b: int) -> NotDuplicate:
    """Mark records ``a`` and ``b`` "not a duplicate": the finder never proposes them again. Marking twice
    is the same as once."""
    first, second = _pair_records(actor, kind, a, b)
    low, high = sorted((first.pk, second.pk))
    mark, created = NotDuplicate.objects.get_or_create(kind=kind, low=low, high=high, defaults={"actor": actor})
    if created:
        audit.log_action(
            actor=actor, instance=first, code=f"customers.{kind}.not_duplicate", data={"number": second.customer_number}
        )
    return mark


@transaction.atomic
def duplicate_undismiss(*, actor: User, kind: str, a: int, b: int) -> bool:
    """Undo "not a duplicate" for ``a`` and ``b``: the pair may be proposed again. False if it was not marked."""
    first, second = _pair_records(actor, kind, a, b)
    low, high = sorted((first.pk, second.pk))
    deleted, _rows = NotDuplicate.objects.filter(kind=kind, low=low, high=high).delete()
    if deleted:
        audit.log_action(
            actor=actor,
            instance=first,
            code=f"customers.{kind}.not_duplicate_undone",
            data={"number": second.customer_number},
        )
    return bool(deleted)
