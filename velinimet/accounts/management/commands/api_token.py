from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from velinimet.accounts import services
from velinimet.accounts.models import User
from velinimet.core.exceptions import DomainError


class Command(BaseCommand):
    help = "Print a new API token for USERNAME (use it as 'Authorization: Token <key>')."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="command line")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:  # the login's own lookup: "REP_İST" finds rep_ist
            user = User.objects.get_by_natural_key(opts["username"])
        except User.DoesNotExist:
            raise CommandError(f"No user named {opts['username']!r}.") from None
        try:
            _token, key = services.token_create(actor=user, user=user, name=opts["name"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(key)
