"""The Settings pages where an administrator defines custom fields."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from velinimet.accounts.http import AuthedRequest
from velinimet.core.forms import apply_domain_error
from velinimet.core.visibility import Action, Level, get_for_user, level_for, restrict
from velinimet.customers.exceptions import DomainError, NotAllowed
from velinimet.customers.forms import CustomFieldForm
from velinimet.customers.models import CustomField
from velinimet.customers.services.custom_fields import RT, custom_field_create, custom_field_delete, custom_field_update


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
                messages.success(request, _("Field “%(label)s” added.") % {"label": field.shown_label})
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
            "label_tr": field.label_tr,
            "label_en": field.label_en,
            "label_az": field.label_az,
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
                messages.success(request, _("Field “%(label)s” removed.") % {"label": field.shown_label})
                return redirect("customers:custom_fields")
            if form.is_valid():
                data = {k: v for k, v in form.cleaned_data.items() if k not in ("record_type", "key")}
                custom_field_update(actor=request.user, field=field, **data)
                messages.success(request, _("Field “%(label)s” saved.") % {"label": field.shown_label})
                return redirect("customers:custom_fields")
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            apply_domain_error(form, exc)
    return render(request, "customers/custom_field_edit.html", {"form": form, "field": field})
