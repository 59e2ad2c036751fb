"""Every write to the timeline: log, change and delete activities (UI, API, demo and imports call these)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from velinimet.accounts.services import check_owner
from velinimet.core import audit, limits
from velinimet.core.exceptions import DomainError, Errors, NotAllowed, check_version
from velinimet.core.visibility import Action, Level, can, can_create, level_for
from velinimet.customers.models import Company, IncomingCall, Person

from . import kinds
from .contacts import contacted
from .models import Activity, Direction, Kind, Priority, Status
from .related import related_check

if TYPE_CHECKING:
    from velinimet.accounts.models import User


RECORD_TYPE = "activities.activity"
FIELDS = (
    "kind", "direction", "subject", "body", "occurred_at", "duration_minutes", "ends_at",
    "status", "priority", "outcome", "details",
)  # fmt: skip
EARLIEST = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)
LATEST = datetime.datetime(2200, 1, 1, tzinfo=datetime.UTC)
MAX_MINUTES = 7 * 24 * 60


def _clean(values: dict[str, Any], errors: Errors, *, creating: bool) -> dict[str, Any]:
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    clean: dict[str, Any] = {}
    if "kind" in values or creating:
        kind = str(values.get("kind") or Kind.NOTE)
        if not kinds.usable(kind):
            choices = ", ".join(value for value, _label in kinds.kind_choices())
            errors.add("kind", _("Choose one of: %(choices)s") % {"choices": choices})
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
    if values.get("ends_at") not in (None, ""):
        _clean_end(values["ends_at"], clean, errors)
    if "status" in values or creating:
        status = values.get("status") or (Status.OPEN if clean.get("kind") == Kind.TASK else Status.DONE)
        if status not in Status.values:
            errors.add("status", _("Choose one of: %(choices)s") % {"choices": ", ".join(Status.values)})
        clean["status"] = status
    if "priority" in values:
        priority = values["priority"] or Priority.NORMAL
        if priority not in Priority.values:
            errors.add("priority", _("Choose one of: %(choices)s") % {"choices": ", ".join(Priority.values)})
        clean["priority"] = priority
    return clean


def _clean_end(end: Any, clean: dict[str, Any], errors: Errors) -> None:
    """``ends_at`` is another way to give the duration: stored as minutes from the start, never before it."""
    start = clean.get("occurred_at")
    if not isinstance(end, datetime.datetime):
        errors.add("ends_at", _("Enter a date and time."))
        return
    if not isinstance(start, datetime.datetime):
        if "occurred_at" not in clean:
            errors.add("ends_at", _("Give the start too when you change the end."))
        return
    if timezone.is_naive(end):
        end = timezone.make_aware(end)
    minutes = (end - start).total_seconds() / 60
    if minutes < 0:
        errors.add("ends_at", _("The end is before the start."))
    elif minutes > MAX_MINUTES:
        errors.add("ends_at", _("An activity lasts a week at most; log a longer one as several."))
    elif clean.get("duration_minutes") not in (None, round(minutes)):
        errors.add("ends_at", _("Give the end or the duration, not two that disagree."))
    else:
        clean["duration_minutes"] = round(minutes)


def _clean_kind_fields(values: dict[str, Any], clean: dict[str, Any], current: Activity | None, errors: Errors) -> None:
    """The kind's own fields and its outcome (``activities.kinds``), checked against the kind it will have."""
    kind = clean.get("kind") or (current.kind if current else Kind.NOTE)
    status = clean.get("status") or (current.status if current else Status.DONE)
    if status == Status.OPEN and not kinds.plannable(kind):
        errors.add("status", _("A note records what happened; plan a task, a call or a visit instead."))
    if "details" in values or (current is not None and "kind" in clean and clean["kind"] != current.kind):
        given = values.get("details", current.details if current else {})
        if "details" not in values and current is not None:  # a new kind keeps only the fields it has
            given = {k: v for k, v in (given or {}).items() if k in kinds.fields_of(kind)}
        details, problems = kinds.clean_details(kind, given)
        for field, message in problems.items():
            errors.add(field, message)
        clean["details"] = details
    if "outcome" in values or (current is not None and "kind" in clean and current.outcome):
        outcome = values.get("outcome", current.outcome if current else "") or ""
        allowed = [o.value for o in kinds.outcomes_of(kind)]
        if outcome and outcome not in allowed:
            if "outcome" in values:
                errors.add("outcome", _("Choose one of: %(choices)s") % {"choices": ", ".join(allowed)})
            outcome = ""
        clean["outcome"] = outcome


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
    incoming_call: IncomingCall | None = None,
    participants: Iterable[Any] | None = None,
    people: Iterable[Person] | None = None,
    related: Any = None,
    **fields: Any,
) -> Activity:
    """Log an activity with ``person`` and/or ``company`` (either the user may read); ``incoming_call`` is
    the actor's own ringing call it logs (the screen-pop's "Log this call"), logged once."""
    errors = Errors()
    if person is None and company is None:
        errors.add("person", _("Choose the person or the company this activity was with."))
    values = _clean(fields, errors, creating=True)
    _clean_kind_fields(fields, values, None, errors)
    taking_part = _clean_participants(actor, participants, people, errors)
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
        message = _("You may not give activities to %(name)s.") % {"name": owner}
        raise DomainError(message, code="owner_not_assignable", errors={"owner": [message]})
    check_owner(owner, RECORD_TYPE)
    if values["status"] == Status.DONE:
        values["completed_at"] = timezone.now()
    if incoming_call is not None:
        _check_call(actor, incoming_call)
    if related is not None:
        values["related_type"], values["related_id"] = related_check(actor, related)
    activity = Activity.objects.create(
        person=person, company=company, owner=owner, team=team, incoming_call=incoming_call, **values
    )
    _set_participants(activity, taking_part)
    audit.audit_create(actor=actor, instance=activity)
    contacted(activity)
    return activity


def _clean_participants(
    actor: User, participants: Iterable[Any] | None, people: Iterable[Person] | None, errors: Errors
) -> dict[str, list[Any]]:
    """The colleagues and the customer's people taking part: users ``actor`` sees, people ``actor`` may
    read (a hidden or trashed one is refused by name, never linked silently)."""
    from velinimet.accounts.selectors import active_users
    from velinimet.customers.selectors.records import visible_people

    out: dict[str, list[Any]] = {}
    if participants is not None:
        users = list(participants)
        known = set(active_users(actor).filter(pk__in=[u.pk for u in users]).values_list("pk", flat=True))
        unknown = [str(u) for u in users if u.pk not in known]
        if unknown:
            errors.add("participants", _("Not users you can choose: %(names)s") % {"names": ", ".join(unknown)})
        out["participants"] = users
    if people is not None:
        persons = list(people)
        known = set(visible_people(actor).filter(pk__in=[p.pk for p in persons]).values_list("pk", flat=True))
        unknown = [str(p.pk) for p in persons if p.pk not in known]
        if unknown:
            errors.add("people", _("No person you may see has the id %(ids)s.") % {"ids": ", ".join(unknown)})
        out["people"] = list({p.pk: p for p in persons}.values())
    return out


def _set_participants(activity: Activity, taking_part: dict[str, list[Any]]) -> None:
    if "participants" in taking_part:
        activity.participants.set(taking_part["participants"])
    if "people" in taking_part:
        activity.people.set(taking_part["people"])


@transaction.atomic
def activity_update(
    *,
    actor: User,
    activity: Activity,
    version: int | None = None,
    owner: Any = None,
    participants: Iterable[Any] | None = None,
    people: Iterable[Person] | None = None,
    **fields: Any,
) -> Activity:
    """Change an activity (the subject, the details, the date, its status…); ``owner`` hands it to another
    user (the assignee of a task). Refused if someone saved it meanwhile."""
    if not can(actor, activity, Action.UPDATE):
        raise NotAllowed(_("You may not change this activity."))
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    check_version(locked, version)
    errors = Errors()
    if "ends_at" in fields and "occurred_at" not in fields and fields["ends_at"] not in (None, ""):
        fields = {**fields, "occurred_at": locked.occurred_at}
    values = _clean(fields, errors, creating=False)
    _clean_kind_fields(fields, values, locked, errors)
    taking_part = _clean_participants(actor, participants, people, errors)
    errors.check()
    before = audit.snapshot(locked)
    if owner is not None and owner.pk != locked.owner_id:
        _assign(actor, locked, owner)
    if values.get("status", locked.status) != locked.status:
        values["completed_at"] = timezone.now() if values["status"] == Status.DONE else None
    for key, value in values.items():
        setattr(locked, key, value)
    locked.version += 1
    locked.save()
    _set_participants(locked, taking_part)
    audit.audit_update(actor=actor, instance=locked, before=before)
    if values.get("status") == Status.DONE:
        contacted(locked)
    return locked


def _check_call(actor: User, call: IncomingCall) -> None:
    if call.user_id != actor.pk:
        raise NotAllowed(_("This call rang for someone else."))
    if Activity.objects.filter(incoming_call=call).exists():
        message = _("This call is logged already.")
        raise DomainError(message, code="call_logged", errors={"incoming_call": [message]})
    IncomingCall.objects.filter(pk=call.pk, seen_at__isnull=True).update(seen_at=timezone.now())


#: a ringing call nobody logs within this time is logged by itself (``calls_log_unlogged``)
CALL_LOG_AFTER = datetime.timedelta(minutes=10)
#: …as long as it rang within this time (older ones were missed while the worker was down: left alone)
CALL_LOG_WINDOW = datetime.timedelta(days=1)


def calls_log_unlogged(now: datetime.datetime | None = None) -> int:
    """Log every recognised call that rang more than 10 minutes ago at a user's extension and that nobody
    logged: a call activity with the number, owned by the user whose extension rang, dated when it rang.
    A call activity that user logged by hand with that customer around that time counts as logged."""
    from django.db.models import Exists, OuterRef, Q

    now = now or timezone.now()
    near = Activity.objects.filter(
        Q(person_id=OuterRef("person_id")) | Q(company_id=OuterRef("company_id")),
        owner_id=OuterRef("user_id"),
        kind=Kind.CALL,
        occurred_at__gte=OuterRef("created_at") - CALL_LOG_AFTER,
        occurred_at__lte=OuterRef("created_at") + CALL_LOG_WINDOW,
        created_at__gte=OuterRef("created_at"),
    )
    calls = (
        IncomingCall.objects.filter(
            Q(person__isnull=False) | Q(company__isnull=False),
            user__isnull=False,
            user__is_active=True,
            created_at__lte=now - CALL_LOG_AFTER,
            created_at__gte=now - CALL_LOG_WINDOW,
            activity__isnull=True,
        )
        .exclude(Exists(near))
        .select_related("user", "person", "company")
        .order_by("created_at")
    )
    logged = 0
    from django.utils import translation

    for call in calls:
        user = call.user
        assert user is not None  # filtered: calls that rang at a user's extension
        with translation.override(user.language or None):
            subject = _("Incoming call from %(number)s") % {"number": call.number}
        try:
            activity_log(
                actor=user,
                person=call.person,
                company=call.company,
                incoming_call=call,
                kind=Kind.CALL,
                direction=Direction.INCOMING,
                subject=subject,
                occurred_at=call.created_at,
                details={"number": call.number},
            )
        except DomainError:  # the user may no longer see the caller, or log activities: nothing to log
            continue
        logged += 1
    return logged


def _assign(actor: User, activity: Activity, owner: Any) -> None:
    """Give ``activity`` to ``owner`` (and their team): a user ``actor`` may assign activities to."""
    if not can(actor, activity, Action.ASSIGN):
        raise NotAllowed(_("You may not assign this activity."))
    team = getattr(owner, "team", None)
    if not can_create(actor, RECORD_TYPE, owner_id=owner.pk, team_id=team.pk if team else None):
        raise DomainError(
            _("You may not give activities to %(name)s.") % {"name": owner},
            code="owner_not_assignable",
            errors={"owner": [_("You may not give activities to %(name)s.") % {"name": owner}]},
        )
    check_owner(owner, RECORD_TYPE)
    activity.owner, activity.team = owner, team


@transaction.atomic
def activity_complete(
    *, actor: User, activity: Activity, version: int | None = None, outcome: str = "", at: Any = None
) -> Activity:
    """Mark a task or a planned call or visit done: it moves from "Upcoming" to the history, dated now
    (or ``at``) — the one click that turns a planned call into a logged one."""
    if activity.status != Status.OPEN:
        raise DomainError(_("This activity is not open: it is already done or cancelled."), code="not_open")
    fields: dict[str, Any] = {"status": Status.DONE, "occurred_at": at or timezone.now()}
    if outcome:
        fields["outcome"] = outcome
    return activity_update(actor=actor, activity=activity, version=version, **fields)


@transaction.atomic
def activity_delete(*, actor: User, activity: Activity) -> None:
    if not can(actor, activity, Action.DELETE):
        raise NotAllowed(_("You may not delete this activity."))
    audit.audit_delete(actor=actor, instance=activity)
    activity.delete()
