"""The login lockout (django-axes) counts failures per user, not per typed string.

``AXES_USERNAME_CALLABLE`` points here: every failure and every lockout check is keyed by
``name_key`` of the typed username, the same key the login uses to find the user, so "AYŞE",
"ayşe" and "aYşE" fill one counter. Every page that checks a password goes through
``authenticate()``, so its failures count and a locked-out account is refused there too.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from velinimet.core import audit
from velinimet.core.visibility import Level, can, level_for

from .exceptions import NotAllowed
from .models import User, name_key

if TYPE_CHECKING:
    from velinimet.accounts.models import User


def lockout_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """The username axes counts a failure under: the typed name's ``name_key``."""
    field = "username"  # the login form's field and authenticate()'s keyword
    if credentials:
        typed = credentials.get(field)
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        typed = data.get(field) if hasattr(data, "get") else None
    if not isinstance(typed, str):
        return None
    return name_key(typed)


def password_is_right(request: HttpRequest, user: User, password: str) -> bool:
    """Whether ``password`` is ``user``'s, checked through the login backends so that a wrong one
    counts towards the lockout; after the limit it is refused even when right
    (``request.axes_locked_out`` is then set and the lockout page is the answer)."""
    return authenticate(request, username=user.get_username(), password=password) is not None


def is_locked_out(request: HttpRequest) -> bool:
    return bool(getattr(request, "axes_locked_out", False))


def locked_out_now(request: HttpRequest) -> bool:
    """Whether the failure just counted started a lockout (after axes' ``user_login_failed`` receiver).

    While a lockout lasts, every further attempt is refused and counted too (restarting the cool-off), so the
    lockout starts at the failure whose count is the limit, not at each one after it."""
    failures = getattr(request, "axes_failures_since_start", None)
    return is_locked_out(request) and failures == settings.AXES_FAILURE_LIMIT


def _attempts(user: User) -> Any:
    from axes.models import AccessAttempt

    return AccessAttempt.objects.filter(username=name_key(user.get_username()))


def is_user_locked_out(user: User) -> bool:
    """Whether ``user`` is locked out from some address now (the limit reached within the cool-off)."""
    since = timezone.now() - datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    return (
        _attempts(user).filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since).exists()
    )


@transaction.atomic
def lockout_lift(*, actor: User, user: User) -> int:
    """An administrator lifts ``user``'s login lockout: their failures are forgotten from every address.
    Returns how many addresses had failures."""
    if not can(actor, user, "update") or level_for(actor, "accounts.user", "update") < Level.ALL:
        raise NotAllowed(_("Only administrators can lift a login lockout."))
    attempts = _attempts(user)
    count = attempts.count()
    attempts.delete()
    audit.log_action(
        actor=actor, instance=user, code="accounts.user.lockout_lifted", kind="update", data={"addresses": count}
    )
    return count
