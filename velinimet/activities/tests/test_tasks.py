"""Tasks and planned activities, a kind's own fields and outcomes, completion, assignment and the filters."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from velinimet.activities import services
from velinimet.activities.models import Activity
from velinimet.activities.selectors import last_activity, timeline, upcoming
from velinimet.core.exceptions import DomainError, NotAllowed
from velinimet.customers import services as customers
from velinimet.customers.models import Person
from velinimet.customers.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def leyla(cast: Any) -> Person:
    return PersonFactory(
        actor=cast.rep_ist, first_name="Leyla", last_name="Məmmədova", phones=[customers.PhoneIn("+994 50 123 45 67")]
    )


def _errors(call: Any) -> dict[str, Any]:
    with pytest.raises(DomainError) as exc:
        call()
    return dict(exc.value.errors)


def test_a_task_is_open_until_done_and_then_moves_from_upcoming_to_history(cast: Any, leyla: Person) -> None:
    due = timezone.now() + datetime.timedelta(days=2)
    task = services.activity_log(
        actor=cast.rep_ist, person=leyla, kind="task", subject="Teklifi gönder", occurred_at=due
    )
    assert task.status == "open" and task.completed_at is None and task.priority == "normal"
    logged = services.activity_log(actor=cast.rep_ist, person=leyla, kind="call", subject="Aradı")
    assert logged.status == "done" and logged.completed_at is not None
    assert [a.pk for a in upcoming(cast.rep_ist, "person", leyla.pk)] == [task.pk]
    assert [a.pk for a in timeline(cast.rep_ist, "person", leyla.pk)["items"]] == [logged.pk]
    assert last_activity(cast.rep_ist, "person", leyla.pk) == logged  # a plan is not the last contact

    done = services.activity_complete(actor=cast.rep_ist, activity=task, version=task.version, outcome="positive")
    assert done.status == "done" and done.completed_at is not None and done.outcome == "positive"
    assert done.occurred_at <= timezone.now() < due  # logged when it was done, not when it was due
    assert upcoming(cast.rep_ist, "person", leyla.pk) == []
    assert [a.pk for a in timeline(cast.rep_ist, "person", leyla.pk)["items"]] == [done.pk, logged.pk]
    with pytest.raises(DomainError) as exc:
        services.activity_complete(actor=cast.rep_ist, activity=done)
    assert exc.value.code == "not_open"


def test_upcoming_lists_overdue_first_then_soonest(cast: Any, leyla: Person) -> None:
    now = timezone.now()
    later = services.activity_log(
        actor=cast.rep_ist,
        person=leyla,
        kind="visit",
        status="open",
        subject="Showroom planı",
        occurred_at=now + datetime.timedelta(days=9),
    )
    overdue = services.activity_log(
        actor=cast.rep_ist,
        person=leyla,
        kind="call",
        status="open",
        subject="Geri arama planı",
        occurred_at=now - datetime.timedelta(days=1),
    )
    assert [a.pk for a in upcoming(cast.rep_ist, "person", leyla.pk)] == [overdue.pk, later.pk]
    client = Client()
    client.force_login(cast.rep_ist)
    html = client.get(f"/customers/people/{leyla.pk}/").content.decode()
    start = html.index('class="timeline upcoming"')
    history = html.index("<h3>", start)  # the History heading follows the upcoming list
    assert start < html.index("Geri arama planı") < html.index("Showroom planı") < history
    assert html.index("overdue", start) < html.index("Geri arama planı")  # the overdue call is marked


def test_a_note_cannot_be_planned_and_every_bad_value_is_named(cast: Any, leyla: Person) -> None:
    start = timezone.now()
    errors = _errors(
        lambda: services.activity_log(
            actor=cast.rep_ist,
            person=leyla,
            kind="note",
            status="later",
            priority="urgent",
            subject="Not",
            occurred_at=start,
            ends_at=start - datetime.timedelta(minutes=5),
        )
    )
    assert set(errors) == {"status", "priority", "ends_at"}
    assert _errors(
        lambda: services.activity_log(actor=cast.rep_ist, person=leyla, kind="note", status="open", subject="Not")
    ).keys() == {"status"}
    assert Activity.objects.count() == 0


def test_the_end_is_another_way_to_give_the_duration(cast: Any, leyla: Person) -> None:
    start = timezone.now().replace(microsecond=0)
    visit = services.activity_log(
        actor=cast.rep_ist,
        person=leyla,
        kind="visit",
        subject="Ofis",
        occurred_at=start,
        ends_at=start + datetime.timedelta(minutes=90),
    )
    assert visit.duration_minutes == 90 and visit.ends_at == start + datetime.timedelta(minutes=90)
    errors = _errors(
        lambda: services.activity_log(
            actor=cast.rep_ist,
            person=leyla,
            kind="visit",
            subject="Ofis",
            occurred_at=start,
            ends_at=start + datetime.timedelta(minutes=30),
            duration_minutes=45,
        )
    )
    assert set(errors) == {"ends_at"}
    changed = services.activity_update(
        actor=cast.rep_ist, activity=visit, version=visit.version, ends_at=start + datetime.timedelta(hours=2)
    )
    assert changed.duration_minutes == 120 and changed.occurred_at == start


def test_each_kind_keeps_its_own_fields_and_outcomes(cast: Any, leyla: Person) -> None:
    parcel = services.activity_log(
        actor=cast.rep_ist,
        person=leyla,
        kind="post",
        subject="Numune",
        details={"item": "  Numune   kutusu ", "carrier": "Yurtiçi Kargo", "tracking_number": "YK123456789TR"},
    )
    assert parcel.details == {"item": "Numune kutusu", "carrier": "Yurtiçi Kargo", "tracking_number": "YK123456789TR"}
    post = services.activity_log(
        actor=cast.rep_ist,
        person=leyla,
        kind="social",
        subject="Yorum",
        details={"network": "instagram", "link": "instagram.com/p/abc"},
    )
    assert post.details["link"] == "https://instagram.com/p/abc"
    errors = _errors(
        lambda: services.activity_log(
            actor=cast.rep_ist,
            person=leyla,
            kind="call",
            subject="Arama",
            outcome="positive",  # a call is reached, not answered, busy or voicemail
            details={"number": "0532 111 22 33", "tracking_number": "X1"},
        )
    )
    assert set(errors) == {"outcome", "details.tracking_number"}
    assert "number" in errors["details.tracking_number"][0]  # names the fields a call has
    errors = _errors(
        lambda: services.activity_log(
            actor=cast.rep_ist,
            person=leyla,
            kind="event",
            subject="Fuar",
            details={"invitation": "maybe", "event_name": "x" * 201},
        )
    )
    assert set(errors) == {"details.invitation", "details.event_name"}
    call = services.activity_log(
        actor=cast.rep_ist,
        person=leyla,
        kind="call",
        subject="Arama",
        outcome="voicemail",
        details={"number": "0532 111 22 33"},
    )
    # a new kind keeps only the fields it has, and drops an outcome it cannot have
    visit = services.activity_update(actor=cast.rep_ist, activity=call, version=call.version, kind="visit")
    assert visit.details == {} and visit.outcome == ""


def test_assignment_follows_the_assign_right(cast: Any, leyla: Person) -> None:
    task = services.activity_log(actor=cast.manager, person=leyla, kind="task", subject="Ara", owner=cast.rep_ist)
    assert task.owner == cast.rep_ist and task.team == cast.istanbul
    assert [a.pk for a in upcoming(cast.rep_ist, "person", leyla.pk)] == [task.pk]  # the assignee sees it
    moved = services.activity_update(actor=cast.manager, activity=task, version=task.version, owner=cast.rep_baku)
    assert moved.owner == cast.rep_baku and moved.team == cast.baku
    errors = _errors(
        lambda: services.activity_log(actor=cast.rep_ist, person=leyla, kind="task", subject="Ara", owner=cast.rep_baku)
    )
    assert set(errors) == {"owner"}
    mine = services.activity_log(actor=cast.rep_ist, person=leyla, kind="task", subject="Benim")
    with pytest.raises(NotAllowed):  # a rep may change their own task but not give it away
        services.activity_update(actor=cast.rep_ist, activity=mine, version=mine.version, owner=cast.manager)
    errors = _errors(
        lambda: services.activity_log(actor=cast.manager, person=leyla, kind="task", subject="Ara", owner=cast.reader)
    )
    assert set(errors) == {"owner"}  # a read-only user cannot own activities


def test_the_timeline_page_filters_and_completes(cast: Any, leyla: Person) -> None:
    now = timezone.now()
    call = services.activity_log(
        actor=cast.rep_ist,
        person=leyla,
        kind="call",
        direction="out",
        subject="Fiyat",
        occurred_at=now - datetime.timedelta(days=3),
    )
    services.activity_log(actor=cast.rep_ist, person=leyla, kind="email", direction="in", subject="Teklif maili")
    planned = services.activity_log(actor=cast.rep_ist, person=leyla, kind="call", status="open", subject="Hatırlat")
    client = Client()
    client.force_login(cast.rep_ist)
    url = f"/activities/person/{leyla.pk}/"
    body = client.get(url, {"kind": "call"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Fiyat" in body and "Hatırlat" in body and "Teklif maili" not in body
    day = (timezone.localdate(call.occurred_at)).isoformat()
    body = client.get(url, {"before": day}, HTTP_HX_REQUEST="true").content.decode()
    assert "Teklif maili" not in body and "Fiyat" not in body
    body = client.get(url, {"after": day, "direction": "out"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Fiyat" in body and "Teklif maili" not in body
    bad = client.get(url, {"kind": "fax"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 400 and "fax" in bad.content.decode()

    response = client.post(f"/activities/{planned.pk}/done/", {"version": planned.version})
    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.status == "done" and planned.completed_at is not None
    other = Client()
    other.force_login(cast.rep_baku)
    assert other.post(f"/activities/{call.pk}/done/").status_code == 404  # hidden from the Bakı rep


def test_the_log_form_plans_a_call_with_its_number(cast: Any, leyla: Person) -> None:
    client = Client()
    client.force_login(cast.rep_ist)
    due = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        f"/activities/person/{leyla.pk}/new/",
        {
            "kind": "call",
            "status": "open",
            "priority": "high",
            "subject": "Sözleşmeyi hatırlat",
            "occurred_at": due,
            "details.number": "+994 50 123 45 67",
            "details.tracking_number": "ignored for a call",
        },
    )
    assert response.status_code == 302
    call = Activity.objects.get()
    assert (call.status, call.priority, call.details) == ("open", "high", {"number": "+994 50 123 45 67"})
    html = client.get(f"/customers/people/{leyla.pk}/").content.decode()
    assert f'action="/activities/{call.pk}/done/"' in html and "+994 50 123 45 67" in html


def test_api_plans_assigns_completes_and_filters(cast: Any, api: Any, leyla: Person) -> None:
    manager = api(cast.manager)
    due = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    created = manager.post(
        "/api/v1/activities/",
        {
            "kind": "visit",
            "status": "open",
            "subject": "Showroom",
            "person": leyla.pk,
            "owner": cast.rep_ist.pk,
            "occurred_at": due,
            "ends_at": (timezone.now() + datetime.timedelta(days=1, minutes=45)).isoformat(),
            "details": {"side": "theirs", "place": "Kadıköy"},
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["owner"] == cast.rep_ist.pk and body["status"] == "open" and body["details"]["side"] == "theirs"
    assert body["duration_minutes"] in (44, 45) and body["ends_at"] and body["overdue"] is False
    refused = manager.post("/api/v1/activities/", {"subject": "x", "person": leyla.pk, "owner": 999999}, format="json")
    assert refused.status_code == 400 and set(refused.json()["errors"]) == {"owner"}
    bad = manager.post(
        "/api/v1/activities/",
        {"kind": "call", "subject": "x", "person": leyla.pk, "details": {"side": "ours"}},
        format="json",
    )
    assert bad.status_code == 400 and "details.side" in bad.json()["errors"]

    rep = api(cast.rep_ist)
    services.activity_log(actor=cast.rep_ist, person=leyla, kind="call", subject="Geçmiş")

    def ids(**params: Any) -> set[int]:
        response = rep.get("/api/v1/activities/", params)
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    open_ids = ids(done="false")
    assert open_ids == {body["id"]} and ids(status="open") == open_ids
    assert body["id"] not in ids(done="true") and len(ids(done="true")) == 1
    assert ids(owner=cast.rep_ist.pk) == ids() and ids(owner=cast.manager.pk) == set()
    done = rep.post(f"/api/v1/activities/{body['id']}/complete/", {"outcome": "positive"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "done" and done.json()["completed_at"]
    again = rep.post(f"/api/v1/activities/{body['id']}/complete/", {}, format="json")
    assert again.status_code == 400 and again.json()["code"] == "not_open"
    assert api(cast.reader).post(f"/api/v1/activities/{body['id']}/complete/", {}, format="json").status_code == 403


def test_people_and_colleagues_taking_part(cast: Any, api: Any, leyla: Person) -> None:
    from velinimet.customers.services.kvkk import person_data_export, person_erase
    from velinimet.customers.services.merge import merge_undo, records_merge
    from velinimet.customers.services.relations import employment_set

    firm = customers.company_create(actor=cast.rep_ist, name="Xəzər Logistika MMC")
    employment_set(actor=cast.rep_ist, person=leyla, company=firm, is_primary=True)
    aysel = PersonFactory(actor=cast.rep_ist, first_name="Aysel", last_name="Kərimova")
    employment_set(actor=cast.rep_ist, person=aysel, company=firm, is_primary=True)
    hidden = PersonFactory(actor=cast.rep_baku, first_name="Gizli", last_name="Kişi")

    errors = _errors(
        lambda: services.activity_log(
            actor=cast.rep_ist, company=firm, kind="visit", subject="Toplantı", people=[aysel, hidden]
        )
    )
    assert set(errors) == {"people"} and str(hidden.pk) in errors["people"][0]
    visit = services.activity_log(
        actor=cast.rep_ist,
        company=firm,
        kind="visit",
        subject="Toplantı",
        participants=[cast.reader],
        people=[aysel, leyla, aysel],
    )
    assert set(visit.people.all()) == {aysel, leyla} and list(visit.participants.all()) == [cast.reader]

    client = Client()
    client.force_login(cast.rep_ist)
    form = client.get(f"/activities/company/{firm.pk}/new/", HTTP_HX_REQUEST="true").content.decode()
    assert "Aysel" in form and "Gizli" not in form and "<html" not in form  # the in-place form: their people
    page = client.get(f"/customers/companies/{firm.pk}/").content.decode()
    assert f'href="/customers/people/{aysel.pk}/"' in page

    twin = PersonFactory(actor=cast.rep_ist, first_name="Aysel", last_name="Kərimova")
    merge = records_merge(actor=cast.rep_ist, survivor=twin, other=aysel)
    assert set(visit.people.all()) == {twin, leyla}  # taking part follows the merge
    merge_undo(actor=cast.rep_ist, merge=merge)
    assert set(visit.people.all()) == {aysel, leyla}

    exported = person_data_export(actor=cast.admin, person=aysel)
    assert any(row["subject"] == "Toplantı" and row["took_part"] for row in exported["activities"])
    person_erase(actor=cast.admin, person=aysel, reason="KVKK talebi")
    assert set(visit.people.all()) == {leyla}

    body = api(cast.rep_ist).get(f"/api/v1/activities/{visit.pk}/").json()
    assert body["people"] == [leyla.pk] and body["participants"] == [cast.reader.pk]
    changed = api(cast.rep_ist).patch(
        f"/api/v1/activities/{visit.pk}/", {"participants": [], "people": [999999]}, format="json"
    )
    assert changed.status_code == 400 and set(changed.json()["errors"]) == {"people"}
    cleared = api(cast.rep_ist).patch(f"/api/v1/activities/{visit.pk}/", {"participants": []}, format="json")
    assert (
        cleared.status_code == 200 and cleared.json()["participants"] == [] and cleared.json()["people"] == [leyla.pk]
    )
