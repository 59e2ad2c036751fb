"""Writes of the core app: audit export (a background job)."""

from __future__ import annotations

import json
import zoneinfo
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from .csvfile import safe_writer
from .exceptions import NotAllowed
from .jobs import JobProgress, job_start
from .models import Job
from .selectors import audit_list
from .visibility import Level, level_for

if TYPE_CHECKING:
    from .visibility import AccessSubject


def audit_export_start(*, actor: AccessSubject, filters: dict[str, Any]) -> Job:
    """Start a CSV export of the audit entries ``actor`` may export, narrowed by ``filters``."""
    if level_for(actor, "core.auditentry", "export") == Level.NONE:
        raise NotAllowed(_("You may not export the audit log."))
    params = {k: str(v) for k, v in filters.items() if v}  # query parameters, read by core.filters when it runs
    return job_start(actor=actor, kind="core.audit_export", title=_("Audit log export"), params=params)


def audit_export_run(*, job: Job, progress: JobProgress) -> dict[str, Any]:
    """Write the export file; re-running it rewrites the same file, so a retry is harmless."""
    user = get_user_model().objects.get(pk=job.started_by_id or 0)
    qs = audit_list(user, job.params, action="export").order_by("at", "id")  # the page's filters, as text
    total = qs.count()
    progress.update(done=0, total=total, message=_("Exporting audit entries"), force=True)
    export_dir = settings.EXPORT_DIR
    export_dir.mkdir(parents=True, exist_ok=True)
    path = export_dir / f"audit-{job.pk}.csv"
    try:
        _write_audit_csv(path, qs, progress, time_zone=getattr(user, "time_zone", ""))
    except BaseException:  # cancelled, released or failed: no half file is left to download later
        path.unlink(missing_ok=True)
        raise
    job.result_file = path.name
    progress.update(done=total, message=_("Export finished"), force=True)
    return {"rows": total, "file": path.name}


def _write_audit_csv(path: Any, qs: Any, progress: JobProgress, *, time_zone: str = "") -> None:
    """The entries as CSV, times in the exporter's time zone (their offset written: ``+03:00``)."""
    try:
        tz: Any = zoneinfo.ZoneInfo(time_zone) if time_zone else timezone.get_default_timezone()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = timezone.get_default_timezone()
    with path.open("w", newline="", encoding="utf-8-sig") as fh:  # BOM: Excel opens Turkish letters right
        writer = safe_writer(fh)  # "=cmd" in a name cannot run as a formula; "+90 …" reads "'+90 …"
        # "text" is what was done in the exporter's language (the job runs in it); "code" and "data" the same
        # for every language, for a program reading the file.
        header = ["time", "user", "action", "record_type", "record_id", "record", "changes", "text", "code", "data"]
        writer.writerow(header)
        for done, entry in enumerate(qs.iterator(chunk_size=2000), start=1):
            writer.writerow(
                [
                    entry.at.astimezone(tz).isoformat(),
                    entry.actor_name,
                    entry.action,
                    f"{entry.content_type.app_label}.{entry.content_type.model}",
                    entry.object_id,
                    entry.object_repr,
                    json.dumps(entry.changes, ensure_ascii=False),
                    entry.text,
                    entry.code,
                    json.dumps(entry.data, ensure_ascii=False),
                ]
            )
            progress.update(done=done)
