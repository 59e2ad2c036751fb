"""What the activities module plugs in: its record type, the timeline section of the 360° page, merge,
KVKK export/erasure, the caller card and demo data."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from velinimet.core.registrations import uniform
from velinimet.core.registry import RecordType, register_record_type
from velinimet.core.visibility import Level

register_record_type(
    RecordType(
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
        parents=("person", "company"),  # an activity is visible only with its customer
    )
)


def _section_context(user: Any, record: Any) -> dict[str, Any]:
    from velinimet.customers.models import Person

    from .views import timeline_context

    return timeline_context(user, "person" if isinstance(record, Person) else "company", record)


def _export(person: Any) -> list[dict[str, Any]]:
    from velinimet.customers.services.kvkk import jsonable

    return [
        {
            "kind": a.kind,
            "direction": a.direction,
            "subject": a.subject,
            "details": a.body,
            "at": jsonable(a.occurred_at),
            "by": str(a.owner),
        }
        for a in person.activities.select_related("owner").order_by("-occurred_at")
    ]


def _erase(person: Any) -> None:
    from velinimet.customers.services.kvkk import ERASED

    # What was said stays counted (reports), but not what it said or whom it was with.
    person.activities.update(subject=ERASED, body="")


def _card_facts(user: Any, record: Any) -> dict[str, Any]:
    from velinimet.customers.models import Person

    from .selectors import last_activity_fact

    kind = "person" if isinstance(record, Person) else "company"
    return {"last_activity": last_activity_fact(user, kind, record.pk)}


def _register() -> None:
    from velinimet.core.demo import register_demo_loader
    from velinimet.customers.sections import Section, register_card_facts, register_section
    from velinimet.customers.services.kvkk import PersonalData, register_personal_data

    from .demo import load_demo_activities

    register_section(
        Section(
            key="timeline",
            title=_("Timeline"),
            template="activities/_timeline.html",
            context=_section_context,
            order=10,
            record_type="activities.activity",
        )
    )
    register_card_facts(_card_facts)
    # One registration: the KVKK export and erasure (with the activities' audit entries), and merges.
    register_personal_data(PersonalData("activities", _export, _erase, "activities.Activity", ("person", "company")))
    register_demo_loader(30, load_demo_activities)


_register()
