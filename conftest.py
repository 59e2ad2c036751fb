"""Fixtures for the whole suite: the cast of users, API clients, and a real headless Chromium."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

# The suite runs on a shared 2-core machine: wall-clock health checks and deadlines measure the machine's load,
# not the code under test, so they are off; example counts stay as each test sets them.
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

hypothesis_settings.register_profile("velinimet", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("velinimet")

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from tests are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("VELINIMET_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
PASSWORD = "Velinimet-test-2026!"
_PASSWORD_HASH: list[str] = []


def password_hash() -> str:
    """PASSWORD hashed once with the real (Argon2) hasher and reused: hashing per user costs ~0.1 s."""
    if not _PASSWORD_HASH:
        from django.contrib.auth.hashers import make_password

        _PASSWORD_HASH.append(make_password(PASSWORD))
    return _PASSWORD_HASH[0]


@pytest.fixture(autouse=True, scope="session")
def _immediate_tasks() -> Iterator[None]:
    """Tasks run synchronously in tests (the real consumer is tested separately)."""
    from huey.contrib.djhuey import HUEY

    previous = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = previous


@pytest.fixture(autouse=True)
def _clean_state(settings: Any, tmp_path: Any) -> None:
    settings.EXPORT_DIR = tmp_path / "exports"
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def registered() -> Iterator[Any]:
    """``registered("core.audit_actions", AuditAction(...))`` registers an item for one test only."""
    from velinimet.core.registry import registry

    added: list[tuple[str, str]] = []

    def register(store: str, item: Any) -> Any:
        registry.register(store, item)
        added.append((store, registry[store]._key(item)))
        return item

    yield register
    for store, key in added:
        registry[store].unregister(key)


class Cast:
    """The users every test can rely on: an administrator, a manager over two teams, two reps in
    different sub-teams, and a read-only user in the first sub-team."""

    def __init__(self) -> None:
        from velinimet.accounts.models import Role, Team, User
        from velinimet.accounts.roles import ensure_default_roles

        ensure_default_roles()
        self.sales = Team.objects.create(name="Satış")
        self.istanbul = Team.objects.create(name="İstanbul", parent=self.sales)
        self.baku = Team.objects.create(name="Bakı", parent=self.sales)

        def make(username: str, role: str, team: Team, **extra: Any) -> User:
            user = User(
                username=username,
                first_name=username.capitalize(),
                role=Role.objects.get(slug=role),
                team=team,
                **extra,
            )
            user.password = password_hash()
            user.save()
            return user

        self.admin = make("admin", "administrator", self.sales)
        self.manager = make("manager", "sales_manager", self.sales)
        self.rep_ist = make("rep_ist", "sales_rep", self.istanbul)
        self.rep_baku = make("rep_baku", "sales_rep", self.baku, language="az", time_zone="Asia/Baku")
        self.reader = make("reader", "read_only", self.istanbul)

    @property
    def everyone(self) -> list[Any]:
        return [self.admin, self.manager, self.rep_ist, self.rep_baku, self.reader]


@pytest.fixture
def cast(db: Any) -> Cast:
    return Cast()


@pytest.fixture
def api(cast: Cast) -> Any:
    """``api(user)`` gives a DRF client authenticated as ``user`` with a real API token."""
    from rest_framework.test import APIClient

    from velinimet.accounts.services import token_create

    def client_for(user: Any = None) -> APIClient:
        client = APIClient()
        if user is not None:
            _token, key = token_create(actor=user, user=user, name="test")
            client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return client_for


# --- real browser ---------------------------------------------------------------------------
@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any, live_server: Any) -> Iterator[Any]:
    context = chromium.new_context(locale="tr-TR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base_url = live_server.url  # type: ignore[attr-defined]
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()


@pytest.fixture
def login(page: Any) -> Any:
    def do_login(username: str, password: str = PASSWORD) -> Any:
        page.goto(page.base_url + "/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("form button[type=submit]")
        return page

    return do_login
