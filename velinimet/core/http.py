"""Request types for annotations in the kernel: a logged-in request's user is an ``AccessSubject``.

Apps use ``accounts.http.AuthedRequest``, whose user is the real ``accounts.User``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from .visibility import AccessSubject


class AuthedRequest(HttpRequest):
    user: AccessSubject  # type: ignore[assignment]
    htmx: HtmxDetails


def request_subject(request: Any) -> AccessSubject:
    """The authenticated user of a DRF or Django request (permission classes already required one)."""
    return cast("AccessSubject", request.user)
