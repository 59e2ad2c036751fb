"""Numbers and dates in the reader's form on the customer screens: a custom number field reads
1.250.000,50 from a Turkish user and 1 250 000,50 from an Azerbaijani one and shows the number back so;
dates are one format per language (velinimet/formats)."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client

from velinimet.customers import services
from velinimet.customers.models import Person
from velinimet.customers.services.custom_fields import custom_field_create

pytestmark = pytest.mark.django_db

SHOWN = {"tr": "1.250.000,5", "az": "1\xa0250\xa0000,5", "en": "1,250,000.5"}
TYPED = {"tr": "1.250.000,50", "az": "1 250 000,50", "en": "1,250,000.50"}
FOREIGN = {"tr": "1,250,000.50", "az": "1,250,000.50", "en": "1.250.000,50"}
BIRTH = {"tr": "05.03.1980", "az": "05.03.1980", "en": "05 Mar 1980"}


def reader(user: Any, language: str) -> Client:
    user.language = language
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def amount(cast: Any) -> Any:
    return custom_field_create(actor=cast.admin, record_type="person", label="Ciro", kind="number", key="ciro")


def input_value(html: str, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="{name}"', html)
    assert found, name
    return (found.group(1) or found.group(2) or "").replace("&nbsp;", "\xa0")


@pytest.mark.parametrize("language", ["tr", "az", "en"])
def test_a_custom_number_is_typed_and_shown_in_the_readers_form(cast: Any, amount: Any, language: str) -> None:
    client = reader(cast.admin, language)
    form = {"first_name": "Ayşe", "country": "TR", "custom_ciro": TYPED[language], "birth_date": "1980-03-05"}
    response = client.post("/customers/people/new/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get(first_name="Ayşe")
    assert person.custom["ciro"] == 1250000.5
    edit = client.get(f"/customers/people/{person.pk}/edit/").content.decode()
    assert input_value(edit, "custom_ciro") == SHOWN[language]
    page = client.get(f"/customers/people/{person.pk}/").content.decode().replace("&nbsp;", "\xa0")
    assert SHOWN[language] in page and BIRTH[language] in page
    # saving the edit form as shown keeps the number
    resubmit = {**form, "custom_ciro": SHOWN[language], "version": person.version}
    assert client.post(f"/customers/people/{person.pk}/edit/", resubmit).status_code == 302
    person.refresh_from_db()
    assert person.custom["ciro"] == 1250000.5


@pytest.mark.parametrize("language", ["tr", "az", "en"])
def test_a_number_in_another_languages_form_is_a_clear_error_and_nothing_is_saved(
    cast: Any, amount: Any, language: str
) -> None:
    client = reader(cast.admin, language)
    form = {"first_name": "Fatma", "country": "TR", "custom_ciro": FOREIGN[language]}
    response = client.post("/customers/people/new/", form)
    assert response.status_code == 200
    html = response.content.decode().replace("&nbsp;", "\xa0")
    assert FOREIGN[language] in html and SHOWN[language] + "0" in html  # the form it expects, as an example
    assert not Person.objects.filter(first_name="Fatma").exists()


def test_the_api_and_the_list_filter_read_numbers_in_the_token_users_language(cast: Any, amount: Any, api: Any) -> None:
    cast.admin.language = "tr"
    cast.admin.save(update_fields=["language"])
    client = api(cast.admin)
    created = client.post(
        "/api/v1/people/", {"first_name": "Can", "custom": {"ciro": "1.250.000,50"}, "force": True}, format="json"
    )
    assert created.status_code == 201, created.json()
    assert created.json()["custom"]["ciro"] == 1250000.5
    wrong = client.post("/api/v1/people/", {"first_name": "Cem", "custom": {"ciro": "1,250,000.50"}}, format="json")
    assert wrong.status_code == 400 and "1.250.000,50" in str(wrong.json()["errors"])
    assert client.post(
        "/api/v1/people/", {"first_name": "Cem", "custom": {"ciro": 12.5}}, format="json"
    ).status_code in (
        201,
        409,
    )
    found = client.get("/api/v1/people/", {"cf_ciro": "1.250.000,5"}).json()["results"]
    assert [p["first_name"] for p in found] == ["Can"]


def test_dates_are_one_format_per_language(cast: Any) -> None:
    from django.utils import formats, timezone, translation

    moment = datetime.datetime(2025, 3, 5, 14, 30, tzinfo=datetime.UTC)
    expected = {"tr": "05.03.2025 17:30", "az": "05.03.2025 18:30", "en": "05 Mar 2025 17:30"}
    for language, shown in expected.items():
        zone = "Asia/Baku" if language == "az" else "Europe/Istanbul"
        with translation.override(language), timezone.override(zone):
            assert formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT") == shown
    person = services.person_create(actor=cast.admin, first_name="Ayşe", force=True)
    audit = reader(cast.admin, "tr").get("/settings/audit/").content.decode()
    with timezone.override("Europe/Istanbul"):
        today = timezone.localtime(person.created_at).strftime("%d.%m.%Y")
    assert today in audit  # the audit log's times in the Turkish form
