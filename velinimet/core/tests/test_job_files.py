"""Every file the app serves, downloaded by every role of the cast: only the starter and administrators
get a job's file, while they still hold the right the job needed; files expire after the retention."""

from __future__ import annotations

import os
import time
from typing import Any

import pytest
from django.test import Client

from velinimet.core.jobfiles import exports_expire
from velinimet.core.models import Job
from velinimet.core.services import audit_export_start

pytestmark = pytest.mark.django_db

ROLES = ["admin", "manager", "rep_ist", "rep_baku", "reader"]


def _audit_export_by_admin(cast: Any, capture: Any) -> Job:
    with capture(execute=True):
        job = audit_export_start(actor=cast.admin, filters={})
    job.refresh_from_db()
    return job


def _import_problems_by_rep(cast: Any, capture: Any) -> Job:
    from velinimet.customers.services.importer import import_start

    with capture(execute=True):
        job = import_start(actor=cast.rep_ist, kind="person", data=b"Ad;Telefon\nAhmet;12345\n", trial=True)
    job.refresh_from_db()
    return job


def _company_import_problems_by_manager(cast: Any, capture: Any) -> Job:
    from velinimet.customers.services.importer import import_start

    with capture(execute=True):
        job = import_start(actor=cast.manager, kind="company", data="Firma adı;VKN\nAcme;12\n".encode(), trial=True)
    job.refresh_from_db()
    return job


# Expected status per role. The job page is visible by the job's visibility (a manager sees their team
# tree's jobs), so 403 means "sees the job, may not take the file" and 404 "does not see the job".
FILES = {
    "audit_export_by_admin": (
        _audit_export_by_admin,
        {"admin": 200, "manager": 403, "rep_ist": 404, "rep_baku": 404, "reader": 404},
    ),
    "import_problems_by_rep_ist": (
        _import_problems_by_rep,
        {"admin": 200, "manager": 403, "rep_ist": 200, "rep_baku": 404, "reader": 404},
    ),
    "company_import_problems_by_manager": (
        _company_import_problems_by_manager,
        {"admin": 200, "manager": 200, "rep_ist": 404, "rep_baku": 404, "reader": 404},
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("file_kind", list(FILES))
def test_job_file_downloads_by_role(
    cast: Any, api: Any, django_capture_on_commit_callbacks: Any, file_kind: str, role: str
) -> None:
    make, expected = FILES[file_kind]
    job = make(cast, django_capture_on_commit_callbacks)
    assert job.state == Job.State.SUCCEEDED and job.result_file, job.error
    user = getattr(cast, role)
    client = Client()
    client.force_login(user)
    response = client.get(f"/jobs/{job.pk}/download/")
    assert response.status_code == expected[role]
    page = client.get(f"/jobs/{job.pk}/")
    body = api(user).get(f"/api/v1/jobs/{job.pk}/")
    if expected[role] == 404:
        assert page.status_code == body.status_code == 404
        return
    if expected[role] == 200:
        assert "no-store" in response["Cache-Control"]
    may = expected[role] == 200
    assert ("/download/" in page.content.decode()) is may
    assert (body.json()["download_url"] is not None) is may
    assert body.json()["file_status"] == ("available" if may else "not_allowed")
    assert bool(body.json()["result"]) is may  # the report names the same lines as the file


def test_manager_sees_a_reps_import_progress_but_not_its_report(
    cast: Any, api: Any, django_capture_on_commit_callbacks: Any
) -> None:
    job = _import_problems_by_rep(cast, django_capture_on_commit_callbacks)
    client = Client()
    client.force_login(cast.rep_ist)
    assert "Ahmet" in client.get(f"/customers/import/{job.pk}/").content.decode()
    client.force_login(cast.manager)
    page = client.get(f"/customers/import/{job.pk}/")
    assert page.status_code == 200 and "Ahmet" not in page.content.decode()
    assert "Ahmet" not in api(cast.manager).get(f"/api/v1/jobs/{job.pk}/").content.decode()


def test_manager_cannot_download_admins_audit_export(cast: Any, django_capture_on_commit_callbacks: Any) -> None:
    job = _audit_export_by_admin(cast, django_capture_on_commit_callbacks)
    client = Client()
    client.force_login(cast.manager)
    assert client.get(f"/jobs/{job.pk}/").status_code == 200  # the manager sees the job in their tree
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 403  # but not the log it holds


def test_a_starter_who_lost_the_right_cannot_download_their_file(
    cast: Any, api: Any, django_capture_on_commit_callbacks: Any
) -> None:
    job = _import_problems_by_rep(cast, django_capture_on_commit_callbacks)
    client = Client()
    client.force_login(cast.rep_ist)
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 200
    role = cast.rep_ist.role
    role.permissions = {"customers.person": {"create": 0}}
    role.save()
    cast.rep_ist.refresh_from_db()
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 403
    body = api(cast.rep_ist).get(f"/api/v1/jobs/{job.pk}/").json()
    assert body["download_url"] is None and body["file_status"] == "not_allowed"


def test_an_administrator_whose_export_right_was_removed_cannot_download_the_audit_export(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    job = _audit_export_by_admin(cast, django_capture_on_commit_callbacks)
    role = cast.admin.role
    role.permissions = {"core.auditentry": {"read": 4, "export": 0}}
    role.save()
    client = Client()
    client.force_login(cast.admin)
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 403


def test_a_deactivated_starter_holds_no_right(cast: Any, django_capture_on_commit_callbacks: Any) -> None:
    from velinimet.core.jobfiles import may_download

    job = _import_problems_by_rep(cast, django_capture_on_commit_callbacks)
    assert may_download(cast.rep_ist, job)
    cast.rep_ist.is_active = False
    assert not may_download(cast.rep_ist, job)


def test_a_job_kind_that_declares_no_download_permission_serves_no_file(cast: Any) -> None:
    from velinimet.core.registry import JOB_KINDS, JobKind, registry

    registry.register("core.job_kinds", JobKind("test.undeclared", "x", lambda job, progress: {}))
    try:
        job = Job.objects.create(
            kind="test.undeclared", title="x", started_by=cast.admin, state=Job.State.SUCCEEDED, result_file="a.csv"
        )
        client = Client()
        client.force_login(cast.admin)
        assert client.get(f"/jobs/{job.pk}/download/").status_code == 403
    finally:
        JOB_KINDS.unregister("test.undeclared")


def test_every_job_kind_that_writes_a_file_declares_who_may_download_it() -> None:
    from velinimet.core.registry import JOB_KINDS

    writes_files = {"core.audit_export", "customers.import"}
    assert writes_files <= set(JOB_KINDS)
    for key in writes_files:
        assert JOB_KINDS[key].download_permission is not None, key


def test_result_files_expire_after_the_retention_and_the_job_says_so(
    cast: Any, api: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    export = _audit_export_by_admin(cast, django_capture_on_commit_callbacks)
    problems = _import_problems_by_rep(cast, django_capture_on_commit_callbacks)
    upload = settings.DATA_DIR / "imports" / problems.params["file"]
    paths = [settings.EXPORT_DIR / export.result_file, settings.EXPORT_DIR / problems.result_file]
    assert exports_expire() == 0 and all(p.is_file() for p in paths)
    eight_days_ago = time.time() - 8 * 86400
    for path in paths:
        os.utime(path, (eight_days_ago, eight_days_ago))
    client = Client()
    client.force_login(cast.admin)
    # Past the retention the file is refused even before the daily clean-up ran.
    gone = client.get(f"/jobs/{export.pk}/download/")
    assert gone.status_code == 410 and 'id="job-file-gone"' in gone.content.decode()
    assert exports_expire() == 2 and not any(p.exists() for p in paths)
    assert Job.objects.filter(pk__in=[export.pk, problems.pk]).count() == 2  # the jobs stay
    for job in (export, problems):
        assert client.get(f"/jobs/{job.pk}/download/").status_code == 410
        body = api(cast.admin).get(f"/api/v1/jobs/{job.pk}/").json()
        assert body["download_url"] is None and body["file_status"] == "expired"
        assert 'id="job-file-expired"' in client.get(f"/jobs/{job.pk}/").content.decode()
    assert upload.is_file()  # uploads are the importer's to clean, not the exports' expiry


def test_the_retention_is_a_setting(cast: Any, settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    export = _audit_export_by_admin(cast, django_capture_on_commit_callbacks)
    path = settings.EXPORT_DIR / export.result_file
    two_days_ago = time.time() - 2 * 86400
    os.utime(path, (two_days_ago, two_days_ago))
    assert exports_expire() == 0
    settings.EXPORT_RETENTION_DAYS = 1
    assert exports_expire() == 1 and not path.exists()


def test_export_file_delete_leaves_the_job_and_its_page_says_expired(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from velinimet.core.jobfiles import export_file_delete

    job = _audit_export_by_admin(cast, django_capture_on_commit_callbacks)
    assert export_file_delete(job) is True
    assert export_file_delete(job) is False
    client = Client()
    client.force_login(cast.admin)
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 410


def test_a_result_file_name_outside_the_exports_folder_is_not_served(cast: Any, settings: Any) -> None:
    settings.EXPORT_DIR.mkdir(parents=True, exist_ok=True)
    (settings.EXPORT_DIR.parent / "secret.csv").write_text("x")
    job = Job.objects.create(
        kind="core.audit_export",
        title="x",
        started_by=cast.admin,
        state=Job.State.SUCCEEDED,
        result_file="../secret.csv",
    )
    client = Client()
    client.force_login(cast.admin)
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404


# The KVKK export is not a kept file: it is built for the request, after the export right on the person
# (the one visibility helper), so it needs no starter rule; it is here so that every file the app serves
# is in this matrix. Reps read but may not export; a rep of another team does not see the person.
KVKK_EXPORT = {"admin": 200, "manager": 200, "rep_ist": 403, "rep_baku": 404, "reader": 403}


@pytest.mark.parametrize("role", ROLES)
def test_kvkk_export_downloads_by_role(cast: Any, api: Any, role: str) -> None:
    from velinimet.customers import services

    person = services.person_create(actor=cast.rep_ist, first_name="Leyla", last_name="Kaya")
    user = getattr(cast, role)
    client = Client()
    client.force_login(user)
    assert client.get(f"/customers/people/{person.pk}/kvkk/export/").status_code == KVKK_EXPORT[role]
    assert api(user).get(f"/api/v1/people/{person.pk}/kvkk-export/").status_code == KVKK_EXPORT[role]


def test_every_file_response_of_the_app_is_in_this_matrix() -> None:
    """A new view that serves a file must join the matrix above (and, if it keeps the file, be a job)."""
    import re
    from pathlib import Path

    import velinimet

    root = Path(velinimet.__file__).parent
    serving = set()
    pattern = re.compile(r"FileResponse\(|StreamingHttpResponse\(|Content-Disposition")
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        if pattern.search(path.read_text(encoding="utf-8")):
            serving.add(str(path.relative_to(root)))
    # accounts/views.py: the backup codes just shown, posted back by their owner's page as a text file (nothing
    # kept; the URL matrix checks it needs a login).
    assert serving == {"accounts/views.py", "core/views.py", "customers/views/people.py"}


def test_a_failed_jobs_traceback_is_for_administrators_and_its_starter_reads_the_message(cast: Any, api: Any) -> None:
    from velinimet.core.jobs import job_run
    from velinimet.customers.services.importer import import_start

    job = import_start(
        actor=cast.rep_ist, kind="person", data=("Ad;Soyad\n" + ";".join(["x"] * 300) + "\n").encode(), trial=True
    )
    job_run(str(job.pk))
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and "Traceback" in job.error
    starter = api(cast.rep_ist).get(f"/api/v1/jobs/{job.pk}/").json()
    assert (
        starter["error"] == job.message
        and "Traceback" not in starter["error"]
        and "/velinimet/" not in starter["error"]
    )
    admin = api(cast.admin).get(f"/api/v1/jobs/{job.pk}/").json()
    assert "Traceback" in admin["error"]
