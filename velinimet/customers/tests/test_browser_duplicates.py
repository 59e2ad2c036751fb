"""Browser test of the duplicate finder: a real headless Chromium runs it, reads the strongest pair first,
marks it "not a duplicate", runs the finder again and no longer sees it.

Elements are found by id, name, URL or CSS, never by the visible text of labels or buttons."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from velinimet.customers import services
from velinimet.customers.models import NotDuplicate, Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOB_URL = re.compile(r"/jobs/[0-9a-f-]{36}/$")


def make_person(actor: Any, first: str, last: str, phone: str = "", city: str = "", **extra: Any) -> Person:
    return services.person_create(
        actor=actor,
        first_name=first,
        last_name=last,
        phones=[services.PhoneIn(phone)] if phone else [],
        addresses=[services.AddressIn(city=city)] if city else [],
        force=True,
        **extra,
    )


def run_finder(page: Page) -> None:
    """Press "Find duplicates now", wait for the job to succeed, and follow its link to the results."""
    page.locator("#find-duplicates button[type=submit]").click()
    expect(page).to_have_url(JOB_URL)
    expect(page.locator("#job-progress .badge")).to_have_class(re.compile(r"\bstate-succeeded\b"))
    total = Person.objects.filter(deleted_at__isnull=True).count()
    expect(page.locator("#job-progress progress")).to_have_attribute("max", str(total))  # counted in records
    expect(page.locator("#job-progress progress")).to_have_attribute("value", str(total))
    page.locator("#job-results").click()
    expect(page).to_have_url(re.compile(r"/customers/duplicates/\?kind=person&job=[0-9a-f-]{36}$"))


def test_duplicate_finder_strongest_first_and_not_a_duplicate_stays_gone(cast: Any, page: Page, login: Any) -> None:
    weak = [make_person(cast.rep_ist, "Mehmet", "Demir", city="İzmir") for _ in range(2)]
    phone = [make_person(cast.rep_ist, n, "Kaya", "0532 111 22 33", "Ankara") for n in ("Ayşe", "AYSE")]
    same_id = [make_person(cast.rep_ist, n, "Öztürk", tckn="10000000146") for n in ("Şükrü", "Sukru Ali")]
    login("rep_ist")
    page.goto(page.base_url + "/customers/duplicates/?kind=person")  # type: ignore[attr-defined]
    run_finder(page)

    rows = page.locator("#duplicate-pairs tbody tr.pair")
    expect(rows).to_have_count(3)
    scores = [int(s) for s in rows.locator("td.score").all_inner_texts()]
    assert scores == sorted(scores, reverse=True) and scores[0] == 90
    first = rows.first
    for record in same_id:  # the same TCKN first, each name linked to its record
        expect(first.locator(f"a[href='/customers/people/{record.pk}/']")).to_have_count(1)
    expect(rows.nth(1).locator(f"a[href='/customers/people/{phone[0].pk}/']")).to_have_count(1)
    expect(rows.nth(2).locator(f"a[href='/customers/people/{weak[1].pk}/']")).to_have_count(1)

    first.locator("form[action='/customers/duplicates/not-duplicate/'] button[type=submit]").click()
    expect(page.locator("#not-duplicate-undo")).to_be_visible()
    expect(rows).to_have_count(2)
    expect(page.locator(f"#duplicate-pairs a[href='/customers/people/{same_id[0].pk}/']")).to_have_count(0)
    assert NotDuplicate.objects.count() == 1

    run_finder(page)  # a new run does not propose the pair again
    expect(rows).to_have_count(2)
    expect(rows.first.locator(f"a[href='/customers/people/{phone[1].pk}/']")).to_have_count(1)
    expect(page.locator(f"#duplicate-pairs a[href='/customers/people/{same_id[0].pk}/']")).to_have_count(0)

    page.locator("#duplicate-pairs tbody tr.pair").first.locator("a[href^='/customers/people/']").first.click()
    expect(page).to_have_url(re.compile(rf"/customers/people/{phone[0].pk}/$"))
    assert page.console_errors == []  # type: ignore[attr-defined]
