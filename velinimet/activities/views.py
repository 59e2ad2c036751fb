"""The timeline on the 360° page: log an activity, page back through older ones, change or delete one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from velinimet.accounts.http import AuthedRequest
from velinimet.core.exceptions import DomainError
from velinimet.core.forms import apply_domain_error
from velinimet.core.visibility import Action, Level, can, level_for, restrict
from velinimet.customers.models import Person
from velinimet.customers.selectors import get_company_for_user, get_person_for_user

from . import services
from .forms import ActivityForm
from .selectors import editable_ids, get_activity_for_user, timeline

if TYPE_CHECKING:
    from velinimet.accounts.models import User


CUSTOMER = {"person": get_person_for_user, "company": get_company_for_user}


def _customer(user: User, kind: str, pk: int) -> Any:
    if kind not in CUSTOMER:
        raise Http404
    return CUSTOMER[kind](user, pk)


def _customer_of(activity: Any) -> tuple[str, Any]:
    """("person", the person) or ("company", the company) whose page the activity belongs on."""
    return ("person", activity.person) if activity.person_id else ("company", activity.company)


def _customer_url(kind: str, pk: int) -> str:
    return reverse(f"customers:{kind}_detail", args=[pk]) + "#timeline"


def timeline_context(user: User, kind: str, record: Any, after: str | None = None) -> dict[str, Any]:
    """What the timeline section shows: a page of activities, the link to older ones, the log form."""
    page = timeline(user, kind, record.pk, after)
    older = None
    if page["cursor"]:
        older = reverse("activities:timeline", args=[kind, record.pk]) + "?" + _query(page["cursor"])
    may_log = level_for(user, services.RECORD_TYPE, Action.CREATE) > Level.NONE
    form = ActivityForm(initial={"occurred_at": timezone.localtime()}) if may_log else None
    ids = [a.pk for a in page["items"]]  # "open" (the edit page) only where the user may change it
    editable = editable_ids(user, ids)
    for activity in page["items"]:
        activity.editable = activity.pk in editable
    if kind == "company":  # a person named on the company's timeline only if the user may see them
        people = {a.person_id for a in page["items"] if a.person_id}
        visible = set(restrict(Person.objects.filter(pk__in=people), user).values_list("pk", flat=True))
        for activity in page["items"]:
            activity.person_visible = activity.person_id in visible
    return {**page, "older_url": older, "kind": kind, "record": record, "may_log": may_log, "form": form}


def _query(cursor: str) -> str:
    from urllib.parse import urlencode

    return urlencode({"after": cursor})


@login_required
def timeline_page(request: AuthedRequest, kind: str, pk: int) -> HttpResponse:
    """Older activities: rows for htmx's "Show older", else a page of their own."""
    record = _customer(request.user, kind, pk)
    context = timeline_context(request.user, kind, record, request.GET.get("after") or None)
    if request.htmx:
        return render(request, "activities/_timeline.html#items", {"section_context": context})
    return render(request, "activities/timeline.html", {"section_context": context, "record": record})


@login_required
def activity_log_view(request: AuthedRequest, kind: str, pk: int) -> HttpResponse:
    record = _customer(request.user, kind, pk)
    if level_for(request.user, services.RECORD_TYPE, Action.CREATE) == Level.NONE:
        raise PermissionDenied  # the timeline shows no form to this user; the page is refused too
    form = ActivityForm(request.POST or None, initial={"occurred_at": timezone.localtime()})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.activity_log(actor=request.user, **{kind: record}, **data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Activity saved."))
            return redirect(_customer_url(kind, pk))
    return render(request, "activities/activity_form.html", {"form": form, "record": record, "kind": kind})


@login_required
def activity_edit_view(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_user(request.user, pk, action=Action.UPDATE)
    kind, record = _customer_of(activity)
    if request.method == "POST":
        form = ActivityForm(request.POST)
        if form.is_valid():
            try:
                services.activity_update(actor=request.user, activity=activity, **form.cleaned_data)
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Activity saved."))
                return redirect(_customer_url(kind, record.pk))
    else:
        form = ActivityForm.for_activity(activity)
    context = {
        "form": form,
        "record": record,
        "kind": kind,
        "activity": activity,
        "may_delete": can(request.user, activity, Action.DELETE),
    }
    return render(request, "activities/activity_form.html", context)


@login_required
@require_POST
def activity_delete_view(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_user(request.user, pk, action=Action.DELETE)
    kind, record = _customer_of(activity)
    services.activity_delete(actor=request.user, activity=activity)
    messages.success(request, _("Activity deleted."))
    return redirect(_customer_url(kind, record.pk))
