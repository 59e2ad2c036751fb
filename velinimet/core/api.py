"""API endpoints of the core app: job progress and the audit log."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.request import Request
from rest_framework.response import Response

from .jobfiles import FileStatus, job_file_status, may_see_result
from .jobs import job_cancel
from .models import AuditEntry, Job
from .rest import CursorPagination, ErrorSerializer, VisibleViewSetMixin
from .search import search
from .selectors import audit_list, job_list


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


@extend_schema_view(
    list=extend_schema(summary="Jobs you may see"), retrieve=extend_schema(summary="One job's progress")
)
class JobViewSet(VisibleViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = JobSerializer
    record_type = "core.job"
    pagination_class = type("JobPagination", (CursorPagination,), {"ordering": "-created_at"})

    def get_queryset(self) -> Any:
        return job_list(self.request.user)

    @extend_schema(
        request=None,
        responses={200: JobSerializer, 403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer},
        summary="Cancel a job",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """A queued job is cancelled at once; a running one stops at its next progress update (work it
        committed stays done). Only its starter and administrators may cancel it."""
        job = job_cancel(actor=request.user, job=self.get_object())
        return Response(self.get_serializer(job).data)


class AuditEntrySerializer(serializers.ModelSerializer):
    record_type = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        fields = ["id", "at", "actor_name", "action", "record_type", "object_id", "object_repr", "changes", "note"]

    def get_record_type(self, entry: AuditEntry) -> str:
        return f"{entry.content_type.app_label}.{entry.content_type.model}"


class AuditFilterSerializer(serializers.Serializer):
    actor = serializers.CharField(required=False, max_length=150)
    action = serializers.ChoiceField(choices=AuditEntry.Action.choices, required=False)
    record_type = serializers.CharField(required=False, max_length=100)
    object_id = serializers.CharField(required=False, max_length=64)
    since = serializers.DateField(required=False)
    until = serializers.DateField(required=False)


@extend_schema_view(list=extend_schema(parameters=[AuditFilterSerializer]))
class AuditEntryViewSet(VisibleViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = AuditEntrySerializer
    record_type = "core.auditentry"

    def get_queryset(self) -> Any:
        if self.action == "list":
            filters = AuditFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            return audit_list(self.request.user, filters.validated_data)
        return audit_list(self.request.user)


class SearchResultSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.IntegerField()
    title = serializers.CharField()
    subtitle = serializers.CharField()
    url = serializers.CharField()
    score = serializers.IntegerField(help_text="4 identifier, 3 exact name, 2 word prefix, 1 contains")


class SearchResponseSerializer(serializers.Serializer):
    results = SearchResultSerializer(many=True)


@extend_schema(
    parameters=[OpenApiParameter("q", str, required=True), OpenApiParameter("limit", int)],
    responses={200: SearchResponseSerializer, 400: ErrorSerializer},
    summary="Global search",
)
@api_view(["GET"])
def search_view(request: Request) -> Response:
    """People, companies (and what later modules register) by name, phone, e-mail, numbers."""
    query = request.query_params.get("q", "").strip()
    if not query:
        raise serializers.ValidationError({"q": [_("Enter something to search for.")]})
    if len(query) > 100:
        raise serializers.ValidationError({"q": [_("Use at most 100 characters.")]})
    try:
        limit = max(1, min(50, int(request.query_params.get("limit", 10))))
    except ValueError as exc:
        raise serializers.ValidationError({"limit": [_("A whole number from 1 to 50.")]}) from exc
    results = []
    for _provider, hits in search(request.user, query, limit=limit):
        results += [
            {"type": h.type, "id": h.id, "title": h.title, "subtitle": h.subtitle, "url": h.url, "score": h.score}
            for h in hits
        ]
    return Response({"results": results})
