"""The timeline on the 360° page: log an activity, page back through older ones, change or delete one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from velinimet.accounts.http import AuthedRequest
from velinimet.core.exceptions import DomainError
from velinimet.core.filters import InvalidFilters
from velinimet.core.forms import apply_domain_error
from velinimet.core.visibility import Action, Level, can, level_for, restrict
from velinimet.customers.models import Person
from velinimet.customers.selectors import get_company_for_user, get_person_for_user

from . import kinds, services
from .filters import TIMELINE_FILTERS, ActivityFilter
from .forms import ActivityForm
from .models import Kind, Status
from .related import related_shown
from .selectors import TIMELINE_PARAMS, editable_ids, get_activity_for_user, taking_part, timeline, upcoming

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


def timeline_context(
    user: User, kind: str, record: Any, after: str | None = None, params: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """What the timeline section shows: what is still to do ("Upcoming"), a page of the history, the
    link to older ones, the filters and the log form. ``params`` are the filters of ``TIMELINE_FILTERS``."""
    filters = {k: v for k, v in (params or {}).items() if k in TIMELINE_FILTERS and v not in ("", None)}
    filter_form = ActivityFilter(filters or None, allowed=TIMELINE_PARAMS).form
    filter_form.fields = {name: filter_form.fields[name] for name in TIMELINE_FILTERS}
    page = timeline(user, kind, record.pk, after, filters=filters)
    soon = upcoming(user, kind, record.pk, filters=filters) if not after else []
    older = None
    if page["cursor"]:
        older = (
            reverse("activities:timeline", args=[kind, record.pk])
            + "?"
            + urlencode({**filters, "cursor": page["cursor"]})
        )
    may_log = level_for(user, services.RECORD_TYPE, Action.CREATE) > Level.NONE
    shown = [*soon, *page["items"]]
    prefetch_related_objects(shown, *taking_part(user), "related")  # who took part: two queries for both lists
    editable = editable_ids(user, [a.pk for a in shown])  # "open" (the edit page) only where the user may change it
    now = timezone.now()
    for activity in shown:
        activity.editable = activity.pk in editable
        activity.overdue = activity.is_open and activity.occurred_at < now
        activity.detail_rows = _detail_rows(activity)
        activity.related_link = related_shown(user, activity)
    if kind == "company":  # a person named on the company's timeline only if the user may see them
        people = {a.person_id for a in shown if a.person_id}
        visible = set(restrict(Person.objects.filter(pk__in=people), user).values_list("pk", flat=True))
        for activity in shown:
            activity.person_visible = activity.person_id in visible
    return {
        **page,
        "upcoming": soon,
        "older_url": older,
        "kind": kind,
        "record": record,
        "may_log": may_log,
        "log_url": reverse("activities:log", args=[kind, record.pk]),
        "filter_form": filter_form,
        "filtered": bool(filters),
        "timeline_url": reverse("activities:timeline", args=[kind, record.pk]),
    }


def _detail_rows(activity: Any) -> list[tuple[Any, str]]:
    """The kind's own fields of an activity as (label, shown value), in the kind's order."""
    rows = []
    for name in kinds.fields_of(activity.kind):
        value = (activity.details or {}).get(name)
        if not value:
            continue
        field = kinds.DETAIL_FIELDS[name]
        shown = field.choices(value).label if field.choices is not None and value in field.choices.values else value
        rows.append((field.label, str(shown)))
    if activity.outcome in kinds.Outcome.values:
        rows.append((_("Outcome"), str(kinds.Outcome(activity.outcome).label)))
    return rows


@login_required
def timeline_page(request: AuthedRequest, kind: str, pk: int) -> HttpResponse:
    """The timeline filtered, or older activities: the list for htmx, else a page of its own. A filter
    that is not valid is shown on the form (the list then shows nothing rather than everything)."""
    record = _customer(request.user, kind, pk)
    after = request.GET.get("cursor") or None
    try:
        context = timeline_context(request.user, kind, record, after, request.GET)
    except InvalidFilters as exc:
        if request.htmx:
            return HttpResponse(escape(exc.message), status=400)
        messages.error(request, exc.message)
        context = timeline_context(request.user, kind, record)
    if request.htmx:
        template = "activities/_timeline.html#items" if after else "activities/_timeline.html#lists"
        return render(request, template, {"section_context": context})
    return render(request, "activities/timeline.html", {"section_context": context, "record": record})


def _ringing_call(request: AuthedRequest, kind: str, record: Any) -> Any:
    """The user's own reported call with this customer named by ``?call=`` (the screen-pop), or None."""
    from velinimet.customers.models import IncomingCall

    pk = request.GET.get("call", "")
    if not pk.isdigit():
        return None
    return IncomingCall.objects.filter(pk=int(pk), user=request.user, **{f"{kind}_id": record.pk}).first()


@login_required
def activity_log_view(request: AuthedRequest, kind: str, pk: int) -> HttpResponse:
    record = _customer(request.user, kind, pk)
    if level_for(request.user, services.RECORD_TYPE, Action.CREATE) == Level.NONE:
        raise PermissionDenied  # the timeline shows no form to this user; the page is refused too
    initial: dict[str, Any] = {"occurred_at": timezone.localtime(), "kind": request.GET.get("kind") or Kind.CALL}
    if request.GET.get("status") in Status.values:
        initial["status"] = request.GET["status"]
    call = _ringing_call(request, kind, record)
    if call is not None:  # the screen-pop's "Log this call": the number and the time it rang
        initial.update(
            kind=Kind.CALL,
            direction="in",
            occurred_at=timezone.localtime(call.created_at),
            subject=_("Call from %(number)s") % {"number": call.number},
            **{"details.number": call.number},
        )
    form = ActivityForm(request.POST or None, initial=initial, user=request.user, record=record)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_log(actor=request.user, **{kind: record}, incoming_call=call, **form.service_fields())
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Activity saved."))
            return redirect(_customer_url(kind, pk))
    context = {"form": form, "record": record, "kind": kind, "log_url": request.get_full_path()}
    if request.htmx and request.method == "GET":  # the timeline's "Log or plan an activity", opened in place
        return render(request, "activities/_log_form.html", context)
    return render(request, "activities/activity_form.html", context)


@login_required
def activity_edit_view(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_user(request.user, pk, action=Action.UPDATE)
    kind, record = _customer_of(activity)
    if request.method == "POST":
        form = ActivityForm(request.POST, user=request.user, record=record)
        if form.is_valid():
            try:
                services.activity_update(
                    actor=request.user, activity=activity, version=form.cleaned_data["version"], **form.service_fields()
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Activity saved."))
                return redirect(_customer_url(kind, record.pk))
    else:
        form = ActivityForm.for_activity(activity, user=request.user, record=record)
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
def activity_complete_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The "Done" button of an upcoming task or planned call: logged now, it moves to the history."""
    activity = get_activity_for_user(request.user, pk, action=Action.UPDATE)
    kind, record = _customer_of(activity)
    version = request.POST.get("version")
    try:
        services.activity_complete(
            actor=request.user,
            activity=activity,
            version=int(version) if version and version.isdigit() else None,
            outcome=request.POST.get("outcome", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done: “%(subject)s” is in the history now.") % {"subject": activity.subject})
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)  # My day: stay there
    return redirect(_customer_url(kind, record.pk))


@login_required
@require_POST
def activity_delete_view(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_user(request.user, pk, action=Action.DELETE)
    kind, record = _customer_of(activity)
    services.activity_delete(actor=request.user, activity=activity)
    messages.success(request, _("Activity deleted."))
    return redirect(_customer_url(kind, record.pk))
