"""Bulk actions on people and companies: on the records ticked on a page, or on the whole filtered list.

"Select all" sends the list's own query; ``bulk_records`` runs it through the same FilterSet as the page,
the API and exports (``customers.filters``), so the action reaches exactly what the list shows. A set larger
than ``BULK_JOB_THRESHOLD`` runs as a background job with progress (``bulk_start``), in batches; a smaller
one, or a page's ticked records, in one transaction (all or nothing). Every record is checked and audited by
the same service as one record's action (``records_assign``, ``records_add_tag``, ``record_delete``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from velinimet.core.exceptions import DomainError, Errors, NotAllowed
from velinimet.core.jobs import JobProgress, job_start
from velinimet.core.models import Job
from velinimet.core.visibility import Action, can
from velinimet.customers.models import Company, Person
from velinimet.customers.selectors.records import company_list, person_list, visible_records
from velinimet.customers.services.records import record_delete, records_add_tag, records_assign
from velinimet.customers.services.validation import clean_tags

if TYPE_CHECKING:
    from velinimet.accounts.models import User


BULK_JOB_THRESHOLD = 500  # more records than this: a background job with progress
BATCH = 200
PAGE_PARAMS = ("after", "sort")  # what the list page reads itself; accepted in a list's query, not filters
ACTIONS = {"assign": Action.ASSIGN, "tag": Action.UPDATE, "trash": Action.DELETE}
MODELS: dict[str, type[Person] | type[Company]] = {"person": Person, "company": Company}


@transaction.atomic
def records_trash(*, actor: User, records: Iterable[Person | Company]) -> int:
    """Bulk action: move several records to the trash. Each is checked (delete right) and audited like one
    record's delete; all or nothing."""
    count = 0
    for record in records:
        if not can(actor, record, Action.DELETE):
            raise NotAllowed(_("You may not delete “%(name)s”.") % {"name": record})
        record_delete(actor=actor, record=record)
        count += 1
    return count


def bulk_records(actor: User, kind: str, query: str) -> QuerySet[Any]:
    """The records the list with ``query`` (its URL's query string) shows ``actor``: the page's FilterSet.
    ``InvalidFilters`` when the query has an unknown filter or a bad value."""
    selector = person_list if kind == "person" else company_list
    data = QueryDict(query)
    return selector(actor, data if data else None, allowed=PAGE_PARAMS).order_by("pk")


def bulk_check(actor: User, kind: str, qs: QuerySet[Any], action: str) -> None:
    """Refuse the whole set when the actor may not ``action`` some of its records (one query), naming how
    many: a job must not stop half-way on the first refusal."""
    if action not in ACTIONS:
        raise DomainError(_("Choose an action."))
    allowed = visible_records(MODELS[kind], actor, action=ACTIONS[action]).values("pk")
    refused = qs.exclude(pk__in=allowed).count()
    if refused:
        raise NotAllowed(
            ngettext(
                "You may not do this to %(count)s of these records.",
                "You may not do this to %(count)s of these records.",
                refused,
            )
            % {"count": refused}
        )


def bulk_apply(
    *, actor: User, action: str, records: Iterable[Person | Company], owner: Any = None, tag: str = ""
) -> int:
    """One bulk action on ``records`` (all or nothing), through the one-record services' rules."""
    if action == "assign":
        if owner is None:
            raise DomainError(_("Choose who gets the records."))
        return records_assign(actor=actor, records=records, owner=owner)
    if action == "tag":
        return records_add_tag(actor=actor, records=records, tag=tag)
    if action == "trash":
        return records_trash(actor=actor, records=records)
    raise DomainError(_("Choose an action."))


def bulk_start(*, actor: User, kind: str, action: str, query: str, owner: Any = None, tag: str = "") -> Job:
    """Run a bulk action over the list ``query`` as a background job (checked first, so it does not stop
    half-way on a record the actor may not change)."""
    qs = bulk_records(actor, kind, query)
    bulk_check(actor, kind, qs, action)
    if action == "assign" and owner is None:
        raise DomainError(_("Choose who gets the records."))
    if action == "tag":  # the tag is checked before the job starts, not by its first batch
        errors = Errors()
        if not clean_tags([tag], errors) or errors.errors:
            raise DomainError(_("Enter a tag."), errors={"tag": [_("Enter a tag.")]})
    titles = {"assign": _("Assign records"), "tag": _("Tag records"), "trash": _("Move records to the trash")}
    params = {"kind": kind, "action": action, "query": query, "owner": getattr(owner, "pk", None), "tag": tag}
    return job_start(actor=actor, kind="customers.bulk", title=titles[action], params=params)


def bulk_run(job: Job, progress: JobProgress) -> dict[str, Any]:
    """The job: the list's records in batches of ``BATCH`` by id, each batch all or nothing."""
    params = job.params
    actor = get_user_model().objects.get(pk=job.started_by_id or 0)
    kind, action = params["kind"], params["action"]
    owner = get_user_model().objects.filter(pk=params.get("owner") or 0).first()
    qs = bulk_records(actor, kind, params.get("query", ""))
    total = qs.count()
    progress.update(done=0, total=total, force=True)
    done, last = 0, 0
    while True:
        batch = list(qs.filter(pk__gt=last)[:BATCH])
        if not batch:
            break
        done += bulk_apply(actor=actor, action=action, records=batch, owner=owner, tag=params.get("tag", ""))
        last = batch[-1].pk
        progress.update(done=done)
    progress.update(done=done, force=True)
    return {"count": done}
