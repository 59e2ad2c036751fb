"""Concurrent creates, each in its own process with its own connection, on the test's real database.

See ``velinimet.core.tests.processes`` for how the processes are started together and how they reach the
database (PostgreSQL's test database, or a file copy of SQLite's): these tests need committed data.
"""

from __future__ import annotations

import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from velinimet.core.tests.processes import database_env, run_at_once

pytestmark = pytest.mark.django_db(transaction=True)

WORKERS = 20
CREATE = "velinimet.customers.tests.race_targets:create_person"


def _outcomes(results: list[dict[str, Any]]) -> Counter[str]:
    errors = [r for r in results if "error" in r]
    assert not errors, errors[0]
    return Counter("created" if "created" in r else r["refused"] for r in results)


def _count(env: dict[str, str], **key: str) -> int:
    return int(run_at_once(env, "velinimet.customers.tests.race_targets:count", [key])[0]["count"])


def test_twenty_simultaneous_creates_of_one_email_phone_or_card_make_one_record_each(cast: Any, tmp_path: Path) -> None:
    env = database_env(tmp_path)
    tag = uuid.uuid4().hex[:8]
    email, phone, card = f"yaris-{tag}@example.com", "+994 50 123 45 67", f"K-{tag}"
    calls = [{"user_id": cast.rep_ist.pk, "first_name": f"Ayşe {i}"} for i in range(WORKERS)]
    for i, call in enumerate(calls):  # a third of each kind, and each kind's rivals among the others
        call.update([{"email": email}, {"phone": phone}, {"card": card, "email": f"kart-{i}-{tag}@example.com"}][i % 3])
    outcomes = _outcomes(run_at_once(env, CREATE, calls))
    # 7 creates with the e-mail and 7 with the phone: one of each is saved, 12 are refused as duplicates;
    # of the 6 with the card, one is saved and 5 get the card's field error.
    assert outcomes == {"created": 3, "duplicate": 12, "invalid": 5}
    assert _count(env, email=email.upper()) == 1
    assert _count(env, phone="+994501234567") == 1


def test_forced_simultaneous_creates_all_save_on_purpose(cast: Any, tmp_path: Path) -> None:
    env = database_env(tmp_path)
    email = f"bilerek-{uuid.uuid4().hex[:8]}@example.com"
    calls = [
        {"user_id": cast.rep_ist.pk, "first_name": f"Can {i}", "email": email, "force": True} for i in range(WORKERS)
    ]
    assert _outcomes(run_at_once(env, CREATE, calls)) == {"created": WORKERS}
    assert _count(env, email=email) == WORKERS


def test_web_writes_are_not_locked_out_while_an_import_runs(cast: Any, tmp_path: Path) -> None:
    """One writer at a time on SQLite: the import's chunks must leave room for the web's writes."""
    env = database_env(tmp_path)
    target = "velinimet.customers.tests.race_targets:import_or_write"
    calls = [
        {"role": "import", "user_id": cast.admin.pk, "lines": 3000},
        {"role": "write", "user_id": cast.rep_ist.pk, "writes": 15},
    ]
    imported, written = run_at_once(env, target, calls)
    assert imported == {"state": "succeeded", "done": 3000}
    assert written["failures"] == []
    assert written["during_import"], "the import ended before the writes were measured"
    assert written["max_wait"] < 3, written
