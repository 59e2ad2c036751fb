"""Huey tasks of the customers app."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="3", minute="41"))
def clean_import_uploads() -> None:
    """Uploaded import files hold personal data: drop them after a week (result files: core's expiry)."""
    from velinimet.customers.services.importer import imports_clean

    imports_clean()
