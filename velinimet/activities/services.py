"""Every write to the timeline: log, change and delete activities (UI, API, demo and imports call these)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from velinimet.accounts.services import check_owner
from velinimet.core import audit, limits
from velinimet.core.exceptions import DomainError, Errors, NotAllowed, check_version
from velinimet.core.visibility import Action, Level, can, can_create, level_for
from velinimet.customers.models import Company, Person

from .models import Activity, Direction, Kind

if TYPE_CHECKING:
    from velinimet.accounts.models import User


RECORD_TYPE = "activities.activity"
FIELDS = ("kind", "direction", "subject", "body", "occurred_at", "duration_minutes")
EARLIEST = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)
LATEST = datetime.datetime(2200, 1, 1, tzinfo=datetime.UTC)
MAX_MINUTES = 7 * 24 * 60


def _clean(values: dict[str, Any], errors: Errors, *, creating: bool) -> dict[str, Any]:
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    clean: dict[str, Any] = {}
    if "kind" in values or creating:
        kind = values.get("kind") or Kind.NOTE
        if kind not in Kind.values:
            errors.add("kind", _("Choose one of: %(choices)s") % {"choices": ", ".join(Kind.values)})
        clean["kind"] = kind
    if "direction" in values:
        direction = values["direction"] or ""
        if direction not in Direction.values:
            errors.add("direction", _("Choose incoming, outgoing or nothing."))
        clean["direction"] = direction
    if "subject" in values or creating:
        subject = " ".join(str(values.get("subject") or "").split())
        if not subject:
            errors.add("subject", _("Write what this activity was about."))
        elif len(subject) > 200:
            errors.add("subject", _("Keep the subject under 200 characters; put the rest in the details."))
        clean["subject"] = subject
    if "body" in values:
        clean["body"] = str(values["body"] or "").replace("\r\n", "\n").strip()  # browsers send CRLF
        if message := limits.length_error(clean["body"], limits.NOTES):
            errors.add("body", message)
    if "occurred_at" in values or creating:
        at = values.get("occurred_at") or timezone.now()
        if not isinstance(at, datetime.datetime):
            errors.add("occurred_at", _("Enter a date and time."))
        else:
            if timezone.is_naive(at):
                at = timezone.make_aware(at)
            if not EARLIEST <= at < LATEST:
                errors.add("occurred_at", _("Enter a date between 1900 and 2199."))
        clean["occurred_at"] = at
    if "duration_minutes" in values:
        minutes = values["duration_minutes"]
        if minutes in ("", None):
            minutes = None
        else:
            try:
                minutes = int(minutes)
            except (TypeError, ValueError):
                minutes = -1
            if not 0 <= minutes <= MAX_MINUTES:
                errors.add("duration_minutes", _("Enter whole minutes between 0 and 10080 (a week)."))
        clean["duration_minutes"] = minutes
    return clean


def _customer_readable(actor: User, record: Person | Company | None) -> None:
    if record is not None and (record.deleted_at is not None or not can(actor, record, Action.READ)):
        raise NotAllowed(_("You may not add activities to this customer."))


@transaction.atomic
def activity_log(
    *,
    actor: User,
    person: Person | None = None,
    company: Company | None = None,
    owner: Any = None,
    **fields: Any,
) -> Activity:
    """Log an activity with ``person`` and/or ``company`` (either the user may read)."""
    errors = Errors()
    if person is None and company is None:
        errors.add("person", _("Choose the person or the company this activity was with."))
    values = _clean(fields, errors, creating=True)
    errors.check()
    _customer_readable(actor, person)
    _customer_readable(actor, company)
    if person is not None and company is None:
        # An activity with a person is also one with the company they work for: the company's timeline
        # then shows its people's calls and visits too.
        primary = person.employments.filter(is_primary=True).select_related("company").first()
        company = primary.company if primary and primary.company.deleted_at is None else None
    owner = owner or actor
    team = getattr(owner, "team", None)
    if level_for(actor, RECORD_TYPE, Action.CREATE) == Level.NONE:
        raise NotAllowed(_("Your role may not log activities."))
    if not can_create(actor, RECORD_TYPE, owner_id=owner.pk, team_id=team.pk if team else None):
        raise NotAllowed(_("You may not log activities for that user."))
    check_owner(owner, RECORD_TYPE)
    activity = Activity.objects.create(person=person, company=company, owner=owner, team=team, **values)
    audit.audit_create(actor=actor, instance=activity)
    return activity


@transaction.atomic
def activity_update(*, actor: User, activity: Activity, version: int | None = None, **fields: Any) -> Activity:
    """Change an activity (the subject, the details, the date…); refused if someone saved it meanwhile."""
    if not can(actor, activity, Action.UPDATE):
        raise NotAllowed(_("You may not change this activity."))
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    check_version(locked, version)
    errors = Errors()
    values = _clean(fields, errors, creating=False)
    errors.check()
    before = audit.snapshot(locked)
    for key, value in values.items():
        setattr(locked, key, value)
    locked.version += 1
    locked.save()
    audit.audit_update(actor=actor, instance=locked, before=before)
    return locked


@transaction.atomic
def activity_delete(*, actor: User, activity: Activity) -> None:
    if not can(actor, activity, Action.DELETE):
        raise NotAllowed(_("You may not delete this activity."))
    audit.audit_delete(actor=actor, instance=activity)
    activity.delete()
