"""The audit log's record of logins: each login, each failed login (with the username as typed, never the
password) and each lockout, with the client's IP address.

Django's ``user_logged_in`` and ``user_login_failed`` signals call these
(``AccountsConfig.ready`` connects them), so every page that checks a password through ``authenticate()``
(the login, the 2FA step's ``login()``, the password change's old password) is recorded in one place.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from velinimet.core import audit
from velinimet.core.models import AuditEntry

from . import lockout
from .models import User

#: Typed usernames are stored as typed, cut to the username column's length.
_USERNAME_CHARS = 150


def client_ip(request: HttpRequest | None) -> str:
    """The client's address as the lockout counts it (axes' own resolution), or "" without a request."""
    if request is None:
        return ""
    ip = getattr(request, "axes_ip_address", None)
    if not ip:
        from axes.helpers import get_client_ip_address

        ip = get_client_ip_address(request)
    return str(ip or "")


def _user_named(typed: str) -> User:
    """The user the typed name logs in as, or an unsaved stand-in carrying the name (no such user)."""
    try:
        return User.objects.get_by_natural_key(typed)
    except User.DoesNotExist:
        return User(username=typed)


def login_recorded(*, request: HttpRequest | None, user: User) -> AuditEntry:
    """``user`` logged in (after the second factor, when they have one)."""
    return audit.log_action(
        actor=user,
        instance=user,
        code="accounts.user.logged_in",
        kind=AuditEntry.Action.LOGIN,
        data={"ip": client_ip(request)},
    )


def login_failed_recorded(*, request: HttpRequest | None, username: str) -> AuditEntry:
    """A password check failed for the name ``username`` (typed; it may be nobody's)."""
    typed = (username or "")[:_USERNAME_CHARS]
    return audit.log_action(
        actor=None,
        instance=_user_named(typed),
        code="accounts.user.login_failed",
        kind=AuditEntry.Action.OTHER,
        data={"username": typed, "ip": client_ip(request)},
    )


def lockout_recorded(*, request: HttpRequest | None, username: str) -> AuditEntry:
    """The failure that reached the limit locked the name and address out."""
    typed = (username or "")[:_USERNAME_CHARS]
    return audit.log_action(
        actor=None,
        instance=_user_named(typed),
        code="accounts.user.locked_out",
        kind=AuditEntry.Action.OTHER,
        data={"username": typed, "ip": client_ip(request)},
    )


# --- signal receivers: each one call above --------------------------------------------------------
def on_user_logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    login_recorded(request=request, user=user)


def on_user_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """Runs after axes' receiver, which has counted this failure and set the request's lockout state."""
    typed = credentials.get("username")
    if not isinstance(typed, str):
        return
    login_failed_recorded(request=request, username=typed)
    if request is not None and lockout.locked_out_now(request):
        lockout_recorded(request=request, username=typed)
