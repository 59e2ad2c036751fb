"""KVKK erasure: how long the search of the audit log for quotes of a person's values takes.

Standalone, on a fresh data directory (SQLite unless VELINIMET_DATABASE_URL is set):
``VELINIMET_DATA_DIR=/tmp/erasure-bench python -m bench.erasure_scan 1000000``. It inserts N audit
entries shaped like a person's creation (names, a phone, an e-mail), then times
``audit.entries_mentioning`` over all of them, as ``person_erase`` runs it before its transaction.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time


def main(n: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "velinimet.settings")
    import django

    django.setup()
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection

    from velinimet.core import audit
    from velinimet.core.erasure import Mentions
    from velinimet.core.models import AuditEntry
    from velinimet.customers.models import Person

    call_command("migrate", verbosity=0)
    ct = ContentType.objects.get_for_model(Person).pk
    rnd = random.Random(1)
    names = ["Ahmet Yılmaz", "Ayşe Kaya", "Mehmet Demir", "Fatma Şahin", "Zeynep Öztürk"]
    sql = (
        "INSERT INTO core_auditentry(at, actor_name, action, content_type_id, object_id, object_repr, changes, code, data) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )
    missing = n - AuditEntry.objects.count()
    with connection.cursor() as cursor:
        for start in range(0, max(missing, 0), 50_000):
            rows = []
            for i in range(start, min(start + 50_000, missing)):
                first, last = rnd.choice(names).split()
                changes = {
                    "first_name": [None, first],
                    "last_name": [None, last],
                    "phones": [[], [f"+90532{rnd.randint(1_000_000, 9_999_999)}"]],
                    "emails": [[], [f"u{i}@example.com"]],
                }
                rows.append(
                    (
                        "2026-01-01 00:00:00+00",
                        "admin",
                        "create",
                        ct,
                        str(i),
                        f"{first} {last}",
                        json.dumps(changes),
                        "customers.person.created",
                        "{}",
                    )
                )
            cursor.executemany(sql, rows)
    mentions = Mentions(
        names=["Zümrüt Zümrütoğlu"],
        phones=["+905327771122", "+902164449977"],
        emails=["zumrut.x@ornek.com.tr"],
        identifiers=["38492057110", "TR300006200073141592653589", "ZMRT-77-1122"],
    )
    for _ in range(3):
        started = time.perf_counter()
        found = audit.entries_mentioning(mentions)
        seconds = time.perf_counter() - started
        print(
            f"{connection.vendor}: {AuditEntry.objects.count()} entries, {len(mentions.like_forms())} forms, "
            f"{seconds:.1f} s, {len(found)} found"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
