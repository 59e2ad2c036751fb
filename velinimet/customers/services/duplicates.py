"""Likely duplicates of a person or company: same e-mail, phone, identity/tax number, or the same folded
name in the same city or company. Every check is an indexed lookup, so it runs on each create.

The check is a read before an insert, so concurrent creates must wait for each other:
``lock_duplicate_keys()`` locks every key the check looks up (``core.locks``) and the services call it
inside their transaction, just before ``find_duplicates()``."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext as _

from velinimet.core.locks import lock_keys
from velinimet.core.text import fold
from velinimet.customers.models import Address, Company, Email, Employment, Person, Phone
from velinimet.customers.selectors.records import visible_records

if TYPE_CHECKING:
    from velinimet.customers.services.validation import Contacts


def _name_keys(record: Person | Company) -> set[str]:
    if isinstance(record, Person):
        return {
            k
            for k in (fold(f"{record.first_name} {record.last_name}"), fold(f"{record.last_name} {record.first_name}"))
            if k
        }
    return {k for k in (fold(record.name), fold(record.short_name)) if k}


IDENTIFIERS = {"person": ("tckn", "iban"), "company": ("vkn", "voen", "iban")}


def lock_duplicate_keys(record: Person | Company, contacts: Contacts | None) -> None:
    """Hold, until the transaction ends, a lock on each key ``find_duplicates`` looks up for ``record``:
    e-mails, phones (E.164), identifiers and folded names. Another create with one of these keys waits
    here and its check then sees this record. Precondition: inside ``transaction.atomic``."""
    holder = "person" if isinstance(record, Person) else "company"
    keys = [f"name:{key}" for key in _name_keys(record)]
    keys += [f"{field}:{getattr(record, field, '')}" for field in IDENTIFIERS[holder] if getattr(record, field, "")]
    if contacts is not None:
        keys += [f"email:{e.key}" for e in contacts.emails] + [f"phone:{p.e164}" for p in contacts.phones]
    lock_keys(f"customers.{holder}", keys)


def find_duplicates(
    actor: Any,
    *,
    person: Person | None = None,
    company: Company | None = None,
    contacts: Contacts | None = None,
    employer: Company | None = None,
) -> list[dict[str, Any]]:
    """Candidates with the reasons they match. Records ``actor`` may not see are reported without details."""
    record = person if person is not None else company
    assert record is not None
    model = Person if person is not None else Company
    holder = "person" if person is not None else "company"
    reasons: dict[int, list[str]] = defaultdict(list)
    exclude = record.pk

    def hit(pk: int | None, reason: str) -> None:
        if pk is not None and pk != exclude and reason not in reasons[pk]:
            reasons[pk].append(reason)

    if contacts is not None:
        email_keys = [e.key for e in contacts.emails]
        if email_keys:
            for pk, address in Email.objects.filter(key__in=email_keys).values_list(holder, "address"):
                hit(pk, _("same e-mail %(value)s") % {"value": address})
        numbers = [p.e164 for p in contacts.phones]
        if numbers:
            for pk, national in Phone.objects.filter(e164__in=numbers).values_list(holder, "national"):
                hit(pk, _("same phone %(value)s") % {"value": national})
        cities = {a.city_key for a in contacts.addresses if a.city_key}
    else:
        cities = set()
    for field in IDENTIFIERS[holder]:
        value = getattr(record, field, "")
        if value:
            for pk in model.objects.filter(**{field: value}).values_list("pk", flat=True):
                hit(pk, _("same %(label)s") % {"label": getattr(model._meta.get_field(field), "verbose_name", field)})
    keys = _name_keys(record)
    if keys:
        same_name = model.objects.live().filter(search_key__in=keys)
        if cities:
            in_city = Address.objects.filter(city_key__in=cities).values(holder)
            for pk in same_name.filter(pk__in=in_city).values_list("pk", flat=True):
                hit(pk, _("same name in the same city"))
        if employer is not None and person is not None:
            ids = Employment.objects.filter(company=employer).values("person")
            for pk in same_name.filter(pk__in=ids).values_list("pk", flat=True):
                hit(pk, _("same name at the same company"))
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
