"""5. Insert rate: the raw engine's executemany of the same person rows into scratch tables.

Two scratch tables: *bare* (the person table's columns, no secondary index) and *same schema* (every
index of ``customers_person`` plus the engine's substring index: FTS5 trigram table and triggers on
SQLite, pg_trgm GIN and text_pattern_ops on PostgreSQL). Rows are the seeded people read back in
batches of 5,000 (untimed); each batch is one executemany + commit (timed), like ``velinimet seed``.
"""

from __future__ import annotations

import re
import time
from typing import Any

from .common import RawEngine

SCRATCH = "bench_scratch_person"
BATCH = 5000


def _sqlite_schema(raw: RawEngine, with_indexes: bool) -> list[str]:
    from velinimet.core.fulltext import fulltext_sql

    rows = raw.execute(
        "SELECT type, sql FROM sqlite_master WHERE tbl_name = 'customers_person' AND sql IS NOT NULL "
        "AND type IN ('table', 'index') ORDER BY type DESC"
    )
    out = []
    for n, (kind, sql) in enumerate(rows):
        sql = sql.replace('"customers_person"', f'"{SCRATCH}"')
        if kind == "index":
            if not with_indexes:
                continue
            sql = re.sub(r'CREATE INDEX "[^"]+"', f'CREATE INDEX "{SCRATCH}_i{n}"', sql)
        out.append(sql)
    if with_indexes:
        out += fulltext_sql("sqlite", SCRATCH)[0]
    return out


def _postgres_schema(with_indexes: bool) -> list[str]:
    including = "INCLUDING DEFAULTS INCLUDING CONSTRAINTS" + (" INCLUDING INDEXES" if with_indexes else "")
    return [f"CREATE TABLE {SCRATCH} (LIKE customers_person {including})"]


def _drop(raw: RawEngine) -> None:
    if raw.vendor == "sqlite":
        raw.execute(f"DROP TABLE IF EXISTS {SCRATCH}_fts")
    raw.execute(f"DROP TABLE IF EXISTS {SCRATCH}")


def _batches(raw: RawEngine, columns: list[str], rows: int) -> Any:
    """Seeded person rows, BATCH at a time, by id (values ready for the driver)."""
    from psycopg.types.json import Jsonb

    select = ", ".join(columns)
    last, done = 0, 0
    while done < rows:
        n = min(BATCH, rows - done)
        got = raw.execute(
            f"SELECT {select} FROM customers_person WHERE id > %s ORDER BY id LIMIT %s",  # noqa: S608
            (last, n),
        )
        if not got:
            return
        if raw.vendor != "sqlite":
            got = [tuple(Jsonb(v) if isinstance(v, dict | list) else v for v in row) for row in got]
        last = got[-1][0]
        done += len(got)
        yield got


def _load(raw: RawEngine, schema: list[str], rows: int) -> dict[str, Any]:
    _drop(raw)
    for sql in schema:
        raw.execute(sql)
    cols = _columns(raw)
    placeholders = ", ".join(["%s"] * len(cols))
    insert = f"INSERT INTO {SCRATCH} ({', '.join(cols)}) VALUES ({placeholders})"  # noqa: S608
    if raw.vendor == "sqlite":
        insert = insert.replace("%s", "?")
    spent = 0.0
    inserted = 0
    for batch in _batches(raw, cols, rows):
        started = time.perf_counter()
        if raw.vendor == "sqlite":
            raw.conn.execute("BEGIN")
            raw.conn.executemany(insert, batch)
            raw.conn.execute("COMMIT")
        else:
            with raw.conn.transaction(), raw.conn.cursor() as cur:
                cur.executemany(insert, batch)
        spent += time.perf_counter() - started
        inserted += len(batch)
    _drop(raw)
    return {"rows": inserted, "seconds": round(spent, 2), "rows_per_s": round(inserted / spent) if spent else None}


def _columns(raw: RawEngine) -> list[str]:
    if raw.vendor == "sqlite":
        return [r[1] for r in raw.execute("PRAGMA table_info(customers_person)")]
    return [
        r[0]
        for r in raw.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'customers_person' "
            "ORDER BY ordinal_position"
        )
    ]


def bench_inserts(raw: RawEngine, rows: int) -> dict[str, Any]:
    out = {}
    for label, with_indexes in (("bare", False), ("same schema", True)):
        schema = _sqlite_schema(raw, with_indexes) if raw.vendor == "sqlite" else _postgres_schema(with_indexes)
        out[label] = _load(raw, schema, rows)
    return out
