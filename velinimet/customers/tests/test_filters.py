"""One filter declaration (``customers.filters``) for the list page and the API: every filter filters in the
API too, an unknown parameter is a 400 (API) or a message (page), never silently ignored."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from velinimet.customers import services
from velinimet.customers.models import Person
from velinimet.customers.services.custom_fields import custom_field_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(cast: Any) -> dict[str, Person]:
    custom_field_create(actor=cast.admin, record_type="person", label="Puan", key="score", kind="number")
    custom_field_create(actor=cast.admin, record_type="person", label="Segment", key="segment")
    ayse = services.person_create(
        actor=cast.rep_ist,
        first_name="Ayşe",
        last_name="Kaya",
        tags=["VIP"],
        addresses=[services.AddressIn(city="İzmir")],
        custom={"score": 7, "segment": "gold"},
        force=True,
    )
    mehmet = services.person_create(
        actor=cast.manager, first_name="Mehmet", last_name="Demir", team=cast.sales, custom={"score": 3}, force=True
    )
    old = services.person_create(actor=cast.rep_ist, first_name="Eski", last_name="Kayıt", force=True)
    Person.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=400))
    return {"ayse": ayse, "mehmet": mehmet, "old": old}


def _names(response: Any) -> set[str]:
    assert response.status_code == 200, response.json()
    return {row["first_name"] for row in response.json()["results"]}


def test_every_api_filter_filters(cast: Any, api: Any, people: dict[str, Person]) -> None:
    client = api(cast.manager)
    everyone = {"Ayşe", "Mehmet", "Eski"}
    assert _names(client.get("/api/v1/people/")) == everyone
    last_year = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    cases = {
        "q": ("ayse", {"Ayşe"}),
        "owner": (cast.rep_ist.pk, {"Ayşe", "Eski"}),
        "team": (cast.sales.pk, {"Mehmet"}),
        "tag": ("vip", {"Ayşe"}),
        "city": ("IZMIR", {"Ayşe"}),
        "created_from": (last_year, {"Ayşe", "Mehmet"}),
        "created_to": (last_year, {"Eski"}),
        "mine": ("true", {"Mehmet"}),
        "cf_score": ("7", {"Ayşe"}),
        "cf_segment": ("gold", {"Ayşe"}),
    }
    for name, (value, expected) in cases.items():
        assert _names(client.get("/api/v1/people/", {name: value})) == expected, name
    assert _names(client.get("/api/v1/people/", {"tag": "vip", "owner": cast.manager.pk})) == set()


def test_unknown_api_filter_is_a_400_in_the_error_shape(cast: Any, api: Any, people: dict[str, Person]) -> None:
    response = api(cast.manager).get("/api/v1/people/", {"tga": "vip"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_filter" and set(body["errors"]) == {"tga"} and "tga" in body["message"]
    # The page's own parameters are not the API's: ``sort`` there is a 400 too, paging is not.
    assert api(cast.manager).get("/api/v1/companies/", {"sort": "name"}).status_code == 400
    assert api(cast.manager).get("/api/v1/companies/", {"page_size": 1, "format": "json"}).status_code == 200


def test_invalid_api_filter_values_are_a_400_with_field_errors(cast: Any, api: Any, people: dict[str, Person]) -> None:
    client = api(cast.manager)
    bad = client.get("/api/v1/people/", {"created_from": "yesterday", "owner": 2**70, "cf_score": "nan"})
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"created_from", "owner", "cf_score"}
    hidden = api(cast.rep_baku).get("/api/v1/people/", {"owner": cast.rep_ist.pk})  # not a user he may see
    assert hidden.status_code == 400 and set(hidden.json()["errors"]) == {"owner"}


def test_filters_do_not_narrow_a_record_by_id(cast: Any, api: Any, people: dict[str, Person]) -> None:
    """Filters belong to the list: a record's own URL answers whatever the query string says."""
    assert api(cast.manager).get(f"/api/v1/people/{people['mehmet'].pk}/", {"tag": "vip"}).status_code == 200


def test_the_filters_are_in_the_openapi_schema(cast: Any, api: Any) -> None:
    schema = api(cast.admin).get("/api/v1/schema/", {"format": "json"}).json()
    names = {p["name"] for p in schema["paths"]["/api/v1/people/"]["get"]["parameters"]}
    assert {"q", "owner", "team", "tag", "city", "created_from", "created_to", "mine"} <= names


def test_list_page_says_an_unknown_filter_is_not_one_and_lists_nothing(cast: Any, people: dict[str, Person]) -> None:
    client = Client()
    client.force_login(cast.manager)
    page = client.get("/customers/people/", {"tga": "vip"})
    html = page.content.decode()
    assert page.status_code == 200 and "“tga”" in html and page.context["rows"] == []
    kept = client.get("/customers/people/", {"tag": "vip", "sort": "name", "after": ""})
    assert [p.first_name for p in kept.context["rows"]] == ["Ayşe"]
    assert [p.first_name for p in client.get("/customers/people/", {"cf_score": "3"}).context["rows"]] == ["Mehmet"]
