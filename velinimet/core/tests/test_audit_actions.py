"""Audit action codes: stored once with their data, read in the reader's language, time zone and locale."""

from __future__ import annotations

import csv
import datetime
import importlib
import io
import zoneinfo
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import formats, timezone, translation

from velinimet.core import audit
from velinimet.core.models import AuditEntry
from velinimet.core.registry import AuditAction

notes = importlib.import_module("velinimet.core.migrations.0006_audit_notes_to_codes")

#: (record type, kind, the note the services wrote before action codes, its code, its data, how it reads in English)
OLD_NOTES = [
    ("customers.person", "update", "bulk assign", "customers.person.bulk_assigned", {}, "assigned in bulk"),
    ("customers.company", "update", "tag added: VIP, bayi", "customers.company.tagged", {"tags": "VIP, bayi"},
     "tag added: VIP, bayi"),
    ("customers.person", "delete", "moved to trash", "customers.person.trashed", {}, "moved to the trash"),
    ("customers.person", "update", "merged C-000012 in", "customers.person.merged_in", {"number": "C-000012"},
     "C-000012 merged into this record"),
    ("customers.company", "delete", "merged into C-000007", "customers.company.merged_into", {"number": "C-000007"},
     "merged into C-000007"),
    ("customers.person", "restore", "merge undone", "customers.person.merge_undone", {}, "merge undone"),
    ("customers.person", "other", "KVKK data export", "customers.person.kvkk_exported", {}, "KVKK data export"),
    ("customers.person", "delete", "KVKK erasure: Başvuru 2026/41 ([erased])", "customers.person.erased",
     {"reason": "Başvuru 2026/41 ([erased])"}, "KVKK erasure: Başvuru 2026/41 ([erased])"),
    ("accounts.user", "update", "password changed", "accounts.user.password_changed", {}, "password changed"),
    ("accounts.user", "update", "two-factor login enabled", "accounts.user.two_factor_enabled", {},
     "two-factor login enabled"),
    ("accounts.user", "update", "two-factor login removed", "accounts.user.two_factor_removed", {},
     "two-factor login removed"),
    ("core.job", "other", "job cancelled", "core.job.cancelled", {}, "job cancelled"),
    ("accounts.user", "update", "tarayıcı testi: şçğüöı", "core.legacy_note", {"note": "tarayıcı testi: şçğüöı"},
     "tarayıcı testi: şçğüöı"),
]  # fmt: skip
#: Entries without a note: their code comes from their kind, and they read as nothing (the kind says it).
PLAIN = [
    ("customers.person", "create", "customers.person.created"),
    ("accounts.team", "update", "accounts.team.updated"),
    ("customers.company", "delete", "customers.company.deleted"),
    ("customers.person", "restore", "customers.person.restored"),
]


# --- rendering -----------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_stored_code_reads_in_turkish_azerbaijani_and_english(cast: Any) -> None:
    from velinimet.customers import services
    from velinimet.customers.services.merge import records_merge

    kept = services.person_create(actor=cast.admin, first_name="Nermin", last_name="Aydın", force=True)
    gone = services.person_create(actor=cast.admin, first_name="Nermin", last_name="Aydın", force=True)
    records_merge(actor=cast.admin, survivor=kept, other=gone, choices={})
    entry = AuditEntry.objects.get(object_id=str(kept.pk), code="customers.person.merged_in")
    assert entry.data == {"number": gone.customer_number}
    expected = {
        "tr": f"{gone.customer_number} bu kayıtla birleştirildi",
        "az": f"{gone.customer_number} bu qeydlə birləşdirildi",
        "en": f"{gone.customer_number} merged into this record",
    }
    for language, text in expected.items():
        with translation.override(language):
            assert entry.text == text
    other = AuditEntry.objects.get(object_id=str(gone.pk), code="customers.person.merged_into")
    assert (other.action, other.data) == ("delete", {"number": kept.customer_number})
    with translation.override("az"):
        assert other.text == f"{kept.customer_number} ilə birləşdirildi"


@pytest.mark.django_db
def test_an_unknown_code_reads_as_itself_and_is_escaped_on_the_page(cast: Any) -> None:
    audit.log_action(actor=cast.admin, instance=cast.rep_ist, code="gone.<b>app</b>.did", data={"x": 1})
    entry = AuditEntry.objects.get(code="gone.<b>app</b>.did")
    assert entry.text == "gone.<b>app</b>.did"
    client = Client()
    client.force_login(cast.admin)
    html = client.get("/settings/audit/").content.decode()
    assert "gone.&lt;b&gt;app&lt;/b&gt;.did" in html and "<b>app</b>" not in html


@pytest.mark.django_db
def test_data_in_a_message_is_escaped_on_the_page(cast: Any) -> None:
    from velinimet.customers import services

    company = services.company_create(actor=cast.admin, name="Acme", force=True)
    services.records_add_tag(actor=cast.admin, records=[company], tag="<img src=x onerror=alert(1)>")
    client = Client()
    client.force_login(cast.admin)
    html = client.get("/settings/audit/", {"record_type": "customers.company"}).content.decode()
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.django_db
def test_a_message_whose_data_does_not_fit_falls_back_safely(cast: Any, registered: Any) -> None:
    registered("core.audit_actions", AuditAction("core.test.count", "%(count)d rows"))
    missing = audit.log_action(actor=cast.admin, instance=cast.rep_ist, code="core.test.count")
    wrong = audit.log_action(actor=cast.admin, instance=cast.rep_ist, code="core.test.count", data={"count": "x"})
    registered("core.audit_actions", AuditAction("core.test.name", "by %(name)s"))
    absent = audit.log_action(actor=cast.admin, instance=cast.rep_ist, code="core.test.name")
    assert (missing.text, wrong.text, absent.text) == ("core.test.count", "core.test.count", "by ?")


@pytest.mark.django_db
def test_plain_changes_get_their_code_from_the_kind_and_read_as_nothing(cast: Any) -> None:
    from velinimet.accounts import services

    services.team_update(actor=cast.admin, team=cast.baku, name="Bakı Ofisi")
    entry = AuditEntry.objects.filter(content_type__model="team").latest("id")
    assert (entry.action, entry.code, entry.data, entry.text) == ("update", "accounts.team.updated", {}, "")
    with pytest.raises(ValueError):
        audit.log_action(actor=cast.admin, instance=cast.baku)  # kind "other" says nothing: it needs a code


@pytest.mark.django_db
def test_changed_values_read_in_the_readers_time_zone_language_and_locale(cast: Any) -> None:
    from velinimet.customers.models import Person

    person = Person.objects.create(first_name="Nermin", customer_number="C-1", owner=cast.admin)
    changes = {
        "deleted_at": [None, "2026-11-20T07:30:00+00:00"],
        "birth_date": ["1990-03-04", None],
        "gender": ["", "female"],
        "first_name": ["Nermin", "Nərmin"],
    }
    entry = audit.log_action(actor=cast.admin, instance=person, kind="update", changes=changes)
    for language, zone, hour in (("az", "Asia/Baku", 11), ("tr", "Europe/Istanbul", 10)):
        with translation.override(language), timezone.override(zoneinfo.ZoneInfo(zone)):
            moment = datetime.datetime(2026, 11, 20, hour, 30, tzinfo=zoneinfo.ZoneInfo(zone))
            rows = {label: (old, new) for label, old, new in entry.changes_display()}
            assert rows[str(Person._meta.get_field("deleted_at").verbose_name)] == (
                None,
                formats.date_format(moment, "SHORT_DATETIME_FORMAT"),
            )
            assert f"{hour}:30" in rows[str(Person._meta.get_field("deleted_at").verbose_name)][1]
            birth = formats.date_format(datetime.date(1990, 3, 4), "SHORT_DATE_FORMAT")
            assert rows[str(Person._meta.get_field("birth_date").verbose_name)] == (birth, None)
            assert rows[str(Person._meta.get_field("gender").verbose_name)] == ("", str(Person.Gender.FEMALE.label))
            assert rows[str(Person._meta.get_field("first_name").verbose_name)] == ("Nermin", "Nərmin")
    with translation.override("az"):
        assert str(Person.Gender.FEMALE.label) == "Qadın"


@pytest.mark.django_db
def test_the_api_and_the_csv_export_carry_code_data_and_text(
    cast: Any, api: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from velinimet.core.services import audit_export_start
    from velinimet.customers import services

    company = services.company_create(actor=cast.admin, name="Acme", force=True)
    services.records_add_tag(actor=cast.admin, records=[company], tag="bayi")
    body = api(cast.admin).get("/api/v1/audit/", {"code": "customers.company.tagged"}).json()
    [row] = body["results"]
    assert (row["action"], row["code"], row["data"]) == ("update", "customers.company.tagged", {"tags": "bayi"})
    assert row["text"] == "etiket eklendi: bayi"  # the administrator reads Turkish
    with django_capture_on_commit_callbacks(execute=True):
        job = audit_export_start(actor=cast.admin, filters={})
    client = Client()
    client.force_login(cast.admin)
    content = b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content, newline="")))
    tagged = [r for r in rows if r["code"] == "customers.company.tagged"]
    assert [(r["text"], r["data"]) for r in tagged] == [("etiket eklendi: bayi", '{"tags": "bayi"}')]


# --- the migration from notes ------------------------------------------------------------------
@pytest.mark.parametrize(("record_type", "kind", "note", "code", "data", "english"), OLD_NOTES)
def test_the_migration_reads_each_old_note_as_a_code_and_writes_it_back(
    record_type: str, kind: str, note: str, code: str, data: dict[str, str], english: str
) -> None:
    assert notes.note_to_code(record_type, note) == (code, data)
    assert notes.code_to_note(code, data) == note


@pytest.mark.django_db(transaction=True)
def test_the_migration_converts_the_stored_notes_and_reverses() -> None:
    from django.contrib.contenttypes.models import ContentType

    before, latest = [("core", "0005_auditentry_code_data")], [("core", "0007_remove_auditentry_note")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("core", "AuditEntry")
    rows = [(rt, kind, note) for rt, kind, note, *_ in OLD_NOTES] + [(rt, kind, "") for rt, kind, _ in PLAIN]
    ids = []
    for record_type, kind, note in rows:
        app_label, model = record_type.split(".")
        content_type = ContentType.objects.get_by_natural_key(app_label, model)
        entry = old.objects.create(
            action=kind, content_type_id=content_type.pk, object_id="1", object_repr="x", note=note
        )
        ids.append(entry.pk)
    executor = MigrationExecutor(connection)
    executor.migrate(latest)
    entries = {e.pk: e for e in AuditEntry.objects.filter(pk__in=ids)}
    expected = [(code, data, english) for *_, code, data, english in OLD_NOTES] + [(c, {}, "") for *_, c in PLAIN]
    with translation.override("en"):
        assert [(entries[i].code, entries[i].data, entries[i].text) for i in ids] == expected

    executor = MigrationExecutor(connection)
    executor.migrate(before)  # back: the same notes again
    old = executor.loader.project_state(before).apps.get_model("core", "AuditEntry")
    assert list(old.objects.filter(pk__in=ids).order_by("pk").values_list("note", flat=True)) == [r[2] for r in rows]
    leaves = MigrationExecutor(connection)
    leaves.migrate(leaves.loader.graph.leaf_nodes())  # every app back to its latest (others depend on these)
