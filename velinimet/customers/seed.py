"""Bulk generation of people and companies for demos and benchmarks (``velinimet seed``).

Rows hold exactly what the services would store (E.164 phones with their display form, folded search
keys, valid TCKN/VKN; a test checks the generator against the real normalisers) but go in with
``executemany`` (SQLite) or ``COPY`` (PostgreSQL) on reserved ids: a million people take minutes, not hours.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.utils import timezone

from velinimet.core.registry import registry
from velinimet.core.sequences import next_numbers
from velinimet.core.text import fold, sort_keys, sound_key
from velinimet.customers.fakedata import SOURCES, TAGS, fake_company, fake_person
from velinimet.customers.models import Address, Company, Email, Employment, Person, Phone, Tag
from velinimet.customers.normalize import email_domain, email_key, phone_tail

BATCH = 5000


@dataclass(frozen=True)
class Seeder:
    """A customer child's generator for ``velinimet seed --<key> N``: ``run(count, rng, progress)`` adds
    ``count`` rows spread over the people there are (after the people and companies of the same run)."""

    key: str
    help: str
    run: Callable[[int, random.Random, Callable[[int], None]], int]
    order: int = 100


SEEDERS = registry.declare("customers.seeders", Seeder, "generators of a module's rows for `velinimet seed`")
TITLES = ["Satın Alma Müdürü", "Genel Müdür", "Muhasebe", "Satış Uzmanı", "Direktor", ""]


def seed_owners() -> list[Any]:
    from velinimet.accounts.models import User

    owners = list(User.objects.filter(is_active=True).exclude(role__slug__in=["read_only", "analyst"]))
    if not owners:
        raise RuntimeError("Create users first (velinimet demo or velinimet createuser): records need owners.")
    return owners


def _tags() -> list[Tag]:
    return [Tag.objects.get_or_create(key=fold(name), defaults={"name": name})[0] for name in TAGS]


def _reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """Ids for ``count`` new rows. Preconditions: inside the seeding transaction (SQLite holds the write lock)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 - table name from the model
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))


def insert_rows(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (``COPY`` on PostgreSQL, ``executemany`` on SQLite); missing columns take the field's default."""
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and "id" not in rows[0])]
    defaults: dict[str, Any] = {}
    for f in fields:
        default = f.get_default()
        defaults[f.attname] = default
    table = connection.ops.quote_name(str(model._meta.db_table))
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    # Values go through each field's own conversion, so they are stored exactly as the ORM stores them
    # (SQLite keeps datetimes as naive UTC text; a raw aware datetime would not compare equal).
    db = connections[DEFAULT_DB_ALIAS]  # not the per-thread proxy: a lookup on each of millions of reads
    plain = [isinstance(getattr(f, "target_field", f), _PLAIN_FIELDS) for f in fields]
    values = [
        [_prep(f, row.get(f.attname, defaults[f.attname]), db, p) for f, p in zip(fields, plain, strict=True)]
        for row in rows
    ]
    if connection.vendor == "postgresql":
        _copy(table, columns, values)
        return
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608 - from the model
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


#: Fields (or a foreign key's target field) whose conversion leaves a ``str``, an ``int`` or ``None`` as
#: it is (``CharField.to_python``, ``int()``): skipping the call for them makes seeding a third faster.
_PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField)


def _prep(field: models.Field, value: Any, db: Any, plain: bool) -> Any:
    """``value`` as the ORM would send it to the database."""
    if plain and (value is None or type(value) in (str, int)):
        return value
    return field.get_db_prep_save(value, db)


def _copy(table: str, columns: str, values: list[list[Any]]) -> None:
    """PostgreSQL's ``COPY … FROM STDIN``: the driver's ``executemany`` (Django's client-side binding
    cursor) makes a round trip per row, 3,400 people/s; COPY streams the batch. psycopg dumps each value
    with the adapter it would use for a query parameter, so the stored values are the same."""
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in values:
            copy.write_row(row)


def _record_common(owner: Any, number: int, rng: random.Random, now: datetime.datetime) -> dict[str, Any]:
    return {
        "customer_number": f"M{number:07d}",
        "owner_id": owner.pk,
        "team_id": owner.team_id,
        "source": rng.choice(SOURCES),
        "created_at": now,
        "updated_at": now,
        "custom": {},
        "version": 1,
    }


def seed_companies(count: int, rng: random.Random, progress: Callable[[int], None] | None = None) -> list[int]:
    owners, tags, all_ids = seed_owners(), _tags(), []
    made = 0
    while made < count:
        n = min(BATCH, count - made)
        numbers = next_numbers("customer", n)
        fakes = [fake_company(rng, made + i) for i in range(n)]
        now = timezone.now()
        with transaction.atomic():
            ids = _reserve_ids(Company, n)
            rows = []
            for pk, fake, number in zip(ids, fakes, numbers, strict=True):
                rows.append(
                    {
                        "id": pk,
                        **_record_common(rng.choice(owners), number, rng, now),
                        "name": fake.name,
                        "short_name": fake.short_name,
                        "search_key": fold(f"{fake.name} {fake.short_name}"),
                        **sort_keys(sort_key=fake.short_name or fake.name),
                        "sound_key": sound_key(f"{fake.name} {fake.short_name}"),
                        "vkn": fake.tax_number,
                        "tax_office": f"{fake.city} V.D." if fake.country == "TR" else "",
                    }
                )
            insert_rows(Company, rows)
            _children(ids, fakes, "company_id")
            insert_rows(
                Company.tags.through,
                [{"company_id": pk, "tag_id": rng.choice(tags).pk} for pk in ids if rng.random() < 0.3],
            )
        all_ids += ids
        made += n
        if progress:
            progress(made)
    return all_ids


def seed_people(
    count: int, rng: random.Random, company_ids: list[int] | None = None, progress: Callable[[int], None] | None = None
) -> int:
    owners, tags = seed_owners(), _tags()
    made = 0
    while made < count:
        n = min(BATCH, count - made)
        numbers = next_numbers("customer", n)
        fakes = [fake_person(rng, made + i) for i in range(n)]
        now = timezone.now()
        with transaction.atomic():
            ids = _reserve_ids(Person, n)
            rows = []
            for pk, fake, number in zip(ids, fakes, numbers, strict=True):
                born = (
                    datetime.date(fake.birth_year, rng.randint(1, 12), rng.randint(1, 28))
                    if rng.random() < 0.7
                    else None
                )
                rows.append(
                    {
                        "id": pk,
                        **_record_common(rng.choice(owners), number, rng, now),
                        "first_name": fake.first_name,
                        "last_name": fake.last_name,
                        "search_key": fold(f"{fake.first_name} {fake.last_name}"),
                        **sort_keys(
                            sort_key=f"{fake.first_name} {fake.last_name}",
                            last_name_key=f"{fake.last_name} {fake.first_name}",
                        ),
                        "sound_key": sound_key(f"{fake.first_name} {fake.last_name}"),
                        "gender": fake.gender,
                        "tckn": fake.tckn,
                        "birth_date": born,
                        "preferred_language": "az" if fake.country == "AZ" else "tr",
                    }
                )
            insert_rows(Person, rows)
            _children(ids, fakes, "person_id")
            insert_rows(
                Person.tags.through,
                [{"person_id": pk, "tag_id": rng.choice(tags).pk} for pk in ids if rng.random() < 0.2],
            )
            if company_ids:
                insert_rows(
                    Employment,
                    [
                        {
                            "person_id": pk,
                            "company_id": rng.choice(company_ids),
                            "title": rng.choice(TITLES),
                            "is_primary": True,
                        }
                        for pk in ids
                        if rng.random() < 0.4
                    ],
                )
        made += n
        if progress:
            progress(made)
    return made


def _children(ids: list[int], fakes: list[Any], link: str) -> None:
    kind = "mobile" if link == "person_id" else "work"
    insert_rows(
        Phone,
        [
            {
                link: pk,
                "kind": kind,
                "e164": f.phone_e164,
                "national": f.phone_display,
                "tail": phone_tail(f.phone_e164),
                "is_primary": True,
            }
            for pk, f in zip(ids, fakes, strict=True)
        ],
    )
    insert_rows(
        Email,
        [
            {
                link: pk,
                "address": f.email,
                "key": email_key(f.email),
                "domain": email_domain(email_key(f.email)),
                "is_primary": True,
            }
            for pk, f in zip(ids, fakes, strict=True)
        ],
    )
    insert_rows(
        Address,
        [
            {
                link: pk,
                "kind": "home" if link == "person_id" else "work",
                "country": f.country,
                "city": f.city,
                "district": f.district,
                "street": f.street,
                "postal_code": f.postal_code,
                "city_key": fold(f.city),
                "is_primary": True,
            }
            for pk, f in zip(ids, fakes, strict=True)
        ],
    )
