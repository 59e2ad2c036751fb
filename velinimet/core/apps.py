from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


def refresh_planner_statistics(sender: Any, plan: Any = None, using: str = "default", **kwargs: Any) -> None:
    """After migrations ran, refresh the query planner's statistics (``ANALYZE``).

    A migration that rebuilds a table on SQLite (altering a column) drops its ``sqlite_stat1`` rows, and new
    indexes have none: measured at 1M people, the search of a sales manager then went from 5 to 296 ms at
    p50, the planner walking the team index instead of the full-text candidates (docs/benchmarks.md,
    session 7). PostgreSQL's autovacuum catches up later; ANALYZE now costs seconds, not a slow morning."""
    from django.db import connections

    if not plan:
        return
    with connections[using].cursor() as cursor:
        cursor.execute("ANALYZE")


class CoreConfig(AppConfig):
    name = "velinimet.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Every installed app's registrations.py, in INSTALLED_APPS order: the one way apps fill the registry.
        autodiscover_modules("registrations")
        # post_migrate is sent once per app: only core's signal refreshes the statistics, once per migrate.
        post_migrate.connect(refresh_planner_statistics, sender=self, dispatch_uid="core.refresh_planner_statistics")
