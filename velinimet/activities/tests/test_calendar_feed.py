"""The private iCal feed: RFC 5545 with icalendar, in the user's time zone, revocable."""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from velinimet.activities import services
from velinimet.activities.calendar_feed import feed_for
from velinimet.customers.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_feed_holds_the_users_plans_in_their_time_zone(cast: Any, api: Any) -> None:
    person = PersonFactory(actor=cast.rep_baku, first_name="Aysel", last_name="Hüseynova")
    due = timezone.now().replace(microsecond=0, second=0) + datetime.timedelta(days=2)
    visit = services.activity_log(
        actor=cast.rep_baku,
        person=person,
        kind="visit",
        status="open",
        subject="Ofis görüşü",
        occurred_at=due,
        duration_minutes=45,
        details={"side": "ours", "place": "Nizami küç. 10"},
    )
    services.activity_log(
        actor=cast.rep_baku, person=person, kind="call", status="cancelled", subject="Ləğv", occurred_at=due
    )
    other = PersonFactory(actor=cast.rep_ist, first_name="Başka", last_name="Kişi")
    services.activity_log(actor=cast.rep_ist, person=other, kind="visit", subject="Başkasının", occurred_at=due)

    me = api(cast.rep_baku).get("/api/v1/me/").json()
    url = me["calendar_feed_url"]
    assert url.startswith("http") and url.endswith(".ics") and feed_for(cast.rep_baku).token in url
    response = Client().get(url[url.index("/activities/") :])  # no login: the token is the key
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    events = [c for c in cal.walk("VEVENT")]
    assert [str(e["summary"]) for e in events] == [f"Ziyarət: Ofis görüşü — {person}"]  # az, her own, not cancelled
    event = events[0]
    start = event.decoded("dtstart")
    assert start.tzinfo is not None and str(start.tzinfo) == "Asia/Baku"
    assert start == due.astimezone(zoneinfo.ZoneInfo("Asia/Baku"))
    assert event.decoded("dtend") - start == datetime.timedelta(minutes=45)
    assert str(event["location"]) == "Nizami küç. 10" and str(event["uid"]) == f"activity-{visit.pk}@velinimet"
    assert str(event["url"]).endswith(f"/customers/people/{person.pk}/")
    assert any(c.name == "VTIMEZONE" for c in cal.subcomponents)


def test_a_new_address_revokes_the_old_and_forged_ones_reveal_nothing(cast: Any) -> None:
    old = feed_for(cast.rep_ist).token
    client = Client()
    client.force_login(cast.rep_ist)
    account = client.get("/settings/account/").content.decode()
    assert f"/activities/calendar/{old}.ics" in account
    assert client.post("/activities/calendar/renew/").status_code == 302
    new = feed_for(cast.rep_ist).token
    assert new != old
    anonymous = Client()
    assert anonymous.get(f"/activities/calendar/{old}.ics").status_code == 404
    assert anonymous.get("/activities/calendar/forged-token.ics").status_code == 404
    assert anonymous.get(f"/activities/calendar/{new}.ics").status_code == 200
    cast.rep_ist.is_active = False
    cast.rep_ist.save(update_fields=["is_active"])
    assert anonymous.get(f"/activities/calendar/{new}.ics").status_code == 404  # a deactivated user's too
