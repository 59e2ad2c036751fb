"""The duplicate finder on seeded data: the job's wall time, the pairs it stores, peak memory, and the
results page (first and a deep keyset page, HTML and API) for the user who ran it.

    .venv/bin/python bench/run.py --db sqlite --people 100000 --companies 20000 --seed-only
    .venv/bin/python bench/finder.py --db sqlite --people 100000

Run against the data folder (or database) ``bench/run.py`` seeded; the schema is migrated first.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.database import Target, velinimet  # noqa: E402


def _timed(fn: object, n: int) -> dict[str, float]:
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        fn()  # type: ignore[operator]
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {"p50": round(statistics.median(samples), 1), "p95": round(samples[int(len(samples) * 0.95) - 1], 1)}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--db", choices=["sqlite", "postgres"], required=True)
    p.add_argument("--people", type=int, required=True, help="names the data folder, as bench/run.py does")
    p.add_argument("--data-dir", type=Path)
    p.add_argument("--pg-name", default="velinimet_bench")
    p.add_argument("--user", default="admin")
    p.add_argument("--kind", default="person", choices=["person", "company"])
    p.add_argument("--iterations", type=int, default=30)
    args = p.parse_args()
    data_dir = args.data_dir or Path(f"/tmp/velinimet-bench/{args.db}-{args.people}")  # noqa: S108
    target = Target(args.db, data_dir, args.pg_name)
    velinimet(target, "migrate", "-v0")
    if target.db == "postgres":  # what autovacuum does a minute after the seed (as bench/run.py does)
        import psycopg

        with psycopg.connect(target.database_url, autocommit=True) as conn:
            conn.execute("VACUUM (ANALYZE)")
    target.activate()
    import django

    django.setup()
    from django.test import Client

    from velinimet.accounts.models import User
    from velinimet.core.jobs import job_run
    from velinimet.core.models import Job
    from velinimet.customers.models import DuplicatePair
    from velinimet.customers.services.finder import KIND

    user = User.objects.get(username=args.user)
    job = Job.objects.create(kind=KIND, title="bench", started_by=user, params={"kind": args.kind})
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    job_run(str(job.pk))
    wall = time.perf_counter() - started
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED, job.error
    stored = DuplicatePair.objects.filter(job=job).count()
    scores: dict[int, int] = {}
    for score in DuplicatePair.objects.filter(job=job).values_list("score", flat=True).iterator(chunk_size=20000):
        scores[score] = scores.get(score, 0) + 1
    deep = DuplicatePair.objects.filter(job=job).order_by("rank").values_list("rank", flat=True)[stored * 9 // 10]

    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    api = Client(SERVER_NAME="localhost")
    api.force_login(user)
    base = f"/customers/duplicates/?kind={args.kind}"

    def get(url: str, c: Client = client) -> None:
        response = c.get(url)
        assert response.status_code == 200, (url, response.status_code)

    report = {
        "db": args.db,
        "records": job.total,
        "job_wall_s": round(wall, 1),
        "pairs": job.result["count"],
        "stored": stored,
        "by_reason": job.result["by_reason"],
        "by_score": dict(sorted(scores.items(), reverse=True)),
        "peak_rss_mb_added": round((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024),
        "page_1_ms": _timed(lambda: get(base), args.iterations),
        "page_at_90pct_ms": _timed(lambda: get(f"{base}&after={deep}"), args.iterations),
        "page_reason_phone_ms": _timed(lambda: get(f"{base}&reason=phone"), args.iterations),
        "page_min_score_60_ms": _timed(lambda: get(f"{base}&min_score=60"), args.iterations),
        "api_page_at_90pct_ms": _timed(
            lambda: get(f"/api/v1/duplicates/?kind={args.kind}&after={deep}", api), args.iterations
        ),
    }
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
