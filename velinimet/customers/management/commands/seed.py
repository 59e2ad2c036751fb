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
        parser.add_argument(
            "--activities", type=int, default=0, help="how many timeline activities to add, spread over all people"
        )
        parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same data)")

    def handle(self, *args: Any, **opts: Any) -> None:
        from velinimet.core.demo import load_demo
        from velinimet.customers.seed import seed_companies, seed_people

        people, companies, activities = opts["people"], opts["companies"], opts["activities"]
        if people < 0 or companies < 0 or activities < 0:
            raise CommandError("--people, --companies and --activities must be zero or more.")
        if not people and not companies and not activities:
            raise CommandError("Nothing to do: give --people N, --companies N and/or --activities N.")
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
            if activities:
                from velinimet.activities.seed import seed_activities

                started = time.monotonic()
                seed_activities(activities, rng, progress=report("activities", activities))
                sys.stderr.write("\n")
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        from django.db import connection

        with connection.cursor() as cursor:  # fresh planner statistics after a bulk load
            cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(f"Added {people:,} people, {companies:,} companies and {activities:,} activities.")
        )
