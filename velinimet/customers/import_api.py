"""/api/v1/imports/: upload a CSV of people or companies; the job's result is the line-by-line report."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view, parser_classes
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from velinimet.core.idempotency import idempotent
from velinimet.core.models import Job
from velinimet.core.rest import ErrorSerializer

from .importer import DUPLICATE_MODES, import_confirm, import_start


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV; the first line names the columns (see docs/customers.md)")
    kind = serializers.ChoiceField(choices=["person", "company"])
    trial = serializers.BooleanField(default=True, help_text="check every line and save nothing (the default)")
    duplicates = serializers.ChoiceField(choices=DUPLICATE_MODES, default="skip")


class ImportRunSerializer(serializers.Serializer):
    duplicates = serializers.ChoiceField(choices=DUPLICATE_MODES, default="skip")


def _accepted(job: Job) -> Response:
    body = {"job": str(job.pk), "url": reverse("job-detail", args=[job.pk]), "title": job.title}
    return Response(body, status=status.HTTP_202_ACCEPTED)


@extend_schema(
    request={"multipart/form-data": ImportSerializer},
    responses={202: serializers.DictField(), 400: ErrorSerializer, 403: ErrorSerializer},
    summary="Import people or companies from CSV",
)
@api_view(["POST"])
@parser_classes([MultiPartParser, FormParser])
@idempotent
def import_create(request: Request) -> Response:
    """Starts a job; poll ``url`` (``/api/v1/jobs/{id}/``): its ``result`` counts created lines, lists
    duplicates with their candidates and errors with their line numbers."""
    ser = ImportSerializer(data=request.data)
    ser.is_valid(raise_exception=True)
    data = ser.validated_data
    job = import_start(
        actor=request.user,
        kind=data["kind"],
        data=data["file"],  # streamed to the imports folder; the job reads it
        trial=data["trial"],
        duplicates=data["duplicates"],
    )
    return _accepted(job)


@extend_schema(
    request=ImportRunSerializer,
    responses={202: serializers.DictField(), 400: ErrorSerializer, 404: ErrorSerializer},
    summary="Import for real the file a trial run checked",
)
@api_view(["POST"])
@idempotent
def import_run_for_real(request: Request, pk: str) -> Response:
    ser = ImportRunSerializer(data=request.data)
    ser.is_valid(raise_exception=True)
    job = import_confirm(actor=request.user, trial_id=pk, duplicates=ser.validated_data["duplicates"])
    return _accepted(job)
