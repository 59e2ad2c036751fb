from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from velinimet.accounts import services
from velinimet.accounts.models import User
from velinimet.core.exceptions import DomainError


def _find_user(username: str) -> User:
    try:  # the login's own lookup: "REP_İST" finds rep_ist
        return User.objects.get_by_natural_key(username)
    except User.DoesNotExist:
        raise CommandError(f"No user named {username!r}.") from None


class Command(BaseCommand):
    help = (
        "Print a new API token for USERNAME (use it as 'Authorization: Token <key>'). The audit log names "
        "--by (an administrator's username) as who created it, or 'system' without it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="command line")
        parser.add_argument("--by", default="", help="username of the administrator creating the token")

    def handle(self, *args: Any, **opts: Any) -> None:
        user = _find_user(opts["username"])
        if opts["by"]:
            actor = _find_user(opts["by"])
        else:  # whoever runs the command line: the audit log's "system", not the token's owner
            actor = User(username="system", is_superuser=True, is_active=True)
        try:
            _token, key = services.token_create(actor=actor, user=user, name=opts["name"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(key)
