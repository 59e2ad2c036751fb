"""Background jobs: progress rows, the audit export, failures, idempotent claiming, real brokers."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from typing import Any

import pytest
from django.test import Client

from velinimet.core import jobs
from velinimet.core.models import AuditEntry, Job
from velinimet.core.registry import JOB_KINDS, JobKind, registry
from velinimet.core.services import audit_export_start


@pytest.mark.django_db
def test_audit_export_job_runs_and_reports_progress(
    cast: Any, api: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = audit_export_start(actor=cast.admin, filters={})
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED
    total = AuditEntry.objects.count()
    assert job.total == job.done == total
    assert job.percent == 100
    body = api(cast.admin).get(f"/api/v1/jobs/{job.pk}/").json()
    assert body["state"] == "succeeded"
    assert body["done"] == total
    assert body["download_url"].endswith("/download/")
    client = Client()
    client.force_login(cast.admin)
    response = client.get(body["download_url"])
    assert response.status_code == 200
    rows = list(csv.reader(b"".join(response.streaming_content).decode("utf-8-sig").splitlines()))
    assert rows[0][:3] == ["time", "user", "action"]
    assert len(rows) == total + 1


@pytest.mark.django_db
def test_only_permitted_users_may_export_the_audit_log(cast: Any) -> None:
    from velinimet.core.exceptions import NotAllowed

    with pytest.raises(NotAllowed):
        audit_export_start(actor=cast.manager, filters={})
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_job_page_polls_until_finished(cast: Any) -> None:
    job = Job.objects.create(
        kind="core.audit_export", title="Export", started_by=cast.admin, done=3, total=10, state=Job.State.RUNNING
    )
    client = Client()
    client.force_login(cast.admin)
    fragment = client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in fragment
    assert "<html" not in fragment
    assert 'value="3"' in fragment
    Job.objects.filter(pk=job.pk).update(state=Job.State.SUCCEEDED, done=10)
    fragment = client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "every 1s" not in fragment


@pytest.fixture
def failing_kind() -> Any:
    def handler(job: Job, progress: jobs.JobProgress) -> dict:
        progress.update(done=1, total=5, force=True)
        raise ValueError("bad row 2")

    registry.register("core.job_kinds", JobKind("test.fail", "fail", handler))
    yield
    JOB_KINDS.unregister("test.fail")


@pytest.mark.django_db
def test_failed_job_records_the_error(cast: Any, failing_kind: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_start(actor=cast.rep_ist, kind="test.fail", title="Import")
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.message == "bad row 2"
    assert "ValueError" in job.error
    assert (job.done, job.total) == (1, 5)


@pytest.mark.django_db
def test_a_claimed_job_is_not_run_twice(cast: Any) -> None:
    calls = []
    registry.register(
        "core.job_kinds", JobKind("test.count", "count", lambda job, progress: calls.append(job.pk) or {})
    )
    try:
        job = Job.objects.create(kind="test.count", title="x", started_by=cast.admin)
        jobs.job_run(str(job.pk))
        jobs.job_run(str(job.pk))
        assert len(calls) == 1
    finally:
        JOB_KINDS.unregister("test.count")


@pytest.mark.django_db
def test_unknown_job_kind_is_refused(cast: Any) -> None:
    from velinimet.core.exceptions import DomainError

    with pytest.raises(DomainError):
        jobs.job_start(actor=cast.admin, kind="nope", title="x")


def _run_consumer(huey: Any, job_id: str, timeout: float = 60) -> Job:
    """Enqueue the job through the real broker, let a real consumer run it, then read the job.

    The test waits on the task's result in the broker, not by polling the job row: on SQLite the
    test database is shared in memory between threads, and a read while the worker writes fails
    with "database table is locked" (no busy wait in shared-cache mode).
    """
    from huey.consumer import Consumer

    def run(job_id: str) -> bool:
        jobs.job_run(job_id)
        return True  # huey keeps no result for None

    task = huey.task(name="velinimet.test.run_job")(run)
    result = task(job_id)
    consumer = Consumer(
        huey,
        workers=1,
        worker_type="thread",
        periodic=False,
        check_worker_health=False,
        initial_delay=0.05,
        max_delay=0.5,
    )
    consumer.start()  # worker threads only; run() would install signal handlers
    try:
        assert result.get(blocking=True, timeout=timeout) is True
    finally:
        consumer.stop(graceful=True)
    return Job.objects.get(pk=job_id)


@pytest.mark.django_db(transaction=True)
def test_sqlite_broker_and_consumer_run_a_job(cast: Any, tmp_path: Any) -> None:
    from huey import SqliteHuey

    huey = SqliteHuey(name="test", filename=str(tmp_path / "queue.sqlite3"))
    job = Job.objects.create(kind="core.audit_export", title="x", started_by=cast.admin)
    assert _run_consumer(huey, str(job.pk)).state == Job.State.SUCCEEDED


@pytest.mark.django_db(transaction=True)
def test_redis_broker_and_consumer_run_a_job(cast: Any) -> None:
    from huey import RedisHuey
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisConnectionError

    url = os.environ.get("VELINIMET_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        Redis.from_url(url).ping()
    except RedisConnectionError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {url}")
        pytest.skip(f"Redis is not reachable at {url}")
    huey = RedisHuey(name=f"velinimet-test-{os.getpid()}", url=url)
    huey.flush()
    job = Job.objects.create(kind="core.audit_export", title="x", started_by=cast.admin)
    try:
        assert _run_consumer(huey, str(job.pk)).state == Job.State.SUCCEEDED
    finally:
        huey.flush()


def test_settings_choose_redis_huey_when_redis_url_is_set(tmp_path: Any) -> None:
    code = (
        "import django; django.setup(); from huey.contrib.djhuey import HUEY; "
        "print(type(HUEY).__name__, type(HUEY.storage).__name__)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "velinimet.settings", "VELINIMET_DATA_DIR": str(tmp_path)}
    env.pop("VELINIMET_REDIS_URL", None)
    embedded = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert embedded.stdout.split() == ["SqliteHuey", "SqliteStorage"]
    env["VELINIMET_REDIS_URL"] = "redis://127.0.0.1:6379/0"
    scaled = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert scaled.stdout.split() == ["RedisHuey", "RedisStorage"]


@pytest.mark.django_db
def test_a_job_whose_worker_died_is_requeued_then_given_up(cast: Any, settings: Any) -> None:
    import datetime

    from django.utils import timezone

    long_ago = timezone.now() - datetime.timedelta(minutes=settings.JOB_STALE_MINUTES + 1)
    stale = Job.objects.create(
        kind="core.audit_export",
        title="x",
        started_by=cast.admin,
        state=Job.State.RUNNING,
        heartbeat_at=long_ago,
        attempts=1,
    )
    fresh = Job.objects.create(
        kind="core.audit_export",
        title="y",
        started_by=cast.admin,
        state=Job.State.RUNNING,
        heartbeat_at=timezone.now(),
        attempts=1,
    )
    exhausted = Job.objects.create(
        kind="core.audit_export",
        title="z",
        started_by=cast.admin,
        state=Job.State.RUNNING,
        heartbeat_at=long_ago,
        attempts=settings.JOB_MAX_ATTEMPTS,
    )
    assert jobs.jobs_requeue_stale() == [str(stale.pk)]
    stale.refresh_from_db()
    fresh.refresh_from_db()
    exhausted.refresh_from_db()
    assert stale.state == Job.State.SUCCEEDED  # run again (tasks are immediate in tests) and finished
    assert stale.attempts == 2
    assert fresh.state == Job.State.RUNNING
    assert exhausted.state == Job.State.FAILED
