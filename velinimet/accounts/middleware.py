"""Per-user language and time zone, and the per-role two-factor requirement."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext


def activate_preferences(user: Any) -> None:
    """Activate ``user``'s language and time zone for the rest of this request."""
    if user.language:
        translation.activate(user.language)
    try:
        timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        timezone.deactivate()


class UserPreferencesMiddleware:
    """Activate the logged-in user's language and time zone (before login, LocaleMiddleware decides)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            activate_preferences(user)
            request.LANGUAGE_CODE = translation.get_language()
        else:
            timezone.deactivate()
        return self.get_response(request)


class TwoFactorEnforcementMiddleware:
    """A user whose role requires 2FA must enrol (or verify) before using any page or the session API."""

    exempt_prefixes = ("/static/", "/login/", "/logout/", "/i18n/", "/settings/two-factor/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.role_id is not None
            and user.role.require_2fa
            and not user.is_verified()
            and not request.path.startswith(self.exempt_prefixes)
        ):
            if request.path.startswith("/api/"):
                message = gettext("Your role requires two-factor login: set it up in the web interface first.")
                return JsonResponse({"message": message, "code": "two_factor_required", "errors": {}}, status=403)
            return redirect(reverse("accounts:two_factor"))
        return self.get_response(request)
