"""Refuse oversized request bodies before anything reads them."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _


class BodySizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.MAX_IMPORT_BODY if request.path in settings.IMPORT_PATHS else settings.MAX_REQUEST_BODY
        if length > limit:
            message = _("The request is too large (%(size)s bytes; the limit is %(limit)s).") % {
                "size": length,
                "limit": limit,
            }
            if request.path.startswith("/api/"):
                return JsonResponse({"message": message, "code": "request_too_large", "errors": {}}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
