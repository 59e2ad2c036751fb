"""Background jobs: start one (a ``Job`` row plus a queued task) and report its progress.

A job handler receives the ``Job`` and a ``JobProgress``; it must be idempotent, because a
worker killed midway leaves the job to be run again.
"""

from __future__ import annotations

import datetime
import time
import traceback
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .exceptions import DomainError
from .models import Job
from .registry import JOB_KINDS


class JobProgress:
    """Writes done/total/message to the job row, at most every ``interval`` seconds."""

    def __init__(self, job: Job, interval: float = 0.25) -> None:
        self.job = job
        self.interval = interval
        self._last = 0.0

    def update(
        self,
        *,
        done: int | None = None,
        total: int | None = None,
        message: str | None = None,
        force: bool = False,
    ) -> None:
        if done is not None:
            self.job.done = done
        if total is not None:
            self.job.total = total
        if message is not None:
            self.job.message = message[:500]
        if self.job.total is not None and self.job.done > self.job.total:
            self.job.total = self.job.done
        now = time.monotonic()
        if force or now - self._last >= self.interval:
            self._last = now
            Job.objects.filter(pk=self.job.pk).update(
                done=self.job.done, total=self.job.total, message=self.job.message, heartbeat_at=timezone.now()
            )


def job_start(*, actor: Any, kind: str, title: str, params: dict[str, Any] | None = None) -> Job:
    """Create a queued job and enqueue its task once the surrounding transaction commits."""
    if kind not in JOB_KINDS:
        raise DomainError(_("Unknown job kind."), code="unknown_job_kind")
    job = Job.objects.create(kind=kind, title=title[:200], started_by=actor, params=params or {})
    from .tasks import run_job

    transaction.on_commit(lambda: run_job(str(job.pk)))
    return job


def job_run(job_id: str) -> None:
    """Claim a queued job and run its handler; a job already claimed or finished is left alone."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return
    job = Job.objects.select_related("started_by").get(pk=job_id)
    progress = JobProgress(job)
    language = getattr(job.started_by, "language", "") or settings.LANGUAGE_CODE
    try:
        with translation.override(language):  # messages and results in the language of who started it
            result = JOB_KINDS[job.kind].handler(job, progress) or {}
    except Exception as exc:  # the job row records any failure; the worker keeps running
        Job.objects.filter(pk=job.pk).update(
            state=Job.State.FAILED,
            finished_at=timezone.now(),
            error=f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}"[:5000],
            message=str(exc)[:500],
            done=job.done,
            total=job.total,
        )
        return
    if job.total is None:
        job.total = job.done
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.SUCCEEDED,
        finished_at=timezone.now(),
        result=result,
        done=job.done,
        total=job.total,
        message=job.message,
        result_file=job.result_file,
    )


def jobs_requeue_stale() -> list[str]:
    """Put back in the queue the jobs whose worker died: running, with no progress for a while.

    Handlers are idempotent, so running one again is safe; after ``JOB_MAX_ATTEMPTS`` it is failed instead.
    """
    cutoff = timezone.now() - datetime.timedelta(minutes=settings.JOB_STALE_MINUTES)
    stale = Job.objects.filter(state=Job.State.RUNNING, heartbeat_at__lt=cutoff)
    Job.objects.filter(pk__in=stale.filter(attempts__gte=settings.JOB_MAX_ATTEMPTS).values("pk")).update(
        state=Job.State.FAILED, finished_at=timezone.now(), message=_("The worker stopped; gave up after retries.")
    )
    requeued = []
    for job_id in stale.values_list("pk", flat=True):
        if Job.objects.filter(pk=job_id, state=Job.State.RUNNING).update(state=Job.State.QUEUED):
            requeued.append(str(job_id))
    from .tasks import run_job

    for requeued_id in requeued:
        run_job(requeued_id)
    return requeued
