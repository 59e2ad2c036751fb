""" "Name A–Z" and "Last name A–Z" in the reader's alphabet: the HTML lists, the API's ?ordering=, and the
index that serves page 5,000 as page 1 (EXPLAIN on the engine the suite runs on)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import translation

from velinimet.core.selectors import keyset_query
from velinimet.customers import services
from velinimet.customers.models import Company, Person
from velinimet.customers.selectors import keyset_page, person_list
from velinimet.customers.selectors.records import company_list, sort_fields

pytestmark = pytest.mark.django_db

FIRST_NAMES = ["Zeynep", "Çağla", "Cem", "Ilgaz", "İlker", "Hakan", "Xəyal", "Qasım", "Kamil", "Əli", "Elvin", "Fuad"]
TURKISH = ["Cem", "Çağla", "Elvin", "Əli", "Fuad", "Hakan", "Ilgaz", "İlker", "Kamil", "Qasım", "Xəyal", "Zeynep"]
AZERBAIJANI = ["Cem", "Çağla", "Elvin", "Əli", "Fuad", "Hakan", "Xəyal", "Ilgaz", "İlker", "Kamil", "Qasım", "Zeynep"]


def reader(user: Any, language: str) -> Any:
    user.language = language
    user.save(update_fields=["language"])
    return user


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def named(cast: Any) -> None:
    for first in FIRST_NAMES:
        services.person_create(actor=cast.admin, first_name=first, last_name="Test", force=True)
        services.company_create(actor=cast.admin, name=f"{first} A.Ş.")


@pytest.mark.parametrize(("language", "expected"), [("tr", TURKISH), ("az", AZERBAIJANI), ("en", TURKISH)])
def test_the_people_and_companies_lists_sort_names_in_the_readers_alphabet(
    cast: Any, named: None, language: str, expected: list[str]
) -> None:
    client = client_for(reader(cast.admin, language))
    people = client.get("/customers/people/", {"sort": "name"}).context["rows"]
    assert [p.first_name for p in people] == expected
    companies = client.get("/customers/companies/", {"sort": "name"}).context["rows"]
    assert [c.name.removesuffix(" A.Ş.") for c in companies] == expected
    backwards = client.get("/customers/people/", {"sort": "-name"}).context["rows"]
    assert [p.first_name for p in backwards] == expected[::-1]


@pytest.mark.parametrize(("language", "expected"), [("tr", TURKISH), ("az", AZERBAIJANI)])
def test_the_api_orders_by_name_and_last_name_in_the_readers_alphabet(
    cast: Any, named: None, api: Any, language: str, expected: list[str]
) -> None:
    client = api(reader(cast.admin, language))
    seen, url = [], "/api/v1/people/?ordering=name&page_size=5"
    while url:
        body = client.get(url).json()
        seen += [row["first_name"] for row in body["results"]]
        url = body["next"]
    assert seen == expected
    by_last = client.get("/api/v1/people/?ordering=last_name").json()["results"]
    assert [row["first_name"] for row in by_last] == expected  # same last name: then the first name
    companies = client.get("/api/v1/companies/?ordering=-name").json()["results"]
    assert [row["name"].removesuffix(" A.Ş.") for row in companies] == expected[::-1]


def test_an_unknown_order_is_a_clear_400(cast: Any, api: Any) -> None:
    client = api(cast.admin)
    bad = client.get("/api/v1/people/?ordering=salary")
    assert bad.status_code == 400 and "ordering" in bad.json()["errors"]
    companies = client.get("/api/v1/companies/?ordering=last_name")
    assert companies.status_code == 400 and "ordering" in companies.json()["errors"]
    assert client.get("/api/v1/people/?ordering=-last_name").status_code == 200


def test_keyset_pages_in_azerbaijani_see_every_person_once(cast: Any, named: None) -> None:
    qs = person_list(cast.admin)
    seen, cursor = [], None
    for _page in range(10):
        rows, cursor = keyset_page(qs, "name", cursor, size=5, language="az")
        seen += [p.first_name for p in rows]
        if cursor is None:
            break
    assert seen == AZERBAIJANI


@pytest.mark.parametrize(("model", "sort"), [(Person, "name"), (Person, "last_name"), (Company, "-name")])
@pytest.mark.parametrize("language", ["tr", "az"])
def test_a_deep_page_is_read_from_the_sort_index(cast: Any, model: Any, sort: str, language: str) -> None:
    """EXPLAIN of a page far into the list (after a cursor): the engine walks the (key, id) index and does
    not sort, so page 5,000 costs what page 1 costs (timed at 1M in bench/, docs/benchmarks.md)."""
    lister = person_list if model is Person else company_list
    fields = sort_fields(model, sort, language)
    cursor = "1c1a1f1c|1000"  # past "Ilgaz"
    with translation.override(language):
        qs = keyset_query(lister(cast.admin), fields, cursor)[:51]
        if connection.vendor == "postgresql":
            # A test table is tiny: a scan and a sort would win there. Priced out of the way, the plan shows
            # whether the index can serve the order at all (at 1M rows the planner takes it by itself).
            settings = ("enable_seqscan", "enable_bitmapscan", "enable_sort")
            with connection.cursor() as c:
                for name in settings:
                    c.execute(f"SET {name} = off")
            try:
                plan = qs.explain()
            finally:
                with connection.cursor() as c:
                    for name in settings:
                        c.execute(f"RESET {name}")
        else:
            plan = qs.explain()
    prefix = "person" if model is Person else "company"
    index = f"{prefix}_{'last_name' if 'last_name' in sort else 'sort'}_{language}"
    assert index in plan, plan
    assert "TEMP B-TREE" not in plan and "Sort Key" not in plan, plan


def picker_titles(response: Any) -> list[str]:
    import re

    assert response.status_code == 200
    return [label.split(" · ")[0] for label in re.findall(r'data-label="([^"]*)"', response.content.decode())]


@pytest.mark.parametrize(("language", "expected"), [("tr", TURKISH), ("az", AZERBAIJANI)])
def test_pickers_list_namesakes_of_one_score_in_the_readers_alphabet(
    cast: Any, named: None, language: str, expected: list[str]
) -> None:
    from velinimet.accounts.services import team_create, user_create

    client = client_for(reader(cast.admin, language))
    companies = picker_titles(client.get("/customers/companies/pick/", {"q": "a.ş."}))
    assert [c.removesuffix(" A.Ş.") for c in companies] == expected
    people = picker_titles(client.get("/customers/people/pick/", {"q": "test"}))
    assert [p.removesuffix(" Test") for p in people] == expected
    for i, first in enumerate(FIRST_NAMES):
        team_create(actor=cast.admin, name=f"{first} Ekibi")
        user_create(
            actor=cast.admin, username=f"sira{i}", password="Uzun-Parola-123", first_name=first, last_name="Sıra"
        )
    teams = picker_titles(client.get("/customers/teams/pick/", {"q": "ekibi"}))
    assert [t.removesuffix(" Ekibi") for t in teams] == expected
    owners = picker_titles(client.get("/customers/owners/pick/", {"q": "sıra"}))
    assert [o.removesuffix(" Sıra") for o in owners] == expected


def test_custom_field_choices_and_team_selects_are_in_the_readers_alphabet(cast: Any) -> None:
    from velinimet.accounts.forms import UserForm
    from velinimet.accounts.services import team_create
    from velinimet.customers.forms import _custom_form_field
    from velinimet.customers.services.custom_fields import custom_field_create

    field = custom_field_create(
        actor=cast.admin, record_type="person", label="Şehir", kind="choice", choices=["Xaçmaz", "İzmir", "Hacıqabul"]
    )
    with translation.override("az"):
        assert [c for c, _label in _custom_form_field(field).choices] == ["", "Hacıqabul", "Xaçmaz", "İzmir"]
    with translation.override("tr"):
        assert [c for c, _label in _custom_form_field(field).choices] == ["", "Hacıqabul", "İzmir", "Xaçmaz"]
        for name in ("Ümraniye", "Çankaya", "Cide"):
            team_create(actor=cast.admin, name=name)
        labels = [str(label) for _value, label in UserForm().fields["team"].choices][1:]
        assert [n for n in labels if n in ("Ümraniye", "Çankaya", "Cide")] == ["Cide", "Çankaya", "Ümraniye"]


def test_the_migration_gives_existing_rows_the_keys_the_services_write(
    cast: Any, named: None, monkeypatch: Any
) -> None:
    import importlib

    from django.apps import apps

    from velinimet.customers.services.kvkk import person_erase

    migration = importlib.import_module("velinimet.customers.migrations.0012_sort_keys")
    erased = Person.objects.get(first_name="Cem")
    person_erase(actor=cast.admin, person=erased, reason="test")
    columns = ["sort_key_tr", "sort_key_az", "last_name_key_tr", "last_name_key_az"]
    written = {p["pk"]: p for p in Person.objects.values("pk", *columns)}
    companies = {c["pk"]: c for c in Company.objects.values("pk", "sort_key_tr", "sort_key_az")}
    Person.objects.update(**dict.fromkeys(columns, None))
    Company.objects.update(sort_key_tr=None, sort_key_az=None)
    monkeypatch.setattr(migration, "BATCH", 5)  # several batches
    migration.fill_sort_keys(apps, None)
    assert {p["pk"]: p for p in Person.objects.values("pk", *columns)} == written
    assert {c["pk"]: c for c in Company.objects.values("pk", "sort_key_tr", "sort_key_az")} == companies
    assert written[erased.pk]["sort_key_tr"] == written[erased.pk]["last_name_key_az"] == ""
