"""1. Global search: ``velinimet.core.search.search(user, q, limit=10)`` in-process (server time, no HTTP)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from typing import Any

from .common import Captured, RawEngine, compare, run_interleaved, short_sql, summary, timed_ms

TARGET_P95_MS = 20.0


def _fresh(user: Any) -> Any:
    """A request loads the user anew, so the team tree is not cached across searches."""
    user.__dict__.pop("_team_tree_cache", None)
    return user


def slowest_statement(raw: RawEngine, cap: Captured) -> dict[str, Any]:
    """The captured read that costs the raw engine most, with its plan."""
    best: tuple[float, Any] = (-1.0, None)
    for stmt in cap.reads:
        ms = min(raw.time_ms([stmt]) for _ in range(3))
        if ms > best[0]:
            best = (ms, stmt)
    ms, stmt = best
    if stmt is None:
        return {}
    return {
        "raw_ms": round(ms, 2),
        "sql": short_sql(stmt.sql),
        "params": [str(p)[:60] for p in (stmt.params or [])][:12],
        "plan": raw.explain(stmt)[:400],
    }


def bench_search(raw: RawEngine, users: dict[str, Any], queries: list[tuple[str, str]], rounds: int) -> dict[str, Any]:
    from velinimet.core.search import search

    out: dict[str, Any] = {"queries": len(queries), "rounds": rounds, "target_p95_ms": TARGET_P95_MS, "by_user": {}}
    for label, user in users.items():
        found: dict[str, bool] = {}

        def call(item: tuple[str, str], user: Any = user, found: dict[str, bool] = found) -> Any:
            groups = search(_fresh(user), item[1], limit=10)
            found.setdefault(item[1], bool(groups))
            return groups

        app_ms, raw_ms, captures = run_interleaved(queries, call, raw, rounds=rounds)
        n = len(queries)
        by_cat_app: dict[str, list[float]] = defaultdict(list)
        by_cat_raw: dict[str, list[float]] = defaultdict(list)
        for i, (a, r) in enumerate(zip(app_ms, raw_ms, strict=True)):
            category = queries[i % n][0]
            by_cat_app[category].append(a)
            by_cat_raw[category].append(r)
        per_query = defaultdict(list)
        for i, a in enumerate(app_ms):
            per_query[i % n].append(a)
        # the slowest: re-time the 15 worst-looking queries 5 times each (a single sample may be noise)
        suspects = sorted(per_query, key=lambda i: -min(per_query[i]))[:15]
        retimed = {i: statistics.median(timed_ms(lambda i=i: call(queries[i]))[0] for _ in range(5)) for i in suspects}
        worst = sorted(retimed, key=lambda i: -retimed[i])[:3]
        result = compare(app_ms, raw_ms)
        result["statements_per_search"] = summary([float(len(c.reads)) for c in captures])
        result["by_category"] = {
            cat: {
                "app": summary(by_cat_app[cat]),
                "raw": summary(by_cat_raw[cat]),
            }
            for cat in by_cat_app
        }
        result["slowest"] = [
            {
                "category": queries[i][0],
                "query": queries[i][1],
                "app_ms": round(retimed[i], 2),
                "statements": len(captures[i].reads),
                "worst_statement": slowest_statement(raw, captures[i]),
            }
            for i in worst
        ]
        result["queries_with_hits"] = sum(1 for _cat, q in queries if found.get(q))
        result["no_hits"] = sorted({f"{cat}: {q}" for cat, q in queries if not found.get(q)})[:10]
        out["by_user"][label] = result
    # one example of what the ORM sends, for the docs
    sample = next((q for q in queries if q[0] == "full name"), queries[0])
    user = next(iter(users.values()))
    from .common import capture

    with capture() as cap:
        search(_fresh(user), sample[1], limit=10)
    out["example"] = {"query": sample[1], "sql": [short_sql(s.sql, 160) for s in cap.reads]}
    out["example_time_ms"] = round(timed_ms(lambda: search(_fresh(user), sample[1], limit=10))[0], 2)
    return out
