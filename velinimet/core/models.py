"""Shared kernel data: the audit log and background job progress."""

from __future__ import annotations

import contextlib
import datetime
import decimal
import uuid
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from velinimet.core.numbers import format_number

from .registry import AUDIT_ACTIONS, AUDIT_FIELDS, AUDIT_GENERIC_VERBS


class AuditEntry(models.Model):
    """One change made through a service: who, when, which record, and each field's old → new value."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        DELETE = "delete", _("Deleted")
        RESTORE = "restore", _("Restored")
        LOGIN = "login", _("Logged in")
        OTHER = "other", _("Other")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("user name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, verbose_name=_("record type"), on_delete=models.PROTECT)
    object_id = models.CharField(_("record id"), max_length=64)
    object_repr = models.CharField(_("record"), max_length=200)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    # What was done, as a namespaced code (``customers.person.merged_into``) and its values
    # (``{"number": "C-000007"}``): rendered in the reader's language by the registered AuditAction.
    code = models.CharField(_("action code"), max_length=100, blank=True)
    data = models.JSONField(_("action data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"]),
            models.Index(fields=["actor", "-at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    @property
    def text(self) -> str:
        """What was done, in the active language: the code's registered message with its data; nothing for
        a plain create/update/delete/restore (the kind says it); an unregistered code as itself."""
        return audit_text(self.code, self.data)

    @property
    def record_display(self) -> str:
        """The record's name as logged, "[erased]" in the reader's language."""
        return shown(self.object_repr)

    def changes_display(self) -> list[tuple[str, Any, Any]]:
        """(field label, old, new) for each changed field, in the reader's language, time zone and locale:
        a linked record by its name (``audit_names``, filled a page at a time by ``audit_prepare``), a value
        registered in ``core.audit_fields`` (phones, custom fields) by its label."""
        model = self.content_type.model_class() if self.content_type_id else None
        names = getattr(self, "audit_names", None)
        rows: list[tuple[str, Any, Any]] = []
        for name, values in (self.changes or {}).items():
            old, new = (values + [None, None])[:2] if isinstance(values, list) else (None, values)
            registered = AUDIT_FIELDS.get(f"{model._meta.label_lower}.{name}") if model is not None else None
            if registered is not None and registered.expand is not None:
                rows += registered.expand(old, new, names if names is not None else {})
                continue
            field: Any = None
            if model is not None:
                with contextlib.suppress(FieldDoesNotExist):
                    field = model._meta.get_field(name)
            label = registered.label if registered is not None else getattr(field, "verbose_name", name)
            if isinstance(field, models.ForeignKey):
                old, new = (_related_name(field, v, names) for v in (old, new))
            rows.append((str(label), display_value(field, old), display_value(field, new)))
        return rows


def _related_name(field: models.ForeignKey, pk: Any, names: dict[tuple[str, str], str] | None) -> Any:
    """A logged foreign key (an id) as the linked record's name, "#id" when it is gone."""
    if pk in (None, "", ERASED):
        return pk or None  # an erased link reads "[erased]" (display_value)
    model = field.related_model
    key = (model._meta.label_lower, str(pk))
    if names is None or key not in names:
        found = model._default_manager.filter(pk=pk).first()
        name = str(found) if found is not None else f"#{pk}"
        if names is not None:
            names[key] = name
        return name
    return names[key]


def audit_prepare(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Fill ``audit_names`` of ``entries`` (a page) with the names of the records their changes link to,
    one query per linked model, so that ``changes_display`` asks for none."""
    wanted: dict[Any, set[str]] = {}
    for entry in entries:
        model = entry.content_type.model_class() if entry.content_type_id else None
        for name, values in (entry.changes or {}).items():
            with contextlib.suppress(FieldDoesNotExist, AttributeError):
                field = model._meta.get_field(name)  # type: ignore[union-attr]
                if isinstance(field, models.ForeignKey) and isinstance(values, list):
                    linked = (str(v) for v in values if v not in (None, "", ERASED))
                    wanted.setdefault(field.related_model, set()).update(linked)
    names: dict[tuple[str, str], str] = {}
    for model, ids in wanted.items():
        valid = [pk for pk in ids if pk.isdigit()] if isinstance(model._meta.pk, models.AutoField) else list(ids)
        for found in model._default_manager.filter(pk__in=valid):
            names[(model._meta.label_lower, str(found.pk))] = str(found)
        for pk in ids:
            names.setdefault((model._meta.label_lower, pk), f"#{pk}")
    for entry in entries:
        entry.audit_names = names  # type: ignore[attr-defined]
    return entries


ERASED = "[erased]"  # what an erased value is stored as, in every language (core.erasure uses it)


def shown(text: Any) -> Any:
    """A stored text as the reader reads it: the language-neutral erasure mark ("[erased]", stored so that it
    means the same in every language) in the reader's language."""
    if isinstance(text, str) and ERASED in text:
        return text.replace(ERASED, gettext("[erased]"))
    return text


def audit_text(code: str, data: dict[str, Any] | None) -> str:
    """``code``'s message (see ``AuditEntry.text``). Safe for any data: a missing value reads "?", and a
    message that does not fit its data (a broken translation) falls back to the code."""
    action = AUDIT_ACTIONS.get(code)
    if action is None:
        return "" if not code or code.rpartition(".")[2] in AUDIT_GENERIC_VERBS else code
    values = _Values(
        {k: "" if (shown_value := display_value(None, v)) is None else shown_value for k, v in (data or {}).items()}
    )
    try:
        return str(action.message) % values
    except (KeyError, TypeError, ValueError):
        return code


class _Values(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def display_value(field: Any, value: Any) -> Any:
    """A logged value as the reader reads it: a time in their time zone and locale's format, a date, a
    number, yes/no and a choice's label in their language, a list joined; a mapping (a role's levels) and
    None stay as they are."""
    if value is None or value == "":
        return value
    if value == ERASED:
        return gettext("[erased]")
    if isinstance(value, list):
        return ", ".join(str(display_value(field, v)) for v in value) or None
    with contextlib.suppress(TypeError, ValueError, decimal.InvalidOperation):
        if isinstance(field, models.DateTimeField):
            moment = datetime.datetime.fromisoformat(str(value))
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
        if isinstance(field, models.DateField):
            return formats.date_format(datetime.date.fromisoformat(str(value)), "SHORT_DATE_FORMAT")
        if getattr(field, "flatchoices", None):
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(field, models.BooleanField) and isinstance(value, bool):
            return gettext("Yes") if value else gettext("No")
        if isinstance(field, models.DecimalField):
            return format_number(decimal.Decimal(str(value)))
        if isinstance(value, float):
            return format_number(value)
    return value


class Job(models.Model):
    """A background job's progress row: the UI and API poll it while a worker does the work."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED)
    done = models.PositiveBigIntegerField(_("done"), default=0)
    total = models.PositiveBigIntegerField(_("total"), null=True, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    result_file = models.CharField(_("result file"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Set by job_cancel on a running job; the handler stops at its next progress update.
    cancel_requested_at = models.DateTimeField(_("cancellation asked"), null=True, blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total__isnull=True) | models.Q(done__lte=models.F("total")),
                name="job_done_within_total",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def finished(self) -> bool:
        return self.state in {self.State.SUCCEEDED, self.State.FAILED, self.State.CANCELLED}

    @property
    def percent(self) -> int | None:
        if not self.total:
            return 100 if self.state == self.State.SUCCEEDED else None
        return min(100, int(self.done * 100 / self.total))


class Sequence(models.Model):
    """A named counter for human-facing numbers (customer numbers, later invoice numbers)."""

    name = models.CharField(max_length=50, primary_key=True)
    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("sequence")
        verbose_name_plural = _("sequences")

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class IdempotencyKey(models.Model):
    """The answer to an API create sent with an ``Idempotency-Key``: a retry with the same key gets it
    again instead of creating a second record (``core.idempotency``); kept 24 hours."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField(encoder=DjangoJSONEncoder, null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}"
