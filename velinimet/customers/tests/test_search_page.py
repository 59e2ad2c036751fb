"""The search page: more than ten hits of a kind behind a "more" link and its pages, hits that tell
namesakes apart, and Enter on a whole identifier opening the record."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from velinimet.core import search as core_search
from velinimet.customers import services
from velinimet.customers.tests.factories import CompanyFactory, PersonFactory

pytestmark = pytest.mark.django_db
P, E, A = services.PhoneIn, services.EmailIn, services.AddressIn


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _names(html: str) -> list[str]:
    return re.findall(r'<li><a href="/customers/people/\d+/">([^<]+)</a>', html)


def test_more_than_ten_hits_of_a_kind_are_behind_a_more_link_and_paged(cast: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(core_search, "PAGE_SIZE", 5)
    for n in range(12):
        PersonFactory(actor=cast.admin, first_name="Zümrüt", last_name=f"Tekin{n:02d}")
    client = _client(cast.admin)
    html = client.get("/search/", {"q": "zumrut"}).content.decode()
    assert len(_names(html)) == 10
    assert 'href="/search/?q=zumrut&amp;type=person"' in html
    seen = []
    for number, count, has_next in [(1, 5, True), (2, 5, True), (3, 2, False)]:
        page = client.get("/search/", {"q": "zumrut", "type": "person", "page": number}).content.decode()
        assert len(_names(page)) == count
        assert (f"page={number + 1}" in page) is has_next
        seen += _names(page)
    assert sorted(seen) == [f"Zümrüt Tekin{n:02d}" for n in range(12)]
    few = client.get("/search/", {"q": "tekin03"}).content.decode()
    assert "type=person" not in few  # one hit: no "more"
    assert client.get("/search/", {"q": "zumrut", "type": "person", "page": "x"}).status_code == 200
    assert client.get("/search/", {"q": "zumrut", "type": "nope"}).status_code == 200


def test_hits_tell_namesakes_apart_by_company_city_and_phone_end(cast: Any) -> None:
    firm = CompanyFactory(actor=cast.admin, name="Anadolu Gıda")
    PersonFactory(
        actor=cast.admin,
        first_name="Elnur",
        last_name="Həsənov",
        company=firm,
        addresses=[A(kind="home", city="İzmir")],
        phones=[P("0532 111 22 33")],
    )
    PersonFactory(
        actor=cast.admin, first_name="Elnur", last_name="Həsənov",
        addresses=[A(kind="home", country="AZ", city="Bakı")], phones=[P("+994 50 444 55 66")],
    )  # fmt: skip
    hits = [hit for provider, found in core_search.search(cast.admin, "elnur hesenov") for hit in found]
    subtitles = sorted(hit.subtitle.split(" · ", 1)[1] for hit in hits)
    assert subtitles == ["Anadolu Gıda · İzmir · …2233", "Bakı · …5566"]


def test_enter_on_a_whole_identifier_of_one_record_opens_it(cast: Any) -> None:
    person = PersonFactory(
        actor=cast.admin, first_name="Şükrü", last_name="Öztürk", phones=[P("0532 123 45 67")],
        emails=[E("sukru@firma.com.tr")],
    )  # fmt: skip
    PersonFactory(actor=cast.admin, first_name="Ayşe", last_name="Kaya", emails=[E("ayse@firma.com.tr")])
    client = _client(cast.admin)
    url = f"/customers/people/{person.pk}/"
    for query in ["0532 123 45 67", "+90 532 1234567", "SUKRU@firma.com.tr", person.customer_number.lower()]:
        response = client.get("/search/", {"q": query})
        assert response.status_code == 302 and response["Location"] == url, query
    for query in ["@firma.com.tr", "sukru", "123 45 67", "sukru@"]:  # parts, names, or two records: the page
        assert client.get("/search/", {"q": query}).status_code == 200, query
    # the dropdown (htmx) never jumps
    assert client.get("/search/", {"q": "0532 123 45 67"}, HTTP_HX_REQUEST="true").status_code == 200
    # another user who may not see the record gets the page, not the record
    assert client.get("/search/", {"q": "05321234567"}).status_code == 302
    assert _client(cast.rep_baku).get("/search/", {"q": "05321234567"}).status_code == 200
