"""CSV import: reading real-world files, the trial run, duplicates (in the database and within the file),
errors per line, the real import, resuming, the pages and the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from velinimet.core.exceptions import DomainError
from velinimet.core.models import Job
from velinimet.customers import services
from velinimet.customers.models import Company, Person
from velinimet.customers.services.importer import ImportFileError, import_start, read_table

pytestmark = pytest.mark.django_db

PEOPLE = (
    "Adı;Soyadı;Cep Telefonu;E-posta;İl;Firma;Etiketler;Doğum Tarihi;Renk\n"
    "Şükrü;Öztürk;0532 123 45 67;sukru@example.com.tr;İstanbul;Anadolu Gıda;VIP, bayi;01.02.1980;mavi\n"
    "Ayşe;Kaya;+90 (533) 222 33 44;ayse@example.com;Ankara;;;;\n"
    "Leyla;Əliyeva;+994 50 123 45 67;leyla@example.az;Bakı;Anadolu Gıda;;;\n"
    "Ahmet;Demir;12345;ahmet@;İzmir;;;31.02.1990;\n"
    "Sukru;Ozturk;0532 999 88 77;sukru2@example.com;İstanbul;;;;\n"
    "Ayse;Kaya;0533 222 33 44;;;;;;\n"
)


@pytest.fixture(autouse=True)
def _jobs_run_at_once(monkeypatch: Any) -> None:
    """Jobs start on commit; the test's transaction never commits, so run them as soon as they are queued."""
    from types import SimpleNamespace

    from velinimet.core import jobs

    monkeypatch.setattr(jobs, "transaction", SimpleNamespace(on_commit=lambda fn: fn()))


def _run(actor: Any, data: bytes | str, kind: str = "person", **kwargs: Any) -> Job:
    raw = data.encode() if isinstance(data, str) else data
    job = import_start(actor=actor, kind=kind, data=raw, trial=kwargs.pop("trial", True), **kwargs)
    job.refresh_from_db()  # the test settings run tasks immediately
    return job


def test_trial_run_reports_every_line_and_saves_nothing(cast: Any) -> None:
    services.person_create(
        actor=cast.rep_ist, first_name="Leyla", last_name="Əliyeva", emails=[services.EmailIn("leyla@example.az")]
    )
    job = _run(cast.rep_ist, PEOPLE)
    assert job.state == Job.State.SUCCEEDED, job.error
    result = job.result
    assert result["trial"] and result["lines"] == 6
    assert result["created"] == 2  # Şükrü and Ayşe
    errors = {e["line"]: e["messages"] for e in result["errors"]}
    assert set(errors) == {5}  # Ahmet: bad phone, bad e-mail, impossible date
    assert len(errors[5]) >= 2
    dups = {d["line"]: d for d in result["duplicates"]}
    assert set(dups) == {4, 6, 7}
    assert dups[4]["candidates"][0]["url"].startswith("/customers/people/")  # Leyla is already here
    assert dups[6]["candidates"][0]["line"] == 2  # same name in the same city as line 2
    assert dups[7]["candidates"][0]["line"] == 3  # same phone as line 3
    assert result["ignored_columns"] == ["Renk"]
    assert Person.objects.count() == 1 and not Company.objects.exists()
    assert job.result_file  # the lines with problems, to fix and upload again


def test_real_import_creates_the_good_lines_and_links_companies(cast: Any, tmp_path: Any) -> None:
    trial = _run(cast.rep_ist, PEOPLE)
    job = import_start(actor=cast.rep_ist, kind="person", file=trial.params["file"], trial=False)
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED, job.error
    assert job.result["created"] == 3 and not job.result["trial"]
    sukru = Person.objects.get(search_key="sukru ozturk")
    assert sukru.phones.get().e164 == "+905321234567" and sukru.emails.get().address == "sukru@example.com.tr"
    assert sorted(t.name for t in sukru.tags.all()) == ["VIP", "bayi"]
    assert str(sukru.birth_date) == "1980-02-01" and sukru.owner == cast.rep_ist
    assert sukru.addresses.get().city == "İstanbul"
    leyla = Person.objects.get(last_name="Əliyeva")
    assert leyla.phones.get().e164 == "+994501234567"
    assert leyla.addresses.get().country == "AZ"  # no country column: taken from the +994 number
    company = Company.objects.get()
    assert company.name == "Anadolu Gıda" and job.result["companies_created"] == 1
    assert set(company.employments.values_list("person__first_name", flat=True)) == {"Şükrü", "Leyla"}
    problems = (settings.EXPORT_DIR / job.result_file).read_text(encoding="utf-8-sig")
    assert "Ahmet" in problems and "Sukru" in problems and "Şükrü" not in problems


def test_duplicates_can_be_created_on_purpose(cast: Any) -> None:
    services.person_create(
        actor=cast.rep_ist, first_name="Ayşe", last_name="Kaya", phones=[services.PhoneIn("0533 222 33 44")]
    )
    job = _run(cast.rep_ist, "Ad Soyad,Telefon\nAyşe Kaya,05332223344\n", trial=False, duplicates="create")
    assert job.result["created"] == 1 and job.result["duplicate_count"] == 0
    assert Person.objects.filter(search_key="ayse kaya").count() == 2


def test_files_from_excel_on_windows_and_other_shapes_are_read() -> None:
    cp1254 = "Firma Adı;VKN;Şehir\nIşık Tekstil A.Ş.;1234567890;İzmir\n".encode("cp1254")
    table = read_table(cp1254, "company")
    assert table.rows == [["Işık Tekstil A.Ş.", "1234567890", "İzmir"]]
    assert set(table.mapping.values()) == {"name", "vkn", "city"}
    tabbed = read_table("\ufeffFULL NAME\tE-MAIL\nJohn Smith\tjohn@example.com\n".encode(), "person")
    assert set(table.mapping.values()) and set(tabbed.mapping.values()) == {"full_name", "email"}


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_excels_unicode_text_is_read(encoding: str) -> None:
    text = "Adı\tSoyadı\tŞehir\r\nŞükrü\tÖztürk\tİzmir\r\nLeyla\tƏliyeva\tBakı\r\n"
    data = "\ufeff".encode(encoding) + text.encode(encoding)  # Excel writes the byte order mark first
    table = read_table(data, "person")
    assert table.rows == [["Şükrü", "Öztürk", "İzmir"], ["Leyla", "Əliyeva", "Bakı"]]
    assert list(table.mapping.values()) == ["first_name", "last_name", "city"]


#: Control characters other than tabs and line breaks: a file with many of them is refused as binary data.
BINARY_CONTROLS = "".join(chr(c) for c in [*range(9), *range(14, 32)])


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_unicode_text_without_a_byte_order_mark_is_read(encoding: str) -> None:
    text = "Adı;Soyadı;Telefon\nGülşen;Çağlayan;0532 111 22 33\nXəyal;Məmmədov;+994 50 123 45 67\n"
    table = read_table(text.encode(encoding), "person")
    assert [row[:2] for row in table.rows] == [["Gülşen", "Çağlayan"], ["Xəyal", "Məmmədov"]]


def test_a_nul_character_inside_a_line_refuses_the_file_naming_the_line() -> None:
    from django.utils import translation

    with translation.override("en"), pytest.raises(ImportFileError) as exc:
        read_table("Adı;Soyadı\nAyşe;Kaya\nNul\x00Adı;Çağ\n".encode(), "person")
    assert "Line 3" in exc.value.message and "NUL" in exc.value.message


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "empty"),
        (b"PK\x03\x04rest-of-a-zip", "Excel"),
        (b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ay\xc5\x9fe Kaya\r\nEND:VCARD\r\n", "vCard"),
        (bytes(range(256)) * 4, "binary"),
    ],
)
def test_empty_files_and_workbooks_are_refused_at_upload(cast: Any, data: bytes, fragment: str) -> None:
    from django.utils import translation

    with translation.override("en"), pytest.raises(ImportFileError) as exc:
        import_start(actor=cast.rep_ist, kind="person", data=data, trial=True)
    assert fragment in exc.value.message
    assert not Job.objects.exists()


def _failed(job: Job) -> str:
    """The message of an import job that refused its file (the upload itself was accepted)."""
    assert job.state == Job.State.FAILED, job.result
    assert not Person.objects.exists() and not Company.objects.exists()
    return job.message


@pytest.mark.parametrize(
    ("data", "fragment"),
    [(b"Telefon;E-posta\n0532 123 45 67;a@b.com\n", "name"), (b"Ad;Soyad\n", "no data"), (b" \n\n", "empty")],
)
def test_unreadable_files_fail_their_job_with_a_clear_message(cast: Any, data: bytes, fragment: str) -> None:
    cast.rep_ist.language = "en"
    cast.rep_ist.save()
    assert fragment in _failed(_run(cast.rep_ist, data))


def test_a_user_who_may_not_create_cannot_import(cast: Any) -> None:
    from velinimet.core.exceptions import NotAllowed

    with pytest.raises(NotAllowed):
        import_start(actor=cast.reader, kind="person", data=PEOPLE.encode(), trial=True)
    with pytest.raises(DomainError):
        import_start(actor=cast.rep_ist, kind="person", file="../../etc/passwd", trial=False)


def test_a_resumed_import_does_not_import_lines_twice(cast: Any) -> None:
    from velinimet.core.jobs import job_run
    from velinimet.customers.services import importer

    lines = "".join(f"Kişi{i};Test;0532 100 {i // 100:02d} {i % 100:02d}\n" for i in range(450))
    data = ("Ad;Soyad;Telefon\n" + lines).encode()
    trial = _run(cast.rep_ist, data)
    assert trial.result["created"] == 450
    original = importer._import_line
    calls = {"n": 0}

    def crash_after_300(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 301:
            raise RuntimeError("worker killed")
        return original(*args, **kwargs)

    importer._import_line = crash_after_300  # type: ignore[assignment]
    try:
        job = import_start(
            actor=cast.rep_ist, kind="person", file=trial.params["file"], trial=False, duplicates="create"
        )
    finally:
        importer._import_line = original  # type: ignore[assignment]
    job.refresh_from_db()
    # The chunks before the crash were committed with their progress, the one that broke was rolled back
    # (a chunk ends at CHUNK lines or CHUNK_SECONDS, so where depends on the machine's speed).
    assert job.state == Job.State.FAILED and 0 < job.done <= 300
    assert Person.objects.count() == job.done
    Job.objects.filter(pk=job.pk).update(state=Job.State.QUEUED)  # what the stale-job sweeper does
    job_run(str(job.pk))
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED and Person.objects.count() == 450, job.error
    assert job.result["created"] == 450


def test_import_pages_trial_then_import(cast: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client()
    client.force_login(cast.rep_ist)
    assert client.get("/customers/import/").status_code == 200
    bad = client.post("/customers/import/", {"kind": "person", "file": SimpleUploadedFile("x.csv", b"")})
    assert bad.status_code == 200 and 'class="errorlist' in bad.content.decode()  # refused at upload: empty
    upload = SimpleUploadedFile("people.csv", PEOPLE.encode(), content_type="text/csv")
    response = client.post("/customers/import/", {"kind": "person", "file": upload})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert 'data-count="created">3<' in page and "import-confirm" in page
    trial = Job.objects.get()
    other = Client()
    other.force_login(cast.rep_baku)
    assert other.get(response["Location"]).status_code == 404
    run = client.post(f"/customers/import/{trial.pk}/run/", {"duplicates": "skip"})
    assert run.status_code == 302
    assert Person.objects.count() == 3
    report = client.get(run["Location"]).content.decode()
    assert 'data-count="created">3<' in report and "import-confirm" not in report
    assert client.post(f"/customers/import/{Job.objects.filter(params__trial=False).get().pk}/run/").status_code == 404


def test_import_api(cast: Any, api: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = api(cast.rep_ist)
    answer = client.post(
        "/api/v1/imports/",
        {"kind": "company", "file": SimpleUploadedFile("c.csv", "Firma adı,VKN\nIşık Tekstil,1234567890\n".encode())},
        format="multipart",
    )
    assert answer.status_code == 202, answer.content
    job = client.get(answer.json()["url"]).json()
    assert job["state"] == "succeeded" and job["result"]["created"] == 1 and not Company.objects.exists()
    run = client.post(f"/api/v1/imports/{answer.json()['job']}/run/", {}, format="json")
    assert run.status_code == 202 and Company.objects.get().vkn == "1234567890"
    bad = client.post(
        "/api/v1/imports/", {"kind": "person", "file": SimpleUploadedFile("x.csv", b"")}, format="multipart"
    )
    assert bad.status_code == 400 and bad.json()["message"]


@hsettings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=5), min_size=0, max_size=6))
def test_read_table_never_crashes_on_any_text(rows: list[list[str]]) -> None:
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows([["Ad", "Telefon"], *rows])
    try:
        table = read_table(out.getvalue().encode(), "person")
    except ImportFileError:
        return
    assert "first_name" in table.mapping.values()
    assert all(isinstance(cell, str) for row in table.rows for cell in row)


def test_country_column_names_and_codes(cast: Any) -> None:
    data = "Ad,Ülke,Şəhər,Posta kodu\nElvin,Azərbaycan,Gəncə,AZ2000\nHans,Almanya,Berlin,10115\nEmre,TR,Bursa,16000\n"
    job = _run(cast.rep_ist, data, trial=False)
    assert job.result["created"] == 2
    assert [e["line"] for e in job.result["errors"]] == [3]
    assert Person.objects.get(first_name="Elvin").addresses.get().postal_code == "AZ2000"


def test_uploads_are_deleted_once_imported_or_after_a_week(cast: Any) -> None:
    import os
    import time

    from velinimet.customers.services.importer import import_dir, imports_clean

    trial = _run(cast.rep_ist, "Ad;Telefon;Telefon\nDeniz;0532 111 22 33;0212 444 55 66\n")
    upload = import_dir() / trial.params["file"]
    assert upload.is_file()
    stale = _run(cast.rep_ist, "Ad\nEfe\n")
    old = import_dir() / stale.params["file"]
    week_ago = time.time() - 8 * 86400
    os.utime(old, (week_ago, week_ago))
    assert imports_clean() == 1 and not old.exists() and upload.exists()
    job = import_start(actor=cast.rep_ist, kind="person", file=trial.params["file"], trial=False)
    job.refresh_from_db()
    assert job.result["created"] == 1 and not upload.exists()
    deniz = Person.objects.get(first_name="Deniz")
    assert sorted(deniz.phones.values_list("kind", flat=True)) == ["mobile", "work"]  # two phone columns


def test_a_company_the_user_cannot_see_is_not_created_twice(cast: Any) -> None:
    services.company_create(actor=cast.rep_baku, name="Şirvan Lojistik")
    mine = services.company_create(actor=cast.rep_ist, name="Koç Dağıtım", short_name="KD")
    job = _run(cast.rep_ist, "Ad,Firma\nNigar,Şirvan Lojistik\nEmin,Yeni Firma\nEce,KOÇ DAĞITIM\n", trial=False)
    assert job.result["created"] == 2 and [e["line"] for e in job.result["errors"]] == [2]
    assert Person.objects.get(first_name="Ece").employments.get().company == mine
    assert Company.objects.filter(search_key="sirvan lojistik").count() == 1
    assert Company.objects.filter(name="Yeni Firma").exists()


@pytest.mark.parametrize(
    "text",
    [
        "Ad Soyad;Adres;Telefon\r\nAli Veli;Moda Cad. No:5, Kadıköy;0532 111 22 33\r\n",
        'Ad Soyad,Adres,Telefon\n"Ali Veli","Moda Cad. No:5, Kadıköy",0532 111 22 33\n',
        "Ad Soyad\tAdres\tTelefon\nAli Veli\tModa Cad. No:5, Kadıköy\t0532 111 22 33\n",
    ],
)
def test_the_separator_is_the_one_of_the_header_line(text: str) -> None:
    table = read_table(text.encode(), "person")
    assert table.rows == [["Ali Veli", "Moda Cad. No:5, Kadıköy", "0532 111 22 33"]]
    assert list(table.mapping.values()) == ["full_name", "street", "phone"]


def test_line_numbers_count_blank_lines_and_cells_spanning_lines(cast: Any) -> None:
    data = (
        "Ad;Soyad;Telefon;Notlar\n"
        "Ali;Veli;0532 111 22 33;\n"
        'Ece;Tan;0532 111 22 44;"two\nlines"\n'
        "Can;Er;0532 111 22 55;\n"
        "\n"
        "Ahmet;Demir;12345;\n"
        "Aliye;Veli;0532 111 22 33;\n"
    )
    job = _run(cast.rep_ist, data)
    assert [e["line"] for e in job.result["errors"]] == [7]  # as an editor or Excel numbers it
    (duplicate,) = job.result["duplicates"]
    assert duplicate["line"] == 8 and duplicate["candidates"][0]["line"] == 2
    problems = (settings.EXPORT_DIR / job.result_file).read_text(encoding="utf-8-sig").splitlines()
    assert problems[1].startswith("Ahmet;Demir;12345;")
    assert problems[2].startswith("Aliye;Veli;") and duplicate["candidates"][0]["title"] in problems[2]


@hsettings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(st.lists(st.text(max_size=8), min_size=1, max_size=3), st.integers(min_value=0, max_value=2)),
        min_size=1,
        max_size=8,
    )
)
def test_each_row_is_numbered_with_the_files_line_where_it_starts(records: list[tuple[list[str], int]]) -> None:
    import csv
    import io
    import re

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")  # ends lines with \r\n, like Excel, and quotes cells holding one
    writer.writerow(["Ad", "Telefon"])
    expected = []
    for cells, blank_lines_before in records:
        out.write("\r\n" * blank_lines_before)
        if any(cell.strip() for cell in cells):
            expected.append(len(re.findall(r"\r\n|\r|\n", out.getvalue())) + 1)
        writer.writerow(cells)
    try:
        table = read_table(out.getvalue().encode(), "person")
    except ImportFileError:
        return  # only blank rows
    assert table.line_numbers == expected


def test_a_cell_longer_than_csvs_default_limit_is_that_lines_error(cast: Any) -> None:
    import csv

    data = f"Ad;Notlar\nAli;kısa\n{'x' * 99_000};uzun\nVeli;{'n' * 9_000}\n"
    job = _run(cast.rep_ist, data)
    assert job.state == Job.State.SUCCEEDED, job.error
    assert job.result["created"] == 2  # Ali, and Veli with his long notes
    (error,) = job.result["errors"]  # a name of 99,000 characters
    assert error["line"] == 3 and len(error["title"]) == 200
    assert csv.field_size_limit() == 131072  # put back for the rest of the process


def test_a_cell_longer_than_the_cap_is_refused_naming_its_line(cast: Any, settings: Any) -> None:
    from django.utils import translation

    settings.IMPORT_MAX_CELL_CHARS = 1000
    with translation.override("en"), pytest.raises(ImportFileError) as exc:
        read_table(f"Ad;Notlar\nAli;kısa\n\nVeli;{'n' * 1001}\n".encode(), "person")
    assert "line 4" in exc.value.message and "1000 characters" in exc.value.message
    with translation.override("en"), pytest.raises(ImportFileError) as exc:  # past csv's own limit too
        read_table(f"Ad;Notlar\nAli;kısa\n\nVeli;{'n' * 140_000}\n".encode(), "person")
    assert "line 4" in exc.value.message and "field larger" not in exc.value.message


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('Ad,Soyad,Telefon\n"Ali,Veli\n', 2),
        ('Ad;Notlar\nAli;"two\nlines"\n\nVeli;"open\nand more\n', 5),
        ('Ad;Notlar\nAli;"a ""quoted"" word\n', 2),
        ('Ad;Notlar\nAli;x\nVeli;"shut" then "open\n', None),  # quotes inside an unquoted cell are text
    ],
)
def test_a_quote_never_closed_is_refused_naming_its_line(text: str, line: int | None) -> None:
    from django.utils import translation

    if line is None:
        assert read_table(text.encode(), "person").rows[-1] == ["Veli", 'shut then "open']
        return
    with translation.override("en"), pytest.raises(ImportFileError) as exc:
        read_table(text.encode(), "person")
    assert f"line {line} is never closed" in exc.value.message


def test_a_quote_never_closed_fails_the_job_shown_in_the_api_and_on_the_page(cast: Any, api: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils.html import escape

    broken = b'Ad,Soyad,Telefon\n"Ali,Veli\n'
    answer = api(cast.rep_ist).post(
        "/api/v1/imports/", {"kind": "person", "file": SimpleUploadedFile("x.csv", broken)}, format="multipart"
    )
    assert answer.status_code == 202
    job = api(cast.rep_ist).get(answer.json()["url"]).json()
    assert job["state"] == "failed" and "2" in job["message"] and '"' in job["message"]
    client = Client()
    client.force_login(cast.rep_ist)
    page = client.post("/customers/import/", {"kind": "person", "file": SimpleUploadedFile("x.csv", broken)})
    assert page.status_code == 302
    report = client.get(page["Location"]).content.decode()
    message = Job.objects.get(pk=page["Location"].rstrip("/").split("/")[-1]).message
    assert "msg-error" in report and escape(message) in report
    assert not Person.objects.exists()


@hsettings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.lists(
            st.text(st.characters(exclude_characters=BINARY_CONTROLS, exclude_categories=("Cs",)), max_size=10),
            min_size=1,
            max_size=4,
        ),
        min_size=1,
        max_size=6,
    )
)
def test_any_file_csv_writes_is_read_back_cell_for_cell(rows: list[list[str]]) -> None:
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows([["Ad", "Telefon"], *rows])
    kept = [row for row in rows if any(cell.strip() for cell in row)]
    if not kept:
        return
    assert read_table(out.getvalue().encode(), "person").rows == kept


def test_files_of_lines_with_problems_are_deleted_after_a_week_and_their_link_says_so(cast: Any) -> None:
    import os
    import time

    from velinimet.core.jobfiles import exports_expire

    job = _run(cast.rep_ist, "Ad;Telefon\nAhmet;12345\nAyşe;0532 111 22 33\n")
    problems = settings.EXPORT_DIR / job.result_file
    client = Client()
    client.force_login(cast.rep_ist)
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 200
    assert exports_expire() == 0 and problems.is_file()  # not yet a week old
    week_ago = time.time() - 8 * 86400
    os.utime(problems, (week_ago, week_ago))
    assert exports_expire() == 1 and not problems.exists()  # every job result file expires the same way
    gone = client.get(f"/jobs/{job.pk}/download/")
    assert gone.status_code == 410 and 'id="job-file-gone"' in gone.content.decode()


def test_erasing_a_person_scrubs_their_name_from_import_reports_and_problem_files(
    cast: Any, api: Any, django_capture_on_commit_callbacks: Any
) -> None:
    leyla = services.person_create(
        actor=cast.rep_ist, first_name="Leyla", last_name="Əliyeva", emails=[services.EmailIn("leyla@example.az")]
    )
    job = _run(cast.rep_ist, PEOPLE)
    problems = settings.EXPORT_DIR / job.result_file
    assert "Əliyeva" in str(job.result) and "Əliyeva" in problems.read_text(encoding="utf-8-sig")
    with django_capture_on_commit_callbacks(execute=True):
        erased = api(cast.manager).post(
            f"/api/v1/people/{leyla.pk}/kvkk-erase/", {"reason": "Başvuru 7"}, format="json"
        )
    assert erased.status_code == 204, erased.content
    job.refresh_from_db()
    assert "Leyla" not in str(job.result) and "Əliyeva" not in str(job.result)
    assert "leyla@example.az" not in str(job.result)  # the reasons named her e-mail
    dups = {d["line"]: d for d in job.result["duplicates"]}
    assert dups[4]["title"] == dups[4]["candidates"][0]["title"] == "[erased]"
    assert dups[4]["candidates"][0]["id"] == leyla.pk  # the link stays: it leads to the erased record
    assert dups[7]["candidates"][0]["line"] == 3 and dups[7]["title"] == "Ayse Kaya"  # others untouched
    assert not problems.exists()  # its lines held the phone or e-mail that matched


def test_a_quote_closed_by_a_later_line_does_not_swallow_customers() -> None:
    """A quote opened by mistake and closed by the next line's quoted cell would make one customer's notes
    of the next customer's whole line: the file is refused, naming both lines. Cells csv writes across
    lines (an address on two lines, with the separator inside) are read as they are."""
    from django.utils import translation

    bad = 'Ad;Soyad;Telefon;Notlar\nAyla;Bir;0532 405 20 01;"açık\nAyla;İki;0532 405 20 02;"kapalı"\nAyla;Üç;x;y\n'
    with translation.override("en"), pytest.raises(ImportFileError) as exc:
        read_table(bad.encode(), "person")
    assert "line 2 closes only on line 3" in exc.value.message
    at_the_end = bad.rsplit("Ayla;Üç", 1)[0]  # the swallowing record is the file's last
    with translation.override("en"), pytest.raises(ImportFileError) as exc:
        read_table(at_the_end.encode(), "person")
    assert "line 2 closes only on line 3" in exc.value.message
    fine = 'Ad;Adres\nAli;"Moda Cad. 5;\nKadıköy"\nVeli;"x ""y"" z"\n'
    assert read_table(fine.encode(), "person").rows == [["Ali", "Moda Cad. 5;\nKadıköy"], ["Veli", 'x "y" z']]


REPEATS = {
    # Two lines of one file that are one customer by a rule the old in-file check did not know (IBAN), knew
    # in one name order only, or keyed differently from the database (an e-mail typed with a Turkish İ).
    "iban": "Ad;Soyad;IBAN\nAli;Veli;TR33 0006 1005 1978 6457 8413 26\nAyşe;Kaya;TR330006100519786457841326\n",
    "name in either order": "Ad;Soyad;İl\nŞükrü;Öztürk;İstanbul\nÖztürk;Şükrü;ISTANBUL\n",
    "e-mail typed in caps": "Ad;Soyad;E-posta\nAli;Veli;ALİ@EXAMPLE.COM\nAyşe;Kaya;ali@example.com\n",
}


@pytest.mark.parametrize("chunk", [200, 1])
@pytest.mark.parametrize("case", sorted(REPEATS))
def test_a_trial_reports_a_repeated_line_as_that_line_not_as_a_record_it_rolled_back(
    cast: Any, monkeypatch: Any, case: str, chunk: int
) -> None:
    """A trial run rolls back what it created: a later line that repeats an earlier one must be reported
    as "line 2 of this file", by every duplicate rule, in the same chunk or a later one, and the real
    import must report the same."""
    from velinimet.customers.services import importer

    monkeypatch.setattr(importer, "CHUNK", chunk)
    reports = []
    for trial in (True, False):
        job = _run(cast.rep_ist, REPEATS[case], trial=trial)
        assert job.state == Job.State.SUCCEEDED, job.error
        assert job.result["created"] == 1
        (duplicate,) = job.result["duplicates"]
        (candidate,) = duplicate["candidates"]
        reports.append((duplicate["line"], candidate["line"], candidate["id"], candidate["url"], candidate["reasons"]))
    assert reports[0] == reports[1]
    line, earlier, record_id, url, _reasons = reports[0]
    assert (line, earlier, record_id, url) == (3, 2, None, None)
    assert Person.objects.count() == 1  # the real import's line 2
