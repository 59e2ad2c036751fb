"""Bulk activities for demos and benchmarks (``velinimet seed --activities N``), like the customers seed:
rows exactly as the services store them, inserted with ``executemany`` in batches."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from velinimet.customers.models import Person
from velinimet.customers.seed import BATCH, insert_rows, seed_owners

from .kinds import CALL_OUTCOMES, GENERAL_OUTCOMES
from .models import Activity, Direction, Kind, Status

SUBJECTS: dict[str, list[str]] = {
    Kind.CALL: ["Fiyat teklifi görüşmesi", "Sipariş durumu soruldu", "Tahsilat araması", "Yeni ürün tanıtımı"],
    Kind.VISIT: ["Mağaza ziyareti", "Yıllık anlaşma ziyareti", "Showroom gezisi", "Ofis ziyarəti"],
    Kind.EMAIL: ["Teklif gönderildi", "Fatura sorusu", "Katalog talebi", "Sifariş təsdiqi"],
    Kind.SMS: ["Kampanya bilgilendirmesi", "Randevu hatırlatma", "Kargo takip numarası"],
    Kind.POST: ["Numune kargolandı", "Sözleşme posta ile gönderildi"],
    Kind.SOCIAL: ["Instagram mesajına yanıt", "LinkedIn yorumu"],
    Kind.SERVICE: ["Yerinde kurulum", "Periyodik bakım", "Arıza tespiti"],
    Kind.EVENT: ["Bayi toplantısı daveti", "Fuar daveti"],
    Kind.TASK: ["Teklifi revize et", "Numune gönder", "Geri ara"],
    Kind.NOTE: ["Müşteri ödeme vadesini 60 güne çıkarmak istiyor", "Karar verici satın alma müdürü"],
}
DIRECTED = {Kind.CALL, Kind.EMAIL, Kind.SMS, Kind.POST, Kind.SOCIAL}


def fake_activity(rng: random.Random, now: datetime.datetime) -> dict[str, Any]:
    """One activity as the services store it: most happened (done, with an outcome), one task in three and
    a few calls and visits are still open, due from ten days ago (overdue) to a month ahead."""
    kind = rng.choice(list(SUBJECTS))
    planned = (kind == Kind.TASK and rng.random() < 0.3) or (kind in (Kind.CALL, Kind.VISIT) and rng.random() < 0.02)
    if planned:
        at = now + datetime.timedelta(minutes=rng.randint(-10 * 24 * 60, 30 * 24 * 60))
    else:
        at = now - datetime.timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))
    outcomes = CALL_OUTCOMES if kind == Kind.CALL else GENERAL_OUTCOMES
    return {
        "kind": kind,
        "direction": rng.choice([Direction.INCOMING, Direction.OUTGOING]) if kind in DIRECTED else "",
        "subject": rng.choice(SUBJECTS[kind]),
        "body": "",
        "occurred_at": at,
        "duration_minutes": rng.randint(1, 45) if kind in (Kind.CALL, Kind.VISIT, Kind.SERVICE) else None,
        "status": Status.OPEN if planned else Status.DONE,
        "completed_at": None if planned else at,
        "outcome": "" if planned or kind == Kind.NOTE else rng.choice(outcomes).value,
    }


def seed_activities(
    count: int,
    rng: random.Random,
    person_ids: Sequence[int] | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Add ``count`` activities spread over ``person_ids`` (default: every person), owned by the demo users."""
    owners = seed_owners()
    if person_ids is None:
        person_ids = list(Person.objects.live().values_list("id", flat=True))
    if not person_ids:
        raise RuntimeError("Create people first: activities belong to a customer.")
    made = 0
    while made < count:
        n = min(BATCH, count - made)
        now = timezone.now()
        rows = []
        for _i in range(n):
            owner = rng.choice(owners)
            rows.append(
                {
                    **fake_activity(rng, now),
                    "person_id": rng.choice(person_ids),
                    "owner_id": owner.pk,
                    "team_id": owner.team_id,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        with transaction.atomic():
            insert_rows(Activity, rows)
        made += n
        if progress:
            progress(made)
    return made
