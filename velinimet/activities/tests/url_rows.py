"""The URL matrix rows of activities: the timeline pages and the API (see velinimet/core/tests/url_matrix.py)."""

from __future__ import annotations

import itertools
from typing import Any

from django.utils import timezone

from velinimet.accounts.models import User
from velinimet.core.tests.url_matrix import Op, Row, page, post_only
from velinimet.core.tests.url_world import World
from velinimet.customers.tests.url_rows import person


def activity(world: World, user: User) -> dict[str, Any]:
    return {"pk": world.of(user).activity.pk}


def open_activity(world: World, user: User) -> dict[str, Any]:
    """A planned call of the user's world, opened again for each request (completing it closes it)."""
    from velinimet.activities.models import Status

    record = world.of(user).activity
    type(record).objects.filter(pk=record.pk).update(status=Status.OPEN)
    return {"pk": record.pk}


def activity_form(world: World, user: User) -> dict[str, Any]:
    return {"kind": "call", "subject": "Arama", "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}


def activity_json(world: World, user: User) -> dict[str, Any]:
    return {"kind": "call", "subject": "Arama", "person": world.of(user).person.pk}


PERSON, ACTIVITY, KIND = "customers.person", "activities.activity", "activities.activitykind"
RULE = "activities.contactrule"


def feed(world: World, user: User) -> dict[str, Any]:
    """The calling user's own feed token (the URL is its own key: anyone holding it reads that calendar)."""
    from velinimet.activities.calendar_feed import feed_for

    return {"token": feed_for(user).token}


def rule(world: World, user: User) -> dict[str, Any]:
    from velinimet.activities.models import ContactRule

    made, _created = ContactRule.objects.get_or_create(name="Herkes", defaults={"every_days": 90})
    return {"pk": made.pk}


def rule_form(world: World, user: User) -> dict[str, Any]:
    return {"name": f"Kilit müşteri {next(_names)}", "match": "tag", "value": "Kilit", "every_days": "14"}


_names = itertools.count()


def kind(world: World, user: User) -> dict[str, Any]:
    """An administrator's own kind (made again when a DELETE before removed it)."""
    from velinimet.activities.models import ActivityKind

    made, _created = ActivityKind.objects.get_or_create(key="tadim", defaults={"name_tr": "Tadım", "icon": "coffee"})
    return {"pk": made.pk}


def kind_form(world: World, user: User) -> dict[str, Any]:
    return {"name_tr": f"Tadım {next(_names)}", "icon": "coffee", "shows": ["place"], "active": "on"}


ROWS: dict[str, Row] = {
    # --- activities -------------------------------------------------------------------------
    "activities:timeline": page(
        ((PERSON, "read"), (ACTIVITY, "read")), kwargs=lambda w, u: {"kind": "person", **person(w, u)}
    ),
    "activities:log": page(
        ((PERSON, "read"), (ACTIVITY, "create")),
        post=Op(needs=((PERSON, "read"), (ACTIVITY, "create")), data=activity_form),
        kwargs=lambda w, u: {"kind": "person", **person(w, u)},
    ),
    "activities:edit": page(
        ((ACTIVITY, "update"),), post=Op(needs=((ACTIVITY, "update"),), data=activity_form), kwargs=activity
    ),
    "activities:complete": post_only(Op(needs=((ACTIVITY, "update"),)), kwargs=open_activity),
    "activities:delete": post_only(Op(needs=((ACTIVITY, "delete"),)), kwargs=activity),
    "activities:my_day": page(((ACTIVITY, "read"),)),
    "activities:calendar_feed": Row(kwargs=feed, methods={"GET": Op()}, public=True),
    "activities:calendar_feed_renew": post_only(Op()),
    "activities:rules": page(((RULE, "read"),), post=Op(needs=((RULE, "create"),), data=rule_form)),
    "activities:rule_edit": page(
        ((RULE, "update"),),
        post=Op(
            needs=((RULE, "update"),), data=lambda w, u: {"name": "Herkes", "match": "everyone", "every_days": "90"}
        ),
        kwargs=rule,
    ),
    "activities:rules_compute": post_only(Op(needs=((RULE, "update"),))),
    "activities:kinds": page(((KIND, "read"),), post=Op(needs=((KIND, "create"),), data=kind_form)),
    "activities:kind_edit": page(
        ((KIND, "update"),),
        post=Op(needs=((KIND, "update"),), data=lambda w, u: {"name_tr": "Tadım", "icon": "coffee"}),
        kwargs=kind,
    ),
    # --- API: activities --------------------------------------------------------------------
    "activity-list": Row(
        methods={
            "GET": Op(needs=((ACTIVITY, "read"),)),
            "POST": Op(needs=((PERSON, "read"), (ACTIVITY, "create")), data=activity_json),
        }
    ),
    "activity-detail": Row(
        kwargs=activity,
        methods={
            "GET": Op(needs=((ACTIVITY, "read"),)),
            "PUT": Op(needs=((ACTIVITY, "update"),), data=lambda w, u: {"subject": "Yeni konu"}),
            "PATCH": Op(needs=((ACTIVITY, "update"),), data=lambda w, u: {"subject": "Yeni konu"}),
            "DELETE": Op(needs=((ACTIVITY, "delete"),)),
        },
    ),
    "activity-complete": Row(kwargs=open_activity, methods={"POST": Op(needs=((ACTIVITY, "update"),))}),
    "activity-kind-list": Row(
        methods={"GET": Op(needs=((KIND, "read"),)), "POST": Op(needs=((KIND, "create"),), data=kind_form)}
    ),
    "activity-kind-detail": Row(
        kwargs=kind,
        methods={
            "GET": Op(needs=((KIND, "read"),)),
            "PUT": Op(needs=((KIND, "update"),), data=lambda w, u: {"name_tr": "Tadım", "icon": "coffee"}),
            "PATCH": Op(needs=((KIND, "update"),), data=lambda w, u: {"icon": "gift"}),
            "DELETE": Op(needs=((KIND, "delete"),)),
        },
    ),
    "contact-rule-list": Row(
        methods={
            "GET": Op(needs=((RULE, "read"),)),
            "POST": Op(needs=((RULE, "create"),), data=lambda w, u: {**rule_form(w, u), "every_days": 14}),
        }
    ),
    "contact-rule-detail": Row(
        kwargs=rule,
        methods={
            "GET": Op(needs=((RULE, "read"),)),
            "PUT": Op(needs=((RULE, "update"),), data=lambda w, u: {"name": "Herkes", "every_days": 90}),
            "PATCH": Op(needs=((RULE, "update"),), data=lambda w, u: {"every_days": 60}),
            "DELETE": Op(needs=((RULE, "delete"),)),
        },
    ),
}
