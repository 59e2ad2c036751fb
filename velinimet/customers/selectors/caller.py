"""Caller recognition: the record a phone number belongs to, and the card shown for it."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse

from velinimet.core.compiled import (
    cached,
    compile_queryset,
    concrete_fields,
    first_of,
    instance,
    prepared_cursor,
    text_marker,
)
from velinimet.core.visibility import restrict, restriction_key
from velinimet.customers.models import Company, Consent, Email, Employment, Person, Phone, Tag
from velinimet.customers.normalize import phone_lookup_keys
from velinimet.customers.selectors.search import _CARD_FIELDS

if TYPE_CHECKING:
    from velinimet.accounts.models import User


_OWNER_FIELDS = ("id", "first_name", "last_name", "username")
_CALLERS = (Person, Company)  # a number both have is the person's


def _lookup_query(model: type[Person] | type[Company], user: User, *keys: str) -> QuerySet[Any]:
    """The visible, not deleted ``model`` with one of these phone keys: the card's columns and owner."""
    owner = [f"owner__{f}" for f in concrete_fields(get_user_model(), _OWNER_FIELDS)]
    queryset = restrict(model.objects.live().filter(phones__e164__in=keys), user)
    return queryset.order_by("pk").values_list(*concrete_fields(model, _CARD_FIELDS[model]), *owner)[:1]


def caller_lookup(user: User, number: str) -> Any:
    """The visible, not deleted person (else company) with this phone number, its owner loaded with it.

    One statement: both indexed lookups, the person's first (``core.compiled.first_of``). Each is the
    ORM's (``restrict()`` decides visibility) but compiled once per visibility (``core.compiled``); it
    joins the phone rather than ``pk IN (subquery)`` and reads only the card's columns
    (``Model.from_db``: other fields load when read). The caller card's budget is p99 ≤ 5 ms in all.
    """
    keys = phone_lookup_keys(number)
    if not keys:
        return None
    markers = [text_marker(i) for i in range(len(keys))]
    key = ("caller", len(keys), restriction_key(Person, user), restriction_key(Company, user))
    query = cached(
        key,
        lambda: first_of([compile_queryset(_lookup_query(model, user, *markers), markers) for model in _CALLERS]),
    )
    row = query.first(*keys)
    if row is None:
        return None
    model, user_model = _CALLERS[row[0]], get_user_model()
    fields = concrete_fields(model, _CARD_FIELDS[model])
    record = instance(model, fields, row[1 : 1 + len(fields)])
    record.owner = instance(user_model, concrete_fields(user_model, _OWNER_FIELDS), row[1 + len(fields) :])
    return record


@dataclass(frozen=True)
class CallerDetails:
    """What the caller's card shows besides the record's own columns."""

    company: str | None
    phones: list[str]
    emails: list[str]
    tags: list[str]
    consents: dict[str, str]


class _Quoted:
    """A model's quoted table (``.table``) and column names (``.<field>``), for SQL templates."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.table = connection.ops.quote_name(model._meta.db_table)

    def __getattr__(self, field: str) -> str:
        return connection.ops.quote_name(self.model._meta.get_field(field).column)


# Columns of every branch: kind, text a, b, c, at, id. Consents come first: PostgreSQL types a UNION
# pairwise from the left, so ``at`` must meet a timestamp before the branches that leave it NULL.
_PERSON_BRANCHES = (
    "SELECT 'c', {consent.channel}, {consent.status}, '', {consent.at}, {consent.id} "
    "FROM {consent.table} WHERE {consent.person} = %s",
    "SELECT 'j', c.{company.name}, c.{company.short_name}, CASE WHEN j.{job.is_primary} THEN '0' ELSE '1' END, "
    "NULL, j.{job.id} FROM {job.table} j INNER JOIN {company.table} c ON c.{company.id} = j.{job.company} "
    "WHERE j.{job.person} = %s",
)
_BRANCHES = (
    "SELECT 'p', {phone.national}, '', '', NULL, {phone.id} FROM {phone.table} WHERE {phone_holder} = %s",
    "SELECT 'e', {email.address}, '', '', NULL, {email.id} FROM {email.table} WHERE {email_holder} = %s",
    "SELECT 't', t.{tag.name}, t.{tag.key}, '', NULL, t.{tag.id} FROM {tag.table} t "
    "INNER JOIN {tags.table} x ON x.{tags.tag} = t.{tag.id} WHERE x.{tags_holder} = %s",
)


@functools.cache
def _details_sql(holder: str) -> str:
    """One ``UNION ALL`` over the record's consents, employers, phones, e-mails and tags.

    Six statements became one: each was an ORM compile, and on PostgreSQL a round trip, and the card
    is read on every ringing phone (budget p99 ≤ 5 ms). Identifiers come from the models.
    """
    model = Person if holder == "person" else Company
    tags = _Quoted(model._meta.get_field("tags").remote_field.through)  # type: ignore[union-attr]
    names = {
        "consent": _Quoted(Consent),
        "job": _Quoted(Employment),
        "company": _Quoted(Company),
        "phone": _Quoted(Phone),
        "email": _Quoted(Email),
        "tag": _Quoted(Tag),
        "tags": tags,
        "phone_holder": getattr(_Quoted(Phone), holder),
        "email_holder": getattr(_Quoted(Email), holder),
        "tags_holder": getattr(tags, holder),
    }
    branches = (_PERSON_BRANCHES if holder == "person" else ()) + _BRANCHES
    return " UNION ALL ".join(branch.format(**names) for branch in branches)


def caller_details(record: Person | Company) -> CallerDetails:
    """The card's employer, phones, e-mails, tags and consents in force, in one statement.

    Orders as the ORM reads them: phones and e-mails by id, tags by ``Tag.Meta.ordering`` (key), the
    primary employer first, and per channel the newest consent (``-at, -id``, as ``consent_in_force``).
    The record is already visible to the user: these rows belong to it and are shown with it.
    """
    holder = "person" if isinstance(record, Person) else "company"
    sql = _details_sql(holder)
    with prepared_cursor() as cursor:
        cursor.execute(sql, [record.pk] * sql.count("%s"))
        rows = sorted(cursor.fetchall(), key=lambda row: row[5])
    by_kind: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows:
        by_kind.setdefault(row[0], []).append(row)
    consents: dict[str, tuple[Any, ...]] = {}
    for row in by_kind.get("c", []):  # ascending id: a later row wins ties on ``at``
        if row[1] not in consents or row[4] >= consents[row[1]][4]:
            consents[row[1]] = row
    jobs = sorted(by_kind.get("j", []), key=lambda row: row[3])  # stable: the primary first, then by id
    return CallerDetails(
        company=(jobs[0][2] or jobs[0][1]) if jobs else None,
        phones=[row[1] for row in by_kind.get("p", [])],
        emails=[row[1] for row in by_kind.get("e", [])],
        tags=[row[1] for row in sorted(by_kind.get("t", []), key=lambda row: row[2])],
        consents={channel: row[2] for channel, row in consents.items()},
    )


def caller_card(record: Person | Company, user: User) -> dict[str, Any]:
    """What a screen-pop shows: who, which company, owner, contact points (sections add more later).

    Employer, consents, phones, e-mails and tags come from one statement (``caller_details``): the
    card is read on every ringing phone, within a 5 ms budget.
    """

    details = caller_details(record)
    is_person = isinstance(record, Person)
    card: dict[str, Any] = {
        "type": "person" if is_person else "company",
        "id": record.pk,
        "title": str(record),
        "company": details.company if is_person else None,
        "url": reverse("customers:person_detail" if is_person else "customers:company_detail", args=[record.pk]),
    }
    if is_person:
        card["consents"] = details.consents
    card.update(
        customer_number=record.customer_number,
        owner=str(record.owner),
        phones=details.phones,
        emails=details.emails,
        tags=details.tags,
    )
    from velinimet.customers.sections import CARD_FACTS

    for item in CARD_FACTS.ordered():
        card.update(item.facts(user, record))
    return card
