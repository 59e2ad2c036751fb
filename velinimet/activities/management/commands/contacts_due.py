"""``velinimet contacts-due``: compute now who is due for a call or a visit under the contact rules."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from velinimet.activities.contacts import contacts_compute


class Command(BaseCommand):
    help = "Compute who is due for a call or a visit under the contact rules (the worker does it nightly)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()

        def progress(done: int, total: int, rule: str) -> None:
            if rule:
                self.stdout.write(_("%(done)d/%(total)d: %(rule)s") % {"done": done + 1, "total": total, "rule": rule})

        counts = contacts_compute(progress=progress)
        self.stdout.write(
            _("%(due)d customers due under %(rules)d rules (%(seconds).1f s).")
            % {**counts, "seconds": time.monotonic() - started}
        )
