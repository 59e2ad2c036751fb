"""Two-factor backup codes (shown once, stored hashed, each working once, renewable) and an administrator's
reset of a user's two-factor login and login lockout."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from velinimet.accounts import two_factor
from velinimet.accounts.models import Role
from velinimet.core.exceptions import NotAllowed
from velinimet.core.models import AuditEntry

pytestmark = pytest.mark.django_db
CODE = re.compile(r"<code>([2-9a-z]{5}-[2-9a-z]{5})</code>")


def totp_now(device: Any) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


def turn_on(client: Client, user: Any) -> list[str]:
    """Turn two-factor login on through the pages; returns the backup codes the page showed."""
    client.force_login(user)
    client.post("/settings/two-factor/", {"action": "start"})
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/settings/two-factor/", {"action": "confirm", "token": totp_now(device)}, follow=True)
    assert response.redirect_chain[-1][0] == "/settings/account/"
    return CODE.findall(response.content.decode())


def second_step(code: str, username: str = "rep_ist") -> Client:
    client = Client()
    assert client.post("/login/", {"username": username, "password": PASSWORD})["Location"].startswith("/login/verify/")
    client.post("/login/verify/", {"token": code})
    return client


def unthrottle(user: Any) -> None:
    """django-otp delays the next try after a wrong code (1 s, doubling): the tests do not wait for it."""
    from django_otp.plugins.otp_static.models import StaticDevice

    StaticDevice.objects.filter(user=user).update(throttling_failure_count=0, throttling_failure_timestamp=None)


def logged_in(client: Client) -> bool:
    return client.get("/").status_code == 200


def test_turning_two_factor_on_shows_ten_codes_once_and_stores_only_hashes(cast: Any) -> None:
    client = Client()
    codes = turn_on(client, cast.rep_ist)
    assert len(codes) == len(set(codes)) == 10
    stored = set(StaticToken.objects.filter(device__user=cast.rep_ist).values_list("token", flat=True))
    assert stored == {two_factor.backup_code_hash(c) for c in codes}
    assert not stored & {c for c in codes} and not stored & {c.replace("-", "") for c in codes}
    session_data = json.dumps(dict(client.session))
    assert not any(c in session_data for c in codes)  # gone from the session once shown
    assert not CODE.findall(client.get("/settings/account/").content.decode())  # shown once
    assert not CODE.findall(client.get("/settings/two-factor/").content.decode())
    page = client.get("/settings/two-factor/").content.decode()
    with translation.override("tr"):
        assert "10" in page


def test_the_codes_download_as_a_text_file(cast: Any) -> None:
    client = Client()
    codes = turn_on(client, cast.rep_ist)
    response = client.post("/settings/two-factor/backup-codes.txt", {"code": [*codes, "<script>"]})
    assert response["Content-Type"].startswith("text/plain")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    assert all(code in body for code in codes) and "<script>" not in body


def test_a_backup_code_logs_in_once_instead_of_the_authenticator(cast: Any) -> None:
    codes = turn_on(Client(), cast.rep_ist)
    client = second_step(codes[0].upper().replace("-", " "))  # as typed from paper
    assert logged_in(client)
    assert two_factor.backup_codes_left(cast.rep_ist) == 9
    assert not logged_in(second_step(codes[0]))  # each works once
    unthrottle(cast.rep_ist)
    assert logged_in(second_step(codes[1]))
    entry = AuditEntry.objects.filter(code="accounts.user.backup_code_used").latest("id")
    assert entry.data == {"left": 8}
    assert two_factor.backup_codes_left(cast.rep_ist) == 8
    assert "Backup codes left: 8" in _english_page(client, "/settings/two-factor/")


def _english_page(client: Client, url: str) -> str:
    client.post("/i18n/language/", {"language": "en", "next": url})
    return client.get(url).content.decode()


def test_the_stored_hash_is_not_a_code(cast: Any) -> None:
    turn_on(Client(), cast.rep_ist)
    stored = StaticToken.objects.filter(device__user=cast.rep_ist).values_list("token", flat=True)[0]
    assert not logged_in(second_step(stored))
    assert two_factor.backup_codes_left(cast.rep_ist) == 10


def test_new_codes_replace_the_old_ones(cast: Any) -> None:
    client = Client()
    old = turn_on(client, cast.rep_ist)
    response = client.post("/settings/two-factor/", {"action": "new_codes"}, follow=True)
    new = CODE.findall(response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert not logged_in(second_step(old[0]))
    unthrottle(cast.rep_ist)
    assert logged_in(second_step(new[0]))


def test_moving_to_a_new_phone_keeps_the_codes_and_turning_off_removes_them(cast: Any) -> None:
    client = Client()
    turn_on(client, cast.rep_ist)
    client.post("/settings/two-factor/", {"action": "start"})
    device = TOTPDevice.objects.get(user=cast.rep_ist, confirmed=False)
    moved = client.post("/settings/two-factor/", {"action": "confirm", "token": totp_now(device)})
    assert moved["Location"] == "/settings/account/"
    assert two_factor.backup_codes_left(cast.rep_ist) == 10
    client.post("/settings/two-factor/", {"action": "disable"})
    assert two_factor.backup_codes_left(cast.rep_ist) == 0
    assert not TOTPDevice.objects.filter(user=cast.rep_ist).exists()


# --- an administrator's reset -------------------------------------------------------------------
def test_an_administrator_resets_a_users_two_factor_from_the_users_page(cast: Any) -> None:
    turn_on(Client(), cast.rep_ist)
    admin = Client()
    admin.force_login(cast.admin)
    page = admin.get(f"/settings/users/{cast.rep_ist.pk}/").content.decode()
    assert f"/settings/users/{cast.rep_ist.pk}/two-factor/reset/" in page
    response = admin.post(f"/settings/users/{cast.rep_ist.pk}/two-factor/reset/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.rep_ist).exists()
    assert two_factor.backup_codes_left(cast.rep_ist) == 0
    entry = AuditEntry.objects.get(code="accounts.user.two_factor_reset")
    assert (entry.actor, entry.object_id) == (cast.admin, str(cast.rep_ist.pk))
    fresh = Client()
    assert fresh.post("/login/", {"username": "rep_ist", "password": PASSWORD})["Location"] == "/"  # no second step


def test_a_required_role_sets_two_factor_up_again_after_a_reset(cast: Any) -> None:
    turn_on(Client(), cast.reader)
    Role.objects.filter(slug="read_only").update(require_2fa=True)
    two_factor.two_factor_reset(actor=cast.admin, user=cast.reader)
    client = Client()
    client.post("/login/", {"username": "reader", "password": PASSWORD})
    assert client.get("/")["Location"] == "/settings/two-factor/"


def test_only_administrators_reset_two_factor_or_lift_lockouts(cast: Any, api: Any) -> None:
    turn_on(Client(), cast.rep_ist)
    with pytest.raises(NotAllowed):
        two_factor.two_factor_reset(actor=cast.manager, user=cast.rep_ist)
    manager = Client()
    manager.force_login(cast.manager)
    assert manager.post(f"/settings/users/{cast.rep_ist.pk}/two-factor/reset/").status_code in (403, 404)
    assert manager.post(f"/settings/users/{cast.rep_ist.pk}/lockout/lift/").status_code in (403, 404)
    assert api(cast.manager).post(f"/api/v1/users/{cast.rep_ist.pk}/reset-two-factor/").status_code in (403, 404)
    assert TOTPDevice.objects.filter(user=cast.rep_ist, confirmed=True).exists()
    assert api(cast.admin).post(f"/api/v1/users/{cast.rep_ist.pk}/reset-two-factor/").status_code == 204
    assert not TOTPDevice.objects.filter(user=cast.rep_ist).exists()


def test_an_administrator_lifts_a_lockout_from_the_users_page_and_the_api(cast: Any, settings: Any, api: Any) -> None:
    def lock() -> Client:
        client = Client()
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post("/login/", {"username": "REP_IST", "password": "wrong"})
        assert client.post("/login/", {"username": "rep_ist", "password": PASSWORD}).status_code == 429
        return client

    client = lock()
    admin = Client()
    admin.force_login(cast.admin)
    page = _english_page(admin, f"/settings/users/{cast.rep_ist.pk}/")
    assert "locked out" in page and f"/settings/users/{cast.rep_ist.pk}/lockout/lift/" in page
    assert admin.post(f"/settings/users/{cast.rep_ist.pk}/lockout/lift/").status_code == 302
    assert client.post("/login/", {"username": "rep_ist", "password": PASSWORD}).status_code == 302
    entry = AuditEntry.objects.get(code="accounts.user.lockout_lifted")
    assert (entry.actor, entry.data) == (cast.admin, {"addresses": 1})
    assert "locked out" not in _english_page(admin, f"/settings/users/{cast.rep_ist.pk}/")

    client = lock()
    assert api(cast.admin).post(f"/api/v1/users/{cast.rep_ist.pk}/lift-lockout/").status_code == 204
    client.post("/logout/")
    assert client.post("/login/", {"username": "rep_ist", "password": PASSWORD}).status_code == 302


def test_an_administrator_makes_a_token_for_a_user_from_the_users_page(cast: Any) -> None:
    admin = Client()
    admin.force_login(cast.admin)
    response = admin.post(f"/settings/users/{cast.rep_ist.pk}/tokens/new/", {"name": "ERP"})
    key = re.search(r"vlm_[\w-]+", response.content.decode()).group(0)  # type: ignore[union-attr]
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").json()["username"] == "rep_ist"
    entry = AuditEntry.objects.get(code="accounts.apitoken.created_for")
    assert (entry.actor, entry.data) == (cast.admin, {"user": "rep_ist"})
    rep = Client()
    rep.force_login(cast.rep_ist)
    assert rep.post(f"/settings/users/{cast.rep_baku.pk}/tokens/new/", {"name": "x"}).status_code in (403, 404)
