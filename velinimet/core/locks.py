"""Serialise check-then-insert rules ("no second person with this e-mail") across web and worker processes.

A duplicate check is a read followed by an insert. Two transactions that run it at the same moment both
read "no such record" and both insert: on PostgreSQL, 20 simultaneous creates of one e-mail made 20
records. ``lock_keys()`` makes the second transaction wait at the check until the first has committed,
so its read sees the first record.

- **PostgreSQL**: one transaction-level advisory lock per key (``pg_advisory_xact_lock``). The lock id
  is a 64-bit BLAKE2b hash of ``namespace`` and the key; locks are taken in ascending id order so two
  transactions locking overlapping sets cannot deadlock each other. They are released at commit or
  rollback, never held by an idle connection. Under READ COMMITTED each statement sees what committed
  before it started, so a check run after the lock sees the winner's rows. A hash collision only makes
  two unrelated keys wait for each other.
- **SQLite**: nothing to do. Every transaction starts with ``BEGIN IMMEDIATE`` (the ``transaction_mode``
  setting), which takes the database's single write lock before the first statement, so a check inside
  the transaction already runs alone among writers and sees every earlier commit. The function checks
  that this holds instead of trusting it.

Precondition everywhere: call inside ``transaction.atomic`` and before the check. A lock taken outside a
transaction would be released at once, so that is an error rather than a silent no-op.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.db import connection


def lock_id(namespace: str, key: str) -> int:
    """The signed 64-bit advisory lock id of ``key`` in ``namespace``."""
    digest = hashlib.blake2b(f"{namespace}\x00{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def lock_keys(namespace: str, keys: Iterable[str]) -> None:
    """Hold a lock on each of ``keys`` until the current transaction ends (see the module docstring)."""
    if not connection.in_atomic_block:
        raise RuntimeError("lock_keys() must run inside transaction.atomic: the lock would end with the statement")
    if connection.vendor == "sqlite":
        mode = (connection.settings_dict.get("OPTIONS") or {}).get("transaction_mode")
        if mode not in {"IMMEDIATE", "EXCLUSIVE"}:
            raise RuntimeError("SQLite must use transaction_mode IMMEDIATE for checks to run under the write lock")
        return
    if connection.vendor != "postgresql":
        raise NotImplementedError(f"no key locks for {connection.vendor}")
    ids = sorted({lock_id(namespace, key) for key in keys if key})
    if ids:
        with connection.cursor() as cursor:
            for lid in ids:  # one by one, so the order is certain; a create has a handful of keys
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lid])
