"""Recording a ringing call reported by the phone system."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from velinimet.core.visibility import Level, level_for
from velinimet.customers.models import Company, IncomingCall, Person
from velinimet.customers.selectors.caller import caller_lookup

if TYPE_CHECKING:
    from velinimet.accounts.models import User


def call_incoming(*, actor: User, number: str, extension: str) -> IncomingCall:
    """Record a ringing call for the user at ``extension``; the caller is recognised with *that* user's visibility."""
    if level_for(actor, "accounts.user", "update") < Level.ALL:
        # Reporting a call makes a screen-pop appear for any user: only an administrator's token may do it
        # (give the phone system its own administrator account and token).
        from velinimet.core.exceptions import NotAllowed

        raise NotAllowed(_("This account may not report calls."))
    user = get_user_model().objects.filter(extension=extension.strip(), is_active=True).first()
    record = caller_lookup(user, number) if user is not None else None
    return IncomingCall.objects.create(
        user=user,
        extension=extension.strip(),
        number=number.strip(),
        person=record if isinstance(record, Person) else None,
        company=record if isinstance(record, Company) else None,
    )
