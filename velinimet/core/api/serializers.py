"""Shapes of the core API: jobs, the audit log, search."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from velinimet.core.jobfiles import FileStatus, job_file_status, may_see_result
from velinimet.core.models import AuditEntry, Job


class JobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True, allow_null=True)
    started_by: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)
    download_url = serializers.SerializerMethodField(
        help_text="Set only while you may download the file: its starter or an administrator, until it expires"
    )
    file_status = serializers.SerializerMethodField(help_text="none, available, expired or not_allowed")
    result = serializers.SerializerMethodField(
        help_text="What the job produced; empty unless you started it (or administer)"
    )
    error = serializers.SerializerMethodField(
        help_text="Why it failed: the message for its starter, the technical detail for administrators"
    )
    cancel_requested_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "title",
            "state",
            "done",
            "total",
            "percent",
            "message",
            "result",
            "error",
            "started_by",
            "created_at",
            "started_at",
            "finished_at",
            "cancel_requested_at",
            "download_url",
            "file_status",
        ]

    @extend_schema_field(serializers.DictField())
    def get_result(self, job: Job) -> dict[str, Any]:
        return job.result if may_see_result(self.context["request"].user, job) else {}

    def get_error(self, job: Job) -> str:
        """The technical detail (with a traceback naming server paths) is for administrators; the starter
        gets the job's message, which says what went wrong and what to do."""
        user = self.context["request"].user
        if not job.error or not may_see_result(user, job):
            return ""
        return job.error if getattr(user, "is_administrator", False) else job.message

    def _file_status(self, job: Job) -> FileStatus:
        return job_file_status(self.context["request"].user, job)

    def get_download_url(self, job: Job) -> str | None:
        if self._file_status(job) == FileStatus.AVAILABLE:
            return reverse("core:job_download", args=[job.pk])
        return None

    @extend_schema_field(serializers.ChoiceField(choices=FileStatus.choices))
    def get_file_status(self, job: Job) -> str:
        return str(self._file_status(job))


class AuditEntrySerializer(serializers.ModelSerializer):
    record_type = serializers.SerializerMethodField()
    code = serializers.CharField(
        read_only=True, help_text="What was done: a namespaced action code, e.g. customers.person.merged_into."
    )
    text = serializers.SerializerMethodField(
        help_text="What was done, in the user's language (empty for a plain change)."
    )

    class Meta:
        model = AuditEntry
        fields = [
            *("id", "at", "actor_name", "action", "record_type", "object_id", "object_repr", "changes"),
            *("code", "data", "text"),
        ]
        # ``data`` as an attribute would hide Serializer.data.
        extra_kwargs = {"data": {"help_text": 'The action\'s values, e.g. {"number": "C-000007"}.'}}

    def get_record_type(self, entry: AuditEntry) -> str:
        return f"{entry.content_type.app_label}.{entry.content_type.model}"

    def get_text(self, entry: AuditEntry) -> str:
        return entry.text


class SearchResultSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.IntegerField()
    title = serializers.CharField()
    subtitle = serializers.CharField()
    url = serializers.CharField()
    score = serializers.IntegerField(help_text="4 identifier, 3 exact name, 2 word prefix, 1 contains")


class SearchResponseSerializer(serializers.Serializer):
    results = SearchResultSerializer(many=True)
