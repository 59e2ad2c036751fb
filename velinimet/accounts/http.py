"""Request types for annotations: views behind login_required see a real user and django-htmx's details."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from velinimet.core import http

if TYPE_CHECKING:
    from .models import User


class AuthedRequest(http.AuthedRequest):
    user: User  # type: ignore[assignment]


def request_user(request: Any) -> User:
    """The authenticated user of a DRF or Django request (permission classes already required one)."""
    return cast("User", request.user)
