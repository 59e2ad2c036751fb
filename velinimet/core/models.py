"""Shared kernel data: the audit log and background job progress."""

from __future__ import annotations

import contextlib
import re
import uuid
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


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
    note = models.CharField(_("note"), max_length=200, blank=True)

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
    def note_display(self) -> str:
        """The note in the reader's language: services store it in English, the same for everyone."""
        for pattern, text in AUDIT_NOTES:
            match = pattern.fullmatch(self.note)
            if match:
                return str(text) % match.groupdict() if match.groupdict() else str(text)
        return self.note

    def changes_display(self) -> list[tuple[str, Any, Any]]:
        """(field label in the reader's language, old, new) for each changed field."""
        model = self.content_type.model_class() if self.content_type_id else None
        rows = []
        for name, values in (self.changes or {}).items():
            label: Any = name
            if model is not None:
                with contextlib.suppress(FieldDoesNotExist):
                    label = getattr(model._meta.get_field(name), "verbose_name", name)
            old, new = (values + [None, None])[:2] if isinstance(values, list) else (None, values)
            rows.append((str(label), old, new))
        return rows


#: Notes the services write, and how they read in the interface's language.
AUDIT_NOTES: list[tuple[re.Pattern[str], Any]] = [
    (re.compile(r"bulk assign"), _("assigned in bulk")),
    (re.compile(r"tag added: (?P<tags>.*)"), _("tag added: %(tags)s")),
    (re.compile(r"moved to trash"), _("moved to the trash")),
    (re.compile(r"merged (?P<number>\S+) in"), _("%(number)s merged into this record")),
    (re.compile(r"merged into (?P<number>\S+)"), _("merged into %(number)s")),
    (re.compile(r"merge undone"), _("merge undone")),
    (re.compile(r"KVKK data export"), _("KVKK data export")),
    (re.compile(r"KVKK erasure: (?P<reason>.*)"), _("KVKK erasure: %(reason)s")),
    (re.compile(r"password changed"), _("password changed")),
    (re.compile(r"two-factor login enabled"), _("two-factor login enabled")),
    (re.compile(r"two-factor login removed"), _("two-factor login removed")),
    (re.compile(r"job cancelled"), _("job cancelled")),
]


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
