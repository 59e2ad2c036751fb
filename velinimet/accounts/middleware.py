"""Per-user language and time zone, the per-role two-factor requirement, session timeouts, no caching."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages.storage import default_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.timesince import timesince
from django.utils.translation import gettext

from . import sessions

if TYPE_CHECKING:
    from velinimet.accounts.models import User


def activate_preferences(user: User) -> None:
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


class NoStoreMiddleware:
    """Every answer to a logged-in user and every API answer is ``Cache-Control: no-store, private``.

    One rule instead of a list of pages with personal data (customer pages, the KVKK export, job
    downloads...): a page forgotten in a list would be kept by a browser or shared proxy cache.
    Static files are served by WhiteNoise before this middleware and keep their long caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(settings.STATIC_URL):
            return response
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") or (user is not None and user.is_authenticated):
            response["Cache-Control"] = "no-store, private"
        return response


class SessionTimeoutMiddleware:
    """Log out a session unused for ``SESSION_IDLE_MINUTES``, or older than ``SESSION_COOKIE_AGE``.

    Django's own expiry slides whenever the session is saved, so the absolute limit is counted here
    from the login. The last-activity time is re-saved at most once a minute (``sessions``), not at
    every request. API calls with a token have no session and are not concerned.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            limit = sessions.check_clocks(request.session)
            if limit is not None:
                return self._logged_out(request, user, limit)
        return self.get_response(request)

    def _logged_out(self, request: HttpRequest, user: User, limit: sessions.Limit) -> HttpResponse:
        activate_preferences(user)  # the message is read in the user's language
        now = timezone.now()
        duration = timesince(now - datetime.timedelta(seconds=limit.seconds), now)
        if limit.kind == "idle":
            message = gettext("You were logged out after %(duration)s without activity.") % {"duration": duration}
        else:
            message = gettext("You were logged out: a session lasts at most %(duration)s.") % {"duration": duration}
        logout(request)
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse(
                {"message": message, "code": "session_expired", "errors": {}}, status=401
            )
            response["WWW-Authenticate"] = 'Token realm="api"'
            return response
        if request.method == "GET":  # back to the page after logging in again, as @login_required does
            response = redirect_to_login(request.get_full_path(), reverse("accounts:login"))
        else:
            response = redirect("accounts:login")
        if request.headers.get("HX-Request"):
            # htmx would swap the login page into a fragment; HX-Redirect makes it load the whole page.
            location = response["Location"]
            response = HttpResponse(status=200)
            response["HX-Redirect"] = location
        storage = default_storage(request)  # MessageMiddleware has not run yet for this request
        storage.add(messages.INFO, message)
        storage.update(response)
        return response
