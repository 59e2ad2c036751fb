"""Administrator-defined custom fields on people and companies: services, screens and API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers, viewsets

from velinimet.core import audit, limits
from velinimet.core.forms import apply_domain_error
from velinimet.core.http import AuthedRequest
from velinimet.core.rest import VisibleViewSetMixin
from velinimet.core.text import fold
from velinimet.core.visibility import Action, Level, get_for_user, level_for, restrict

from .exceptions import Conflict, DomainError, NotAllowed
from .models import CustomField

RT = "customers.customfield"


def _check(actor: Any, action: str) -> None:
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


@transaction.atomic
def custom_field_create(
    *,
    actor: Any,
    record_type: str,
    label: str,
    kind: str = "text",
    key: str = "",
    choices: Any = None,
    required: bool = False,
    order: int = 0,
) -> CustomField:
    _check(actor, Action.CREATE)
    field = CustomField.objects.create(
        **_clean(record_type, key, label, kind, choices, None), required=required, order=order
    )
    audit.audit_create(actor=actor, instance=field)
    return field


@transaction.atomic
def custom_field_update(*, actor: Any, field: CustomField, **changes: Any) -> CustomField:
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
    field.required = bool(changes.get("required", field.required))
    field.order = int(changes.get("order", field.order) or 0)
    field.save()
    audit.audit_update(actor=actor, instance=field, before=before)
    return field


@transaction.atomic
def custom_field_delete(*, actor: Any, field: CustomField) -> None:
    """Remove the definition; values already stored on records stay in the data (and in exports)."""
    _check(actor, Action.DELETE)
    audit.audit_delete(actor=actor, instance=field)
    field.delete()


# --- screens --------------------------------------------------------------------------------
class CustomFieldForm(forms.Form):
    record_type = forms.ChoiceField(label=gettext_lazy("Record type"), choices=CustomField.RecordType.choices)
    label = forms.CharField(label=gettext_lazy("Label"), max_length=100)
    key = forms.CharField(
        label=gettext_lazy("Key"),
        max_length=50,
        required=False,
        help_text=gettext_lazy("Used in the API and exports; made from the label when empty."),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=CustomField.Kind.choices)
    choices = forms.CharField(
        label=gettext_lazy("Choices"), required=False, help_text=gettext_lazy("For choice fields, separated by commas.")
    )
    required = forms.BooleanField(label=gettext_lazy("Required"), required=False)
    order = forms.IntegerField(label=gettext_lazy("Order"), required=False, min_value=0, initial=0)


@login_required
def custom_field_list(request: AuthedRequest) -> HttpResponse:
    if level_for(request.user, RT, Action.READ) == Level.NONE:
        raise PermissionDenied
    may_edit = level_for(request.user, RT, Action.CREATE) == Level.ALL
    form = CustomFieldForm(request.POST or None)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                field = custom_field_create(
                    actor=request.user, **{k: v for k, v in form.cleaned_data.items() if v is not None}
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Field “%(label)s” added.") % {"label": field.label})
                return redirect("customers:custom_fields")
    fields = restrict(CustomField.objects.all(), request.user)
    return render(request, "customers/custom_fields.html", {"form": form, "fields": fields, "may_edit": may_edit})


@login_required
def custom_field_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    field = get_for_user(CustomField.objects.all(), request.user, pk)
    form = CustomFieldForm(
        request.POST or None,
        initial={
            "record_type": field.record_type,
            "label": field.label,
            "key": field.key,
            "kind": field.kind,
            "choices": ", ".join(field.choices),
            "required": field.required,
            "order": field.order,
        },
    )
    form.fields["record_type"].disabled = True
    form.fields["key"].disabled = True
    if request.method == "POST":
        try:
            if request.POST.get("delete"):
                custom_field_delete(actor=request.user, field=field)
                messages.success(request, _("Field “%(label)s” removed.") % {"label": field.label})
                return redirect("customers:custom_fields")
            if form.is_valid():
                data = {k: v for k, v in form.cleaned_data.items() if k not in ("record_type", "key")}
                custom_field_update(actor=request.user, field=field, **data)
                messages.success(request, _("Field “%(label)s” saved.") % {"label": field.label})
                return redirect("customers:custom_fields")
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            apply_domain_error(form, exc)
    return render(request, "customers/custom_field_edit.html", {"form": form, "field": field})


# --- API ------------------------------------------------------------------------------------
class CustomFieldSerializer(serializers.ModelSerializer):
    key = serializers.CharField(max_length=50, required=False, allow_blank=True)
    choices = serializers.ListField(child=serializers.CharField(max_length=100), required=False)

    class Meta:
        model = CustomField
        fields = ["id", "record_type", "key", "label", "kind", "choices", "required", "order"]
        validators: list[Any] = []


class CustomFieldViewSet(VisibleViewSetMixin, viewsets.ModelViewSet):
    """Definitions of custom fields; values are read and written in each record's ``custom`` object."""

    serializer_class = CustomFieldSerializer
    record_type = RT
    queryset = CustomField.objects.none()

    def get_queryset(self) -> Any:
        qs = restrict(CustomField.objects.all(), self.request.user)
        record_type = self.request.query_params.get("record_type")
        return qs.filter(record_type=record_type) if record_type else qs

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = custom_field_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: Any) -> None:
        data = {k: v for k, v in serializer.validated_data.items() if k not in ("record_type", "key")}
        serializer.instance = custom_field_update(actor=self.request.user, field=serializer.instance, **data)

    def perform_destroy(self, instance: CustomField) -> None:
        custom_field_delete(actor=self.request.user, field=instance)
