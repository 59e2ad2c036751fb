""" "Forgot password": a signed, expiring, one-time link sent by e-mail, and setting a new password with it.

The answer never says whether an account exists (the same page for a match, no match and an inactive user),
and requests are limited per typed name and per client address. The link's token is Django's
``PasswordResetTokenGenerator``: it signs the user's id, password hash and last login with the secret key, so
it stops working once the password changes (one-time) and after ``PASSWORD_RESET_TIMEOUT``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from velinimet.core import audit

from .exceptions import DomainError
from .login_audit import client_ip
from .models import User, name_key
from .services import check_password

_HOUR = 3600


class TooManyRequests(DomainError):
    code = "too_many_requests"
    status = 429


def _over_limit(key: str, limit: int) -> bool:
    """Count one request under ``key`` for an hour; whether it is past ``limit``. The cache is shared by
    every web process when scaled out (Redis), per process when embedded (one process)."""
    cache.add(key, 0, _HOUR)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, _HOUR)
        count = 1
    return count > limit


def _find_user(identifier: str) -> User | None:
    """The active user with this username (as the login reads it) or e-mail address, who has a password."""
    identifier = identifier.strip()
    if "@" in identifier:
        user = User.objects.filter(email__iexact=identifier, is_active=True).first()
    else:
        try:
            user = User.objects.get_by_natural_key(identifier)
        except User.DoesNotExist:
            user = None
    if user is None or not user.is_active or not user.email or not user.has_usable_password():
        return None
    return user


def reset_link(request: HttpRequest, user: User) -> str:
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{settings.BASE_URL}{path}" if settings.BASE_URL else request.build_absolute_uri(path)


def password_reset_request(*, request: HttpRequest, identifier: str) -> None:
    """Send a reset link to the account named by ``identifier`` (username or e-mail), if there is one.

    Returns the same way whether or not there is (the caller shows one answer); raises ``TooManyRequests``
    past the limits, which count every request, matching or not."""
    identifier = (identifier or "").strip()[:254]
    ip = client_ip(request)
    if _over_limit(f"pwreset:name:{name_key(identifier)}", settings.PASSWORD_RESET_PER_NAME_PER_HOUR) or (
        ip and _over_limit(f"pwreset:ip:{ip}", settings.PASSWORD_RESET_PER_IP_PER_HOUR)
    ):
        raise TooManyRequests(_("Too many password reset requests. Try again in an hour."))
    user = _find_user(identifier)
    if user is None:
        return
    with translation.override(user.language):
        context = {"user": user, "link": reset_link(request, user), "minutes": settings.PASSWORD_RESET_TIMEOUT // 60}
        subject = _("Reset your Velinimet password")
        body = render_to_string("accounts/password_reset_email.txt", context)
    send_mail(subject, body, None, [user.email])
    audit.log_action(
        actor=None, instance=user, code="accounts.user.password_reset_requested", kind="other", data={"ip": ip}
    )


def user_for_reset_link(uidb64: str, token: str) -> User | None:
    """The user a reset link is for, while it is valid (signed, unused, not expired), else None."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


@transaction.atomic
def password_reset_complete(*, user: User, token: str, password: str, request: HttpRequest | None = None) -> User:
    """Set ``user``'s new password through a valid reset link (the password rules apply); the link then stops
    working, and every session of the user ends (their stored password hash no longer matches)."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if not default_token_generator.check_token(locked, token):
        raise DomainError(_("This link has expired or was already used. Ask for a new one."), code="invalid_link")
    check_password(password, locked)
    locked.set_password(password)
    locked.save(update_fields=["password"])
    audit.log_action(
        actor=locked,
        instance=locked,
        code="accounts.user.password_reset",
        kind="update",
        data={"ip": client_ip(request)},
    )
    return locked
