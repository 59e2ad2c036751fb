"""Refuse oversized request bodies before anything reads them."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .transfer import body_limit, error_response


class BodySizeLimitMiddleware:
    """413 for a declared body past ``transfer.body_limit`` (the same rule the ASGI guard applies first),
    in the language the client asks for, in the API's error shape under /api/."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_limit(request.path)
        if length > limit:

            def message() -> str:
                return _("The request is too large (%(size)s bytes; the limit is %(limit)s).") % {
                    "size": length,
                    "limit": limit,
                }

            return error_response(request, message, "request_too_large", 413)
        return self.get_response(request)
