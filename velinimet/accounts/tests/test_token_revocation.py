"""An administrator revokes a user's API tokens; a password reset and a deactivation do too."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.test import Client
from rest_framework.test import APIClient

from conftest import PASSWORD
from velinimet.accounts import services
from velinimet.accounts.models import ApiToken
from velinimet.core.models import AuditEntry

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Brand-new-pass-2026!"


def token_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def tokens_of(user: Any, count: int = 2) -> list[str]:
    return [services.token_create(actor=user, user=user, name=f"t{i}")[1] for i in range(count)]


def assert_all_revoked(user: Any, keys: list[str], actor: Any) -> None:
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    for key in keys:
        assert token_client(key).get("/api/v1/me/").status_code == 401
    token_ids = {str(pk) for pk in ApiToken.objects.filter(user=user).values_list("pk", flat=True)}
    entries = AuditEntry.objects.filter(
        actor=actor, action="update", content_type=ContentType.objects.get_for_model(ApiToken)
    )
    audited = {e.object_id for e in entries if "revoked_at" in e.changes}
    assert audited == token_ids


def test_administrator_revokes_a_users_tokens_on_the_user_page(cast: Any) -> None:
    keys = tokens_of(cast.rep_ist)
    admin = Client()
    admin.force_login(cast.admin)
    page = admin.get(f"/settings/users/{cast.rep_ist.pk}/").content.decode()
    assert f"/settings/users/{cast.rep_ist.pk}/tokens/revoke/" in page
    assert "t0" in page and "t1" in page
    response = admin.post(f"/settings/users/{cast.rep_ist.pk}/tokens/revoke/", follow=True)
    assert response.status_code == 200
    assert_all_revoked(cast.rep_ist, keys, cast.admin)
    assert token_client(tokens_of(cast.rep_baku, 1)[0]).get("/api/v1/me/").status_code == 200


def test_administrator_revokes_a_users_tokens_through_the_api(cast: Any, api: Any) -> None:
    keys = tokens_of(cast.rep_ist)
    response = api(cast.admin).post(f"/api/v1/users/{cast.rep_ist.pk}/revoke-tokens/")
    assert response.status_code == 200
    assert response.json() == {"revoked": 2}
    assert_all_revoked(cast.rep_ist, keys, cast.admin)


def test_a_manager_cannot_revoke_another_users_tokens(cast: Any, api: Any) -> None:
    keys = tokens_of(cast.rep_ist)
    response = api(cast.manager).post(f"/api/v1/users/{cast.rep_ist.pk}/revoke-tokens/")
    assert response.status_code == 403
    assert set(response.json()) == {"message", "code", "errors"}
    manager = Client()
    manager.force_login(cast.manager)
    assert manager.post(f"/settings/users/{cast.rep_ist.pk}/tokens/revoke/").status_code == 403
    assert token_client(keys[0]).get("/api/v1/me/").status_code == 200


def test_administrators_password_reset_revokes_the_users_tokens_by_default(cast: Any) -> None:
    keys = tokens_of(cast.rep_ist)
    admin = Client()
    admin.force_login(cast.admin)
    page = admin.get(f"/settings/users/{cast.rep_ist.pk}/").content.decode()
    assert 'name="revoke_tokens"' in page and "checked" in page
    admin.post(f"/settings/users/{cast.rep_ist.pk}/password/", {"password": NEW_PASSWORD, "revoke_tokens": "on"})
    cast.rep_ist.refresh_from_db()
    assert cast.rep_ist.check_password(NEW_PASSWORD)
    assert_all_revoked(cast.rep_ist, keys, cast.admin)


def test_password_reset_can_keep_the_users_tokens(cast: Any) -> None:
    keys = tokens_of(cast.rep_ist)
    admin = Client()
    admin.force_login(cast.admin)
    admin.post(f"/settings/users/{cast.rep_ist.pk}/password/", {"password": NEW_PASSWORD})  # box unticked
    cast.rep_ist.refresh_from_db()
    assert cast.rep_ist.check_password(NEW_PASSWORD)
    assert token_client(keys[0]).get("/api/v1/me/").status_code == 200


def test_password_reset_through_the_api_revokes_tokens_unless_told_not_to(cast: Any, api: Any) -> None:
    keys = tokens_of(cast.rep_ist)
    client = api(cast.admin)
    url = f"/api/v1/users/{cast.rep_ist.pk}/"
    assert client.patch(url, {"password": NEW_PASSWORD, "revoke_tokens": False}).status_code == 200
    assert token_client(keys[0]).get("/api/v1/me/").status_code == 200
    assert client.patch(url, {"password": "Third-password-2026!"}).status_code == 200
    assert_all_revoked(cast.rep_ist, keys, cast.admin)


def test_deactivating_a_user_revokes_their_tokens_and_ends_their_sessions(cast: Any, api: Any) -> None:
    keys = tokens_of(cast.rep_ist)
    browser = Client()
    assert browser.post("/login/", {"username": "rep_ist", "password": PASSWORD}).status_code == 302
    other = Client()
    other.force_login(cast.rep_baku)
    response = api(cast.admin).patch(f"/api/v1/users/{cast.rep_ist.pk}/", {"is_active": False})
    assert response.status_code == 200
    assert_all_revoked(cast.rep_ist, keys, cast.admin)
    assert not any(str(s.get_decoded().get("_auth_user_id")) == str(cast.rep_ist.pk) for s in Session.objects.all())
    assert browser.get("/").status_code == 302
    assert other.get("/").status_code == 200  # someone else's session lives on
    # reactivating does not bring the old tokens back
    api(cast.admin).patch(f"/api/v1/users/{cast.rep_ist.pk}/", {"is_active": True})
    assert token_client(keys[0]).get("/api/v1/me/").status_code == 401


def test_deactivating_on_the_user_page_revokes_tokens(cast: Any) -> None:
    keys = tokens_of(cast.rep_ist)
    admin = Client()
    admin.force_login(cast.admin)
    form = {
        "username": "rep_ist",
        "team": cast.istanbul.pk,
        "role": cast.rep_ist.role_id,
        "language": "tr",
        "time_zone": "Europe/Istanbul",
    }  # "is_active" unticked
    assert admin.post(f"/settings/users/{cast.rep_ist.pk}/", form).status_code == 302
    cast.rep_ist.refresh_from_db()
    assert not cast.rep_ist.is_active
    assert_all_revoked(cast.rep_ist, keys, cast.admin)


def test_administrators_password_reset_ends_the_users_sessions(cast: Any) -> None:
    browser = Client()
    assert browser.post("/login/", {"username": "rep_ist", "password": PASSWORD}).status_code == 302
    assert browser.get("/").status_code == 200
    services.user_set_password(actor=cast.admin, user=cast.rep_ist, password=NEW_PASSWORD)
    assert browser.get("/").status_code == 302
