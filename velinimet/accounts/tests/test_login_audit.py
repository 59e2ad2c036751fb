"""The audit log records logins, failed logins (the name typed, never the password) and lockouts with the
client's address, and who created an API token."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from conftest import PASSWORD
from velinimet.accounts.models import ApiToken
from velinimet.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def post_login(client: Client, username: str, password: str) -> Any:
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR="203.0.113.7")


def entries(code: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(code=code).order_by("id"))


def test_a_login_is_recorded_with_the_address(cast: Any) -> None:
    assert post_login(Client(), "REP_IST", PASSWORD).status_code == 302
    [entry] = entries("accounts.user.logged_in")
    assert (entry.actor, entry.action, entry.object_id) == (cast.rep_ist, "login", str(cast.rep_ist.pk))
    assert entry.data == {"ip": "203.0.113.7"}
    with translation.override("en"):
        assert entry.text == "logged in from 203.0.113.7"
    with translation.override("tr"):
        assert entry.text != "logged in from 203.0.113.7" and "203.0.113.7" in entry.text


def test_the_audit_pages_logged_in_filter_lists_logins(cast: Any) -> None:
    post_login(Client(), "rep_ist", PASSWORD)
    admin = Client()
    admin.force_login(cast.admin)
    page = admin.get("/settings/audit/", {"action": "login"}).content.decode()
    assert "203.0.113.7" in page and "rep_ist" in page.lower()


def test_a_failed_login_records_the_typed_name_and_never_the_password(cast: Any) -> None:
    post_login(Client(), "Rep_Ist", "Yanlış-şifre-123")
    post_login(Client(), "kimse.yok", "Başka-şifre-456")
    known, unknown = entries("accounts.user.login_failed")
    assert (known.object_id, known.actor, known.data) == (
        str(cast.rep_ist.pk),
        None,
        {"username": "Rep_Ist", "ip": "203.0.113.7"},
    )
    assert (unknown.object_id, unknown.object_repr, unknown.data["username"]) == ("", "kimse.yok", "kimse.yok")
    with translation.override("en"):
        assert unknown.text == "failed login as “kimse.yok” from 203.0.113.7"
    stored = json.dumps(list(AuditEntry.objects.values()), default=str, ensure_ascii=False)
    assert "Yanlış-şifre-123" not in stored and "Başka-şifre-456" not in stored
    assert not entries("accounts.user.logged_in")


def test_a_wrong_old_password_on_the_password_form_is_a_failed_login(cast: Any) -> None:
    client = Client()
    client.force_login(cast.rep_ist)
    client.post(
        "/settings/account/password/",
        {"old_password": "wrong-password", "new_password": "Yeni-Parola-2026", "new_password2": "Yeni-Parola-2026"},
    )
    [entry] = entries("accounts.user.login_failed")
    assert entry.data["username"] == "rep_ist"


def test_a_lockout_is_recorded_once_when_it_starts(cast: Any, settings: Any) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        post_login(client, "rep_ist", "wrong-password")
    assert post_login(client, "rep_ist", PASSWORD).status_code == 429
    [locked] = entries("accounts.user.locked_out")
    assert (locked.object_id, locked.data) == (str(cast.rep_ist.pk), {"username": "rep_ist", "ip": "203.0.113.7"})
    failures = entries("accounts.user.login_failed")
    assert len(failures) == settings.AXES_FAILURE_LIMIT + 3  # the refused right password too
    assert failures[settings.AXES_FAILURE_LIMIT - 1].pk < locked.pk < failures[settings.AXES_FAILURE_LIMIT].pk
    assert not entries("accounts.user.logged_in")


def test_a_token_made_on_the_command_line_for_someone_names_both(cast: Any) -> None:
    call_command("api_token", "rep_ist", "--by", "admin", stdout=io.StringIO())
    token = ApiToken.objects.get(user=cast.rep_ist)
    entry = AuditEntry.objects.get(object_id=str(token.pk), content_type__model="apitoken")
    assert (entry.actor, entry.code, entry.data) == (cast.admin, "accounts.apitoken.created_for", {"user": "rep_ist"})
    with translation.override("en"):
        assert entry.text == "token created for rep_ist"

    call_command("api_token", "rep_baku", stdout=io.StringIO())  # no --by: the command line, not the owner
    token = ApiToken.objects.get(user=cast.rep_baku)
    entry = AuditEntry.objects.get(object_id=str(token.pk), content_type__model="apitoken")
    assert (entry.actor, entry.actor_name, entry.data) == (None, "system", {"user": "rep_baku"})


def test_only_an_administrator_makes_tokens_for_others_on_the_command_line(cast: Any) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("api_token", "rep_baku", "--by", "rep_ist", stdout=io.StringIO())
    assert not ApiToken.objects.filter(user=cast.rep_baku).exists()


def test_a_users_own_token_is_a_plain_create(cast: Any) -> None:
    client = Client()
    client.force_login(cast.rep_ist)
    client.post("/settings/account/tokens/", {"name": "ERP"})
    token = ApiToken.objects.get(user=cast.rep_ist)
    entry = AuditEntry.objects.get(object_id=str(token.pk), content_type__model="apitoken")
    assert (entry.actor, entry.code, entry.data) == (cast.rep_ist, "accounts.apitoken.created", {})
