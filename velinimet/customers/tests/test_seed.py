"""Bulk seeding stores exactly what the ORM stores (``COPY`` on PostgreSQL, ``executemany`` on SQLite)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection, models, transaction
from django.utils import timezone

from velinimet.customers.models import Person, Phone
from velinimet.customers.seed import insert_rows

pytestmark = pytest.mark.django_db


def _stored(model: type[models.Model], pk: int) -> dict[str, Any]:
    """The row as the driver returns it, without Django's conversions (they could hide a difference)."""
    columns = [f.column for f in model._meta.concrete_fields if f.column not in ("id", "customer_number")]
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {names} FROM {model._meta.db_table} WHERE id = %s", [pk])  # noqa: S608
        return dict(zip(columns, cursor.fetchone(), strict=True))


def test_bulk_rows_are_stored_as_the_orm_stores_them(cast: Any) -> None:
    at = timezone.now().replace(microsecond=123456)
    person = {
        "owner_id": cast.rep_ist.pk,
        "team_id": cast.istanbul.pk,
        "first_name": "Şükrü",
        "last_name": 'Öz\\türk "tab"\there',  # COPY's escapes: backslash, tab, newline
        "notes": "İki satır\nikinci\r\nüçüncü",
        "custom": {"renk": "kırmızı", "liste": [1, 2.5, None, True], "boş": ""},
        "search_key": "sukru ozturk",
        "birth_date": datetime.date(1984, 2, 29),
        "source": "",
        "created_at": at,
        "updated_at": at,
    }
    orm = Person.objects.create(customer_number="M9000001", **person)
    Person.objects.filter(pk=orm.pk).update(created_at=at, updated_at=at)
    with transaction.atomic():
        insert_rows(Person, [{**person, "customer_number": "M9000002"}])
    bulk = Person.objects.get(customer_number="M9000002")
    assert _stored(Person, bulk.pk) == _stored(Person, orm.pk)

    phone = {"kind": "work", "e164": "+902124445566", "national": "(0212) 444 55 66", "is_primary": True}
    orm_phone = Phone.objects.create(person=orm, **phone)
    with transaction.atomic():
        insert_rows(Phone, [{**phone, "person_id": orm.pk}])
    bulk_phone = Phone.objects.exclude(pk=orm_phone.pk).get()
    assert _stored(Phone, bulk_phone.pk) == _stored(Phone, orm_phone.pk)
