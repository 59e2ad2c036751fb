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
