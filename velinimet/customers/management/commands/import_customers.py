import sys
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


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
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="the language of the messages and the report (default: the user's)",
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
        # every message below in the user's language (or --language), like the import page's report
        translation.activate(opts.get("language") or getattr(user, "language", "") or settings.LANGUAGE_CODE)
        if user is None or not user.is_active:
            raise CommandError(_("No active user “%(name)s”.") % {"name": opts["user"]})
        try:
            with opts["file"].open("rb") as data:  # copied to the imports folder in chunks, never read whole
                job = import_start(
                    actor=user,
                    kind=opts["kind"],
                    data=data,
                    trial=not opts["commit"],
                    duplicates=opts["duplicates"],
                    uncapped=True,  # a file of the server's own: the caps on lines, columns and cells still hold
                    language=translation.get_language() or "",
                )
        except OSError as exc:
            message = _("Cannot read %(file)s: %(reason)s") % {"file": opts["file"], "reason": exc.strerror}
            raise CommandError(message) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        # Run it here; if a worker claimed the job first, this returns at once and we follow the worker.
        runner = threading.Thread(target=job_run, args=[str(job.pk)])
        runner.start()
        while True:
            runner.join(0.5)
            job.refresh_from_db()
            done = {"done": _number(job.done), "total": _number(job.total or 0)}
            sys.stderr.write("\r" + _("%(done)s/%(total)s lines") % done)
            if job.finished and not runner.is_alive():
                break
        sys.stderr.write("\n")
        if job.state != Job.State.SUCCEEDED:
            raise CommandError(_("The import failed: %(reason)s") % {"reason": job.message})
        self._report(job)

    def _report(self, job: Any) -> None:
        result = job.result
        counts = {
            "lines": _number(result["lines"]),
            "created": _number(result["created"]),
            "duplicates": _number(result["duplicate_count"]),
            "errors": _number(result["error_count"]),
        }
        summary = (
            ngettext(
                "%(lines)s line: %(created)s would be created, %(duplicates)s possible duplicates, %(errors)s with errors.",
                "%(lines)s lines: %(created)s would be created, %(duplicates)s possible duplicates, %(errors)s with errors.",
                result["lines"],
            )
            if result["trial"]
            else ngettext(
                "%(lines)s line: %(created)s created, %(duplicates)s possible duplicates, %(errors)s with errors.",
                "%(lines)s lines: %(created)s created, %(duplicates)s possible duplicates, %(errors)s with errors.",
                result["lines"],
            )
        )
        self.stdout.write(summary % counts)
        for item in result["errors"][:20]:
            line = {"line": item["line"], "messages": " ".join(item["messages"])}
            self.stdout.write("  " + _("line %(line)s: %(messages)s") % line)
        for item in result["duplicates"][:20]:
            reasons = "; ".join(f"{c['title']} ({', '.join(c['reasons'])})" for c in item["candidates"])
            self.stdout.write(
                "  " + _("line %(line)s: looks like %(records)s") % {"line": item["line"], "records": reasons}
            )
        if job.result_file:
            path = settings.EXPORT_DIR / job.result_file
            self.stdout.write(_("Lines with problems: %(path)s") % {"path": path})
        if result["trial"]:
            self.stdout.write(_("Nothing was saved. Run again with --commit to import."))


def _number(value: int) -> str:
    """A count in the active language's digit grouping (1.250 in Turkish, 1,250 in English)."""
    from django.utils.formats import number_format

    return number_format(value, force_grouping=True)
