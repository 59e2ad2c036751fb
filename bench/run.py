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
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import RawEngine, fmt_ms  # noqa: E402
from bench.database import Target, counts, drop, recreate, seed  # noqa: E402

MEASUREMENTS = ("search", "lookup", "detail", "lists", "inserts")


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
    p.add_argument("--only", default=",".join(MEASUREMENTS), help="comma-separated subset of " + ",".join(MEASUREMENTS))
    p.add_argument("--drop", action="store_true", help="drop the database and data folder at the end")
    p.add_argument("--out", type=Path, help="default bench/results/<db>-<people>.json")
    return p.parse_args(argv)


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

    if args.reuse:
        report["seeding"] = {"reused": True}
    else:
        print(f"seeding {args.people:,} people and {args.companies:,} companies into {target.raw_target} ...")
        recreate(target)
        report["seeding"] = seed(target, args.people, args.companies, args.seed)
    report["rows"] = counts(target)
    print(f"data: {report['rows']['people']:,} people, {report['rows']['companies']:,} companies")

    target.activate()
    import django

    django.setup()
    import logging

    logging.getLogger("django.request").setLevel(logging.ERROR)  # 404s of unknown callers are expected
    report["machine"] = machine(target)
    raw = RawEngine(target.vendor, target.raw_target)
    rng = random.Random(args.seed)
    the_users = users()
    manager = the_users["sales manager (team tree)"]

    from bench.queries import company_names, sample_people, search_queries

    samples = sample_people(max(300, args.queries), rng)
    results: dict[str, Any] = {}
    gc.collect()
    if "search" in only:
        from bench.search import bench_search

        print("1. global search ...")
        queries = search_queries(samples, company_names(200, rng), args.queries, rng)
        results["search"] = bench_search(raw, the_users, queries, args.rounds)
    if "lookup" in only:
        from bench.pages import bench_lookup

        print("2. caller lookup ...")
        results["lookup"] = bench_lookup(raw, manager, samples, args.queries, rng)
    if "detail" in only:
        from bench.pages import bench_detail

        print("3. 360 page ...")
        results["detail"] = bench_detail(raw, manager, args.iterations, args.budget)
    if "lists" in only:
        from bench.pages import bench_lists

        print("4. list pages ...")
        results["lists"] = bench_lists(raw, manager, args.deep_page, args.iterations, args.budget)
    if "inserts" in only:
        from bench.inserts import bench_inserts

        print("5. raw inserts ...")
        results["inserts"] = bench_inserts(raw, report["rows"]["people"])
    raw.close()
    report["results"] = results
    report["elapsed_s"] = round(time.monotonic() - started)
    report["machine"]["loadavg_end"] = os.getloadavg()[0]

    from bench.report import table

    print()
    print(table(report))
    out = args.out or ROOT / "bench" / "results" / f"{args.db}-{args.people}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1, ensure_ascii=False, default=str) + "\n")
    print(f"\nwritten to {out} ({report['elapsed_s']} s)")
    if args.drop:
        drop(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["fmt_ms", "main"]
