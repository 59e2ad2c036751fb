"""``velinimet worker`` as a real process: SIGTERM stops it within seconds with exit code 0, its running
job goes back to the queue (not stuck "running" for the 10-minute stale requeue), and the restarted
worker finishes it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from velinimet.core import jobs

WORKER = "import velinimet.core.tests.slow_job_kind; from velinimet.cli import main; main(['worker'])"
SETUP = """
import django; django.setup()
from velinimet.accounts.models import User
from velinimet.core.models import Job
from velinimet.core.tasks import run_job
user = User.objects.create(username="starter")
job = Job.objects.create(kind="test.slow", title="slow", started_by=user, params={"steps": 60})
run_job(str(job.pk))
print(job.pk.hex)
"""


def _env(data_dir: Path) -> dict[str, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "velinimet.settings", "VELINIMET_DATA_DIR": str(data_dir)}
    for name in ("VELINIMET_DATABASE_URL", "VELINIMET_REDIS_URL", "VELINIMET_TASKS_IMMEDIATE"):
        env.pop(name, None)
    return env


def _job(data_dir: Path, job_id: str) -> tuple[str, int, int]:
    with sqlite3.connect(data_dir / "velinimet.sqlite3", timeout=10) as db:
        row = db.execute("SELECT state, done, attempts FROM core_job WHERE id = ?", [job_id]).fetchone()
    return row[0], row[1], row[2]


def _wait_for(data_dir: Path, job_id: str, test: Any, timeout: float = 60) -> tuple[str, int, int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = _job(data_dir, job_id)
        if test(row):
            return row
        time.sleep(0.05)
    raise AssertionError(f"job never reached the expected state: {_job(data_dir, job_id)}")


def _stop(worker: subprocess.Popen[bytes]) -> tuple[int, float]:
    started = time.monotonic()
    worker.send_signal(signal.SIGTERM)
    try:
        code = worker.wait(timeout=15)
    except subprocess.TimeoutExpired:
        worker.kill()
        raise
    return code, time.monotonic() - started


def test_sigterm_releases_the_running_job_and_a_restarted_worker_finishes_it(tmp_path: Path) -> None:
    env = _env(tmp_path)
    subprocess.run([sys.executable, "-m", "velinimet.cli", "migrate", "-v", "0"], env=env, check=True)
    assert (tmp_path / "velinimet.sqlite3").is_file()
    job_id = subprocess.run(
        [sys.executable, "-c", SETUP], env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    worker = subprocess.Popen([sys.executable, "-c", WORKER], env=env)
    try:
        _wait_for(tmp_path, job_id, lambda row: row[0] == "running" and row[1] >= 5)
    except BaseException:
        worker.kill()
        raise
    code, seconds = _stop(worker)
    assert code == 0
    assert seconds < 5
    state, done, attempts = _job(tmp_path, job_id)
    assert state == "queued" and 5 <= done < 60  # released, with its progress kept
    assert attempts == 0  # a release is not a failed attempt
    again = subprocess.Popen([sys.executable, "-c", WORKER], env=env)
    try:
        state, done, attempts = _wait_for(tmp_path, job_id, lambda row: row[0] == "succeeded")
    finally:
        code, _seconds = _stop(again)
    assert (state, done, attempts) == ("succeeded", 60, 1)
    assert code == 0


@pytest.mark.django_db
def test_a_stopping_worker_gives_the_running_job_back_to_the_queue(cast: Any) -> None:
    from velinimet.core.models import Job
    from velinimet.core.registry import JOB_KINDS, JobKind, registry

    signals: list[bool] = []

    def handler(job: Job, progress: jobs.JobProgress) -> dict:
        progress.update(done=1, total=3, force=True)
        if not signals:
            signals.append(True)
            jobs.WORKER_STOPPING.set()  # what SIGTERM does
        progress.update(done=2)
        return {}

    registry.register("core.job_kinds", JobKind("test.release", "release", handler))
    try:
        job = Job.objects.create(kind="test.release", title="x", started_by=cast.admin)
        jobs.job_run(str(job.pk))
        job.refresh_from_db()
        assert job.state == Job.State.QUEUED and job.done == 1 and job.attempts == 0
        jobs.job_run(str(job.pk))  # the stopping worker claims nothing
        job.refresh_from_db()
        assert job.state == Job.State.QUEUED
        jobs.WORKER_STOPPING.clear()  # the next worker
        jobs.job_run(str(job.pk))
        job.refresh_from_db()
        assert job.state == Job.State.SUCCEEDED and job.attempts == 1
    finally:
        jobs.WORKER_STOPPING.clear()
        JOB_KINDS.unregister("test.release")
