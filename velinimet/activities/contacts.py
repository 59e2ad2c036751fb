"""Whom to call or visit: contact-frequency rules and the customers due under them.

An administrator sets rules ("tag Key account: every 14 days by visit or call", "everyone else: every 90
days by any kind"). ``contacts_compute`` finds, for each rule in order, the live customers it matches that
no earlier rule matched and whose last contact of a counted kind is older than the rule allows (or who
were never contacted since they were added): **one set-based query per rule and customer type**, never a
loop over customers. The result replaces ``DueContact``: each owner's list on My day, worst first. It runs
every night (``activities.tasks``), on demand from the rules page (a job with progress) or with
``velinimet contacts-due``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from velinimet.core import audit
from velinimet.core.exceptions import DomainError, Errors, NotAllowed
from velinimet.core.text import fold
from velinimet.core.visibility import Action, Level, level_for, restrict
from velinimet.customers.models import Company, Person

from . import kinds
from .models import Activity, ContactRule, DueContact, Status

if TYPE_CHECKING:
    from velinimet.accounts.models import User

RECORD_TYPE = "activities.contactrule"
FIELDS = ("name", "match", "value", "every_days", "kinds", "order", "active")
MAX_DAYS = 3660
CUSTOMERS: tuple[tuple[str, type[Person] | type[Company]], ...] = (("person", Person), ("company", Company))


# --- the rules ------------------------------------------------------------------------------
def _require(actor: User, action: str) -> None:
    if level_for(actor, RECORD_TYPE, action) != Level.ALL:
        raise NotAllowed(_("Only an administrator may change the contact rules."))


def _clean(values: dict[str, Any], errors: Errors, *, creating: bool, current: ContactRule | None) -> dict[str, Any]:
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    clean: dict[str, Any] = {}
    if "name" in values or creating:
        clean["name"] = " ".join(str(values.get("name") or "").split())[:100]
        if not clean["name"]:
            errors.add("name", _("Name the rule, e.g. “Key accounts”."))
    if "match" in values or creating:
        clean["match"] = values.get("match") or ContactRule.Match.EVERYONE
        if clean["match"] not in ContactRule.Match.values:
            errors.add("match", _("Choose one of: %(choices)s") % {"choices": ", ".join(ContactRule.Match.values)})
    match = clean.get("match", current.match if current else ContactRule.Match.EVERYONE)
    if "value" in values or "match" in clean:
        clean["value"] = " ".join(str(values.get("value", current.value if current else "") or "").split())
        problem = _value_problem(match, clean["value"])
        if problem:
            errors.add("value", problem)
    if "every_days" in values or creating:
        try:
            days = int(values.get("every_days"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            days = 0
        if not 1 <= days <= MAX_DAYS:
            errors.add("every_days", _("Enter whole days between 1 and 3660."))
        clean["every_days"] = days
    if "kinds" in values:
        chosen = [str(k) for k in (values["kinds"] or [])]
        known = {value for value, _label in kinds.kind_choices(unused=True)}
        bad = [k for k in chosen if k not in known]
        if bad:
            errors.add("kinds", _("Unknown kinds: %(kinds)s") % {"kinds": ", ".join(bad)})
        clean["kinds"] = list(dict.fromkeys(chosen))
    if "order" in values and values["order"] not in (None, ""):
        try:
            clean["order"] = max(0, min(int(values["order"]), 10_000))
        except (TypeError, ValueError):
            errors.add("order", _("Enter a whole number."))
    if "active" in values:
        clean["active"] = bool(values["active"])
    return clean


def _value_problem(match: str, value: str) -> str:
    if match == ContactRule.Match.EVERYONE:
        return ""
    if not value:
        return _("Say which customers: the tag, key=value, person or company, or the team id.")
    if match == ContactRule.Match.CUSTOM and "=" not in value:
        return _("Write the custom field as key=value, e.g. segment=A.")
    if match == ContactRule.Match.TYPE and value not in ("person", "company"):
        return _("Write person or company.")
    if match == ContactRule.Match.TEAM and not value.isdigit():
        return _("Write the team's id (a number).")
    return ""


@transaction.atomic
def contact_rule_create(*, actor: User, **values: Any) -> ContactRule:
    _require(actor, Action.CREATE)
    errors = Errors()
    clean = _clean(values, errors, creating=True, current=None)
    errors.check()
    rule = ContactRule.objects.create(**clean)
    audit.audit_create(actor=actor, instance=rule)
    return rule


@transaction.atomic
def contact_rule_update(*, actor: User, rule: ContactRule, **values: Any) -> ContactRule:
    _require(actor, Action.UPDATE)
    locked = ContactRule.objects.select_for_update().get(pk=rule.pk)
    errors = Errors()
    clean = _clean(values, errors, creating=False, current=locked)
    errors.check()
    before = audit.snapshot(locked)
    for name, value in clean.items():
        setattr(locked, name, value)
    locked.save()
    audit.audit_update(actor=actor, instance=locked, before=before)
    return locked


@transaction.atomic
def contact_rule_delete(*, actor: User, rule: ContactRule) -> None:
    _require(actor, Action.DELETE)
    audit.audit_delete(actor=actor, instance=rule)
    rule.delete()


# --- who is due -------------------------------------------------------------------------------
def _matches(rule: ContactRule, kind: str) -> Q:
    """The customers of ``kind`` ("person"/"company") the rule is about, as one condition."""
    model = Person if kind == "person" else Company
    if rule.match == ContactRule.Match.TAG:
        through = model.tags.through
        return Q(Exists(through.objects.filter(**{f"{kind}_id": OuterRef("pk")}, tag__key=fold(rule.value))))
    if rule.match == ContactRule.Match.CUSTOM:
        key, _sep, value = rule.value.partition("=")
        # as EXISTS: a record without the key must count as "not matching" when an earlier rule is excluded
        # (NOT (json_extract(...) = 'A') is NULL, not true, for it)
        same = model.objects.filter(pk=OuterRef("pk"), **{f"custom__{key.strip()}": value.strip()})
        return Q(Exists(same))
    if rule.match == ContactRule.Match.TYPE:
        return Q() if rule.value == kind else Q(pk__in=[])
    if rule.match == ContactRule.Match.TEAM:
        return Q(team_id=int(rule.value))
    return Q()


def _last_contact(rule: ContactRule, kind: str) -> Subquery:
    counted = Activity.objects.filter(**{f"{kind}_id": OuterRef("pk")}, status=Status.DONE)
    if rule.kinds:
        counted = counted.filter(kind__in=rule.kinds)
    return Subquery(counted.order_by("-occurred_at").values("occurred_at")[:1])


def due_query(rule: ContactRule, earlier: list[ContactRule], kind: str, now: datetime.datetime) -> Any:
    """The customers of ``kind`` due under ``rule`` at ``now``: one statement (the bench replays it)."""
    model = Person if kind == "person" else Company
    qs: Any = model.objects.live().filter(_matches(rule, kind), owner__isnull=False)
    for previous in earlier:
        condition = _matches(previous, kind)
        if not condition:  # an earlier rule for everyone (or for this whole type) left nobody for this one
            return qs.none()
        qs = qs.exclude(condition)
    cutoff = now - datetime.timedelta(days=rule.every_days)
    qs = qs.annotate(last=_last_contact(rule, kind)).filter(
        Q(last__lt=cutoff) | Q(last__isnull=True, created_at__lt=cutoff)
    )
    return qs.values_list("pk", "owner_id", "last", "created_at")


def contacts_compute(
    now: datetime.datetime | None = None, progress: Callable[[int, int, str], None] | None = None
) -> dict[str, int]:
    """Replace the due lists: per rule in order, the customers it claims that are due. Returns counts."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    rules = list(ContactRule.objects.filter(active=True))
    steps = len(rules) * len(CUSTOMERS)
    counts = {"rules": len(rules), "due": 0}
    with transaction.atomic():
        DueContact.objects.all().delete()
        step = 0
        for index, rule in enumerate(rules):
            for kind, _model in CUSTOMERS:
                if progress:
                    progress(step, steps, rule.name)
                step += 1
                rows = []
                for pk, owner_id, last, created in due_query(rule, rules[:index], kind, now).iterator(chunk_size=5000):
                    since = timezone.localdate(last or created) + datetime.timedelta(days=rule.every_days)
                    rows.append(
                        DueContact(
                            owner_id=owner_id,
                            rule=rule,
                            last_contact_at=last,
                            due_since=since,
                            days_overdue=(today - since).days,
                            computed_at=now,
                            **{f"{kind}_id": pk},
                        )
                    )
                    if len(rows) >= 5000:
                        DueContact.objects.bulk_create(rows)
                        counts["due"] += len(rows)
                        rows = []
                DueContact.objects.bulk_create(rows)
                counts["due"] += len(rows)
    if progress:
        progress(steps, steps, "")
    return counts


def due_contacts(user: User, *, team: bool = False, limit: int = 50) -> tuple[list[DueContact], int]:
    """The customers due for contact that ``user`` looks after (``team``: that they may see), worst first,
    and how many there are; only customers the user may still see."""
    qs = DueContact.objects.select_related("person", "company", "rule", "owner")
    if not team:
        qs = qs.filter(owner=user)
    visible_people = restrict(Person.objects.live(), user).values("pk")
    visible_companies = restrict(Company.objects.live(), user).values("pk")
    qs = qs.filter(Q(person__in=visible_people) | Q(company__in=visible_companies))
    return list(qs.order_by("-days_overdue", "id")[:limit]), qs.count()


def contacted(activity: Activity) -> None:
    """A logged contact takes its customer off the due lists at once (the night recomputes the rest)."""
    if activity.status != Status.DONE:
        return
    customer = Q(person_id=activity.person_id) if activity.person_id else Q(pk__in=[])
    if activity.company_id:
        customer |= Q(company_id=activity.company_id)
    done = [due.pk for due in DueContact.objects.filter(customer).select_related("rule") if _counts(due.rule, activity)]
    DueContact.objects.filter(pk__in=done).delete()


def _counts(rule: ContactRule, activity: Activity) -> bool:
    return not rule.kinds or activity.kind in rule.kinds
