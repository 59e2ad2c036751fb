"""TOTP two-factor login with django-otp: enrol with a QR code, confirm with a code, remove."""

from __future__ import annotations

from typing import Any

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from velinimet.core import audit

from .exceptions import DomainError, InvalidField
from .models import User


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
def totp_confirm(*, user: User, token: str) -> TOTPDevice:
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
    return device


@transaction.atomic
def totp_disable(*, actor: User, user: User) -> None:
    if user.role is not None and user.role.require_2fa:
        raise DomainError(_("Your role requires two-factor login."), code="two_factor_required")
    TOTPDevice.objects.filter(user=user).delete()
    audit.log_action(actor=actor, instance=user, code="accounts.user.two_factor_removed", kind="update")
