"""Likely duplicates of a person or company, by the rules of ``matching`` (same e-mail, phone, identity/tax
number or IBAN, or the same folded name in the same city or company). Every rule is an indexed lookup, so the
check runs on each create.

The check is a read before an insert, so concurrent creates must wait for each other:
``lock_duplicate_keys()`` locks every key the check looks up (``core.locks``) and the services call it
inside their transaction, just before ``find_duplicates()``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext as _

from velinimet.core.locks import lock_keys
from velinimet.customers.models import Company, Person
from velinimet.customers.selectors.records import visible_records
from velinimet.customers.services.matching import Subject, lock_keys_of, matches

if TYPE_CHECKING:
    from velinimet.accounts.models import User
    from velinimet.customers.services.validation import Contacts


def lock_duplicate_keys(record: Person | Company, contacts: Contacts | None, employer: Company | None = None) -> None:
    """Hold, until the transaction ends, a lock on each key ``find_duplicates`` looks up for ``record``
    (``matching.lock_keys_of``). Another create with one of these keys waits here and its check then sees
    this record. Precondition: inside ``transaction.atomic``."""
    subject = Subject(record, contacts, employer)
    lock_keys(f"customers.{subject.kind}", lock_keys_of(subject))


def find_duplicates(
    actor: User,
    *,
    person: Person | None = None,
    company: Company | None = None,
    contacts: Contacts | None = None,
    employer: Company | None = None,
) -> list[dict[str, Any]]:
    """Candidates with the reasons they match (the rules of ``matching``). Records ``actor`` may not see
    are reported without details."""
    record = person if person is not None else company
    assert record is not None
    subject = Subject(record, contacts, employer if person is not None else None)
    model, holder = subject.model, subject.kind
    reasons = matches(subject)
    if not reasons:
        return []
    live = model.objects.live().filter(pk__in=reasons)
    visible = {obj.pk: obj for obj in visible_records(model, actor).filter(pk__in=reasons)}
    hidden = set(live.values_list("pk", flat=True)) - set(visible)
    url_name = "customers:person_detail" if person is not None else "customers:company_detail"
    out = [
        {
            "type": holder,
            "id": pk,
            "title": str(obj),
            "url": reverse(url_name, args=[pk]),
            "customer_number": obj.customer_number,
            "reasons": reasons[pk],
            "visible": True,
        }
        for pk, obj in visible.items()
    ]
    out += [
        {
            "type": holder,
            "id": None,
            "title": _("A record you cannot see"),
            "url": None,
            "customer_number": None,
            # Only that it matches: the reasons name stored values (its e-mail as written, its phone).
            "reasons": [_("it matches what you entered")],
            "visible": False,
        }
        for pk in sorted(hidden)
    ]
    return out
