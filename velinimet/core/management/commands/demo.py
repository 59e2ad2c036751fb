import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from velinimet.core.demo import load_demo, print_login


class Command(BaseCommand):
    help = "Migrate, load demo data into an empty database, then run the web server and a worker until Ctrl-C."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=int(os.environ.get("VELINIMET_PORT", "8000")))
        parser.add_argument("--no-serve", action="store_true", help="prepare the database and stop")

    def handle(self, *args: Any, **opts: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        loaded = load_demo()
        self.stdout.write(
            "Demo data loaded." if loaded else "Existing data kept (demo data loads only into an empty database)."
        )
        if opts["no_serve"]:
            print_login(self.stdout, f"http://{opts['host']}:{opts['port']}/")
            return
        cli = [sys.executable, "-m", "velinimet"]
        web = subprocess.Popen([*cli, "serve", "--host", opts["host"], "--port", str(opts["port"])])
        worker = subprocess.Popen([*cli, "worker"])
        time.sleep(1.5)
        self.stdout.write("\nVelinimet is running (web server and background worker). Press Ctrl-C to stop both.\n")
        print_login(self.stdout, f"http://{opts['host']}:{opts['port']}/")
        self.stdout.flush()
        procs = [web, worker]
        try:
            while all(p.poll() is None for p in procs):
                time.sleep(0.5)
            failed = [p for p in procs if p.poll() is not None]
            self.stderr.write(f"A process stopped unexpectedly (exit {failed[0].returncode}); stopping the other.")
        except KeyboardInterrupt:
            self.stdout.write("\nStopping…")
        finally:
            for p in procs:
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)
            for p in procs:
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
