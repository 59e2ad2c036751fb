"""Administrator-defined custom fields on people and companies: services, screens and API."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from velinimet.core import audit, limits
from velinimet.core.text import fold
from velinimet.core.visibility import Action, Level, level_for
from velinimet.customers.exceptions import Conflict, DomainError, NotAllowed
from velinimet.customers.models import CustomField

if TYPE_CHECKING:
    from velinimet.accounts.models import User


RT = "customers.customfield"


def _check(actor: User, action: str) -> None:
    if level_for(actor, RT, action) < Level.ALL:
        raise NotAllowed(_("Only administrators manage custom fields."))


def _clean(record_type: str, key: str, label: str, kind: str, choices: Any, exclude_pk: int | None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    label = " ".join((label or "").split())
    if key:  # a key given is refused when too long; one made from the label is shortened
        key = slugify(fold(key)).replace("-", "_")
        if message := limits.length_error(key, limits.CUSTOM_KEY):
            errors["key"] = [message]
    else:
        key = slugify(fold(label)).replace("-", "_")[: limits.CUSTOM_KEY]
    if message := limits.length_error(label, limits.CUSTOM_LABEL):
        errors["label"] = [message]
    if record_type not in CustomField.RecordType.values:
        errors["record_type"] = [_("Choose person or company.")]
    if not label:
        errors["label"] = [_("Enter a label.")]
    if not key:
        errors["key"] = [_("Enter a key of letters and digits.")]
    if kind not in CustomField.Kind.values:
        errors["kind"] = [_("Unknown kind.")]
    if isinstance(choices, str):
        choices = [c.strip() for c in choices.split(",")]
    choices = list(dict.fromkeys(c for c in (choices or []) if str(c).strip()))
    if message := limits.count_error(len(choices), limits.CUSTOM_CHOICES):
        errors["choices"] = [message]
    elif too_long := next((m for c in choices if (m := limits.length_error(str(c), limits.CUSTOM_CHOICE))), None):
        errors["choices"] = [too_long]
    if kind in (CustomField.Kind.CHOICE, CustomField.Kind.MULTI) and not choices:
        errors["choices"] = [_("Give at least one choice.")]
    if errors:
        raise DomainError(next(iter(errors.values()))[0], errors=errors)
    if CustomField.objects.filter(record_type=record_type, key=key).exclude(pk=exclude_pk or 0).exists():
        raise Conflict(
            _("A field with the key “%(key)s” exists already.") % {"key": key},
            errors={"key": [_("This key is taken.")]},
        )
    return {"record_type": record_type, "key": key, "label": label, "kind": kind, "choices": choices}


LABEL_LANGUAGES = ("tr", "en", "az")


def _clean_labels(given: dict[str, Any]) -> dict[str, str]:
    """The label in each language (``label_tr``, ``label_en``, ``label_az``; empty: the main label), spaces
    tidied, each at most ``CUSTOM_LABEL`` characters."""
    labels, errors = {}, {}
    for language in LABEL_LANGUAGES:
        name = f"label_{language}"
        labels[name] = " ".join(str(given.get(name) or "").split())
        if message := limits.length_error(labels[name], limits.CUSTOM_LABEL):
            errors[name] = [message]
    if errors:
        raise DomainError(next(iter(errors.values()))[0], errors=errors)
    return labels


@transaction.atomic
def custom_field_create(
    *,
    actor: User,
    record_type: str,
    label: str,
    kind: str = "text",
    key: str = "",
    choices: Any = None,
    required: bool = False,
    order: int = 0,
    **labels: str,
) -> CustomField:
    """Define a field; ``labels``: its label in other languages (``label_tr``, ``label_en``, ``label_az``)."""
    _check(actor, Action.CREATE)
    unknown = set(labels) - {f"label_{language}" for language in LABEL_LANGUAGES}
    if unknown:
        raise TypeError(f"unknown arguments: {', '.join(sorted(unknown))}")
    clean = _clean(record_type, key, label, kind, choices, None)
    field = CustomField.objects.create(**clean, **_clean_labels(labels), required=required, order=order)
    audit.audit_create(actor=actor, instance=field)
    return field


@transaction.atomic
def custom_field_update(*, actor: User, field: CustomField, **changes: Any) -> CustomField:
    """Change label, choices, required or order; the key and record type stay (stored values use them)."""
    _check(actor, Action.UPDATE)
    before = audit.snapshot(field)
    clean = _clean(
        field.record_type,
        field.key,
        changes.get("label", field.label),
        changes.get("kind", field.kind),
        changes.get("choices", field.choices),
        field.pk,
    )
    field.label, field.kind, field.choices = clean["label"], clean["kind"], clean["choices"]
    given = {name: changes.get(name, getattr(field, name)) for name in (f"label_{lang}" for lang in LABEL_LANGUAGES)}
    for name, value in _clean_labels(given).items():
        setattr(field, name, value)
    field.required = bool(changes.get("required", field.required))
    field.order = int(changes.get("order", field.order) or 0)
    field.save()
    audit.audit_update(actor=actor, instance=field, before=before)
    return field


@transaction.atomic
def custom_field_delete(*, actor: User, field: CustomField) -> None:
    """Remove the definition; values already stored on records stay in the data (and in exports)."""
    _check(actor, Action.DELETE)
    audit.audit_delete(actor=actor, instance=field)
    field.delete()
