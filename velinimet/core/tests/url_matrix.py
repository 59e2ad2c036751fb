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

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

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
