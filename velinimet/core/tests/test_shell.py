"""The application shell: security headers, no external hosts, navigation, search, audit log, catalogues."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from velinimet.core.models import AuditEntry
from velinimet.customers.models import Person

PAGES = [
    "/",
    "/settings/",
    "/settings/users/",
    "/settings/teams/",
    "/settings/roles/",
    "/settings/audit/",
    "/settings/account/",
    "/settings/account/tokens/",
    "/settings/two-factor/",
    "/search/?q=a",
]


@pytest.mark.django_db
def test_strict_csp_and_security_headers(cast: Any) -> None:
    client = Client()
    client.force_login(cast.admin)
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_pages_reference_no_external_host_and_no_inline_script_or_style(cast: Any, path: str) -> None:
    client = Client()
    client.force_login(cast.admin)
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"""(src|href|action)=["']?(https?:)?//""", html), "external reference"
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert "<style" not in html and " style=" not in html, "inline style"
    assert 'lang="tr"' in html


@pytest.mark.django_db
def test_navigation_shows_only_what_the_user_may_use(cast: Any) -> None:
    client = Client()
    client.force_login(cast.admin)
    admin_html = client.get("/").content.decode()
    assert 'href="/settings/"' in admin_html
    client.force_login(cast.reader)
    assert client.get("/settings/roles/").status_code == 403
    assert client.get("/settings/audit/").status_code == 403


@pytest.mark.django_db
def test_global_search_finds_users_with_turkish_folding(cast: Any) -> None:
    from velinimet.accounts.models import User

    User.objects.create(username="sukru", first_name="Şükrü", last_name="Öztürk", team=cast.istanbul)
    User.objects.create(username="isik", first_name="Işık", last_name="Doğan", team=cast.baku)
    client = Client()
    client.force_login(cast.admin)
    for query, name in [
        ("sukru", "Şükrü Öztürk"),
        ("ŞÜKRÜ", "Şükrü Öztürk"),
        ("ISIK", "Işık Doğan"),
        ("ozt", "Şükrü Öztürk"),
    ]:
        html = client.get("/search/", {"q": query}, HTTP_HX_REQUEST="true").content.decode()
        assert name in html, query
    client.force_login(cast.rep_ist)  # reps see their own team only
    html = client.get("/search/", {"q": "isik"}).content.decode()
    assert "Işık Doğan" not in html


@pytest.mark.django_db
def test_audit_log_records_old_and_new_values_and_filters(cast: Any) -> None:
    from velinimet.accounts import services

    services.team_update(actor=cast.admin, team=cast.baku, name="Bakı Ofisi")
    entry = AuditEntry.objects.filter(content_type__model="team", action="update").latest("at")
    assert entry.changes == {"name": ["Bakı", "Bakı Ofisi"]}
    assert entry.actor_name == "admin"
    client = Client()
    client.force_login(cast.admin)
    html = client.get("/settings/audit/", {"action": "update", "record_type": "accounts.team"}).content.decode()
    assert "Bakı Ofisi" in html
    none = client.get("/settings/audit/", {"actor": "rep_ist", "action": "update"}).content.decode()
    assert "Bakı Ofisi" not in none
    bad = client.get("/settings/audit/", {"since": "2026-12-01", "until": "2026-01-01"})
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()


@pytest.mark.django_db
def test_oversized_form_post_is_refused(cast: Any, settings: Any) -> None:
    settings.MAX_REQUEST_BODY = 500
    client = Client()
    client.force_login(cast.admin)
    response = client.post("/settings/teams/new/", {"name": "x" * 1000})
    assert response.status_code == 413


def test_catalogues_are_complete_and_compiled() -> None:
    """Every msgid has a translation in tr, en and az, nothing is fuzzy, and each .mo is newer than its .po."""
    from django.utils.translation import trans_real  # noqa: F401  (the catalogues load through Django)

    locale = Path(settings.LOCALE_PATHS[0])
    for lang in ("tr", "en", "az"):
        po = locale / lang / "LC_MESSAGES" / "django.po"
        mo = po.with_suffix(".mo")
        assert mo.exists(), f"{mo} missing: run make messages"
        text = po.read_text(encoding="utf-8")
        assert "#, fuzzy" not in text.split("\n\n", 1)[1], f"fuzzy entries in {po}"
        for block in text.split("\n\n")[1:]:
            if "msgid" not in block:
                continue
            strs = re.findall(r'^msgstr(?:\[\d\])? "(.*)"\n?((?:".*"\n?)*)', block, re.M)
            assert strs and all(first or rest.strip() for first, rest in strs), f"untranslated in {lang}: {block[:120]}"


def test_translations_keep_every_placeholder() -> None:
    """A translation that renames %(name)s crashes at run time (KeyError); msgfmt alone does not catch it."""
    from django.utils.translation import trans_real

    placeholder = re.compile(r"%\(\w+\)[sd]")
    catalog_ids = set()
    for lang in ("tr", "az"):
        catalog = trans_real.translation(lang)._catalog  # merged catalogue, ours included
        for key, value in catalog.items():
            msgid = key[0] if isinstance(key, tuple) else key
            if not msgid or not isinstance(value, str):
                continue
            if placeholder.search(msgid) or placeholder.search(value):
                catalog_ids.add(msgid)
                assert sorted(placeholder.findall(msgid)) == sorted(placeholder.findall(value)) or (
                    isinstance(key, tuple)  # plural forms may drop the count in the singular
                ), f"{lang}: {msgid!r} -> {value!r}"
    assert catalog_ids


def test_templates_use_no_untranslated_visible_text() -> None:
    """A crude guard: headings and buttons in templates go through {% translate %} or a variable."""
    root = Path(settings.BASE_DIR)
    offenders = []
    for template in root.glob("*/templates/**/*.html"):
        if template.name in {"500.html"}:
            continue
        for tag in re.findall(r"<(h1|h2|button|th)[^>]*>([^<{]*[A-Za-z]{3,}[^<{]*)</\1>", template.read_text()):
            if tag[1].strip() != "Velinimet":  # the brand is not translated
                offenders.append(f"{template.name}: {tag[1].strip()}")
    assert offenders == []


@pytest.mark.django_db
def test_audit_log_speaks_the_readers_language(cast: Any) -> None:
    """Services store notes and field names once, in English; the page shows them in the reader's language."""
    from django.utils import translation
    from django.utils.translation import gettext

    from velinimet.customers import services

    person = services.person_create(actor=cast.admin, first_name="Nermin", force=True)
    services.records_assign(actor=cast.admin, records=[person], owner=cast.rep_baku)
    cast.admin.language = "az"
    cast.admin.save()
    client = Client()
    client.force_login(cast.admin)
    html = client.get("/settings/audit/", {"record_type": "customers.person", "action": "update"}).content.decode()
    with translation.override("az"):
        assert gettext("assigned in bulk") in html and gettext("assigned in bulk") != "assigned in bulk"
        assert str(Person._meta.get_field("owner").verbose_name) in html
    assert "bulk assign" not in html and "<code>owner</code>" not in html
