"""Browser tests of issue 11's defects: a real headless Chromium on the live server (fixtures as in
test_browser.py). Elements are found by name and URL; texts compared are data or catalogue messages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from velinimet.customers import services
from velinimet.customers.models import Company, Person
from velinimet.customers.services.custom_fields import custom_field_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def url(page: Page, path: str) -> str:
    return page.base_url + path  # type: ignore[attr-defined,no-any-return]


def submit(page: Page) -> None:
    page.locator("main form.customer-form .actions button[type=submit]").click()


def test_editing_a_person_leaves_an_untouched_yes_no_field_unset_and_saves_a_chosen_no(
    cast: Any, page: Page, login: Any
) -> None:
    custom_field_create(actor=cast.admin, record_type="person", label="Newsletter", kind="boolean")
    person = services.person_create(actor=cast.rep_ist, first_name="Ayşe", force=True)
    login("rep_ist")
    page.goto(url(page, f"/customers/people/{person.pk}/edit/"))
    choice = page.locator("select[name=custom_newsletter]")
    expect(choice).to_have_value("unknown")
    page.fill("input[name=title]", "Müdür")
    submit(page)
    expect(page).to_have_url(url(page, f"/customers/people/{person.pk}/"))
    person.refresh_from_db()
    assert person.title == "Müdür" and person.custom == {}
    page.goto(url(page, f"/customers/people/{person.pk}/edit/"))
    page.locator("select[name=custom_newsletter]").select_option("false")
    submit(page)
    expect(page).to_have_url(url(page, f"/customers/people/{person.pk}/"))
    person.refresh_from_db()
    assert person.custom == {"newsletter": False}


def test_a_new_company_gets_a_work_phone_and_address_and_a_sole_proprietors_tckn(
    cast: Any, page: Page, login: Any
) -> None:
    login("rep_ist")
    page.goto(url(page, "/customers/companies/new/"))
    expect(page.locator("select[name=phone_kind_0]")).to_have_value("work")
    expect(page.locator("select[name=address_kind]")).to_have_value("work")
    page.fill("input[name=name]", "Öztürk Ticaret")
    page.fill("input[name=vkn]", "100 000 001 46")
    page.fill("input[name=phone_0]", "0212 555 12 34")
    page.fill("input[name=city]", "İstanbul")
    submit(page)
    expect(page).to_have_url(re.compile(r"/customers/companies/\d+/$"))
    company = Company.objects.get()
    assert company.vkn == "10000000146"
    assert (company.phones.get().kind, company.addresses.get().kind) == ("work", "work")


def test_a_card_in_another_case_keeps_the_form_with_the_message(cast: Any, page: Page, login: Any) -> None:
    services.person_create(actor=cast.rep_ist, first_name="Eski", card_numbers=["KART-77"], force=True)
    login("rep_ist")
    page.goto(url(page, "/customers/people/new/"))
    page.fill("input[name=first_name]", "Yeni")
    page.fill("input[name=card_numbers]", "kart-77")
    submit(page)
    expect(page.locator("input[name=first_name]")).to_have_value("Yeni")  # the form again, not a 500
    expect(page.locator("input[name=card_numbers]")).to_have_value("kart-77")
    expect(page.locator("main form.customer-form .errorlist")).to_contain_text("KART-77")
    assert Person.objects.count() == 1
