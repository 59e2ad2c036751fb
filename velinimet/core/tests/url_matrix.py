"""The permission matrix keyed by URL: one row per URL name (``app:entity_action`` for pages, the router's
``basename-action`` for the API), and per HTTP method what the caller must hold.

Each app keeps its rows in ``velinimet/<app>/tests/url_rows.py`` (a dict ``ROWS``); ``all_rows()`` merges
them. ``test_url_matrix.py`` walks Django's URL resolver and the OpenAPI schema and fails when a URL or an
API operation has no row, then checks every row for anonymous callers and for one user of every default
role: anonymous → the login page (HTML) or 401 (API); a role without the rights the row needs → 403 or 404;
a role with them → 2xx or 3xx. What "with them" means is ``oracle.py``'s business, read from the record
types' registered defaults, not from the code under test.

A row's sample arguments are the caller's *own* records (``url_world``: ``world.of(user)``): the user owns
them and they sit in the user's team, so any level from "own records" up reaches them. The world is built
once per module (``module_db``); every request runs in its own savepoint, so writes do not leak.

Give a row the (record type, action) pairs its view checks, and sample data that passes validation, so
that "allowed" means the permission check let the request through, not that a form rejected it.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from velinimet.accounts.models import User
from velinimet.core.tests.url_world import World

Need = tuple[str, str] | tuple[str, str, int]
Builder = Callable[[World, User], dict[str, Any]]


def _nothing(world: World, user: User) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Op:
    """One HTTP method on a URL: the rights it needs and a request body (or query) that is valid.

    ``needs`` lists (record type, action) pairs, optionally with the least level that reaches the sample
    (the oracle's default: own records for a type with an owner, the own team for one with a team, else
    all records). An empty ``needs`` means any logged-in user.
    """

    needs: tuple[Need, ...] = ()
    data: Builder = _nothing
    kwargs: Builder | None = None  # this method's own sample arguments, when the row's do not fit
    multipart: bool = False  # API: send as a form (file uploads); pages always post forms


@dataclass(frozen=True)
class Row:
    """A URL name: how to fill its arguments for a user, and its methods.

    ``foreign`` fills the arguments with another user's record that no role may reach through this URL
    (a call that rang for someone else, their token): every role gets 404.
    """

    kwargs: Builder = _nothing
    methods: dict[str, Op] = field(default_factory=dict)
    foreign: Builder | None = None
    public: bool = False  # anonymous callers may use it too (the login pages): every caller gets 2xx/3xx


def someone_else(world: World, user: User) -> User:
    """Someone who is not ``user`` (for "another user's record")."""
    return world.users["read_only"] if user.pk != world.users["read_only"].pk else world.users["sales_rep"]


ALL = 4  # Level.ALL, spelled out: the oracle does not read core.visibility
GET = Op()


def page(needs: tuple[Need, ...] = (), post: Op | None = None, kwargs: Builder = _nothing, **extra: Any) -> Row:
    """A page that answers GET with ``needs`` and, when given, a POST."""
    methods = {"GET": Op(needs=needs)}
    if post is not None:
        methods["POST"] = post
    return Row(kwargs=kwargs, methods=methods, **extra)


def post_only(op: Op, kwargs: Builder = _nothing, **extra: Any) -> Row:
    return Row(kwargs=kwargs, methods={"POST": op}, **extra)


@functools.cache
def all_rows() -> dict[str, Row]:
    """The rows of every app: ``velinimet/<app>/tests/url_rows.py`` defines ``ROWS``. A URL name in two
    apps' tables is a mistake."""
    from django.apps import apps

    rows: dict[str, Row] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("velinimet."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.url_rows")
        except ModuleNotFoundError as exc:
            if exc.name not in (f"{config.name}.tests", f"{config.name}.tests.url_rows"):
                raise
            continue
        twice = set(rows) & set(module.ROWS)
        assert not twice, f"{config.name}: rows already defined by another app: {sorted(twice)}"
        rows.update(module.ROWS)
    return rows


def is_api(name: str) -> bool:
    return ":" not in name


# One client of each kind for the run: building a client loads the middleware, and WhiteNoise's reads
# the static folder (~40 ms), more than most requests cost.
_PAGES = Client()
_API = APIClient()


def _client(world: World, name: str, user: Any) -> Any:
    if is_api(name):
        _API.credentials(**({"HTTP_AUTHORIZATION": f"Token {world.keys[user.pk]}"} if user is not None else {}))
        return _API
    _PAGES.cookies.clear()
    if user is not None:  # the session made once for the module; a logout in one test cannot end it for the next
        _PAGES.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[user.pk]
    return _PAGES


def call(world: World, name: str, method: str, user: Any, *, foreign: bool = False) -> Any:
    """Send ``method`` to URL ``name`` as ``user`` (None: anonymous) with the row's sample arguments."""
    row = all_rows()[name]
    op = row.methods[method]
    actor = user or world.users["administrator"]
    builder = row.foreign if foreign and row.foreign else (op.kwargs or row.kwargs)
    url = reverse(name, kwargs=builder(world, actor) or None)
    data = op.data(world, actor)
    client = _client(world, name, user)
    if method == "GET":
        return client.get(url, data)
    if is_api(name):
        return client.generic(method, url, **_api_body(client, data, op.multipart))
    return client.post(url, data)


def _api_body(client: APIClient, data: dict[str, Any], multipart: bool) -> dict[str, Any]:
    encoded, content_type = client._encode_data(data, "multipart" if multipart else "json")  # type: ignore[attr-defined]
    return {"data": encoded, "content_type": content_type}
