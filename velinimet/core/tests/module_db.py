"""Data built once per test module: a module-scoped fixture inside one transaction, rolled back at the end.

Each test still asks for ``db``; pytest-django then opens its own atomic block, which nests as a savepoint
inside the module's, so whatever a test writes is undone before the next one and the shared data stays as
built. Use it where many tests read the same data (the URL matrix: every URL × every role) and building it
per test would cost most of the run. Nothing is committed, so ``transaction.on_commit`` callbacks (job
starts) never run, as in any non-transactional test.

    @pytest.fixture(scope="module")
    def world(django_db_setup, django_db_blocker):
        with module_data(django_db_blocker):
            yield build_world()
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction


@contextmanager
def module_data(django_db_blocker: Any) -> Iterator[None]:
    """Unblock the database and hold one transaction open for the block; roll it back afterwards."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
