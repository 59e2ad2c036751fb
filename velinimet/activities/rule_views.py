"""Settings → Contact rules: how often customers must be contacted, and "compute now"."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from velinimet.accounts.http import AuthedRequest
from velinimet.core.exceptions import DomainError, NotAllowed
from velinimet.core.forms import apply_domain_error
from velinimet.core.jobs import job_start
from velinimet.core.visibility import Action, Level, get_for_user, level_for

from . import kinds
from .contacts import RECORD_TYPE, contact_rule_create, contact_rule_delete, contact_rule_update
from .forms import ContactRuleForm
from .models import ContactRule, DueContact


def _data(form: ContactRuleForm) -> dict[str, Any]:
    return {k: v for k, v in form.cleaned_data.items() if v is not None}


@login_required
def rule_list(request: AuthedRequest) -> HttpResponse:
    if level_for(request.user, RECORD_TYPE, Action.READ) == Level.NONE:
        raise PermissionDenied
    may_edit = level_for(request.user, RECORD_TYPE, Action.CREATE) == Level.ALL
    form = ContactRuleForm(request.POST or None)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                rule = contact_rule_create(actor=request.user, **_data(form))
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Rule “%(name)s” added.") % {"name": rule.name})
                return redirect("activities:rules")
    rules = list(ContactRule.objects.all())
    for rule in rules:
        rule.kind_labels = [kinds.kind_label(k) for k in rule.kinds]  # type: ignore[attr-defined]
    last = DueContact.objects.order_by("-computed_at").values_list("computed_at", flat=True).first()
    context = {
        "form": form,
        "rules": rules,
        "may_edit": may_edit,
        "computed_at": last,
        "due": DueContact.objects.count(),
    }
    return render(request, "activities/rules.html", context)


@login_required
def rule_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    rule = get_for_user(ContactRule.objects.all(), request.user, pk, action=Action.UPDATE)
    initial = {
        name: getattr(rule, name) for name in ("name", "match", "value", "every_days", "kinds", "order", "active")
    }
    form = ContactRuleForm(request.POST or None, initial=initial)
    if request.method == "POST":
        try:
            if request.POST.get("delete"):
                contact_rule_delete(actor=request.user, rule=rule)
                messages.success(request, _("Rule “%(name)s” removed.") % {"name": rule.name})
                return redirect("activities:rules")
            if form.is_valid():
                rule = contact_rule_update(actor=request.user, rule=rule, **_data(form))
                messages.success(request, _("Rule “%(name)s” saved.") % {"name": rule.name})
                return redirect("activities:rules")
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            apply_domain_error(form, exc)
    return render(request, "activities/rule_edit.html", {"form": form, "rule": rule})


@login_required
@require_POST
def rules_compute(request: AuthedRequest) -> HttpResponse:
    """Compute who is due now, as a background job with progress (it also runs every night)."""
    if level_for(request.user, RECORD_TYPE, Action.UPDATE) != Level.ALL:
        raise PermissionDenied
    job = job_start(actor=request.user, kind="activities.contacts_due", title=_("Whom to contact"))
    return redirect("core:job_detail", job.pk)
