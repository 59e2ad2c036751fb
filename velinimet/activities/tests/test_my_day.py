"""My day: the start page of users with customers."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from velinimet.activities import services
from velinimet.activities.selectors import day_bounds, my_day
from velinimet.customers.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _at(hours: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(hours=hours)


def test_my_day_lists_overdue_and_today_with_counts(cast: Any) -> None:
    person = PersonFactory(actor=cast.rep_ist, first_name="Nihat", last_name="Kahveci")
    start, end = day_bounds()
    log = services.activity_log
    overdue = log(
        actor=cast.rep_ist,
        person=person,
        kind="call",
        status="open",
        subject="Dünden kalan",
        occurred_at=start - datetime.timedelta(hours=5),
    )
    today = log(
        actor=cast.rep_ist,
        person=person,
        kind="visit",
        status="open",
        subject="Bugün ziyaret",
        occurred_at=end - datetime.timedelta(minutes=1),
    )
    later = log(
        actor=cast.rep_ist,
        person=person,
        kind="task",
        subject="Gelecek hafta",
        occurred_at=end + datetime.timedelta(days=6),
    )
    done = log(
        actor=cast.rep_ist, person=person, kind="call", subject="Sabah araması", occurred_at=max(start, _at(-0.1))
    )
    theirs = log(
        actor=cast.manager,
        person=person,
        kind="task",
        subject="Müdürün işi",
        occurred_at=start + datetime.timedelta(minutes=1),
    )

    day = my_day(cast.rep_ist)
    assert [a.pk for a in day["due"]] == [overdue.pk, today.pk]  # not next week's, not the manager's
    assert later.pk not in [a.pk for a in day["agenda"]] and done.pk in [a.pk for a in day["agenda"]]
    assert [a.pk for a in day["calls"]] == [done.pk]
    assert day["counts"] == {"overdue": 1, "today": 1, "done_today": 1}
    team = my_day(cast.manager, team=True)
    assert {overdue.pk, today.pk, theirs.pk} <= {a.pk for a in team["due"]}

    client = Client()
    client.force_login(cast.rep_ist)
    html = client.get("/").content.decode()  # the rep owns customers: My day is their start page
    assert "Dünden kalan" in html and "Bugün ziyaret" in html and "Gelecek hafta" not in html
    assert "Müdürün işi" not in html and "?view=team" not in html  # reps have no team view
    assert "Dünden kalan" not in client.get("/?all=1").content.decode()  # the plain home is still there
    response = client.post(
        f"/activities/{overdue.pk}/done/", {"version": overdue.version, "next": "/activities/my-day/"}
    )
    assert response.status_code == 302 and response["Location"] == "/activities/my-day/"
    evil = client.post(f"/activities/{today.pk}/done/", {"version": today.version, "next": "https://evil.example/"})
    assert evil["Location"].endswith("#timeline")  # only our own pages

    manager = Client()
    manager.force_login(cast.manager)
    page = manager.get("/activities/my-day/?view=team").content.decode()
    assert "Bugün ziyaret" in page and "Müdürün işi" in page


def test_users_without_customers_keep_the_plain_home(cast: Any) -> None:
    client = Client()
    client.force_login(cast.admin)
    html = client.get("/").content.decode()
    assert 'id="due"' not in html
    assert client.get("/activities/my-day/").status_code == 200
