"""Pickers (``core.widgets``): every company, person, owner and team field is a search over what the user may
see, answered by one permission-checked endpoint per kind within a query budget; without JavaScript the
field takes a number and says clearly when it is not one the user may choose."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from velinimet.customers import services
from velinimet.customers.models import Company, Employment, Person
from velinimet.customers.tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def options(response: Any) -> list[tuple[int, str]]:
    """(id, label) of each option a picker endpoint answered."""
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    return [(int(pk), label) for pk, label in re.findall(r'data-value="(\d+)" data-label="([^"]*)"', html)]


def company(actor: Any, name: str, city: str = "") -> Company:
    addresses = [services.AddressIn(city=city)] if city else []
    return CompanyFactory(actor=actor, name=name, addresses=addresses)


def test_company_picker_finds_any_visible_company_and_tells_namesakes_apart(
    cast: Any, django_assert_max_num_queries: Any
) -> None:
    izmir = company(cast.rep_ist, "Ak Yapı", "İzmir")
    ankara = company(cast.rep_ist, "Ak Yapı", "Ankara")
    company(cast.rep_baku, "Ak Yapı Bakı")  # another team's: rep_ist may not see it
    client = client_for(cast.rep_ist)
    # session, user and role; the search tiers (on PostgreSQL with their statistics and savepoints); the cities
    with django_assert_max_num_queries(16):
        found = options(client.get("/customers/companies/pick/", {"q": "ak yapi"}))
    assert dict(found) == {
        izmir.pk: f"Ak Yapı · İzmir · {izmir.customer_number}",
        ankara.pk: f"Ak Yapı · Ankara · {ankara.customer_number}",
    }
    # the same matching as the global search: a customer number finds its company
    assert [pk for pk, _label in options(client.get("/customers/companies/pick/", {"q": ankara.customer_number}))] == [
        ankara.pk
    ]
    assert options(client.get("/customers/companies/pick/", {"q": ""})) == []


def test_person_picker_finds_people_by_name_and_phone(cast: Any, django_assert_max_num_queries: Any) -> None:
    ayse = services.person_create(
        actor=cast.rep_ist, first_name="Ayşe", last_name="Kaya", phones=[services.PhoneIn("0532 111 22 33")], force=True
    )
    client = client_for(cast.rep_ist)
    with django_assert_max_num_queries(16):
        assert [pk for pk, _ in options(client.get("/customers/people/pick/", {"q": "ayse"}))] == [ayse.pk]
    assert [pk for pk, _ in options(client.get("/customers/people/pick/", {"q": "0532 111 22 33"}))] == [ayse.pk]
    assert options(client_for(cast.rep_baku).get("/customers/people/pick/", {"q": "ayse"})) == []


def test_pickers_need_a_login(cast: Any) -> None:
    for url in ("/customers/companies/pick/", "/customers/people/pick/", "/customers/owners/pick/"):
        assert Client().get(url, {"q": "a"}).status_code == 302


def test_owner_picker_offers_only_users_the_actor_may_assign_to(cast: Any, django_assert_max_num_queries: Any) -> None:
    def ids(user: Any, **params: str) -> set[int]:
        client = client_for(user)
        with django_assert_max_num_queries(8):
            return {pk for pk, _ in options(client.get("/customers/owners/pick/", params))}

    everyone = {u.pk for u in cast.everyone}
    # a read-only user owns nothing (accounts.selectors.can_own), so no owner picker offers them
    assert ids(cast.admin, assign="customers.person") == everyone - {cast.reader.pk}
    assert cast.reader.pk in ids(cast.admin, q="reader")  # the list's owner filter still finds them
    assert ids(cast.rep_ist, assign="customers.person") == set()  # a rep may not assign at all
    # the list filter offers every user the actor may see; the search narrows it, folded ("rep" / "REP")
    assert ids(cast.rep_ist, q="REP_IST") == {cast.rep_ist.pk}
    labels = dict(options(client_for(cast.admin).get("/customers/owners/pick/", {"q": "rep_baku"})))
    assert labels == {cast.rep_baku.pk: f"{cast.rep_baku} · rep_baku · Bakı"}  # namesakes: username and team


def test_team_picker(cast: Any) -> None:
    found = dict(options(client_for(cast.admin).get("/customers/teams/pick/", {"q": "baki"})))
    assert found == {cast.baku.pk: "Bakı · Satış"}


def test_forms_use_pickers_not_selects(cast: Any) -> None:
    for _i in range(3):
        company(cast.rep_ist, "Firma")
    person = services.person_create(actor=cast.rep_ist, first_name="Ali", force=True)
    client = client_for(cast.admin)
    pages = {
        "/customers/people/new/": "company",
        "/customers/companies/new/": "parent",
        f"/customers/people/{person.pk}/": "company",
        "/customers/people/": "owner",
    }
    for url, name in pages.items():
        html = client.get(url).content.decode()
        assert f'<select name="{name}"' not in html and f'name="{name}"' in html, url
        assert "data-picker" in html and "Firma</option>" not in html, url
    html = client.get("/customers/people/").content.decode()
    assert 'data-picker-url="/customers/owners/pick/?assign=customers.person"' in html
    assert 'data-picker-url="/customers/teams/pick/"' in html


def test_without_javascript_a_company_is_given_by_its_number_with_a_clear_error(cast: Any) -> None:
    firm = company(cast.rep_ist, "Ak Yapı", "İzmir")
    hidden = company(cast.rep_baku, "Gizli")
    client = client_for(cast.rep_ist)
    form = {"first_name": "Ali", "country": "TR", "company": firm.customer_number.lower()}
    assert client.post("/customers/people/new/", form).status_code == 302
    assert Employment.objects.get(person__first_name="Ali").company == firm
    for value in (hidden.customer_number, str(hidden.pk), "M999", "99999999999999999999"):
        response = client.post("/customers/people/new/", {**form, "first_name": "Veli", "company": value})
        assert response.status_code == 200
        assert response.context["form"].errors["company"], value
    assert not Person.objects.filter(first_name="Veli").exists()
    # the field shows the chosen company's name, city and number after an error
    html = client.post("/customers/people/new/", {**form, "first_name": "", "company": firm.pk}).content.decode()
    assert f'data-picker-label="Ak Yapı · İzmir · {firm.customer_number}"' in html


def test_employment_link_uses_the_picker_rule(cast: Any) -> None:
    person = services.person_create(actor=cast.rep_ist, first_name="Ali", force=True)
    firm = company(cast.rep_ist, "Ak Yapı")
    hidden = company(cast.rep_baku, "Gizli")
    client = client_for(cast.rep_ist)
    client.post(f"/customers/people/{person.pk}/companies/", {"company": hidden.customer_number})
    assert not Employment.objects.exists()
    client.post(f"/customers/people/{person.pk}/companies/", {"company": str(firm.pk), "title": "Müdür"})
    assert Employment.objects.get().company == firm


def test_list_filter_takes_an_owner_by_username(cast: Any) -> None:
    mine = services.person_create(actor=cast.rep_ist, first_name="Benim", force=True)
    services.person_create(actor=cast.manager, first_name="Onun", force=True)
    rows = client_for(cast.manager).get("/customers/people/", {"owner": "rep_ist"}).context["rows"]
    assert [r.pk for r in rows] == [mine.pk]


def test_bulk_assign_refuses_an_owner_the_actor_may_not_give_to(cast: Any) -> None:
    person = services.person_create(actor=cast.manager, first_name="Ali", force=True)
    outsider = type(cast.admin).objects.create(username="outsider", is_active=True)
    client = client_for(cast.manager)
    client.post("/customers/person/bulk/", {"ids": [person.pk], "action": "assign", "owner": outsider.pk})
    person.refresh_from_db()
    assert person.owner == cast.manager
    client.post("/customers/person/bulk/", {"ids": [person.pk], "action": "assign", "owner": "rep_ist"})
    person.refresh_from_db()
    assert person.owner == cast.rep_ist
