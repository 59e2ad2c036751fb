"""Result files of background jobs: who may download one, when it expires, and deleting it.

One rule for every file the app keeps in ``EXPORT_DIR`` (the audit export, an import's lines with
problems, and what later modules write): seeing a job is not enough to download its file. Only the
user who started it and administrators may, and only while they still hold the right the job kind
declares (``JobKind.download_permission``, re-checked at every download). Files hold personal data,
so they go after ``EXPORT_RETENTION_DAYS`` days; the job stays, and its page says the file expired.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Job
from .registry import JOB_KINDS
from .visibility import Level, level_for

if TYPE_CHECKING:
    from .visibility import AccessSubject


class FileStatus(models.TextChoices):
    NONE = "none", _("No file")
    AVAILABLE = "available", _("Ready to download")
    EXPIRED = "expired", _("Expired")
    NOT_ALLOWED = "not_allowed", _("Only the user who started the job, or an administrator, may download it")


def export_file_path(job: Job) -> Path | None:
    """Where ``job``'s result file is kept; None when it has none or its name leaves the exports folder."""
    if not job.result_file:
        return None
    path = settings.EXPORT_DIR / job.result_file
    if path.resolve().parent != Path(settings.EXPORT_DIR).resolve():
        return None
    return path


def may_see_result(user: AccessSubject, job: Job) -> bool:
    """Whether ``user`` may see what ``job`` produced (its report, its error, its file): its starter or an
    administrator, holding the right the kind declares (if it declares one) now.

    Seeing the job itself (a manager sees their team tree's jobs) shows only its progress: an import's
    report names the same lines as its file of lines with problems.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    starter = job.started_by_id is not None and job.started_by_id == user.pk
    if not starter and not getattr(user, "is_administrator", False):
        return False
    kind = JOB_KINDS.get(job.kind)
    permission = kind.permission_for(job) if kind is not None else None
    return permission is None or level_for(user, *permission) > Level.NONE


def may_download(user: AccessSubject, job: Job) -> bool:
    """Whether ``user`` may download ``job``'s file: the kind declares who may, and ``may_see_result``."""
    kind = JOB_KINDS.get(job.kind)
    if kind is None or kind.permission_for(job) is None:
        return False
    return may_see_result(user, job)


def _expired(path: Path) -> bool:
    """Gone, or older than the retention (the daily clean-up may not have run yet)."""
    try:
        age = time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return True
    return age > settings.EXPORT_RETENTION_DAYS * 86400


def job_file_status(user: AccessSubject, job: Job) -> FileStatus:
    """What ``user`` may do with ``job``'s result file; the HTML page and the API both ask this."""
    if job.state != Job.State.SUCCEEDED or not job.result_file:
        return FileStatus.NONE
    if not may_download(user, job):
        return FileStatus.NOT_ALLOWED
    path = export_file_path(job)
    if path is None:
        return FileStatus.NONE
    return FileStatus.EXPIRED if _expired(path) else FileStatus.AVAILABLE


def export_file_delete(job: Job) -> bool:
    """Delete ``job``'s result file (expiry, KVKK erasure); the job keeps its name, so its page says "expired"."""
    path = export_file_path(job)
    if path is None or not path.exists():
        return False
    path.unlink(missing_ok=True)
    return True


def exports_expire(days: int | None = None) -> int:
    """Delete the files in ``EXPORT_DIR`` older than ``days`` (``EXPORT_RETENTION_DAYS``); returns how many.

    Only files directly in the exports folder are touched; jobs and uploads are left alone.
    """
    folder = Path(settings.EXPORT_DIR)
    if not folder.is_dir():
        return 0
    cutoff = time.time() - (settings.EXPORT_RETENTION_DAYS if days is None else days) * 86400
    removed = 0
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def job_page_context(user: AccessSubject, job: Job) -> dict[str, Any]:
    """What a job's page shows about its file and its cancellation (the job page, the import page)."""
    from .jobs import may_cancel

    kind = JOB_KINDS.get(job.kind)
    return {
        "job": job,
        "may_see_result": may_see_result(user, job),
        "file_status": job_file_status(user, job),
        "may_cancel": may_cancel(user, job),
        "cancel_note": kind.cancel_note if kind is not None and job.state == Job.State.CANCELLED else "",
        "result_url": kind.result_url(job)
        if kind is not None and kind.result_url and job.state == Job.State.SUCCEEDED and may_see_result(user, job)
        else "",
    }
