"""Bulk generation of people and companies for demos and benchmarks (``velinimet seed``).

Rows are normalised exactly as the services would store them (E.164 phones, folded search keys,
valid TCKN/VKN) but written with bulk inserts: a million people take minutes, not hours.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from typing import Any

from django.db import transaction

from velinimet.core.sequences import next_numbers
from velinimet.core.text import fold

from .fakedata import SOURCES, TAGS, fake_company, fake_person
from .models import Address, Company, Email, Employment, Person, Phone, Tag
from .normalize import normalize_phone

BATCH = 5000


def _owners() -> list[Any]:
    from velinimet.accounts.models import User

    owners = list(User.objects.filter(is_active=True).exclude(role__slug__in=["read_only", "analyst"]))
    if not owners:
        raise RuntimeError("Create users first (velinimet demo or velinimet createuser): records need owners.")
    return owners


def _tags() -> list[Tag]:
    return [Tag.objects.get_or_create(key=fold(name), defaults={"name": name})[0] for name in TAGS]


def seed_companies(count: int, rng: random.Random, progress: Callable[[int], None] | None = None) -> list[int]:
    owners, tags, ids = _owners(), _tags(), []
    made = 0
    while made < count:
        n = min(BATCH, count - made)
        numbers = next_numbers("customer", n)
        fakes = [fake_company(rng, made + i) for i in range(n)]
        with transaction.atomic():
            rows = []
            for fake, number in zip(fakes, numbers, strict=True):
                owner = rng.choice(owners)
                rows.append(
                    Company(
                        customer_number=f"M{number:07d}",
                        name=fake.name,
                        short_name=fake.short_name,
                        search_key=fold(f"{fake.name} {fake.short_name}"),
                        vkn=fake.tax_number if fake.country == "TR" else "",
                        tax_office=f"{fake.city} V.D." if fake.country == "TR" else "",
                        owner=owner,
                        team_id=owner.team_id,
                        source=rng.choice(SOURCES),
                    )
                )
            Company.objects.bulk_create(rows)
            _children(rows, fakes, "company", rng)
            Company.tags.through.objects.bulk_create(
                [Company.tags.through(company_id=c.pk, tag_id=rng.choice(tags).pk) for c in rows if rng.random() < 0.3]
            )
        ids += [c.pk for c in rows]
        made += n
        if progress:
            progress(made)
    return ids


def seed_people(
    count: int, rng: random.Random, company_ids: list[int] | None = None, progress: Callable[[int], None] | None = None
) -> int:
    owners, tags = _owners(), _tags()
    made = 0
    today = datetime.date.today()
    while made < count:
        n = min(BATCH, count - made)
        numbers = next_numbers("customer", n)
        fakes = [fake_person(rng, made + i) for i in range(n)]
        with transaction.atomic():
            rows = []
            for fake, number in zip(fakes, numbers, strict=True):
                owner = rng.choice(owners)
                rows.append(
                    Person(
                        customer_number=f"M{number:07d}",
                        first_name=fake.first_name,
                        last_name=fake.last_name,
                        search_key=fold(f"{fake.first_name} {fake.last_name}"),
                        gender=fake.gender,
                        tckn=fake.tckn,
                        birth_date=datetime.date(fake.birth_year, rng.randint(1, 12), rng.randint(1, 28))
                        if rng.random() < 0.7
                        else None,
                        preferred_language="az" if fake.country == "AZ" else "tr",
                        owner=owner,
                        team_id=owner.team_id,
                        source=rng.choice(SOURCES),
                    )
                )
            Person.objects.bulk_create(rows)
            _children(rows, fakes, "person", rng)
            Person.tags.through.objects.bulk_create(
                [Person.tags.through(person_id=p.pk, tag_id=rng.choice(tags).pk) for p in rows if rng.random() < 0.2]
            )
            if company_ids:
                Employment.objects.bulk_create(
                    [
                        Employment(
                            person_id=p.pk,
                            company_id=rng.choice(company_ids),
                            title=rng.choice(
                                ["Satın Alma Müdürü", "Genel Müdür", "Muhasebe", "Satış Uzmanı", "Direktor", ""]
                            ),
                        )
                        for p in rows
                        if rng.random() < 0.4
                    ]
                )
        made += n
        if progress:
            progress(made)
    del today
    return made


def _children(rows: list[Any], fakes: list[Any], holder: str, rng: random.Random) -> None:
    phones, emails, addresses = [], [], []
    for record, fake in zip(rows, fakes, strict=True):
        link = {f"{holder}_id": record.pk}
        e164, national = normalize_phone(fake.phone)
        phones.append(
            Phone(
                kind="mobile" if holder == "person" else "work", e164=e164, national=national, is_primary=True, **link
            )
        )
        emails.append(Email(address=fake.email, key=fake.email.lower(), is_primary=True, **link))
        addresses.append(
            Address(
                kind="home" if holder == "person" else "work",
                country=fake.country,
                city=fake.city,
                district=fake.district,
                street=fake.street,
                postal_code=fake.postal_code,
                city_key=fold(fake.city),
                is_primary=True,
                **link,
            )
        )
    Phone.objects.bulk_create(phones)
    Email.objects.bulk_create(emails)
    Address.objects.bulk_create(addresses)
