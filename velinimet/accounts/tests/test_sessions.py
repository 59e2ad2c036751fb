"""Session lifetime (idle and absolute), no caching of personal data, and HSTS for TLS deployments."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext
from rest_framework.test import APIClient

from conftest import PASSWORD
from velinimet.accounts.sessions import LAST_SEEN, STARTED
from velinimet.customers import services as customers

pytestmark = pytest.mark.django_db
NO_STORE = "no-store, private"


def logged_in(user: Any) -> Client:
    client = Client()
    assert client.post("/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    return client


def move_clock(client: Client, **seconds_ago: int) -> None:
    """Pretend the session's clocks were read that many seconds ago (no sleeping)."""
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[{"last_seen": LAST_SEEN, "started": STARTED}[key]] = now - ago
    session.save()


# --- idle and absolute timeouts ---------------------------------------------------------------
def test_a_session_idle_longer_than_the_limit_is_logged_out_with_a_message(cast: Any, settings: Any) -> None:
    settings.SESSION_IDLE_MINUTES = 480
    client = logged_in(cast.rep_baku)  # an Azerbaijani-speaking user: the message is in their language
    assert client.get("/").status_code == 200
    move_clock(client, last_seen=8 * 3600 + 5)
    response = client.get("/customers/people/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/customers/people/")
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    with translation.override("az"):
        expected = gettext("You were logged out after %(duration)s without activity.") % {"duration": "8\xa0saat"}
    assert expected in page
    assert client.get("/").status_code == 302  # still logged out


def test_activity_within_the_limit_keeps_the_session(cast: Any, settings: Any) -> None:
    settings.SESSION_IDLE_MINUTES = 480
    client = logged_in(cast.rep_ist)
    move_clock(client, last_seen=8 * 3600 - 60)
    assert client.get("/").status_code == 200
    assert abs(client.session[LAST_SEEN] - time.time()) < 5  # the clock restarted
    move_clock(client, last_seen=8 * 3600 - 60)
    assert client.get("/").status_code == 200


def test_the_last_activity_is_saved_at_most_once_a_minute(cast: Any) -> None:
    client = logged_in(cast.rep_ist)
    move_clock(client, last_seen=30)
    stored = client.session[LAST_SEEN]
    assert client.get("/").status_code == 200
    assert client.session[LAST_SEEN] == stored  # not re-written
    move_clock(client, last_seen=90)
    assert client.get("/").status_code == 200
    assert abs(client.session[LAST_SEEN] - time.time()) < 5


def test_an_idle_session_gets_401_from_the_api(cast: Any, settings: Any) -> None:
    settings.SESSION_IDLE_MINUTES = 30
    client = APIClient()
    client.force_login(cast.rep_ist)
    assert client.get("/api/v1/me/").status_code == 200
    move_clock(client, last_seen=31 * 60)  # type: ignore[arg-type]
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"message", "code", "errors"} and body["code"] == "session_expired"
    assert client.get("/api/v1/me/").status_code == 401  # logged out, not just refused once


def test_an_idle_htmx_request_redirects_the_whole_page_to_login(cast: Any) -> None:
    client = logged_in(cast.rep_ist)
    move_clock(client, last_seen=django_settings.SESSION_IDLE_MINUTES * 60 + 5)
    response = client.get("/customers/people/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith("/login/")


def test_token_authenticated_api_calls_have_no_idle_timeout(cast: Any, api: Any) -> None:
    assert api(cast.rep_ist).get("/api/v1/me/").status_code == 200


def test_a_session_older_than_the_absolute_limit_is_logged_out_even_when_active(cast: Any, settings: Any) -> None:
    settings.SESSION_COOKIE_AGE = 24 * 3600
    client = logged_in(cast.rep_ist)
    move_clock(client, started=24 * 3600 + 5, last_seen=10)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert "_auth_user_id" not in client.session


def test_the_idle_timeout_can_be_turned_off(cast: Any, settings: Any) -> None:
    settings.SESSION_IDLE_MINUTES = 0
    client = logged_in(cast.rep_ist)
    move_clock(client, last_seen=30 * 24 * 3600)
    assert client.get("/").status_code == 200


# --- no caching of personal data --------------------------------------------------------------
def test_pages_and_api_answers_with_personal_data_are_not_stored_by_caches(cast: Any, api: Any) -> None:
    person = customers.person_create(actor=cast.admin, first_name="Ayşe", last_name="Yılmaz")
    client = Client()
    client.force_login(cast.admin)
    for url in [
        "/",
        "/customers/people/",
        f"/customers/people/{person.pk}/",
        f"/customers/people/{person.pk}/kvkk/export/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == NO_STORE, url
    token = api(cast.admin)
    for url in ["/api/v1/me/", "/api/v1/people/", f"/api/v1/people/{person.pk}/kvkk-export/"]:
        response = token.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == NO_STORE, url
    assert APIClient().get("/api/v1/me/")["Cache-Control"] == NO_STORE  # even the 401


def test_static_files_keep_their_caching(cast: Any) -> None:
    client = Client()
    client.force_login(cast.rep_ist)
    response = client.get("/static/velinimet/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


# --- HSTS ---------------------------------------------------------------------------------------
def _headers_in_a_fresh_process(tmp_path: Path, **env: str) -> dict[str, str]:
    """Start Django with these VELINIMET_* variables and return the headers of GET /login/ over https."""
    script = (
        "import django, json; django.setup();"
        "from django.test.utils import setup_test_environment; setup_test_environment();"
        "from django.test import Client;"
        "r = Client().get('/login/', secure=True); print(json.dumps(dict(r.headers)))"
    )
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "velinimet.settings",
        "VELINIMET_DATA_DIR": str(tmp_path),
        **{f"VELINIMET_{k}": v for k, v in env.items()},
    }
    environ.pop("VELINIMET_DATABASE_URL", None)  # the login page needs no database rows
    done = subprocess.run(
        [sys.executable, "-c", script], env=environ, capture_output=True, text=True, check=True, timeout=60
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_hsts_header_is_sent_over_https_when_configured(tmp_path: Path) -> None:
    headers = _headers_in_a_fresh_process(tmp_path, HSTS_SECONDS="31536000", HSTS_INCLUDE_SUBDOMAINS="1")
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_no_hsts_header_by_default(tmp_path: Path) -> None:
    assert "Strict-Transport-Security" not in _headers_in_a_fresh_process(tmp_path)
