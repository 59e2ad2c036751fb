"""Browser tests of the accounts screens: a real headless Chromium clicks through the live server.

Expected texts are read through Django's own translation machinery (``tr``/``az`` below), so the
tests follow the catalogues instead of hard-coding Turkish or Azerbaijani strings.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STRONG_PASSWORD = "Kırmızı-Elma-2026!"


# --- helpers --------------------------------------------------------------------------------
def t(lang: str, message: str) -> str:
    """``message`` as the interface shows it in ``lang``."""
    with translation.override(lang):
        return gettext(message)


def tr(message: str) -> str:
    return t("tr", message)


def az(message: str) -> str:
    return t("az", message)


@contextmanager
def browser_page(chromium: Any, live_server: Any, locale: str, **options: Any) -> Iterator[Page]:
    """A page in a fresh browser context with its own locale (the ``page`` fixture is tr-TR)."""
    context = chromium.new_context(locale=locale, viewport={"width": 1280, "height": 900}, **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base_url = live_server.url  # type: ignore[attr-defined]
    try:
        yield page
    finally:
        context.close()


def submit_login(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto(page.base_url + "/login/")  # type: ignore[attr-defined]
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")


def has_session(page: Page) -> bool:
    return any(c["name"] == "sessionid" for c in page.context.cookies())


def open_user_menu(page: Page) -> None:
    page.locator("details.user-menu > summary").click()
    expect(page.locator("details.user-menu .menu-body")).to_be_visible()


def log_out(page: Page, lang: str = "tr") -> None:
    open_user_menu(page)
    page.locator("details.user-menu").get_by_role("button", name=t(lang, "Log out")).click()
    expect(page).to_have_url(re.compile(r"/login/$"))


def open_settings(page: Page, lang: str = "tr") -> None:
    """Settings as a desktop user reaches it: the brand leads home, where the Settings card is.

    (The ☰ module menu is only shown on narrow screens; see core/tests/test_browser.py.)"""
    page.locator("header.topbar .brand").click()
    card(page, t(lang, "Settings")).click()
    expect(page.locator("main h1")).to_have_text(t(lang, "Settings"))


def card(page: Page, title: str) -> Any:
    """A card link on the home or settings page, by its title (the description follows it)."""
    return page.locator("main .cards").get_by_role("link", name=re.compile(rf"^{re.escape(title)}(\s|$)"))


def totp_code(secret: str | bytes, drift: int = 0) -> str:
    from django_otp.oath import totp

    key = base64.b32decode(secret) if isinstance(secret, str) else secret
    return f"{totp(key, drift=drift):06d}"


# --- 1. demo administrator and the interface language ---------------------------------------
def test_demo_admin_logs_in_switches_to_azerbaijani_and_logs_out(page: Page) -> None:
    from velinimet.accounts.demo import demo_password
    from velinimet.core.demo import load_demo

    assert load_demo() is True
    password = demo_password()

    submit_login(page, "admin", password)
    expect(page).to_have_url(page.base_url + "/")  # type: ignore[attr-defined]
    expect(page.locator("html")).to_have_attribute("lang", "tr")
    expect(page.locator("header.topbar .brand")).to_have_text("Velinimet")
    expect(page.locator("details.user-menu > summary")).to_have_text("Ayşe Yılmaz")

    open_user_menu(page)
    page.locator("details.user-menu").get_by_role("link", name=tr("My account")).click()
    expect(page.locator("main h1")).to_have_text(tr("My account"))
    page.locator("select[name=language]").select_option(label="Azərbaycanca")
    page.locator("main form").get_by_role("button", name=tr("Save")).click()

    expect(page.locator("html")).to_have_attribute("lang", "az")
    for message in ("Settings", "My account", "Log out"):
        assert az(message) != message, f"no Azerbaijani translation of {message!r} in the catalogue"
    expect(page.locator("main h1")).to_have_text(az("My account"))
    expect(page.locator(".messages")).to_contain_text(az("Your preferences are saved."))
    expect(page.locator("nav.modules a[href='/settings/']")).to_have_text(az("Settings"))
    expect(page.locator("details.user-menu a[href='/settings/account/']")).to_have_text(az("My account"))
    expect(page.locator("details.user-menu button[type=submit]")).to_have_text(az("Log out"))

    from velinimet.accounts.models import User

    assert User.objects.get(username="admin").language == "az"

    log_out(page, "az")
    expect(page.locator("input[name=password]")).to_be_visible()
    expect(page.locator("header.topbar")).to_have_count(0)
    expect(page.locator(".messages")).to_contain_text(az("You have logged out."))
    page.goto(page.base_url + "/")  # type: ignore[attr-defined]
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    assert page.console_errors == []  # type: ignore[attr-defined]


# --- 2. before login the browser's language decides -----------------------------------------
@pytest.mark.parametrize(
    ("locale", "lang"),
    [("en-US", "en"), ("az-AZ", "az"), ("de-DE", "tr")],
)
def test_login_page_follows_the_browser_language(chromium: Any, live_server: Any, locale: str, lang: str) -> None:
    with browser_page(chromium, live_server, locale) as page:
        page.goto(page.base_url + "/login/")  # type: ignore[attr-defined]
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.locator("main .panel form button[type=submit]")).to_have_text(t(lang, "Log in"))
        expect(page.locator("main .panel p.muted")).to_have_text(t(lang, "Log in to your CRM."))
        expect(page.locator(".lang-switch button[aria-current=true]")).to_have_attribute("value", lang)


def test_login_page_language_switcher(chromium: Any, live_server: Any) -> None:
    with browser_page(chromium, live_server, "de-DE") as page:
        page.goto(page.base_url + "/login/")  # type: ignore[attr-defined]
        expect(page.locator("html")).to_have_attribute("lang", "tr")

        page.locator(".lang-switch").get_by_role("button", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page).to_have_url(re.compile(r"/login/$"))
        expect(page.locator("main .panel form button[type=submit]")).to_have_text(t("en", "Log in"))

        page.locator(".lang-switch").get_by_role("button", name="Azərbaycanca").click()
        expect(page.locator("html")).to_have_attribute("lang", "az")
        expect(page.locator("main .panel form button[type=submit]")).to_have_text(az("Log in"))

        # The choice sticks: it is kept in the language cookie, not only in this one response.
        page.reload()
        expect(page.locator("html")).to_have_attribute("lang", "az")

        page.locator(".lang-switch").get_by_role("button", name="Türkçe").click()
        expect(page.locator("html")).to_have_attribute("lang", "tr")
        expect(page.locator("main .panel form button[type=submit]")).to_have_text(tr("Log in"))


# --- 3. wrong password ----------------------------------------------------------------------
def test_wrong_password_shows_translated_error_and_no_session(cast: Any, page: Page) -> None:
    submit_login(page, "admin", "not-the-password")
    expected = tr("The username or password is wrong.")
    expect(page.locator("main form .errorlist")).to_have_text(expected)
    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.locator("input[name=password]")).to_be_visible()
    assert not has_session(page)

    page.goto(page.base_url + "/")  # type: ignore[attr-defined]
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))


# --- 4. lockout -----------------------------------------------------------------------------
def test_lockout_after_failure_limit_refuses_even_the_right_password(cast: Any, page: Page, settings: Any) -> None:
    settings.AXES_FAILURE_LIMIT = 3  # axes reads the limit at call time
    wrong = tr("The username or password is wrong.")
    heading = tr("Too many failed logins")

    def attempt(password: str) -> int:
        with page.expect_response(lambda r: r.url.endswith("/login/") and r.request.method == "POST") as info:
            submit_login(page, "rep_ist", password)
        return info.value.status

    for _ in range(2):
        assert attempt("wrong-password") == 200
        expect(page.locator("main form .errorlist")).to_have_text(wrong)

    assert attempt("wrong-password") == 429  # the third failure (the default limit is 5)
    expect(page.locator("main h1")).to_have_text(heading)
    expect(page.locator("input[name=password]")).to_have_count(0)

    assert attempt(PASSWORD) == 429
    expect(page.locator("main h1")).to_have_text(heading)
    assert not has_session(page)
    page.goto(page.base_url + "/")  # type: ignore[attr-defined]
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))

    # Another user from the same address is not locked (lockout is per username and address).
    submit_login(page, "reader")
    expect(page).to_have_url(page.base_url + "/")  # type: ignore[attr-defined]


# --- 5. creating users ----------------------------------------------------------------------
def test_admin_creates_user_and_sees_form_errors(cast: Any, page: Page, login: Any) -> None:
    from velinimet.accounts.models import User

    login("admin")
    open_settings(page)
    card(page, tr("Users")).click()
    expect(page.locator("main h1")).to_have_text(tr("Users"))
    page.get_by_role("link", name=tr("New user")).click()
    expect(page.locator("main h1")).to_have_text(tr("New user"))

    def fill(username: str, password: str) -> None:
        page.fill("input[name=username]", username)
        page.fill("input[name=first_name]", "Elif")
        page.fill("input[name=last_name]", "Şahin")
        page.fill("input[name=email]", f"{username.lower()}@example.com")
        page.locator("select[name=team]").select_option(label="İstanbul")
        page.locator("select[name=role]").select_option(label=tr("Sales rep"))
        page.locator("select[name=language]").select_option("az")
        page.locator("select[name=time_zone]").select_option("Asia/Baku")
        page.fill("input[name=password]", password)
        page.locator("main form").get_by_role("button", name=tr("Save")).click()

    count = User.objects.count()
    fill("elif", STRONG_PASSWORD)
    expect(page).to_have_url(re.compile(r"/settings/users/$"))
    expect(page.locator(".messages")).to_contain_text("elif")
    row = page.locator("main table tbody tr").filter(has=page.get_by_role("link", name="elif", exact=True))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Elif Şahin")
    expect(row).to_contain_text("İstanbul")
    expect(row).to_contain_text(tr("Sales rep"))

    created = User.objects.get(username="elif")
    assert User.objects.count() == count + 1
    assert (created.team, created.role.slug, created.language, created.time_zone) == (
        cast.istanbul,
        "sales_rep",
        "az",
        "Asia/Baku",
    )
    assert created.check_password(STRONG_PASSWORD)

    # The same name in another case is taken.
    page.get_by_role("link", name=tr("New user")).click()
    fill("ELIF", STRONG_PASSWORD)
    expect(page).to_have_url(re.compile(r"/settings/users/new/$"))
    username_field = page.locator(".field").filter(has=page.locator("input[name=username]"))
    expect(username_field.locator(".errorlist")).to_have_text(tr("This username is taken."))
    assert User.objects.count() == count + 1

    # A weak password shows Django's own validator messages.
    with translation.override("tr"):
        try:
            password_validation.validate_password("12345", User(username="zeynep", first_name="Elif"))
        except ValidationError as exc:
            weak_messages = list(exc.messages)
    assert weak_messages
    fill("zeynep", "12345")
    expect(page).to_have_url(re.compile(r"/settings/users/new/$"))
    password_field = page.locator(".field").filter(has=page.locator("input[name=password]"))
    for message in weak_messages:
        expect(password_field.locator(".errorlist")).to_contain_text(message)
    assert User.objects.count() == count + 1
    assert not User.objects.filter(username__iexact="zeynep").exists()
    assert page.console_errors == []  # type: ignore[attr-defined]


# --- 6. role matrix -------------------------------------------------------------------------
def test_admin_changes_role_matrix_and_it_is_audited(cast: Any, page: Page, login: Any) -> None:
    from velinimet.accounts.models import Role
    from velinimet.core.visibility import Level

    role = Role.objects.get(slug="sales_rep")
    assert role.level("core.job", "read") != Level.ALL
    login("admin")
    open_settings(page)
    card(page, tr("Roles")).click()
    page.locator("main table").get_by_role("link", name=tr("Sales rep"), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/settings/roles/{role.pk}/$"))

    select = page.locator("select[name='perm:core.job:read']")
    expect(select).to_have_accessible_name(f"{tr('Background jobs')} 1")
    select.select_option(label=tr("All records"))
    page.locator("main form").get_by_role("button", name=tr("Save")).click()
    expect(page).to_have_url(re.compile(r"/settings/roles/$"))
    expect(page.locator(".messages .msg-success")).to_have_count(1)

    page.goto(f"{page.base_url}/settings/roles/{role.pk}/")  # type: ignore[attr-defined]
    expect(select).to_have_value(str(int(Level.ALL)))
    expect(select.locator("option:checked")).to_have_text(tr("All records"))
    page.reload()
    expect(select).to_have_value(str(int(Level.ALL)))
    role.refresh_from_db()
    assert role.level("core.job", "read") == Level.ALL
    assert role.level("core.job", "create") == Level.OWN  # the untouched cells keep their levels

    open_settings(page)
    card(page, tr("Audit log")).click()
    expect(page.locator("main h1")).to_have_text(tr("Audit log"))
    entry = (
        page.locator("#audit-table tbody tr")
        .filter(has_text=f"#{role.pk}")
        .filter(has=page.locator("ul.changes li", has_text=f"{tr('permissions')}:"))  # the field's label
    )
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text(tr("Sales rep"))
    expect(entry).to_contain_text("admin")
    expect(entry).to_contain_text(re.compile(r"""core\.job['"]?: \{['"]read['"]: 4\b"""))


# --- 9. two-factor login --------------------------------------------------------------------
def test_user_enables_totp_and_logs_in_with_a_code(cast: Any, page: Page, login: Any, settings: Any) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no waiting after the deliberate wrong code
    login("rep_ist")
    open_user_menu(page)
    page.locator("details.user-menu").get_by_role("link", name=tr("My account")).click()
    page.get_by_role("link", name=tr("Two-factor login")).click()
    expect(page.locator("main h1")).to_have_text(tr("Two-factor login"))
    page.get_by_role("button", name=tr("Set up")).click()

    secret = page.locator("main .panel code").inner_text().strip()
    device = TOTPDevice.objects.get(user=cast.rep_ist, confirmed=False)
    assert base64.b32decode(secret) == device.bin_key
    expect(page.locator("main .qr svg")).to_be_visible()
    page.fill("input[name=token]", totp_code(secret))
    page.get_by_role("button", name=tr("Turn on")).click()
    expect(page).to_have_url(re.compile(r"/settings/account/$"))
    expect(page.locator(".messages")).to_contain_text(tr("Two-factor login is on."))
    assert TOTPDevice.objects.filter(user=cast.rep_ist, confirmed=True).count() == 1

    log_out(page)
    submit_login(page, "rep_ist")
    expect(page).to_have_url(re.compile(r"/login/verify/"))
    # Not logged in yet: the home page sends back to the login.
    probe = page.context.new_page()
    probe.goto(page.base_url + "/")  # type: ignore[attr-defined]
    expect(probe).to_have_url(re.compile(r"/login/\?next=/$"))
    probe.close()

    valid = {totp_code(secret, drift) for drift in (-1, 0, 1, 2)}
    wrong = next(
        f"{(int(totp_code(secret)) + step) % 1_000_000:06d}"
        for step in range(1, 100)
        if f"{(int(totp_code(secret)) + step) % 1_000_000:06d}" not in valid
    )
    page.fill("input[name=token]", wrong)
    page.get_by_role("button", name=tr("Verify")).click()
    expect(page.locator("main form .errorlist")).to_have_text(
        tr("The code is not valid. Check your phone's clock and try again.")
    )
    expect(page).to_have_url(re.compile(r"/login/verify/"))

    # The enrolment code's time step is used up; the next step's code is still inside the tolerance.
    page.fill("input[name=token]", totp_code(secret, drift=1))
    page.get_by_role("button", name=tr("Verify")).click()
    expect(page).to_have_url(page.base_url + "/")  # type: ignore[attr-defined]
    expect(page.locator("details.user-menu > summary")).to_have_text("Rep_ist")
    assert has_session(page)


def test_role_requiring_2fa_forces_user_without_device_to_the_two_factor_page(
    cast: Any, page: Page, login: Any
) -> None:
    from velinimet.accounts.models import Role

    Role.objects.filter(slug="sales_rep").update(require_2fa=True)
    login("rep_baku")  # rep_baku works in Azerbaijani
    expect(page).to_have_url(re.compile(r"/settings/two-factor/$"))
    expect(page.locator("html")).to_have_attribute("lang", "az")
    expect(page.locator("main .msg-warning")).to_have_text(
        az("Your role requires two-factor login. Set it up to continue.")
    )

    for path in ("/", "/settings/users/", "/search/?q=a"):
        page.goto(page.base_url + path)  # type: ignore[attr-defined]
        expect(page).to_have_url(re.compile(r"/settings/two-factor/$"))

    # A user whose role does not require it is not stopped.
    log_out(page, "az")
    login("manager")
    expect(page).to_have_url(page.base_url + "/")  # type: ignore[attr-defined]


# --- 10. escaping ---------------------------------------------------------------------------
def test_user_names_are_escaped_in_the_user_list(cast: Any, page: Page, login: Any) -> None:
    from velinimet.accounts.models import User

    first = "<script>window.__xss=1</script>"
    last = '<img src=x onerror="window.__xss=2">'
    User.objects.create(username="mallory", first_name=first, last_name=last, team=cast.sales, role=cast.rep_ist.role)
    login("admin")
    page.goto(page.base_url + "/settings/users/")  # type: ignore[attr-defined]
    row = page.locator("main table tbody tr").filter(has=page.get_by_role("link", name="mallory", exact=True))
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(1)).to_have_text(f"{first} {last}")
    expect(row.locator("script, img")).to_have_count(0)
    assert page.evaluate("window.__xss") is None

    row.get_by_role("link", name="mallory").click()
    expect(page.locator("main h1")).to_have_text(f"{first} {last}")
    expect(page.locator("details.user-menu > summary")).to_have_text("Admin")
    assert page.evaluate("window.__xss") is None


# --- 13. visibility -------------------------------------------------------------------------
def test_users_of_other_teams_are_not_found_for_a_rep_but_visible_to_the_manager(
    cast: Any, page: Page, login: Any
) -> None:
    url = f"{page.base_url}/settings/users/{cast.rep_baku.pk}/"  # type: ignore[attr-defined]
    login("rep_ist")
    response = page.goto(url)
    assert response is not None and response.status == 404
    expect(page.locator("main h1")).to_have_text(tr("Not found"))
    expect(page.locator("main")).not_to_contain_text("rep_baku")

    # Their own team-mate is visible.
    response = page.goto(f"{page.base_url}/settings/users/{cast.reader.pk}/")  # type: ignore[attr-defined]
    assert response is not None and response.status == 200

    log_out(page)
    login("manager")
    response = page.goto(url)
    assert response is not None and response.status == 200
    expect(page.locator("main h1")).to_have_text("Rep_baku")
    expect(page.locator("main dl")).to_contain_text("rep_baku")
    expect(page.locator("main form input:not([type=hidden]), main form select")).to_have_count(0)  # read-only


# --- token revocation and the idle timeout ------------------------------------------------------
def test_administrator_revokes_a_users_tokens_from_the_user_page_in_a_browser(cast: Any, page: Any) -> None:
    from velinimet.accounts.models import ApiToken
    from velinimet.accounts.services import token_create

    token_create(actor=cast.rep_ist, user=cast.rep_ist, name="ERP sync")
    submit_login(page, "admin")
    page.goto(page.base_url + f"/settings/users/{cast.rep_ist.pk}/")
    expect(page.locator("main")).to_contain_text("ERP sync")
    expect(page.locator("input[name=revoke_tokens]")).to_be_checked()
    dialogs: list[str] = []

    def accept(dialog: Any) -> None:
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", accept)
    page.get_by_role("button", name=tr("Revoke all API tokens")).click()
    expect(page.locator("main")).to_contain_text(tr("This user has no active API tokens."))
    assert dialogs == ["confirm"]
    assert not ApiToken.objects.filter(user=cast.rep_ist, revoked_at__isnull=True).exists()


def test_an_idle_session_is_logged_out_with_a_message_in_a_browser(cast: Any, page: Any) -> None:
    import time

    from django.contrib.sessions.backends.db import SessionStore

    from velinimet.accounts.sessions import LAST_SEEN

    submit_login(page, "rep_ist")
    expect(page).to_have_url(page.base_url + "/")
    key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    session = SessionStore(session_key=key)
    session[LAST_SEEN] = int(time.time()) - 9 * 3600  # the user walked away nine hours ago
    session.save()
    page.goto(page.base_url + "/customers/people/")
    expect(page).to_have_url(re.compile(r"/login/\?next="))
    expect(page.locator(".messages")).to_contain_text(
        tr("You were logged out after %(duration)s without activity.") % {"duration": "8\xa0saat"}
    )
    submit_login(page, "rep_ist")
    expect(page).to_have_url(page.base_url + "/")


# --- backup codes and the password reset ------------------------------------------------------
def test_a_user_logs_in_with_a_backup_code_in_a_browser(cast: Any, page: Page, login: Any) -> None:
    login("rep_ist")
    page.goto(page.base_url + "/settings/two-factor/")  # type: ignore[attr-defined]
    page.get_by_role("button", name=tr("Set up")).click()
    secret = page.locator("main .panel code").inner_text().strip()
    page.fill("input[name=token]", totp_code(secret))
    page.get_by_role("button", name=tr("Turn on")).click()
    expect(page).to_have_url(re.compile(r"/settings/account/$"))
    codes = page.locator("#new-backup-codes li code").all_inner_texts()
    assert len(codes) == 10
    with page.expect_download() as download:
        page.get_by_role("button", name=tr("Download as a text file")).click()
    saved = Path(download.value.path()).read_text(encoding="utf-8")
    assert all(code in saved for code in codes)
    page.reload()
    expect(page.locator("#new-backup-codes")).to_have_count(0)  # shown once

    log_out(page)
    submit_login(page, "rep_ist")
    expect(page).to_have_url(re.compile(r"/login/verify/"))
    page.fill("input[name=token]", codes[3])
    page.get_by_role("button", name=tr("Verify")).click()
    expect(page).to_have_url(page.base_url + "/")  # type: ignore[attr-defined]
    page.goto(page.base_url + "/settings/two-factor/")  # type: ignore[attr-defined]
    expect(page.locator("#backup-codes-left")).to_contain_text("9")


def test_a_user_resets_a_forgotten_password_by_e_mail_in_a_browser(cast: Any, page: Page, smtp_inbox: Any) -> None:
    from velinimet.accounts import services

    from .mail import Inbox

    services.user_update(actor=cast.admin, user=cast.rep_ist, email="rep.ist@firma.com.tr")
    page.goto(page.base_url + "/login/")  # type: ignore[attr-defined]
    page.get_by_role("link", name=tr("Forgot your password?")).click()
    page.fill("input[name=identifier]", "REP.IST@firma.com.tr")
    page.get_by_role("button", name=tr("Send the link")).click()
    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.locator(".messages")).to_contain_text(
        tr("If an account matches, we have sent a link to set a new password to its e-mail address.")
    )
    [mail] = smtp_inbox.wait(1)
    link = re.search(r"http://\S+/login/reset/\S+/", Inbox.body(mail)).group(0)  # type: ignore[union-attr]
    page.goto(link)
    page.fill("input[name=new_password]", "1234567890")
    page.fill("input[name=new_password2]", "1234567890")
    page.get_by_role("button", name=tr("Set the password")).click()
    expect(page.locator("main form .errorlist").first).to_be_visible()
    page.fill("input[name=new_password]", STRONG_PASSWORD)
    page.fill("input[name=new_password2]", STRONG_PASSWORD)
    page.get_by_role("button", name=tr("Set the password")).click()
    expect(page).to_have_url(re.compile(r"/login/$"))
    submit_login(page, "rep_ist", STRONG_PASSWORD)
    expect(page).to_have_url(page.base_url + "/")  # type: ignore[attr-defined]
    page.goto(link)
    expect(page.locator("main")).to_contain_text(tr("This link has expired or was already used. Ask for a new one."))
