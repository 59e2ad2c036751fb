"""What the pickers offer (``core.widgets``): companies, people, owners and teams a user may choose.

Companies and people are found with the global search's tiers (``search_records``: names, numbers,
phones, e-mails), so a picker finds whatever the search box finds. Users and teams are few; they are
matched with the same folded ranking as their search provider (``core.search.rank``).
Each option says what tells namesakes apart: a customer's city and customer number, a user's team.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from velinimet.core.search import rank
from velinimet.core.text import alphabetical, fold
from velinimet.core.visibility import Action, Level, can_create, level_for
from velinimet.core.widgets import PickerOption
from velinimet.customers.models import Company, Person
from velinimet.customers.pickers import cities, customer_option, team_option, user_option
from velinimet.customers.selectors.search import search_records

if TYPE_CHECKING:
    from velinimet.accounts.models import User


PICK_LIMIT = 20
MAX_USERS = 2000  # users and teams are matched in Python, like the users' search provider


def pick_customers(user: User, model: type[Person] | type[Company], query: str) -> list[PickerOption]:
    """The people or companies ``user`` may see that the global search finds for ``query``."""
    if not fold(query):
        return []
    records = [record for _score, record in search_records(user, model, query, PICK_LIMIT)]
    found_cities = cities("person" if model is Person else "company", [r.pk for r in records])
    return [customer_option(r, found_cities.get(r.pk, "")) for r in records]


def assignees(actor: User, record_type: str) -> list[Any]:
    """Users ``actor`` may give records of ``record_type`` to: those who can own such records
    (``accounts.selectors.assignable_users``: not a read-only user) and whom the services' own rule lets
    ``actor`` assign to (``can_create`` for the new owner and their team, as ``records_assign`` checks)."""
    from velinimet.accounts.selectors import assignable_users

    if level_for(actor, record_type, Action.ASSIGN) == Level.NONE:
        return []
    users = assignable_users(actor, record_type)[:MAX_USERS]
    return [u for u in users if can_create(actor, record_type, owner_id=u.pk, team_id=u.team_id)]


def _ranked(query: str, rows: list[Any], texts: Any) -> list[Any]:
    """The rows matching ``query``, best first, those of one score (all, for no query) in the reader's
    alphabet (``core.text.alphabetical``)."""
    key = fold(query)
    name = lambda row: " ".join(texts(row))  # noqa: E731
    if not key:
        return alphabetical(rows, name)[:PICK_LIMIT]
    scored = [(rank(key, *texts(row)), row) for row in rows]
    hits = alphabetical([(score, row) for score, row in scored if score], lambda pair: name(pair[1]))
    return [row for _score, row in sorted(hits, key=lambda pair: -pair[0])][:PICK_LIMIT]


def _user_texts(user: User) -> tuple[str, ...]:
    return (user.get_full_name(), user.first_name, user.last_name, user.username, user.email)


def pick_users(actor: User, query: str, *, assign_to: str = "") -> list[PickerOption]:
    """Active users ``actor`` may see (a list's owner filter) or, with ``assign_to`` (a record type), may give
    those records to, ranked on their names, username and e-mail."""
    from velinimet.accounts.selectors import active_users

    if assign_to:
        users = assignees(actor, assign_to)
    else:
        users = list(active_users(actor).select_related("team")[:MAX_USERS])
    return [user_option(u) for u in _ranked(query, users, _user_texts)]


def pick_teams(actor: User, query: str) -> list[PickerOption]:
    from velinimet.accounts.selectors import team_list

    teams = list(team_list(actor)[:MAX_USERS])
    return [team_option(t) for t in _ranked(query, teams, lambda t: (t.name,))]


def users_for_owner(actor: User, assign_to: str = "") -> QuerySet[Any]:
    """The queryset an owner field validates against: the users the picker offers."""
    from velinimet.accounts.selectors import active_users

    qs = active_users(actor).select_related("team")
    if assign_to:
        qs = qs.filter(pk__in=[u.pk for u in assignees(actor, assign_to)])
    return qs
