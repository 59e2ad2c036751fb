"""Caller recognition for phone systems: a PBX posts the incoming call, the user at that extension sees
a screen-pop in the browser (htmx polls a tiny endpoint every second) linking to the 360° page."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from velinimet.accounts.http import AuthedRequest
from velinimet.core.visibility import Action, Level, level_for
from velinimet.customers.models import IncomingCall

POP_SECONDS = 60


@login_required
def screen_pop(request: AuthedRequest) -> HttpResponse:
    """The htmx poll: the newest unseen call for this user from the last minute, or nothing."""
    since = timezone.now() - datetime.timedelta(seconds=POP_SECONDS)
    call = (
        IncomingCall.objects.filter(user=request.user, seen_at__isnull=True, created_at__gte=since)
        .select_related("person", "company")
        .order_by("-created_at")
        .first()
    )
    if call is None:  # an empty answer: the slot stays empty, and hidden (``.screen-pop:empty``)
        return HttpResponse("")
    from velinimet.customers.sections import call_actions_for

    may_create = level_for(request.user, "customers.person", Action.CREATE) > Level.NONE
    actions = call_actions_for(request.user) if call.person_id or call.company_id else []
    context = {"call": call, "may_create": may_create, "actions": actions}
    return render(request, "customers/_screen_pop.html", context)


@login_required
@require_POST
def screen_pop_dismiss(request: AuthedRequest, pk: int) -> HttpResponse:
    """Mark the user's own call seen; a call that rang for someone else is not found."""
    if not IncomingCall.objects.filter(pk=pk, user=request.user).update(seen_at=timezone.now()):
        raise Http404
    return HttpResponse("")
