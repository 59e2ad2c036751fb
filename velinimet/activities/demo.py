"""Demo timeline: a few hundred activities over the demo people, a story for Şükrü Öztürk and his twin, and
each demo rep's open work: tasks and calls due today, overdue ones and visits planned for next week."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from velinimet.accounts.models import User
from velinimet.customers.models import Person

from . import services
from .models import Kind, Priority, Status
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

    load_demo_plans(now)


#: (username, kind, subject, due in hours from now (negative: overdue), priority, the kind's fields)
PLANS = [
    ("temsilci.ist", Kind.TASK, "Teklifi revize edip gönder", 2, Priority.HIGH, {}),
    ("temsilci.ist", Kind.CALL, "Sipariş onayı için geri ara", 4, Priority.NORMAL, {}),
    ("temsilci.ist", Kind.CALL, "Tahsilat hatırlatması", -26, Priority.HIGH, {}),
    ("temsilci.ist", Kind.VISIT, "Yıllık anlaşma ziyareti", 24 * 5, Priority.NORMAL, {"side": "ours"}),
    ("temsilci.baku", Kind.TASK, "Kataloqu göndər", 3, Priority.NORMAL, {}),
    ("temsilci.baku", Kind.CALL, "Təklif barədə zəng et", -50, Priority.HIGH, {}),
    ("temsilci.baku", Kind.VISIT, "Ofis görüşü", 24 * 3, Priority.NORMAL, {"side": "ours", "place": "Nizami küç."}),
    ("servis", Kind.SERVICE, "Periyodik baxım", 6, Priority.NORMAL, {"address": "Bakı, Xətai r."}),
]


def load_demo_plans(now: datetime.datetime) -> None:
    """Open work for each demo rep, on customers they own, so their timelines show "Upcoming"."""
    for username, kind, subject, hours, priority, details in PLANS:
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        person = Person.objects.live().filter(owner=user).order_by("id").first()
        if person is None:
            continue
        services.activity_log(
            actor=user,
            person=person,
            kind=kind,
            status=Status.OPEN,
            priority=priority,
            subject=subject,
            occurred_at=now + datetime.timedelta(hours=hours),
            details=details,
        )
