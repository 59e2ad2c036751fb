"""KVKK (Law 6698) data-subject rights for people: a full export of what we hold, and erasure by anonymisation.

Erasure really anonymises: names, identifiers, contact points, notes and custom values go; audit entries
about the person lose their old values; the erasure itself is logged (what, when, who, why) without them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from velinimet.core import audit
from velinimet.core.models import AuditEntry
from velinimet.core.visibility import Action, can

from .exceptions import DomainError, NotAllowed
from .importer import import_results_erase
from .models import Consent, IncomingCall, Merge, Person

ERASED = "[erased]"


@dataclass(frozen=True)
class PersonalData:
    """Personal data another module keeps about a person: what the KVKK export shows and how erasure removes it."""

    key: str
    export: Callable[[Person], list[dict[str, Any]]]
    erase: Callable[[Person], None]


PERSONAL_DATA: dict[str, PersonalData] = {}


def register_personal_data(item: PersonalData) -> None:
    """Activities, orders, cases… call this so a person's export and erasure cover their rows too."""
    PERSONAL_DATA[item.key] = item


def jsonable(value: Any) -> Any:
    """Dates and times as ISO text; times in the user's time zone, like every screen shows them."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).isoformat()
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def person_data_export(*, actor: Any, person: Person) -> dict[str, Any]:
    """Everything held about ``person`` (KVKK Art. 11): fields, contacts, consents, links, change history."""
    if not can(actor, person, Action.EXPORT):
        raise NotAllowed(_("You may not export this person's data."))
    ct = ContentType.objects.get_for_model(Person)
    data = {
        "generated_at": jsonable(timezone.now()),
        "controller_note": _("Personal data held by this company in Velinimet CRM (KVKK Art. 11)."),
        "person": {k: jsonable(v) for k, v in audit.snapshot(person).items()},
        "customer_number": person.customer_number,
        "phones": [{"number": p.e164, "kind": p.kind} for p in person.phones.all()],
        "emails": [e.address for e in person.emails.all()],
        "addresses": [str(a) for a in person.addresses.all()],
        "card_numbers": [c.number for c in person.cards.all()],
        "tags": [t.name for t in person.tags.all()],
        "companies": [
            {"company": str(e.company), "title": e.title} for e in person.employments.select_related("company")
        ],
        "consents": [
            {
                "channel": c.channel,
                "status": c.status,
                "at": jsonable(c.at),
                "source": c.source,
                "evidence": c.evidence,
                "kvkk_text_version": c.kvkk_text_version,
            }
            for c in person.consents.all()
        ],
        "history": [
            {"at": jsonable(e.at), "by": e.actor_name, "action": e.action, "changes": e.changes, "note": e.note}
            for e in AuditEntry.objects.filter(content_type=ct, object_id=str(person.pk))
        ],
    }
    for item in PERSONAL_DATA.values():
        data[item.key] = item.export(person)
    audit.record(actor=actor, action="other", instance=person, note="KVKK data export")
    return data


@transaction.atomic
def person_erase(*, actor: Any, person: Person, reason: str) -> Person:
    """Anonymise ``person`` for good (not the trash: this cannot be undone)."""
    if not can(actor, person, Action.DELETE):
        raise NotAllowed(_("You may not erase this person."))
    reason = " ".join((reason or "").split())
    if not reason:
        raise DomainError(
            _("Give the reason for the erasure (e.g. the application's date and number)."),
            errors={"reason": [_("Give the reason for the erasure.")]},
        )
    person = Person.objects.select_for_update().get(pk=person.pk)
    # The same human may live on in records merged into this one (in the trash): erase them too, and drop
    # the merge records, whose saved "before" values would let an undo bring the data back.
    merged_away = list(Person.objects.filter(merged_into=person).exclude(pk=person.pk))
    for twin in merged_away:
        _anonymise(twin)
    ids = [person.pk, *[t.pk for t in merged_away]]
    Merge.objects.filter(kind="person", survivor_id__in=ids).delete()
    Merge.objects.filter(kind="person", merged_id__in=ids).delete()
    _anonymise(person)
    audit.record(actor=actor, action="delete", instance=person, note=f"KVKK erasure: {reason}"[:200])
    return person


def _anonymise(person: Person) -> None:
    """Remove everything personal from ``person`` and from the audit entries about it."""
    for related in (person.phones, person.emails, person.addresses, person.cards):
        related.all().delete()
    person.tags.clear()
    person.employments.all().delete()
    Consent.objects.filter(person=person).update(evidence="", source=ERASED)
    IncomingCall.objects.filter(person=person).update(number=ERASED, person=None)
    for item in PERSONAL_DATA.values():
        item.erase(person)
    import_results_erase(person.pk)
    person.first_name, person.last_name = ERASED, ""
    person.title = person.tckn = person.iban = person.notes = person.gender = person.source = ""
    person.birth_date = None
    person.custom = {}
    person.search_key = ""
    person.version += 1
    person.deleted_at = person.deleted_at or timezone.now()
    person.save()
    ct = ContentType.objects.get_for_model(Person)
    consent_ct = ContentType.objects.get_for_model(Consent)
    consent_ids = [str(pk) for pk in Consent.objects.filter(person=person).values_list("pk", flat=True)]
    entries = AuditEntry.objects.filter(content_type=ct, object_id=str(person.pk)) | AuditEntry.objects.filter(
        content_type=consent_ct, object_id__in=consent_ids
    )
    for entry in entries:
        entry.changes = {field: [ERASED, ERASED] for field in entry.changes}
        entry.object_repr = ERASED
        entry.save(update_fields=["changes", "object_repr"])
