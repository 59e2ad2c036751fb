from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from velinimet.core.demo import load_demo, print_login


class Command(BaseCommand):
    help = "Load the demo data into an empty database (does nothing when users exist) and print the login."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args: Any, **opts: Any) -> None:
        loaded = load_demo()
        self.stdout.write("Demo data loaded." if loaded else "Database already has data; demo data not loaded.")
        print_login(self.stdout, opts["url"])
