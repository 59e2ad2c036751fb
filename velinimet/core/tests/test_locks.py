"""core.locks: the one helper that serialises check-then-insert rules."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction

from velinimet.core.locks import lock_id, lock_keys


def test_lock_ids_are_stable_signed_64_bit_and_namespaced() -> None:
    assert lock_id("customers.person", "email:a@b.com") == lock_id("customers.person", "email:a@b.com")
    assert lock_id("customers.person", "email:a@b.com") != lock_id("customers.company", "email:a@b.com")
    assert -(2**63) <= lock_id("x", "y") < 2**63


@pytest.mark.django_db(transaction=True)
def test_a_lock_outside_a_transaction_is_refused_not_silently_useless() -> None:
    with pytest.raises(RuntimeError, match="transaction.atomic"):
        lock_keys("test", ["a"])
    with transaction.atomic():
        lock_keys("test", ["b", "a", "b", ""])  # duplicates and blanks are fine


@pytest.mark.django_db(transaction=True)
def test_sqlite_without_immediate_transactions_is_refused(monkeypatch: Any) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    options = {**connection.settings_dict["OPTIONS"], "transaction_mode": None}
    monkeypatch.setitem(connection.settings_dict, "OPTIONS", options)
    with transaction.atomic(), pytest.raises(RuntimeError, match="IMMEDIATE"):
        lock_keys("test", ["a"])
