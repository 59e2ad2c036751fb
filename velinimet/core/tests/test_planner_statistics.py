"""After a migrate, the planner's statistics are fresh: a rebuilt table is not left without them."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.db import connection

from velinimet.core.apps import refresh_planner_statistics
from velinimet.customers import services

pytestmark = pytest.mark.django_db


def _has_statistics(table: str) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        else:
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = %s", [table])
        return cursor.fetchone()[0] > 0


def test_a_migrate_that_applied_something_analyzes(cast: Any) -> None:
    for i in range(30):
        services.company_create(actor=cast.rep_ist, name=f"Firma {i} A.Ş.")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")  # sqlite_stat1 exists from here on
            cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'customers_company'")  # as a table rebuild leaves it
    if connection.vendor == "sqlite":
        assert not _has_statistics("customers_company")
    core = apps.get_app_config("core")
    refresh_planner_statistics(core, plan=[], using="default")  # nothing applied: nothing done
    if connection.vendor == "sqlite":
        assert not _has_statistics("customers_company")
    refresh_planner_statistics(core, plan=[("a migration", False)], using="default")
    assert _has_statistics("customers_company")
