"""Merging duplicates: the user picks, field by field, which value survives; every related row moves to the
survivor; the merge is audited and can be undone. Other modules register a mover for their own rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from velinimet.core import audit
from velinimet.core.registry import registry
from velinimet.core.visibility import Action, can, can_create
from velinimet.customers.exceptions import DomainError, NotAllowed
from velinimet.customers.models import Company, Employment, Merge, Person
from velinimet.customers.services.records import REWRITTEN_ON_SAVE
from velinimet.customers.services.validation import COMPANY_FIELDS, PERSON_FIELDS, set_name_keys

if TYPE_CHECKING:
    from velinimet.accounts.models import User


#: Scalar fields the user chooses between on the merge screen.
PERSON_CHOICES = (*PERSON_FIELDS, "owner", "team")
COMPANY_CHOICES = (*COMPANY_FIELDS, "owner", "team")


@dataclass(frozen=True)
class Mover:
    """How to move one model's rows from a merged record to the survivor: ``model`` label and the FK field."""

    model: str
    field: str
    kinds: tuple[str, ...] = ("person", "company")


MOVERS = registry.declare(
    "customers.merge_movers",
    Mover,
    "a model's foreign key to a person or a company: its rows follow a merge to the survivor, and back on undo",
    key=lambda mover: f"{mover.model}.{mover.field}",
)


def _kind(record: Person | Company) -> str:
    return "person" if isinstance(record, Person) else "company"


def _value(record: Any, field: str) -> Any:
    return getattr(record, f"{field}_id") if field in ("owner", "team", "parent") else getattr(record, field)


def merge_preview(survivor: Person | Company, other: Person | Company) -> list[dict[str, Any]]:
    """The fields whose values differ, for the merge screen."""
    fields = PERSON_CHOICES if isinstance(survivor, Person) else COMPANY_CHOICES
    rows = []
    for field in fields:
        a, b = getattr(survivor, field), getattr(other, field)
        if _value(survivor, field) != _value(other, field):
            rows.append(
                {
                    "field": field,
                    "label": getattr(survivor._meta.get_field(field), "verbose_name", field),
                    "survivor": a,
                    "other": b,
                }
            )
    return rows


@transaction.atomic
def records_merge(*, actor: User, survivor: Any, other: Any, choices: dict[str, str] | None = None) -> Merge:
    """Merge ``other`` into ``survivor``. ``choices`` maps a field to "other" to take the other's value."""
    if type(survivor) is not type(other):
        raise DomainError(_("Only two people or two companies can be merged."), code="merge_kind")
    if survivor.pk == other.pk:
        raise DomainError(_("Choose two different records."), code="merge_same")
    if not (can(actor, survivor, Action.UPDATE) and can(actor, other, Action.UPDATE)):
        raise NotAllowed(_("You may only merge records you may change."))
    kind = _kind(survivor)
    model = type(survivor)
    survivor = model.objects.select_for_update().get(pk=survivor.pk)
    other = model.objects.select_for_update().get(pk=other.pk)
    if survivor.deleted_at or other.deleted_at:
        raise DomainError(_("A record in the trash cannot be merged."), code="merge_deleted")
    allowed = PERSON_CHOICES if kind == "person" else COMPANY_CHOICES
    unknown = [
        f
        for f, side in (choices or {}).items()
        if f not in allowed and not f.startswith("custom.") or side not in ("survivor", "other")
    ]
    if unknown:
        raise DomainError(_("Unknown merge choice: %(fields)s") % {"fields": ", ".join(unknown)}, code="merge_choice")
    taken = {f for f, side in (choices or {}).items() if side == "other"}
    owner_id = other.owner_id if "owner" in taken else survivor.owner_id
    team_id = other.team_id if "team" in taken else survivor.team_id
    if (owner_id, team_id) != (survivor.owner_id, survivor.team_id):  # the merge assigns the survivor
        rt = "customers.person" if kind == "person" else "customers.company"
        if not can(actor, survivor, Action.ASSIGN) or not can_create(actor, rt, owner_id=owner_id, team_id=team_id):
            raise NotAllowed(_("You may not give this record to that owner or team: keep the survivor's."))
    before = audit.snapshot(survivor)
    for field, side in (choices or {}).items():
        if side == "other" and not field.startswith("custom."):
            setattr(survivor, f"{field}_id" if field in ("owner", "team", "parent") else field, _value(other, field))
    custom = dict(other.custom)
    custom.update(survivor.custom)
    for field, side in (choices or {}).items():
        if field.startswith("custom.") and side == "other":
            custom[field[7:]] = other.custom.get(field[7:])
    survivor.custom = custom
    if kind == "company" and survivor.parent_id == other.pk:
        survivor.parent_id = None
    moved = _move_rows(kind, other.pk, survivor.pk)
    moved["tags"] = [t.pk for t in other.tags.exclude(pk__in=survivor.tags.all())]
    survivor.tags.add(*moved["tags"])
    set_name_keys(survivor)
    survivor.version += 1
    survivor.save()
    other.deleted_at = timezone.now()
    other.merged_into_id = survivor.pk
    other.save(update_fields=["deleted_at", "merged_into"])
    merge = Merge.objects.create(
        kind=kind, survivor_id=survivor.pk, merged_id=other.pk, actor=actor, survivor_before=before, moved=moved
    )
    merged_in, merged_into = f"customers.{kind}.merged_in", f"customers.{kind}.merged_into"
    audit.audit_update(
        actor=actor, instance=survivor, before=before, code=merged_in, data={"number": other.customer_number}
    )
    audit.log_action(
        actor=actor, instance=other, code=merged_into, kind="delete", data={"number": survivor.customer_number}
    )
    return merge


def _move_rows(kind: str, from_id: int, to_id: int) -> dict[str, list[int]]:
    moved: dict[str, list[int]] = {}
    for mover in MOVERS.values():
        if kind not in mover.kinds:
            continue
        model = apps.get_model(mover.model)
        rows = model._default_manager.filter(**{f"{mover.field}_id": from_id})
        if model is Employment:  # a person may work at a company once
            other_side = "company" if mover.field == "person" else "person"
            taken = Employment.objects.filter(**{f"{mover.field}_id": to_id}).values(other_side)
            rows = rows.exclude(**{f"{other_side}__in": taken})
        if model is Company and mover.field == "parent":
            rows = rows.exclude(pk=to_id)
        same_value = {"customers.Phone": "e164", "customers.Email": "key", "customers.Address": None}
        if same_value.get(mover.model):  # the survivor's own copy wins; the merged record keeps its duplicate
            column = same_value[mover.model]
            rows = rows.exclude(
                **{f"{column}__in": model._default_manager.filter(**{f"{mover.field}_id": to_id}).values(column)}
            )
        ids = list(rows.values_list("pk", flat=True))
        if ids:
            extra = {"is_primary": False} if hasattr(model, "is_primary") and model is not Employment else {}
            if extra:  # the survivor's primary rows stay primary; undo gives these their flag back
                primary = list(model._default_manager.filter(pk__in=ids, is_primary=True).values_list("pk", flat=True))
                if primary:
                    moved.setdefault(f"primary:{mover.model}", []).extend(primary)
            model._default_manager.filter(pk__in=ids).update(**{f"{mover.field}_id": to_id}, **extra)
            moved.setdefault(f"{mover.model}:{mover.field}", []).extend(ids)
    return moved


@transaction.atomic
def merge_undo(*, actor: User, merge: Merge) -> Person | Company:
    """Put both records back as they were before the merge (changes made since to the moved rows stay)."""
    if merge.undone_at is not None:
        raise DomainError(_("This merge was already undone."), code="merge_undone")
    model: Any = Person if merge.kind == "person" else Company
    survivor: Any = model.objects.select_for_update().get(pk=merge.survivor_id)
    other: Any = model.objects.select_for_update().get(pk=merge.merged_id)
    if not can(actor, survivor, Action.UPDATE):
        raise NotAllowed(_("You may not change this record."))
    for key, ids in merge.moved.items():
        # Saving the survivor's contacts writes them anew: the moved rows are gone, and an undo would
        # silently give the merged record nothing back.
        label = key.split(":")[0]  # "primary:<label>" keys hold ids of the same rows: skipped
        if label in REWRITTEN_ON_SAVE and apps.get_model(label).objects.filter(pk__in=ids).count() < len(ids):
            raise DomainError(
                _(
                    "The survivor's phones, e-mails, addresses or cards were changed after the merge, so an "
                    "undo would not give the merged record its own back. Restore it from the trash and copy "
                    "what it needs by hand."
                ),
                code="merge_changed",
            )
    for key, ids in sorted(merge.moved.items(), key=lambda item: item[0].startswith("primary:")):  # flags last
        if key == "tags":
            survivor.tags.remove(*ids)
        elif key.startswith("primary:"):
            apps.get_model(key[8:])._default_manager.filter(pk__in=ids).update(is_primary=True)
        else:
            label, field = key.split(":")
            apps.get_model(label)._default_manager.filter(pk__in=ids).update(**{f"{field}_id": other.pk})
    before = audit.snapshot(survivor)
    for field in (*(PERSON_CHOICES if merge.kind == "person" else COMPANY_CHOICES), "custom"):
        if field in merge.survivor_before:
            value = merge.survivor_before[field]
            if field == "birth_date" and value:
                value = datetime.date.fromisoformat(value)
            setattr(survivor, f"{field}_id" if field in ("owner", "team", "parent") else field, value)
    set_name_keys(survivor)
    survivor.version += 1
    survivor.save()
    other.deleted_at = None
    other.merged_into_id = None
    other.save(update_fields=["deleted_at", "merged_into"])
    merge.undone_at = timezone.now()
    merge.save(update_fields=["undone_at"])
    undone = f"customers.{merge.kind}.merge_undone"
    audit.audit_update(actor=actor, instance=survivor, before=before, code=undone)
    audit.log_action(actor=actor, instance=other, code=undone, kind="restore")
    return survivor
