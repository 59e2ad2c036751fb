"""Logging a ringing call: from the screen-pop in two clicks, or by itself when nobody logs it in 10 minutes."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from velinimet.activities import services
from velinimet.activities.models import Activity
from velinimet.customers import services as customers
from velinimet.customers.models import IncomingCall, Person
from velinimet.customers.services.calls import call_incoming
from velinimet.customers.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def caller(cast: Any) -> Person:
    cast.rep_ist.extension = "201"
    cast.rep_ist.save(update_fields=["extension"])
    return PersonFactory(
        actor=cast.rep_ist, first_name="Rəşad", last_name="Quliyev", phones=[customers.PhoneIn("+994 55 321 00 11")]
    )


def _rang(cast: Any, minutes_ago: float, number: str = "0553210011") -> IncomingCall:
    call = call_incoming(actor=cast.admin, number=number, extension="201")
    IncomingCall.objects.filter(pk=call.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=minutes_ago))
    call.refresh_from_db()
    return call


def test_the_pop_offers_log_this_call_and_the_form_is_filled(cast: Any, caller: Person) -> None:
    call = _rang(cast, 0, "+994 55 321 00 11")
    assert call.person == caller
    client = Client()
    client.force_login(cast.rep_ist)
    pop = client.get("/customers/calls/pop/").content.decode()
    link = f"/activities/person/{caller.pk}/new/?call={call.pk}"
    assert f'href="{link}"' in pop
    form = client.get(link).content.decode()
    assert 'value="+994 55 321 00 11"' in form and 'name="details.number"' in form
    assert timezone.localtime(call.created_at).strftime("%Y-%m-%dT%H:%M") in form
    response = client.post(
        link,
        {
            "kind": "call",
            "direction": "in",
            "subject": "Sifariş barədə",
            "occurred_at": timezone.localtime(call.created_at).strftime("%Y-%m-%dT%H:%M"),
            "details.number": call.number,
            "outcome": "reached",
        },
    )
    assert response.status_code == 302
    logged = Activity.objects.get()
    assert logged.incoming_call == call and logged.outcome == "reached" and logged.details["number"] == call.number
    call.refresh_from_db()
    assert call.seen_at is not None  # the pop goes away once the call is logged
    again = client.post(link, {"kind": "call", "subject": "İkinci", "occurred_at": "2026-12-01T10:00"})
    with translation.override(cast.rep_ist.language):
        refused = gettext("This call is logged already.")
    assert again.status_code == 200 and refused in again.content.decode()
    assert Activity.objects.count() == 1


def test_the_pop_of_a_user_who_may_not_log_has_no_button(cast: Any, caller: Person) -> None:
    cast.reader.extension = "301"
    cast.reader.save(update_fields=["extension"])
    call_incoming(actor=cast.admin, number="+994 55 321 00 11", extension="301")
    client = Client()
    client.force_login(cast.reader)
    pop = client.get("/customers/calls/pop/").content.decode()
    assert "Quliyev" in pop and "/activities/" not in pop


def test_another_users_call_cannot_be_logged_through_the_link(cast: Any, caller: Person) -> None:
    call = _rang(cast, 0)
    client = Client()
    client.force_login(cast.manager)  # sees the customer, but the call rang at rep_ist's extension
    form = client.get(f"/activities/person/{caller.pk}/new/?call={call.pk}").content.decode()
    assert call.number not in form
    with pytest.raises(services.NotAllowed):
        services.activity_log(actor=cast.manager, person=caller, incoming_call=call, kind="call", subject="x")


def test_a_call_nobody_logs_in_ten_minutes_is_logged_by_itself(cast: Any, caller: Person) -> None:
    fresh = _rang(cast, 3)
    old = _rang(cast, 12)
    stale = _rang(cast, 60 * 30)  # rang more than a day ago: the worker was down, left alone
    unknown = _rang(cast, 15, "+90 212 000 00 00")
    assert unknown.person is None
    assert services.calls_log_unlogged() == 1
    logged = Activity.objects.get()
    assert logged.incoming_call == old and logged.owner == cast.rep_ist and logged.person == caller
    assert (logged.kind, logged.direction, logged.status) == ("call", "in", "done")
    assert logged.occurred_at == old.created_at and logged.details == {"number": old.number}
    assert old.number in logged.subject
    assert services.calls_log_unlogged() == 0  # once
    assert not Activity.objects.filter(incoming_call__in=[fresh, stale, unknown]).exists()


def test_a_call_logged_by_hand_is_not_logged_again(cast: Any, caller: Person) -> None:
    call = _rang(cast, 20)
    services.activity_log(
        actor=cast.rep_ist,
        person=caller,
        kind="call",
        subject="Zəng etdi, təklif istədi",
        occurred_at=call.created_at + datetime.timedelta(minutes=1),
    )
    assert services.calls_log_unlogged() == 0
    assert Activity.objects.count() == 1
