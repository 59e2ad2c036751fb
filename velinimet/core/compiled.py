"""Querysets compiled to SQL once and run again with other values: for reads on every request.

Building and compiling a queryset costs more than running it when the statement is a primary-key or
unique-index read (the caller card, API token authentication: 0.3–1 ms of Python each against
0.1 ms in the engine). ``compiled()`` keeps the ORM as the author of the SQL, and of visibility,
which ``restrict()`` still decides, but compiles it once per key: the queryset is built with marker
values in place of the per-request ones (``text_marker``/``int_marker``) and the markers' positions
among the parameters are remembered. Rows come back through the same converters Django applies
(datetimes on SQLite, JSON, booleans).

The key must name everything else the SQL depends on, e.g. the visibility filter ``restriction()``
returns (it holds the owner and team ids read in this request): a changed role or team tree then
makes a new key, so an entry can go unused, never stale. A marker must reach the database as it is
(``=``, ``IN``): a lookup that rewrites its value (``startswith`` sends ``marker%``) is refused when
compiled.

On PostgreSQL these statements go through ``prepared_cursor()``: parameters sent apart from the SQL,
and the statement prepared on its connection, so the server plans it once per connection instead of on
every request (planning was 0.4 ms of each 0.5 ms read). Only these: a search's plan depends on its
words, and a generic plan for it would be worse. ``VELINIMET_DB_PREPARE=off`` turns it off for a pooler
that cannot keep prepared statements.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models import QuerySet

_MAX_ENTRIES = 2000


@functools.cache
def prepared_cursor_class() -> type[Any]:
    """psycopg's server-side binding cursor (as Django's) that prepares every statement it runs."""
    from django.db.backends.postgresql.base import ServerBindingCursor  # type: ignore[attr-defined]

    class PreparedCursor(ServerBindingCursor):  # type: ignore[misc,valid-type]
        def execute(self, query: Any, params: Any = None, *, prepare: bool | None = None, binary: Any = None) -> Any:
            return super().execute(query, params, prepare=True, binary=binary)  # type: ignore[misc]

    return PreparedCursor


@contextlib.contextmanager
def prepared_cursor() -> Iterator[Any]:
    """A cursor of the default connection whose statements PostgreSQL plans once per connection.

    Django's own wrapper is kept around it (``execute_wrapper``s, query logging, error translation);
    elsewhere, or with ``VELINIMET_DB_PREPARE=off``, it is a plain ``connection.cursor()``.
    """
    if connection.vendor != "postgresql" or not settings.DB_PREPARE_HOT_READS:
        with connection.cursor() as cursor:
            yield cursor
        return
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        raw = prepared_cursor_class()(connection.connection)
    with connection._prepare_cursor(raw) as cursor:  # type: ignore[attr-defined]  # Django's wrapper
        yield cursor


def text_marker(i: int) -> str:
    """A text value no request sends, standing for the ``i``-th value of a compiled query."""
    return f"\x00compiled-slot-{i}"


def int_marker(i: int) -> int:
    """An integer no primary key takes, standing for the ``i``-th value of a compiled query."""
    return -(2**62) - i


@dataclass(frozen=True)
class CompiledQuery:
    sql: str | None  # None: the query can match no row (e.g. the user may read none of these records)
    params: tuple[Any, ...] = ()
    slots: tuple[tuple[int, int], ...] = ()  # (position among the parameters, index of the value)
    compiler: Any = None
    converters: dict[int, Any] = field(default_factory=dict)

    def rows(self, *values: Any) -> list[Any]:
        """Tuples, as ``values_list`` gives them, for ``values`` in the markers' order."""
        if self.sql is None:
            return []
        params = list(self.params)
        for at, i in self.slots:
            params[at] = values[i]
        with prepared_cursor() as cursor:
            cursor.execute(self.sql, params)
            rows: list[Any] = cursor.fetchall()
        if self.converters:
            rows = [tuple(row) for row in self.compiler.apply_converters(rows, self.converters)]
        return rows

    def first(self, *values: Any) -> Any:
        rows = self.rows(*values)
        return rows[0] if rows else None


def compile_queryset(queryset: QuerySet[Any], markers: Sequence[Any]) -> CompiledQuery:
    """``queryset`` (built with ``markers`` where the values go) as SQL to run again."""
    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return CompiledQuery(None)
    slots = []
    for at, param in enumerate(params):
        for i, marker in enumerate(markers):
            if type(param) is type(marker) and param == marker:
                slots.append((at, i))
    missing = set(range(len(markers))) - {i for _at, i in slots}
    if missing:
        raise ValueError(f"markers {sorted(missing)} are not parameters of the compiled query")
    converters = compiler.get_converters([col for col, _sql, _alias in compiler.select[: compiler.col_count]])
    return CompiledQuery(sql, tuple(params), tuple(slots), compiler, converters)


_CACHE: dict[Hashable, CompiledQuery] = {}


def first_of(queries: Sequence[CompiledQuery]) -> CompiledQuery:
    """One statement giving the first row of the first of ``queries`` that has one, preceded by that
    query's position; the queries take the same values. Their columns must match in number and type,
    and need no converters."""
    if any(query.converters for query in queries):
        raise ValueError("first_of() takes queries whose columns need no converters")
    branches: list[str] = []
    params: list[Any] = []
    slots: list[tuple[int, int]] = []
    for position, query in enumerate(queries):
        if query.sql is None:
            continue
        branches.append(f"SELECT {position}, q{position}.* FROM ({query.sql}) q{position}")  # noqa: S608 - ORM SQL
        slots.extend((len(params) + at, i) for at, i in query.slots)
        params.extend(query.params)
    if not branches:
        return CompiledQuery(None)
    return CompiledQuery(" UNION ALL ".join(branches) + " ORDER BY 1 LIMIT 1", tuple(params), tuple(slots))


def cached(key: Hashable, make: Callable[[], CompiledQuery]) -> CompiledQuery:
    """``make()``, once per ``key`` (see the module's docstring)."""
    found = _CACHE.get(key)
    if found is None:
        if len(_CACHE) >= _MAX_ENTRIES:
            _CACHE.clear()
        found = _CACHE[key] = make()
    return found


def compiled(key: Hashable, build: Callable[..., QuerySet[Any]], markers: Sequence[Any]) -> CompiledQuery:
    """The query ``build(*markers)`` makes, compiled once per ``key`` (see the module's docstring)."""
    return cached(key, lambda: compile_queryset(build(*markers), markers))


def instance(model: type[models.Model], fields: Sequence[str], values: Sequence[Any]) -> Any:
    """A ``model`` instance from column values read in ``fields`` order (others load when read)."""
    return model.from_db(connection.alias, list(fields), list(values))


def concrete_fields(model: type[models.Model], wanted: Sequence[str] | None = None) -> list[str]:
    """Attribute names of ``model``'s columns (all, or those in ``wanted``) in the model's field order,
    the order ``Model.from_db`` assigns values in."""
    return [f.attname for f in model._meta.concrete_fields if wanted is None or f.attname in wanted]
