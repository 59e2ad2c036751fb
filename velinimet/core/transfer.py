"""How a request body may be framed: a declared Content-Length within the limit, never chunked.

A WSGI server hands Django a chunked body (``Transfer-Encoding: chunked``, no Content-Length) as an empty
stream, so a form or an API call would be read as empty and answered as if the client sent nothing. Browsers
never send chunked requests, and every HTTP client can send a Content-Length, so such a request is refused
with 411 before anything reads it, under every server. The ASGI guard in ``velinimet.serving`` uses the same
rules to decide, from the headers alone, that a body need not be read at all.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _


def body_limit(path: str) -> int:
    """The most bytes a request body to ``path`` may have (uploads of import files may be larger)."""
    return settings.MAX_IMPORT_BODY if path in settings.IMPORT_PATHS else settings.MAX_REQUEST_BODY


def body_is_refused(path: str, content_length: str | None, transfer_encoding: str | None) -> bool:
    """Whether the request is refused from its headers alone (411 or 413), so its body is never read."""
    if transfer_encoding is not None:
        return True
    try:
        return int(content_length or 0) > body_limit(path)
    except ValueError:
        return False


def error_response(request: HttpRequest, message: Callable[[], str], code: str, status: int) -> HttpResponse:
    """The API's one error shape on API paths, plain text elsewhere, in the language the client asks for.

    Given before the session and locale middlewares run, so the language comes from the language cookie
    or Accept-Language; ``message`` is called with that language active.
    """
    with translation.override(translation.get_language_from_request(request)):
        text = message()
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"message": text, "code": code, "errors": {}}, status=status)
    else:
        response = HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
    response["Content-Length"] = str(len(response.content))
    response["Cache-Control"] = "no-store, private"  # like every other API answer (NoStoreMiddleware runs later)
    return response


class TransferEncodingMiddleware:
    """Refuse a request that declares any Transfer-Encoding (411 Length Required)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "HTTP_TRANSFER_ENCODING" in request.META:
            return error_response(request, _length_required, "length_required", 411)
        return self.get_response(request)


def _length_required() -> str:
    return _("Send the request body with a Content-Length header; chunked bodies are not accepted.")


def body_timeout() -> str:
    return _("The request body arrived too slowly; send it again.")
