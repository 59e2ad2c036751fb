"""The timeline in a real headless Chromium: page back with htmx, open and change an activity."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from velinimet.activities.models import Activity
from velinimet.activities.services import activity_log
from velinimet.customers import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_timeline_pages_back_with_htmx_and_an_activity_can_be_changed(cast: Any, page: Page, login: Any) -> None:
    person = services.person_create(actor=cast.rep_ist, first_name="Leyla", last_name="Əliyeva")
    now = timezone.now()
    for i in range(45):
        activity_log(
            actor=cast.rep_ist,
            person=person,
            kind="call",
            subject=f"Zəng {i:02d}",
            occurred_at=now - datetime.timedelta(hours=i),
        )
    login("rep_ist")
    page.goto(page.base_url + f"/customers/people/{person.pk}/")  # type: ignore[attr-defined]
    items = page.locator("main #timeline li.activity")
    expect(items).to_have_count(20)
    expect(items.first).to_contain_text("Zəng 00")
    older = page.locator("main #timeline a[hx-get]")
    older.click()
    expect(items).to_have_count(40)
    older.click()
    expect(items).to_have_count(45)
    expect(items.last).to_contain_text("Zəng 44")
    expect(page.locator("main #timeline a[hx-get]")).to_have_count(0)
    subjects = items.locator("strong").all_inner_texts()
    assert subjects == [f"Zəng {i:02d}" for i in range(45)]  # no gap, no repeat across pages

    items.filter(has_text="Zəng 03").locator("a[href*='/edit/']").click()
    form = page.locator("main form.panel")
    expect(form.locator("input[name=subject]")).to_have_value("Zəng 03")
    form.locator("input[name=subject]").fill("Zəng 03 — sifariş verdi")
    form.locator("input[name=duration_minutes]").fill("12")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(page.base_url + f"/customers/people/{person.pk}/#timeline")  # type: ignore[attr-defined]
    expect(items.filter(has_text="Zəng 03 — sifariş verdi")).to_have_count(1)
    changed = Activity.objects.get(subject="Zəng 03 — sifariş verdi")
    assert changed.duration_minutes == 12 and changed.version == 2
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_plan_a_call_with_its_number_then_complete_it(cast: Any, page: Page, login: Any) -> None:
    person = services.person_create(actor=cast.rep_ist, first_name="Nigar", last_name="Hüseynova")
    activity_log(actor=cast.rep_ist, person=person, kind="email", subject="Kataloq göndərildi")
    login("rep_ist")
    page.goto(page.base_url + f"/customers/people/{person.pk}/")  # type: ignore[attr-defined]
    panel = page.locator("main #timeline")
    panel.locator("details > summary").click()
    form = panel.locator("form[data-activity-form]")
    number = form.locator("input[name='details.number']")
    tracking = form.locator("input[name='details.tracking_number']")
    form.locator("select[name=kind]").select_option("post")
    expect(tracking).to_be_visible()
    expect(number).to_be_hidden()  # a parcel has no phone number
    form.locator("select[name=kind]").select_option("call")
    expect(number).to_be_visible()
    expect(tracking).to_be_hidden()
    form.locator("select[name=status]").select_option("open")
    form.locator("input[name=subject]").fill("Təklifi xatırlat")
    number.fill("+994 50 765 43 21")
    form.locator("button[type=submit]").click()

    upcoming = page.locator("main #timeline ol.upcoming li.activity")
    expect(upcoming).to_have_count(1)
    expect(upcoming.first).to_contain_text("Təklifi xatırlat")
    expect(upcoming.first).to_contain_text("+994 50 765 43 21")
    history = page.locator("main #timeline ol.timeline:not(.upcoming) li.activity")
    expect(history).to_have_count(1)
    upcoming.first.locator("form button[type=submit]").click()  # "Done"
    expect(page.locator("main #timeline ol.upcoming")).to_have_count(0)
    expect(history).to_have_count(2)
    expect(history.first).to_contain_text("Təklifi xatırlat")  # logged now: the newest of the history
    done = Activity.objects.get(subject="Təklifi xatırlat")
    assert done.status == "done" and done.details == {"number": "+994 50 765 43 21"}

    panel.locator("select[name=kind]").last.select_option("email")  # the filters: only e-mails
    panel.locator("form.inline-filters button[type=submit]").click()
    expect(history).to_have_count(1)
    expect(history.first).to_contain_text("Kataloq göndərildi")
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_log_a_ringing_call_from_the_screen_pop_in_two_clicks(cast: Any, page: Page, login: Any) -> None:
    from velinimet.customers.services.calls import call_incoming

    person = services.person_create(
        actor=cast.rep_ist, first_name="Rəşad", last_name="Quliyev", phones=[services.PhoneIn("+994 55 321 00 11")]
    )
    cast.rep_ist.extension = "201"
    cast.rep_ist.save(update_fields=["extension"])
    login("rep_ist")
    call_incoming(actor=cast.admin, number="055 321 00 11", extension="201")
    page.locator("#screen-pop a[href*='?call=']").click(timeout=3000)  # 1: "Log this call"
    form = page.locator("main form.panel")
    expect(form.locator("input[name='details.number']")).to_have_value("055 321 00 11")
    expect(form.locator("select[name=direction]")).to_have_value("in")
    form.locator("button[type=submit]").click()  # 2: save
    expect(page).to_have_url(page.base_url + f"/customers/people/{person.pk}/#timeline")  # type: ignore[attr-defined]
    logged = Activity.objects.get()
    assert logged.kind == "call" and logged.incoming_call is not None and logged.person == person
    expect(page.locator("main #timeline li.activity").first).to_contain_text("055 321 00 11")
    expect(page.locator("#screen-pop")).to_be_empty()  # a logged call no longer pops up
