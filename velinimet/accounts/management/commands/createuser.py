import getpass
import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from velinimet.accounts import services
from velinimet.accounts.models import Role, Team, User
from velinimet.core.exceptions import DomainError


class Command(BaseCommand):
    help = "Create a user. The password comes from --password-stdin, $VELINIMET_PASSWORD, or a prompt."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", default="administrator", help="role key or name (default: administrator)")
        parser.add_argument("--team", default="", help="team name")
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--language", default="tr", help="tr, en or az")
        parser.add_argument("--time-zone", default="Europe/Istanbul")
        parser.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
        parser.add_argument("--superuser", action="store_true", help="bypass every access check")

    def handle(self, *args: Any, **opts: Any) -> None:
        role = Role.objects.filter(slug=opts["role"]).first() or Role.objects.filter(name__iexact=opts["role"]).first()
        if role is None:
            names = ", ".join(str(s) for s in Role.objects.exclude(slug=None).values_list("slug", flat=True))
            raise CommandError(f"Unknown role {opts['role']!r}. Default roles: {names}")
        team = None
        if opts["team"]:
            team = Team.objects.filter(name__iexact=opts["team"]).first()
            if team is None:
                raise CommandError(f"Unknown team {opts['team']!r}.")
        if opts["password_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
        elif os.environ.get("VELINIMET_PASSWORD"):
            password = os.environ["VELINIMET_PASSWORD"]
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords differ.")
        system = User(username="system", is_superuser=True, is_active=True)
        system.pk = None
        try:
            user = services.user_create(
                actor=system,
                username=opts["username"],
                password=password,
                email=opts["email"],
                first_name=opts["first_name"],
                last_name=opts["last_name"],
                role=role,
                team=team,
                language=opts["language"],
                time_zone=opts["time_zone"],
            )
        except DomainError as exc:
            details = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.errors.items()) or exc.message
            raise CommandError(details) from exc
        if opts["superuser"]:
            User.objects.filter(pk=user.pk).update(is_superuser=True, is_staff=True)
        self.stdout.write(self.style.SUCCESS(f"Created user {user.username} ({role.name})."))
