"""Browser tests of the pickers and the lists: a real headless Chromium types, presses keys and resizes.

Elements are found by name, role, URL or CSS, never by the visible text of labels or buttons; the only
texts compared are data the test made itself.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from velinimet.customers import services
from velinimet.customers.models import Employment, Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def url(page: Page, path: str) -> str:
    return page.base_url + path  # type: ignore[attr-defined,no-any-return]


def test_typing_in_a_company_picker_and_choosing_with_the_keyboard(cast: Any, page: Page, login: Any) -> None:
    izmir = services.company_create(
        actor=cast.rep_ist, name="Ak Yapı", addresses=[services.AddressIn(city="İzmir")], force=True
    )
    ankara = services.company_create(
        actor=cast.rep_ist, name="Ak Yapı", addresses=[services.AddressIn(city="Ankara")], force=True
    )
    login("rep_ist")
    page.goto(url(page, "/customers/people/new/"))
    picker = page.locator("form.customer-form [data-picker]").filter(has=page.locator("input[name=company]"))
    box = picker.locator("input.picker-search")
    expect(box).to_be_visible()
    expect(picker.locator("input[name=company]")).to_have_attribute("type", "hidden")
    page.fill("input[name=first_name]", "Ali")
    with page.expect_response(lambda r: "/customers/companies/pick/" in r.url):
        box.type("ak yap")
    options = picker.locator("[role=option]")
    expect(options).to_have_count(2)
    expect(picker.locator("[role=option][aria-selected=true]")).to_have_count(1)
    first_selected = picker.locator("[role=option][aria-selected=true]").get_attribute("data-value")
    box.press("ArrowDown")  # the second namesake, told apart by its city
    second = picker.locator("[role=option][aria-selected=true]")
    chosen = second.get_attribute("data-value")
    assert chosen != first_selected and {int(first_selected or 0), int(chosen or 0)} == {izmir.pk, ankara.pk}
    box.press("Enter")  # chooses, does not submit the form
    expect(picker.locator("[role=listbox]")).to_be_hidden()
    expect(picker.locator("input[name=company]")).to_have_value(str(chosen))
    target = izmir if int(chosen or 0) == izmir.pk else ankara
    expect(box).to_have_value(re.compile(re.escape(target.customer_number)))
    assert not Person.objects.exists()
    # Escape closes an open list without choosing
    box.fill("")
    with page.expect_response(lambda r: "/customers/companies/pick/" in r.url):
        box.type("ak")
    expect(picker.locator("[role=listbox]")).to_be_visible()
    box.press("Escape")
    expect(picker.locator("[role=listbox]")).to_be_hidden()
    page.locator("input[name=first_name]").click()  # leaving without choosing brings the choice back
    expect(picker.locator("input[name=company]")).to_have_value(str(chosen))
    page.locator("main form.customer-form .actions button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/customers/people/\d+/$"))
    assert Employment.objects.get(person__first_name="Ali").company == target
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_select_all_across_pages_and_bulk_trash(cast: Any, page: Page, login: Any) -> None:
    fair = [
        services.person_create(actor=cast.manager, first_name=f"Fuar{i:02d}", tags=["Fuar"], force=True)
        for i in range(55)
    ]
    kept = services.person_create(actor=cast.manager, first_name="Kalan", force=True)
    login("manager")
    page.goto(url(page, "/customers/people/?tag=fuar&sort=name"))
    expect(page.locator("main .record-count")).to_have_attribute("data-count", "55")
    expect(page.locator("#record-table input[name=ids]")).to_have_count(50)  # one page of 50
    page.locator(".bulk input[name=all]").check()
    expect(page.locator("#record-table input[name=ids]:checked")).to_have_count(50)
    page.locator(".bulk button[value=trash]").click()
    expect(page.locator("main .bulk-confirm [data-count]")).to_have_attribute("data-count", "55")
    page.locator("main .bulk-confirm button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/customers/people/\?tag=fuar"))
    expect(page.locator("main .record-count")).to_have_attribute("data-count", "0")
    assert set(Person.objects.trashed().values_list("pk", flat=True)) == {p.pk for p in fair}
    assert list(Person.objects.live()) == [kept]
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_the_people_list_is_a_card_list_at_375_px_and_long_names_wrap(cast: Any, page: Page, login: Any) -> None:
    cast.rep_ist.extension = "205"  # the screen-pop slot is on every page for a user with an extension
    cast.rep_ist.save()
    long_name = "Ş" + "a" * 99
    services.person_create(
        actor=cast.rep_ist, first_name=long_name, phones=[services.PhoneIn("0532 123 45 67")], force=True
    )
    login("rep_ist")
    page.goto(url(page, "/customers/people/"))
    expect(page.locator("#screen-pop")).to_be_hidden()  # empty until a call
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280, width  # the 100-letter name wraps instead of pushing the columns off
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    expect(page.locator("#record-table thead")).to_be_hidden()
    row = page.locator("#record-table tbody tr").first
    assert row.evaluate("r => getComputedStyle(r).display") == "block"  # a card, not a table row
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    for cell in (row.locator("td.name a"), row.locator("td", has_text="0532 123 45 67")):
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375, box
    expect(page.locator("#screen-pop")).to_be_hidden()
    assert page.console_errors == []  # type: ignore[attr-defined]
