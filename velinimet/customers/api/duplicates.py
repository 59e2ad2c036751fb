"""The duplicate finder's API: start it, page through its scored pairs, mark a pair "not a duplicate"."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from velinimet.accounts.http import request_user
from velinimet.core.rest import ErrorSerializer
from velinimet.core.visibility import Action, Level, level_for
from velinimet.customers.selectors.duplicates import PAGE, duplicate_pairs_page, latest_finder_job
from velinimet.customers.services.finder import duplicate_dismiss, duplicate_undismiss, duplicates_find_start
from velinimet.customers.services.matching import reason_choices

RT = {"person": "customers.person", "company": "customers.company"}


class FindSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["person", "company"], default="person")


class PairListSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["person", "company"], default="person")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    min_score = serializers.IntegerField(required=False, min_value=0, max_value=100, allow_null=True, default=None)
    after = serializers.IntegerField(required=False, min_value=0, allow_null=True, default=None)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=200, default=PAGE)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        codes = dict(reason_choices(attrs["kind"]))
        if attrs["reason"] and attrs["reason"] not in codes:
            raise serializers.ValidationError({"reason": [f"one of: {', '.join(codes)}"]})
        return attrs


class PairSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["person", "company"])
    a = serializers.IntegerField(min_value=1)
    b = serializers.IntegerField(min_value=1)


def _record(kind: str, record: Any) -> dict[str, Any]:
    return {
        "id": record.pk,
        "name": str(record),
        "customer_number": record.customer_number,
        "url": reverse(f"customers:{kind}_detail", args=[record.pk]),
        "api_url": reverse(f"{kind}-detail", args=[record.pk]),
    }


def _require(request: Request, kind: str, action: str) -> None:
    if level_for(request_user(request), RT[kind], action) == Level.NONE:
        raise PermissionDenied()


@extend_schema(
    request=FindSerializer,
    responses={202: serializers.DictField(), 403: ErrorSerializer},
    summary="Start the duplicate finder",
)
@api_view(["POST"])
def duplicates_find(request: Request) -> Response:
    """Starts a job; poll ``url``. When it succeeds, ``GET /api/v1/duplicates/`` pages through its pairs."""
    ser = FindSerializer(data=request.data)
    ser.is_valid(raise_exception=True)
    _require(request, ser.validated_data["kind"], Action.READ)
    job = duplicates_find_start(actor=request_user(request), kind=ser.validated_data["kind"])
    body = {"job": str(job.pk), "url": reverse("job-detail", args=[job.pk]), "title": job.title}
    return Response(body, status=status.HTTP_202_ACCEPTED)


@extend_schema(
    parameters=[
        OpenApiParameter("kind", str, enum=["person", "company"]),
        OpenApiParameter("reason", str, description="only pairs with this reason (a rule code: phone, email, …)"),
        OpenApiParameter("min_score", int, description="only pairs scoring at least this (0–100)"),
        OpenApiParameter("after", int, description="the `next_after` of the previous page"),
        OpenApiParameter("limit", int, description="pairs per page, 1–200 (default 50)"),
    ],
    responses={200: serializers.DictField(), 400: ErrorSerializer, 404: ErrorSerializer},
    summary="The duplicate finder's pairs, strongest first",
)
@api_view(["GET"])
def duplicates_list(request: Request) -> Response:
    """The pairs of your newest finished duplicate-finder run, strongest first, keyset-paged: pass the
    answer's ``next_after`` as ``after`` (``null``: the last page). Pairs marked "not a duplicate" are left
    out. Until a run has finished: ``job`` null and no results."""
    ser = PairListSerializer(data=request.query_params)
    ser.is_valid(raise_exception=True)
    data = ser.validated_data
    kind = data["kind"]
    _require(request, kind, Action.READ)
    job = latest_finder_job(request_user(request), kind)
    if job is None:  # no run has finished yet: POST /api/v1/duplicates/find/
        return Response({"job": None, "finished_at": None, "count": 0, "next_after": None, "results": []})
    page = duplicate_pairs_page(
        request_user(request),
        job,
        reason=data["reason"],
        min_score=data["min_score"],
        after=data["after"],
        limit=data["limit"],
    )
    labels = dict(reason_choices(kind))
    return Response(
        {
            "job": str(job.pk),
            "finished_at": job.finished_at,
            "count": job.result.get("count", 0),
            "next_after": page.next_after,
            "results": [
                {
                    "a": _record(kind, row.a),
                    "b": _record(kind, row.b),
                    "score": row.pair.score,
                    "reasons": [{"code": code, "label": labels.get(code, code)} for code in row.pair.codes],
                    "merge_url": reverse("customers:merge", args=[kind, row.a.pk, row.b.pk]),
                }
                for row in page.rows
            ],
        }
    )


@extend_schema(
    request=PairSerializer,
    responses={201: serializers.DictField(), 403: ErrorSerializer, 404: ErrorSerializer},
    summary='Mark a pair "not a duplicate"',
)
@api_view(["POST"])
def not_duplicate_create(request: Request) -> Response:
    """The finder never proposes records ``a`` and ``b`` as duplicates again (marking twice is once).
    Needs the right to change both records."""
    ser = PairSerializer(data=request.data)
    ser.is_valid(raise_exception=True)
    mark = duplicate_dismiss(actor=request_user(request), **ser.validated_data)
    body = {"kind": mark.kind, "a": mark.low, "b": mark.high, "at": mark.at}
    return Response(body, status=status.HTTP_201_CREATED)


@extend_schema(
    request=PairSerializer,
    responses={200: serializers.DictField(), 403: ErrorSerializer, 404: ErrorSerializer},
    summary='Undo "not a duplicate"',
)
@api_view(["POST"])
def not_duplicate_undo(request: Request) -> Response:
    """The pair may be proposed again. ``undone`` is false when it was not marked."""
    ser = PairSerializer(data=request.data)
    ser.is_valid(raise_exception=True)
    undone = duplicate_undismiss(actor=request_user(request), **ser.validated_data)
    return Response({"undone": undone})
