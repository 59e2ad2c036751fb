"""Audit trail helpers: services call these inside their transaction after each write."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry

#: Fields never written to the audit log (secrets and bookkeeping).
EXCLUDED_FIELDS = {"password", "last_login", "search_key", "version", "key_hash"}


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The auditable field values of ``instance`` (concrete fields, foreign keys as ids)."""
    exclude = EXCLUDED_FIELDS | set(getattr(instance, "audit_exclude", ()))
    return {
        f.name: _jsonable(f.value_from_object(instance))
        for f in instance._meta.concrete_fields
        if f.name not in exclude and not f.primary_key
    }


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def record(
    *,
    actor: Any,
    action: str,
    instance: models.Model,
    changes: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEntry:
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    saved = is_user and actor.pk is not None  # the command line acts as an unsaved "system" user
    return AuditEntry.objects.create(
        actor=actor if saved else None,
        actor_name=((actor.get_username() or "system") if is_user else "system")[:150],
        action=action,
        content_type=ContentType.objects.get_for_model(instance),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        changes=changes or {},
        note=note[:200],
    )


def audit_create(*, actor: Any, instance: models.Model, note: str = "") -> AuditEntry:
    changes = {k: [None, v] for k, v in snapshot(instance).items() if v not in (None, "", [], {})}
    return record(actor=actor, action=AuditEntry.Action.CREATE, instance=instance, changes=changes, note=note)


def audit_update(*, actor: Any, instance: models.Model, before: dict[str, Any], note: str = "") -> AuditEntry | None:
    """Record what changed since ``before`` (a ``snapshot()``); nothing when nothing changed."""
    changes = diff(before, snapshot(instance))
    if not changes and not note:
        return None
    return record(actor=actor, action=AuditEntry.Action.UPDATE, instance=instance, changes=changes, note=note)


def audit_delete(*, actor: Any, instance: models.Model, note: str = "") -> AuditEntry:
    changes = {k: [v, None] for k, v in snapshot(instance).items() if v not in (None, "", [], {})}
    return record(actor=actor, action=AuditEntry.Action.DELETE, instance=instance, changes=changes, note=note)
