"""Huey tasks of the activities app."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*"))
def log_unlogged_calls() -> None:
    """Every minute: a recognised call that rang over 10 minutes ago and that nobody logged is logged."""
    from velinimet.activities.services import calls_log_unlogged

    calls_log_unlogged()


@db_periodic_task(crontab(hour="2", minute="7"))
def compute_due_contacts() -> None:
    """Every night: who is due for a call or a visit under the contact rules (My day's list)."""
    from velinimet.activities.contacts import contacts_compute

    contacts_compute()
