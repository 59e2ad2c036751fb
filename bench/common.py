"""What every benchmark shares: percentiles, the SQL the app issues, and the raw engine replaying it.

The raw side never guesses the app's SQL: each operation runs once under ``capture()``, which records
every statement (SQL and parameters exactly as Django hands them to the driver), and ``RawEngine``
then times those same statements through a bare ``sqlite3`` / ``psycopg`` connection of its own.
The ratio app / raw is therefore the cost of everything above the engine: Python, the ORM, DRF,
templates, middleware.
"""

from __future__ import annotations

import contextlib
import re
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

FORMAT_QMARK = re.compile(r"(?<!%)%s")


def percentile(samples: list[float], pct: float) -> float:
    """Nearest-rank percentile (p50 of 1..100 is 50, p99 is 99)."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary(samples_ms: list[float]) -> dict[str, float]:
    """n, p50, p95, p99, max and mean of samples in milliseconds (rounded for small JSON files)."""
    if not samples_ms:
        return {"n": 0}
    return {
        "n": len(samples_ms),
        "p50": round(statistics.median(samples_ms), 3),
        "p95": round(percentile(samples_ms, 95), 3),
        "p99": round(percentile(samples_ms, 99), 3),
        "max": round(max(samples_ms), 3),
        "mean": round(statistics.fmean(samples_ms), 3),
    }


def timed_ms(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter_ns()
    result = fn()
    return (time.perf_counter_ns() - started) / 1e6, result


@dataclass
class Statement:
    sql: str
    params: Any
    many: bool
    prepared: bool = False  # sent as a prepared statement (``core.compiled.prepared_cursor``)

    @property
    def is_read(self) -> bool:
        return self.sql.lstrip().upper().startswith(("SELECT", "WITH")) and not self.many


@dataclass
class Captured:
    statements: list[Statement] = field(default_factory=list)

    @property
    def reads(self) -> list[Statement]:
        return [s for s in self.statements if s.is_read]

    @property
    def writes(self) -> list[Statement]:
        return [s for s in self.statements if not s.is_read]


@contextlib.contextmanager
def capture() -> Iterator[Captured]:
    """Record every statement the default connection sends to the driver while the block runs."""
    from django.db import connection

    captured = Captured()

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        prepared = type(context["cursor"].cursor).__name__ == "PreparedCursor"  # core.compiled.prepared_cursor
        captured.statements.append(Statement(sql, params, many, prepared))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield captured


class RawEngine:
    """A bare driver connection to the same database, replaying statements Django captured."""

    def __init__(self, vendor: str, target: str) -> None:
        self.vendor = vendor
        if vendor == "sqlite":
            import sqlite3

            self.conn: Any = sqlite3.connect(target, isolation_level=None, check_same_thread=False)
            self.conn.execute("PRAGMA busy_timeout=5000")
        else:
            import psycopg

            # Django's PostgreSQL backend binds parameters on the client (ClientCursor); the reads the
            # app prepares (``core.compiled.prepared_cursor``) are replayed prepared too.
            self.conn = psycopg.connect(target, autocommit=True, cursor_factory=psycopg.ClientCursor)
            self.prepared_cursor = psycopg.Cursor(self.conn)
            self.conn.execute("SET TIME ZONE 'UTC'")

    def close(self) -> None:
        self.conn.close()

    def _native(self, stmt: Statement) -> tuple[str, Any]:
        if self.vendor == "sqlite":
            if stmt.params is None:
                return stmt.sql, ()
            return FORMAT_QMARK.sub("?", stmt.sql).replace("%%", "%"), tuple(stmt.params)
        return stmt.sql, stmt.params

    def run(self, statements: list[Statement]) -> int:
        """Execute and fetch every statement; returns the rows fetched."""
        rows = 0
        cur = self.conn.cursor()
        try:
            for stmt in statements:
                sql, params = self._native(stmt)
                if stmt.prepared and self.vendor != "sqlite":
                    self.prepared_cursor.execute(sql, params, prepare=True)
                    rows += len(self.prepared_cursor.fetchall())
                    continue
                cur.execute(sql, params)
                rows += len(cur.fetchall())
        finally:
            cur.close()
        return rows

    def time_ms(self, statements: list[Statement]) -> float:
        return timed_ms(lambda: self.run(statements))[0]

    def execute(self, sql: str, params: Any = ()) -> list[Any]:
        if self.vendor == "sqlite":
            sql = FORMAT_QMARK.sub("?", sql)
        cur = self.conn.cursor()
        try:
            cur.execute(sql, params)
            return cur.fetchall() if cur.description else []
        finally:
            cur.close()

    def explain(self, stmt: Statement) -> str:
        sql, params = self._native(stmt)
        prefix = "EXPLAIN QUERY PLAN " if self.vendor == "sqlite" else "EXPLAIN "
        cur = self.conn.cursor()
        try:
            cur.execute(prefix + sql, params)
            rows = cur.fetchall()
        finally:
            cur.close()
        if self.vendor == "sqlite":
            return "; ".join(str(r[-1]) for r in rows)
        return "; ".join(str(r[0]).strip() for r in rows)


def compare(app: list[float], raw: list[float]) -> dict[str, Any]:
    """App and raw summaries side by side, with the ratio of their medians and of their p95s."""
    a, r = summary(app), summary(raw)
    ratio = {}
    for key in ("p50", "p95", "p99"):
        if a.get(key) and r.get(key):
            ratio[key] = round(a[key] / r[key], 1) if r[key] > 0 else None
    return {"app": a, "raw": r, "ratio": ratio}


def run_interleaved(
    items: list[Any],
    app_call: Callable[[Any], Any],
    raw: RawEngine,
    *,
    rounds: int = 1,
    budget_s: float | None = None,
    min_samples: int = 20,
    warmup: int = 20,
) -> tuple[list[float], list[float], list[Captured]]:
    """Time each item in the app, capturing its SQL as it runs, then the raw engine on that same SQL.

    Alternating keeps the two sides under the same noise on a shared 2-core machine. Capturing costs
    a list append per statement (microseconds against milliseconds). The first ``warmup`` items run
    once untimed. With ``budget_s`` the timed loop stops early once it has ``min_samples`` and the
    budget is spent.
    """
    for item in items[:warmup]:
        app_call(item)
    captures: list[Captured] = []
    app_ms: list[float] = []
    raw_ms: list[float] = []
    started = time.monotonic()
    for round_no in range(rounds):
        for i, item in enumerate(items):
            with capture() as cap:
                app_ms.append(timed_ms(lambda item=item: app_call(item))[0])
            if round_no == 0:
                captures.append(cap)
            raw_ms.append(raw.time_ms(captures[i].reads))
            if budget_s and len(app_ms) >= min_samples and time.monotonic() - started > budget_s:
                return app_ms, raw_ms, captures
    return app_ms, raw_ms, captures


def short_sql(sql: str, size: int = 400) -> str:
    """The part of a statement worth reading: the column list of a SELECT is cut to ``SELECT …``."""
    at = sql.find(" FROM ")
    head = sql[:at] if at > 0 else ""
    if head.upper().startswith("SELECT") and len(head) > 60:
        sql = "SELECT … " + sql[at + 1 :]
    return sql[:size]


def fmt_ms(value: Any) -> str:
    if value is None or value != value:  # NaN
        return "-"
    return f"{value:.2f}" if value < 100 else f"{value:.0f}"
