"""The ``velinimet`` command: a thin wrapper around Django's management commands.

velinimet demo [--port 8000]     migrate, load demo data once, run web server + worker
velinimet serve [--port 8000]    web server (gunicorn)
velinimet worker                 background worker (Huey consumer; SIGTERM stops it cleanly)
velinimet migrate                apply database migrations
velinimet createuser ...         create a user (see --help)
velinimet api-token USERNAME     print a new API token for USERNAME
velinimet seed --people N --companies N [--seed S]   generate demo/benchmark data
velinimet contacts-due           compute now who is due for a call or visit (runs nightly in the worker)
velinimet <any manage.py command>
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "velinimet.settings")
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        if not argv:
            sys.exit(2)
        return
    aliases = {
        "api-token": "api_token",
        "contacts-due": "contacts_due",
        "demo": "demo",
        "import": "import_customers",
        "serve": "serve",
        "worker": "worker",  # core's consumer: SIGTERM stops it cleanly
    }
    command = aliases.get(argv[0], argv[0])
    from django.core.management import execute_from_command_line

    execute_from_command_line(["velinimet", command, *argv[1:]])


if __name__ == "__main__":
    main()
