"""Reads of core records, always narrowed by visibility."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet

from .models import AuditEntry, Job
from .visibility import restrict


def audit_list(user: Any, filters: dict[str, Any] | None = None, *, action: str = "read") -> QuerySet[AuditEntry]:
    """Audit entries ``user`` may see, filtered by actor, action, record type, record id and date range."""
    filters = filters or {}
    qs = restrict(AuditEntry.objects.select_related("content_type"), user, action)
    if filters.get("actor"):
        qs = qs.filter(actor_name__iexact=filters["actor"])
    if filters.get("action"):
        qs = qs.filter(action=filters["action"])
    if filters.get("record_type"):
        app_label, _, model = str(filters["record_type"]).partition(".")
        qs = qs.filter(content_type__app_label=app_label, content_type__model=model)
    if filters.get("object_id"):
        qs = qs.filter(object_id=str(filters["object_id"]))
    if isinstance(filters.get("since"), datetime.date):
        qs = qs.filter(at__date__gte=filters["since"])
    if isinstance(filters.get("until"), datetime.date):
        qs = qs.filter(at__date__lte=filters["until"])
    return qs


def job_list(user: Any) -> QuerySet[Job]:
    return restrict(Job.objects.select_related("started_by"), user)
