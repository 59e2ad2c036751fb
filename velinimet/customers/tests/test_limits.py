"""Free text and lists have documented maximums (core/limits.py), refused with the field's error in the
API, the form and the import alike; nothing is cut short silently."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from velinimet.activities.models import Activity
from velinimet.core import limits
from velinimet.customers import services
from velinimet.customers.exceptions import DomainError
from velinimet.customers.models import Consent, CustomField, Person, SavedView, Tag

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _field_error(response: Any, field: str) -> str:
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert set(body) >= {"message", "code", "errors"} and field in body["errors"], body
    return body["errors"][field][0]


def test_notes_longer_than_the_limit_are_refused_in_the_api_not_stored(cast: Any, api: Any) -> None:
    body = {"first_name": "Uzun", "notes": "n" * (limits.NOTES + 1)}
    message = _field_error(api(cast.rep_ist).post("/api/v1/people/", body, format="json"), "notes")
    assert "10000" in message.replace(".", "").replace(",", "") and not Person.objects.exists()
    fits = {"first_name": "Uzun", "notes": "n" * limits.NOTES}
    assert api(cast.rep_ist).post("/api/v1/people/", fits, format="json").status_code == 201


def test_notes_longer_than_the_limit_are_the_forms_field_error(cast: Any) -> None:
    form = {"first_name": "Uzun", "phone_kind_0": "mobile", "country": "TR", "notes": "n" * (limits.NOTES + 1)}
    response = _client(cast.rep_ist).post("/customers/people/new/", form)
    assert response.status_code == 200 and 'class="errorlist' in response.content.decode()
    assert not Person.objects.exists()


def test_a_custom_text_longer_than_1000_is_refused_not_cut(cast: Any, api: Any) -> None:
    CustomField.objects.create(record_type="person", key="aciklama", label="Açıklama", kind="text")
    body = {"first_name": "Özel", "custom": {"aciklama": "x" * 1001}}
    _field_error(api(cast.rep_ist).post("/api/v1/people/", body, format="json"), "custom.aciklama")
    assert not Person.objects.exists()
    body["custom"]["aciklama"] = "x" * 1000
    created = api(cast.rep_ist).post("/api/v1/people/", body, format="json")
    assert created.status_code == 201 and Person.objects.get().custom["aciklama"] == "x" * 1000


def test_more_than_50_tags_are_refused(cast: Any, api: Any) -> None:
    body = {"first_name": "Etiketli", "tags": [f"etiket {i}" for i in range(5000)]}
    _field_error(api(cast.rep_ist).post("/api/v1/people/", body, format="json"), "tags")
    assert not Person.objects.exists() and not Tag.objects.exists()
    person = services.person_create(actor=cast.rep_ist, first_name="Etiketli", tags=[f"e{i}" for i in range(50)])
    assert person.tags.count() == 50
    with pytest.raises(DomainError) as exc:  # the same rule through the service (forms, import)
        services.person_update(actor=cast.rep_ist, person=person, tags=["a, b"] * 3 + [f"x{i}" for i in range(49)])
    assert "tags" in exc.value.errors


def test_a_tag_name_longer_than_60_is_refused_not_cut(cast: Any) -> None:
    with pytest.raises(DomainError) as exc:
        services.company_create(actor=cast.rep_ist, name="Firma", tags=["t" * 61])
    assert "tags" in exc.value.errors and not Tag.objects.exists()


def test_a_bulk_tag_beyond_50_on_a_record_is_refused(cast: Any) -> None:
    person = services.person_create(actor=cast.rep_ist, first_name="Dolu", tags=[f"e{i}" for i in range(50)])
    with pytest.raises(DomainError) as exc:
        services.records_add_tag(actor=cast.rep_ist, records=[person], tag="yeni")
    assert "tag" in exc.value.errors and person.tags.count() == 50


@pytest.mark.parametrize("field", ["phones", "emails", "addresses", "card_numbers"])
def test_more_than_20_contacts_of_a_kind_are_refused(cast: Any, api: Any, field: str) -> None:
    items = {
        "phones": [{"number": f"0532 100 {i // 100:02d} {i % 100:02d}"} for i in range(21)],
        "emails": [{"address": f"k{i}@example.com"} for i in range(21)],
        "addresses": [{"city": f"Şehir {i}", "country": "TR"} for i in range(21)],
        "card_numbers": [f"KART-{i}" for i in range(21)],
    }[field]
    body = {"first_name": "Çok", field: items}
    _field_error(api(cast.rep_ist).post("/api/v1/people/", body, format="json"), field)
    assert not Person.objects.exists()


def test_activity_details_longer_than_the_limit_are_refused(cast: Any, api: Any) -> None:
    person = services.person_create(actor=cast.rep_ist, first_name="Ahmet")
    body = {"person": person.pk, "subject": "Ziyaret", "body": "d" * (limits.NOTES + 1)}
    _field_error(api(cast.rep_ist).post("/api/v1/activities/", body, format="json"), "body")
    assert not Activity.objects.exists()


def test_consent_evidence_and_source_past_their_limits_are_refused_not_cut(cast: Any, api: Any) -> None:
    person = services.person_create(actor=cast.rep_ist, first_name="Rıza")
    url = f"/api/v1/people/{person.pk}/consents/"
    client = api(cast.rep_ist)
    base = {"channel": "email", "status": "granted"}
    _field_error(client.post(url, {**base, "evidence": "e" * (limits.NOTES + 1)}, format="json"), "evidence")
    _field_error(client.post(url, {**base, "source": "s" * 101}, format="json"), "source")
    _field_error(client.post(url, {**base, "kvkk_text_version": "v" * 31}, format="json"), "kvkk_text_version")
    assert not Consent.objects.exists()


def test_an_employment_title_past_its_column_is_refused_not_cut(cast: Any) -> None:
    person = services.person_create(actor=cast.rep_ist, first_name="Çalışan")
    company = services.company_create(actor=cast.rep_ist, name="İşveren")
    with pytest.raises(DomainError) as exc:
        services.employment_set(actor=cast.rep_ist, person=person, company=company, title="t" * 101)
    assert "title" in exc.value.errors and not person.employments.exists()


def test_a_saved_view_with_a_too_long_query_is_refused_not_cut(cast: Any) -> None:
    client = _client(cast.rep_ist)
    response = client.post("/customers/person/views/", {"name": "Uzun", "query": "q=" + "x" * 1000}, follow=True)
    assert not SavedView.objects.exists()
    assert "1000" in response.content.decode().replace(".", "").replace(",", "")


def test_an_import_line_past_a_limit_is_that_lines_error(cast: Any, monkeypatch: Any) -> None:
    from types import SimpleNamespace

    from velinimet.core import jobs
    from velinimet.customers.services.importer import import_start

    monkeypatch.setattr(jobs, "transaction", SimpleNamespace(on_commit=lambda fn: fn()))
    tags = ",".join(f"e{i}" for i in range(51))
    data = f'Ad;Notlar;Etiketler\nAli;kısa;\nVeli;{"n" * (limits.NOTES + 1)};\nCan;;"{tags}"\n'.encode()
    job = import_start(actor=cast.rep_ist, kind="person", data=data, trial=True)
    job.refresh_from_db()
    assert job.result["created"] == 1
    assert [e["line"] for e in job.result["errors"]] == [3, 4]


def test_a_custom_field_definition_past_its_columns_is_refused_by_the_service(cast: Any, api: Any) -> None:
    from velinimet.customers.services.custom_fields import custom_field_create

    base = {"actor": cast.admin, "record_type": "person", "kind": "choice", "choices": ["a"]}
    for wrong, field in (
        ({"label": "L" * 101}, "label"),
        ({"label": "Kısa", "key": "k" * 51}, "key"),
        ({"label": "Uzun", "choices": ["c" * 101]}, "choices"),
        ({"label": "Çok", "choices": [f"c{i}" for i in range(101)]}, "choices"),
    ):
        with pytest.raises(DomainError) as exc:
            custom_field_create(**{**base, **wrong})
        assert field in exc.value.errors
    many = {"record_type": "person", "kind": "multi", "label": "Çok", "choices": [f"c{i}" for i in range(101)]}
    _field_error(api(cast.admin).post("/api/v1/custom-fields/", many, format="json"), "choices")
    assert not CustomField.objects.exists()
    assert len(custom_field_create(**{**base, "label": "Ş" * 100}).key) <= 50  # a key made from the label
