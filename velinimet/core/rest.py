"""API plumbing shared by every app: one error shape, cursor pagination, visibility-aware viewsets.

Kept apart from the viewsets: DRF imports the pagination and exception handler named in settings
while its own modules load, so this module must not import rest_framework.viewsets/generics.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, pagination, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from velinimet.core.http import request_subject

from .exceptions import DomainError, from_validation_error
from .input_guard import DB_INT_MAX, DB_INT_MIN
from .visibility import get_for_user


class CursorPagination(pagination.CursorPagination):
    """Keyset pagination: page 5,000 costs the same as page 1."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "-pk"

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        self._model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request: Any) -> Any:
        """A cursor that does not decode, or whose position is not a value of the ordering column (a
        forged ``p=abc`` or ``p=99999999999999999999``), is a 400 on ``cursor``, not a 404 or a 500."""
        invalid = exceptions.ValidationError({self.cursor_query_param: [_("This page link is not valid.")]})
        try:
            cursor = super().decode_cursor(request)
        except exceptions.NotFound as exc:
            raise invalid from exc
        if cursor is None or cursor.position is None:
            return cursor
        name = (self.ordering[0] if isinstance(self.ordering, list | tuple) else self.ordering).lstrip("-")
        field = self._model._meta.pk if name == "pk" else self._model._meta.get_field(name)
        try:
            value = field.to_python(cursor.position)
        except DjangoValidationError as exc:
            raise invalid from exc
        if isinstance(value, int) and not DB_INT_MIN <= value <= DB_INT_MAX:
            raise invalid
        if "\x00" in str(cursor.position):
            raise invalid
        return cursor


class DateTimeField(serializers.DateTimeField):
    """A time in RFC 3339, which OpenAPI's ``date-time`` means: in the reader's time zone, except where that
    zone's offset then had seconds (Istanbul before 1910: +01:56:56, Baku before 1924), which RFC 3339 cannot
    write; such a time is given in UTC."""

    def to_representation(self, value: Any) -> Any:
        import datetime

        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            local = self.enforce_timezone(value)
            offset = local.utcoffset()
            if offset is not None and (offset.seconds % 60 or offset.microseconds):
                return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
        return super().to_representation(value)


def _flatten(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            if isinstance(value, dict):
                for sub, msgs in _flatten(value).items():
                    out[f"{key}.{sub}"] = msgs
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                for i, item in enumerate(value):
                    for sub, msgs in _flatten(item).items():
                        out[f"{key}.{i}.{sub}"] = msgs
            else:
                out[str(key)] = [str(v) for v in (value if isinstance(value, list) else [value])]
        return out
    if isinstance(detail, list):
        return {"non_field_errors": [str(v) for v in detail]}
    return {}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every API error as ``{"message", "code", "errors"}`` with the right status."""
    if isinstance(exc, DjangoValidationError):
        exc = from_validation_error(exc)
    if isinstance(exc, DomainError):
        body = {"message": exc.message, "code": exc.code, "errors": exc.errors, **exc.extra}
        return Response(body, status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        first = next(iter(errors.values()), [str(exc)])
        message = first[0] if first else str(exc)
        response.data = {"message": message, "code": "invalid", "errors": errors}
    elif isinstance(exc, exceptions.APIException):
        detail = exc.detail
        message = str(detail) if not isinstance(detail, dict | list) else str(exc.default_detail)
        response.data = {"message": message, "code": getattr(detail, "code", None) or exc.default_code, "errors": {}}
    return response


class ErrorSerializer(serializers.Serializer):
    """The one error shape of the API (documentation only)."""

    message = serializers.CharField()
    code = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))  # type: ignore[assignment]


class VisibleViewSetMixin:
    """``get_object()`` through the one visibility helper: 404 when hidden, 403 when read-only."""

    record_type: str
    #: the access level a viewset's own ``@action`` needs on its record (``{"complete": "update"}``)
    object_actions: dict[str, str] = {}  # noqa: RUF012 - read only

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        """Listing a record type the user may not read at all is a 403 (an empty list would hide that)."""
        from .visibility import can_read_type

        if not can_read_type(request_subject(request), self.record_type):
            raise exceptions.PermissionDenied()
        return super().list(request, *args, **kwargs)  # type: ignore[misc]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        """After authentication and permissions: a create (POST to the list) runs through
        ``core.idempotency`` (one transaction building its answer; ``Idempotency-Key`` replays), whichever
        ``create`` the viewset defines. DRF looks the handler up on the instance after ``initial()``."""
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        if getattr(self, "action", None) == "create":
            from .idempotency import idempotent

            self.post = idempotent(self.create)  # type: ignore[attr-defined]

    def get_object(self) -> Any:
        view: Any = self
        actions = {"update": "update", "partial_update": "update", "destroy": "delete", **self.object_actions}
        action = actions.get(view.action or "", "read")
        queryset = view.filter_queryset(view.get_queryset())
        obj = get_for_user(queryset, view.request.user, view.kwargs["pk"], action=action)
        return obj
