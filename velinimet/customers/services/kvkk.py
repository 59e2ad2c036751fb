"""KVKK (Law 6698) data-subject rights for people: a full export of what we hold, and erasure by anonymisation.

Erasure really anonymises: names, identifiers, contact points, notes and custom values go; audit entries
about the person lose their old values; the erasure itself is logged (what, when, who, why) without them.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import phonenumbers
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Replace
from django.utils import timezone
from django.utils.translation import gettext as _

from velinimet.core import audit, erasure
from velinimet.core.erasure import ERASED
from velinimet.core.fulltext import fulltext_purge
from velinimet.core.models import AuditEntry
from velinimet.core.registry import RecordType, registry
from velinimet.core.text import fold
from velinimet.core.visibility import Action, can
from velinimet.customers.exceptions import DomainError, NotAllowed
from velinimet.customers.models import (
    Address,
    CardNumber,
    Company,
    Consent,
    Email,
    Employment,
    IncomingCall,
    Merge,
    Person,
    Phone,
    Tag,
)
from velinimet.customers.services.importer import import_dir, import_results_erase
from velinimet.customers.services.merge import Mover

if TYPE_CHECKING:
    from velinimet.accounts.models import User


@dataclass(frozen=True)
class CustomerChild:
    """Rows another module keeps about a customer (activities, orders, cases…). One registration gives them
    everything they need: ``record_type`` is registered with the customer as its parent (a row is visible
    only with its customer, ``core.visibility.restrict``); the rows follow a merge to the survivor
    (``fields``: the model's foreign keys to ``Person`` and ``Company``); they show in a person's KVKK export
    (``export``); and they go in an erasure (``erase``), with the values their audit entries logged."""

    key: str
    record_type: RecordType
    export: Callable[[Person], list[dict[str, Any]]]
    erase: Callable[[Person], None]
    fields: tuple[str, ...] = ("person",)  # the foreign key to Person must be named "person"

    @property
    def model(self) -> str:
        return self.record_type.model


def _child_added(child: CustomerChild) -> None:
    record_type = child.record_type
    registry.register("core.record_types", replace(record_type, parents=record_type.parents or child.fields))
    model = apps.get_model(child.model)
    for field in child.fields:
        kind = "person" if model._meta.get_field(field).related_model is Person else "company"
        registry.register("customers.merge_movers", Mover(child.model, field, (kind,)))


CHILDREN = registry.declare(
    "customers.children",
    CustomerChild,
    "a module's rows about a customer: record type with its parent, merge movers, KVKK export and erasure",
    on_add=_child_added,
)


def jsonable(value: Any) -> Any:
    """Dates and times as ISO text; times in the user's time zone, like every screen shows them."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).isoformat()
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def person_data_export(*, actor: User, person: Person) -> dict[str, Any]:
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
            {
                "at": jsonable(e.at),
                "by": e.actor_name,
                "action": e.action,
                "code": e.code,
                "changes": e.changes,
                "data": e.data,
                "note": e.text,
            }
            for e in AuditEntry.objects.filter(content_type=ct, object_id=str(person.pk))
        ],
    }
    for item in CHILDREN.values():
        data[item.key] = item.export(person)
    audit.log_action(actor=actor, instance=person, code="customers.person.kvkk_exported")
    return data


def person_erase(*, actor: User, person: Person, reason: str) -> Person:
    """Anonymise ``person`` for good (not the trash: this cannot be undone).

    Goes: the person's fields, contact rows, employments, consents' evidence, calls, tags only they had,
    every registered module's rows (``PersonalData``), the audit entries of all of these, other entries and
    job reports quoting their values, files of the exports folder naming them, and on SQLite the old pages
    (``secure_delete``, FTS5 merge, WAL checkpoint). Stays: the record with its number, counted in reports,
    and one audit entry saying who erased it, when and why."""
    if not can(actor, person, Action.DELETE):
        raise NotAllowed(_("You may not erase this person."))
    reason = " ".join((reason or "").split())
    if not reason:
        raise DomainError(
            _("Give the reason for the erasure (e.g. the application's date and number)."),
            errors={"reason": [_("Give the reason for the erasure.")]},
        )
    # Looking through the audit log for entries quoting their values reads every entry since they were
    # created (a million: 11.5 s on SQLite). It only reads, so it runs before the write transaction, which
    # on SQLite no other writer may enter meanwhile; the transaction re-reads what it found and what was
    # written since.
    started = timezone.now()
    people = [person, *_merged_into(person)]
    _own, shared, _files = _mentions(people)
    quoting = audit.entries_mentioning(shared, since=min(p.created_at for p in people))
    return _erase(actor, person, reason, (shared.like_forms(), quoting, started))


#: A writer stamps its audit entries when it writes them, maybe a while before it commits.
RESCAN_MARGIN = datetime.timedelta(minutes=10)


@transaction.atomic
def _erase(actor: User, person: Person, reason: str, scanned: tuple[list[str], list[int], datetime.datetime]) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    # The same human may live on in records merged into this one (in the trash): erase them too, and drop
    # the merge records, whose saved "before" values would let an undo bring the data back.
    people = [person, *_merged_into(person)]
    ids = [p.pk for p in people]
    own, shared, files = _mentions(people)
    forms, quoting, started = scanned
    since = started - RESCAN_MARGIN if shared.like_forms() == forms else min(p.created_at for p in people)
    quoting = [*quoting, *audit.entries_mentioning(shared, since=since)]  # all again if they changed meanwhile
    Merge.objects.filter(kind="person", survivor_id__in=ids).delete()
    Merge.objects.filter(kind="person", merged_id__in=ids).delete()
    tag_ids = list(Tag.objects.filter(people__in=ids).values_list("pk", flat=True).distinct())
    for record in people:
        _anonymise(record, own)
    _delete_orphan_tags(tag_ids)
    audit.mentions_erase(shared, AuditEntry.objects.filter(pk__in=quoting))
    erasure.jobs_scrub(shared)
    fulltext_purge(Person._meta.db_table)
    audit.log_action(
        actor=actor,
        instance=person,
        code="customers.person.erased",
        kind="delete",
        data={"reason": own.sub(reason)[:200]},
    )
    transaction.on_commit(functools.partial(_forget_after_commit, files))
    return person


def _merged_into(person: Person) -> list[Person]:
    """Every record merged into ``person``, also through records merged into those."""
    found: list[Person] = []
    frontier = [person.pk]
    while frontier:
        batch = list(
            Person.objects.filter(merged_into__in=frontier).exclude(pk__in=[person.pk, *(p.pk for p in found)])
        )
        found += batch
        frontier = [p.pk for p in batch]
    return found


def _values(people: list[Person]) -> dict[str, set[str]]:
    """Every name, phone, e-mail and identifier the people have or had (their audit entries' old values)."""
    values: dict[str, set[str]] = {k: set() for k in ("first", "last", "phones", "emails", "ids", "texts")}
    ct = ContentType.objects.get_for_model(Person)
    for person in people:
        values["first"].add(person.first_name)
        values["last"].add(person.last_name)
        values["phones"] |= {p.e164 for p in person.phones.all()}
        values["emails"] |= {e for mail in person.emails.all() for e in (mail.address, mail.key)}
        values["ids"] |= {person.tckn, person.iban, *(c.number for c in person.cards.all())}
        values["texts"] |= {t.name for t in person.tags.all()}
        values["texts"] |= {v for v in person.custom.values() if isinstance(v, str)}
        values["texts"] |= {str(a.street) for a in person.addresses.all()}
        for changes in AuditEntry.objects.filter(content_type=ct, object_id=str(person.pk)).values_list(
            "changes", flat=True
        ):
            for field, key in _LOGGED.items():
                for logged in changes.get(field) or []:
                    items = logged if isinstance(logged, list) else [logged]
                    values[key] |= {str(v) for v in items if v not in (None, "", ERASED)}
    return values


#: Fields of a person's audit entries whose old and new values are theirs to find elsewhere.
_LOGGED = {
    "first_name": "first",
    "last_name": "last",
    "phones": "phones",
    "emails": "emails",
    "tckn": "ids",
    "iban": "ids",
    "card_numbers": "ids",
    "tags": "texts",
}


def _mentions(people: list[Person]) -> tuple[erasure.Mentions, erasure.Mentions, erasure.Mentions]:
    """(own, shared, files): what to remove from the people's own entries' notes; from other records'
    entries and job reports; and which export files to delete.

    A full name is looked for in other records only while no other live record has it: another "Ayşe
    Kaya"'s history is not this person's. Their identifiers are theirs alone (duplicate detection), and so
    is a file naming them, deleted even when it may name a namesake (an export can be made again)."""
    values = _values(people)
    names = {f"{first} {last}".strip() for first in values["first"] for last in values["last"]}
    ids = [p.pk for p in people]
    keys = {fold(name) for name in names}
    namesakes = Person.objects.live().filter(search_key__in=keys).exclude(pk__in=ids).exists()
    namesakes = namesakes or Company.objects.live().filter(search_key__in=keys).exists()
    common = {"phones": values["phones"], "emails": values["emails"], "identifiers": values["ids"]}
    own = erasure.Mentions(names=names, texts=values["texts"], **common)
    shared = erasure.Mentions(names=() if namesakes else names, **common)
    numbers = {p.customer_number for p in people}
    files = erasure.Mentions(
        names=names, phones=values["phones"], emails=values["emails"], identifiers=values["ids"] | numbers
    )
    return own, shared, files


def _forget_after_commit(files: erasure.Mentions) -> None:
    """Once the erasure is committed (never for one rolled back): delete the export files naming the
    person and the pending import uploads that list them, then let SQLite drop the old pages from its WAL."""
    for path in erasure.export_files_mentioning(files):
        erasure.export_file_delete(path)
    # Uploads waiting for their real import hold the person too: importing one later would bring them back.
    # Its trial job then answers "the uploaded file is no longer here; upload it again".
    for path in erasure.export_files_mentioning(files, folder=import_dir()):
        path.unlink(missing_ok=True)
    erasure.sqlite_forget()


def _delete_orphan_tags(tag_ids: list[int]) -> None:
    """Tags only the erased people carried name them ("Zümrütoğlu ailesi"): they go when no record is left."""
    orphans = Tag.objects.filter(pk__in=tag_ids)
    for relation in Tag._meta.related_objects:  # people, companies, and whatever module tags its rows
        orphans = orphans.filter(**{f"{relation.name}__isnull": True})
    orphans.delete()


def _anonymise(person: Person, own: erasure.Mentions) -> None:
    """Remove everything personal from ``person``, its rows and every module's rows, and the audit entries about
    them. Precondition: the caller holds the person's row lock."""
    parents = {"person": [person.pk]}
    for model in (Phone, Email, Address, CardNumber, Employment, Consent, IncomingCall):
        rows = list(model._default_manager.filter(person=person).values_list("pk", flat=True))
        audit.entries_erase(audit.entries_about(model, rows, parents=parents), own, ERASED)
    for related in (person.phones, person.emails, person.addresses, person.cards):
        related.all().delete()
    person.tags.clear()
    person.employments.all().delete()
    Consent.objects.filter(person=person).update(evidence="", source=ERASED)
    # Calls from their number, also those nobody's card recognised (a number as the phone system sent it).
    calls = Q(person=person)
    for phone in own.phones:
        with contextlib.suppress(phonenumbers.NumberParseException):
            calls |= Q(bare__contains=str(phonenumbers.parse(phone).national_number))
    bare: Any = F("number")
    for separator in " -().":
        bare = Replace(bare, Value(separator), Value(""))
    called = IncomingCall.objects.annotate(bare=bare).filter(calls).values_list("pk", flat=True)
    IncomingCall.objects.filter(pk__in=list(called)).update(number=ERASED, person=None)
    for item in CHILDREN.values():
        model = apps.get_model(item.model)
        rows = list(model._default_manager.filter(person=person).values_list("pk", flat=True))
        item.erase(person)
        audit.entries_erase(audit.entries_about(model, rows, parents=parents), own, ERASED)
    import_results_erase(person.pk)
    person.first_name, person.last_name = ERASED, ""
    person.title = person.tckn = person.iban = person.notes = person.gender = person.source = ""
    person.birth_date = None
    person.custom = {}
    person.search_key = person.sound_key = ""
    for field in ("sort_key_tr", "sort_key_az", "last_name_key_tr", "last_name_key_az"):
        setattr(person, field, "")
    person.version += 1
    person.deleted_at = person.deleted_at or timezone.now()
    person.save()
    audit.entries_erase(audit.entries_about(Person, [person.pk]), own, ERASED)
