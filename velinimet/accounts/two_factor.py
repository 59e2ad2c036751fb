"""Two-factor login with django-otp: TOTP enrolled with a QR code and confirmed with a code, one-time backup
codes for a lost phone, and an administrator's reset.

Backup codes live in django-otp's static device, one ``StaticToken`` per code, but the token column holds a
hash of the code (``backup_code_hash``), never the code: a copy of the database logs nobody in. So a code is
only ever checked through ``verify_login_code`` (which hashes it first), never with django-otp's
``match_token``, which would compare the typed text with the stored hash.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from typing import Any

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from velinimet.core import audit
from velinimet.core.visibility import Level, can, level_for

from .exceptions import DomainError, InvalidField, NotAllowed
from .models import User

#: How many backup codes a user gets, and their letters: no 0/o, 1/l/i to misread; 10 letters of 31 carry
#: 49 bits, far beyond guessing through the login's throttling (django-otp's, on each device).
BACKUP_CODE_COUNT = 10
BACKUP_CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
BACKUP_CODE_LENGTH = 10
_BACKUP_DEVICE_NAME = "backup"


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def totp_start(*, user: User) -> TOTPDevice:
    """A fresh unconfirmed device (earlier unconfirmed ones are dropped)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="default", confirmed=False)


def pending_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


def qr_svg(device: TOTPDevice) -> SafeString:
    """The enrolment QR code as inline SVG (generated here, so safe to mark as such)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    svg: Any = image.to_string(encoding="unicode")
    return mark_safe(svg)  # noqa: S308 - our own generated markup, no user input


@transaction.atomic
def totp_confirm(*, user: User, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending device. Turning two-factor login on (not moving it to a new phone) also makes the
    first backup codes, returned once (an empty list when the user already has codes)."""
    device = pending_device(user)
    if device is None:
        raise DomainError(_("Start the set-up again."), code="no_pending_device")
    token = "".join((token or "").split())
    if not token.isdigit() or not device.verify_token(token):
        raise InvalidField("token", _("The code is not valid. Check your phone's clock and try again."))
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit.log_action(actor=user, instance=user, code="accounts.user.two_factor_enabled", kind="update")
    codes = [] if backup_codes_left(user) else _do_backup_codes_generate(actor=user, user=user)
    return device, codes


@transaction.atomic
def totp_disable(*, actor: User, user: User) -> None:
    if user.role is not None and user.role.require_2fa:
        raise DomainError(_("Your role requires two-factor login."), code="two_factor_required")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit.log_action(actor=actor, instance=user, code="accounts.user.two_factor_removed", kind="update")


@transaction.atomic
def two_factor_reset(*, actor: User, user: User) -> None:
    """An administrator removes a user's authenticator and backup codes (a lost phone). A user whose role
    requires two-factor login sets it up again at their next login."""
    if not can(actor, user, "update") or level_for(actor, "accounts.user", "update") < Level.ALL:
        raise NotAllowed(_("Only administrators can reset other users' two-factor login."))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit.log_action(actor=actor, instance=user, code="accounts.user.two_factor_reset", kind="update")


def has_two_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


# --- backup codes ---------------------------------------------------------------------------------
def normalize_backup_code(text: str) -> str:
    """A code as typed ("Abc2D-eFgh3", with spaces or dashes) in its stored letters."""
    return "".join(ch for ch in (text or "").lower() if ch not in " -\t")


def backup_code_hash(code: str) -> str:
    """What is stored for a code: SHA-256, base64, cut to the token column's 16 characters (96 bits).

    A plain hash, like API tokens': the codes are random, so there is nothing for a salt to protect."""
    digest = hashlib.sha256(normalize_backup_code(code).encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()[:16]


def _new_code() -> str:
    letters = "".join(secrets.choice(BACKUP_CODE_ALPHABET) for _ in range(BACKUP_CODE_LENGTH))
    return f"{letters[:5]}-{letters[5:]}"


def is_backup_code_shape(text: str) -> bool:
    code = normalize_backup_code(text)
    return len(code) == BACKUP_CODE_LENGTH and all(ch in BACKUP_CODE_ALPHABET for ch in code)


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=_BACKUP_DEVICE_NAME).count()


def _do_backup_codes_generate(*, actor: User, user: User) -> list[str]:
    """Replace ``user``'s backup codes with new ones; returns them (the only time they are readable).
    Precondition: in a transaction, permission checked."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_BACKUP_DEVICE_NAME, confirmed=True)
    codes = [_new_code() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=backup_code_hash(code)) for code in codes])
    audit.log_action(
        actor=actor,
        instance=user,
        code="accounts.user.backup_codes_generated",
        kind="update",
        data={"count": BACKUP_CODE_COUNT},
    )
    return codes


@transaction.atomic
def backup_codes_generate(*, user: User) -> list[str]:
    """A user with two-factor login makes new backup codes; the old ones stop working."""
    if not has_two_factor(user):
        raise DomainError(_("Turn on two-factor login first."), code="two_factor_off")
    return _do_backup_codes_generate(actor=user, user=user)


@transaction.atomic
def verify_login_code(*, user: User, code: str) -> Device | None:
    """The device that accepts ``code`` at the login's second step: the authenticator's six digits, or one
    of the backup codes, which then stops working. Both are throttled by django-otp after failures."""
    code = (code or "").strip()
    digits = "".join(code.split())
    if digits.isdigit():
        device = confirmed_device(user)
        return device if device is not None and device.verify_token(digits) else None
    if not is_backup_code_shape(code):
        return None
    backup = StaticDevice.objects.select_for_update().filter(user=user, name=_BACKUP_DEVICE_NAME).first()
    if backup is None or not backup.verify_token(backup_code_hash(code)):  # deletes the matching token
        return None
    left = backup_codes_left(user)
    audit.log_action(
        actor=user, instance=user, code="accounts.user.backup_code_used", kind="update", data={"left": left}
    )
    return backup
