"""Where the benchmark data lives: a fresh SQLite data folder or a PostgreSQL database of our own.

Everything here runs before Django is set up in this process: migrating and seeding go through the
real ``velinimet`` command in a child process, exactly as a user would run them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PG_SERVER = "postgres://postgres@127.0.0.1:5432"


@dataclass
class Target:
    db: str  # "sqlite" or "postgres"
    data_dir: Path
    pg_name: str = "velinimet_bench"

    @property
    def vendor(self) -> str:
        return "sqlite" if self.db == "sqlite" else "postgresql"

    @property
    def database_url(self) -> str:
        return f"{PG_SERVER}/{self.pg_name}" if self.db == "postgres" else ""

    @property
    def raw_target(self) -> str:
        """What the raw driver connects to: the SQLite file or the PostgreSQL DSN."""
        return str(self.data_dir / "velinimet.sqlite3") if self.db == "sqlite" else self.database_url

    def environ(self) -> dict[str, str]:
        env = dict(os.environ)
        env["VELINIMET_DATA_DIR"] = str(self.data_dir)
        env.pop("VELINIMET_DATABASE_URL", None)
        if self.db == "postgres":
            env["VELINIMET_DATABASE_URL"] = self.database_url
        env["DJANGO_SETTINGS_MODULE"] = "velinimet.settings"
        return env

    def activate(self) -> None:
        """Point this process's (not yet set up) Django at the target."""
        os.environ.clear()
        os.environ.update(self.environ())


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def recreate(target: Target) -> None:
    """An empty data folder (and, for PostgreSQL, an empty database of our own)."""
    if target.data_dir.exists():
        shutil.rmtree(target.data_dir)
    target.data_dir.mkdir(parents=True)
    if target.db == "postgres":
        _pg_admin(f'DROP DATABASE IF EXISTS "{target.pg_name}" WITH (FORCE)')
        _pg_admin(f'CREATE DATABASE "{target.pg_name}"')


def drop(target: Target) -> None:
    if target.db == "postgres":
        _pg_admin(f'DROP DATABASE IF EXISTS "{target.pg_name}" WITH (FORCE)')
    shutil.rmtree(target.data_dir, ignore_errors=True)


def velinimet(target: Target, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "velinimet.cli", *args]
    done = subprocess.run(cmd, env=target.environ(), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"`velinimet {' '.join(args)}` failed with exit code {done.returncode}")
    return done


_RATE = re.compile(r"(people|companies): ([\d,]+)/([\d,]+) \(([\d,]+)/s\)")


def seed(target: Target, people: int, companies: int, seed_value: int) -> dict[str, Any]:
    """Migrate, then ``velinimet seed``; returns the rates the command printed and the wall time."""
    started = time.monotonic()
    velinimet(target, "migrate", "-v0")
    migrate_s = time.monotonic() - started
    started = time.monotonic()
    done = velinimet(target, "seed", "--people", str(people), "--companies", str(companies), "--seed", str(seed_value))
    wall = time.monotonic() - started
    rates: dict[str, int] = {}
    for kind, _done, _total, rate in _RATE.findall(done.stderr):
        rates[kind] = int(rate.replace(",", ""))  # the last report of each kind wins: the whole run's rate
    return {
        "migrate_s": round(migrate_s, 1),
        "seed_wall_s": round(wall, 1),
        "people_per_s": rates.get("people"),
        "companies_per_s": rates.get("companies"),
        "overall_rows_per_s": round((people + companies) / wall) if wall else None,
    }


def counts(target: Target) -> dict[str, int]:
    """Rows already there (for --reuse); raises SystemExit when there is nothing to reuse."""
    from .common import RawEngine

    try:
        raw = RawEngine(target.vendor, target.raw_target)
    except Exception as exc:  # no such database
        raise SystemExit(f"Nothing to reuse at {target.raw_target}: {exc}") from exc
    try:
        people = raw.execute("SELECT count(*) FROM customers_person")[0][0]
        companies = raw.execute("SELECT count(*) FROM customers_company")[0][0]
    except Exception as exc:
        raise SystemExit(f"Nothing to reuse at {target.raw_target}: {exc}") from exc
    finally:
        raw.close()
    if not people:
        raise SystemExit(f"Nothing to reuse at {target.raw_target}: no people.")
    return {"people": people, "companies": companies}
