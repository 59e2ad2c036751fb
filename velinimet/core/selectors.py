"""Reads of core records, always narrowed by visibility."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import DateTimeField, Q, QuerySet

from .models import AuditEntry, Job
from .visibility import restrict


def audit_list(user: Any, filters: dict[str, Any] | None = None, *, action: str = "read") -> QuerySet[AuditEntry]:
    """Audit entries ``user`` may see, filtered by actor, action (kind), record type, action code, record id
    and date range."""
    filters = filters or {}
    qs = restrict(AuditEntry.objects.select_related("content_type"), user, action)
    if filters.get("actor"):
        qs = qs.filter(actor_name__iexact=filters["actor"])
    if filters.get("action"):
        qs = qs.filter(action=filters["action"])
    if filters.get("record_type"):
        app_label, _, model = str(filters["record_type"]).partition(".")
        qs = qs.filter(content_type__app_label=app_label, content_type__model=model)
    if filters.get("code"):
        qs = qs.filter(code=filters["code"])
    if filters.get("object_id"):
        qs = qs.filter(object_id=str(filters["object_id"]))
    if isinstance(filters.get("since"), datetime.date):
        qs = qs.filter(at__date__gte=filters["since"])
    if isinstance(filters.get("until"), datetime.date):
        qs = qs.filter(at__date__lte=filters["until"])
    return qs


def job_list(user: Any) -> QuerySet[Job]:
    return restrict(Job.objects.select_related("started_by"), user)


def keyset(
    qs: QuerySet[Any], fields: tuple[str, str], after: str | None, size: int = 50
) -> tuple[list[Any], str | None]:
    """One page of ``qs`` ordered by ``fields`` (a sort key, then the id, same direction) after the cursor
    ``after`` (``"<key value>|<id>"``, as returned for the previous page); page 5,000 costs what page 1 costs.
    An unreadable cursor gives the first page."""
    key_field, id_field = fields[0].lstrip("-"), fields[1].lstrip("-")
    descending = fields[0].startswith("-")
    qs = qs.order_by(*fields)
    if after:
        raw_value, _sep, raw_id = after.rpartition("|")
        try:
            last_id = int(raw_id)
            value: Any = raw_value
            if isinstance(qs.model._meta.get_field(key_field), DateTimeField):
                value = datetime.datetime.fromisoformat(raw_value)
        except ValueError:
            last_id, value = 0, None
        if value is not None:
            op = "lt" if descending else "gt"
            # (key, id) beyond the cursor, written so the first condition is an index range: the OR alone
            # would make the engine walk the index from the start (page 5,000 measured 3x page 1).
            qs = qs.filter(
                Q(**{f"{key_field}__{op}e": value})
                & (Q(**{f"{key_field}__{op}": value}) | Q(**{f"{id_field}__{op}": last_id}))
            )
    rows = list(qs[: size + 1])
    cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        value = getattr(last, key_field)
        cursor = f"{value.isoformat() if hasattr(value, 'isoformat') else value}|{last.pk}"
    return rows, cursor
