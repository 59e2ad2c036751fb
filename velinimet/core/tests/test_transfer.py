"""A chunked request body (Transfer-Encoding, no Content-Length) is refused with 411, never read as empty."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from velinimet.accounts.models import Team
from velinimet.accounts.tests.test_api import assert_error_shape

pytestmark = pytest.mark.django_db


def test_chunked_api_create_is_refused_with_411_in_the_error_shape(cast: Any, api: Any) -> None:
    response = api(cast.admin).post(
        "/api/v1/teams/", {"name": "Parçalı"}, format="json", headers={"Transfer-Encoding": "chunked"}
    )
    assert response.status_code == 411
    assert_error_shape(response.json(), "length_required")
    assert "no-store" in response["Cache-Control"]
    assert not Team.objects.filter(name="Parçalı").exists()


def test_any_transfer_encoding_on_the_api_is_refused(cast: Any, api: Any) -> None:
    response = api(cast.admin).patch(
        f"/api/v1/teams/{cast.baku.pk}/",
        {"name": "Gəncə"},
        format="json",
        headers={"Transfer-Encoding": "gzip, chunked"},
    )
    assert response.status_code == 411
    cast.baku.refresh_from_db()
    assert cast.baku.name == "Bakı"


def test_chunked_form_post_is_refused_with_a_translated_message(cast: Any) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="az")
    client.force_login(cast.admin)
    response = client.post("/settings/teams/new/", {"name": "Parçalı"}, headers={"Transfer-Encoding": "chunked"})
    assert response.status_code == 411
    assert response["Content-Type"].startswith("text/plain")
    assert "qəbul edilmir" in response.content.decode()
    assert not Team.objects.filter(name="Parçalı").exists()


def test_a_request_with_a_content_length_is_served(cast: Any, api: Any) -> None:
    response = api(cast.admin).post("/api/v1/teams/", {"name": "Uzunluklu"}, format="json")
    assert response.status_code == 201
