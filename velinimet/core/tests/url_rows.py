"""The URL matrix rows of core: home, settings, search, jobs, the audit log, the API schema (see url_matrix.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from velinimet.accounts.models import User
from velinimet.core.tests.url_matrix import GET, Op, Row, page, post_only
from velinimet.core.tests.url_world import World


def job(world: World, user: User) -> dict[str, Any]:
    return {"pk": world.of(user).import_job.pk}


def queued_job(world: World, user: User) -> dict[str, Any]:
    return {"pk": world.of(user).queued_job.pk}


def job_with_file(world: World, user: User) -> dict[str, Any]:
    """The user's finished import with its file of problem lines, written to this test's export folder."""
    found = world.of(user).import_job
    folder = settings.EXPORT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    (folder / found.result_file).write_text("line,problem\n")
    return {"pk": found.pk}


JOB, AUDIT, PERSON = "core.job", "core.auditentry", "customers.person"

ROWS: dict[str, Row] = {
    # --- core -------------------------------------------------------------------------------
    "core:home": page(),
    "core:settings": page(),
    "core:search": Row(methods={"GET": Op(data=lambda w, u: {"q": w.of(u).person.first_name})}),
    "core:job_detail": page(((JOB, "read"),), kwargs=job),
    "core:job_download": page(((JOB, "read"), (PERSON, "create")), kwargs=job_with_file),
    "core:job_cancel": post_only(Op(needs=((JOB, "read"),)), kwargs=queued_job),
    "core:audit_list": page(((AUDIT, "read"),)),
    "core:audit_export": post_only(Op(needs=((AUDIT, "export"),))),
    # --- API: core --------------------------------------------------------------------------
    "search": Row(methods={"GET": Op(data=lambda w, u: {"q": w.of(u).person.first_name})}),
    "job-list": Row(methods={"GET": Op(needs=((JOB, "read"),))}),
    "job-detail": Row(kwargs=job, methods={"GET": Op(needs=((JOB, "read"),))}),
    "job-cancel": Row(kwargs=queued_job, methods={"POST": Op(needs=((JOB, "read"),))}),
    "audit-list": Row(methods={"GET": Op(needs=((AUDIT, "read"),))}),
    "audit-detail": Row(
        kwargs=lambda w, u: {"pk": w.of(u).audit_entry.pk}, methods={"GET": Op(needs=((AUDIT, "read"),))}
    ),
    # --- API documentation ------------------------------------------------------------------
    "api-schema": Row(methods={"GET": GET}),
    "api-docs": Row(methods={"GET": GET}),
}
