"""Browser tests of the reader's alphabet and number form: an Azerbaijani user sorts the people list by
name and types a number the Azerbaijani way; a Turkish user the Turkish way. Elements are found by name,
role or CSS; the only texts compared are data the test made itself."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from velinimet.customers import services
from velinimet.customers.models import Person
from velinimet.customers.services.custom_fields import custom_field_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def url(page: Page, path: str) -> str:
    return page.base_url + path  # type: ignore[attr-defined,no-any-return]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("az", ["Hakan", "Xəyal", "Ilgaz", "İlker", "Kamil", "Qasım"]),
        ("tr", ["Hakan", "Ilgaz", "İlker", "Kamil", "Qasım", "Xəyal"]),
    ],
)
def test_the_people_list_sorted_by_name_in_the_readers_alphabet(
    cast: Any, page: Page, login: Any, language: str, expected: list[str]
) -> None:
    for first in ["Qasım", "İlker", "Xəyal", "Kamil", "Ilgaz", "Hakan"]:
        services.person_create(actor=cast.manager, first_name=first, force=True)
    cast.manager.language = language
    cast.manager.save(update_fields=["language"])
    login("manager")
    page.goto(url(page, "/customers/people/"))
    page.locator("form.filters select[name=sort]").select_option("name")
    page.locator("form.filters button[type=submit]").click()
    expect(page.locator("#record-table td.name a")).to_have_text(expected)
    assert page.console_errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(("language", "typed"), [("az", "1 250 000,50"), ("tr", "1.250.000,50")])
def test_a_custom_number_typed_the_readers_way_is_saved_and_shown_back(
    cast: Any, page: Page, login: Any, language: str, typed: str
) -> None:
    custom_field_create(actor=cast.admin, record_type="person", label="Ciro", kind="number", key="ciro")
    cast.manager.language = language
    cast.manager.save(update_fields=["language"])
    login("manager")
    page.goto(url(page, "/customers/people/new/"))
    page.fill("input[name=first_name]", "Sona")
    page.locator("input[name=custom_ciro]").fill(typed)
    page.locator("form.customer-form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/customers/people/\d+/$"))
    person = Person.objects.get(first_name="Sona")
    assert person.custom["ciro"] == 1250000.5
    page.goto(url(page, f"/customers/people/{person.pk}/edit/"))
    shown = "1\xa0250\xa0000,5" if language == "az" else "1.250.000,5"
    expect(page.locator("input[name=custom_ciro]")).to_have_value(shown)
    assert page.console_errors == []  # type: ignore[attr-defined]
