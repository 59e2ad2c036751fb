"""My day: a salesperson's start page (today's and overdue work, the day's agenda, recent calls)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

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
