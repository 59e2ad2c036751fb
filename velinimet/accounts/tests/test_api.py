"""The REST API: authentication, /me/, users, teams, roles, tokens, and the one error shape."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from velinimet.accounts.models import ApiToken, Role, Team, User
from velinimet.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def assert_error_shape(body: dict[str, Any], code: str | None = None) -> None:
    assert set(body) == {"message", "code", "errors"}
    assert body["message"]
    if code:
        assert body["code"] == code


def test_unauthenticated_request_is_401_with_error_shape(cast: Any) -> None:
    response = APIClient().get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")
    assert_error_shape(response.json(), "not_authenticated")


def test_bad_token_is_401(cast: Any) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token vlm_not-a-real-token")
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert_error_shape(response.json(), "authentication_failed")


def test_me_returns_user_teams_and_role(cast: Any, api: Any) -> None:
    body = api(cast.rep_ist).get("/api/v1/me/").json()
    assert body["username"] == "rep_ist"
    assert body["role"]["slug"] == "sales_rep"
    assert body["team"]["name"] == "İstanbul"
    assert [t["name"] for t in body["teams"]] == ["Satış", "İstanbul"]
    assert body["permissions"]["accounts.user"]["read"] == "team"
    assert body["permissions"]["accounts.role"]["read"] == "none"


def test_session_authentication_works_and_enforces_csrf(cast: Any) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(cast.admin)
    assert client.get("/api/v1/me/").status_code == 200
    response = client.patch("/api/v1/me/preferences/", {"language": "en"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["message"]
    cast.admin.refresh_from_db()
    assert cast.admin.language == "tr"


def test_revoked_token_stops_working(cast: Any) -> None:
    from velinimet.accounts.services import token_create, token_revoke

    token, key = token_create(actor=cast.rep_ist, user=cast.rep_ist, name="erp")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/me/").status_code == 200
    token_revoke(actor=cast.rep_ist, token=token)
    assert client.get("/api/v1/me/").status_code == 401


def test_tokens_endpoint_creates_shows_key_once_and_revokes(cast: Any, api: Any) -> None:
    client = api(cast.reader)
    created = client.post("/api/v1/tokens/", {"name": "Excel"}, format="json")
    assert created.status_code == 201
    key = created.json()["key"]
    assert key.startswith("vlm_")
    assert not ApiToken.objects.filter(key_hash=key).exists()  # only the hash is stored
    listed = client.get("/api/v1/tokens/").json()["results"]
    assert all(row["key"] is None for row in listed)
    assert client.delete(f"/api/v1/tokens/{created.json()['id']}/").status_code == 204
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert other.get("/api/v1/me/").status_code == 401


def test_cannot_revoke_someone_elses_token(cast: Any, api: Any) -> None:
    from velinimet.accounts.services import token_create

    token, _key = token_create(actor=cast.rep_baku, user=cast.rep_baku, name="mine")
    assert api(cast.rep_ist).delete(f"/api/v1/tokens/{token.pk}/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_admin_creates_user_and_audit_records_it(cast: Any, api: Any) -> None:
    response = api(cast.admin).post(
        "/api/v1/users/",
        {
            "username": "yeni",
            "password": "Uzun-ve-guclu-2026",
            "first_name": "Nur",
            "team": cast.baku.pk,
            "role": Role.objects.get(slug="sales_rep").pk,
            "language": "az",
            "time_zone": "Asia/Baku",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    user = User.objects.get(username="yeni")
    assert user.password.startswith("argon2")
    assert "password" not in response.json()
    entry = AuditEntry.objects.get(object_id=str(user.pk), action="create", content_type__model="user")
    assert entry.actor == cast.admin
    assert entry.changes["first_name"] == [None, "Nur"]
    assert "password" not in entry.changes


@pytest.mark.parametrize(
    ("payload", "field", "code"),
    [
        ({"username": "ADMIN"}, "username", "duplicate_username"),
        ({"password": "12345"}, "password", "weak_password"),
        ({"password": "velinimet"}, "password", "weak_password"),
        ({"language": "de"}, "language", "invalid"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "invalid"),
        ({"email": "not-an-email"}, "email", "invalid"),
        ({"username": "bad name!"}, "username", "invalid"),
    ],
)
def test_bad_user_input_is_refused_with_field_errors(cast: Any, api: Any, payload: dict, field: str, code: str) -> None:
    data = {"username": "fresh", "password": "Uzun-ve-guclu-2026", **payload}
    before = User.objects.count()
    response = api(cast.admin).post("/api/v1/users/", data, format="json")
    assert response.status_code in (400, 409)
    body = response.json()
    assert_error_shape(body, code)
    assert field in body["errors"]
    assert User.objects.count() == before


def test_duplicate_username_is_409(cast: Any, api: Any) -> None:
    response = api(cast.admin).post(
        "/api/v1/users/", {"username": "Rep_Ist", "password": "Uzun-ve-guclu-2026"}, format="json"
    )
    assert response.status_code == 409


def test_malformed_json_is_400(cast: Any, api: Any) -> None:
    response = api(cast.admin).generic("POST", "/api/v1/teams/", "{name: oops", content_type="application/json")
    assert response.status_code == 400
    assert_error_shape(response.json(), "parse_error")


def test_wrong_content_type_is_415(cast: Any, api: Any) -> None:
    response = api(cast.admin).generic(
        "POST", "/api/v1/teams/", "name=x", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415
    assert_error_shape(response.json(), "unsupported_media_type")
    assert not Team.objects.filter(name="x").exists()


def test_oversized_body_is_413(cast: Any, api: Any, settings: Any) -> None:
    settings.MAX_REQUEST_BODY = 1000
    response = api(cast.admin).post("/api/v1/teams/", {"name": "x" * 2000}, format="json")
    assert response.status_code == 413
    assert_error_shape(response.json(), "request_too_large")
    assert not Team.objects.filter(name__startswith="xxx").exists()


def test_unknown_endpoint_is_json_404(cast: Any, api: Any) -> None:
    response = api(cast.admin).get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert_error_shape(response.json(), "not_found")


def test_preferences_reject_unknown_language_and_time_zone(cast: Any, api: Any) -> None:
    client = api(cast.rep_ist)
    bad_lang = client.patch("/api/v1/me/preferences/", {"language": "xx"}, format="json")
    assert bad_lang.status_code == 400
    assert "language" in bad_lang.json()["errors"]
    bad_tz = client.patch("/api/v1/me/preferences/", {"time_zone": "Europe/Nowhere"}, format="json")
    assert bad_tz.status_code == 400
    good = client.patch("/api/v1/me/preferences/", {"language": "az", "time_zone": "Asia/Baku"}, format="json")
    assert good.status_code == 200
    assert good.json()["language"] == "az"
    cast.rep_ist.refresh_from_db()
    assert (cast.rep_ist.language, cast.rep_ist.time_zone) == ("az", "Asia/Baku")


def test_error_messages_follow_the_users_language(cast: Any, api: Any) -> None:
    body = api(cast.rep_baku).patch("/api/v1/me/preferences/", {"time_zone": "X/Y"}, format="json").json()
    english = "Unknown time zone"
    assert english not in body["message"]  # rep_baku works in Azerbaijani


def test_team_cannot_be_moved_under_its_own_sub_team(cast: Any, api: Any) -> None:
    response = api(cast.admin).patch(f"/api/v1/teams/{cast.sales.pk}/", {"parent": cast.istanbul.pk}, format="json")
    assert response.status_code == 400
    assert "parent" in response.json()["errors"]
    cast.sales.refresh_from_db()
    assert cast.sales.parent is None


def test_team_with_members_cannot_be_deleted(cast: Any, api: Any) -> None:
    response = api(cast.admin).delete(f"/api/v1/teams/{cast.baku.pk}/")
    assert response.status_code == 409
    assert response.json()["code"] == "team_has_members"
    assert Team.objects.filter(pk=cast.baku.pk).exists()


def test_team_names_are_unique_regardless_of_case(cast: Any, api: Any) -> None:
    response = api(cast.admin).post("/api/v1/teams/", {"name": "SATIŞ"}, format="json")
    assert response.status_code == 409


def test_rep_cannot_create_team_or_change_roles(cast: Any, api: Any) -> None:
    client = api(cast.rep_ist)
    assert client.post("/api/v1/teams/", {"name": "Mine"}, format="json").status_code == 403
    role = Role.objects.get(slug="sales_rep")
    assert client.patch(f"/api/v1/roles/{role.pk}/", {"require_2fa": True}, format="json").status_code == 404


def test_admin_changes_role_levels_and_they_take_effect(cast: Any, api: Any) -> None:
    role = Role.objects.get(slug="sales_rep")
    client = api(cast.admin)
    response = client.patch(f"/api/v1/roles/{role.pk}/", {"permissions": {"accounts.user": {"read": 4}}}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["effective"]["accounts.user"]["read"] == 4
    assert api(cast.rep_ist).get(f"/api/v1/users/{cast.rep_baku.pk}/").status_code == 200


@pytest.mark.parametrize(
    "permissions",
    [
        {"nope.thing": {"read": 4}},
        {"accounts.user": {"fly": 4}},
        {"accounts.user": {"read": 9}},
        {"accounts.user": {"read": "lots"}},
    ],
)
def test_role_permissions_are_validated(cast: Any, api: Any, permissions: dict) -> None:
    role = Role.objects.get(slug="sales_rep")
    response = api(cast.admin).patch(f"/api/v1/roles/{role.pk}/", {"permissions": permissions}, format="json")
    assert response.status_code == 400
    role.refresh_from_db()
    assert role.permissions == {}


def test_default_roles_cannot_be_deleted_custom_roles_can(cast: Any, api: Any) -> None:
    client = api(cast.admin)
    system = Role.objects.get(slug="analyst")
    assert client.delete(f"/api/v1/roles/{system.pk}/").status_code == 409
    created = client.post(
        "/api/v1/roles/", {"name": "Stajyer", "permissions": {"core.job": {"read": 1}}}, format="json"
    )
    assert created.status_code == 201, created.json()
    assert client.delete(f"/api/v1/roles/{created.json()['id']}/").status_code == 204


def test_administrator_cannot_lock_themselves_out(cast: Any, api: Any) -> None:
    client = api(cast.admin)
    response = client.patch(f"/api/v1/users/{cast.admin.pk}/", {"is_active": False}, format="json")
    assert response.status_code == 400
    role = Role.objects.get(slug="administrator")
    response = client.patch(
        f"/api/v1/roles/{role.pk}/", {"permissions": {"accounts.role": {"update": 0}}}, format="json"
    )
    assert response.status_code == 400


def test_manager_cannot_grant_administrator(cast: Any, api: Any) -> None:
    from velinimet.accounts import services
    from velinimet.core.exceptions import NotAllowed

    with pytest.raises(NotAllowed):
        services.user_update(actor=cast.manager, user=cast.rep_ist, role=Role.objects.get(slug="administrator"))


def test_schema_lists_the_endpoints(cast: Any) -> None:
    client = APIClient()
    client.force_login(cast.reader)
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"] if response["Content-Type"].endswith("json") else {}
    if not paths:
        import yaml

        paths = yaml.safe_load(response.content)["paths"]
    for path in [
        "/api/v1/me/",
        "/api/v1/users/",
        "/api/v1/teams/",
        "/api/v1/roles/",
        "/api/v1/jobs/{id}/",
        "/api/v1/audit/",
        "/api/v1/tokens/",
    ]:
        assert path in paths


def test_swagger_ui_is_served_offline(cast: Any) -> None:
    client = APIClient()
    client.force_login(cast.reader)
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "http://" not in html.replace("http://testserver", "") and "https://" not in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html


def test_an_extension_rings_for_one_user_only(cast: Any, api: Any) -> None:
    """The screen-pop of a call goes to the user with the extension: two users cannot share one."""
    client = api(cast.admin)
    assert client.patch(f"/api/v1/users/{cast.rep_ist.pk}/", {"extension": "101"}, format="json").status_code == 200
    taken = client.patch(f"/api/v1/users/{cast.reader.pk}/", {"extension": "101"}, format="json")
    assert taken.status_code == 400 and "extension" in taken.json()["errors"]
    garbage = client.patch(f"/api/v1/users/{cast.reader.pk}/", {"extension": "abc <b>"}, format="json")
    assert garbage.status_code == 400 and "extension" in garbage.json()["errors"]
    assert client.patch(f"/api/v1/users/{cast.rep_ist.pk}/", {"extension": "101"}, format="json").status_code == 200
    assert client.patch(f"/api/v1/users/{cast.reader.pk}/", {"extension": "*102#"}, format="json").status_code == 200
