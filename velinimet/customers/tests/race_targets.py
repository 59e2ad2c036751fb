"""What each process of a race test does (run by ``velinimet.core.tests.processes``): JSON in, JSON out."""

from __future__ import annotations

import json
from typing import Any

from velinimet.customers import services
from velinimet.customers.exceptions import DomainError


def create_person(
    *, user_id: int, first_name: str, email: str = "", phone: str = "", card: str = "", force: bool = False
) -> Any:
    """One person created through the service, as the form and the import do."""
    from velinimet.accounts.models import User

    try:
        person = services.person_create(
            actor=User.objects.get(pk=user_id),
            first_name=first_name,
            emails=[services.EmailIn(address=email)] if email else [],
            phones=[services.PhoneIn(number=phone)] if phone else [],
            card_numbers=[card] if card else [],
            force=force,
        )
    except DomainError as exc:
        return {"refused": exc.code}
    return {"created": person.pk}


def post(*, token: str, path: str, body: dict[str, Any], key: str = "") -> Any:
    """One POST through the whole request stack (middleware, authentication, the API view)."""
    from django.test import Client

    headers = {"Authorization": f"Token {token}"}
    if key:
        headers["Idempotency-Key"] = key
    response = Client(SERVER_NAME="localhost").post(
        path, data=json.dumps(body), content_type="application/json", headers=headers
    )
    return {
        "status": response.status_code,
        "body": response.json() if response.get("Content-Type", "").startswith("application/json") else None,
        "replayed": response.get("Idempotent-Replayed"),
    }


def count(*, email: str = "", phone: str = "") -> Any:
    """How many live people hold this e-mail or phone."""
    from velinimet.customers.models import Person
    from velinimet.customers.normalize import normalize_email, normalize_phone

    people = Person.objects.filter(deleted_at__isnull=True)
    if email:
        people = people.filter(emails__key=normalize_email(email)[1])
    if phone:
        people = people.filter(phones__e164=normalize_phone(phone)[0])
    return {"count": people.distinct().count()}


def import_or_write(*, role: str, user_id: int, lines: int = 0, writes: int = 0) -> Any:
    """``import``: a real import of ``lines`` people, run here as a worker runs it. ``write``: once the
    import has started, ``writes`` person creates one after another, as web requests would make them;
    returns how long the slowest waited and what failed."""
    import time

    from django.db import transaction

    from velinimet.accounts.models import User
    from velinimet.core.jobs import job_run
    from velinimet.core.models import Job
    from velinimet.customers.services.importer import import_start

    actor = User.objects.get(pk=user_id)
    if role == "import":
        rows = "".join(f"Kişi{i};Yazar{i};05{(320000000 + i):09d}\n" for i in range(lines))
        with transaction.atomic():
            job = import_start(actor=actor, kind="person", data=("Ad;Soyad;Telefon\n" + rows).encode(), trial=False)
        job_run(str(job.pk))
        job.refresh_from_db()
        return {"state": job.state, "done": job.done}
    deadline = time.monotonic() + 60
    while not Job.objects.filter(state=Job.State.RUNNING, done__gt=0).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    waits, failures = [], []
    for i in range(writes):
        began = time.monotonic()
        try:
            services.person_create(actor=actor, first_name=f"Web{i}", last_name="İstek", force=True)
        except Exception as exc:  # a "database is locked" is what this measures
            failures.append(f"{type(exc).__name__}: {exc}")
        waits.append(time.monotonic() - began)
        time.sleep(0.1)
    still_running = Job.objects.filter(state=Job.State.RUNNING).exists()
    return {"max_wait": max(waits), "failures": failures, "during_import": still_running}
