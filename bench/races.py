"""Concurrent duplicate creates: how many extra records do N processes creating the same person make?

    .venv/bin/python bench/races.py --db postgres --trials 8 --workers 20
    .venv/bin/python bench/races.py --db sqlite --trials 8 --workers 20

Each trial, ``--workers`` processes (each with its own connection) create a person with the same new
e-mail through ``person_create`` at the same moment (``velinimet.core.tests.processes``); the trial's
extra records are the people holding that e-mail, minus one. The database is made fresh: a data folder
under /tmp (SQLite) or ``velinimet_races_bench`` on 127.0.0.1:5432 (PostgreSQL). See docs/security.md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGETS = "velinimet.customers.tests.race_targets"


def _database(db: str) -> dict[str, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "velinimet.settings", "PYTHONPATH": str(ROOT)}
    env["VELINIMET_DATA_DIR"] = tempfile.mkdtemp(prefix="velinimet-races-")
    env["VELINIMET_SECRET_KEY"] = "bench-only-" + "x" * 40
    if db == "postgres":
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS velinimet_races_bench")
            conn.execute("CREATE DATABASE velinimet_races_bench")
        env["VELINIMET_DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/velinimet_races_bench"
    else:
        env.pop("VELINIMET_DATABASE_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    code = (
        "from velinimet.accounts.models import Role, User\n"
        "from velinimet.accounts.roles import ensure_default_roles\n"
        "ensure_default_roles()\n"
        "print(User.objects.create(username='bench', role=Role.objects.get(slug='administrator')).pk)\n"
    )
    out = subprocess.run([*manage, "shell", "-c", code], env=env, check=True, capture_output=True, text=True)
    env["BENCH_USER"] = out.stdout.strip().splitlines()[-1]
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--trials", type=int, default=8)
    parser.add_argument("--workers", type=int, default=20)
    args = parser.parse_args()
    env = _database(args.db)
    from velinimet.core.tests.processes import run_at_once

    user = int(env["BENCH_USER"])
    extra = 0
    refused = errors = 0
    for trial in range(args.trials):
        email = f"race-{trial}-{uuid.uuid4().hex[:8]}@example.com"
        calls = [{"user_id": user, "first_name": f"Yarış {i}", "email": email} for i in range(args.workers)]
        results = run_at_once(env, f"{TARGETS}:create_person", calls)
        created = sum("created" in r for r in results)
        refused += sum("refused" in r for r in results)
        errors += sum("error" in r for r in results)
        extra += max(0, created - 1)
        for failure in [r for r in results if "error" in r][:1]:
            print("  error:", failure["error"], failure["detail"], failure.get("trace", ""))
        print(f"trial {trial + 1}: {created} created, {sum('refused' in r for r in results)} refused")
    print(
        f"{args.db}: {args.trials} trials x {args.workers} concurrent creates -> {extra} extra records "
        f"({refused} refused, {errors} errors)"
    )


if __name__ == "__main__":
    main()
