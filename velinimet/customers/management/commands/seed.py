import random
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Generate Turkish and Azerbaijani demo/benchmark data: people and companies with phones, e-mails, "
        "addresses, identifiers and tags. Deterministic with --seed. Adds to what is there."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=0, help="how many people to add")
        parser.add_argument("--companies", type=int, default=0, help="how many companies to add")
        from velinimet.customers.seed import SEEDERS

        for seeder in SEEDERS.ordered():  # e.g. --activities, registered by the activities module
            parser.add_argument(f"--{seeder.key}", type=int, default=0, help=seeder.help)
        parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same data)")

    def handle(self, *args: Any, **opts: Any) -> None:
        from velinimet.core.demo import load_demo
        from velinimet.customers.seed import SEEDERS, seed_companies, seed_people

        people, companies = opts["people"], opts["companies"]
        children = {seeder.key: opts[seeder.key] for seeder in SEEDERS.ordered()}
        options = ", ".join(f"--{key}" for key in ("people", "companies", *children))
        if min(people, companies, *children.values()) < 0:
            raise CommandError(f"{options} must be zero or more.")
        if not people and not companies and not any(children.values()):
            raise CommandError(f"Nothing to do: give one or more of {options} with a number.")
        from django.db.utils import DatabaseError

        try:
            loaded = load_demo()
        except DatabaseError as exc:
            raise CommandError(f"The database is not ready ({exc}). Run `velinimet migrate` first.") from exc
        if loaded:
            self.stdout.write("Empty database: loaded the demo data first (its users own the generated records).")
        rng = random.Random(opts["seed"])
        started = time.monotonic()

        def report(label: str, total: int) -> Any:
            def progress(done: int) -> None:
                rate = done / max(time.monotonic() - started, 1e-6)
                sys.stderr.write(f"\r{label}: {done:,}/{total:,} ({rate:,.0f}/s)")
                sys.stderr.flush()

            return progress

        try:
            company_ids = seed_companies(companies, rng, report("companies", companies)) if companies else []
            if companies:
                sys.stderr.write("\n")
                started = time.monotonic()
            if people:
                seed_people(people, rng, company_ids, report("people", people))
                sys.stderr.write("\n")
            for key, count in children.items():
                if count:
                    started = time.monotonic()
                    SEEDERS[key].run(count, rng, report(key, count))
                    sys.stderr.write("\n")
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        from django.db import connection

        with connection.cursor() as cursor:  # fresh planner statistics after a bulk load
            cursor.execute("ANALYZE")
        added = [f"{people:,} people", f"{companies:,} companies", *(f"{n:,} {key}" for key, n in children.items())]
        self.stdout.write(self.style.SUCCESS(f"Added {', '.join(added[:-1])} and {added[-1]}."))
