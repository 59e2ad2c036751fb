"""Audit trail helpers: services call these inside their transaction after each write."""

from __future__ import annotations

import datetime
import decimal
import json
import uuid
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet

from .models import AuditEntry

if TYPE_CHECKING:
    from .erasure import Mentions

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


# --- erasure (KVKK) ---------------------------------------------------------------------------
def entries_about(
    model: type[models.Model], ids: Iterable[Any] = (), *, parents: Mapping[str, Iterable[int]] | None = None
) -> QuerySet[AuditEntry]:
    """The entries of ``model``'s rows ``ids``, and of its rows since deleted whose logged foreign key
    (``parents``: field → ids, e.g. ``{"person": [12]}``) pointed at one of those parents."""
    q = Q(object_id__in=[str(pk) for pk in ids])
    for field, parent_ids in (parents or {}).items():
        parent_ids = list(parent_ids)
        if parent_ids:  # create entries log [None, id], delete entries [id, None]
            q |= Q(**{f"changes__{field}__0__in": parent_ids}) | Q(**{f"changes__{field}__1__in": parent_ids})
    return AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(model)).filter(q)


def entries_erase(entries: QuerySet[AuditEntry], mentions: Mentions, erased: str) -> int:
    """Erase what ``entries`` logged: every field's old and new value and the record's name become
    ``erased``; the note keeps its wording (the history still says what was done) without the mentions."""
    count = 0
    for entry in entries.only("changes", "object_repr", "note"):
        entry.changes = {field: [erased, erased] for field in entry.changes}
        entry.object_repr = erased
        entry.note = mentions.sub(entry.note)
        entry.save(update_fields=["changes", "object_repr", "note"])
        count += 1
    return count


def entries_mentioning(mentions: Mentions, *, since: Any = None) -> list[int]:
    """Ids of the entries (written since ``since``) that quote one of ``mentions``. Read-only: run it
    before a write transaction, as it reads every entry since then (a million: 11.5 s on SQLite)."""
    entries = AuditEntry.objects.all() if since is None else AuditEntry.objects.filter(at__gte=since)
    return [
        entry.pk
        for entry in mentions.prefilter(entries, ("object_repr", "note"), ("changes",)).only(
            "changes", "object_repr", "note"
        )
        if mentions.search(f"{entry.object_repr}\n{entry.note}\n{json.dumps(entry.changes, ensure_ascii=False)}")
    ]


def mentions_erase(mentions: Mentions, entries: QuerySet[AuditEntry]) -> int:
    """Entries of other records that quote someone's values (a note naming their number, another
    record's changes listing their phone): the quotes become ERASED, the rest of the entry stays."""
    count = 0
    for entry in entries.only("changes", "object_repr", "note"):
        scrubbed = (mentions.scrub(entry.changes), mentions.sub(entry.object_repr), mentions.sub(entry.note))
        if scrubbed != (entry.changes, entry.object_repr, entry.note):
            entry.changes, entry.object_repr, entry.note = scrubbed
            entry.save(update_fields=["changes", "object_repr", "note"])
            count += 1
    return count
