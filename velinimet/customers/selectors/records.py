"""Reads of people and companies, always through visibility. Lists use keyset pagination."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.db.models import Prefetch, QuerySet

from velinimet.core.filters import API_PARAMS
from velinimet.core.querysets import TrashQuerySet
from velinimet.core.selectors import keyset
from velinimet.core.visibility import Action, get_for_user, restrict
from velinimet.customers.filters import CompanyFilter, PersonFilter
from velinimet.customers.models import Company, Consent, CustomerRecord, CustomField, Employment, Merge, Person

if TYPE_CHECKING:
    from velinimet.accounts.models import User


SORTS = {
    "name": ("search_key", "id"),
    "-name": ("-search_key", "-id"),
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
    "number": ("customer_number", "id"),
    "last_name": ("last_name_key", "id"),  # people only
}


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


def keyset_page(qs: QuerySet[Any], sort: str, after: str | None, size: int = 50) -> tuple[list[Any], str | None]:
    """One page of a people/companies list sorted by ``sort`` (see ``SORTS``), after the cursor ``after``."""
    if sort == "last_name" and qs.model is not Person:
        sort = "-created"
    return keyset(qs, SORTS.get(sort, SORTS["-created"]), after, size)


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


def custom_value_display(value: Any) -> str:
    """A stored custom value as the reader reads it ("—" when unset)."""
    from django.utils.translation import gettext

    if value in (None, "", []):
        return "—"
    if value is True or value is False:
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def custom_field_values(record_type: str, values: dict[str, Any]) -> list[tuple[CustomField, str]]:
    """(definition, display text) for the 360° page."""
    return [(d, custom_value_display(values.get(d.key))) for d in CustomField.objects.filter(record_type=record_type)]


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
        cache[slot] = {d.key: d.shown_label for d in CustomField.objects.filter(record_type=record_type)}
    labels = cache[slot]
    return [
        (
            labels.get(k, k),
            None if k not in old else custom_value_display(old[k]),
            None if k not in new else custom_value_display(new[k]),
        )
        for k in keys
    ]


def consent_in_force(person: Person) -> dict[str, Consent]:
    current: dict[str, Consent] = {}
    for consent in person.consents.order_by("-at", "-id"):
        current.setdefault(consent.channel, consent)
    return current
