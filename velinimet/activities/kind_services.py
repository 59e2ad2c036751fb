"""Writes of the activity kinds an administrator adds (Settings → Activity kinds, and the API)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from velinimet.core import audit
from velinimet.core.exceptions import DomainError, Errors, NotAllowed
from velinimet.core.text import fold
from velinimet.core.visibility import Action, Level, level_for

from . import kinds
from .models import Activity, ActivityKind, Kind

if TYPE_CHECKING:
    from velinimet.accounts.models import User

RECORD_TYPE = "activities.activitykind"
NAMES = ("name_tr", "name_en", "name_az")
FIELDS = (*NAMES, "icon", "shows", "plannable", "active", "order")


def _require(actor: User, action: str) -> None:
    if level_for(actor, RECORD_TYPE, action) != Level.ALL:
        raise NotAllowed(_("Only an administrator may change the activity kinds."))


def _clean(
    values: dict[str, Any], errors: Errors, *, creating: bool, current: ActivityKind | None = None
) -> dict[str, Any]:
    unknown = set(values) - set(FIELDS) - {"key"}
    if unknown:
        raise DomainError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    clean: dict[str, Any] = {}
    for name in NAMES:
        if name in values:
            clean[name] = " ".join(str(values[name] or "").split())
            if len(clean[name]) > 60:
                errors.add(name, _("Keep the name under 60 characters."))
    names = [clean.get(n, getattr(current, n, "")) for n in NAMES]
    if (creating or any(n in values for n in NAMES)) and not any(names):
        errors.add("name_tr", _("Give the kind a name in at least one language."))
    if "icon" in values or creating:
        icon = values.get("icon") or "star"
        if icon not in kinds.ICONS:
            errors.add("icon", _("Choose one of the icons: %(icons)s") % {"icons": ", ".join(kinds.ICONS)})
        clean["icon"] = icon
    if "shows" in values:
        chosen = list(values["shows"] or [])
        unknown_fields = [str(f) for f in chosen if f not in kinds.DETAIL_FIELDS]
        if unknown_fields:
            errors.add(
                "shows",
                _("No such field: %(fields)s (the fields: %(known)s)")
                % {"fields": ", ".join(unknown_fields), "known": ", ".join(kinds.DETAIL_FIELDS)},
            )
        clean["shows"] = [f for f in kinds.DETAIL_FIELDS if f in chosen]  # the shipped order
    for flag in ("plannable", "active"):
        if flag in values:
            clean[flag] = bool(values[flag])
    if "order" in values and values["order"] not in (None, ""):
        try:
            clean["order"] = max(0, min(int(values["order"]), 10_000))
        except (TypeError, ValueError):
            errors.add("order", _("Enter a whole number."))
    return clean


def _key_for(values: dict[str, Any], clean: dict[str, Any], errors: Errors) -> str:
    given = str(values.get("key") or "").strip()
    source = given or next((clean[n] for n in NAMES if clean.get(n)), "")
    key = slugify(fold(source)).replace("-", "_")[:40]
    if not key:
        errors.add("key", _("Give a key of letters and digits, such as tasting."))
    elif key in Kind.values:
        errors.add("key", _("“%(key)s” is a built-in kind; choose another key.") % {"key": key})
    elif ActivityKind.objects.filter(key=key).exists():
        errors.add("key", _("There is a kind with the key “%(key)s” already.") % {"key": key})
    return key


@transaction.atomic
def activity_kind_create(*, actor: User, **values: Any) -> ActivityKind:
    """Add a kind of activity (its key is made from its name when not given; it never changes)."""
    _require(actor, Action.CREATE)
    errors = Errors()
    clean = _clean(values, errors, creating=True)
    key = _key_for(values, clean, errors)
    errors.check()
    kind = ActivityKind.objects.create(key=key, **clean)
    audit.audit_create(actor=actor, instance=kind)
    kinds.forget_custom_kinds()
    return kind


@transaction.atomic
def activity_kind_update(*, actor: User, kind: ActivityKind, **values: Any) -> ActivityKind:
    """Rename a kind, change its icon or fields, or take it out of use (its activities keep it)."""
    _require(actor, Action.UPDATE)
    if "key" in values and values["key"] != kind.key:
        raise DomainError(
            _("A kind's key cannot change: activities are stored with it."),
            errors={"key": [_("A kind's key cannot change: activities are stored with it.")]},
        )
    values.pop("key", None)
    locked = ActivityKind.objects.select_for_update().get(pk=kind.pk)
    errors = Errors()
    clean = _clean(values, errors, creating=False, current=locked)
    errors.check()
    before = audit.snapshot(locked)
    for name, value in clean.items():
        setattr(locked, name, value)
    locked.save()
    audit.audit_update(actor=actor, instance=locked, before=before)
    kinds.forget_custom_kinds()
    return locked


@transaction.atomic
def activity_kind_delete(*, actor: User, kind: ActivityKind) -> None:
    """Remove a kind nobody used; one in use is taken out of use instead (``active=False``)."""
    _require(actor, Action.DELETE)
    used = Activity.objects.filter(kind=kind.key).count()
    if used:
        message = _("%(count)d activities are of this kind: take it out of use instead.") % {"count": used}
        raise DomainError(message, code="kind_in_use")
    audit.audit_delete(actor=actor, instance=kind)
    kind.delete()
    kinds.forget_custom_kinds()
