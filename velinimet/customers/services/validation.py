"""Input shapes and validation shared by the customer services: everything is checked before anything is written.

Each check adds to an ``Errors`` collector so a user sees every problem at once, keyed like the API's
field errors (``phones.0.number``, ``custom.segment``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import phonenumbers
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from velinimet.core import limits
from velinimet.core.exceptions import Errors
from velinimet.core.numbers import NumberError
from velinimet.core.text import fold, sort_keys, sound_key, strip_invisible
from velinimet.customers import normalize
from velinimet.customers.models import Address, CardNumber, Channel, Company, CustomField, Email, Person, Phone
from velinimet.customers.services.matching import Subject

PERSON_FIELDS = (
    "first_name",
    "last_name",
    "title",
    "birth_date",
    "gender",
    "preferred_language",
    "preferred_channel",
    "tckn",
    "iban",
    "source",
    "notes",
)
COMPANY_FIELDS = (
    "name",
    "short_name",
    "parent",
    "vkn",
    "voen",
    "tax_office",
    "iban",
    "website",
    "industry",
    "source",
    "notes",
)


#: The kind a phone and an address get when none is given ("" in ``PhoneIn``/``AddressIn``): a person's
#: mobile and home, a company's work (office) number and address. Forms, API and import all leave it here.
DEFAULT_KINDS: dict[str, tuple[str, str]] = {
    "person": (Phone.Kind.MOBILE, Address.Kind.HOME),
    "company": (Phone.Kind.WORK, Address.Kind.WORK),
}


@dataclass
class PhoneIn:
    number: str
    kind: str = ""  # "": the holder's default (DEFAULT_KINDS)
    is_primary: bool = False
    region: str = ""  # the country a number without its country code is tried in first (default: TR)


@dataclass
class EmailIn:
    address: str
    is_primary: bool = False


@dataclass
class AddressIn:
    kind: str = ""  # "": the holder's default (DEFAULT_KINDS)
    country: str = "TR"
    city: str = ""
    district: str = ""
    neighbourhood: str = ""
    street: str = ""
    postal_code: str = ""
    is_primary: bool = False


@dataclass
class Contacts:
    """Validated child rows, ready to write."""

    phones: list[Phone] = field(default_factory=list)
    emails: list[Email] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    cards: list[CardNumber] = field(default_factory=list)


# --- field validation -----------------------------------------------------------------------
IDENTIFIERS = {
    "tckn": normalize.normalize_tckn,
    "vkn": normalize.normalize_vkn,
    "voen": normalize.normalize_voen,
    "iban": normalize.normalize_iban,
}


def _check_length(model: type[models.Model], name: str, value: Any, key: str, errors: Errors) -> None:
    """A text longer than its column is the field's error (PostgreSQL would refuse it at save time, SQLite
    would keep it whole); Django's own message, translated in its catalogue."""
    try:
        max_length = getattr(model._meta.get_field(name), "max_length", None)
    except FieldDoesNotExist:
        return
    if max_length and isinstance(value, str):
        try:
            MaxLengthValidator(max_length)(value)
        except ValidationError as exc:
            errors.add(key, " ".join(exc.messages))


def _clean_scalars(
    values: dict[str, Any], allowed: Sequence[str], errors: Errors, *, model: type[Person | Company]
) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for key, value in values.items():
        if key not in allowed:
            errors.add(key, _("Unknown field."))
            continue
        if isinstance(value, str):  # notes keep their lines (and what was typed), with browsers' CRLF made LF
            value = " ".join(strip_invisible(value).split()) if key != "notes" else value.replace("\r\n", "\n").strip()
            if key not in IDENTIFIERS:  # identifiers are checked once normalised ("1234 5678 950")
                _check_length(model, key, value, key, errors)
            if key == "notes" and (message := limits.length_error(value, limits.NOTES)):
                errors.add(key, message)
        if key in IDENTIFIERS and value:
            try:
                value = IDENTIFIERS[key](value)
            except normalize.InvalidValue as exc:
                errors.add(key, str(exc))
                continue
        if key == "gender" and value and value not in Person.Gender.values:
            errors.add(key, _("Choose female, male or other."))
        if key == "preferred_language" and value and value not in dict(settings.LANGUAGES):
            errors.add(key, _("Choose one of: %(choices)s.") % {"choices": ", ".join(dict(settings.LANGUAGES))})
        if key == "preferred_channel" and value and value not in Channel.values:
            errors.add(key, _("Choose one of: %(choices)s.") % {"choices": ", ".join(Channel.values)})
        if key == "birth_date" and value:
            if isinstance(value, str):
                try:
                    value = normalize.parse_date(value)
                except normalize.InvalidValue as exc:
                    errors.add(key, str(exc))
                    continue
            if value > timezone.localdate() or value.year < 1900:
                errors.add(key, _("Enter a real birth date."))
        clean[key] = value
    return clean


def _clean_contacts(
    phones: Iterable[PhoneIn] | None,
    emails: Iterable[EmailIn] | None,
    addresses: Iterable[AddressIn] | None,
    cards: Iterable[str] | None,
    errors: Errors,
    *,
    holder: str,
) -> Contacts:
    """Validated phones, e-mails, addresses and cards of a ``holder`` ("person" or "company")."""
    out = Contacts()
    phone_kind, address_kind = DEFAULT_KINDS[holder]
    seen: set[str] = set()
    phones, emails, addresses, cards = (
        _at_most(key, given, errors)
        for key, given in (("phones", phones), ("emails", emails), ("addresses", addresses), ("card_numbers", cards))
    )
    for i, phone in enumerate(phones):
        phone.kind = phone.kind or phone_kind
        if phone.kind not in Phone.Kind.values:
            errors.add(f"phones.{i}.kind", _("Choose mobile, work, home or fax."))
        try:
            # a number without its country code is tried in the line's country first (an import's GB line)
            region = phone.region if phone.region in phonenumbers.SUPPORTED_REGIONS else normalize.DEFAULT_REGION
            e164, national = normalize.normalize_phone(phone.number, region, home=normalize.DEFAULT_REGION)
        except normalize.InvalidValue as exc:
            errors.add(f"phones.{i}.number", str(exc))
            continue
        if e164 not in seen:
            seen.add(e164)
            tail = normalize.phone_tail(e164)
            out.phones.append(
                Phone(kind=phone.kind, e164=e164, national=national, tail=tail, is_primary=phone.is_primary)
            )
    for i, email in enumerate(emails):
        try:
            address, key = normalize.normalize_email(email.address)
        except normalize.InvalidValue as exc:
            errors.add(f"emails.{i}.address", str(exc))
            continue
        if key not in seen:
            seen.add(key)
            domain = normalize.email_domain(key)
            out.emails.append(Email(address=address, key=key, domain=domain, is_primary=email.is_primary))
    for i, addr in enumerate(addresses):
        addr.kind = addr.kind or address_kind
        if addr.kind not in Address.Kind.values:
            errors.add(f"addresses.{i}.kind", _("Choose home, work, billing or shipping."))
        country = (addr.country or "").strip().upper()  # empty: another country, not named
        if country and country not in phonenumbers.SUPPORTED_REGIONS:  # ISO 3166 codes with a phone plan
            errors.add(f"addresses.{i}.country", _("Write the country as a two-letter code, e.g. TR, AZ, DE."))
        postal = "".join(addr.postal_code.split()).upper()
        if postal and country == "TR" and not (postal.isdigit() and len(postal) == 5):
            errors.add(f"addresses.{i}.postal_code", _("A Turkish postal code has 5 digits."))
        if postal and country == "AZ":
            digits = postal.removeprefix("AZ")
            if not (digits.isdigit() and len(digits) == 4):
                errors.add(f"addresses.{i}.postal_code", _("An Azerbaijani postal code looks like AZ1000."))
            postal = "AZ" + digits
        for name in ("city", "district", "neighbourhood", "street"):
            setattr(addr, name, strip_invisible(getattr(addr, name)))
            _check_length(Address, name, getattr(addr, name).strip(), f"addresses.{i}.{name}", errors)
        out.addresses.append(
            Address(
                kind=addr.kind,
                country=country,
                city=addr.city.strip(),
                district=addr.district.strip(),
                neighbourhood=addr.neighbourhood.strip(),
                street=addr.street.strip(),
                postal_code=postal,
                city_key=fold(addr.city),
                is_primary=addr.is_primary,
            )
        )
    for i, number in enumerate(cards or []):
        number = "".join(strip_invisible(str(number)).split()).upper()  # "kart-77" and "KART-77" are one card
        if not number or number in seen:  # a card given twice ("kart-1", "KART-1") is one card, not a 500
            continue
        seen.add(number)
        if len(number) > 30 or not number.replace("-", "").isalnum():
            errors.add(f"card_numbers.{i}", _("A card number has letters and digits only."))
        elif held := CardNumber.objects.filter(number=number).values_list("person__deleted_at", "company__deleted_at"):
            message = (
                _("Card %(number)s belongs to a customer in the trash: restore them and remove it there first.")
                if any(held[0])
                else _("Card %(number)s already belongs to another customer.")
            )
            errors.add(f"card_numbers.{i}", message % {"number": number})
        else:
            out.cards.append(CardNumber(number=number))
    for rows in (out.phones, out.emails, out.addresses):  # exactly one primary per list: the first marked
        first = next((r for r in rows if r.is_primary), rows[0] if rows else None)
        for row in rows:
            row.is_primary = row is first
    return out


def _at_most(key: str, given: Iterable[Any] | None, errors: Errors) -> list[Any]:
    """The items of one contact list, or none (with the field's error) past ``CONTACTS_PER_RECORD``: each
    phone costs a parse, each card a query, so a list of 100,000 is refused before any is looked at."""
    items = list(given or [])
    if message := limits.count_error(len(items), limits.CONTACTS_PER_RECORD):
        errors.add(key, message)
        return []
    return items


def clean_tags(names: Iterable[str], errors: Errors) -> list[str]:
    """The tag names given, split at commas and spaces tidied, each at most ``TAG_NAME`` characters and at
    most ``TAGS_PER_RECORD`` of them (folded duplicates counted once)."""
    clean: dict[str, str] = {}
    for name in (part for given in names for part in str(given).split(",")):
        name = " ".join(strip_invisible(name).split())
        if not name:
            continue
        if message := limits.length_error(name, limits.TAG_NAME):
            errors.add("tags", message)
            return []
        clean.setdefault(fold(name), name)
    if message := limits.count_error(len(clean), limits.TAGS_PER_RECORD):
        errors.add("tags", message)
        return []
    return list(clean.values())


def clean_custom(
    record_type: str, values: dict[str, Any] | None, errors: Errors, *, existing: dict[str, Any] | None = None
) -> dict:
    """Check the given custom values against the administrator's definitions and merge them into ``existing``.

    Only the given keys are checked: values of a field that was removed since stay stored as they are.
    An empty value clears the field.
    """
    definitions = {d.key: d for d in CustomField.objects.filter(record_type=record_type)}
    merged: dict[str, Any] = dict(existing or {})
    for key, value in (values or {}).items():
        definition = definitions.get(key)
        if definition is None:
            errors.add(f"custom.{key}", _("Unknown custom field."))
            continue
        if value in (None, "", []):
            merged.pop(key, None)
            continue
        if definition.kind == CustomField.Kind.TEXT and (
            message := limits.length_error(str(value), limits.CUSTOM_TEXT)
        ):
            errors.add(f"custom.{key}", message)
            continue
        try:
            merged[key] = definition.parse(value)
        except NumberError as exc:  # says the form the reader's language writes numbers in
            errors.add(f"custom.{key}", f"{definition.label}: {exc}")
        except (TypeError, ValueError):
            errors.add(f"custom.{key}", _("Not a valid value for “%(label)s”.") % {"label": definition.shown_label})
    for key, definition in definitions.items():
        if definition.required and merged.get(key) in (None, "", []) and f"custom.{key}" not in errors.errors:
            errors.add(f"custom.{key}", _("“%(label)s” is required.") % {"label": definition.shown_label})
    return merged


# --- what the duplicate rules see -------------------------------------------------------------
def person_search_key(person: Person) -> str:
    return fold(f"{person.first_name} {person.last_name}")


def company_search_key(company: Company) -> str:
    return fold(f"{company.name} {company.short_name}" if company.short_name else company.name)


def record_sort_keys(record: Person | Company) -> dict[str, str]:
    """The "Name A–Z" keys of a record, and a person's "Last name A–Z" keys, per alphabet
    (``core.text.sort_key``): ``{"sort_key_tr": …, "sort_key_az": …, "last_name_key_tr": …, …}``.
    An erased record (no search key) has empty keys."""
    if isinstance(record, Person):
        names = {
            "sort_key": f"{record.first_name} {record.last_name}",
            "last_name_key": f"{record.last_name} {record.first_name}",
        }
    else:
        names = {"sort_key": record.short_name or record.name}  # the name lists show
    if not record.search_key:
        names = dict.fromkeys(names, "")
    return sort_keys(**names)


def set_name_keys(record: Person | Company) -> None:
    """Set the record's stored name keys from its names: ``search_key`` (folded), ``sound_key`` (spelling-
    blind) and the alphabetical orders (``record_sort_keys``). The one place the services write them."""
    if isinstance(record, Person):
        record.search_key = person_search_key(record)
    else:
        record.search_key = company_search_key(record)
    record.sound_key = sound_key(record.search_key)
    for name, value in record_sort_keys(record).items():
        setattr(record, name, value)


def validated_subject(kind: str, arguments: dict[str, Any]) -> Subject:
    """What the duplicate rules see of ``person_create`` / ``company_create`` arguments, validated as the
    create validates them, with nothing written (an import resumed after a crash re-reads the lines it had
    imported). ``arguments["company"]`` may name the employer. Raises DomainError when they are invalid."""
    errors = Errors()
    model, allowed = (Person, PERSON_FIELDS) if kind == "person" else (Company, COMPANY_FIELDS)
    values = _clean_scalars({k: v for k, v in arguments.items() if k in allowed}, allowed, errors, model=model)
    contacts = _clean_contacts(
        arguments.get("phones"), arguments.get("emails"), arguments.get("addresses"), (), errors, holder=kind
    )
    errors.check()
    record: Person | Company = model(**values)
    set_name_keys(record)
    company = arguments.get("company")
    employer = company if isinstance(company, Company) else Company(name=company) if company else None
    return Subject(record, contacts, employer)
