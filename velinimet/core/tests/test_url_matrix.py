"""Every URL and every API operation × anonymous and every default role: login or 401, 403/404 without the
right, 2xx/3xx with it, for reads and writes. The table is every app's ``tests/url_rows.py``
(``url_matrix.all_rows()``); the rule is ``oracle``. The world is built once for the module (``module_db``)
and each request runs in its own savepoint."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from velinimet.core.tests.module_db import module_data
from velinimet.core.tests.oracle import allowed
from velinimet.core.tests.url_matrix import Row, all_rows, call, is_api
from velinimet.core.tests.url_world import ROLE_SLUGS, World, build_world

pytestmark = pytest.mark.django_db
ROWS = all_rows()


def url_names(resolver: URLResolver | None = None, namespace: str = "") -> Iterator[tuple[str | None, str]]:
    """(name with its namespaces, route) of every URL pattern, through every include."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            for name, route in url_names(pattern, inner):
                yield name, str(pattern.pattern) + route
        elif isinstance(pattern, URLPattern):
            yield (f"{namespace}{pattern.name}" if pattern.name else None), str(pattern.pattern)


def schema_operations() -> list[tuple[str, str]]:
    """(path, METHOD) of every operation in the OpenAPI schema, as drf-spectacular generates it."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [(path, method.upper()) for path, ops in schema["paths"].items() for method in ops]


def _resolve_schema_path(path: str) -> str:
    """The URL name behind a schema path such as ``/api/v1/people/{id}/``."""
    for sample in ("1", "00000000-0000-4000-8000-000000000000"):
        try:
            return resolve(re.sub(r"\{[^}]+\}", sample, path)).view_name
        except Exception:  # noqa: BLE001  (a uuid route does not take "1": try the next sample)
            continue
    raise AssertionError(f"{path}: no URL pattern resolves it")


def test_every_url_has_a_row() -> None:
    """A new URL without a row in its app's tests/url_rows.py fails here, so the matrix cannot fall behind."""
    unnamed = sorted(route for name, route in url_names() if name is None)
    assert not unnamed, f"name these URL patterns (app:entity_action): {unnamed}"
    missing = sorted({name for name, _route in url_names()} - set(ROWS))
    assert not missing, f"add rows for these URL names to their app's tests/url_rows.py: {missing}"
    stale = sorted(set(ROWS) - {name for name, _route in url_names()})
    assert not stale, f"these ROWS name no URL any more: {stale}"


def test_every_api_operation_has_a_row() -> None:
    missing = []
    for path, method in schema_operations():
        name = _resolve_schema_path(path)
        if name not in ROWS or method not in ROWS[name].methods:
            missing.append(f"{method} {path} ({name})")
    assert not missing, f"add these API operations to their app's tests/url_rows.py: {missing}"


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    with module_data(django_db_blocker):
        built = build_world()
        yield built
        built.remove_files()


CASES = [(name, method) for name, row in ROWS.items() for method in row.methods]
CASE_IDS = [f"{name} {method}" for name, method in CASES]


@contextmanager
def rolled_back() -> Iterator[None]:
    """Undo what one request wrote, so that the next caller finds the world as built."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def wrong_answer(world: World, name: str, method: str, role: str | None) -> str | None:
    """What is wrong with the answer ``role`` (None: anonymous) gets, or None when it is right."""
    row: Row = ROWS[name]
    with rolled_back():
        response = call(world, name, method, world.users[role] if role else None)
    status = response.status_code
    if role is None and not row.public:
        if is_api(name):
            return None if status == 401 else f"anonymous: {status}, not 401"
        location = response.get("Location", "")
        if status == 302 and location.startswith(reverse("accounts:login")):
            return None
        return f"anonymous: {status} {location}, not a redirect to the login page"
    if row.public or allowed(role or "", row.methods[method].needs):
        if 200 <= status < 400:
            return None
        return f"{role}: {status}, not 2xx/3xx: {getattr(response, 'content', b'')[:200]!r}"
    return None if status in (403, 404) else f"{role}: {status}, not 403/404 (the role lacks a right the row needs)"


@pytest.mark.parametrize(("name", "method"), CASES, ids=CASE_IDS)
def test_url_answers_anonymous_and_every_role_as_their_rights_allow(world: World, name: str, method: str) -> None:
    """One test per URL and method, each caller in its own savepoint: a test per caller costs more in
    pytest's set-up than the request itself."""
    answers = [wrong_answer(world, name, method, role) for role in (None, *ROLE_SLUGS)]
    assert not [a for a in answers if a], f"{method} {name}:\n" + "\n".join(a for a in answers if a)


FOREIGN = [(name, next(iter(row.methods))) for name, row in ROWS.items() if row.foreign]


@pytest.mark.parametrize(("name", "method"), FOREIGN, ids=[f"{n} {m}" for n, m in FOREIGN])
def test_another_users_own_record_is_not_found(world: World, name: str, method: str) -> None:
    """Tokens, saved views and screen-pops belong to one user: nobody else reaches them, not even an administrator."""
    for role in ROLE_SLUGS:
        with rolled_back():
            status = call(world, name, method, world.users[role], foreign=True).status_code
        assert status == 404, (role, status)
