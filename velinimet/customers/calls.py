"""Caller recognition for phone systems: a PBX posts the incoming call, the user at that extension sees
a screen-pop in the browser (htmx polls a tiny endpoint every second) linking to the 360° page."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from velinimet.core.http import AuthedRequest
from velinimet.core.visibility import Level, level_for

from .models import Company, IncomingCall, Person
from .search import caller_lookup

POP_SECONDS = 60


class IncomingCallSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=40, help_text="The caller's number, any format")
    extension = serializers.CharField(max_length=20, help_text="The extension that rings")


def call_incoming(*, actor: Any, number: str, extension: str) -> IncomingCall:
    """Record a ringing call for the user at ``extension``; the caller is recognised with *that* user's visibility."""
    if level_for(actor, "accounts.user", "update") < Level.ALL:
        # Reporting a call makes a screen-pop appear for any user: only an administrator's token may do it
        # (give the phone system its own administrator account and token).
        from velinimet.core.exceptions import NotAllowed

        raise NotAllowed(_("This account may not report calls."))
    user = get_user_model().objects.filter(extension=extension.strip(), is_active=True).first()
    record = caller_lookup(user, number) if user is not None else None
    return IncomingCall.objects.create(
        user=user,
        extension=extension.strip(),
        number=number.strip(),
        person=record if isinstance(record, Person) else None,
        company=record if isinstance(record, Company) else None,
    )


@extend_schema(
    request=IncomingCallSerializer,
    responses={202: serializers.DictField()},
    summary="Phone system webhook: a call is ringing",
)
@api_view(["POST"])
def incoming_call_webhook(request: Request) -> Response:
    """POST {"number": "...", "extension": "..."} with an administrator's token; answers whether the caller was
    recognised (not who it is: the name appears only on the screen of the user at that extension)."""
    ser = IncomingCallSerializer(data=request.data)
    ser.is_valid(raise_exception=True)
    call = call_incoming(actor=request.user, **ser.validated_data)
    return Response(
        {
            "id": call.pk,
            "user": call.user.get_username() if call.user else None,
            "recognised": bool(call.person_id or call.company_id),
        },
        status=status.HTTP_202_ACCEPTED,
    )


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
    return render(request, "customers/_screen_pop.html", {"call": call})


@login_required
@require_POST
def screen_pop_dismiss(request: AuthedRequest, pk: int) -> HttpResponse:
    IncomingCall.objects.filter(pk=pk, user=request.user).update(seen_at=timezone.now())
    return HttpResponse("")
