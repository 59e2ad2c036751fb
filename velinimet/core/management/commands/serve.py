import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Run the web server: gunicorn processes with uvicorn's event loop (velinimet/serving.py), static files "
        "by WhiteNoise; slow clients are cut off by the header and body deadlines."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("VELINIMET_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("VELINIMET_PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("VELINIMET_WEB_WORKERS", "2")))
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("VELINIMET_WEB_THREADS", "4")),
            help="requests each worker runs at once, once their body has arrived",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        os.environ["VELINIMET_WEB_THREADS"] = str(opts["threads"])  # read by the workers' settings
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "velinimet.asgi:application",
            "--config",
            "python:velinimet.gunicorn_conf",
            "--bind",
            f"{opts['host']}:{opts['port']}",
            "--workers",
            str(opts["workers"]),
        ]
        os.execv(sys.executable, argv)
