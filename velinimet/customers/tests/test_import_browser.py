"""The CSV import in a real headless Chromium: upload, read the trial report, import, open a record."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from velinimet.customers import services
from velinimet.customers.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSV = (
    "Adı Soyadı;GSM;E-Posta;Şehir;Etiket\n"
    "Gülşen Çakır;0 (535) 444 55 66;gulsen@example.com.tr;Eskişehir;fuar\n"
    "Orxan Hüseynov;+994 55 765 43 21;orxan@example.az;Sumqayıt;\n"
    "Kemal Sunal;535 44;kemal@;Ankara;\n"
    "Nermin Aslan;0212 555 66 77;;İstanbul;\n"
)


def test_import_people_from_a_csv_after_a_trial_run(cast: Any, page: Page, login: Any, tmp_path: Any) -> None:
    services.person_create(
        actor=cast.rep_ist, first_name="Nermin", last_name="Aslan", phones=[services.PhoneIn("+90 212 555 6677")]
    )
    path = tmp_path / "musteriler.csv"
    path.write_text(CSV, encoding="utf-8")
    login("rep_ist")
    page.goto(page.base_url + "/customers/people/")  # type: ignore[attr-defined]
    page.locator("main a[href^='/customers/import/']").click()
    form = page.locator("main form#import-form")
    form.locator("select[name=kind]").select_option("person")
    form.locator("input[name=file]").set_input_files(str(path))
    form.locator("button[type=submit]").click()

    summary = page.locator("main #import-summary")
    expect(summary.locator("[data-count=lines]")).to_have_text("4")
    expect(summary.locator("[data-count=created]")).to_have_text("2")
    expect(summary.locator("[data-count=duplicates]")).to_have_text("1")
    expect(summary.locator("[data-count=errors]")).to_have_text("1")
    errors = page.locator("main #import-errors tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.first.locator("td").first).to_have_text("4")
    duplicate = page.locator("main #import-duplicates tbody tr")
    expect(duplicate.locator("a[href^='/customers/people/']")).to_have_text("Nermin Aslan")
    assert Person.objects.count() == 1  # the trial saved nothing

    page.locator("main #import-confirm button[value=skip]").click()
    expect(page.locator("main #import-summary [data-count=created]")).to_have_text("2")
    expect(page.locator("main #import-confirm")).to_have_count(0)
    assert Person.objects.count() == 3
    orxan = Person.objects.get(first_name="Orxan")
    assert orxan.phones.get().e164 == "+994557654321" and orxan.addresses.get().country == "AZ"
    page.goto(page.base_url + f"/customers/people/{orxan.pk}/")  # type: ignore[attr-defined]
    expect(page.locator("main header.record-head h1")).to_have_text("Orxan Hüseynov")
    assert page.console_errors == []  # type: ignore[attr-defined]
