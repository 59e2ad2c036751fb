"""Browser test of the search box: a real headless Chromium types a name with another spelling, moves
through the dropdown with the arrow keys, opens a hit with Enter, and opens a record by its phone number.

Elements are found by role, URL or CSS; the only texts compared are data the test made itself.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from velinimet.customers import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_search_box_by_keyboard(cast: Any, page: Page, login: Any) -> None:
    baku = services.person_create(
        actor=cast.admin,
        first_name="Elnur",
        last_name="Məmmədov",
        force=True,
        addresses=[services.AddressIn(kind="home", country="AZ", city="Bakı")],
    )
    izmir = services.person_create(
        actor=cast.admin, first_name="Elnur", last_name="Məmmədov", force=True,
        addresses=[services.AddressIn(kind="home", city="İzmir")], phones=[services.PhoneIn("0532 765 43 21")],
    )  # fmt: skip
    login("admin")
    box = page.locator("header.topbar input[type=search]")
    dropdown = page.locator("#search-dropdown")
    with page.expect_response(lambda r: "/search/" in r.url and "MAMMADOV" in r.url):
        box.type("elnur MAMMADOV")  # the passport spelling finds Məmmədov
    links = dropdown.locator("a[href^='/customers/people/']")
    expect(links).to_have_count(2)
    expect(dropdown).to_contain_text("Bakı")
    expect(dropdown).to_contain_text("İzmir")  # namesakes told apart by city
    box.press("ArrowDown")
    box.press("ArrowDown")
    box.press("ArrowUp")
    first = links.nth(0)
    expect(first).to_have_attribute("aria-selected", "true")
    expect(links.nth(1)).to_have_attribute("aria-selected", "false")
    href = first.get_attribute("href")
    assert href in (f"/customers/people/{baku.pk}/", f"/customers/people/{izmir.pk}/")
    box.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(str(href)) + "$"))

    # Enter on a phone number opens the one record that has it
    box = page.locator("header.topbar input[type=search]")
    box.fill("0532 765 43 21")
    box.press("Enter")
    expect(page).to_have_url(re.compile(rf"/customers/people/{izmir.pk}/$"))
    # Enter on a name goes to the search page
    box = page.locator("header.topbar input[type=search]")
    box.fill("elnur")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=elnur$"))
    assert not page.console_errors  # type: ignore[attr-defined]
