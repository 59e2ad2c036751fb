"""Browser tests of the shell: audit export job, global search, mobile layout, CSP in a real Chromium.

Expected texts are read through Django's translation machinery, so they follow the catalogues.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tr(message: str) -> str:
    with translation.override("tr"):
        return gettext(message)


def card(page: Page, title: str) -> Any:
    """A card link on the home or settings page, by its title (the description follows it)."""
    return page.locator("main .cards").get_by_role("link", name=re.compile(rf"^{re.escape(title)}(\s|$)"))


def go_home(page: Page) -> None:
    page.locator("header.topbar .brand").click()
    expect(page).to_have_url(page.base_url + "/")  # type: ignore[attr-defined]


# --- 7. audit export: a background job with progress and a download --------------------------
def test_audit_export_runs_as_a_job_and_downloads_csv(cast: Any, page: Page, login: Any, registered: Any) -> None:
    from velinimet.core import audit
    from velinimet.core.models import Job
    from velinimet.core.registry import AuditAction

    registered("core.audit_actions", AuditAction("core.test.browser", "%(what)s"))
    data = {"what": "tarayıcı testi: şçğüöı"}
    audit.log_action(actor=cast.admin, instance=cast.rep_ist, code="core.test.browser", kind="update", data=data)
    login("admin")
    go_home(page)
    card(page, tr("Settings")).click()
    card(page, tr("Audit log")).click()
    expect(page.locator("main h1")).to_have_text(tr("Audit log"))
    expect(page.locator("#audit-table")).to_contain_text("tarayıcı testi: şçğüöı")

    page.get_by_role("button", name=tr("Export CSV")).click()
    expect(page).to_have_url(re.compile(r"/jobs/[0-9a-f-]{36}/$"))
    job = Job.objects.get()
    assert page.url.endswith(f"/jobs/{job.pk}/")
    progress = page.locator("#job-progress")
    expect(progress.locator(".badge")).to_have_text(tr("Succeeded"))
    expect(progress.locator(".badge")).to_have_class(re.compile(r"\bstate-succeeded\b"))
    expect(progress.locator("progress")).to_have_attribute("value", str(job.total or 100))

    with page.expect_download() as info:
        progress.get_by_role("link", name=tr("Download")).click()
    download = info.value
    assert download.suggested_filename == f"audit-{job.pk}.csv"
    content = Path(download.path()).read_text(encoding="utf-8-sig")
    lines = content.splitlines()
    assert lines[0].startswith("time,user,action")
    assert any("tarayıcı testi: şçğüöı" in line for line in lines[1:])
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED and job.done == len(lines) - 1

    page.reload()  # the job page itself, opened afresh
    expect(page.locator("main h1")).to_have_text(tr("Audit log export"))
    expect(page.locator("#job-progress .badge")).to_have_text(tr("Succeeded"))
    expect(page.locator("#job-progress")).not_to_have_attribute("hx-trigger", re.compile("every"))


def test_audit_export_lands_on_the_whole_job_page(cast: Any, page: Page, login: Any) -> None:
    login("admin")
    page.goto(page.base_url + "/settings/audit/")  # type: ignore[attr-defined]
    page.get_by_role("button", name=tr("Export CSV")).click()
    expect(page).to_have_url(re.compile(r"/jobs/[0-9a-f-]{36}/$"))
    expect(page.locator("main h1")).to_have_text(tr("Audit log export"), timeout=2000)
    expect(page.locator("header.topbar")).to_be_visible(timeout=1000)


# --- 8. global search -----------------------------------------------------------------------
def test_global_search_dropdown_and_full_page(cast: Any, page: Page, login: Any) -> None:
    from velinimet.accounts.models import User

    User.objects.create(
        username="sukru.ozturk", first_name="Şükrü", last_name="Öztürk", team=cast.istanbul, role=cast.rep_ist.role
    )
    User.objects.create(
        username="isik.dogan", first_name="Işık", last_name="Doğan", team=cast.baku, role=cast.rep_ist.role
    )
    login("admin")
    box = page.locator("header.topbar").get_by_role("searchbox", name=tr("Search"))
    dropdown = page.locator("#search-dropdown")

    box.fill("sukru")
    expect(dropdown.get_by_role("link", name="Şükrü Öztürk")).to_be_visible()
    expect(dropdown.get_by_role("link", name="Işık Doğan")).to_have_count(0)
    box.fill("ISIK")
    expect(dropdown.get_by_role("link", name="Işık Doğan")).to_be_visible()
    expect(dropdown.get_by_role("link", name="Şükrü Öztürk")).to_have_count(0)
    expect(page).to_have_url(page.base_url + "/")  # type: ignore[attr-defined]

    dropdown.get_by_role("link", name="Işık Doğan").click()
    expect(page).to_have_url(re.compile(r"/settings/users/\d+/$"))
    expect(page.locator("main h1")).to_have_text("Işık Doğan")

    # The full page groups hits by provider: "ist" finds the İstanbul team and users in it by name.
    box.fill("ist")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=ist$"))
    groups = page.locator("main .search-results .search-group")
    expect(groups.locator("h3")).to_have_text([tr("Users"), tr("Teams")])
    users = groups.filter(has=page.get_by_role("heading", name=tr("Users")))
    teams = groups.filter(has=page.get_by_role("heading", name=tr("Teams")))
    expect(users.get_by_role("link", name="Rep_ist")).to_be_visible()
    expect(teams.get_by_role("link", name="İstanbul")).to_be_visible()
    expect(teams.get_by_role("link", name="Rep_ist")).to_have_count(0)

    page.goto(page.base_url + "/search/?q=qqqzzz")  # type: ignore[attr-defined]
    expect(page.locator("main .search-results .empty")).to_be_visible()
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_search_shows_only_what_the_user_may_see(cast: Any, page: Page, login: Any) -> None:
    login("rep_ist")  # a rep sees the users of their own team only
    box = page.locator("header.topbar").get_by_role("searchbox", name=tr("Search"))
    box.fill("rep")
    dropdown = page.locator("#search-dropdown")
    expect(dropdown.get_by_role("link", name="Rep_ist")).to_be_visible()
    expect(dropdown.get_by_role("link", name="Rep_baku")).to_have_count(0)


# --- 11. mobile layout ----------------------------------------------------------------------
MOBILE = {"width": 390, "height": 844}


def test_mobile_layout_has_a_menu_button_and_no_horizontal_overflow(cast: Any, page: Page, login: Any) -> None:
    page.set_viewport_size(MOBILE)
    login("admin")
    expect(page).to_have_url(page.base_url + "/")  # type: ignore[attr-defined]
    menu = page.locator("header.topbar").get_by_label(tr("Menu"), exact=True)
    expect(menu).to_be_visible()
    expect(menu).to_have_text("☰")
    nav = page.locator("nav.modules")
    settings_link = nav.get_by_role("link", name=tr("Settings"))
    expect(settings_link).to_be_hidden()
    menu.click()
    expect(settings_link).to_be_visible()
    box = nav.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= MOBILE["width"] + 1
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"] + 1

    page.keyboard.press("Escape")  # app.js closes open menus
    expect(settings_link).to_be_hidden()
    for path in ("/settings/", "/settings/users/", "/settings/audit/", "/settings/account/"):
        page.goto(page.base_url + path)  # type: ignore[attr-defined]
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= MOBILE["width"] + 1, f"{path} is {width}px wide"
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_mobile_menu_links_can_be_clicked(cast: Any, page: Page, login: Any) -> None:
    page.set_viewport_size(MOBILE)
    login("admin")
    page.locator("header.topbar").get_by_label(tr("Menu"), exact=True).click()
    links = page.locator("nav.modules a")
    expect(links.first).to_be_visible()
    # Every module link must be the element that receives a tap at its own centre.
    covered = page.evaluate(
        """() => [...document.querySelectorAll('nav.modules a')].filter((a) => {
            const r = a.getBoundingClientRect();
            return !a.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2));
        }).map((a) => a.textContent.trim())"""
    )
    assert covered == []
    href = links.first.get_attribute("href")
    links.first.click(timeout=2000)
    expect(page).to_have_url(page.base_url + href)  # type: ignore[attr-defined]


def test_desktop_layout_shows_the_module_navigation(cast: Any, page: Page, login: Any) -> None:
    login("admin")
    settings_link = page.locator("nav.modules").get_by_role("link", name=tr("Settings"))
    expect(settings_link).to_be_visible(timeout=2000)
    settings_link.click()
    expect(page.locator("main h1")).to_have_text(tr("Settings"))


# --- 12. content security policy ------------------------------------------------------------
def test_csp_header_is_strict_and_pages_raise_no_console_errors(cast: Any, page: Page, login: Any) -> None:
    login("admin")
    response = page.goto(page.base_url + "/")  # type: ignore[attr-defined]
    assert response is not None and response.status == 200
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for path in (
        "/settings/",
        "/settings/users/",
        "/settings/teams/",
        "/settings/roles/",
        "/settings/audit/",
        "/settings/account/",
        "/settings/account/tokens/",
        "/settings/two-factor/",
        "/search/?q=a",
    ):
        response = page.goto(page.base_url + path)  # type: ignore[attr-defined]
        assert response is not None and response.status == 200, path
    # htmx runs (the CSP allows our own scripts): the search box fetches its dropdown.
    page.locator("header.topbar input[name=q]").fill("admin")
    expect(page.locator("#search-dropdown a").first).to_be_visible()
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_inline_script_is_blocked_by_the_csp(cast: Any, page: Page, login: Any) -> None:
    """The check above can fail: a CSP violation does show up among the console errors."""
    login("admin")
    with page.expect_console_message(lambda m: m.type == "error" and "Content Security Policy" in m.text):
        page.evaluate("""() => { const s = document.createElement('script');
                                s.textContent = 'window.__inline = 1'; document.body.appendChild(s); }""")
    assert page.evaluate("window.__inline") is None
    assert any("Content Security Policy" in error for error in page.console_errors)  # type: ignore[attr-defined]


# --- job cancellation: the starter's button on the job page -------------------------------------
def test_starter_cancels_a_queued_job_from_its_page(cast: Any, page: Page, login: Any) -> None:
    from velinimet.core.models import AuditEntry, Job

    job = Job.objects.create(kind="core.audit_export", title="Dışa aktarım", started_by=cast.rep_ist)
    login("rep_ist")
    page.goto(f"{page.base_url}/jobs/{job.pk}/")  # type: ignore[attr-defined]
    page.once("dialog", lambda dialog: dialog.accept())  # "Cancel this job?"
    page.get_by_role("button", name=tr("Cancel the job")).click()
    expect(page.locator("#job-cancelled")).to_contain_text(tr("The job was cancelled."))
    expect(page.locator("#job-progress .badge")).to_have_text(tr("Cancelled"))
    expect(page.get_by_role("button", name=tr("Cancel the job"))).to_have_count(0)
    job.refresh_from_db()
    assert job.state == Job.State.CANCELLED
    assert AuditEntry.objects.filter(object_id=str(job.pk), code="core.job.cancelled", actor=cast.rep_ist).exists()
