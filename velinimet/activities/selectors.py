"""Reads of the timeline, always narrowed by visibility."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Now
from django.utils import timezone

from velinimet.core.compiled import compiled, int_marker
from velinimet.core.filters import run_filters
from velinimet.core.selectors import keyset
from velinimet.core.visibility import Action, get_for_user, restrict, restriction_key

from .filters import ActivityFilter
from .models import Activity, Status

if TYPE_CHECKING:
    from velinimet.accounts.models import User


PAGE = 20
UPCOMING = 50
ORDER = ("-occurred_at", "-id")
HISTORY = (Status.DONE, Status.CANCELLED)


def activity_list(
    user: User, filters: Mapping[str, Any] | None = None, *, action: str = Action.READ
) -> QuerySet[Activity]:
    """Activities ``user`` may ``action``, narrowed by ``filters`` (``activities.filters``; ``InvalidFilters``
    for an unknown one); ``restrict()`` also hides those whose person or company is hidden."""
    qs = restrict(Activity.objects.select_related("owner", "person", "company"), user, action)
    return run_filters(ActivityFilter, qs, filters)


def get_activity_for_user(user: User, pk: Any, *, action: str = Action.READ) -> Activity:
    return get_for_user(Activity.objects.select_related("owner", "person", "company"), user, pk, action=action)


def timeline(
    user: User,
    kind: str,
    record_id: int,
    after: str | None = None,
    size: int = PAGE,
    filters: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """One page of a person's or company's history (what was done or cancelled), newest first, that
    ``user`` may see, narrowed by ``filters`` (``activities.filters``: kind, direction, owner, dates).

    ``record_id`` is a customer the caller has fetched for ``user`` (``get_person_for_user``), so its own
    rule is not repeated (``parents_checked``); an activity whose other customer is hidden is left out.
    Walked by keyset on (occurred_at, id) along the ``activity_<kind>_timeline`` index: the 500th page of a
    customer with 10,000 activities costs what the first costs."""
    qs = _customer_activities(user, kind, record_id, filters).filter(status__in=HISTORY)
    items, cursor = keyset(qs, ORDER, after, size)
    return {"items": items, "cursor": cursor}


def _customer_activities(
    user: User, kind: str, record_id: int, filters: Mapping[str, Any] | None = None
) -> QuerySet[Activity]:
    related = ("owner", "person") if kind == "company" else ("owner",)
    qs = restrict(Activity.objects.select_related(*related), user, parents_checked=(kind,))
    qs = qs.filter(**{f"{kind}_id": record_id})
    return run_filters(ActivityFilter, qs, filters, allowed=TIMELINE_PARAMS)


def taking_part(user: User) -> tuple[Prefetch, Prefetch]:
    """Who took part, as ``user`` may see them: colleagues they see, the customer's people they may read."""
    from velinimet.customers.selectors.records import visible_people

    return (
        Prefetch("participants", queryset=restrict(get_user_model().objects.all(), user)),
        Prefetch("people", queryset=visible_people(user)),
    )


#: what the timeline page reads itself besides its filters (the keyset cursor; ``after`` is a date filter)
TIMELINE_PARAMS = frozenset({"cursor"})


def upcoming(
    user: User, kind: str, record_id: int, filters: Mapping[str, Any] | None = None, size: int = UPCOMING
) -> list[Activity]:
    """A customer's open tasks and planned activities that ``user`` may see, soonest (and overdue) first,
    along the ``activity_<kind>_open`` partial index; ``record_id`` as for ``timeline()``."""
    qs = _customer_activities(user, kind, record_id, filters).filter(status=Status.OPEN)
    return list(qs.order_by("occurred_at", "id")[:size])


def editable_ids(user: User, ids: list[int]) -> set[int]:
    """Which of these activities, taken from a timeline page (so their customers are visible to ``user``:
    not checked again), ``user`` may change."""
    qs = restrict(Activity.objects.filter(pk__in=ids), user, Action.UPDATE, parents_checked=("person", "company"))
    return set(qs.values_list("pk", flat=True))


def last_activity(user: User, kind: str, record_id: int) -> Activity | None:
    """The newest visible activity that has happened: a task planned for next week is not the last.
    ``record_id`` is a customer the caller has fetched for ``user``, as for ``timeline()``."""
    qs = Activity.objects.filter(**{f"{kind}_id": record_id}, status=Status.DONE, occurred_at__lte=Now())
    qs = qs.select_related("owner")
    return restrict(qs, user, parents_checked=(kind,)).order_by(*ORDER).first()


def _last_activity_query(user: User, kind: str, record_id: int) -> QuerySet[Activity]:
    qs = Activity.objects.filter(**{f"{kind}_id": record_id}, status=Status.DONE, occurred_at__lte=Now())
    qs = restrict(qs, user, parents_checked=(kind,))
    return qs.order_by(
        *ORDER
    ).values_list(  # type: ignore[return-value]
        "kind", "subject", "occurred_at", "owner__first_name", "owner__last_name", "owner__username"
    )[:1]


def last_activity_fact(user: User, kind: str, record_id: int) -> dict[str, Any] | None:
    """The newest visible activity as the caller's card shows it, read as one row of plain values by a
    statement compiled once per visibility (``core.compiled``): the card is read on every ringing
    phone, and building the queryset cost more than running it. ``record_id`` is the recognised caller."""
    key = ("last-activity", kind, restriction_key(Activity, user, parents_checked=(kind,)))
    query = compiled(key, functools.partial(_last_activity_query, user, kind), [int_marker(0)])
    row = query.first(record_id)
    if row is None:
        return None
    kind_, subject, at, first, last, username = row
    return {
        "kind": kind_,
        "subject": subject,
        "at": timezone.localtime(at).isoformat(),
        "owner": f"{first} {last}".strip() or username,
    }


# --- My day -----------------------------------------------------------------------------------
RECENT_CALLS = 10
MY_DAY_OPEN = 100


def day_bounds(now: datetime.datetime | None = None) -> tuple[datetime.datetime, datetime.datetime]:
    """The start and end of today in the active time zone (the user's)."""
    local = timezone.localtime(now)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + datetime.timedelta(days=1)


def my_day(user: User, *, team: bool = False, now: datetime.datetime | None = None) -> dict[str, Any]:
    """What ``user`` has to do today: their open work that is overdue or due today (soonest first), the
    day's agenda (what is planned and what was done today, in time order) and their recent calls.
    ``team``: the same for every owner ``user`` may see (a manager's team tree), not only their own.
    Each list walks an index on the owner: ``activity_owner_open`` (open rows only) and
    ``activity_owner_recent``."""
    now = now or timezone.now()
    start, end = day_bounds(now)
    base = restrict(Activity.objects.select_related("owner", "person", "company"), user)
    mine = base if team else base.filter(owner=user)
    due = list(mine.filter(status=Status.OPEN, occurred_at__lt=end).order_by("occurred_at", "id")[:MY_DAY_OPEN])
    agenda = list(
        mine.filter(occurred_at__gte=start, occurred_at__lt=end)
        .exclude(status=Status.CANCELLED)
        .order_by("occurred_at", "id")[:MY_DAY_OPEN]
    )
    calls = list(mine.filter(kind="call", status=Status.DONE, occurred_at__lte=now).order_by(*ORDER)[:RECENT_CALLS])
    for activity in {a.pk: a for a in [*due, *agenda, *calls]}.values():
        activity.overdue = activity.is_open and activity.occurred_at < now  # type: ignore[attr-defined]
    return {
        "due": due,
        "agenda": agenda,
        "calls": calls,
        "counts": {
            "overdue": sum(1 for a in due if a.occurred_at < now),
            "today": sum(1 for a in due if a.occurred_at >= start),
            "done_today": sum(1 for a in agenda if a.status == Status.DONE),
        },
        "start": start,
    }
