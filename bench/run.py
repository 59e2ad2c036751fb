"""Velinimet benchmarks: each figure next to the raw engine doing the same work in the same run.

    .venv/bin/python bench/run.py --db sqlite --people 1000000 --companies 200000
    .venv/bin/python bench/run.py --db postgres --people 1000000 --companies 200000 --reuse

Seeds with ``velinimet seed`` into a fresh data folder under /tmp (SQLite) or a database of its own
(PostgreSQL, ``velinimet_bench`` on 127.0.0.1:5432), then measures in-process and prints a table;
the figures also go to bench/results/<db>-<people>.json. See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import platform
import random
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import RawEngine, fmt_ms  # noqa: E402
from bench.database import Target, counts, drop, recreate, seed, velinimet  # noqa: E402

MEASUREMENTS = ("search", "lookup", "detail", "timeline", "lists", "inserts")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", choices=["sqlite", "postgres"], required=True)
    p.add_argument("--people", type=int, required=True)
    p.add_argument("--companies", type=int, required=True)
    p.add_argument("--seed", type=int, default=1, help="seed for the data and for the query mix")
    p.add_argument("--reuse", action="store_true", help="skip seeding: use the data folder/database already there")
    p.add_argument("--data-dir", type=Path, help="default /tmp/velinimet-bench/<db>-<people>")
    p.add_argument("--pg-name", default="velinimet_bench", help="PostgreSQL database to create and use")
    p.add_argument("--queries", type=int, default=1000, help="search queries and caller lookups")
    p.add_argument("--rounds", type=int, default=1, help="timed passes over the search queries")
    p.add_argument("--iterations", type=int, default=200, help="requests per page case")
    p.add_argument("--budget", type=float, default=40.0, help="seconds per page case at most (>= 20 samples)")
    p.add_argument("--deep-page", type=int, default=5000)
    p.add_argument("--deep-timeline-page", type=int, default=400, help="timeline page to compare with page 1")
    p.add_argument("--only", default=",".join(MEASUREMENTS), help="comma-separated subset of " + ",".join(MEASUREMENTS))
    p.add_argument(
        "--seed-only", action="store_true", help="seed, print the rates and stop (measure later with --reuse)"
    )
    p.add_argument("--insert-rows", type=int, default=1_000_000, help="rows for the raw insert comparison at most")
    p.add_argument("--merge", action="store_true", help="keep the other figures already in the JSON file")
    p.add_argument(
        "--no-gc-freeze",
        action="store_true",
        help="leave the loaded objects to the garbage collector (the served app freezes them: velinimet/wsgi.py)",
    )
    p.add_argument("--drop", action="store_true", help="drop the database and data folder at the end")
    p.add_argument("--out", type=Path, help="default bench/results/<db>-<people>.json")
    return p.parse_args(argv)


def cpu_noise(samples: int = 400) -> dict[str, float]:
    """p50/p95/p99 of the same ~2 ms of pure Python, timed ``samples`` times: how much of a request's
    p99 the shared machine adds by itself (on a quiet machine p99 is within a few % of p50)."""
    from bench.common import summary

    def work() -> int:
        total = 0
        for i in range(50_000):
            total += i * i
        return total

    times = []
    for _ in range(samples):
        started = time.perf_counter_ns()
        work()
        times.append((time.perf_counter_ns() - started) / 1e6)
    return summary(times)


def machine(target: Target) -> dict[str, Any]:
    def sh(cmd: str) -> str:
        try:
            return subprocess.run(cmd, shell=True, capture_output=True, text=True, check=False).stdout.strip()  # noqa: S602
        except OSError:
            return ""

    info = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(),
        "cpu_model": sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip(),
        "memory": sh("free -h | awk '/Mem:/ {print $2}'"),
        "python": platform.python_version(),
        "loadavg_start": os.getloadavg()[0],
        "cpu_noise_ms": cpu_noise(),
    }
    import sqlite3

    import django

    info["django"] = django.get_version()
    info["sqlite"] = sqlite3.sqlite_version
    if target.db == "postgres":
        raw = RawEngine("postgresql", target.raw_target)
        info["postgres"] = raw.execute("SHOW server_version")[0][0]
        raw.close()
    return info


def users() -> dict[str, Any]:
    from velinimet.accounts.models import User

    found = {u.username: u for u in User.objects.select_related("role", "team").filter(username__in=["mudur", "admin"])}
    return {"sales manager (team tree)": found["mudur"], "administrator (all)": found["admin"]}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    only = {m.strip() for m in args.only.split(",") if m.strip()}
    data_dir = args.data_dir or Path(f"/tmp/velinimet-bench/{args.db}-{args.people}")  # noqa: S108
    target = Target(args.db, data_dir, args.pg_name)
    report: dict[str, Any] = {"db": args.db, "people": args.people, "companies": args.companies, "seed": args.seed}
    started = time.monotonic()

    seeding_file = data_dir / "bench-seeding.json"
    if args.reuse:
        velinimet(target, "migrate", "-v0")  # the code may be newer than the data: bring the schema up to date
        # the rates measured when this data was seeded, if bench/run.py seeded it
        earlier = json.loads(seeding_file.read_text()) if seeding_file.exists() else {}
        report["seeding"] = {"reused": True, **earlier}
    else:
        print(f"seeding {args.people:,} people and {args.companies:,} companies into {target.raw_target} ...")
        recreate(target)
        report["seeding"] = seed(target, args.people, args.companies, args.seed)
        report["seeding"]["loadavg"] = os.getloadavg()[0]
        seeding_file.write_text(json.dumps(report["seeding"]) + "\n")
    report["rows"] = counts(target)
    print(f"data: {report['rows']['people']:,} people, {report['rows']['companies']:,} companies")
    if args.seed_only:
        print(json.dumps(report["seeding"]))
        return 0

    target.activate()
    import django

    django.setup()
    import logging

    logging.getLogger("django.request").setLevel(logging.ERROR)  # 404s of unknown callers are expected
    report["machine"] = machine(target)
    raw = RawEngine(target.vendor, target.raw_target)
    if target.db == "postgres":
        # What autovacuum does on its own a minute or so after a bulk load: fresh planner statistics
        # and a visibility map. Without it the planner guesses row counts and picks sequential scans.
        started_vacuum = time.monotonic()
        raw.execute("VACUUM (ANALYZE)")
        report["vacuum_analyze_s"] = round(time.monotonic() - started_vacuum, 1)
    rng = random.Random(args.seed)
    the_users = users()
    manager = the_users["sales manager (team tree)"]

    from bench.inserts import bench_inserts
    from bench.pages import bench_detail, bench_lists, bench_lookup, bench_timeline
    from bench.queries import company_names, sample_people, search_queries
    from bench.report import table
    from bench.search import bench_search

    samples = sample_people(max(300, args.queries), rng)
    out = args.out or ROOT / "bench" / "results" / f"{args.db}-{args.people}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {}
    if args.merge and out.exists():
        results = json.loads(out.read_text()).get("results", {})
    report["results"] = results
    report["gc_freeze"] = not args.no_gc_freeze
    steps = {
        "search": ("1. global search", lambda: bench_search(raw, the_users, queries(), args.rounds)),
        "lookup": ("2. caller lookup", lambda: bench_lookup(raw, manager, samples, args.queries, rng)),
        "detail": ("3. 360 page", lambda: bench_detail(raw, manager, args.iterations, args.budget)),
        "timeline": (
            "3b. timeline pages",
            lambda: bench_timeline(raw, manager, args.deep_timeline_page, args.iterations, args.budget),
        ),
        "lists": ("4. list pages", lambda: bench_lists(raw, manager, args.deep_page, args.iterations, args.budget)),
        "inserts": ("5. raw inserts", lambda: bench_inserts(raw, min(report["rows"]["people"], args.insert_rows))),
    }

    def queries() -> list[tuple[str, str]]:
        return search_queries(samples, company_names(200, rng), args.queries, rng)

    for key, (label, step) in steps.items():
        if key not in only:
            continue
        print(f"{label} ...", flush=True)
        gc.collect()
        if not args.no_gc_freeze:
            # As velinimet/wsgi.py does once the app is loaded: what lives for the whole run (Django,
            # the samples) stays out of the collector's full passes, which otherwise land in the tail.
            gc.freeze()
        step_started = time.monotonic()
        try:
            results[key] = step()
        except Exception as exc:  # one broken page must not cost the other figures
            traceback.print_exc()
            results[key] = {"error": f"{type(exc).__name__}: {exc}"[:500]}
        results[key]["elapsed_s"] = round(time.monotonic() - step_started)
        report["elapsed_s"] = round(time.monotonic() - started)
        out.write_text(json.dumps(report, indent=1, ensure_ascii=False, default=str) + "\n")
    raw.close()
    report["machine"]["loadavg_end"] = os.getloadavg()[0]
    out.write_text(json.dumps(report, indent=1, ensure_ascii=False, default=str) + "\n")

    print()
    print(table(report))
    print(f"\nwritten to {out} ({report['elapsed_s']} s)")
    if args.drop:
        drop(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["fmt_ms", "main"]
