"""Search finds a name however it is spelled (``sound_key``), and near spellings in the fuzzy tier."""

from __future__ import annotations

from typing import Any

import pytest

from velinimet.core.search import search
from velinimet.customers import services
from velinimet.customers.models import Company, Person
from velinimet.customers.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

STORED = [("Əli", "Məmmədov"), ("Xəlil", "Həsənov"), ("Şahin", "Əliyev"), ("Çingiz", "Ağayev"), ("Elnur", "Cəfərov")]


def _people(user: Any, query: str) -> list[str]:
    return [h.title for p, hits in search(user, query) for h in hits if p.type == "person"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("MAMMADOV", "Əli Məmmədov"),
        ("mammadov", "Əli Məmmədov"),
        ("Memmedov", "Əli Məmmədov"),
        ("Mamedov", "Əli Məmmədov"),
        ("ali mamed", "Əli Məmmədov"),
        ("KHALIL", "Xəlil Həsənov"),
        ("khalil", "Xəlil Həsənov"),
        ("Xelil", "Xəlil Həsənov"),
        ("Gasanov", "Xəlil Həsənov"),
        ("HASANOV", "Xəlil Həsənov"),
        ("SHAHIN", "Şahin Əliyev"),
        ("aliyev", "Şahin Əliyev"),
        ("Aliev", "Şahin Əliyev"),
        ("CHINGIZ", "Çingiz Ağayev"),
        ("AGHAYEV", "Çingiz Ağayev"),
        ("Agaev", "Çingiz Ağayev"),
        ("Jafarov", "Elnur Cəfərov"),
        ("Dzhafarov", "Elnur Cəfərov"),
        ("Kuliev", None),
    ],
)
def test_search_finds_a_name_in_every_spelling(cast: Any, query: str, expected: str | None) -> None:
    for first, last in STORED:
        PersonFactory(actor=cast.admin, first_name=first, last_name=last)
    found = _people(cast.admin, query)
    if expected is None:
        assert found == []
    else:
        assert expected in found


def test_a_name_typed_in_the_alphabet_finds_its_passport_spelling(cast: Any) -> None:
    PersonFactory(actor=cast.admin, first_name="ALI", last_name="MAMMADOV")
    PersonFactory(actor=cast.admin, first_name="Khalil", last_name="Aghayev")
    assert _people(cast.admin, "Məmmədov") == ["ALI MAMMADOV"]
    assert _people(cast.admin, "Xəlil Ağayev") == ["Khalil Aghayev"]


def test_companies_are_found_in_every_spelling(cast: Any) -> None:
    services.company_create(actor=cast.admin, name="Xəzər Şəfa MMC", force=True)
    for query in ("xazar", "KHAZAR", "Xezer sefa", "khazar shafa"):
        titles = [h.title for p, hits in search(cast.admin, query) for h in hits if p.type == "company"]
        assert titles == ["Xəzər Şəfa MMC"], query


def test_the_spelling_tier_ranks_after_the_name_as_typed(cast: Any) -> None:
    PersonFactory(actor=cast.admin, first_name="Orxan", last_name="Mamedov")
    PersonFactory(actor=cast.admin, first_name="Orxan", last_name="Məmmədov")
    assert _people(cast.admin, "mamedov") == ["Orxan Mamedov", "Orxan Məmmədov"]
    assert _people(cast.admin, "məmmədov") == ["Orxan Məmmədov", "Orxan Mamedov"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("Kuliev", "Rauf Quliyev"), ("Mamdov", "Əli Məmmədov"), ("Xalilov", "Nicat Xəlilova"), ("Ismayilov", None)],
)
def test_the_fuzzy_tier_finds_near_spellings(cast: Any, query: str, expected: str | None) -> None:
    PersonFactory(actor=cast.admin, first_name="Rauf", last_name="Quliyev")
    PersonFactory(actor=cast.admin, first_name="Əli", last_name="Məmmədov")
    PersonFactory(actor=cast.admin, first_name="Nicat", last_name="Xəlilova")
    PersonFactory(actor=cast.admin, first_name="Polad", last_name="Bülbüloğlu")
    found = _people(cast.admin, query)
    assert found == ([expected] if expected else [])


def test_the_sound_key_is_written_by_every_service(cast: Any) -> None:
    person = PersonFactory(actor=cast.admin, first_name="Əli", last_name="Məmmədov")
    assert Person.objects.get(pk=person.pk).sound_key == "ali mamadov"
    services.person_update(actor=cast.admin, person=person, last_name="Həsənov", version=person.version)
    assert Person.objects.get(pk=person.pk).sound_key == "ali gasanov"
    company = services.company_create(actor=cast.admin, name="Xəzər", short_name="XZR", force=True)
    assert Company.objects.get(pk=company.pk).sound_key == "gazar gzr"


def test_the_migration_fills_the_sound_key_of_existing_rows(cast: Any) -> None:
    import importlib

    from django.apps import apps

    person = PersonFactory(actor=cast.admin, first_name="Çingiz", last_name="Ağayev")
    Person.objects.filter(pk=person.pk).update(sound_key="")
    importlib.import_module("velinimet.customers.migrations.0010_sound_key").fill(apps, None)
    assert Person.objects.get(pk=person.pk).sound_key == "cingiz agav"


def test_the_sound_key_stays_out_of_the_audit_log(cast: Any) -> None:
    from velinimet.core.models import AuditEntry

    person = PersonFactory(actor=cast.admin, first_name="Əli", last_name="Məmmədov")
    services.person_update(actor=cast.admin, person=person, last_name="Həsənov", version=person.version)
    entries = AuditEntry.objects.filter(object_id=str(person.pk))
    assert entries.count() >= 2
    assert not any("sound_key" in str(entry.changes) for entry in entries)


def test_the_search_triggers_outlive_the_table_rebuilds_of_the_migrations() -> None:
    """Adding a column rebuilds a SQLite table and drops its triggers: the last migration that does so
    (0010, 0011) must leave every search index of people and companies kept in step."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite: PostgreSQL keeps its indexes across ALTER TABLE")
    with connection.cursor() as cursor:
        cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        triggers = set(cursor.fetchall())
    for table in ("customers_person", "customers_company"):
        for index in ("fts", "words", "sound"):
            for event in ("ai", "ad", "au"):
                assert (table, f"{table}_{index}_{event}") in triggers
