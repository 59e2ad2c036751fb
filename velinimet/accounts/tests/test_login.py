"""Login, lockout, two-factor, language and time zone, account pages (Django test client)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from conftest import PASSWORD
from velinimet.accounts.models import Role, User

pytestmark = pytest.mark.django_db


def post_login(client: Client, username: str, password: str, **extra: Any) -> Any:
    return client.post("/login/", {"username": username, "password": password}, **extra)


def test_login_and_logout(cast: Any) -> None:
    client = Client()
    response = post_login(client, "rep_ist", PASSWORD)
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert client.get("/logout/").status_code == 405  # logging out is a POST
    client.post("/logout/")
    assert client.get("/").status_code == 302


def test_username_is_case_insensitive_at_login(cast: Any) -> None:
    assert post_login(Client(), "REP_IST", PASSWORD).status_code == 302


def test_pages_require_login(cast: Any) -> None:
    response = Client().get("/settings/users/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_wrong_password_shows_translated_error(cast: Any) -> None:
    response = post_login(Client(HTTP_ACCEPT_LANGUAGE="az"), "rep_ist", "wrong-password")
    assert response.status_code == 200
    with translation.override("az"):
        expected = gettext("The username or password is wrong.")
    assert expected != "The username or password is wrong."
    assert expected in response.content.decode()


def test_open_redirect_is_refused(cast: Any) -> None:
    response = Client().post("/login/?next=https://evil.example/", {"username": "rep_ist", "password": PASSWORD})
    assert response["Location"] == "/"


def test_lockout_after_repeated_failures(cast: Any, settings: Any) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "rep_ist", "wrong-password")
    response = post_login(client, "rep_ist", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # another user from the same address is not locked out
    assert post_login(Client(), "rep_baku", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("accept", "lang"), [("en-US,en;q=0.9", "en"), ("az-AZ", "az"), ("de-DE", "tr"), ("", "tr"), ("tr-TR", "tr")]
)
def test_language_before_login_follows_the_browser(accept: str, lang: str) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE=accept).get("/login/")
    assert f'<html lang="{lang}">' in response.content.decode()


def test_login_page_language_switcher_sets_the_language() -> None:
    client = Client()
    response = client.post("/i18n/language/", {"language": "az", "next": "/login/"})
    assert response.status_code == 302
    assert '<html lang="az">' in client.get("/login/").content.decode()


def test_unknown_language_code_is_refused(cast: Any) -> None:
    client = Client()
    client.force_login(cast.rep_ist)
    response = client.post("/i18n/language/", {"language": "xx"})
    assert response.status_code == 400
    cast.rep_ist.refresh_from_db()
    assert cast.rep_ist.language == "tr"


def test_logged_in_language_and_time_zone_follow_the_user(cast: Any) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(cast.rep_baku)  # az, Asia/Baku
    html = client.get("/").content.decode()
    assert '<html lang="az">' in html
    client.post("/settings/account/", {"language": "en", "time_zone": "Europe/Istanbul"})
    cast.rep_baku.refresh_from_db()
    assert (cast.rep_baku.language, cast.rep_baku.time_zone) == ("en", "Europe/Istanbul")
    assert '<html lang="en">' in client.get("/").content.decode()


def test_invalid_time_zone_in_form_changes_nothing(cast: Any) -> None:
    client = Client()
    client.force_login(cast.rep_ist)
    response = client.post("/settings/account/", {"language": "tr", "time_zone": "Mars/Base"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    cast.rep_ist.refresh_from_db()
    assert cast.rep_ist.time_zone == "Europe/Istanbul"


def test_password_change_checks_old_password_and_strength(cast: Any) -> None:
    client = Client()
    client.force_login(cast.rep_ist)
    bad_old = client.post(
        "/settings/account/password/",
        {"old_password": "nope", "new_password": "Cok-guclu-parola-1", "new_password2": "Cok-guclu-parola-1"},
    )
    assert bad_old.status_code == 200
    weak = client.post(
        "/settings/account/password/", {"old_password": PASSWORD, "new_password": "123", "new_password2": "123"}
    )
    assert weak.status_code == 200
    cast.rep_ist.refresh_from_db()
    assert cast.rep_ist.check_password(PASSWORD)
    ok = client.post(
        "/settings/account/password/",
        {"old_password": PASSWORD, "new_password": "Cok-guclu-parola-1", "new_password2": "Cok-guclu-parola-1"},
    )
    assert ok.status_code == 302
    cast.rep_ist.refresh_from_db()
    assert cast.rep_ist.check_password("Cok-guclu-parola-1")
    assert cast.rep_ist.password.startswith("argon2")
    assert client.get("/").status_code == 200  # the session survives the change


def test_csrf_is_enforced_on_form_posts(cast: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.admin)
    response = client.post("/settings/teams/new/", {"name": "Sızma"})
    assert response.status_code == 403
    assert not cast.admin.__class__.objects.filter(team__name="Sızma").exists()
    from velinimet.accounts.models import Team

    assert not Team.objects.filter(name="Sızma").exists()


def test_script_in_a_users_name_is_escaped(cast: Any) -> None:
    User.objects.filter(pk=cast.rep_ist.pk).update(first_name="<script>alert(1)</script>")
    client = Client()
    client.force_login(cast.admin)
    html = client.get("/settings/users/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def _totp_now(device: Any) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


def test_two_factor_enrolment_and_login(cast: Any) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(cast.rep_ist)
    page = client.post("/settings/two-factor/", {"action": "start"})
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=cast.rep_ist, confirmed=False)
    bad = client.post(
        "/settings/two-factor/", {"action": "confirm", "token": "000000" if _totp_now(device) != "000000" else "111111"}
    )
    assert bad.status_code == 200
    assert not TOTPDevice.objects.filter(user=cast.rep_ist, confirmed=True).exists()
    good = client.post("/settings/two-factor/", {"action": "confirm", "token": _totp_now(device)})
    assert good.status_code == 302
    device.refresh_from_db()
    assert device.confirmed

    fresh = Client()
    step1 = post_login(fresh, "rep_ist", PASSWORD)
    assert step1["Location"].startswith("/login/verify/")
    assert fresh.get("/").status_code == 302  # not logged in yet
    wrong = fresh.post("/login/verify/", {"token": "12345x"})
    assert wrong.status_code == 200
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.last_t = -1
    device.save()
    right = fresh.post("/login/verify/", {"token": _totp_now(device)})
    assert right.status_code == 302
    assert fresh.get("/").status_code == 200


def test_role_requiring_two_factor_forces_enrolment(cast: Any) -> None:
    Role.objects.filter(slug="read_only").update(require_2fa=True)
    client = Client()
    client.force_login(cast.reader)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/settings/two-factor/"
    assert client.get("/settings/two-factor/").status_code == 200
    api = client.get("/api/v1/me/")  # the session API too, with a JSON answer
    assert api.status_code == 403
    assert api.json()["code"] == "two_factor_required"
    # a made-up token header does not get around it
    assert client.get("/", HTTP_AUTHORIZATION="Token junk").status_code == 302
    assert client.get("/settings/users/", HTTP_AUTHORIZATION="Token junk").status_code == 302


def test_admin_creates_user_through_the_form(cast: Any) -> None:
    client = Client()
    client.force_login(cast.admin)
    data = {
        "username": "ayten",
        "first_name": "Ayten",
        "last_name": "Əliyeva",
        "email": "ayten@example.az",
        "team": cast.baku.pk,
        "role": Role.objects.get(slug="service_agent").pk,
        "language": "az",
        "time_zone": "Asia/Baku",
        "is_active": "on",
        "password": "Guclu-Parol-2026",
    }
    assert client.post("/settings/users/new/", data).status_code == 302
    user = User.objects.get(username="ayten")
    assert user.team == cast.baku and user.check_password("Guclu-Parol-2026")
    again = client.post("/settings/users/new/", {**data, "username": "AYTEN"})
    assert again.status_code == 200
    assert "errorlist" in again.content.decode()
    assert User.objects.filter(username__iexact="ayten").count() == 1


def test_admin_resets_a_password_rep_cannot(cast: Any) -> None:
    client = Client()
    client.force_login(cast.rep_ist)
    assert (
        client.post(f"/settings/users/{cast.rep_ist.pk}/password/", {"password": "Yeni-Parola-2026"}).status_code == 403
    )
    client.force_login(cast.admin)
    client.post(f"/settings/users/{cast.rep_ist.pk}/password/", {"password": "Yeni-Parola-2026"})
    cast.rep_ist.refresh_from_db()
    assert cast.rep_ist.check_password("Yeni-Parola-2026")


def test_team_and_role_screens(cast: Any) -> None:
    client = Client()
    client.force_login(cast.admin)
    assert client.post("/settings/teams/new/", {"name": "Gəncə", "parent": cast.baku.pk}).status_code == 302
    from velinimet.accounts.models import Team

    assert Team.objects.get(name="Gəncə").parent == cast.baku
    role = Role.objects.get(slug="sales_rep")
    response = client.post(f"/settings/roles/{role.pk}/", {"name": role.name, "perm:core.job:read": "4"})
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.level("core.job", "read") == 4
    assert client.post(f"/settings/teams/{cast.istanbul.pk}/delete/").status_code == 302
    assert Team.objects.filter(pk=cast.istanbul.pk).exists()  # has members: refused with a message
