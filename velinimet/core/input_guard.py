"""Input the databases cannot hold, refused at the edge with a 400 instead of failing deep inside as a 500.

- **NUL characters.** PostgreSQL text and JSON columns cannot hold U+0000 (psycopg refuses the query), so a
  NUL anywhere in a query parameter, a form value or a JSON string would reach the database as a 500 on one
  engine and be stored on the other. ``NulCharacterMiddleware`` refuses every request carrying one, on every
  surface: JSON for ``/api/``, a 400 page elsewhere. No legitimate input holds a NUL.
- **Integers beyond 64 bits.** SQLite raises ``OverflowError`` for an integer past ±2⁶³ (PostgreSQL's bigint
  has the same bounds); ``parse_int()`` is the one check for ids and numeric filters read from a request,
  and ``DB_INT_MIN``/``DB_INT_MAX`` bound serializer fields and page cursors.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

DB_INT_MIN = -(2**63)
DB_INT_MAX = 2**63 - 1

# "\u0000" in a JSON text, not preceded by an escaped backslash ("\\u0000" is the six characters \u0000).
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
_JSON_TYPES = ("application/json", "application/merge-patch+json")


def parse_int(raw: Any, *, field: str, minimum: int = DB_INT_MIN, maximum: int = DB_INT_MAX) -> int:
    """``raw`` (a query parameter, a path part) as an integer the database can compare; else a 400 on ``field``."""
    from rest_framework.exceptions import ValidationError

    try:
        value = int(str(raw).strip())
    except ValueError as exc:
        raise ValidationError({field: [_("Give a whole number.")]}) from exc
    if not minimum <= value <= maximum:
        raise ValidationError({field: [_("Give a whole number.")]})
    return value


def _nul_field(request: HttpRequest) -> str | None:
    """The name of the first query parameter, form field or JSON body that holds a NUL, if any."""
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in v for v in values):
            return key.replace("\x00", "") or "query"
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    content_type = request.content_type or ""
    if content_type in _JSON_TYPES or content_type.endswith("+json"):
        body = request.body  # already capped by BodySizeLimitMiddleware; cached for the view
        if b"\x00" in body or _JSON_NUL.search(body):
            return "body"
    elif content_type == "application/x-www-form-urlencoded":
        for key, values in request.POST.lists():
            if "\x00" in key or any("\x00" in v for v in values):
                return key.replace("\x00", "") or "body"
    return None  # multipart: its text fields go through form fields, which refuse NUL themselves


class NulCharacterMiddleware:
    """Refuse a request with a NUL character in a query parameter, form value or JSON string (400)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field = _nul_field(request)
        if field is None:
            return self.get_response(request)
        message = _("Null characters are not allowed.")
        if request.path.startswith("/api/"):
            body = {"message": message, "code": "nul_character", "errors": {field: [message]}}
            return JsonResponse(body, status=400)
        return render(request, "400.html", {"message": message}, status=400)
