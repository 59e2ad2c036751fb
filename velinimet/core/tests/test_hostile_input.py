"""Hostile input is a 400 in the one error shape on every surface, never a 500; a 500 the API does give is JSON."""

from __future__ import annotations

import base64
import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from velinimet.customers import services
from velinimet.customers.services.custom_fields import custom_field_create

pytestmark = pytest.mark.django_db


def _error_shape(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) >= {"message", "code", "errors"}, body
    return body


def _cursor(position: str) -> str:
    return base64.b64encode(f"p={position}".encode()).decode()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/activities/?kind=call%00",
        "/api/v1/people/?tag=vip%00",
        "/api/v1/audit/?actor=a%00b",
        "/api/v1/search/?q=a%00",
        "/api/v1/people/?a%00=1",
    ],
)
def test_a_nul_character_in_any_query_parameter_is_a_400_on_that_parameter(cast: Any, api: Any, url: str) -> None:
    response = api(cast.admin).get(url)
    assert response.status_code == 400
    body = _error_shape(response)
    assert body["code"] == "nul_character"
    assert body["errors"]


def test_a_nul_character_in_any_json_string_is_a_400(cast: Any, api: Any) -> None:
    custom_field_create(actor=cast.admin, record_type="person", key="segment", label="Segment", kind="text")
    client = api(cast.admin)
    for body in ('{"first_name": "A", "custom": {"segment": "x\\u0000y"}}', '{"first_name": "A", "x\\u0000": 1}'):
        response = client.post("/api/v1/people/", body, content_type="application/json")
        assert response.status_code == 400, body
        assert _error_shape(response)["code"] == "nul_character"
    # An escaped backslash before "u0000" is six ordinary characters, not a NUL.
    response = client.post(
        "/api/v1/people/", '{"first_name": "A", "notes": "C:\\\\u0000"}', content_type="application/json"
    )
    assert response.status_code == 201
    from velinimet.customers.models import Person

    assert Person.objects.get(pk=response.json()["id"]).notes == "C:\\u0000"


def test_a_nul_character_on_a_page_or_in_a_form_is_a_400_page(cast: Any) -> None:
    client = Client()
    client.force_login(cast.admin)
    for response in (
        client.get("/customers/people/?q=a%00"),
        client.get("/search/?q=%00"),
        client.post("/customers/people/new/", "first_name=A%00", content_type="application/x-www-form-urlencoded"),
    ):
        assert response.status_code == 400
        assert b"<html" in response.content.lower()
    # A multipart form's text fields refuse NUL themselves: the form comes back with the error, nothing is saved.
    response = client.post("/customers/people/new/", {"first_name": "A\x00"})
    assert response.status_code == 200
    from velinimet.customers.models import Person

    assert not Person.objects.exists()


@pytest.mark.parametrize("param", ["person", "company"])
def test_an_id_filter_beyond_64_bits_is_a_400_not_an_overflow(cast: Any, api: Any, param: str) -> None:
    response = api(cast.admin).get(f"/api/v1/activities/?{param}={2**64}")
    assert response.status_code == 400
    assert param in _error_shape(response)["errors"]


@pytest.mark.parametrize("position", [str(2**64), "abc", "1\x00"])
def test_a_forged_page_cursor_is_a_400_on_cursor(cast: Any, api: Any, position: str) -> None:
    client = api(cast.admin)
    for url in ("/api/v1/people/", "/api/v1/activities/", "/api/v1/jobs/", "/api/v1/audit/"):
        response = client.get(url, {"cursor": _cursor(position)})
        assert response.status_code == 400, (url, response.content)
        assert "cursor" in _error_shape(response)["errors"]
    response = client.get("/api/v1/people/", {"cursor": "not base64 at all"})
    assert response.status_code == 400


def test_a_card_given_twice_in_another_case_is_stored_once(cast: Any, api: Any) -> None:
    response = api(cast.admin).post(
        "/api/v1/people/", {"first_name": "Ada", "card_numbers": ["kart-1", "KART-1"]}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["card_numbers"] == ["KART-1"]


@pytest.mark.parametrize("raw", ["nan", "inf", "-inf", "1e400", "1e30"])
def test_a_custom_number_that_is_not_a_real_number_is_a_field_error(cast: Any, api: Any, raw: str) -> None:
    custom_field_create(actor=cast.admin, record_type="person", key="score", label="Score", kind="number")
    response = api(cast.admin).post("/api/v1/people/", {"first_name": "A", "custom": {"score": raw}}, format="json")
    assert response.status_code == 400
    assert "custom.score" in _error_shape(response)["errors"]


@pytest.mark.parametrize("raw", ["nan", "inf", "1e400", "1e30", str(2**70)])
def test_a_list_filter_on_a_custom_number_never_fails(cast: Any, raw: str) -> None:
    custom_field_create(actor=cast.admin, record_type="person", key="score", label="Score", kind="number")
    client = Client(raise_request_exception=False)
    client.force_login(cast.admin)
    assert client.get("/customers/people/", {"cf_score": raw}).status_code == 200


def test_an_unexpected_error_in_the_api_is_a_500_in_the_error_shape(
    cast: Any, api: Any, settings: Any, monkeypatch: Any
) -> None:
    settings.DEBUG = False

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the search index is gone")

    monkeypatch.setattr("velinimet.core.api.views.search", broken)
    client = api(cast.admin)
    client.raise_request_exception = False
    response = client.get("/api/v1/search/", {"q": "ali"})
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    body = _error_shape(response)
    assert body["code"] == "server_error"
    assert "index" not in body["message"]  # the exception's text stays in the log


def test_an_unexpected_error_on_a_page_is_still_an_html_page(cast: Any, settings: Any, monkeypatch: Any) -> None:
    settings.DEBUG = False

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr("velinimet.core.views.search", broken)
    client = Client(raise_request_exception=False)
    client.force_login(cast.admin)
    response = client.get("/search/", {"q": "ali"})
    assert response.status_code == 500
    assert b"<html" in response.content


def test_consent_dates_before_1900_or_in_the_future_are_field_errors(cast: Any, api: Any) -> None:
    person = services.person_create(actor=cast.admin, first_name="Ada")
    client = api(cast.admin)
    url = f"/api/v1/people/{person.pk}/consents/"
    future = (timezone.now() + datetime.timedelta(days=2)).isoformat()
    for at in ("1899-06-01T00:00:00Z", "0202-01-01T00:00:00Z", future):
        response = client.post(url, {"channel": "email", "status": "granted", "at": at}, format="json")
        assert response.status_code == 400, at
        assert "at" in _error_shape(response)["errors"]
    assert not person.consents.exists()


def test_consent_history_is_a_list_with_rfc3339_times(cast: Any, api: Any) -> None:
    import re

    person = services.person_create(actor=cast.admin, first_name="Ada")
    client = api(cast.admin)
    url = f"/api/v1/people/{person.pk}/consents/"
    # Istanbul's offset in 1905 was +01:56:56, which RFC 3339 cannot write.
    response = client.post(url, {"channel": "email", "status": "granted", "at": "1905-06-01T12:00:00Z"}, format="json")
    assert response.status_code == 201, response.content
    history = client.get(url).json()
    assert isinstance(history, list)
    rfc3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
    assert all(rfc3339.match(c["at"]) and rfc3339.match(c["created_at"]) for c in history), history
    assert history[0]["at"] == "1905-06-01T12:00:00Z"


def test_invisible_formatting_is_stripped_from_names_tags_identifiers_and_custom_text(cast: Any, api: Any) -> None:
    custom_field_create(actor=cast.admin, record_type="person", key="segment", label="Segment", kind="text")
    body = {
        "first_name": "A\u202eli",
        "last_name": "Yıl\u00admaz\u200b",
        "tags": ["V\u200bIP", "\ufeffVIP"],
        "card_numbers": ["KART\u2066-9"],
        "custom": {"segment": "Altın\u200e"},
        "notes": "kept \u202e as typed",
    }
    response = api(cast.admin).post("/api/v1/people/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["first_name"], data["last_name"]) == ("Ali", "Yılmaz")
    assert data["tags"] == ["VIP"]
    assert data["card_numbers"] == ["KART-9"]
    assert data["custom"] == {"segment": "Altın"}
    assert data["notes"] == "kept \u202e as typed"
    from velinimet.customers.models import Person

    assert Person.objects.get(pk=data["id"]).search_key == "ali yilmaz"


def test_a_request_django_refuses_is_a_400_in_the_error_shape_under_the_api(cast: Any, api: Any) -> None:
    query = "&".join(f"f{i}=1" for i in range(1100))  # past DATA_UPLOAD_MAX_NUMBER_FIELDS
    client = api(cast.admin)
    client.raise_request_exception = False
    response = client.get(f"/api/v1/people/?{query}")
    assert response.status_code == 400
    assert _error_shape(response)["code"] == "bad_request"
