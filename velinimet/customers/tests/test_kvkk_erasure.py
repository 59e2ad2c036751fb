"""KVKK erasure is complete: after erasing a person with every kind of related record, none of their values
is left in the database (its file and WAL on SQLite, every text column on both engines), in the exports
folder, or in any API answer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import translation

from velinimet.customers.tests import erasure_scenario as scenario

pytestmark = pytest.mark.django_db


def _text_columns() -> list[tuple[str, str]]:
    """(table, column) for every text-like column of every table, FTS shadow tables included."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' "
                "AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'bytea')"
            )
            return [(t, c) for t, c in cursor.fetchall()]
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        tables = [row[0] for row in cursor.fetchall()]
        columns = []
        for table in tables:
            cursor.execute(f'PRAGMA table_info("{table}")')
            columns += [(table, row[1]) for row in cursor.fetchall()]
        return columns


def _database_leaks(found: dict[str, list[str]]) -> None:
    with connection.cursor() as cursor:
        for table, column in _text_columns():
            cast = "::text" if connection.vendor == "postgresql" else ""
            cursor.execute(f'SELECT "{column}"{cast} FROM "{table}" WHERE "{column}" IS NOT NULL')  # noqa: S608
            for (value,) in cursor.fetchall():
                data = value if isinstance(value, bytes | memoryview) else str(value).encode()
                scenario.leaks_in(bytes(data), f"{table}.{column}", found)


def test_erasure_leaves_none_of_the_persons_values_in_the_database_exports_or_api(
    cast: Any, api: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        built = scenario.build(cast, api)
    with django_capture_on_commit_callbacks(execute=True):
        scenario.erase(cast, built["person"])
    found = scenario.check(cast, api, built)
    _database_leaks(found)
    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)


def test_erasure_deletes_the_files_naming_the_person_keeps_the_rest_and_logs_itself_without_their_values(
    cast: Any, api: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from velinimet.core.models import AuditEntry
    from velinimet.customers.models import Tag

    with django_capture_on_commit_callbacks(execute=True):
        built = scenario.build(cast, api)
    with django_capture_on_commit_callbacks(execute=True):
        scenario.erase(cast, built["person"])
    client = api(cast.admin)
    client.force_login(cast.admin)
    files = built["files"]
    assert client.get(f"/jobs/{files['import']}/download/").status_code == 410  # gone, and says so
    assert client.get(f"/jobs/{files['export']}/download/").status_code == 410
    assert client.get(f"/jobs/{files['bystander']}/download/").status_code == 200  # names nobody erased
    bystander = client.get(f"/api/v1/people/{built['bystander'].pk}/").json()
    assert bystander["last_name"] == "Kayalıoğlu" and bystander["tags"] == ["VIP"]
    assert Tag.objects.filter(name="VIP").exists() and not Tag.objects.filter(name__startswith="Zümrüt").exists()
    logged = AuditEntry.objects.get(object_id=str(built["person"].pk), code="customers.person.erased")
    with translation.override("en"):
        assert logged.text == "KVKK erasure: Başvuru 2026/41 ([erased], [erased])"
    assert logged.actor == cast.admin and logged.action == "delete"
    company = AuditEntry.objects.filter(content_type__model="company", object_id=str(built["company"].pk))
    assert [e.object_repr for e in company] == ["Acme Kuyumculuk"] * 3  # other records' history stays…
    quoted = company.get(changes__notes__1="Muhatap: satın alma").changes["notes"][0]
    assert quoted == "Muhatap: [erased], [erased]"  # …without the person's values it quoted


@pytest.mark.skipif(os.environ.get("VELINIMET_DATABASE_URL", "") != "", reason="the database file is SQLite's")
def test_erasure_leaves_none_of_the_persons_values_in_the_sqlite_file_or_its_wal(tmp_path: Path) -> None:
    """A file database in a fresh data directory, run by a separate process: the test database is in memory."""
    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "VELINIMET_DATA_DIR": str(tmp_path)}
    env.pop("VELINIMET_DATABASE_URL", None)
    run = subprocess.run(
        [sys.executable, "-m", "velinimet.customers.tests.erasure_scenario", str(tmp_path)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["secure_delete"] == 1
    assert report["found"] == {}, json.dumps(report["found"], ensure_ascii=False, indent=1)


def test_a_namesakes_history_is_not_erased_with_the_person(cast: Any) -> None:
    from velinimet.activities.services import activity_log
    from velinimet.core.models import AuditEntry
    from velinimet.customers import services
    from velinimet.customers.services.kvkk import person_erase

    erased = services.person_create(
        actor=cast.admin, first_name="Ayşe", last_name="Kaya", phones=[services.PhoneIn("0533 100 20 30")]
    )
    namesake = services.person_create(
        actor=cast.admin, first_name="Ayşe", last_name="Kaya", phones=[services.PhoneIn("0533 900 80 70")], force=True
    )
    kept = activity_log(actor=cast.admin, person=namesake, subject="Ayşe Kaya ile görüşme (0533 900 80 70)")
    quoted = activity_log(actor=cast.admin, person=namesake, subject="Ayşe'nin eski numarası 0533 100 20 30")
    person_erase(actor=cast.admin, person=erased, reason="Başvuru 3")
    assert AuditEntry.objects.get(object_id=str(namesake.pk), content_type__model="person").object_repr == "Ayşe Kaya"
    entries = AuditEntry.objects.filter(content_type__model="activity")
    assert entries.get(object_id=str(kept.pk)).changes["subject"][1] == "Ayşe Kaya ile görüşme (0533 900 80 70)"
    assert entries.get(object_id=str(quoted.pk)).changes["subject"][1] == "Ayşe'nin eski numarası [erased]"


def test_erasure_removes_their_values_from_the_data_of_audit_actions(cast: Any, api: Any) -> None:
    """A tag or a name stored in an action's data (not a field change) goes too, in their entries and others'."""
    from velinimet.core.models import AuditEntry
    from velinimet.customers import services
    from velinimet.customers.services.kvkk import person_erase

    person = services.person_create(actor=cast.admin, first_name="Gülşen", last_name="Çağlayan", force=True)
    company = services.company_create(actor=cast.admin, name="Acme Kuyumculuk", force=True)
    services.records_add_tag(actor=cast.admin, records=[person], tag="Çağlayan ailesi")
    services.records_add_tag(actor=cast.admin, records=[company], tag="Gülşen Çağlayan referansı")
    person_erase(actor=cast.admin, person=person, reason="Başvuru 2026/52, Gülşen Çağlayan")
    tagged = AuditEntry.objects.filter(code__endswith=".tagged")
    assert tagged.get(object_id=str(person.pk), content_type__model="person").data == {"tags": "[erased]"}
    assert tagged.get(object_id=str(company.pk), content_type__model="company").data == {"tags": "[erased] referansı"}
    erased = AuditEntry.objects.get(code="customers.person.erased")
    assert erased.data == {"reason": "Başvuru 2026/52, [erased]"}
    listed = api(cast.admin).get("/api/v1/audit/", {"page_size": 500}).content.decode()
    assert "Gülşen" not in listed and "Çağlayan" not in listed and "[erased] referansı" in listed


def test_an_upload_waiting_for_its_real_import_cannot_bring_an_erased_person_back(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from velinimet.core.jobs import job_run
    from velinimet.customers import services
    from velinimet.customers.exceptions import DomainError
    from velinimet.customers.models import Person
    from velinimet.customers.services.importer import import_dir, import_start
    from velinimet.customers.services.kvkk import person_erase

    gulsen = services.person_create(
        actor=cast.admin,
        first_name="Gülşen",
        last_name="Çağlayanoğlu",
        emails=[services.EmailIn(address="gc@qa.com.tr")],
    )
    csv = "Ad;Soyad;E-posta\nGülşen;Çağlayanoğlu;gc@qa.com.tr\nMehmet;Başaran;mb@qa.com.tr\n".encode()
    trial = import_start(actor=cast.rep_ist, kind="person", data=csv, trial=True)
    job_run(str(trial.pk))
    trial.refresh_from_db()
    upload = import_dir() / trial.params["file"]
    assert upload.is_file()
    with django_capture_on_commit_callbacks(execute=True):
        person_erase(actor=cast.admin, person=gulsen, reason="Başvuru 2026/7")
    assert not upload.exists()
    with pytest.raises(DomainError, match="upload it again|yeniden yükleyin"):
        import_start(actor=cast.rep_ist, kind="person", file=trial.params["file"], trial=False)
    assert not Person.objects.filter(last_name="Çağlayanoğlu").exists()
