"""Merging duplicates: the user picks, field by field, which value survives; every related row moves to the
survivor; the merge is audited and can be undone. Other modules register a mover for their own rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from velinimet.core import audit, limits
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
#: Fields whose two values can both be kept, joined (the choice ``"both"``), each marked with its record.
JOINABLE = ("notes",)
BOTH = "both"


def joined_text(field: str, survivor: Any, other: Any) -> str:
    """Both records' ``field`` (notes), each under a line naming the record it came from; one side's alone
    when the other has none. Refused when together they are longer than a note may be."""
    parts = [
        f"[{record.customer_number} · {record}]\n{getattr(record, field).strip()}"
        for record in (survivor, other)
        if getattr(record, field).strip()
    ]
    if len(parts) < 2 or getattr(survivor, field).strip() == getattr(other, field).strip():  # one text: as it is
        return next((getattr(r, field) for r in (survivor, other) if getattr(r, field).strip()), "")
    text = "\n\n".join(parts)
    if len(text) > limits.NOTES:
        raise DomainError(
            _("Both notes together are longer than %(limit)s characters: keep one, or shorten them first.")
            % {"limit": number_format(limits.NOTES, force_grouping=True)},
            code="merge_notes_too_long",
            errors={field: [_("too long to keep both")]},
        )
    return text


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
                    "joinable": field in JOINABLE,
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
        if f not in allowed
        and not f.startswith("custom.")
        or side not in ("survivor", "other", *((BOTH,) if f in JOINABLE else ()))
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
    joined = {field: joined_text(field, survivor, other) for field, side in (choices or {}).items() if side == BOTH}
    before = audit.snapshot(survivor)
    for field, text in joined.items():
        setattr(survivor, field, text)
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
        kind=kind,
        survivor_id=survivor.pk,
        merged_id=other.pk,
        actor=actor,
        survivor_before=before,
        survivor_after=audit.snapshot(survivor),  # what an undo compares with, to keep later edits
        moved=moved,
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


@dataclass(frozen=True)
class LaterEdit:
    """A field of the survivor changed after the merge: an undo keeps its value (``now``) and does not put
    back the value from before the merge (``before``)."""

    field: str
    label: str
    now: Any
    before: Any


def _undo_fields(kind: str) -> tuple[str, ...]:
    return (*(PERSON_CHOICES if kind == "person" else COMPANY_CHOICES), "custom")


def _label(model: Any, field: str) -> str:
    if field.startswith("custom."):
        return field[7:]
    return str(getattr(model._meta.get_field(field), "verbose_name", field))


def merge_later_edits(merge: Merge, survivor: Any) -> list[LaterEdit]:
    """The survivor's fields (a custom field counts alone) edited since the merge, which an undo keeps.

    A merge from before the survivor's state was kept with it (``survivor_after`` null) cannot tell an
    edit from the merge itself: then any change to the record after the merge in the audit log refuses
    the undo (``merge_undo``)."""
    after = merge.survivor_after
    if after is None:
        return []
    now = audit.snapshot(survivor)
    edits = []
    for field in _undo_fields(merge.kind):
        if field == "custom":
            was, current, before = (
                after.get("custom") or {},
                now.get("custom") or {},
                merge.survivor_before.get("custom") or {},
            )
            for key in sorted(set(was) | set(current)):
                if was.get(key) != current.get(key):
                    edits.append(LaterEdit(f"custom.{key}", key, current.get(key), before.get(key)))
        elif field in after and after.get(field) != now.get(field):
            edits.append(
                LaterEdit(field, _label(type(survivor), field), now.get(field), merge.survivor_before.get(field))
            )
    return edits


def _edited_before_tracking(merge: Merge, survivor: Any) -> bool:
    """For a merge without ``survivor_after``: was the survivor changed after the merge (audit log)?"""
    from django.contrib.contenttypes.models import ContentType

    from velinimet.core.models import AuditEntry

    return (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(type(survivor)),
            object_id=str(survivor.pk),
            at__gt=merge.at,
        )
        .exclude(code=f"customers.{merge.kind}.merged_in")
        .exists()
    )


def merge_undo_check(merge: Merge, survivor: Any) -> None:
    """Raise the reason an undo of ``merge`` is refused, if one is: already undone, the survivor's contacts
    rewritten since, or (for a merge made before edits could be told apart) the survivor changed since."""
    if merge.undone_at is not None:
        raise DomainError(_("This merge was already undone."), code="merge_undone")
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
    if merge.survivor_after is None and _edited_before_tracking(merge, survivor):
        raise DomainError(
            _(
                "The record was changed after the merge, and this merge is too old to tell those changes "
                "apart: an undo would revert them. Restore the other record from the trash instead."
            ),
            code="merge_changed_untracked",
        )


@transaction.atomic
def merge_undo(*, actor: User, merge: Merge) -> Person | Company:
    """Put both records back as they were before the merge, except what was edited since: the survivor's
    fields changed after the merge keep their new values (``merge_later_edits``, which the confirmation
    lists), and changes made since to the moved rows stay."""
    model: Any = Person if merge.kind == "person" else Company
    survivor: Any = model.objects.select_for_update().get(pk=merge.survivor_id)
    other: Any = model.objects.select_for_update().get(pk=merge.merged_id)
    if not can(actor, survivor, Action.UPDATE):
        raise NotAllowed(_("You may not change this record."))
    merge = Merge.objects.select_for_update().get(pk=merge.pk)
    merge_undo_check(merge, survivor)
    kept = {edit.field for edit in merge_later_edits(merge, survivor)}
    for key, ids in sorted(merge.moved.items(), key=lambda item: item[0].startswith("primary:")):  # flags last
        if key == "tags":
            survivor.tags.remove(*ids)
        elif key.startswith("primary:"):
            apps.get_model(key[8:])._default_manager.filter(pk__in=ids).update(is_primary=True)
        else:
            label, field = key.split(":")
            apps.get_model(label)._default_manager.filter(pk__in=ids).update(**{f"{field}_id": other.pk})
    before = audit.snapshot(survivor)
    for field in _undo_fields(merge.kind):
        if field not in merge.survivor_before or field in kept:
            continue
        value = merge.survivor_before[field]
        if field == "custom":  # the custom fields edited since keep their values, the others go back
            value = dict(value or {})
            for key in (k[7:] for k in kept if k.startswith("custom.")):
                if key in survivor.custom:
                    value[key] = survivor.custom[key]
                else:
                    value.pop(key, None)
        elif field == "birth_date" and value:
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
