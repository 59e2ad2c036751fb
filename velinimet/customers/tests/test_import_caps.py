"""Bounded work per import: the web request only stores the upload; the job streams the file and refuses
it early, naming the line, when it is past a cap on lines, columns, line length or cell size."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from velinimet.core.jobs import job_run
from velinimet.core.models import Job
from velinimet.customers.models import Person
from velinimet.customers.services.importer import import_dir, import_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch: Any) -> list[Any]:
    """Jobs are queued and left alone (as when the worker is busy), so a test sees what the request did."""
    from types import SimpleNamespace

    from velinimet.core import jobs

    later: list[Any] = []
    monkeypatch.setattr(jobs, "transaction", SimpleNamespace(on_commit=later.append))
    return later


@pytest.fixture
def english(cast: Any) -> Any:
    cast.rep_ist.language = "en"
    cast.rep_ist.save()
    return cast.rep_ist


def _import(actor: Any, data: bytes) -> Job:
    job = import_start(actor=actor, kind="person", data=data, trial=True)
    job_run(str(job.pk))
    job.refresh_from_db()
    return job


def _refused(job: Job) -> str:
    assert job.state == Job.State.FAILED and not Person.objects.exists()
    return job.message


def test_the_upload_request_stores_the_file_and_parses_nothing(cast: Any, api: Any, queued: list[Any]) -> None:
    """The last line has too many columns: a request that parsed the file would refuse it; this one only
    stores it and queues the job, which then refuses it naming that line."""
    megabytes = int(os.environ.get("VELINIMET_TEST_UPLOAD_MB", "5"))
    line = "Ayşe;Yılmaz;0532 111 22 33;ayse@example.com;İstanbul;Not\n".encode()
    body = b"Ad;Soyad;Telefon;E-posta;Il;Notlar\n" + line * (megabytes * 1024 * 1024 // len(line))
    lines = body.count(b"\n")
    body += b";" * 300 + b"\n"
    upload = SimpleUploadedFile("people.csv", body, content_type="text/csv")
    began = time.perf_counter()
    answer = api(cast.rep_ist).post("/api/v1/imports/", {"kind": "person", "file": upload}, format="multipart")
    took = time.perf_counter() - began
    print(f"\nupload of {len(body) / 1e6:.1f} MB answered {answer.status_code} in {took * 1000:.0f} ms")
    assert answer.status_code == 202, answer.content
    job = Job.objects.get(pk=answer.json()["job"])
    assert job.state == Job.State.QUEUED and job.total is None and job.done == 0  # not a line read yet
    assert (import_dir() / job.params["file"]).stat().st_size == len(body)
    assert len(queued) == 1
    job_run(str(job.pk))
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and f"{lines + 1}" in job.message and "301" in job.message


def test_a_line_with_too_many_columns_is_refused_naming_it(english: Any, settings: Any) -> None:
    settings.IMPORT_MAX_COLUMNS = 5
    message = _refused(_import(english, b"Ad;Soyad\nAli;Veli\n\nCan;Er;1;2;3;4\n"))
    assert message == "Line 4 has 6 columns; a file may have at most 5."


def test_a_file_with_too_many_lines_is_refused_before_any_is_checked(english: Any, settings: Any) -> None:
    settings.IMPORT_MAX_LINES = 100
    job = _import(english, b"Ad;Soyad\n" + b"Ali;Veli\n" * 100)
    assert _refused(job) == "The file has more than 100 lines; split it into smaller files."
    assert job.done == 0 and not job.result


def test_an_endless_line_is_refused_naming_it(english: Any, settings: Any) -> None:
    settings.IMPORT_MAX_LINE_CHARS = 10_000
    message = _refused(_import(english, b"Ad;Notlar\nAli;kisa\nVeli;" + b"x" * 20_000))
    assert message == "Line 3 is longer than 10000 characters; split it or check the file."


def test_a_cell_past_the_cap_is_refused_in_the_job(english: Any, settings: Any) -> None:
    settings.IMPORT_MAX_CELL_CHARS = 500
    message = _refused(_import(english, b"Ad;Notlar\nAli;kisa\nVeli;" + b"x" * 501 + b"\n"))
    assert "line 3" in message and "500 characters" in message


def test_the_import_page_shows_why_the_job_refused_the_file(english: Any, settings: Any) -> None:
    settings.IMPORT_MAX_COLUMNS = 3
    client = Client()
    client.force_login(english)
    upload = SimpleUploadedFile("x.csv", b"Ad;Soyad\nAli;Veli;1;2\n")
    response = client.post("/customers/import/", {"kind": "person", "file": upload})
    assert response.status_code == 302  # stored and queued: the job reads the file
    job_run(str(Job.objects.get().pk))
    page = client.get(response["Location"]).content.decode()
    assert "Line 2 has 4 columns; a file may have at most 3." in page


@pytest.mark.django_db(transaction=True)
def test_the_command_line_import_exits_non_zero_naming_the_line(cast: Any, settings: Any, tmp_path: Path) -> None:
    settings.IMPORT_MAX_COLUMNS = 3
    settings.MAX_IMPORT_BODY = 10  # the upload cap is for uploads: the server's own files are not refused by size
    cast.rep_ist.language = "en"
    cast.rep_ist.save()
    path = tmp_path / "people.csv"
    path.write_bytes(b"Ad;Soyad\nAli;Veli\nCan;Er;1;2;3\n")
    with pytest.raises(CommandError, match="Line 3 has 5 columns"):
        call_command("import_customers", str(path), "--user", "rep_ist", stdout=io.StringIO(), stderr=io.StringIO())
    assert Job.objects.get().state == Job.State.FAILED


def test_an_upload_past_the_size_cap_is_refused_while_it_is_stored(english: Any, settings: Any) -> None:
    """A chunked request carries no length for the middleware to check: the copy counts the bytes."""
    from django.utils import translation

    from velinimet.customers.services.importer import ImportFileError

    settings.MAX_IMPORT_BODY = 100_000
    chunks = iter([b"Ad;Soyad\n", *[b"Ali;Veli\n" * 1000] * 20])
    before = set(import_dir().iterdir())
    with translation.override("en"), pytest.raises(ImportFileError, match="more than 100000 bytes"):
        import_start(actor=english, kind="person", data=chunks, trial=True)
    assert not Job.objects.exists() and set(import_dir().iterdir()) == before  # nothing half-written is left
