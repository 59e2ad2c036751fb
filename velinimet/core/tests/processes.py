"""Run one function in many real processes at the same moment, each with its own database connection.

Race tests need real concurrency: threads in the test process share one interpreter (and, on SQLite, the
test's in-memory database), so they cannot show what two web workers do. ``run_at_once()`` starts
``python -m velinimet.core.tests.processes``, which sets Django up once (without touching the database)
and forks one process per call. Each opens its own connection, waits at a barrier until all are
connected, then calls the target: all of them within a millisecond or so of each other. Forking a set-up
interpreter costs milliseconds where 20 fresh interpreters cost 20 Django start-ups.

``database_env()`` points the processes at the test's own database: PostgreSQL's test database by name, or,
on SQLite (whose test database lives in the test process's memory), a file copy of it made with SQLite's
backup API, in WAL mode like a real installation. Tests that use it need ``transactional_db`` so the data
they set up is committed and visible to other connections.
"""

from __future__ import annotations

import importlib
import json
import multiprocessing
import os
import sqlite3
import subprocess
import sys
import traceback
from pathlib import Path
from typing import Any


def database_env(tmp_path: Path) -> dict[str, str]:
    """Environment for child processes that reach the current test database."""
    from django.db import connection

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "velinimet.settings", "PYTHONUNBUFFERED": "1"}
    env["VELINIMET_SECRET_KEY"] = "test-only-key-" + "x" * 40
    data_dir = tmp_path / "data"
    data_dir.mkdir(exist_ok=True)
    env["VELINIMET_DATA_DIR"] = str(data_dir)
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        env["VELINIMET_DATABASE_URL"] = (
            f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
        )
    else:
        env.pop("VELINIMET_DATABASE_URL", None)
        connection.ensure_connection()
        target = sqlite3.connect(data_dir / "velinimet.sqlite3")
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=WAL")  # once here, not by 20 processes connecting at once
        target.close()
    return env


def run_at_once(env: dict[str, str], target: str, calls: list[dict[str, Any]], timeout: float = 300) -> list[Any]:
    """``len(calls)`` processes call ``target`` ("module:function") at once, one with each keyword set;
    returns what each returned (JSON), or ``{"error": ...}`` for one that raised."""
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "velinimet.core.tests.processes", target],
            input=json.dumps(calls),
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    finally:
        pass
    if proc.returncode:
        raise RuntimeError(f"the processes failed: {proc.stderr[-3000:]}")
    return list(json.loads(proc.stdout.strip().splitlines()[-1]))


def _one(func: Any, index: int, kwargs: dict[str, Any], barrier: Any, results: Any) -> None:
    from django.db import connection

    connection.ensure_connection()  # a fresh connection of this process's own (none was open at the fork)
    barrier.wait(timeout=120)
    try:
        result = func(**kwargs)
    except Exception as exc:  # reported to the test, which fails with it
        result = {"error": type(exc).__name__, "detail": str(exc)[:300], "trace": traceback.format_exc()[-3000:]}
    results.put((index, json.loads(json.dumps(result, default=str))))
    connection.close()


def _main(target: str) -> None:
    import django

    django.setup()
    module, name = target.split(":")
    func = getattr(importlib.import_module(module), name)
    calls = json.loads(sys.stdin.read())
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(len(calls))
    results = ctx.Queue()
    procs = [ctx.Process(target=_one, args=(func, i, kw, barrier, results)) for i, kw in enumerate(calls)]
    for proc in procs:
        proc.start()
    out = dict(results.get(timeout=240) for _ in procs)
    for proc in procs:
        proc.join(timeout=30)
    print(json.dumps([out[i] for i in range(len(calls))]))


if __name__ == "__main__":
    _main(sys.argv[1])
