"""The audit log's filters (``core.filters.AuditEntryFilter``): one declaration for its page, the API and the
CSV export; an unknown parameter is a 400 (API) or a message (page)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from velinimet.accounts import services as accounts

pytestmark = pytest.mark.django_db


@pytest.fixture
def renamed(cast: Any) -> Any:
    return accounts.team_update(actor=cast.admin, team=cast.baku, name="Bakı Ofisi")


def _count(response: Any) -> int:
    assert response.status_code == 200, response.json()
    return len(response.json()["results"])


def test_every_audit_api_filter_filters(cast: Any, api: Any, renamed: Any) -> None:
    client = api(cast.admin)
    assert _count(client.get("/api/v1/audit/", {"actor": "ADMIN", "action": "update"})) >= 1
    assert _count(client.get("/api/v1/audit/", {"actor": "rep_ist", "action": "update"})) == 0
    assert _count(client.get("/api/v1/audit/", {"record_type": "accounts.team", "object_id": cast.baku.pk})) >= 1
    assert _count(client.get("/api/v1/audit/", {"record_type": "accounts.team", "object_id": 0})) == 0
    assert _count(client.get("/api/v1/audit/", {"since": "2999-01-01"})) == 0
    assert _count(client.get("/api/v1/audit/", {"until": "2000-01-01"})) == 0


def test_unknown_or_invalid_audit_filters_are_a_400(cast: Any, api: Any, renamed: Any) -> None:
    client = api(cast.admin)
    unknown = client.get("/api/v1/audit/", {"user": "admin"})
    assert unknown.status_code == 400 and set(unknown.json()["errors"]) == {"user"}
    bad = client.get("/api/v1/audit/", {"action": "renamed", "since": "2026-13-01"})
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"action", "since"}
    backwards = client.get("/api/v1/audit/", {"since": "2026-12-01", "until": "2026-01-01"})
    assert backwards.status_code == 400 and "non_field_errors" in backwards.json()["errors"]


def test_audit_page_names_an_unknown_filter_and_lists_nothing(cast: Any, renamed: Any) -> None:
    client = Client()
    client.force_login(cast.admin)
    page = client.get("/settings/audit/", {"user": "admin"})
    assert page.status_code == 200 and "“user”" in page.content.decode()
    assert page.context["page"].paginator.count == 0
    assert client.get("/settings/audit/", {"actor": "admin", "page": 1}).context["page"].paginator.count >= 1


def test_audit_export_takes_the_pages_filters_and_refuses_a_bad_one(cast: Any, renamed: Any) -> None:
    from velinimet.core.jobs import job_run
    from velinimet.core.models import Job

    client = Client()
    client.force_login(cast.admin)
    refused = client.post("/settings/audit/export/", {"since": "not a date"})
    assert refused.status_code == 302 and not Job.objects.filter(kind="core.audit_export").exists()
    started = client.post("/settings/audit/export/", {"record_type": "accounts.team", "since": "2020-01-01"})
    job = Job.objects.get(kind="core.audit_export")
    assert started.status_code == 302 and job.params == {"record_type": "accounts.team", "since": "2020-01-01"}
    job_run(str(job.pk))  # the test's transaction never commits, so the job was not started on commit
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED and job.result["rows"] >= 1
