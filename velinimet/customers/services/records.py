"""Every write to people and companies: validate everything first, then write, audit, and keep search keys."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from velinimet.accounts.services import check_owner
from velinimet.core import audit, limits
from velinimet.core.exceptions import Errors, check_version
from velinimet.core.sequences import next_numbers
from velinimet.core.text import fold
from velinimet.core.visibility import Action, can, can_create
from velinimet.customers.exceptions import DomainError, DuplicateFound, NotAllowed
from velinimet.customers.models import (
    Address,
    CardNumber,
    Company,
    Email,
    Employment,
    Person,
    Phone,
    Tag,
)
from velinimet.customers.services.duplicates import find_duplicates, lock_duplicate_keys
from velinimet.customers.services.matching import Subject
from velinimet.customers.services.validation import (
    COMPANY_FIELDS,
    PERSON_FIELDS,
    AddressIn,
    Contacts,
    EmailIn,
    PhoneIn,
    _check_length,
    _clean_contacts,
    _clean_scalars,
    clean_custom,
    clean_tags,
    set_name_keys,
)

if TYPE_CHECKING:
    from velinimet.accounts.models import User


def _code(record: Person | Company, verb: str) -> str:
    """The audit action code of ``verb`` for a person or a company (``customers.company.tagged``)."""
    return f"customers.{record._meta.model_name}.{verb}"


def _tags(names: list[str]) -> list[Tag]:
    """The tags named (as ``clean_tags`` returns them), created when new. A comma separates tags everywhere
    (forms, import, API): the API's ``["Müşteri, VIP"]`` is two tags, as the form would read it back."""
    tags = []
    for name in names:
        tag, _created = Tag.objects.get_or_create(key=fold(name), defaults={"name": name})
        tags.append(tag)
    return tags


def _ownership(actor: User, record_type: str, owner: Any, team: Any, errors: Errors) -> tuple[Any, Any]:
    owner = owner or actor
    team = team if team is not None else getattr(owner, "team", None)
    if not can_create(actor, record_type, owner_id=owner.pk, team_id=team.pk if team else None):
        raise NotAllowed(_("You may not create this record for that owner or team."))
    check_owner(owner, record_type)
    return owner, team


def _customer_number() -> str:
    return f"M{next_numbers('customer')[0]:07d}"


#: Contact rows written anew whenever their list is saved (``_write_contacts``): their ids do not last.
REWRITTEN_ON_SAVE = {model._meta.label for model in (Phone, Email, Address, CardNumber)}


def _write_contacts(record: Person | Company, contacts: Contacts, *, replace: dict[str, bool]) -> None:
    holder = {"person": record} if isinstance(record, Person) else {"company": record}
    for name, model, rows in (
        ("phones", Phone, contacts.phones),
        ("emails", Email, contacts.emails),
        ("addresses", Address, contacts.addresses),
        ("card_numbers", CardNumber, contacts.cards),
    ):
        if not replace.get(name):
            continue
        if name != "card_numbers":
            model.objects.filter(**holder).delete()
        for row in rows:
            for key, value in holder.items():
                setattr(row, key, value)
        if model is CardNumber:
            _write_cards(contacts.cards)
        else:
            model.objects.bulk_create(rows)  # type: ignore[arg-type]


def _write_cards(cards: list[CardNumber]) -> None:
    """Card numbers are unique in the database: a card another save took since validation is that field's
    error, not a 500 (the savepoint keeps the transaction usable to find which card it was)."""
    try:
        with transaction.atomic():
            CardNumber.objects.bulk_create(cards)
    except IntegrityError:
        taken = set(CardNumber.objects.filter(number__in=[c.number for c in cards]).values_list("number", flat=True))
        errors = Errors()
        for i, card in enumerate(cards):
            if card.number in taken:
                message = _("Card %(number)s already belongs to another customer.")
                errors.add(f"card_numbers.{i}", message % {"number": card.number})
        errors.check()
        raise


def contacts_snapshot(record: Person | Company) -> dict[str, list[str]]:
    """Child rows as short strings, for the audit log."""
    return {
        "phones": [p.e164 for p in record.phones.all()],  # type: ignore[union-attr]
        "emails": [e.address for e in record.emails.all()],  # type: ignore[union-attr]
        "addresses": [str(a) for a in record.addresses.all()],  # type: ignore[union-attr]
        "card_numbers": [c.number for c in record.cards.all()],  # type: ignore[union-attr]
        "tags": sorted(t.name for t in record.tags.all()),
    }


#: The import's check against the earlier lines of its file: candidates for the lines the validated record
#: repeats. It is called on every create of a line, forced or not, and keeps the subject for its index.
Earlier = Callable[[Subject], list[dict[str, Any]]]


def _lock_then_check(
    actor: User,
    record: Person | Company,
    contacts: Contacts,
    *,
    force: bool,
    employer: Company | None = None,
    earlier: Earlier | None = None,
) -> None:
    """Refuse a likely duplicate (unless ``force``), with the check's keys locked until commit so that a
    concurrent create of the same e-mail, phone or identifier waits and then sees this one (even a forced
    create locks: a check running beside it must see it). An import's ``earlier`` lines are checked first,
    by the same rules and keys (``matching``), so a line that repeats an earlier one is reported as that
    line, not as the record a trial run will roll back.

    Preconditions: inside the create's transaction, and after the customer number is reserved. That
    number's row lock is held until commit; taking it before the key locks gives every transaction one
    lock order, even one that creates many records (an import chunk), so a create cannot deadlock."""
    lock_duplicate_keys(record, contacts, employer)
    in_file = earlier(Subject(record, contacts, employer)) if earlier is not None else []
    if in_file and not force:
        raise DuplicateFound(in_file)
    if not force:
        kind = {"person": record} if isinstance(record, Person) else {"company": record}
        candidates = find_duplicates(actor, contacts=contacts, employer=employer, **kind)  # type: ignore[arg-type]
        if candidates:
            raise DuplicateFound(candidates)


# --- people ---------------------------------------------------------------------------------
@transaction.atomic
def person_create(
    *,
    actor: User,
    first_name: str,
    phones: Iterable[PhoneIn] = (),
    emails: Iterable[EmailIn] = (),
    addresses: Iterable[AddressIn] = (),
    card_numbers: Iterable[str] = (),
    tags: Iterable[str] = (),
    custom: dict[str, Any] | None = None,
    company: Company | None = None,
    company_title: str = "",
    owner: Any = None,
    team: Any = None,
    force: bool = False,
    earlier: Earlier | None = None,
    **fields: Any,
) -> Person:
    """Create a person. Raises DuplicateFound (unless ``force``) when likely duplicates exist (in the
    database, or among the ``earlier`` lines of an import)."""
    errors = Errors()
    values = _clean_scalars({"first_name": first_name, **fields}, PERSON_FIELDS, errors, model=Person)
    if not values.get("first_name"):
        errors.add("first_name", _("Enter a first name."))
    contacts = _clean_contacts(phones, emails, addresses, card_numbers, errors, holder="person")
    custom_values = clean_custom("person", custom, errors)
    tag_names = clean_tags(tags, errors)
    company_title = " ".join(company_title.split())
    _check_length(Employment, "title", company_title, "company_title", errors)
    errors.check()
    owner, team = _ownership(actor, "customers.person", owner, team, errors)
    if company is not None and not can(actor, company, Action.READ):
        raise NotAllowed(_("You may not link to that company."))
    person = Person(owner=owner, team=team, custom=custom_values, **values)
    set_name_keys(person)
    person.customer_number = _customer_number()  # first: see _lock_then_check
    _lock_then_check(actor, person, contacts, force=force, employer=company, earlier=earlier)
    person.save()
    _write_contacts(person, contacts, replace=dict.fromkeys(("phones", "emails", "addresses", "card_numbers"), True))
    if company is not None:
        Employment.objects.create(person=person, company=company, title=company_title, is_primary=True)
    person.tags.set(_tags(tag_names))
    audit.audit_create(actor=actor, instance=person)
    return person


def _record_update(
    record: Person | Company,
    *,
    actor: User,
    version: int | None = None,
    phones: Iterable[PhoneIn] | None = None,
    emails: Iterable[EmailIn] | None = None,
    addresses: Iterable[AddressIn] | None = None,
    card_numbers: Iterable[str] | None = None,
    tags: Iterable[str] | None = None,
    custom: dict[str, Any] | None = None,
    owner: Any = None,
    team: Any = None,
    **fields: Any,
) -> Any:
    """The update both people and companies share; preconditions: inside the caller's transaction."""
    is_person = isinstance(record, Person)
    if not can(actor, record, Action.UPDATE):
        raise NotAllowed(_("You may not change this record."))
    locked: Any = type(record).objects.select_for_update().get(pk=record.pk)
    check_version(locked, version)
    errors = Errors()
    values = _clean_scalars(
        fields, PERSON_FIELDS if is_person else COMPANY_FIELDS, errors, model=Person if is_person else Company
    )
    required = "first_name" if is_person else "name"
    if required in values and not values[required]:
        errors.add(required, _("Enter a first name.") if is_person else _("Enter the company's name."))
    if not is_person and values.get("parent") is not None and values["parent"].pk == locked.pk:
        errors.add("parent", _("A company cannot be its own parent."))
    if card_numbers is not None:
        locked.cards.all().delete()  # re-adding the same numbers must not count as taken (rolled back on error)
    kind = "person" if is_person else "company"
    contacts = _clean_contacts(phones, emails, addresses, card_numbers, errors, holder=kind)
    custom_values = clean_custom(kind, custom, errors, existing=locked.custom) if custom is not None else None
    tag_names = clean_tags(tags, errors) if tags is not None else None
    errors.check()
    before = {**audit.snapshot(locked), **contacts_snapshot(locked)}  # before the owner changes too
    if owner is not None or team is not None:
        _assign(actor, locked, owner, team)
    for key, value in values.items():
        setattr(locked, key, value)
    if custom_values is not None:
        locked.custom = custom_values
    set_name_keys(locked)
    lock_duplicate_keys(locked, contacts)  # a create checking these new keys waits for this change
    locked.version += 1
    locked.save()
    replace = {
        "phones": phones is not None,
        "emails": emails is not None,
        "addresses": addresses is not None,
        "card_numbers": card_numbers is not None,
    }
    _write_contacts(locked, contacts, replace=replace)
    if tag_names is not None:
        locked.tags.set(_tags(tag_names))
    after = {**audit.snapshot(locked), **contacts_snapshot(locked)}
    audit.log_action(actor=actor, instance=locked, kind="update", changes=audit.diff(before, after))
    return locked


@transaction.atomic
def person_update(*, actor: User, person: Person, **changes: Any) -> Person:
    """Change a person; ``changes`` as for ``_record_update`` (``version`` refuses a lost update)."""
    return _record_update(person, actor=actor, **changes)


def _assign(actor: User, record: Person | Company, owner: Any, team: Any) -> None:
    if not can(actor, record, Action.ASSIGN):
        raise NotAllowed(_("You may not assign this record."))
    rt = "customers.person" if isinstance(record, Person) else "customers.company"
    new_owner = owner or record.owner
    new_team = team if team is not None else (getattr(owner, "team", None) if owner else record.team)
    if not can_create(actor, rt, owner_id=new_owner.pk, team_id=new_team.pk if new_team else None):
        raise NotAllowed(_("You may not give records to that user or team."))
    if owner is not None:
        check_owner(owner, rt)
    record.owner, record.team = new_owner, new_team


@transaction.atomic
def records_assign(*, actor: User, records: Iterable[Person | Company], owner: Any = None, team: Any = None) -> int:
    """Bulk action: give several records to another owner (and their team). All or nothing."""
    count = 0
    for record in records:
        before = audit.snapshot(record)
        _assign(actor, record, owner, team)
        record.version += 1
        record.save(update_fields=["owner", "team", "version", "updated_at"])
        audit.audit_update(actor=actor, instance=record, before=before, code=_code(record, "bulk_assigned"))
        count += 1
    return count


@transaction.atomic
def records_add_tag(*, actor: User, records: Iterable[Person | Company], tag: str) -> int:
    """Bulk action: add tags ("a, b" is two) to several records the user may change. All or nothing.

    The version goes up like any change, so a form opened before cannot save over the new tags."""
    errors = Errors()
    names = clean_tags([tag], errors)
    if errors.errors:
        raise DomainError(errors.errors["tags"][0], errors={"tag": errors.errors["tags"]})
    if not names:
        raise DomainError(_("Enter a tag."), errors={"tag": [_("Enter a tag.")]})
    tags = _tags(names)
    count = 0
    for record in records:
        if not can(actor, record, Action.UPDATE):
            raise NotAllowed(_("You may not change “%(name)s”.") % {"name": record})
        held = set(record.tags.values_list("pk", flat=True))
        if message := limits.count_error(len(held | {t.pk for t in tags}), limits.TAGS_PER_RECORD):
            raise DomainError(f"{record}: {message}", errors={"tag": [message]})
        record.tags.add(*tags)
        type(record).objects.filter(pk=record.pk).update(version=F("version") + 1, updated_at=timezone.now())
        tagged = {"tags": ", ".join(t.name for t in tags)}
        audit.log_action(actor=actor, instance=record, code=_code(record, "tagged"), kind="update", data=tagged)
        count += 1
    return count


@transaction.atomic
def record_delete(*, actor: User, record: Person | Company) -> None:
    """Move a record to the trash (restorable)."""
    if not can(actor, record, Action.DELETE):
        raise NotAllowed(_("You may not delete this record."))
    record.deleted_at = timezone.now()
    record.save(update_fields=["deleted_at"])
    audit.audit_delete(actor=actor, instance=record, code=_code(record, "trashed"))


@transaction.atomic
def record_restore(*, actor: User, record: Person | Company) -> None:
    if not can(actor, record, Action.DELETE):
        raise NotAllowed(_("You may not restore this record."))
    record.deleted_at = None
    record.save(update_fields=["deleted_at"])
    audit.log_action(actor=actor, instance=record, kind="restore")


# --- companies ------------------------------------------------------------------------------
@transaction.atomic
def company_create(
    *,
    actor: User,
    name: str,
    phones: Iterable[PhoneIn] = (),
    emails: Iterable[EmailIn] = (),
    addresses: Iterable[AddressIn] = (),
    card_numbers: Iterable[str] = (),
    tags: Iterable[str] = (),
    custom: dict[str, Any] | None = None,
    owner: Any = None,
    team: Any = None,
    force: bool = False,
    earlier: Earlier | None = None,
    **fields: Any,
) -> Company:
    errors = Errors()
    values = _clean_scalars({"name": name, **fields}, COMPANY_FIELDS, errors, model=Company)
    if not values.get("name"):
        errors.add("name", _("Enter the company's name."))
    contacts = _clean_contacts(phones, emails, addresses, card_numbers, errors, holder="company")
    custom_values = clean_custom("company", custom, errors)
    tag_names = clean_tags(tags, errors)
    errors.check()
    owner, team = _ownership(actor, "customers.company", owner, team, errors)
    company = Company(owner=owner, team=team, custom=custom_values, **values)
    set_name_keys(company)
    company.customer_number = _customer_number()  # first: see _lock_then_check
    _lock_then_check(actor, company, contacts, force=force, earlier=earlier)
    company.save()
    _write_contacts(company, contacts, replace=dict.fromkeys(("phones", "emails", "addresses", "card_numbers"), True))
    company.tags.set(_tags(tag_names))
    audit.audit_create(actor=actor, instance=company)
    return company


@transaction.atomic
def company_update(*, actor: User, company: Company, **changes: Any) -> Company:
    """Change a company; ``changes`` as for ``_record_update`` (``version`` refuses a lost update)."""
    return _record_update(company, actor=actor, **changes)
