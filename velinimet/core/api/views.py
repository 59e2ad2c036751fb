"""API endpoints of the core app: job progress and the audit log."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.request import Request
from rest_framework.response import Response

from velinimet.core.api.serializers import (
    AuditEntrySerializer,
    JobSerializer,
    SearchResponseSerializer,
)
from velinimet.core.filters import AuditEntryFilter, SelectorFilterBackend
from velinimet.core.http import request_subject
from velinimet.core.jobs import job_cancel
from velinimet.core.rest import CursorPagination, ErrorSerializer, VisibleViewSetMixin
from velinimet.core.search import search
from velinimet.core.selectors import audit_list, job_list


@extend_schema_view(
    list=extend_schema(summary="Jobs you may see"), retrieve=extend_schema(summary="One job's progress")
)
class JobViewSet(VisibleViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = JobSerializer
    record_type = "core.job"
    pagination_class = type("JobPagination", (CursorPagination,), {"ordering": "-created_at"})

    def get_queryset(self) -> Any:
        return job_list(request_subject(self.request))

    @extend_schema(
        request=None,
        responses={200: JobSerializer, 403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer},
        summary="Cancel a job",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """A queued job is cancelled at once; a running one stops at its next progress update (work it
        committed stays done). Only its starter and administrators may cancel it."""
        job = job_cancel(actor=request_subject(request), job=self.get_object())
        return Response(self.get_serializer(job).data)


class AuditEntryViewSet(VisibleViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = AuditEntrySerializer
    record_type = "core.auditentry"
    filter_backends = [SelectorFilterBackend]
    filterset_class = AuditEntryFilter

    def get_queryset(self) -> Any:
        """The list runs ``core.filters.AuditEntryFilter`` (an unknown parameter is a 400)."""
        return audit_list(request_subject(self.request), self.request.query_params if self.action == "list" else None)


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
    for _provider, hits in search(request_subject(request), query, limit=limit):
        results += [
            {"type": h.type, "id": h.id, "title": h.title, "subtitle": h.subtitle, "url": h.url, "score": h.score}
            for h in hits
        ]
    return Response({"results": results})
