"""Reads of people and companies, always through visibility. Lists use keyset pagination."""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Collection, Mapping
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.db.models import Prefetch, QuerySet
from django.utils import formats
from django.utils.translation import get_language

from velinimet.core.filters import API_PARAMS
from velinimet.core.numbers import format_number
from velinimet.core.querysets import TrashQuerySet
from velinimet.core.selectors import keyset
from velinimet.core.text import sort_alphabet
from velinimet.core.visibility import Action, get_for_user, restrict
from velinimet.customers.filters import CompanyFilter, PersonFilter
from velinimet.customers.models import Company, Consent, CustomerRecord, CustomField, Employment, Merge, Person

if TYPE_CHECKING:
    from velinimet.accounts.models import User


SORTS = {
    # {alphabet}: the reader's alphabet (``core.text.sort_alphabet``), each key column indexed with the id
    "name": ("sort_key_{alphabet}", "id"),
    "-name": ("-sort_key_{alphabet}", "-id"),
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
    "number": ("customer_number", "id"),
    "last_name": ("last_name_key_{alphabet}", "id"),  # people only
    "-last_name": ("-last_name_key_{alphabet}", "-id"),  # people only
}
PERSON_ONLY_SORTS = frozenset({"last_name", "-last_name"})


R = TypeVar("R", bound=CustomerRecord)


def visible_records(model: type[R], user: User, *, action: str = Action.READ) -> QuerySet[R]:
    """The live (not trashed) people or companies ``user`` may ``action``."""
    return restrict(cast("TrashQuerySet[R]", model.objects.live()), user, action)


def visible_people(user: User, *, action: str = Action.READ) -> QuerySet[Person]:
    """The live people ``user`` may ``action``."""
    return visible_records(Person, user, action=action)


def visible_companies(user: User, *, action: str = Action.READ) -> QuerySet[Company]:
    """The live companies ``user`` may ``action``."""
    return visible_records(Company, user, action=action)


def trashed_records(model: type[R], user: User) -> QuerySet[R]:
    """People or companies in the trash that ``user`` may delete, and so restore."""
    return restrict(cast("TrashQuerySet[R]", model.objects.trashed()), user, Action.DELETE)


def get_person_for_user(user: User, pk: Any, *, action: str = Action.READ) -> Person:
    """A live person: 404 when ``user`` may not see them, 403 when they may see but not ``action`` them."""
    return get_for_user(Person.objects.live().select_related("owner", "team"), user, pk, action=action)


def get_company_for_user(user: User, pk: Any, *, action: str = Action.READ) -> Company:
    """A live company: 404 when hidden from ``user``, 403 when visible but not theirs to ``action``."""
    qs = Company.objects.live().select_related("owner", "team", "parent")
    return get_for_user(qs, user, pk, action=action)


def get_merge_for_user(user: User, pk: Any) -> Merge:
    """A merge, for a user who may change the record that survived it: 404 if hidden, 403 if read-only."""
    from django.http import Http404

    merge = Merge.objects.filter(pk=pk).first()
    if merge is None:
        raise Http404
    getter = get_person_for_user if merge.kind == "person" else get_company_for_user
    getter(user, merge.survivor_id, action=Action.UPDATE)
    return merge


def _request_of(user: User, request: Any) -> Any:
    """What a FilterSet reads the user from (``mine``, the owner and team choices): the request, or for a
    task or an export, a stand-in holding the user."""
    return request if request is not None else SimpleNamespace(user=user)


def person_filter(
    user: User, data: Mapping[str, Any] | None, *, request: Any = None, allowed: Collection[str] = API_PARAMS
) -> PersonFilter:
    """The people list's FilterSet over the live people ``user`` may see, bound to ``data``: for a page that
    shows its form; ``person_list()`` for everyone else."""
    qs = visible_people(user).select_related("owner", "team")
    return PersonFilter(data, qs, request=_request_of(user, request), allowed=allowed)


def company_filter(
    user: User, data: Mapping[str, Any] | None, *, request: Any = None, allowed: Collection[str] = API_PARAMS
) -> CompanyFilter:
    """The companies list's FilterSet over the live companies ``user`` may see, bound to ``data``."""
    qs = visible_companies(user).select_related("owner", "team")
    return CompanyFilter(data, qs, request=_request_of(user, request), allowed=allowed)


def person_list(
    user: User, filters: Mapping[str, Any] | None = None, *, request: Any = None, allowed: Collection[str] = API_PARAMS
) -> QuerySet[Person]:
    """The live people ``user`` may see, narrowed by ``filters`` (query parameters, ``customers.filters``);
    ``InvalidFilters`` (400) for an unknown parameter or a value a filter cannot take."""
    fs = person_filter(user, filters or None, request=request, allowed=allowed)
    return fs.filtered() if fs.is_bound else fs.queryset


def company_list(
    user: User, filters: Mapping[str, Any] | None = None, *, request: Any = None, allowed: Collection[str] = API_PARAMS
) -> QuerySet[Company]:
    """The live companies ``user`` may see, narrowed by ``filters``, as ``person_list()``."""
    fs = company_filter(user, filters or None, request=request, allowed=allowed)
    return fs.filtered() if fs.is_bound else fs.queryset


def sort_fields(model: type[Any], sort: str, language: str | None = None) -> tuple[str, str]:
    """The (key, id) columns that sort a people/companies list by ``sort`` (see ``SORTS``) for a reader of
    ``language`` (default: the active language): "Name A–Z" in the Turkish or Azerbaijani alphabet. An
    unknown sort, or a people-only one on companies, is newest first."""
    if sort not in SORTS or (sort in PERSON_ONLY_SORTS and model is not Person):
        sort = "-created"
    alphabet = sort_alphabet(language or get_language())
    key, pk = SORTS[sort]
    return key.format(alphabet=alphabet), pk


def keyset_page(
    qs: QuerySet[Any], sort: str, after: str | None, size: int = 50, *, language: str | None = None
) -> tuple[list[Any], str | None]:
    """One page of a people/companies list sorted by ``sort`` (see ``sort_fields``), after the cursor
    ``after``; page 5,000 costs what page 1 costs (an index on each key column and the id)."""
    return keyset(qs, sort_fields(qs.model, sort, language), after, size)


def capped_count(qs: QuerySet[Any], cap: int = 10_000) -> tuple[int, bool]:
    """(count, more): the exact count up to ``cap``, and whether there are more. One statement that stops
    after ``cap + 1`` rows (``COUNT(*)`` over a ``LIMIT`` subquery), so a list of a million costs what a list
    of ten thousand does."""
    found = qs.order_by().values("pk")[: cap + 1].count()
    return min(found, cap), found > cap


def person_360(person: Person) -> dict[str, Any]:
    """Everything the customers module knows about a person, for the 360° page (a handful of queries)."""
    employments = Employment.objects.filter(person=person).select_related("company").order_by("-is_primary")
    return {
        "phones": list(person.phones.order_by("-is_primary", "id")),
        "emails": list(person.emails.order_by("-is_primary", "id")),
        "addresses": list(person.addresses.order_by("-is_primary", "id")),
        "cards": list(person.cards.all()),
        "tags": list(person.tags.all()),
        "employments": list(employments),
        "consent_history": list(person.consents.select_related("recorded_by")[:50]),
        "custom_fields": custom_field_values("person", person.custom),
    }


def company_360(company: Company, user: User) -> dict[str, Any]:
    people = visible_people(user).filter(employments__company=company)
    return {
        "phones": list(company.phones.order_by("-is_primary", "id")),
        "emails": list(company.emails.order_by("-is_primary", "id")),
        "addresses": list(company.addresses.order_by("-is_primary", "id")),
        "cards": list(company.cards.all()),
        "tags": list(company.tags.all()),
        "people": list(
            people.prefetch_related(Prefetch("employments", Employment.objects.filter(company=company)))[:100]
        ),
        "branches": list(visible_companies(user).filter(parent=company)[:100]),
        "custom_fields": custom_field_values("company", company.custom),
    }


def custom_field_values(record_type: str, values: dict[str, Any]) -> list[tuple[CustomField, str]]:
    """(definition, display text) for the 360° page: numbers and dates in the reader's form."""
    return [
        (d, custom_value_display(d, values.get(d.key))) for d in CustomField.objects.filter(record_type=record_type)
    ]


def custom_value_display(definition: CustomField | None, value: Any) -> str:
    """A stored custom value as the reader reads it ("—" when unset): 1.250.000,5 and 05.03.2025 for a
    Turkish reader (``definition`` None: a field since removed, shown as stored)."""
    from django.utils.translation import gettext

    if value in (None, "", []):
        return "—"
    if value is True or value is False:
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if definition is None:
        return str(value)
    if definition.kind == CustomField.Kind.NUMBER and isinstance(value, int | float):
        return format_number(value)
    if definition.kind == CustomField.Kind.DATE:
        with contextlib.suppress(ValueError):
            return formats.date_format(datetime.date.fromisoformat(str(value)), "SHORT_DATE_FORMAT")
    return str(value)


def custom_changes(
    record_type: str, old: Any, new: Any, cache: dict[Any, Any] | None = None
) -> list[tuple[str, Any, Any]]:
    """The audit log's rows for a change of a record's custom values: one per field that changed, named by
    its label in the reader's language (the key of a field since removed). The labels are read once per
    ``cache`` (a page of entries)."""
    from django.utils.translation import get_language

    old, new = (value if isinstance(value, dict) else {} for value in (old, new))
    keys = [k for k in dict.fromkeys([*old, *new]) if old.get(k) != new.get(k)]
    if not keys:
        return []
    cache = {} if cache is None else cache
    slot = ("customers.customfield", record_type, get_language())
    if slot not in cache:
        cache[slot] = {d.key: d for d in CustomField.objects.filter(record_type=record_type)}
    fields = cache[slot]
    return [
        (
            fields[k].shown_label if k in fields else k,
            None if k not in old else custom_value_display(fields.get(k), old[k]),
            None if k not in new else custom_value_display(fields.get(k), new[k]),
        )
        for k in keys
    ]


def consent_in_force(person: Person) -> dict[str, Consent]:
    current: dict[str, Consent] = {}
    for consent in person.consents.order_by("-at", "-id"):
        current.setdefault(consent.channel, consent)
    return current
