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
from django.utils import translation

from .models import ERASED, AuditEntry

if TYPE_CHECKING:
    from .erasure import Mentions
    from .visibility import AccessSubject

#: Fields never written to the audit log (secrets and bookkeeping).
EXCLUDED_FIELDS = {"password", "last_login", "search_key", "sound_key", "version", "key_hash"}


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


def log_action(
    *,
    actor: AccessSubject | None,
    instance: models.Model,
    code: str | None = None,
    kind: str = AuditEntry.Action.OTHER,
    data: dict[str, Any] | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """The one way to write an audit entry. ``code`` is a namespaced action (``customers.person.merged_into``)
    registered with its message by the app (the ``core.audit_actions`` store); ``data`` fills that message's
    placeholders (plain JSON values: numbers, names as they were). Without a code, a create, update, delete
    or restore gets ``<app>.<model>.created`` (…``updated``, ``deleted``, ``restored``), which needs no
    registration. ``kind`` is the coarse action the audit page filters by."""
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    # the command line acts as an unsaved "system" user
    if code is None:
        code = default_code(instance, kind)
    # the erasure mark is stored language-neutral ("[erased]"), whatever the actor's language shows for it
    name = str(instance).replace(translation.gettext("[erased]"), ERASED)[:200]
    return AuditEntry.objects.create(
        actor_id=user.pk if user is not None else None,
        actor_name=((user.get_username() or "system") if user is not None else "system")[:150],
        action=kind,
        content_type=ContentType.objects.get_for_model(instance),
        object_id="" if instance.pk is None else str(instance.pk),  # a failed login of a name nobody has
        object_repr=name,
        changes=changes or {},
        code=code,
        data=_jsonable(data or {}),
    )


_KIND_VERBS = {"create": "created", "update": "updated", "delete": "deleted", "restore": "restored"}


def default_code(instance: models.Model | type[models.Model], kind: str) -> str:
    """``<app>.<model>.<verb>`` of a plain create, update, delete or restore (``accounts.team.updated``)."""
    if kind not in _KIND_VERBS:
        raise ValueError(f"an audit entry of kind {kind!r} needs an action code")
    return f"{instance._meta.app_label}.{instance._meta.model_name}.{_KIND_VERBS[kind]}"


def audit_create(
    *, actor: AccessSubject | None, instance: models.Model, code: str | None = None, data: dict[str, Any] | None = None
) -> AuditEntry:
    changes = {k: [None, v] for k, v in snapshot(instance).items() if v not in (None, "", [], {})}
    kind = AuditEntry.Action.CREATE
    return log_action(actor=actor, instance=instance, code=code, kind=kind, data=data, changes=changes)


def audit_update(
    *,
    actor: AccessSubject | None,
    instance: models.Model,
    before: dict[str, Any],
    code: str | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry | None:
    """Record what changed since ``before`` (a ``snapshot()``); nothing when nothing changed and no
    ``code`` says what was done."""
    changes = diff(before, snapshot(instance))
    if not changes and code is None:
        return None
    kind = AuditEntry.Action.UPDATE
    return log_action(actor=actor, instance=instance, code=code, kind=kind, data=data, changes=changes)


def audit_delete(
    *, actor: AccessSubject | None, instance: models.Model, code: str | None = None, data: dict[str, Any] | None = None
) -> AuditEntry:
    changes = {k: [v, None] for k, v in snapshot(instance).items() if v not in (None, "", [], {})}
    kind = AuditEntry.Action.DELETE
    return log_action(actor=actor, instance=instance, code=code, kind=kind, data=data, changes=changes)


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
    ``erased``; the action keeps its code and data (the history still says what was done) without the
    mentions (a tag or a name in its data)."""
    count = 0
    for entry in entries.only("changes", "object_repr", "data"):
        entry.changes = {field: [erased, erased] for field in entry.changes}
        entry.object_repr = erased
        entry.data = mentions.scrub(entry.data)
        entry.save(update_fields=["changes", "object_repr", "data"])
        count += 1
    return count


def entries_mentioning(mentions: Mentions, *, since: Any = None) -> list[int]:
    """Ids of the entries (written since ``since``) that quote one of ``mentions``. Read-only: run it
    before a write transaction, as it reads every entry since then (a million: 11.5 s on SQLite)."""
    entries = AuditEntry.objects.all() if since is None else AuditEntry.objects.filter(at__gte=since)
    return [
        entry.pk
        for entry in mentions.prefilter(entries, ("object_repr",), ("changes", "data")).only(
            "changes", "object_repr", "data"
        )
        if mentions.search(
            "\n".join([entry.object_repr, *(json.dumps(v, ensure_ascii=False) for v in (entry.changes, entry.data))])
        )
    ]


def mentions_erase(mentions: Mentions, entries: QuerySet[AuditEntry]) -> int:
    """Entries of other records that quote someone's values (an action's data naming their number, another
    record's changes listing their phone): the quotes become ERASED, the rest of the entry stays."""
    count = 0
    for entry in entries.only("changes", "object_repr", "data"):
        scrubbed = (mentions.scrub(entry.changes), mentions.sub(entry.object_repr), mentions.scrub(entry.data))
        if scrubbed != (entry.changes, entry.object_repr, entry.data):
            entry.changes, entry.object_repr, entry.data = scrubbed
            entry.save(update_fields=["changes", "object_repr", "data"])
            count += 1
    return count
