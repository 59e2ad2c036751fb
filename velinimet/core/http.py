"""Request types for annotations: views behind login_required see a real user and django-htmx's details."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from velinimet.accounts.models import User


class AuthedRequest(HttpRequest):
    user: User  # type: ignore[assignment]
    htmx: HtmxDetails


def request_user(request: Any) -> User:
    """The authenticated user of a DRF or Django request (permission classes already required one)."""
    return cast("User", request.user)
