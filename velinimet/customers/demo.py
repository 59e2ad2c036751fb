"""The customers module's demo data: a few hundred people and companies, consents, deliberate duplicates."""

from __future__ import annotations

import random

from velinimet.accounts.models import User
from velinimet.customers import services
from velinimet.customers.models import Company, Person
from velinimet.customers.seed import seed_companies, seed_people


def load_demo_customers() -> None:
    rng = random.Random(2026)
    company_ids = seed_companies(60, rng)
    seed_people(300, rng, company_ids)
    rep = User.objects.get(username="temsilci.ist")
    rep_baku = User.objects.get(username="temsilci.baku")
    sukru = services.person_create(
        actor=rep,
        first_name="Şükrü",
        last_name="Öztürk",
        phones=[services.PhoneIn("0532 123 45 67")],
        emails=[services.EmailIn("sukru.ozturk@example.com.tr")],
        tags=["VIP"],
        addresses=[services.AddressIn(kind="home", city="İstanbul", district="Kadıköy", postal_code="34710")],
        company=Company.objects.filter(team=rep.team).first(),
        company_title="Satın Alma Müdürü",
        force=True,
    )
    # Deliberate duplicates for the merge tool: same phone, same e-mail, same name in the same city.
    services.person_create(
        actor=rep, first_name="Sukru", last_name="Ozturk", force=True, phones=[services.PhoneIn("+90 (532) 1234567")]
    )
    services.person_create(
        actor=rep_baku,
        first_name="Əli",
        last_name="Məmmədov",
        force=True,
        emails=[services.EmailIn("eli.memmedov@mail.az")],
        phones=[services.PhoneIn("050 555 12 34")],
        addresses=[services.AddressIn(kind="home", country="AZ", city="Bakı", postal_code="AZ1000")],
    )
    services.person_create(
        actor=rep_baku,
        first_name="Ali",
        last_name="Mammadov",
        force=True,
        emails=[services.EmailIn("Eli.Memmedov@MAIL.AZ")],
    )
    for person in Person.objects.order_by("pk")[:120]:
        services.consent_record(
            actor=person.owner,
            person=person,
            channel=rng.choice(["email", "sms", "call"]),
            status="granted" if rng.random() < 0.8 else "refused",
            source="web formu",
            evidence="Web formundaki onay kutusu işaretlendi",
            kvkk_text_version="2026-01",
        )
    services.consent_record(
        actor=rep,
        person=sukru,
        channel="email",
        status="granted",
        source="fuar",
        evidence="Fuarda imzalanan başvuru formu",
        kvkk_text_version="2026-01",
    )
