"""Customer pages through the Django test client: create with duplicate warning, edit conflict, 360°, lists."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from velinimet.customers import services
from velinimet.customers.models import Person

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


FORM = {
    "first_name": "Şükrü",
    "last_name": "Öztürk",
    "phone_0": "0532 123 45 67",
    "phone_kind_0": "mobile",
    "country": "TR",
    "city": "İstanbul",
    "postal_code": "34710",
}


def test_create_shows_duplicates_then_saves_when_forced(cast: Any) -> None:
    client = client_for(cast.rep_ist)
    first = client.post("/customers/people/new/", FORM)
    assert first.status_code == 302
    again = client.post("/customers/people/new/", {**FORM, "phone_0": "+90 (532) 1234567"})
    assert again.status_code == 200
    html = again.content.decode()
    assert "duplicates" in html and "0532 123 45 67" in html
    assert Person.objects.count() == 1
    forced = client.post("/customers/people/new/", {**FORM, "force": "on"})
    assert forced.status_code == 302
    assert Person.objects.count() == 2


def test_field_errors_land_next_to_their_fields(cast: Any) -> None:
    response = client_for(cast.rep_ist).post(
        "/customers/people/new/", {**FORM, "phone_0": "12", "tckn": "1", "postal_code": "ABC"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert {"phone_0", "tckn", "postal_code"} <= set(form.errors)
    assert not Person.objects.exists()


def test_concurrent_edit_is_refused_with_a_message(cast: Any) -> None:
    person = services.person_create(actor=cast.rep_ist, first_name="Ayşe", force=True)
    client = client_for(cast.rep_ist)
    form = client.get(f"/customers/people/{person.pk}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(first_name="Ayşe", country="TR", version=person.version)
    services.person_update(actor=cast.manager, person=person, title="Changed meanwhile")
    response = client.post(f"/customers/people/{person.pk}/edit/", {**data, "title": "Mine"})
    assert response.status_code == 200
    assert "Someone else saved" in response.content.decode() or response.context["form"].non_field_errors()
    person.refresh_from_db()
    assert person.title == "Changed meanwhile"


def test_360_page_shows_contacts_consents_and_escapes(cast: Any) -> None:
    person = services.person_create(
        actor=cast.rep_ist,
        first_name="<script>x</script>",
        last_name="Öztürk",
        phones=[services.PhoneIn("0532 123 45 67")],
        force=True,
    )
    services.consent_record(actor=cast.rep_ist, person=person, channel="sms", status="granted", source="web")
    html = client_for(cast.rep_ist).get(f"/customers/people/{person.pk}/").content.decode()
    assert "<script>x</script>" not in html and "&lt;script&gt;" in html
    assert "tel:+905321234567" in html and "0532 123 45 67" in html
    assert person.customer_number in html


def test_list_keyset_pages_filters_and_bulk_tag(cast: Any, django_assert_max_num_queries: Any) -> None:
    for i in range(60):
        services.person_create(
            actor=cast.rep_ist,
            first_name=f"Kişi{i:02d}",
            force=True,
            addresses=[services.AddressIn(city="İzmir" if i % 2 else "Ankara")],
        )
    client = client_for(cast.rep_ist)
    with django_assert_max_num_queries(15):
        page1 = client.get("/customers/people/", {"sort": "name"})
    rows1 = page1.context["rows"]
    assert len(rows1) == 50 and page1.context["next_url"]
    page2 = client.get("/customers/people/" + page1.context["next_url"])
    rows2 = page2.context["rows"]
    assert len(rows2) == 10
    assert not {r.pk for r in rows1} & {r.pk for r in rows2}
    assert [r.first_name for r in rows1[:2]] == ["Kişi00", "Kişi01"]
    izmir = client.get("/customers/people/", {"city": "IZMIR"}).context["rows"]
    assert len(izmir) == 30
    ids = [r.pk for r in rows2]
    client.post("/customers/person/bulk/", {"ids": ids, "action": "tag", "tag": "Fuar 2026"})
    assert Person.objects.filter(tags__name="Fuar 2026").count() == 10


def test_bulk_action_refuses_records_the_user_may_not_change(cast: Any) -> None:
    theirs = services.person_create(actor=cast.manager, first_name="Ortak", force=True)
    client_for(cast.reader).post("/customers/person/bulk/", {"ids": [theirs.pk], "action": "tag", "tag": "X"})
    assert not theirs.tags.exists()


def test_saved_views_are_per_user(cast: Any) -> None:
    client = client_for(cast.rep_ist)
    client.post("/customers/person/views/", {"name": "İzmir", "query": "city=izmir"})
    assert "İzmir" in client.get("/customers/people/").content.decode()
    assert "city=izmir" not in client_for(cast.rep_baku).get("/customers/people/").content.decode()


def test_unknown_kind_in_url_is_404(cast: Any) -> None:
    assert client_for(cast.admin).post("/customers/robot/bulk/", {}).status_code == 404


def test_custom_fields_admin_form_and_list_filter(cast: Any, api: Any) -> None:
    admin = client_for(cast.admin)
    assert (
        admin.post(
            "/customers/settings/fields/",
            {"record_type": "person", "label": "Müşteri Segmenti", "kind": "choice", "choices": "Altın, Gümüş"},
        ).status_code
        == 302
    )
    from velinimet.customers.models import CustomField

    field = CustomField.objects.get()
    assert field.key == "musteri_segmenti" and field.choices == ["Altın", "Gümüş"]
    assert (
        client_for(cast.rep_ist)
        .post("/customers/settings/fields/", {"record_type": "person", "label": "X", "kind": "text"})
        .status_code
        == 403
    )
    rep = client_for(cast.rep_ist)
    form = {"first_name": "Ayşe", "country": "TR", "custom_musteri_segmenti": "Altın"}
    assert rep.post("/customers/people/new/", form).status_code == 302
    assert (
        rep.post(
            "/customers/people/new/", {**form, "first_name": "Fatma", "custom_musteri_segmenti": "Bronz"}
        ).status_code
        == 200
    )  # not one of the choices
    services.person_create(actor=cast.rep_ist, first_name="Zeynep", force=True, custom={"musteri_segmenti": "Gümüş"})
    rows = rep.get("/customers/people/", {"cf_musteri_segmenti": "Altın"}).context["rows"]
    assert [r.first_name for r in rows] == ["Ayşe"]
    body = api(cast.rep_ist).get("/api/v1/people/").json()["results"]
    assert {r["first_name"]: r["custom"] for r in body}["Ayşe"] == {"musteri_segmenti": "Altın"}
    assert api(cast.rep_ist).get("/api/v1/custom-fields/").json()["results"][0]["key"] == "musteri_segmenti"
    bad = api(cast.admin).post(
        "/api/v1/custom-fields/", {"record_type": "person", "label": "Y", "kind": "choice"}, format="json"
    )
    assert bad.status_code == 400 and "choices" in bad.json()["errors"]


def test_trash_lists_deleted_records_and_restores_them(cast: Any) -> None:
    person = services.person_create(actor=cast.rep_ist, first_name="Çöpe", last_name="Giden", force=True)
    services.record_delete(actor=cast.manager, record=person)
    manager = client_for(cast.manager)
    assert "Çöpe Giden" in manager.get("/customers/trash/?kind=person").content.decode()
    assert client_for(cast.rep_ist).get("/customers/trash/").status_code == 403  # reps may not delete
    assert manager.post(f"/customers/person/{person.pk}/restore/").status_code == 302
    person.refresh_from_db()
    assert person.deleted_at is None
    assert client_for(cast.rep_baku).post(f"/customers/person/{person.pk}/restore/").status_code == 404


def test_an_invalid_filter_lists_nothing_instead_of_everything(cast: Any) -> None:
    services.person_create(actor=cast.rep_ist, first_name="Etiketli", tags=["Toptan"], force=True)
    services.person_create(actor=cast.rep_ist, first_name="Etiketsiz", force=True)
    client = client_for(cast.rep_ist)
    filtered = client.get("/customers/people/", {"tag": "Toptan"})
    assert [p.first_name for p in filtered.context["rows"]] == ["Etiketli"]
    broken = client.get("/customers/people/", {"tag": "Toptan", "owner": "99999"})  # e.g. a saved view's old owner
    assert broken.status_code == 200 and list(broken.context["rows"]) == []
    assert broken.context["form"].errors["owner"] and 'role="alert"' in broken.content.decode()


def test_bulk_actions_are_offered_only_to_users_who_may_use_them(cast: Any) -> None:
    services.person_create(actor=cast.rep_ist, first_name="Görünen", force=True)
    reader = client_for(cast.reader).get("/customers/people/").content.decode()
    rep = client_for(cast.rep_ist).get("/customers/people/").content.decode()
    assert 'value="tag"' not in reader and 'value="assign"' not in reader
    assert 'value="tag"' in rep


def test_saved_views_can_be_deleted_by_their_owner_only(cast: Any) -> None:
    from velinimet.customers.models import SavedView

    mine = client_for(cast.rep_ist)
    mine.post("/customers/person/views/", {"name": "Toptancılar", "query": "tag=Toptan"})
    view = SavedView.objects.get(user=cast.rep_ist)
    assert "Toptancılar" in mine.get("/customers/people/").content.decode()
    assert client_for(cast.manager).post(f"/customers/person/views/{view.pk}/delete/").status_code == 404
    assert mine.get(f"/customers/person/views/{view.pk}/delete/").status_code == 405
    assert mine.post(f"/customers/person/views/{view.pk}/delete/").status_code == 302
    assert not SavedView.objects.exists()
