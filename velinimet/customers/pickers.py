"""How a picker (``core.widgets``) shows a record: its name and what tells namesakes apart.

Shared by the forms and filters that declare pickers and by the pickers' selectors, so it imports neither.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import connection

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
    first), the city of the primary (else first) address and the end of the primary (else first) phone.

    Hand-written SQL (three correlated subqueries on the holder's foreign-key indexes): the same query
    built by the ORM cost a search hit list more Python than all its tiers together."""
    if not ids:
        return {}
    holder = "person_id" if model is Person else "company_id"
    table, q = model._meta.db_table, connection.ops.quote_name
    first = "ORDER BY x.is_primary DESC, x.id LIMIT 1"
    employer = "NULL"
    if model is Person:
        jobs, companies = q(Employment._meta.db_table), q(Company._meta.db_table)
        employer = (
            f"(SELECT c.name FROM {jobs} x JOIN {companies} c ON c.id = x.company_id WHERE x.person_id = r.id {first})"  # noqa: S608, E501
        )
    address, phones = q(Address._meta.db_table), q(Phone._meta.db_table)
    city = f"(SELECT x.city FROM {address} x WHERE x.{holder} = r.id AND x.city <> '' {first})"  # noqa: S608
    phone = f"(SELECT x.e164 FROM {phones} x WHERE x.{holder} = r.id {first})"  # noqa: S608
    marks = ", ".join(["%s"] * len(ids))
    sql = f"SELECT r.id, {employer}, {city}, {phone} FROM {q(table)} r WHERE r.id IN ({marks})"  # noqa: S608
    facts: dict[int, list[str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, list(ids))
        for pk, company, town, e164 in cursor.fetchall():
            found = [company or "", town or "", f"…{e164[-PHONE_END:]}" if e164 else ""]
            facts[pk] = [fact for fact in found if fact]
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
