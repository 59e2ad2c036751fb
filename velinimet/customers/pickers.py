"""How a picker (``core.widgets``) shows a record: its name and what tells namesakes apart.

Shared by the forms and filters that declare pickers and by the pickers' selectors, so it imports neither.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from velinimet.core.widgets import PickerOption
from velinimet.customers.models import Address, Company, Person

if TYPE_CHECKING:
    from velinimet.accounts.models import User


def cities(holder: str, ids: list[int]) -> dict[int, str]:
    """Each record's primary (else first) address's city, in one query."""
    found: dict[int, str] = {}
    rows = Address.objects.filter(**{f"{holder}_id__in": ids}).exclude(city="").order_by("-is_primary", "id")
    for pk, city in rows.values_list(f"{holder}_id", "city"):
        found.setdefault(pk, city)
    return found


def customer_option(record: Person | Company, city: str | None = None) -> PickerOption:
    """A person or company as a picker shows it: the name, then its city and customer number."""
    if city is None:
        holder = "person" if isinstance(record, Person) else "company"
        city = cities(holder, [record.pk]).get(record.pk, "")
    return PickerOption(record.pk, str(record), " · ".join(p for p in (city, record.customer_number) if p))


def user_option(user: User) -> PickerOption:
    return PickerOption(user.pk, str(user), " · ".join(p for p in (user.username, str(user.team or "")) if p))


def team_option(team: Any) -> PickerOption:
    return PickerOption(team.pk, team.name, team.parent.name if team.parent_id else "")
