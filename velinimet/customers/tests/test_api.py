"""The customers API contract: CRUD, 409 duplicates, optimistic locking, search, caller lookup, webhook."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from velinimet.customers import services
from velinimet.customers.models import IncomingCall, Person

pytestmark = pytest.mark.django_db

SUKRU = {
    "first_name": "Şükrü",
    "last_name": "Öztürk",
    "phones": [{"number": "0532 123 45 67", "kind": "mobile"}],
    "emails": [{"address": "sukru@example.com"}],
}


def test_create_person_answers_201_with_the_record(cast: Any, api: Any) -> None:
    response = api(cast.rep_ist).post("/api/v1/people/", SUKRU, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["id"] and body["customer_number"].startswith("M")
    assert body["phones"] == [
        {"number": "0532 123 45 67", "e164": "+905321234567", "kind": "mobile", "is_primary": True}
    ]
    assert body["emails"][0]["address"] == "sukru@example.com"
    assert body["url"] == f"/customers/people/{body['id']}/"
    assert body["version"] == 1


def test_duplicate_answers_409_with_candidates_unless_forced(cast: Any, api: Any) -> None:
    client = api(cast.rep_ist)
    first = client.post("/api/v1/people/", SUKRU, format="json").json()
    again = client.post(
        "/api/v1/people/", {**SUKRU, "phones": [{"number": "+90 (532) 1234567"}], "emails": []}, format="json"
    )
    assert again.status_code == 409
    body = again.json()
    assert body["code"] == "duplicate"
    assert body["candidates"][0]["id"] == first["id"]
    assert any("0532" in r for r in body["candidates"][0]["reasons"])
    assert Person.objects.count() == 1
    forced = client.post("/api/v1/people/?force=true", {**SUKRU, "emails": []}, format="json")
    assert forced.status_code == 201
    assert Person.objects.count() == 2


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"phones": [{"number": "12"}]}, "phones.0.number"),
        ({"emails": [{"address": "nope"}]}, "emails.0.address"),
        ({"tckn": "12345678901"}, "tckn"),
        ({"iban": "TR12"}, "iban"),
        ({"first_name": ""}, "first_name"),
        ({"phones": [{"number": "0532 123 45 67", "kind": "pager"}]}, "phones.0.kind"),
    ],
)
def test_bad_input_is_400_with_the_field_and_saves_nothing(cast: Any, api: Any, payload: dict, field: str) -> None:
    response = api(cast.rep_ist).post("/api/v1/people/", {"first_name": "Ayşe", **payload}, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert not Person.objects.exists()


def test_error_messages_are_in_the_users_language(cast: Any, api: Any) -> None:
    body = api(cast.rep_baku).post("/api/v1/people/", {"first_name": "Əli", "tckn": "1"}, format="json").json()
    assert "TCKN" in body["errors"]["tckn"][0]
    assert "wrong number of digits" not in body["errors"]["tckn"][0]  # Azerbaijani, not English


def test_update_with_a_stale_version_is_409(cast: Any, api: Any) -> None:
    client = api(cast.rep_ist)
    created = client.post("/api/v1/people/", SUKRU, format="json").json()
    url = f"/api/v1/people/{created['id']}/"
    ok = client.patch(url, {"title": "Dr.", "version": 1}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch(url, {"title": "Av.", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["code"] == "edit_conflict"
    assert client.get(url).json()["title"] == "Dr."


def test_other_team_cannot_read_or_change_by_id(cast: Any, api: Any) -> None:
    created = api(cast.rep_ist).post("/api/v1/people/", SUKRU, format="json").json()
    other = api(cast.rep_baku)
    assert other.get(f"/api/v1/people/{created['id']}/").status_code == 404
    assert other.patch(f"/api/v1/people/{created['id']}/", {"title": "x"}, format="json").status_code == 404
    assert other.delete(f"/api/v1/people/{created['id']}/").status_code == 404


def test_delete_moves_to_trash(cast: Any, api: Any) -> None:
    created = api(cast.rep_ist).post("/api/v1/people/", SUKRU, format="json").json()
    assert api(cast.rep_ist).delete(f"/api/v1/people/{created['id']}/").status_code == 403  # reps may not delete
    assert api(cast.manager).delete(f"/api/v1/people/{created['id']}/").status_code == 204
    assert Person.objects.get(pk=created["id"]).deleted_at is not None
    assert api(cast.manager).get(f"/api/v1/people/{created['id']}/").status_code == 404


def test_company_crud_and_person_link(cast: Any, api: Any) -> None:
    client = api(cast.rep_ist)
    company = client.post("/api/v1/companies/", {"name": "Anadolu Gıda A.Ş.", "vkn": "1234567890"}, format="json")
    assert company.status_code == 201, company.json()
    person = client.post(
        "/api/v1/people/", {**SUKRU, "company": company.json()["id"], "company_title": "Satın Alma"}, format="json"
    )
    assert person.status_code == 201
    assert person.json()["companies"] == [
        {"id": company.json()["id"], "name": "Anadolu Gıda A.Ş.", "title": "Satın Alma"}
    ]
    bad = client.post("/api/v1/companies/", {"name": "X", "vkn": "12"}, format="json")
    assert bad.status_code == 400 and "vkn" in bad.json()["errors"]


def test_search_endpoint_contract(cast: Any, api: Any) -> None:
    client = api(cast.rep_ist)
    created = client.post("/api/v1/people/", SUKRU, format="json").json()
    body = client.get("/api/v1/search/", {"q": "sukru"}).json()
    assert body["results"][0] == {
        "type": "person",
        "id": created["id"],
        "title": "Şükrü Öztürk",
        "subtitle": f"{created['customer_number']} · …4567",  # what tells namesakes apart: the phone's end
        "url": created["url"],
        "score": 2,
    }
    for q in ["0532 123 45 67", "+90 (532) 1234567", "5321234567"]:
        assert client.get("/api/v1/search/", {"q": q}).json()["results"][0]["id"] == created["id"]
    assert client.get("/api/v1/search/", {"q": ""}).status_code == 400
    assert client.get("/api/v1/search/", {"q": "x" * 101}).status_code == 400
    assert api(cast.rep_baku).get("/api/v1/search/", {"q": "sukru"}).json()["results"] == []


def test_caller_lookup_endpoint(cast: Any, api: Any) -> None:
    client = api(cast.rep_ist)
    created = client.post("/api/v1/people/", SUKRU, format="json").json()
    hit = client.get("/api/v1/calls/lookup/", {"number": "+90 532 123 45 67"})
    assert hit.status_code == 200
    assert hit.json()["type"] == "person" and hit.json()["id"] == created["id"]
    assert hit.json()["title"] == "Şükrü Öztürk"
    assert client.get("/api/v1/calls/lookup/", {"number": "0212 999 99 99"}).status_code == 404
    assert client.get("/api/v1/calls/lookup/", {"number": ""}).status_code == 400


def test_incoming_call_webhook_pops_up_for_the_extension_user(cast: Any, api: Any) -> None:
    cast.rep_ist.extension = "201"
    cast.rep_ist.save()
    created = api(cast.rep_ist).post("/api/v1/people/", SUKRU, format="json").json()
    response = api(cast.admin).post(
        "/api/v1/calls/incoming/", {"number": "05321234567", "extension": "201"}, format="json"
    )
    assert response.status_code == 202
    assert response.json()["recognised"] is True  # but not who: the name stays on rep_ist's screen
    spoof = api(cast.rep_ist).post(
        "/api/v1/calls/incoming/", {"number": "05321234567", "extension": "201"}, format="json"
    )
    assert spoof.status_code == 403  # only an administrator's (phone system's) token may report calls
    browser = Client()
    browser.force_login(cast.rep_ist)
    assert 'id="screen-pop"' in browser.get("/").content.decode()
    pop = browser.get("/customers/calls/pop/").content.decode()
    assert f"/customers/people/{created['id']}/" in pop
    call = IncomingCall.objects.get()
    browser.post(f"/customers/calls/{call.pk}/dismiss/")
    assert "/customers/people/" not in browser.get("/customers/calls/pop/").content.decode()
    other = Client()
    other.force_login(cast.rep_baku)
    assert "Şükrü" not in other.get("/customers/calls/pop/").content.decode()


def test_consents_endpoint_appends_history(cast: Any, api: Any) -> None:
    client = api(cast.rep_ist)
    created = client.post("/api/v1/people/", SUKRU, format="json").json()
    url = f"/api/v1/people/{created['id']}/consents/"
    assert (
        client.post(url, {"channel": "email", "status": "granted", "source": "web"}, format="json").status_code == 201
    )
    assert client.post(url, {"channel": "email", "status": "refused"}, format="json").status_code == 201
    assert [c["status"] for c in client.get(url).json()] == ["refused", "granted"]
    assert client.post(url, {"channel": "fax", "status": "granted"}, format="json").status_code == 400


def test_a_person_can_work_at_several_companies(cast: Any, api: Any) -> None:
    client = api(cast.rep_ist)
    person = client.post("/api/v1/people/", SUKRU, format="json").json()
    first = client.post("/api/v1/companies/", {"name": "Birinci A.Ş."}, format="json").json()
    second = client.post("/api/v1/companies/", {"name": "İkinci Ltd."}, format="json").json()
    client.post(
        f"/api/v1/people/{person['id']}/companies/", {"company": first["id"], "title": "Danışman"}, format="json"
    )
    body = client.post(
        f"/api/v1/people/{person['id']}/companies/",
        {"company": second["id"], "title": "Ortak", "is_primary": True},
        format="json",
    ).json()
    assert sorted(c["name"] for c in body["companies"]) == ["Birinci A.Ş.", "İkinci Ltd."]
    hidden = api(cast.rep_baku).post("/api/v1/companies/", {"name": "Gizli MMC"}, format="json").json()
    refused = client.post(f"/api/v1/people/{person['id']}/companies/", {"company": hidden["id"]}, format="json")
    assert refused.status_code == 400


def test_manager_assigns_through_the_api_rep_cannot(cast: Any, api: Any) -> None:
    created = api(cast.rep_ist).post("/api/v1/people/", SUKRU, format="json").json()
    url = f"/api/v1/people/{created['id']}/"
    assert api(cast.rep_ist).patch(url, {"owner": cast.rep_baku.pk}, format="json").status_code in (400, 403)
    moved = api(cast.manager).patch(url, {"owner": cast.rep_baku.pk}, format="json")
    assert moved.status_code == 200, moved.json()
    assert (moved.json()["owner"], moved.json()["team"]) == (cast.rep_baku.pk, cast.baku.pk)
    assert api(cast.rep_ist).get(url).status_code == 404  # now the other team's
    assert api(cast.manager).patch(url, {"owner": 99999}, format="json").status_code == 400


def test_patch_with_phones_or_emails_without_their_optional_keys(cast: Any, api: Any) -> None:
    client = api(cast.rep_ist)
    for path, body, kind in (
        ("/api/v1/people/", SUKRU, "mobile"),
        ("/api/v1/companies/", {"name": "Ege Tekstil"}, "work"),
    ):
        pk = client.post(path + "?force=true", body, format="json").json()["id"]
        changed = client.patch(
            f"{path}{pk}/",
            {"phones": [{"number": "0533 777 88 99"}], "emails": [{"address": "Satis@Ege.com.tr"}]},
            format="json",
        )
        assert changed.status_code == 200, changed.json()
        assert changed.json()["phones"] == [
            {"number": "0533 777 88 99", "e164": "+905337778899", "kind": kind, "is_primary": True}
        ]  # a person's default kind is mobile, a company's work
        assert changed.json()["emails"] == [{"address": "Satis@ege.com.tr", "is_primary": True}]


def test_every_wrong_value_is_reported_at_once(cast: Any, api: Any) -> None:
    from velinimet.customers.models import CustomField

    CustomField.objects.create(record_type="person", key="puan", label="Puan", kind="number")
    body = {
        "first_name": "Ayşe",
        "gender": "x",
        "preferred_language": "de",
        "preferred_channel": "fax",
        "tckn": "1",
        "birth_date": "31.02.1970",  # no such day (15.07.1970 is a date: Turkish order is read)
        "custom": {"puan": "nan"},
        "addresses": [{"country": "D1"}],
    }
    response = api(cast.rep_ist).post("/api/v1/people/", body, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"gender", "preferred_language", "preferred_channel", "tckn", "birth_date", "custom.puan"} <= set(errors)
    assert "addresses.0.country" in errors
    assert all(code in errors["preferred_language"][0] for code in ("tr", "en", "az"))
    assert "visit" in errors["preferred_channel"][0]
    assert not Person.objects.exists()
    for number in ("inf", "-1e400", "NaN"):
        response = api(cast.rep_ist).post(
            "/api/v1/people/", {"first_name": "A", "custom": {"puan": number}}, format="json"
        )
        assert response.status_code == 400 and "custom.puan" in response.json()["errors"]


def test_a_comma_separates_tags_in_the_api_as_in_the_form(cast: Any, api: Any) -> None:
    body = api(cast.rep_ist).post(
        "/api/v1/people/", {"first_name": "Ayşe", "tags": ["Müşteri, VIP", "vip"]}, format="json"
    )
    assert sorted(body.json()["tags"]) == ["Müşteri", "VIP"]


def test_a_card_held_in_the_trash_says_so(cast: Any, api: Any) -> None:
    client = api(cast.admin)
    pk = client.post("/api/v1/people/", {"first_name": "Kart", "card_numbers": ["KART-000123"]}, format="json").json()[
        "id"
    ]
    assert client.delete(f"/api/v1/people/{pk}/").status_code == 204
    again = api(cast.rep_ist).post(
        "/api/v1/people/", {"first_name": "Yeni", "card_numbers": ["KART-000123"]}, format="json"
    )
    assert again.status_code == 400
    with translation.override("tr"):  # the rep's language
        expected = gettext(
            "Card %(number)s belongs to a customer in the trash: restore them and remove it there first."
        )
    assert again.json()["errors"]["card_numbers.0"] == [expected % {"number": "KART-000123"}]


def test_identifiers_written_with_spaces_are_not_too_long(cast: Any, api: Any) -> None:
    """Column lengths are checked on what is stored: a TCKN typed in groups is 11 digits once normalised."""
    body = {"first_name": "Ayşe", "tckn": "100 000 001 46", "iban": "tr33 0006 1005 1978 6457 8413 26"}
    response = api(cast.rep_ist).post("/api/v1/people/", body, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["tckn"], response.json()["iban"]) == ("10000000146", "TR330006100519786457841326")


def test_an_unknown_callers_pop_up_offers_a_new_person_with_the_number(cast: Any, api: Any) -> None:
    import re

    cast.rep_ist.extension = "202"
    cast.rep_ist.save()
    api(cast.admin).post("/api/v1/calls/incoming/", {"number": "0 (532) 777-66-55", "extension": "202"}, format="json")
    browser = Client()
    browser.force_login(cast.rep_ist)
    pop = browser.get("/customers/calls/pop/").content.decode()
    link = re.search(r'href="(/customers/people/new/\?phone=[^"]+)"', pop)
    assert link is not None, pop
    form = browser.get(link.group(1).replace("&amp;", "&")).context["form"]
    assert form.initial["phone_0"] and "777" in form.initial["phone_0"].replace(" ", "").replace("-", "")


def test_duplicate_the_user_cannot_see_is_answered_without_its_stored_values(cast: Any, api: Any) -> None:
    services.person_create(
        actor=cast.rep_baku,
        first_name="Gizli",
        emails=[services.EmailIn("Gizli.Kisi@Example.AZ")],
        phones=[services.PhoneIn("+994 50 555 12 34")],
        force=True,
    )
    body = {
        "first_name": "Yeni",
        "emails": [{"address": "gizli.kisi@example.az"}],
        "phones": [{"number": "+994505551234"}],
    }
    answer = api(cast.rep_ist).post("/api/v1/people/", body, format="json")
    assert answer.status_code == 409
    (candidate,) = answer.json()["candidates"]
    with translation.override("tr"):  # the API answers in the default language
        assert candidate["visible"] is False and candidate["reasons"] == [gettext("it matches what you entered")]
    assert "Gizli" not in str(candidate) and "555" not in str(candidate)
