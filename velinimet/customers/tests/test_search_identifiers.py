"""Search by the end of a phone, an e-mail domain, part of a customer number; the lists' search box matches
as the global search does."""

from __future__ import annotations

from typing import Any

import pytest

from velinimet.core.search import search
from velinimet.customers import services
from velinimet.customers.models import Email, Person, Phone
from velinimet.customers.selectors import person_list
from velinimet.customers.selectors.records import company_list
from velinimet.customers.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
P, E = services.PhoneIn, services.EmailIn


def _titles(user: Any, query: str, kind: str = "person") -> list[str]:
    return [h.title for p, hits in search(user, query) for h in hits if p.type == kind]


@pytest.fixture
def people(cast: Any) -> dict[str, Person]:
    return {
        "ayse": PersonFactory(
            actor=cast.admin, first_name="Ayşe", last_name="Kaya", phones=[P("0532 555 44 33")],
            emails=[E("ayse@firma.com.tr")],
        ),
        "elnur": PersonFactory(
            actor=cast.admin, first_name="Elnur", last_name="Məmmədov", phones=[P("+994 50 555 44 33")],
            emails=[E("elnur@Firma.com.tr")],
        ),
        "can": PersonFactory(
            actor=cast.admin, first_name="Can", last_name="Demir", phones=[P("0212 444 55 66")],
            emails=[E("can@baska.com")],
        ),
    }  # fmt: skip


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("555 44 33", {"Ayşe Kaya", "Elnur Məmmədov"}),
        ("5554433", {"Ayşe Kaya", "Elnur Məmmədov"}),
        ("532 555 44 33", {"Ayşe Kaya"}),
        ("50 5554433", {"Elnur Məmmədov"}),
        ("444 55 66", {"Can Demir"}),
        ("444 55 67", set()),
        ("@firma.com.tr", {"Ayşe Kaya", "Elnur Məmmədov"}),
        ("@FIRMA.COM.TR", {"Ayşe Kaya", "Elnur Məmmədov"}),
        ("@baska.com", {"Can Demir"}),
        ("@firma.com", set()),
    ],
)
def test_the_end_of_a_phone_and_an_e_mail_domain_find_their_records(
    cast: Any, people: dict[str, Person], query: str, expected: set[str]
) -> None:
    assert set(_titles(cast.admin, query)) == expected


def test_a_partial_customer_number_finds_its_record(cast: Any, people: dict[str, Person]) -> None:
    number = people["can"].customer_number  # M0000003 or so
    digits = number[1:].lstrip("0")
    assert _titles(cast.admin, digits) == ["Can Demir"]  # "3" is M0000003
    assert _titles(cast.admin, number[:-1].lower()) == sorted(
        {str(p) for p in Person.objects.filter(customer_number__startswith=number[:-1])}
    )
    assert "Can Demir" in _titles(cast.admin, number[:-1])


def test_the_stored_tail_and_domain_are_written_by_the_services(cast: Any, people: dict[str, Person]) -> None:
    assert set(Phone.objects.values_list("tail", flat=True)) == {"5554433", "4445566"}
    assert set(Email.objects.values_list("domain", flat=True)) == {"firma.com.tr", "baska.com"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("0532 555 44 33", {"Ayşe Kaya"}),
        ("555 44 33", {"Ayşe Kaya", "Elnur Məmmədov"}),
        ("@firma.com.tr", {"Ayşe Kaya", "Elnur Məmmədov"}),
        ("can@baska.com", {"Can Demir"}),
        ("MAMMADOV", {"Elnur Məmmədov"}),
        ("Mamedov", {"Elnur Məmmədov"}),
        ("ayse", {"Ayşe Kaya"}),
        ("aye", set()),
        ("kay", {"Ayşe Kaya"}),
    ],
)
def test_the_people_lists_search_box_matches_as_the_global_search(
    cast: Any, people: dict[str, Person], query: str, expected: set[str]
) -> None:
    listed = {str(p) for p in person_list(cast.admin, {"q": query})}
    assert listed == expected
    assert set(_titles(cast.admin, query)) >= expected


def test_the_companies_lists_search_box_finds_a_phone_and_a_spelling(cast: Any) -> None:
    services.company_create(actor=cast.admin, name="Xəzər Şəfa MMC", phones=[P("012 555 66 77")], force=True)
    assert [str(c) for c in company_list(cast.admin, {"q": "555 66 77"})] == ["Xəzər Şəfa MMC"]
    assert [str(c) for c in company_list(cast.admin, {"q": "khazar"})] == ["Xəzər Şəfa MMC"]
