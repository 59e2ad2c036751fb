"""Background jobs: start one (a ``Job`` row plus a queued task), report its progress, cancel it.

A job handler receives the ``Job`` and a ``JobProgress``; it must be idempotent, because a
worker killed midway leaves the job to be run again. ``progress.update()`` is also where a handler
stops: it raises ``JobCancelled`` once the job's cancellation was asked for, and ``JobReleased``
when the worker is shutting down (SIGTERM), so every handler can be cancelled and released for free.
"""

from __future__ import annotations

import datetime
import threading
import time
import traceback
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.transaction import atomic
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from huey.contrib.djhuey import db_task

from . import audit
from .exceptions import Conflict, DomainError, NotAllowed
from .models import Job
from .registry import JOB_KINDS

if TYPE_CHECKING:
    from .visibility import AccessSubject


#: Set by ``velinimet worker`` when it is told to stop: running handlers give their job back to the queue.
WORKER_STOPPING = threading.Event()
#: Ids of the jobs this process is running, for the worker to release what is left when it exits.
_CLAIMED: set[str] = set()


class JobCancelled(Exception):  # noqa: N818 (a stop signal, not an error)
    """Raised by ``JobProgress.update`` in a handler whose job was cancelled; ``job_run`` records it."""


class JobReleased(Exception):  # noqa: N818
    """Raised by ``JobProgress.update`` when the worker is stopping; ``job_run`` puts the job back in the queue."""


class JobProgress:
    """Writes done/total/message to the job row, at most every ``interval`` seconds.

    The same UPDATE asks whether a cancellation is pending (``cancel_requested_at`` is null), so
    honouring a cancel costs no extra query: a handler stops within ``interval`` seconds of it.
    """

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
        if WORKER_STOPPING.is_set():
            raise JobReleased
        now = time.monotonic()
        if force or now - self._last >= self.interval:
            self._last = now
            written = Job.objects.filter(pk=self.job.pk, cancel_requested_at__isnull=True).update(
                done=self.job.done, total=self.job.total, message=self.job.message, heartbeat_at=timezone.now()
            )
            if not written:
                raise JobCancelled


def job_start(*, actor: AccessSubject, kind: str, title: str, params: dict[str, Any] | None = None) -> Job:
    """Create a queued job and enqueue its task once the surrounding transaction commits."""
    if kind not in JOB_KINDS:
        raise DomainError(_("Unknown job kind."), code="unknown_job_kind")
    job = Job.objects.create(kind=kind, title=title[:200], started_by_id=actor.pk, params=params or {})
    transaction.on_commit(lambda: run_job(str(job.pk)))
    return job


def job_run(job_id: str) -> None:
    """Claim a queued job and run its handler; a job already claimed or finished is left alone."""
    if WORKER_STOPPING.is_set():  # a stopping worker claims nothing: the task goes back for the next worker
        _enqueue_later(job_id)
        return
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return
    _CLAIMED.add(str(job_id))
    try:
        _run_claimed(job_id)
    finally:
        _CLAIMED.discard(str(job_id))


def jobs_release_claimed() -> list[str]:
    """Put back in the queue the jobs this process still runs (its worker is exiting); returns their ids."""
    return [job_id for job_id in list(_CLAIMED) if job_release(job_id=job_id)]


def _run_claimed(job_id: str) -> None:
    """Run the handler of a job this process claimed, and record how it ended."""
    job = Job.objects.select_related("started_by").get(pk=job_id)
    progress = JobProgress(job)
    # a job may ask for another language (the command line's --language): its params' "language"
    language = (job.params or {}).get("language") or getattr(job.started_by, "language", "") or settings.LANGUAGE_CODE
    try:
        with translation.override(language):  # messages and results in the language of who started it
            result = JOB_KINDS[job.kind].handler(job, progress) or {}
    except JobCancelled:
        Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(
            state=Job.State.CANCELLED, finished_at=timezone.now(), done=job.done, total=job.total
        )
        return
    except JobReleased:
        job_release(job_id=job.pk)
        return
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
    # A job whose cancellation was asked for is not run again: it is cancelled.
    stale.filter(cancel_requested_at__isnull=False).update(state=Job.State.CANCELLED, finished_at=timezone.now())
    requeued = []
    for job_id in stale.values_list("pk", flat=True):
        if Job.objects.filter(pk=job_id, state=Job.State.RUNNING).update(state=Job.State.QUEUED):
            requeued.append(str(job_id))
    for requeued_id in requeued:
        _enqueue(requeued_id)
    return requeued


def _enqueue(job_id: Any) -> None:
    run_job(str(job_id))


def _enqueue_later(job_id: Any) -> None:
    """Enqueue the job's task in a second: by then a stopping worker no longer takes tasks, so the broker
    keeps it for the next worker (and tasks run at once in tests, where a delayed one waits)."""
    run_job.schedule((str(job_id),), delay=1)


def job_release(*, job_id: Any) -> bool:
    """Give a running job back to the queue at once (its worker is stopping), without counting an attempt.

    Handlers are idempotent (an import resumes after its last committed chunk), so the next worker
    simply runs it again; a job whose cancellation was asked for is cancelled instead.
    """
    running = Job.objects.filter(pk=job_id, state=Job.State.RUNNING)
    if running.filter(cancel_requested_at__isnull=False).update(state=Job.State.CANCELLED, finished_at=timezone.now()):
        return False
    released = running.update(state=Job.State.QUEUED, heartbeat_at=None, attempts=F("attempts") - 1)
    if released:
        transaction.on_commit(lambda: _enqueue_later(job_id))
    return bool(released)


def may_cancel(user: AccessSubject, job: Job) -> bool:
    """The user who started a job, and administrators, may cancel it while it is not finished."""
    if job.finished or user is None or not getattr(user, "is_active", False):
        return False
    return (job.started_by_id is not None and job.started_by_id == user.pk) or bool(
        getattr(user, "is_administrator", False)
    )


def job_cancel(*, actor: AccessSubject, job: Job) -> Job:
    """Cancel ``job``: a queued one at once, a running one at its handler's next progress update.

    Work a handler already committed stays done (an import keeps its committed chunks).
    """
    if job.started_by_id != actor.pk and not getattr(actor, "is_administrator", False):
        raise NotAllowed(_("Only the user who started this job, or an administrator, may cancel it."))
    with atomic():
        now = timezone.now()
        cancelled = Job.objects.filter(pk=job.pk, state=Job.State.QUEUED).update(
            state=Job.State.CANCELLED, cancel_requested_at=now, finished_at=now
        )
        requested = cancelled or Job.objects.filter(
            pk=job.pk, state=Job.State.RUNNING, cancel_requested_at__isnull=True
        ).update(cancel_requested_at=now)
        job.refresh_from_db()
        if not requested:
            if job.finished:
                raise Conflict(_("This job has already finished."), code="job_finished")
            return job  # a cancellation was already asked for
        audit.log_action(actor=actor, instance=job, code="core.job.cancelled")
    return job


@db_task(retries=0)
def run_job(job_id: str) -> None:
    """The one task every job runs in. It lives here, not in tasks.py, because starting a job enqueues it:
    tasks.py imports this module, and this module imports no task module (no import cycle)."""
    job_run(job_id)
