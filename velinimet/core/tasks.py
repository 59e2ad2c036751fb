"""Huey tasks of the core app: thin wrappers that take ids and call one service."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .jobfiles import exports_expire
from .jobs import jobs_requeue_stale, run_job

__all__ = ["run_job"]  # defined with the jobs it runs (core/jobs.py); importing it here lets huey find it


@db_periodic_task(crontab(minute="*"))
def requeue_stale_jobs() -> None:
    jobs_requeue_stale()


@db_periodic_task(crontab(hour="3", minute="29"))
def expire_export_files() -> None:
    """Result files hold personal data: deleted after ``EXPORT_RETENTION_DAYS`` days (the jobs stay)."""
    exports_expire()


@db_periodic_task(crontab(hour="3", minute="17"))
def optimize_database() -> None:
    """Keep SQLite's query planner statistics fresh (PostgreSQL's autovacuum does this by itself)."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA optimize")


@db_periodic_task(crontab(minute="23"))
def clean_idempotency_keys() -> None:
    """Forget stored create answers after 24 hours (``Idempotency-Key``)."""
    from .idempotency import idempotency_keys_clean

    idempotency_keys_clean()
