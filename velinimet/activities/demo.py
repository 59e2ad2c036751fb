"""Demo timeline: a few hundred activities over the demo people, and a story for Şükrü Öztürk and his twin."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from velinimet.accounts.models import User
from velinimet.customers.models import Person

from . import services
from .models import Kind
from .seed import seed_activities


def load_demo_activities() -> None:
    seed_activities(900, random.Random(2026))
    rep = User.objects.get(username="temsilci.ist")
    now = timezone.now()
    story = [
        (Kind.CALL, "in", "Fiyat listesi istedi", 3),
        (Kind.EMAIL, "out", "2027 fiyat listesi gönderildi", 2),
        (Kind.VISIT, "", "Kadıköy mağazasında görüşme", 1),
    ]
    for person in Person.objects.filter(search_key__in=["sukru ozturk"]).order_by("id")[:2]:
        for kind, direction, subject, days in story:
            services.activity_log(
                actor=rep,
                person=person,
                kind=kind,
                direction=direction,
                subject=subject,
                occurred_at=now - datetime.timedelta(days=days, hours=person.pk % 5),
            )
