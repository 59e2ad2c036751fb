"""How the search's tiers behave when they are read lazily and in few statements (selectors/search.py):
exact names first however many share the start of the name, older candidates when visibility filtered
the newest away, identifiers that are not also looked for in names."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from velinimet.customers.models import Company, Person
from velinimet.customers.selectors import search as search_module
from velinimet.customers.selectors.search import identifier_shaped, search_records
from velinimet.customers.tests.factories import CompanyFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_exact_names_come_first_even_when_more_names_start_with_the_query(cast: Any) -> None:
    for n in range(6):
        PersonFactory(actor=cast.admin, first_name="Ayşe", last_name=f"Aaa{n}")
    exact = [PersonFactory(actor=cast.admin, first_name="Ayşe", last_name="") for _ in range(2)]
    found = search_records(cast.admin, Person, "ayse", 3)
    assert {record.pk for _score, record in found[:2]} == {p.pk for p in exact}
    assert [score for score, _record in found] == [
        search_module.SCORE_EXACT,
        search_module.SCORE_EXACT,
        search_module.SCORE_PREFIX,
    ]


def test_older_candidates_are_read_when_visibility_filtered_the_newest_away(cast: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(search_module, "CHUNK", 2)
    visible = PersonFactory(actor=cast.rep_ist, owner=cast.rep_ist, first_name="Nur", last_name="Qarabağlı")
    for _ in range(5):  # newer, the other rep's: the first chunks hold only these
        PersonFactory(actor=cast.rep_baku, owner=cast.rep_baku, first_name="Nur", last_name="Qarabağlı")
    # "arab" is inside the name only: neither a prefix nor another spelling finds it
    found = [record.pk for _score, record in search_records(cast.rep_ist, Person, "arab", 10)]
    assert found == [visible.pk]


@pytest.mark.parametrize(
    ("query", "shaped"),
    [
        ("0532 555 44 33", True),
        ("M0002565", True),
        ("TR33 0006 1005 1978 6457 8413 26", True),
        ("ali@firma.com", True),
        ("@firma.com.tr", True),
        ("A101", False),
        ("3M Türkiye", False),
        ("Ayşe Kaya", False),
        ("2565", False),
    ],
)
def test_which_queries_are_identifiers_only(query: str, shaped: bool) -> None:
    assert identifier_shaped(query) is shaped


def test_a_phone_number_is_not_looked_for_in_company_names(cast: Any) -> None:
    CompanyFactory(actor=cast.admin, name="Kaya İnşaat")
    with CaptureQueriesContext(connection) as queries:
        assert search_records(cast.admin, Company, "0532 555 44 33", 10) == []
    assert len(queries) == 1  # the identifiers, in one statement


def test_a_common_name_costs_one_statement_per_tier_read(cast: Any) -> None:
    for _ in range(3):
        PersonFactory(actor=cast.admin, first_name="Mehmet", last_name="Yılmaz")
    with CaptureQueriesContext(connection) as queries:
        found = search_records(cast.admin, Person, "mehmet yilmaz", 3)
    assert len(found) == 3
    assert len(queries) <= 2  # the name's start (and on PostgreSQL the exact name)
