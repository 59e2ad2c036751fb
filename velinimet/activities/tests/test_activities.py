"""The activity timeline: services, paging, the 360° section, the API, merge, KVKK and the caller card."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from velinimet.activities import services
from velinimet.activities.models import Activity
from velinimet.activities.selectors import timeline, upcoming
from velinimet.activities.tests.factories import ActivityFactory
from velinimet.core.exceptions import DomainError, NotAllowed
from velinimet.customers import services as customers
from velinimet.customers.exceptions import EditConflict
from velinimet.customers.models import Person
from velinimet.customers.services.kvkk import person_data_export, person_erase
from velinimet.customers.services.merge import merge_undo, records_merge
from velinimet.customers.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ahmet(cast: Any) -> Person:
    return PersonFactory(
        actor=cast.rep_ist, first_name="Ahmet", last_name="Yılmaz", phones=[customers.PhoneIn("0532 765 43 21")]
    )


def _log(actor: Any, person: Person, subject: str, days_ago: float = 0, **extra: Any) -> Activity:
    return ActivityFactory(actor=actor, person=person, subject=subject, days_ago=days_ago, **extra)


def test_log_validates_every_field_at_once(cast: Any, ahmet: Person) -> None:
    with pytest.raises(DomainError) as exc:
        services.activity_log(
            actor=cast.rep_ist,
            person=ahmet,
            kind="fax",
            subject="   ",
            direction="sideways",
            duration_minutes="a lot",
            occurred_at=datetime.datetime(1850, 1, 1, tzinfo=datetime.UTC),
        )
    assert set(exc.value.errors) == {"kind", "subject", "direction", "duration_minutes", "occurred_at"}
    assert Activity.objects.count() == 0
    with pytest.raises(DomainError) as exc:
        services.activity_log(actor=cast.rep_ist, subject="Alone")
    assert "person" in exc.value.errors


def test_log_needs_a_customer_the_user_can_read(cast: Any, ahmet: Person) -> None:
    with pytest.raises(NotAllowed):  # a Bakı rep cannot see an İstanbul rep's customer
        _log(cast.rep_baku, ahmet, "Arama")
    activity = _log(cast.rep_ist, ahmet, "  Fiyat   teklifi  ", kind="call", direction="out", duration_minutes=5)
    assert activity.subject == "Fiyat teklifi" and activity.owner == cast.rep_ist
    assert activity.team == cast.istanbul


def test_update_refuses_a_stale_version_and_other_peoples_activities(cast: Any, ahmet: Person) -> None:
    activity = _log(cast.rep_ist, ahmet, "Ziyaret")
    updated = services.activity_update(actor=cast.rep_ist, activity=activity, version=1, body="Olumlu geçti")
    assert updated.version == 2 and updated.body == "Olumlu geçti"
    with pytest.raises(EditConflict):
        services.activity_update(actor=cast.rep_ist, activity=activity, version=1, body="Eski")
    with pytest.raises(NotAllowed):
        services.activity_update(actor=cast.reader, activity=activity, body="x")
    with pytest.raises(NotAllowed):
        services.activity_delete(actor=cast.reader, activity=activity)
    services.activity_delete(actor=cast.rep_ist, activity=activity)
    assert not Activity.objects.exists()


def test_timeline_pages_newest_first_without_gaps_or_repeats(cast: Any, ahmet: Person) -> None:
    same_moment = timezone.now() - datetime.timedelta(hours=1)
    for i in range(25):  # several activities share a timestamp: the id breaks the tie
        services.activity_log(actor=cast.rep_ist, person=ahmet, subject=f"A{i}", occurred_at=same_moment)
    for i in range(20):
        _log(cast.rep_ist, ahmet, f"B{i}", days_ago=i + 1)
    seen: list[int] = []
    after = None
    while True:
        page = timeline(cast.rep_ist, "person", ahmet.pk, after, size=7)
        seen += [a.pk for a in page["items"]]
        if not page["cursor"]:
            break
        after = page["cursor"]
    expected = list(Activity.objects.order_by("-occurred_at", "-id").values_list("pk", flat=True))
    assert seen == expected and len(seen) == 45


def test_timeline_shows_only_visible_activities(cast: Any, ahmet: Person) -> None:
    _log(cast.rep_ist, ahmet, "Mine")
    hidden = _log(cast.admin, ahmet, "Admin's call")
    hidden.team = cast.baku
    hidden.save()
    subjects = [a.subject for a in timeline(cast.rep_ist, "person", ahmet.pk)["items"]]
    assert subjects == ["Mine"]
    assert len(timeline(cast.manager, "person", ahmet.pk)["items"]) == 2


def test_360_page_shows_the_timeline_and_pages_back(cast: Any, ahmet: Person) -> None:
    for i in range(23):
        _log(cast.rep_ist, ahmet, f"Görüşme {i:02d}", days_ago=i)
    client = Client()
    client.force_login(cast.rep_ist)
    html = client.get(f"/customers/people/{ahmet.pk}/").content.decode()
    assert "Görüşme 00" in html and "Görüşme 19" in html and "Görüşme 20" not in html
    older = timeline(cast.rep_ist, "person", ahmet.pk)["cursor"]
    part = client.get(f"/activities/person/{ahmet.pk}/", {"cursor": older}, HTTP_HX_REQUEST="true")
    body = part.content.decode()
    assert "Görüşme 20" in body and "Görüşme 22" in body and "Görüşme 19" not in body
    assert "<html" not in body
    assert client.get(f"/activities/person/{ahmet.pk}/", {"cursor": "garbage"}).status_code == 200


def test_log_edit_and_delete_through_the_pages(cast: Any, ahmet: Person) -> None:
    client = Client()
    client.force_login(cast.rep_ist)
    url = f"/activities/person/{ahmet.pk}/new/"
    bad = client.post(url, {"kind": "call", "subject": "", "occurred_at": "2026-11-20T10:30"})
    assert bad.status_code == 200 and 'class="errorlist' in bad.content.decode() and not Activity.objects.exists()
    response = client.post(
        url, {"kind": "call", "direction": "in", "subject": "Sipariş sordu", "occurred_at": "2026-11-20T10:30"}
    )
    assert response.status_code == 302 and response["Location"].endswith(f"/customers/people/{ahmet.pk}/#timeline")
    activity = Activity.objects.get()
    assert activity.direction == "in" and timezone.localtime(activity.occurred_at).hour == 10
    edit = f"/activities/{activity.pk}/edit/"
    assert "Sipariş sordu" in client.get(edit).content.decode()
    form = {"kind": "call", "subject": "Sipariş ve fiyat sordu", "occurred_at": "2026-11-20T10:30", "version": 1}
    assert client.post(edit, form).status_code == 302
    stale = client.post(edit, {**form, "subject": "Eski sürüm"})
    assert stale.status_code == 200 and 'class="errorlist' in stale.content.decode()
    assert Activity.objects.get().subject == "Sipariş ve fiyat sordu"
    other = Client()
    other.force_login(cast.rep_baku)
    assert other.get(edit).status_code == 404
    assert other.post(url, {"kind": "note", "subject": "x", "occurred_at": "2026-11-20T10:30"}).status_code == 404
    assert client.post(f"/activities/{activity.pk}/delete/").status_code == 302
    assert not Activity.objects.exists()


def test_api_crud_filters_and_errors(cast: Any, ahmet: Person, api: Any) -> None:
    client = api(cast.rep_ist)
    created = client.post(
        "/api/v1/activities/",
        {"person": ahmet.pk, "kind": "visit", "subject": "Mağaza ziyareti", "duration_minutes": 30},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["person"] == ahmet.pk and body["owner"] == cast.rep_ist.pk and body["version"] == 1
    _log(cast.rep_ist, ahmet, "Not", kind="note")
    listed = client.get("/api/v1/activities/", {"person": ahmet.pk, "kind": "visit"}).json()["results"]
    assert [a["subject"] for a in listed] == ["Mağaza ziyareti"]
    pk = body["id"]
    patched = client.patch(f"/api/v1/activities/{pk}/", {"body": "Vitrin yenilenecek", "version": 1}, format="json")
    assert patched.status_code == 200 and patched.json()["version"] == 2
    stale = client.patch(f"/api/v1/activities/{pk}/", {"body": "x", "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "edit_conflict"
    moved = client.patch(f"/api/v1/activities/{pk}/", {"person": ahmet.pk + 99}, format="json")
    assert moved.status_code == 400 and "person" in moved.json()["errors"]
    invalid = client.post("/api/v1/activities/", {"person": ahmet.pk, "kind": "fax", "subject": ""}, format="json")
    assert invalid.status_code == 400 and {"kind", "subject"} <= set(invalid.json()["errors"])
    no_customer = client.post("/api/v1/activities/", {"subject": "x"}, format="json")
    assert no_customer.status_code == 400 and "person" in no_customer.json()["errors"]
    baku = api(cast.rep_baku)
    hidden = baku.post("/api/v1/activities/", {"person": ahmet.pk, "subject": "x"}, format="json")
    with translation.override("az"):  # rep_baku works in Azerbaijani
        assert hidden.status_code == 400 and hidden.json()["errors"]["person"] == [gettext("No such customer.")]
    assert baku.get(f"/api/v1/activities/{pk}/").status_code == 404
    assert api(cast.reader).delete(f"/api/v1/activities/{pk}/").status_code == 403
    assert client.delete(f"/api/v1/activities/{pk}/").status_code == 204


def test_merge_moves_the_timeline_and_undo_moves_it_back(cast: Any, ahmet: Person) -> None:
    twin = customers.person_create(actor=cast.rep_ist, first_name="Ahmet", last_name="Yilmaz", force=True)
    _log(cast.rep_ist, ahmet, "Survivor's call", days_ago=2)
    _log(cast.rep_ist, twin, "Twin's visit", days_ago=1)
    merge = records_merge(actor=cast.rep_ist, survivor=ahmet, other=twin)
    assert [a.subject for a in timeline(cast.rep_ist, "person", ahmet.pk)["items"]] == [
        "Twin's visit",
        "Survivor's call",
    ]
    merge_undo(actor=cast.rep_ist, merge=merge)
    assert [a.subject for a in timeline(cast.rep_ist, "person", twin.pk)["items"]] == ["Twin's visit"]


def test_kvkk_export_and_erasure_cover_activities(cast: Any, ahmet: Person) -> None:
    _log(cast.rep_ist, ahmet, "Ahmet Bey kızının düğününden bahsetti", body="Ev adresi: Moda Cad. 5")
    data = person_data_export(actor=cast.admin, person=ahmet)
    assert data["activities"][0]["subject"].startswith("Ahmet Bey")
    person_erase(actor=cast.admin, person=ahmet, reason="Başvuru 2026/17")
    activity = Activity.objects.get()
    assert activity.subject == "[erased]" and activity.body == ""


def test_caller_card_shows_the_last_visible_activity(cast: Any, ahmet: Person, api: Any) -> None:
    _log(cast.rep_ist, ahmet, "Eski arama", days_ago=10, kind="call")
    _log(cast.rep_ist, ahmet, "Son ziyaret", days_ago=1, kind="visit")
    _log(cast.rep_ist, ahmet, "Gelecek hafta ara", days_ago=-7, kind="task")  # planned: not the last one
    card = api(cast.rep_ist).get("/api/v1/calls/lookup/", {"number": "+90 532 765 4321"}).json()
    assert card["last_activity"]["subject"] == "Son ziyaret" and card["last_activity"]["kind"] == "visit"


def test_seeded_activities_are_valid_rows_on_the_timeline(cast: Any, ahmet: Person) -> None:
    import random

    from velinimet.activities.models import Direction, Kind
    from velinimet.activities.seed import seed_activities

    assert seed_activities(30, random.Random(1), person_ids=[ahmet.pk]) == 30
    rows = list(Activity.objects.all())
    assert all(a.kind in Kind.values and a.direction in Direction.values and a.subject for a in rows)
    done = [a for a in rows if a.status == "done"]
    assert all(a.occurred_at <= timezone.now() and a.completed_at and a.owner_id for a in done)
    assert all(a.kind != "note" for a in rows if a.status == "open")  # a note is never planned
    history = timeline(cast.admin, "person", ahmet.pk, size=50)["items"]
    assert len(history) == len(done) and len(history) + len(upcoming(cast.admin, "person", ahmet.pk)) == 30


def test_an_activity_with_a_person_shows_on_their_companys_timeline(cast: Any) -> None:
    firm = customers.company_create(actor=cast.rep_ist, name="Anadolu Gıda")
    employee = customers.person_create(actor=cast.rep_ist, first_name="Selin", last_name="Aydın", company=firm)
    call = _log(cast.rep_ist, employee, "Sipariş verdi", kind="call")
    assert call.company == firm
    assert [a.subject for a in timeline(cast.rep_ist, "company", firm.pk)["items"]] == ["Sipariş verdi"]
    client = Client()
    client.force_login(cast.rep_ist)
    html = client.get(f"/customers/companies/{firm.pk}/").content.decode()
    assert "Sipariş verdi" in html and f"/customers/people/{employee.pk}/" in html


def test_an_activity_is_hidden_with_the_customer_it_is_about(cast: Any, ahmet: Person, api: Any) -> None:
    """A Bakı service agent logs a call on an İstanbul customer: the activity is the Bakı team's, but a
    Bakı rep who may not see the customer sees neither, in the API list nor by id."""
    from velinimet.accounts.models import Role, User

    agent = User.objects.create(username="servis", role=Role.objects.get(slug="service_agent"), team=cast.baku)
    call = _log(agent, ahmet, "Arıza bildirdi", kind="call")
    assert call.team == cast.baku
    rep = api(cast.rep_baku)
    assert rep.get(f"/api/v1/people/{ahmet.pk}/").status_code == 404
    assert rep.get("/api/v1/activities/", {"person": ahmet.pk}).json()["results"] == []
    assert rep.get(f"/api/v1/activities/{call.pk}/").status_code == 404
    assert [a["id"] for a in api(cast.manager).get("/api/v1/activities/", {"person": ahmet.pk}).json()["results"]] == [
        call.pk
    ]


def test_the_timeline_offers_open_only_on_activities_the_user_may_change(cast: Any, ahmet: Person) -> None:
    call = _log(cast.rep_ist, ahmet, "Teklif istedi", kind="call")
    reader, rep = Client(), Client()
    reader.force_login(cast.reader)
    rep.force_login(cast.rep_ist)
    seen = reader.get(f"/customers/people/{ahmet.pk}/").content.decode()
    assert "Teklif istedi" in seen and f"/activities/{call.pk}/edit/" not in seen
    assert f"/activities/{call.pk}/edit/" in rep.get(f"/customers/people/{ahmet.pk}/").content.decode()


def test_every_api_filter_filters_and_an_unknown_one_is_a_400(cast: Any, ahmet: Person, api: Any) -> None:
    firm = customers.company_create(actor=cast.rep_ist, name="Anadolu Gıda")
    call = _log(cast.rep_ist, ahmet, "Arama", days_ago=10, kind="call")
    visit = services.activity_log(
        actor=cast.rep_ist, company=firm, subject="Ziyaret", kind="visit", occurred_at=timezone.now()
    )
    client = api(cast.rep_ist)

    def ids(**params: Any) -> set[int]:
        response = client.get("/api/v1/activities/", params)
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    assert ids() == {call.pk, visit.pk}
    assert ids(person=ahmet.pk) == {call.pk} and ids(company=firm.pk) == {visit.pk}
    assert ids(kind="visit") == {visit.pk}
    five_days_ago = (timezone.localdate() - datetime.timedelta(days=5)).isoformat()
    assert ids(after=five_days_ago) == {visit.pk} and ids(before=five_days_ago) == {call.pk}
    unknown = client.get("/api/v1/activities/", {"customer": ahmet.pk})
    assert unknown.status_code == 400 and unknown.json()["code"] == "invalid_filter"
    assert set(unknown.json()["errors"]) == {"customer"}
    invalid = client.get("/api/v1/activities/", {"kind": "fax", "person": 2**64})
    assert invalid.status_code == 400 and set(invalid.json()["errors"]) == {"kind", "person"}
