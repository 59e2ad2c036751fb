"""How a picker (``core.widgets``) shows a record: its name and what tells namesakes apart.

Shared by the forms and filters that declare pickers and by the pickers' selectors, so it imports neither.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, Subquery

from velinimet.core.widgets import PickerOption
from velinimet.customers.models import Address, Company, Employment, Person, Phone

if TYPE_CHECKING:
    from velinimet.accounts.models import User


def cities(holder: str, ids: list[int]) -> dict[int, str]:
    """Each record's primary (else first) address's city, in one query."""
    found: dict[int, str] = {}
    rows = Address.objects.filter(**{f"{holder}_id__in": ids}).exclude(city="").order_by("-is_primary", "id")
    for pk, city in rows.values_list(f"{holder}_id", "city"):
        found.setdefault(pk, city)
    return found


#: Digits of a phone number a search hit shows (its end: "…4433").
PHONE_END = 4


def namesake_facts(model: type[Person] | type[Company], ids: list[int]) -> dict[int, list[str]]:
    """What tells records of the same name apart, per id, in one query: a person's employer (primary, else
    first), the city of the primary (else first) address and the end of the primary (else first) phone."""
    holder = "person" if model is Person else "company"
    first = ("-is_primary", "id")
    columns: dict[str, Any] = {}
    if model is Person:
        employer = Employment.objects.filter(person=OuterRef("pk")).order_by(*first).values("company__name")
        columns["employer"] = Subquery(employer[:1])
    address = Address.objects.filter(**{holder: OuterRef("pk")}).exclude(city="").order_by(*first).values("city")
    phone = Phone.objects.filter(**{holder: OuterRef("pk")}).order_by(*first).values("e164")
    columns["city"] = Subquery(address[:1])
    columns["phone"] = Subquery(phone[:1])
    facts: dict[int, list[str]] = {}
    for row in model.objects.filter(pk__in=ids).values("pk", **columns):
        found = [row.get("employer") or "", row["city"] or ""]
        if row["phone"]:
            found.append("…" + row["phone"][-PHONE_END:])
        facts[row["pk"]] = [fact for fact in found if fact]
    return facts


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
