"""What the activities module plugs in: its record type, the timeline section of the 360° page, merge,
KVKK export/erasure, the caller card and demo data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from velinimet.accounts.sections import AccountSection
from velinimet.core.demo import DemoLoader
from velinimet.core.erasure import ERASED
from velinimet.core.registry import AuditAction, HomePage, JobKind, NavItem, RecordType, SettingsLink, registry
from velinimet.core.visibility import Level, level_for, uniform
from velinimet.customers.models import Person
from velinimet.customers.sections import CallAction, CardFacts, Section
from velinimet.customers.seed import Seeder
from velinimet.customers.services.kvkk import CustomerChild, jsonable
from velinimet.customers.services.merge import Mover

from .demo import load_demo_activities
from .related import RELATED_TYPES  # noqa: F401  (declares the store other modules fill)
from .seed import seed_activities
from .selectors import last_activity_fact

if TYPE_CHECKING:
    from velinimet.accounts.models import User


RECORD_TYPE = RecordType(
    key="activities.activity",
    label=_("Activities"),
    model="activities.Activity",
    actions=("read", "create", "update", "delete", "assign", "export"),
    defaults={
        "administrator": uniform(Level.ALL),
        "sales_manager": uniform(Level.TEAM_TREE),
        "sales_rep": {"read": Level.TEAM, "create": Level.OWN, "update": Level.OWN, "delete": Level.OWN},
        "service_agent": {"read": Level.ALL, "create": Level.OWN, "update": Level.OWN, "delete": Level.OWN},
        "marketing_specialist": {"read": Level.ALL, "create": Level.OWN, "update": Level.OWN},
        "field_technician": {"read": Level.TEAM, "create": Level.OWN, "update": Level.OWN},
        "analyst": {"read": Level.ALL, "export": Level.ALL},
        "read_only": {"read": Level.TEAM_TREE},
    },
    order=40,
)


KIND_RECORD_TYPE = RecordType(
    key="activities.activitykind",
    label=_("Activity kinds"),
    model="activities.ActivityKind",
    owner_field=None,
    team_field=None,
    actions=("read", "create", "update", "delete"),
    defaults={
        "administrator": uniform(Level.ALL, ("read", "create", "update", "delete")),
        **{slug: {"read": Level.ALL} for slug in RECORD_TYPE.defaults if slug != "administrator"},
    },
    order=45,
)


RULE_RECORD_TYPE = RecordType(
    key="activities.contactrule",
    label=_("Contact rules"),
    model="activities.ContactRule",
    owner_field=None,
    team_field=None,
    actions=("read", "create", "update", "delete"),
    defaults=KIND_RECORD_TYPE.defaults,
    order=46,
)


def _contacts_job(job: Any, progress: Any) -> Any:
    from .contacts import contacts_compute

    def report(done: int, total: int, rule: str) -> None:
        progress.update(done=done, total=total, message=rule)

    return contacts_compute(progress=report)


def _section_context(user: User, record: Any) -> dict[str, Any]:
    from .views import timeline_context  # views import forms and templates: not at start-up

    return timeline_context(user, "person" if isinstance(record, Person) else "company", record)


def _export(person: Any) -> list[dict[str, Any]]:
    from .models import Activity

    rows = Activity.objects.filter(Q(person=person) | Q(people=person)).distinct().select_related("owner")
    return [
        {
            "kind": a.kind,
            "status": a.status,
            "direction": a.direction,
            "subject": a.subject,
            "details": a.body,
            "kind_details": a.details,
            "outcome": a.outcome,
            "at": jsonable(a.occurred_at),
            "by": str(a.owner),
            "took_part": a.person_id != person.pk,
        }
        for a in rows.order_by("-occurred_at")
    ]


def _erase(person: Any) -> None:
    # What was said stays counted (reports), but not what it said, the number or address it held, or whom
    # it was with; activities the person only took part in lose that link.
    from .models import ActivityPerson

    person.activities.update(subject=ERASED, body="", details={})
    ActivityPerson.objects.filter(person=person).delete()


def _has_customers(user: User) -> bool:
    """My day is the start page of users who look after customers: they own some, or have open work
    (one query: three EXISTS)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Exists, OuterRef

    from velinimet.customers.models import Company

    from .models import Activity

    if not _may_log(user):
        return False
    flags = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            people=Exists(Person.objects.live().filter(owner=OuterRef("pk"))),
            companies=Exists(Company.objects.live().filter(owner=OuterRef("pk"))),
            work=Exists(Activity.objects.filter(owner=OuterRef("pk"), status="open")),
        )
        .values_list("people", "companies", "work")
        .first()
    )
    return bool(flags and any(flags))


def _my_day(request: Any) -> Any:
    from .day_views import my_day_page

    return my_day_page(request)


def _feed_context(request: Any) -> dict[str, Any]:
    from .calendar_feed import feed_url

    return {"calendar_feed_url": feed_url(request, request.user)}


def _feed_me(request: Any) -> dict[str, Any]:
    from .calendar_feed import feed_url

    if request is None:
        return {"calendar_feed_url": None}
    return {"calendar_feed_url": feed_url(request, request.user)}


def _may_log(user: User) -> bool:
    return level_for(user, "activities.activity", "create") > Level.NONE


def _card_facts(user: User, record: Any) -> dict[str, Any]:
    kind = "person" if isinstance(record, Person) else "company"
    return {"last_activity": last_activity_fact(user, kind, record.pk)}


# One registration of the customer child: its record type (visible with its customer), merges, KVKK.
registry.register(
    "customers.children", CustomerChild("activities", RECORD_TYPE, _export, _erase, ("person", "company"))
)
registry.register(
    "customers.sections",
    Section(
        key="timeline",
        title=_("Timeline"),
        template="activities/_timeline.html",
        context=_section_context,
        order=10,
        record_type="activities.activity",
    ),
)
registry.register("core.record_types", KIND_RECORD_TYPE)
registry.register("core.record_types", RULE_RECORD_TYPE)
registry.register(
    "core.settings_links",
    SettingsLink(
        _("Contact rules"),
        "activities:rules",
        _("How often customers must be called or visited; who is due."),
        "activities.contactrule",
        56,
    ),
)
registry.register("core.job_kinds", JobKind("activities.contacts_due", _("Whom to contact"), _contacts_job))
registry.register(
    "core.nav",
    NavItem(key="my_day", label=_("My day"), url_name="activities:my_day", order=5, record_type="activities.activity"),
)
registry.register(
    "accounts.account_sections",
    AccountSection("activities.calendar", "activities/_account_calendar.html", _feed_context, _feed_me, order=50),
)
registry.register(
    "core.audit_actions", AuditAction("activities.calendar_feed.renewed", _("made a new calendar address"))
)
registry.register("core.home_pages", HomePage("activities.my_day", _my_day, _has_customers, order=10))
registry.register(
    "core.settings_links",
    SettingsLink(
        _("Activity kinds"),
        "activities:kinds",
        _("Kinds of activity of your own, with their names, icon and fields."),
        "activities.activitykind",
        55,
    ),
)
registry.register("customers.card_facts", CardFacts("activities.last_activity", _card_facts))
# the people who took part follow a merge too (the activities themselves follow as a customer child)
registry.register("customers.merge_movers", Mover("activities.ActivityPerson", "person", ("person",)))
registry.register(
    "customers.call_actions",
    CallAction("activities.log_call", "activities/_log_call_button.html", _may_log, order=10),
)
registry.register("core.demo_loaders", DemoLoader("activities", 30, load_demo_activities))
registry.register(
    "customers.seeders",
    Seeder(
        "activities",
        "how many timeline activities to add, spread over all people",
        lambda count, rng, progress: seed_activities(count, rng, progress=progress),
    ),
)
