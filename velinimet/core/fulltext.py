"""Substring search on folded keys, one interface over two engines.

SQLite: an FTS5 table ``<table>_fts`` (trigram tokenizer, external content = the model's ``search_key``),
kept in step by triggers. PostgreSQL: a pg_trgm GIN index on ``search_key`` serves ``LIKE '%w%'``.
Both are created by the app's migration (``fulltext_operation``). On SQLite, a migration that alters
the table rebuilds it and drops its triggers: repeat ``fulltext_operation(table)`` after such a migration
(it is idempotent and rebuilds the index).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

MIN_TRIGRAM = 3
#: The FTS5 trigram table of each indexed key column (SQLite): ``<table>_<suffix>``.
FTS_SUFFIX = {"search_key": "fts", "sound_key": "sound"}


def contains_all(queryset: QuerySet[Any], words: list[str], column: str = "search_key") -> QuerySet[Any]:
    """Rows whose ``column`` (``search_key`` or ``sound_key``) contains every word (words are already folded)."""
    vendor = connections[queryset.db].vendor
    long_words = [w for w in words if len(w) >= MIN_TRIGRAM]
    short_words = words
    if vendor == "sqlite" and long_words:
        # LIKE on the trigram table uses its index (detail='none' keeps it small but rules out MATCH phrases).
        # Folded words hold no % or _ (fold() strips punctuation), so they need no escaping.
        table = f"{queryset.model._meta.db_table}_{FTS_SUFFIX[column]}"
        where = " AND ".join([f"{column} LIKE %s"] * len(long_words))
        params = [f"%{w}%" for w in long_words]
        queryset = queryset.filter(pk__in=RawSQL(f"SELECT rowid FROM {table} WHERE {where}", params))  # noqa: S608
        short_words = [w for w in words if len(w) < MIN_TRIGRAM]
    for word in short_words:
        queryset = queryset.filter(**{f"{column}__contains": word})
    return queryset


def uses_candidate_chunks(queryset: QuerySet[Any]) -> bool:
    """SQLite answers substring search fastest from a bounded, newest-first candidate list (see below)."""
    return connections[queryset.db].vendor == "sqlite"


def _fts_sql(
    queryset: QuerySet[Any], words: list[str], column: str, cap: int, *, newest: bool, before: int | None = None
) -> tuple[str, list[Any]]:
    """SELECT of up to ``cap`` rowids whose ``column`` contains every word, from its FTS5 trigram table."""
    table = f"{queryset.model._meta.db_table}_{FTS_SUFFIX[column]}"
    where = " AND ".join([f"{column} LIKE %s"] * len(words)) or "1"
    params: list[Any] = [f"%{w}%" for w in words]
    if before is not None:
        where += " AND rowid < %s"
        params.append(before)
    # newest=False: any ``cap`` matches, which FTS5 gives without collecting and sorting every match first
    order = " ORDER BY rowid DESC" if newest else ""
    return f"SELECT rowid FROM {table} WHERE {where}{order} LIMIT %s", [*params, cap]  # noqa: S608


def fts_candidates(
    queryset: QuerySet[Any],
    words: list[str],
    *,
    before: int | None = None,
    cap: int = 1000,
    column: str = "search_key",
    newest: bool = True,
) -> list[int]:
    """Up to ``cap`` ids (newest first, below ``before``) whose key contains every word (SQLite FTS5).

    Filtering a whole ``IN (SELECT rowid ...)`` costs ~40 ms for a common name at a million rows, because
    SQLite materialises every match; a bounded chunk costs ~2 ms and the caller asks for the next chunk
    only when visibility filtered too many away.
    """
    sql, params = _fts_sql(queryset, words, column, cap, newest=newest, before=before)
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def fts_chunk_q(
    queryset: QuerySet[Any], words: list[str], *, column: str = "search_key", cap: int = 1000, newest: bool = True
) -> Q:
    """SQLite: the condition "among the first ``cap`` rows (newest first) whose ``column`` contains every
    word" as a bounded subselect, so that a tier reads its candidates and its rows in one statement, and
    the ids never pass through Python (a thousand ids are a thousand parameters for the ORM to prepare)."""
    sql, params = _fts_sql(queryset, words, column, cap, newest=newest)
    return Q(pk__in=RawSQL(sql, params))


def fts_nth_candidate(queryset: QuerySet[Any], words: list[str], n: int) -> int | None:
    """SQLite: the id of the ``n``-th newest row whose key contains every word (where the chunk of
    ``fts_chunk_q(cap=n)`` ended), or None when there are no more than ``n``: where the next chunk starts."""
    sql, params = _fts_sql(queryset, words, "search_key", 1, newest=True)
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"{sql} OFFSET %s", [*params, n - 1])
        row = cursor.fetchone()
    return row[0] if row else None


def candidate_keys(queryset: QuerySet[Any], probes: list[str], column: str, cap: int) -> list[tuple[int, str]]:
    """Up to ``cap`` (id, ``column``) pairs of rows per probe whose ``column`` contains any of ``probes``
    (folded, 3+ letters), from the trigram index, without the queryset's other conditions on
    SQLite (the caller applies them to the few ids it keeps). In no particular order."""
    if connections[queryset.db].vendor == "sqlite":
        # a bounded subselect per probe, in one statement: FTS5 cannot take an OR of two LIKEs to its index
        # and scans every row (68 ms at 100k). No ORDER BY: FTS5 stops at the limit instead of sorting.
        table = f"{queryset.model._meta.db_table}_{FTS_SUFFIX[column]}"
        select = f"SELECT * FROM (SELECT rowid, {column} FROM {table} WHERE {column} LIKE %s LIMIT %s)"  # noqa: S608
        params: list[Any] = []
        for probe in probes:
            params += [f"%{probe}%", cap]
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(" UNION ALL ".join([select] * len(probes)), params)
            return list(dict(cursor.fetchall()).items())
    q = Q()
    for probe in probes:
        q |= Q(**{f"{column}__contains": probe})
    return list(queryset.filter(q).values_list("pk", column)[:cap])


def key_prefix_filter(queryset: QuerySet[Any], key: str) -> QuerySet[Any]:
    """Rows whose whole key starts with ``key``, on a b-tree index in both engines.

    SQLite's LIKE cannot use an ordinary index, so it gets a range; PostgreSQL's range would follow the
    column's collation (which ignores spaces), so it gets LIKE 'key%' on the text_pattern_ops index.
    """
    if connections[queryset.db].vendor == "sqlite":
        return queryset.filter(search_key__gte=key, search_key__lt=key + "\uffff")
    return queryset.filter(search_key__startswith=key)


def word_prefix_q(words: list[str], column: str = "search_key") -> Q:
    """Every word starts one of the key's words: "ozt" matches "sukru ozturk"."""
    q = Q()
    for word in words:
        q &= Q(**{f"{column}__startswith": word}) | Q(**{f"{column}__contains": f" {word}"})
    return q


def _fts5_sql(table: str, suffix: str, options: str, column: str = "search_key") -> tuple[list[str], list[str]]:
    """An external-content FTS5 table ``<table>_<suffix>`` over ``column``, kept in step by triggers
    (so rows written without the ORM, such as ``velinimet seed``'s, are indexed too)."""
    fts, c = f"{table}_{suffix}", column
    forward = [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({c}, content='{table}', content_rowid='id', {options})",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {c}) VALUES (new.id, new.{c}); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {c}) VALUES ('delete', old.id, old.{c}); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF {c} ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {c}) VALUES ('delete', old.id, old.{c}); "
        f"INSERT INTO {fts}(rowid, {c}) VALUES (new.id, new.{c}); END",
    ]
    backward = [f"DROP TRIGGER IF EXISTS {fts}_{s}" for s in ("ai", "ad", "au")] + [f"DROP TABLE IF EXISTS {fts}"]
    return forward, backward


def fulltext_sql(vendor: str, table: str) -> tuple[list[str], list[str]]:
    """(forward, backward) SQL that indexes ``table.search_key`` for ``contains_all``."""
    if vendor == "sqlite":
        return _fts5_sql(table, "fts", "tokenize='trigram', detail='none'")
    if vendor == "postgresql":
        index = f"{table}_search_trgm"
        return (
            [
                "CREATE EXTENSION IF NOT EXISTS pg_trgm",
                f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin (search_key gin_trgm_ops)",
                f"CREATE INDEX IF NOT EXISTS {table}_search_prefix ON {table} (search_key text_pattern_ops)",
            ],
            [f"DROP INDEX IF EXISTS {index}", f"DROP INDEX IF EXISTS {table}_search_prefix"],
        )
    return [], []


def sound_sql(vendor: str, table: str) -> tuple[list[str], list[str]]:
    """(forward, backward) SQL that indexes ``table.sound_key`` for substring and word-prefix search: an FTS5
    trigram table ``<table>_sound`` (SQLite), a pg_trgm GIN and a ``text_pattern_ops`` index (PostgreSQL)."""
    if vendor == "sqlite":
        return _fts5_sql(table, "sound", "tokenize='trigram', detail='none'", column="sound_key")
    if vendor == "postgresql":
        return (
            [
                "CREATE EXTENSION IF NOT EXISTS pg_trgm",
                f"CREATE INDEX IF NOT EXISTS {table}_sound_trgm ON {table} USING gin (sound_key gin_trgm_ops)",
                f"CREATE INDEX IF NOT EXISTS {table}_sound_prefix ON {table} (sound_key text_pattern_ops)",
            ],
            [f"DROP INDEX IF EXISTS {table}_sound_trgm", f"DROP INDEX IF EXISTS {table}_sound_prefix"],
        )
    return [], []


def word_prefix_sql(vendor: str, table: str) -> tuple[list[str], list[str]]:
    """(forward, backward) SQL for a word-prefix index on ``table.search_key``, for one- and two-letter
    searches that trigrams cannot serve: FTS5 word tokens with prefix indexes (SQLite), a GIN index on
    the 'simple' text-search vector (PostgreSQL)."""
    if vendor == "sqlite":
        return _fts5_sql(table, "words", "tokenize='unicode61', prefix='1 2', detail='none'")
    if vendor == "postgresql":
        index = f"{table}_search_words"
        return (
            [f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin (to_tsvector('simple', search_key))"],
            [f"DROP INDEX IF EXISTS {index}"],
        )
    return [], []


def word_prefix_candidates(queryset: QuerySet[Any], words: list[str], *, cap: int = 1000) -> QuerySet[Any]:
    """Rows in which every word starts a word of the key, from the word-prefix index, newest first.

    Folded words are [a-z0-9] and other scripts' letters only, so they are safe inside MATCH and tsquery.
    """
    vendor = connections[queryset.db].vendor
    words = [w for w in words if w.isalnum()]
    if not words:
        return queryset.none()
    if vendor == "sqlite":
        table = f"{queryset.model._meta.db_table}_words"
        expr = " AND ".join(f'"{w}"*' for w in words)
        # a bounded subselect: the candidates and the rows in one statement, no ids through Python
        sql = f"SELECT rowid FROM {table} WHERE {table} MATCH %s ORDER BY rowid DESC LIMIT %s"  # noqa: S608
        return queryset.filter(pk__in=RawSQL(sql, [expr, cap]))
    if vendor == "postgresql":
        # PostgreSQL under-estimates how rare a prefix is and, with a LIMIT, picks a sequential scan
        # (950 ms for a prefix nobody has at a million rows); the GIN index answers in 2-30 ms.
        from django.db import transaction

        tsquery = " & ".join(f"{w}:*" for w in words)
        table = queryset.model._meta.db_table
        with transaction.atomic(using=queryset.db), connections[queryset.db].cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(
                f"SELECT id FROM {table} WHERE to_tsvector('simple', search_key) @@ to_tsquery('simple', %s) LIMIT %s",
                [tsquery, cap],
            )
            ids = [row[0] for row in cursor.fetchall()]
        return queryset.filter(pk__in=ids)
    return queryset.filter(word_prefix_q(words))


#: A word prefix at least this frequent (share of rows) is found faster by reading rows until the limit is
#: reached than by a GIN bitmap of every match (10 ms for a surname 2 % of a million people carry).
COMMON_PREFIX = 0.002
STATS_SECONDS = 3600.0
_WORD_STATS: dict[tuple[str, str], tuple[float, dict[str, float]]] = {}


def _word_stats(queryset: QuerySet[Any]) -> dict[str, float]:
    """PostgreSQL's most common words of the word-prefix index and their shares, read at most hourly."""
    table = queryset.model._meta.db_table
    key = (queryset.db, table)
    cached = _WORD_STATS.get(key)
    if cached is not None and time.monotonic() - cached[0] < STATS_SECONDS:
        return cached[1]
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            "SELECT most_common_elems::text, most_common_elem_freqs::text FROM pg_stats "
            "WHERE tablename = %s AND attname = 'to_tsvector'",
            [f"{table}_search_words"],
        )
        row = cursor.fetchone()
    stats: dict[str, float] = {}
    if row and row[0] and row[1]:
        words = [w.strip('"') for w in row[0].strip("{}").split(",")]
        shares = [float(f) for f in row[1].strip("{}").split(",")]
        stats = dict(zip(words, shares, strict=False))  # the shares end with min, max and null share
    _WORD_STATS[key] = (time.monotonic(), stats)
    return stats


def common_word_prefixes(queryset: QuerySet[Any], words: list[str]) -> bool:
    """Whether every word starts many keys by PostgreSQL's own statistics (never on SQLite).

    Then the planner's row estimates are real, and it may read rows in table order until it has enough
    (0.4 ms for "yilmaz") instead of building a GIN bitmap of every match. A word missing from the
    statistics may be rare or unseen: it keeps the forced GIN path, since for such prefixes the planner
    once chose a 950 ms sequential scan.
    """
    if connections[queryset.db].vendor != "postgresql" or not words or not all(w.isalnum() for w in words):
        return False
    stats = _word_stats(queryset)
    return bool(stats) and all(
        sum(share for lexeme, share in stats.items() if lexeme.startswith(w)) >= COMMON_PREFIX for w in words
    )


def word_prefix_match(queryset: QuerySet[Any], words: list[str]) -> QuerySet[Any]:
    """Rows in which every word starts a word of the key, as one condition the planner may index or scan
    (PostgreSQL's word-prefix expression index); visibility and the limit stay in the same statement."""
    table = connections[queryset.db].ops.quote_name(queryset.model._meta.db_table)
    tsquery = " & ".join(f"{w}:*" for w in words)
    condition = RawSQL(
        f"to_tsvector('simple', {table}.search_key) @@ to_tsquery('simple', %s)",  # noqa: S608 - model's table
        [tsquery],
        output_field=BooleanField(),
    )
    return queryset.filter(condition)


def _sql_operation(sql: Callable[[str, str], tuple[list[str], list[str]]], table: str) -> Any:
    """A migration operation running ``sql(vendor, table)``'s forward or backward statements."""
    from django.db import migrations

    def run(direction: int) -> Callable[[Any, Any], None]:
        def apply(apps: Any, schema_editor: Any) -> None:
            for statement in sql(schema_editor.connection.vendor, table)[direction]:
                schema_editor.execute(statement)

        return apply

    return migrations.RunPython(run(0), run(1))


def fulltext_operation(table: str) -> Any:
    """A migration operation that creates the engine's substring index on ``table.search_key``."""
    return _sql_operation(fulltext_sql, table)


def sound_operation(table: str) -> Any:
    """A migration operation creating the indexes of ``sound_sql`` on ``table.sound_key``."""
    return _sql_operation(sound_sql, table)


def word_prefix_operation(table: str) -> Any:
    """A migration operation creating the word-prefix index of ``word_prefix_sql``."""
    return _sql_operation(word_prefix_sql, table)


def fulltext_purge(table: str) -> None:
    """SQLite: merge the FTS5 indexes of ``table`` into one segment, so keys deleted from it leave the
    index. FTS5 records a deletion as a marker in a new segment and keeps the old key in the older segment
    until a merge: after an erasure the name would still be in ``<table>_fts_data``. ``optimize`` rewrites
    the index (1.3 s for the trigram and 0.6 s for the word index of a million names); the freed pages are
    zeroed by ``secure_delete``. Nothing to do on PostgreSQL (a GIN index holds no deleted keys once
    VACUUM has run)."""
    connection = connections["default"]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for suffix in ("fts", "words", "sound"):
            fts = f"{table}_{suffix}"
            cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [fts])
            if cursor.fetchone():
                cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('optimize')")
