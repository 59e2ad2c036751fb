"""Huey tasks of the customers app."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="3", minute="41"))
def clean_import_uploads() -> None:
    """Uploaded import files and files of lines with problems hold personal data: drop them after a week."""
    from .importer import imports_clean

    imports_clean()
