"""Schemathesis over the whole OpenAPI schema, as an administrator and as a sales rep.

Every operation gets positive and negative cases, generated with a fixed seed (``derandomize``) and a
fixed budget, sent to the real WSGI application inside the test database, so DELETE and KVKK erasure
only destroy the records this test made. Every answer must be no 5xx, a documented status code, the
documented content type and a body that matches the documented schema. All failures are collected and
reported together (one line per operation, status and check) instead of stopping at the first.

Budget: ``VELINIMET_FUZZ_EXAMPLES`` cases per operation, mode and user (default 10); the run prints how
many cases it sent and how long it took.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections import Counter
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

TIMINGS: Counter = Counter()
EXAMPLES = int(os.environ.get("VELINIMET_FUZZ_EXAMPLES", "10"))
# VELINIMET_FUZZ_CHECKS=not_a_server_error narrows the run to 5xx (how the "before" figure was measured).
CHECK_NAMES = os.environ.get(
    "VELINIMET_FUZZ_CHECKS",
    "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
).split(",")


def _victims(cast: Any, owner: Any) -> dict[str, Any]:
    """Records the fuzzer may read, change and destroy, owned by ``owner`` so that they can see them: never
    the acting users, their tokens or roles. Made anew for each user: the admin's run deletes and erases."""
    from velinimet.accounts import services as accounts_services
    from velinimet.accounts.models import Role, Team, User
    from velinimet.activities.services import activity_log
    from velinimet.core.models import AuditEntry
    from velinimet.core.services import audit_export_start
    from velinimet.customers import services
    from velinimet.customers.models import CustomField
    from velinimet.customers.services.custom_fields import custom_field_create
    from velinimet.customers.services.merge import records_merge

    admin = cast.admin
    # The previous user's run may have defined required custom fields (a valid POST /custom-fields/): the
    # victims are made without their values, so only this test's own definitions stay.
    CustomField.objects.exclude(key__in=[f"f_{kind}" for kind in ("text", "number", "date", "boolean")]).delete()
    for kind in ("text", "number", "date", "boolean"):
        if not CustomField.objects.filter(key=f"f_{kind}").exists():
            custom_field_create(actor=admin, record_type="person", key=f"f_{kind}", label=kind, kind=kind)
    mine = {"owner": owner, "team": owner.team, "force": True}
    person = services.person_create(actor=admin, first_name="Ayşe", last_name="Yılmaz", tags=["vip"], **mine)
    other = services.person_create(actor=admin, first_name="Ali", last_name="Veli", **mine)
    company = services.company_create(actor=admin, name=f"Öz-Tür {owner.username} A.Ş.", **mine)
    services.consent_record(actor=admin, person=person, channel="email", status="granted")
    activity = activity_log(actor=admin, person=person, owner=owner, kind="call", subject="Aradı")
    merge = records_merge(actor=admin, survivor=person, other=other, choices={})
    team = Team.objects.create(name=f"Kurban {owner.username}", parent=cast.sales)
    role = Role.objects.create(name=f"Victim role {owner.username}", slug=f"victim_{owner.username}")
    user = User.objects.create(username=f"victim_{owner.username}", role=role, team=team)
    token, _key = accounts_services.token_create(actor=admin, user=admin, name="victim")
    job = audit_export_start(actor=admin, filters={})
    entry = AuditEntry.objects.first()
    return {
        "people": person.pk,
        "companies": company.pk,
        "activities": activity.pk,
        "merges": merge.pk,
        "teams": team.pk,
        "users": user.pk,
        "roles": role.pk,
        "tokens": token.pk,
        "jobs": str(job.pk),
        "audit": entry.pk,
        "custom-fields": CustomField.objects.filter(record_type="person").first().pk,
    }


def _fuzz(schema: Any, headers: dict[str, str], victims: dict[str, Any]) -> tuple[Counter, list[str], int]:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis.errors import Unsatisfiable
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error
    from schemathesis.core.failures import Failure, FailureGroup
    from schemathesis.specs.openapi import checks

    wanted = [not_a_server_error if name == "not_a_server_error" else getattr(checks, name) for name in CHECK_NAMES]
    failures: Counter = Counter()
    examples: list[str] = []
    count = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        resource = operation.path.removeprefix("/api/v1/").split("/")[0]
        path_parameters = {"id": victims[resource]} if "{id}" in operation.path and resource in victims else None
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            # Positive cases act on the victims; negative ones negate the path too (a wrong id never matches
            # a real record), so they cannot revoke the caller's token or delete its role.
            fixed = path_parameters if mode is GenerationMode.POSITIVE else None
            strategy = operation.as_strategy(generation_mode=mode, path_parameters=fixed)

            @settings(
                max_examples=EXAMPLES,
                derandomize=True,
                deadline=None,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=strategy)
            def run(case: Any) -> None:
                nonlocal count
                count += 1
                response = case.call(headers=headers)
                try:
                    case.validate_response(response, checks=wanted)
                except (Failure, FailureGroup) as exc:  # each failure is recorded, the run goes on
                    found = exc.exceptions if isinstance(exc, FailureGroup) else (exc,)
                    for failure in found:
                        key = f"{operation.method.upper()} {operation.path} -> {response.status_code}: {failure.title}"
                        if not failures[key]:
                            body = response.content[:300].decode("utf-8", "replace")
                            examples.append(f"{key}\n    {case.as_curl_command()[:400]}\n    {body}")
                        failures[key] += 1

            began = time.monotonic()
            with contextlib.suppress(Unsatisfiable):  # nothing to negate (no parameters, no body)
                run()
            TIMINGS[f"{operation.method.upper()} {operation.path} {mode}"] += time.monotonic() - began
    return failures, examples, count


@pytest.fixture
def _wsgi_requests_keep_the_test_transaction() -> Any:
    """Django's test client does the same: closing "old" connections after a request would close the
    test's own connection, and with it the transaction that holds the test data."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("_wsgi_requests_keep_the_test_transaction")
def test_every_api_operation_answers_as_documented_to_generated_input(cast: Any, settings: Any) -> None:
    from django.core.wsgi import get_wsgi_application

    from velinimet.accounts.services import token_create

    settings.DEBUG = False
    app = get_wsgi_application()
    started = time.monotonic()
    total_failures: Counter = Counter()
    report: list[str] = []
    total = 0
    for user in (cast.admin, cast.rep_ist):
        _token, key = token_create(actor=user, user=user, name="fuzz")
        headers = {"Authorization": f"Token {key}"}
        schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", app, headers=headers)
        failures, examples, count = _fuzz(schema, headers, _victims(cast, user))
        total += count
        total_failures.update({f"[{user.username}] {k}": v for k, v in failures.items()})
        report += [f"[{user.username}] {e}" for e in examples]
        operations = len(list(schema.get_all_operations()))
    elapsed = time.monotonic() - started
    print(f"\nschemathesis: {operations} operations x 2 users x 2 modes, {total} cases in {elapsed:.0f} s")
    for key, seconds in TIMINGS.most_common(12):
        print(f"  {seconds:6.1f} s  {key}")
    assert not total_failures, "\n".join(report)
