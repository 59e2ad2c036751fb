"""The one CSV writer: no written cell starts with a formula character; other text is written unchanged."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from velinimet.core.csvfile import FORMULA_STARTS, neutralise_cell, restore_cell, safe_writer


def _written(text: str) -> str:
    out = io.StringIO()
    safe_writer(out).writerow([text])
    return next(csv.reader(io.StringIO(out.getvalue(), newline="")))[0]


@given(st.text())
def test_no_written_cell_starts_with_a_formula_character(text: str) -> None:
    cell = _written(text)
    assert not cell.startswith(FORMULA_STARTS)
    if not text.startswith(FORMULA_STARTS):
        assert cell == text
    else:
        assert cell == "'" + text
    assert restore_cell(cell) == text


@pytest.mark.parametrize("value", ["=1+1", "+90 532 111 22 33", "-2", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_starts_get_an_apostrophe(value: str) -> None:
    assert neutralise_cell(value) == "'" + value


@pytest.mark.django_db
def test_audit_export_neutralises_a_formula_in_a_name(cast: Any, django_capture_on_commit_callbacks: Any) -> None:
    from velinimet.core.services import audit_export_start
    from velinimet.customers import services

    services.person_create(actor=cast.admin, first_name='=HYPERLINK("http://evil/")', last_name="Kaya")
    with django_capture_on_commit_callbacks(execute=True):
        job = audit_export_start(actor=cast.admin, filters={})
    client = Client()
    client.force_login(cast.admin)
    text = b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)
    assert not any(cell.startswith(FORMULA_STARTS) for cell in cells)


@pytest.mark.django_db
def test_import_problem_file_neutralises_formulas_and_imports_again_unchanged(
    cast: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    from velinimet.customers.models import Person
    from velinimet.customers.services.importer import import_start

    data = "Ad;Soyad;Telefon\n=cmd|' /C calc'!A0;Kaya;12345\n-Ayşe;Demir;+90 532 111 22 33\n"
    with django_capture_on_commit_callbacks(execute=True):
        job = import_start(actor=cast.rep_ist, kind="person", data=data.encode(), trial=True)
    job.refresh_from_db()
    text = (settings.EXPORT_DIR / job.result_file).read_text(encoding="utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text, newline=""), delimiter=";") for cell in row]
    assert "'=cmd|' /C calc'!A0" in cells
    assert not any(cell.startswith(FORMULA_STARTS) for cell in cells)
    # The neutralised file, fixed and uploaded again, imports the values as they were typed.
    fixed = text.replace("12345", "0532 999 88 77")
    with django_capture_on_commit_callbacks(execute=True):
        again = import_start(actor=cast.rep_ist, kind="person", data=fixed.encode("utf-8"), trial=False)
    again.refresh_from_db()
    assert again.result["created"] == 1, again.result
    person = Person.objects.get()
    assert person.first_name == "=cmd|' /C calc'!A0"
    assert person.phones.get().e164 == "+905329998877"
