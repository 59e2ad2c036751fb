"""The private iCal feed (RFC 5545, written with ``icalendar``): a user's planned and logged activities, for
Outlook, Google Calendar, Apple Calendar and Thunderbird to subscribe to. The address holds a random token
(``CalendarFeed``): whoever has it reads the calendar, so it can be replaced at once (the old one is then
404, telling nothing)."""

from __future__ import annotations

import datetime
import secrets
import zoneinfo
from typing import TYPE_CHECKING, Any

import icalendar
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from velinimet.core import audit

from .kinds import kind_label
from .models import Activity, CalendarFeed, Status

if TYPE_CHECKING:
    from velinimet.accounts.models import User

PAST = datetime.timedelta(days=90)
FUTURE = datetime.timedelta(days=400)
MAX_EVENTS = 5000
DEFAULT_MINUTES = 30


def feed_for(user: User) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user, defaults={"token": secrets.token_urlsafe(32)})
    return feed


@transaction.atomic
def feed_renew(*, actor: User) -> CalendarFeed:
    """A new address for ``actor``'s calendar; calendars subscribed to the old one stop getting it."""
    feed = feed_for(actor)
    feed.token = secrets.token_urlsafe(32)
    feed.save(update_fields=["token"])
    audit.log_action(actor=actor, instance=actor, code="activities.calendar_feed.renewed", kind="update")
    return feed


def feed_url(request: Any, user: User) -> str:
    return request.build_absolute_uri(reverse("activities:calendar_feed", args=[feed_for(user).token]))


def feed_user(token: str) -> User | None:
    feed = CalendarFeed.objects.filter(token=token, user__is_active=True).select_related("user").first()
    return feed.user if feed else None


def feed_ics(user: User, base_url: str, now: datetime.datetime | None = None) -> bytes:
    """The calendar of what ``user`` owns (planned and done, not cancelled) from 90 days back to 400 ahead,
    in the user's time zone, each event linking to its customer's page."""
    now = now or timezone.now()
    tz = zoneinfo.ZoneInfo(user.time_zone or settings.TIME_ZONE)
    rows = (
        Activity.objects.filter(owner=user, occurred_at__gte=now - PAST, occurred_at__lt=now + FUTURE)
        .exclude(status=Status.CANCELLED)
        .select_related("person", "company")
        .order_by("occurred_at", "id")[:MAX_EVENTS]
    )
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Velinimet CRM//velinimet//TR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Velinimet — {user}")
    cal.add("x-wr-timezone", str(tz))
    with translation.override(user.language or None):
        for activity in rows:
            cal.add_component(_event(activity, tz, base_url, now))
    cal.add_missing_timezones()
    return cal.to_ical()


def _event(activity: Activity, tz: zoneinfo.ZoneInfo, base_url: str, now: datetime.datetime) -> icalendar.Event:
    customer = activity.person or activity.company
    assert customer is not None  # an activity always has a customer (a database constraint)
    start = activity.occurred_at.astimezone(tz)
    minutes = activity.duration_minutes if activity.duration_minutes else DEFAULT_MINUTES
    event = icalendar.Event()
    event.add("uid", f"activity-{activity.pk}@velinimet")
    event.add("dtstamp", now)
    event.add("dtstart", start)
    event.add("dtend", start + datetime.timedelta(minutes=minutes))
    event.add("summary", f"{kind_label(activity.kind)}: {activity.subject} — {customer}")
    if activity.body:
        event.add("description", activity.body)
    place = (activity.details or {}).get("place") or (activity.details or {}).get("address")
    if place:
        event.add("location", place)
    kind = "person" if activity.person_id else "company"
    event.add("url", base_url + reverse(f"customers:{kind}_detail", args=[customer.pk]))
    event.add("status", "CONFIRMED" if activity.status == Status.DONE else "TENTATIVE")
    event.add("last-modified", activity.updated_at)
    event.add("sequence", activity.version)
    return event
