"""A person's consents (KVKK/İYS) and the companies they work for."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from velinimet.core import audit, limits
from velinimet.core.exceptions import Errors
from velinimet.core.visibility import Action, can
from velinimet.customers.exceptions import NotAllowed
from velinimet.customers.models import (
    Channel,
    Company,
    Consent,
    Employment,
    Person,
)
from velinimet.customers.services.validation import (
    _check_length,
)

if TYPE_CHECKING:
    from velinimet.accounts.models import User


# --- consent --------------------------------------------------------------------------------
@transaction.atomic
def consent_record(
    *,
    actor: User,
    person: Person,
    channel: str,
    status: str,
    source: str = "",
    evidence: str = "",
    kvkk_text_version: str = "",
    at: datetime.datetime | None = None,
) -> Consent:
    """Append a consent decision; earlier ones stay as history."""
    if not can(actor, person, Action.UPDATE):
        raise NotAllowed(_("You may not change this record."))
    errors = Errors()
    if channel not in Channel.values:
        errors.add("channel", _("Choose e-mail, SMS, phone call or visit."))
    if status not in Consent.Status.values:
        errors.add("status", _("Choose granted or refused."))
    if at is not None and at > timezone.now() + datetime.timedelta(minutes=5):
        errors.add("at", _("A consent cannot be dated in the future."))
    elif at is not None and at.year < 1900:  # a typo (0202 for 2022), and older than any consent law
        errors.add("at", _("A consent cannot be dated before 1900."))
    source, evidence, kvkk_text_version = source.strip(), evidence.strip(), kvkk_text_version.strip()
    _check_length(Consent, "source", source, "source", errors)
    _check_length(Consent, "kvkk_text_version", kvkk_text_version, "kvkk_text_version", errors)
    if message := limits.length_error(evidence, limits.NOTES):
        errors.add("evidence", message)
    errors.check()
    consent = Consent.objects.create(
        person=person,
        channel=channel,
        status=status,
        at=at or timezone.now(),
        source=source,
        evidence=evidence,
        kvkk_text_version=kvkk_text_version,
        recorded_by=actor,
    )
    audit.audit_create(actor=actor, instance=consent)
    return consent


# --- employments ----------------------------------------------------------------------------
@transaction.atomic
def employment_set(
    *, actor: User, person: Person, company: Company, title: str = "", is_primary: bool = False
) -> Employment:
    """Link a person to a company (or change their title there); a person may work at several companies."""
    if not can(actor, person, Action.UPDATE):
        raise NotAllowed(_("You may not change this record."))
    if not can(actor, company, Action.READ) or company.deleted_at is not None:
        raise NotAllowed(_("You may not link to that company."))
    title = " ".join((title or "").split())
    errors = Errors()
    _check_length(Employment, "title", title, "title", errors)
    errors.check()
    employment, created = Employment.objects.get_or_create(person=person, company=company)
    before = audit.snapshot(employment)
    employment.title = title
    if is_primary or not person.employments.exclude(pk=employment.pk).filter(is_primary=True).exists():
        person.employments.exclude(pk=employment.pk).update(is_primary=False)
        employment.is_primary = True
    employment.save()
    if created:
        audit.audit_create(actor=actor, instance=employment)
    else:
        audit.audit_update(actor=actor, instance=employment, before=before)
    return employment


@transaction.atomic
def employment_remove(*, actor: User, employment: Employment) -> None:
    if not can(actor, employment.person, Action.UPDATE):
        raise NotAllowed(_("You may not change this record."))
    audit.audit_delete(actor=actor, instance=employment)
    employment.delete()
