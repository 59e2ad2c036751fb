"""Every URL and every API operation × anonymous and every default role: login or 401, 403/404 without the
right, 2xx/3xx with it, for reads and writes. The table is ``url_matrix.ROWS``; the rule is ``oracle``.

The world is built once for the module (``module_db``) and each request runs in its own savepoint."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from rest_framework.test import APIClient

from velinimet.core.tests.module_db import module_data
from velinimet.core.tests.oracle import allowed
from velinimet.core.tests.url_matrix import ROLE_SLUGS, ROWS, Row, World, build_world

pytestmark = pytest.mark.django_db


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
    """A new URL without a row in url_matrix.ROWS fails here, so the matrix cannot fall behind."""
    unnamed = sorted(route for name, route in url_names() if name is None)
    assert not unnamed, f"name these URL patterns (app:entity_action): {unnamed}"
    missing = sorted({name for name, _route in url_names()} - set(ROWS))
    assert not missing, f"add these URL names to velinimet/core/tests/url_matrix.py ROWS: {missing}"
    stale = sorted(set(ROWS) - {name for name, _route in url_names()})
    assert not stale, f"these ROWS name no URL any more: {stale}"


def test_every_api_operation_has_a_row() -> None:
    missing = []
    for path, method in schema_operations():
        name = _resolve_schema_path(path)
        if name not in ROWS or method not in ROWS[name].methods:
            missing.append(f"{method} {path} ({name})")
    assert not missing, f"add these API operations to velinimet/core/tests/url_matrix.py ROWS: {missing}"


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    with module_data(django_db_blocker):
        built = build_world()
        yield built
        built.remove_files()


def _is_api(name: str) -> bool:
    return ":" not in name


def _client(world: World, name: str, user: Any) -> Any:
    if _is_api(name):
        api = APIClient()
        if user is not None:
            api.credentials(HTTP_AUTHORIZATION=f"Token {world.keys[user.pk]}")
        return api
    client = Client()
    if user is not None:  # the session made once for the module; a logout in one test cannot end it for the next
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[user.pk]
    return client


def call(world: World, name: str, method: str, user: Any, *, foreign: bool = False) -> Any:
    """Send ``method`` to URL ``name`` as ``user`` (None: anonymous) with the row's sample arguments."""
    row = ROWS[name]
    op = row.methods[method]
    actor = user or world.users["administrator"]
    builder = row.foreign if foreign and row.foreign else (op.kwargs or row.kwargs)
    url = reverse(name, kwargs=builder(world, actor) or None)
    data = op.data(world, actor)
    client = _client(world, name, user)
    if method == "GET":
        return client.get(url, data)
    if _is_api(name):
        return client.generic(method, url, **_api_body(client, data, op.multipart))
    return client.post(url, data)


def _api_body(client: APIClient, data: dict[str, Any], multipart: bool) -> dict[str, Any]:
    encoded, content_type = client._encode_data(data, "multipart" if multipart else "json")  # type: ignore[attr-defined]
    return {"data": encoded, "content_type": content_type}


CASES = [(name, method) for name, row in ROWS.items() for method in row.methods]
CASE_IDS = [f"{name} {method}" for name, method in CASES]


@pytest.mark.parametrize(("name", "method"), CASES, ids=CASE_IDS)
def test_anonymous_is_sent_to_login_or_gets_401(world: World, name: str, method: str) -> None:
    response = call(world, name, method, None)
    if ROWS[name].public:
        assert response.status_code < 400, (name, method, response.status_code)
    elif _is_api(name):
        assert response.status_code == 401, (name, method, response.status_code)
    else:
        assert response.status_code == 302, (name, method, response.status_code)
        assert response["Location"].startswith(reverse("accounts:login")), response["Location"]


@pytest.mark.parametrize("role", ROLE_SLUGS)
@pytest.mark.parametrize(("name", "method"), CASES, ids=CASE_IDS)
def test_role_gets_what_its_rights_allow(world: World, name: str, method: str, role: str) -> None:
    row: Row = ROWS[name]
    response = call(world, name, method, world.users[role])
    status = response.status_code
    body = getattr(response, "content", b"")[:300]
    if row.public or allowed(role, row.methods[method].needs):
        assert 200 <= status < 400, (name, method, role, status, body)
    else:
        assert status in (403, 404), (name, method, role, status, body)


FOREIGN = [(name, next(iter(row.methods))) for name, row in ROWS.items() if row.foreign]


@pytest.mark.parametrize("role", ROLE_SLUGS)
@pytest.mark.parametrize(("name", "method"), FOREIGN, ids=[f"{n} {m}" for n, m in FOREIGN])
def test_another_users_own_record_is_not_found(world: World, name: str, method: str, role: str) -> None:
    """Tokens, saved views and screen-pops belong to one user: nobody else reaches them, not even an administrator."""
    assert call(world, name, method, world.users[role], foreign=True).status_code == 404
