"""My day: a salesperson's start page (today's and overdue work, the day's agenda, recent calls)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from velinimet.accounts.http import AuthedRequest
from velinimet.core.visibility import Action, Level, can_read_type, level_for

from . import contacts, services
from .selectors import editable_ids, my_day


def may_see_team(user: Any) -> bool:
    """A manager (or anyone who reads more than their own team's activities) can switch to the team view."""
    return level_for(user, services.RECORD_TYPE, Action.READ) >= Level.TEAM_TREE


@login_required
def my_day_page(request: AuthedRequest) -> HttpResponse:
    if not can_read_type(request.user, services.RECORD_TYPE):
        raise PermissionDenied
    team = request.GET.get("view") == "team" and may_see_team(request.user)
    day = my_day(request.user, team=team)
    shown = [*day["due"], *day["agenda"]]
    editable = editable_ids(request.user, [a.pk for a in shown])
    for activity in shown:
        activity.editable = activity.pk in editable
    due_contacts, due_count = contacts.due_contacts(request.user, team=team)
    context = {
        **day,
        "team": team,
        "may_see_team": may_see_team(request.user),
        "due_contacts": due_contacts,
        "due_count": due_count,
    }
    return render(request, "activities/my_day.html", context)


def calendar_feed(request: Any, token: str) -> HttpResponse:
    """The private iCal feed: no login, the token is the key; a forged or replaced one is a plain 404."""
    from django.http import Http404

    from .calendar_feed import feed_ics, feed_user

    user = feed_user(token)
    if user is None:
        raise Http404
    body = feed_ics(user, request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
@require_POST
def calendar_feed_renew(request: AuthedRequest) -> HttpResponse:
    from django.contrib import messages
    from django.shortcuts import redirect
    from django.utils.translation import gettext as _

    from .calendar_feed import feed_renew

    feed_renew(actor=request.user)
    messages.success(request, _("Your calendar has a new address: calendars subscribed to the old one stop updating."))
    return redirect("accounts:account")
