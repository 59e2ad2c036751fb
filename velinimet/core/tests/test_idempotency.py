"""API creates are safe to retry: ``Idempotency-Key`` replays, and no answer is lost after a commit."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.utils import timezone

from velinimet.activities.models import Activity
from velinimet.core.idempotency import idempotency_keys_clean
from velinimet.core.models import IdempotencyKey, Job
from velinimet.customers.models import Person

AYSE = {"first_name": "Ayşe", "emails": [{"address": "ayse@example.com"}]}


def _post(client: Any, body: dict[str, Any], key: str = "k-1", path: str = "/api/v1/people/") -> Any:
    return client.post(path, body, format="json", headers={"Idempotency-Key": key})


@pytest.mark.django_db
def test_repeat_with_the_same_key_answers_the_same_record_and_saves_no_second(cast: Any, api: Any) -> None:
    client = api(cast.rep_ist)
    first = _post(client, AYSE)
    again = _post(client, AYSE)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Person.objects.count() == 1 and IdempotencyKey.objects.count() == 1


@pytest.mark.django_db
def test_same_key_with_another_body_is_refused(cast: Any, api: Any) -> None:
    client = api(cast.rep_ist)
    _post(client, AYSE)
    other = _post(client, {**AYSE, "first_name": "Fatma"})
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused" and other.json()["message"]
    elsewhere = _post(client, AYSE, path="/api/v1/companies/")  # same key, another endpoint
    assert elsewhere.status_code == 422
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_users_with_the_same_key_are_independent(cast: Any, api: Any) -> None:
    mine = _post(api(cast.rep_ist), {"first_name": "Ayşe"})
    theirs = _post(api(cast.rep_baku), {"first_name": "Aynur"})
    assert mine.status_code == theirs.status_code == 201 and mine.json()["id"] != theirs.json()["id"]
    assert "Idempotent-Replayed" not in theirs


@pytest.mark.django_db
def test_an_expired_key_is_a_new_request_and_old_keys_are_cleaned(cast: Any, api: Any) -> None:
    client = api(cast.rep_ist)
    first = _post(client, {"first_name": "Ayşe"})
    IdempotencyKey.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    again = _post(client, {"first_name": "Ayşe"})
    assert again.status_code == 201 and again.json()["id"] != first.json()["id"]
    assert "Idempotent-Replayed" not in again
    IdempotencyKey.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    assert idempotency_keys_clean() == 1 and not IdempotencyKey.objects.exists()


@pytest.mark.django_db
def test_an_error_is_not_stored_and_a_bad_key_is_a_field_error(cast: Any, api: Any) -> None:
    client = api(cast.rep_ist)
    assert _post(client, {"first_name": ""}).status_code == 400
    assert _post(client, {"first_name": "Ayşe"}).status_code == 201  # the fixed request runs, same key
    bad = _post(client, {"first_name": "Ayşe"}, key="x" * 300)
    assert bad.status_code == 400 and "Idempotency-Key" in bad.json()["errors"]


@pytest.mark.django_db
def test_activity_and_import_creates_replay_too(cast: Any, api: Any) -> None:
    client = api(cast.rep_ist)
    person = _post(client, {"first_name": "Ayşe"}, key="p").json()
    body = {"person": person["id"], "kind": "call", "subject": "Arandı"}
    logged = [_post(client, body, key="a", path="/api/v1/activities/") for _ in range(2)]
    assert logged[0].json()["id"] == logged[1].json()["id"] and Activity.objects.count() == 1
    csv = "Firma adı,VKN\nIşık Tekstil,1234567890\n".encode()
    started = [
        client.post(
            "/api/v1/imports/",
            {"kind": "company", "file": SimpleUploadedFile("c.csv", csv)},  # a new multipart boundary each time
            format="multipart",
            headers={"Idempotency-Key": "i"},
        )
        for _ in range(2)
    ]
    assert started[0].status_code == started[1].status_code == 202
    assert started[0].json()["job"] == started[1].json()["job"] and Job.objects.count() == 1


@pytest.mark.django_db
def test_a_create_whose_answer_fails_saves_nothing(cast: Any, api: Any, monkeypatch: Any) -> None:
    """The answer is built inside the create's transaction: a connection lost while reading the saved
    record back rolls the record back too, so the client's retry cannot make a second one."""
    from velinimet.customers.api.serializers import PersonSerializer

    def lost(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("server closed the connection unexpectedly")

    client = api(cast.rep_ist)
    client.raise_request_exception = False  # answer as a server would: a 500
    monkeypatch.setattr(PersonSerializer, "to_representation", lost)
    assert client.post("/api/v1/people/", {"first_name": "Ayşe"}, format="json").status_code == 500
    assert not Person.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_repeats_of_one_key_make_one_record(cast: Any, tmp_path: Path) -> None:
    from velinimet.accounts.services import token_create
    from velinimet.core.tests.processes import database_env, run_at_once

    _token, secret = token_create(actor=cast.rep_ist, user=cast.rep_ist, name="race")
    env = database_env(tmp_path)
    call = {"token": secret, "path": "/api/v1/people/", "body": {"first_name": "Ayşe"}, "key": "retry-1"}
    results = run_at_once(env, "velinimet.customers.tests.race_targets:post", [call] * 20)
    assert [r.get("status") for r in results] == [201] * 20, results[0]
    assert len({r["body"]["id"] for r in results}) == 1
    assert sum(r["replayed"] == "true" for r in results) == 19
