import sys
import threading
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Import people or companies from a CSV file as USER. Without --commit it is a trial run: every line is "
        "checked (errors, likely duplicates) and nothing is saved. Prints progress and the report."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--kind", choices=["person", "company"], default="person")
        parser.add_argument("--user", required=True, help="the username the records are created as (their owner)")
        parser.add_argument("--commit", action="store_true", help="save the good lines (default: trial run)")
        parser.add_argument(
            "--duplicates", choices=["skip", "create"], default="skip", help="what to do with likely duplicates"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        from django.contrib.auth import get_user_model
        from django.utils import translation

        from velinimet.core.exceptions import DomainError
        from velinimet.core.jobs import job_run
        from velinimet.core.models import Job
        from velinimet.customers.services.importer import import_start

        try:  # the same lookup as the login: "AYŞE" is the user "Ayşe"
            user = get_user_model().objects.get_by_natural_key(opts["user"])
        except get_user_model().DoesNotExist:
            user = None
        if user is None or not user.is_active:
            raise CommandError(f"No active user “{opts['user']}”.")
        translation.activate(user.language or "tr")
        try:
            with opts["file"].open("rb") as data:  # copied to the imports folder in chunks, never read whole
                job = import_start(
                    actor=user,
                    kind=opts["kind"],
                    data=data,
                    trial=not opts["commit"],
                    duplicates=opts["duplicates"],
                    uncapped=True,  # a file of the server's own: the caps on lines, columns and cells still hold
                )
        except OSError as exc:
            raise CommandError(f"Cannot read {opts['file']}: {exc.strerror}") from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        # Run it here; if a worker claimed the job first, this returns at once and we follow the worker.
        runner = threading.Thread(target=job_run, args=[str(job.pk)])
        runner.start()
        while True:
            runner.join(0.5)
            job.refresh_from_db()
            sys.stderr.write(f"\r{job.done:,}/{job.total or 0:,} lines")
            if job.finished and not runner.is_alive():
                break
        sys.stderr.write("\n")
        if job.state != Job.State.SUCCEEDED:
            raise CommandError(f"The import failed: {job.message}")
        result = job.result
        verb = "would be created" if result["trial"] else "created"
        self.stdout.write(
            f"{result['lines']:,} lines: {result['created']:,} {verb}, {result['duplicate_count']:,} possible "
            f"duplicates, {result['error_count']:,} with errors."
        )
        for item in result["errors"][:20]:
            self.stdout.write(f"  line {item['line']}: {' '.join(item['messages'])}")
        for item in result["duplicates"][:20]:
            reasons = "; ".join(f"{c['title']} ({', '.join(c['reasons'])})" for c in item["candidates"])
            self.stdout.write(f"  line {item['line']}: looks like {reasons}")
        if job.result_file:
            from django.conf import settings

            self.stdout.write(f"Lines with problems: {settings.EXPORT_DIR / job.result_file}")
        if result["trial"]:
            self.stdout.write("Nothing was saved. Run again with --commit to import.")
