"""Settings → Activity kinds: an administrator's own kinds of activity (everyone may see the list)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from velinimet.accounts.http import AuthedRequest
from velinimet.core.exceptions import DomainError, NotAllowed
from velinimet.core.forms import apply_domain_error
from velinimet.core.visibility import Action, Level, get_for_user, level_for

from . import kinds
from .forms import ActivityKindForm
from .kind_services import RECORD_TYPE, activity_kind_create, activity_kind_delete, activity_kind_update
from .models import Activity, ActivityKind, Kind


def _data(form: ActivityKindForm) -> dict[str, Any]:
    return {k: v for k, v in form.cleaned_data.items() if v is not None}


@login_required
def kind_list(request: AuthedRequest) -> HttpResponse:
    if level_for(request.user, RECORD_TYPE, Action.READ) == Level.NONE:
        raise PermissionDenied
    may_edit = level_for(request.user, RECORD_TYPE, Action.CREATE) == Level.ALL
    form = ActivityKindForm(request.POST or None)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                kind = activity_kind_create(actor=request.user, **_data(form))
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Kind “%(name)s” added.") % {"name": kind.name})
                return redirect("activities:kinds")
    own = list(ActivityKind.objects.all())
    for kind in own:
        kind.field_labels = [  # type: ignore[attr-defined]
            str(kinds.DETAIL_FIELDS[f].label) for f in kind.shows if f in kinds.DETAIL_FIELDS
        ]
    context = {"form": form, "own": own, "may_edit": may_edit, "built_in": Kind.choices}
    return render(request, "activities/kinds.html", context)


@login_required
def kind_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    kind = get_for_user(ActivityKind.objects.all(), request.user, pk, action=Action.UPDATE)
    initial = {name: getattr(kind, name) for name in ("name_tr", "name_en", "name_az", "icon", "shows")}
    initial.update(key=kind.key, plannable=kind.plannable, active=kind.active, order=kind.order)
    form = ActivityKindForm(request.POST or None, initial=initial)
    form.fields["key"].disabled = True
    used = Activity.objects.filter(kind=kind.key).count()
    if request.method == "POST":
        try:
            if request.POST.get("delete"):
                activity_kind_delete(actor=request.user, kind=kind)
                messages.success(request, _("Kind “%(name)s” removed.") % {"name": kind.name})
                return redirect("activities:kinds")
            if form.is_valid():
                data = {k: v for k, v in _data(form).items() if k != "key"}
                kind = activity_kind_update(actor=request.user, kind=kind, **data)
                messages.success(request, _("Kind “%(name)s” saved.") % {"name": kind.name})
                return redirect("activities:kinds")
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            apply_domain_error(form, exc)
    return render(request, "activities/kind_edit.html", {"form": form, "kind": kind, "used": used, "unused": not used})
