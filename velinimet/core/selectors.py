"""Reads of core records, always narrowed by visibility."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any

from django.db.models import DateTimeField, Q, QuerySet

from .filters import API_PARAMS, AuditEntryFilter
from .models import AuditEntry, Job
from .visibility import restrict

if TYPE_CHECKING:
    from .visibility import AccessSubject


def audit_filter(
    user: AccessSubject, data: Mapping[str, Any] | None, *, action: str = "read", allowed: Collection[str] = API_PARAMS
) -> AuditEntryFilter:
    """The audit log's FilterSet (``core.filters``) over the entries ``user`` may ``action``, bound to ``data``."""
    qs = restrict(AuditEntry.objects.select_related("content_type"), user, action)
    return AuditEntryFilter(data or None, qs, allowed=allowed)


def audit_list(
    user: AccessSubject, filters: Mapping[str, Any] | None = None, *, action: str = "read"
) -> QuerySet[AuditEntry]:
    """Audit entries ``user`` may see, filtered by actor, action, record type, record id and date range (query
    parameters; ``InvalidFilters`` for an unknown one or a bad value)."""
    fs = audit_filter(user, filters, action=action)
    return fs.filtered() if fs.is_bound else fs.queryset


def job_list(user: AccessSubject) -> QuerySet[Job]:
    return restrict(Job.objects.select_related("started_by"), user)


def keyset_query(qs: QuerySet[Any], fields: tuple[str, str], after: str | None) -> QuerySet[Any]:
    """``qs`` ordered by ``fields`` (a sort key, then the id, same direction), from beyond the cursor ``after``
    (``"<key value>|<id>"``): what ``keyset`` reads a page of. An unreadable cursor starts at the beginning."""
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
    return qs


def keyset(
    qs: QuerySet[Any], fields: tuple[str, str], after: str | None, size: int = 50
) -> tuple[list[Any], str | None]:
    """One page of ``qs`` ordered by ``fields`` (a sort key, then the id, same direction) after the cursor
    ``after`` (``"<key value>|<id>"``, as returned for the previous page); page 5,000 costs what page 1 costs.
    An unreadable cursor gives the first page."""
    key_field = fields[0].lstrip("-")
    rows = list(keyset_query(qs, fields, after)[: size + 1])
    cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        value = getattr(last, key_field)
        cursor = f"{value.isoformat() if hasattr(value, 'isoformat') else value}|{last.pk}"
    return rows, cursor
