"""The global search's cost in units a loaded machine does not blur: statements, Python calls and CPU time.

    .venv/bin/python bench/search_cost.py --data-dir /tmp/velinimet-bench/sqlite-100000

Runs ``bench/run.py``'s query mix (same seed) against a data folder it seeded (SQLite), once per bench
user, and prints per user: statements per search (mean), Python function calls per search (cProfile,
exact: the same on a quiet and a busy machine) and the CPU time of each search (``time.thread_time``:
other processes on the same cores do not count, unlike the wall clock), p50 / p95 / p99 in ms. Point
``--code`` at another checkout to measure its code on the same data (the before of an A/B).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import sys
import time
from pathlib import Path
from typing import Any


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", type=Path, required=True)
    p.add_argument("--code", type=Path, default=Path(__file__).resolve().parent.parent, help="checkout to measure")
    p.add_argument("--queries", type=int, default=1000)
    p.add_argument("--rounds", type=int, default=3, help="timed passes (the lowest CPU time per query is kept)")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    sys.path.insert(0, str(args.code))
    sys.path.insert(1, str(Path(__file__).resolve().parent.parent))  # bench/ of this checkout
    os.environ["VELINIMET_DATA_DIR"] = str(args.data_dir)
    os.environ.pop("VELINIMET_DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "velinimet.settings"
    import django

    django.setup()
    from bench.common import capture, summary
    from bench.queries import company_names, sample_people, search_queries
    from bench.run import users
    from velinimet.core.search import search

    rng = random.Random(args.seed)
    samples = sample_people(max(300, args.queries), rng)
    queries = search_queries(samples, company_names(200, rng), args.queries, rng)
    out: dict[str, Any] = {"code": str(args.code), "queries": len(queries)}
    for label, user in users().items():

        def one(query: str, user: Any = user) -> Any:
            user.__dict__.pop("_team_tree_cache", None)
            return search(user, query, limit=10)

        for _cat, q in queries[:50]:  # warm up
            one(q)
        statements = 0
        for _cat, q in queries:
            with capture() as cap:
                one(q)
            statements += len(cap.reads)
        profile = cProfile.Profile()
        profile.enable()
        for _cat, q in queries:
            one(q)
        profile.disable()
        calls = pstats.Stats(profile).total_calls  # type: ignore[attr-defined]
        best = [float("inf")] * len(queries)
        for _round in range(args.rounds):
            for i, (_cat, q) in enumerate(queries):
                started = time.thread_time_ns()
                one(q)
                best[i] = min(best[i], (time.thread_time_ns() - started) / 1e6)
        cpu = summary(best)
        out[label] = {
            "statements_per_search": round(statements / len(queries), 2),
            "calls_per_search": round(calls / len(queries)),
            "cpu_ms": cpu,
        }
        print(
            f"{label:28s} statements {statements / len(queries):5.2f}  calls {calls / len(queries):7.0f}  "
            f"CPU p50/p95/p99 {cpu['p50']:.2f} / {cpu['p95']:.2f} / {cpu['p99']:.2f} ms"
        )
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
