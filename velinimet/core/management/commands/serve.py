import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the web server (gunicorn) with static files served by WhiteNoise."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("VELINIMET_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("VELINIMET_PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("VELINIMET_WEB_WORKERS", "2")))
        parser.add_argument("--threads", type=int, default=4)

    def handle(self, *args: Any, **opts: Any) -> None:
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "velinimet.wsgi:application",
            "--bind",
            f"{opts['host']}:{opts['port']}",
            "--workers",
            str(opts["workers"]),
            "--threads",
            str(opts["threads"]),
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "5",
        ]
        os.execv(sys.executable, argv)
