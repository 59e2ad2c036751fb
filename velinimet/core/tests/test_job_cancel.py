"""Cancelling jobs: by their starter and administrators only; a queued job at once, a running one at its
handler's next progress update, with what it committed kept."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from velinimet.core import jobs
from velinimet.core.exceptions import NotAllowed
from velinimet.core.models import AuditEntry, Job
from velinimet.core.registry import JOB_KINDS, JobKind, registry

pytestmark = pytest.mark.django_db


def _queued(user: Any) -> Job:
    return Job.objects.create(kind="core.audit_export", title="Export", started_by=user)


@pytest.mark.parametrize("who", ["rep_ist", "admin"])
def test_starter_and_administrator_cancel_a_queued_job_at_once(cast: Any, who: str) -> None:
    job = _queued(cast.rep_ist)
    jobs.job_cancel(actor=getattr(cast, who), job=job)
    job.refresh_from_db()
    assert job.state == Job.State.CANCELLED and job.finished_at is not None
    entry = AuditEntry.objects.get(object_id=str(job.pk))
    with translation.override("en"):
        assert (
            entry.actor == getattr(cast, who) and entry.code == "core.job.cancelled" and entry.text == "job cancelled"
        )
    jobs.job_run(str(job.pk))  # its task, when a worker reaches it, does nothing
    job.refresh_from_db()
    assert job.state == Job.State.CANCELLED and job.attempts == 0


@pytest.mark.parametrize("who", ["manager", "rep_baku", "reader"])
def test_other_users_cannot_cancel_a_job(cast: Any, who: str) -> None:
    job = _queued(cast.rep_ist)
    with pytest.raises(NotAllowed):
        jobs.job_cancel(actor=getattr(cast, who), job=job)
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED and not AuditEntry.objects.filter(object_id=str(job.pk)).exists()


def test_a_finished_job_cannot_be_cancelled(cast: Any) -> None:
    from velinimet.core.exceptions import Conflict

    job = Job.objects.create(kind="core.audit_export", title="x", started_by=cast.admin, state=Job.State.SUCCEEDED)
    with pytest.raises(Conflict):
        jobs.job_cancel(actor=cast.admin, job=job)


@pytest.fixture
def cancelled_midway(cast: Any) -> Any:
    """A job kind whose handler is cancelled (by the user given in params) between two progress updates."""
    seen: list[int] = []

    def handler(job: Job, progress: jobs.JobProgress) -> dict:
        progress.update(done=1, total=3, force=True)
        seen.append(1)
        actor = getattr(cast, job.params["canceller"])
        jobs.job_cancel(actor=actor, job=Job.objects.get(pk=job.pk))
        progress.update(done=2, force=True)
        seen.append(2)  # never reached
        return {}

    registry.register("core.job_kinds", JobKind("test.cancel", "cancel", handler))
    yield seen
    JOB_KINDS.unregister("test.cancel")


@pytest.mark.parametrize("who", ["rep_ist", "admin"])
def test_a_running_job_stops_at_its_next_progress_update(cast: Any, cancelled_midway: Any, who: str) -> None:
    job = Job.objects.create(kind="test.cancel", title="x", started_by=cast.rep_ist, params={"canceller": who})
    jobs.job_run(str(job.pk))
    job.refresh_from_db()
    assert cancelled_midway == [1]
    assert job.state == Job.State.CANCELLED
    assert job.done == 2 and job.cancel_requested_at is not None and job.finished_at is not None
    assert AuditEntry.objects.filter(object_id=str(job.pk), code="core.job.cancelled").count() == 1


def test_a_running_job_is_not_stopped_by_someone_else(cast: Any, cancelled_midway: Any) -> None:
    job = Job.objects.create(kind="test.cancel", title="x", started_by=cast.rep_ist, params={"canceller": "manager"})
    jobs.job_run(str(job.pk))
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and "NotAllowed" in job.error  # the refusal, not a cancellation


def test_a_cancelled_import_keeps_its_committed_chunks_and_says_so(
    cast: Any, settings: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    from velinimet.customers.models import Person
    from velinimet.customers.services import importer

    monkeypatch.setattr(importer, "CHUNK", 2)
    lines = "".join(f"Ad{i};Soyad{i};0532 111 22 {i:02d}\n" for i in range(10))
    original = jobs.JobProgress.update

    def update(self: jobs.JobProgress, **kwargs: Any) -> None:
        if kwargs.get("done") == 4 and not self.job.cancel_requested_at:  # after the second chunk
            self.job.cancel_requested_at = jobs.job_cancel(actor=cast.rep_ist, job=self.job).cancel_requested_at
            kwargs["force"] = True
        original(self, **kwargs)

    monkeypatch.setattr(jobs.JobProgress, "update", update)
    with django_capture_on_commit_callbacks(execute=True):
        job = importer.import_start(
            actor=cast.rep_ist, kind="person", data=("Ad;Soyad;Telefon\n" + lines).encode(), trial=False
        )
    job.refresh_from_db()
    assert job.state == Job.State.CANCELLED, job.error
    assert Person.objects.count() == 4  # two committed chunks of two lines
    client = Client()
    client.force_login(cast.rep_ist)
    page = client.get(f"/customers/import/{job.pk}/").content.decode()
    assert 'id="job-cancelled"' in page and 'id="job-cancel"' not in page  # no button on a finished job


def test_cancel_button_on_the_job_page_for_starter_and_admin_only(cast: Any) -> None:
    job = _queued(cast.rep_ist)
    client = Client()
    for user, shown in [(cast.rep_ist, True), (cast.admin, True), (cast.manager, False)]:
        client.force_login(user)
        assert ('id="job-cancel"' in client.get(f"/jobs/{job.pk}/").content.decode()) is shown
    client.force_login(cast.manager)
    assert client.post(f"/jobs/{job.pk}/cancel/").status_code == 403
    client.force_login(cast.rep_baku)
    assert client.post(f"/jobs/{job.pk}/cancel/").status_code == 404  # does not see the job
    client.force_login(cast.rep_ist)
    response = client.post(f"/jobs/{job.pk}/cancel/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.state == Job.State.CANCELLED
    assert 'id="job-cancelled"' in client.get(f"/jobs/{job.pk}/").content.decode()


def test_cancel_needs_the_csrf_token(cast: Any) -> None:
    job = _queued(cast.rep_ist)
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.rep_ist)
    assert client.post(f"/jobs/{job.pk}/cancel/").status_code == 403
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED


def test_cancel_through_the_api(cast: Any, api: Any) -> None:
    job = _queued(cast.rep_ist)
    refused = api(cast.manager).post(f"/api/v1/jobs/{job.pk}/cancel/")
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    assert api(cast.rep_baku).post(f"/api/v1/jobs/{job.pk}/cancel/").status_code == 404
    done = api(cast.rep_ist).post(f"/api/v1/jobs/{job.pk}/cancel/")
    assert done.status_code == 200 and done.json()["state"] == "cancelled"
    again = api(cast.admin).post(f"/api/v1/jobs/{job.pk}/cancel/")
    assert again.status_code == 409 and again.json()["code"] == "job_finished"


def test_cancel_endpoint_is_in_the_openapi_schema(cast: Any, api: Any) -> None:
    schema = api(cast.admin).get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "/api/v1/jobs/{id}/cancel/" in text


def test_a_stale_job_whose_cancellation_was_asked_is_cancelled_not_requeued(cast: Any, settings: Any) -> None:
    import datetime

    from django.utils import timezone

    long_ago = timezone.now() - datetime.timedelta(minutes=settings.JOB_STALE_MINUTES + 1)
    job = Job.objects.create(
        kind="core.audit_export", title="x", started_by=cast.admin, state=Job.State.RUNNING, heartbeat_at=long_ago
    )
    jobs.job_cancel(actor=cast.admin, job=job)
    assert jobs.jobs_requeue_stale() == []
    job.refresh_from_db()
    assert job.state == Job.State.CANCELLED
