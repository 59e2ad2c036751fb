"""The filters of the activities list: the API's ``/api/v1/activities/`` and the timeline of the 360° page
run the same FilterSet (exports will too)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from velinimet.core.filters import DateInput, IdFilter, StrictFilterSet

from .kinds import filter_kind_choices
from .models import Activity, Direction, Status


class ActivityFilter(StrictFilterSet):
    person = IdFilter(field_name="person_id", label=_("Only this person's timeline"))
    company = IdFilter(field_name="company_id", label=_("Only this company's timeline"))
    kind = django_filters.ChoiceFilter(choices=filter_kind_choices, label=_("Kind"), empty_label=_("Any kind"))
    direction = django_filters.ChoiceFilter(
        choices=[c for c in Direction.choices if c[0]], label=_("Direction"), empty_label=_("Either direction")
    )
    owner = IdFilter(field_name="owner_id", label=_("User"))
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("Status"), empty_label=_("Any status"))
    done = django_filters.BooleanFilter(method="filter_done", label=_("Done (true) or still open (false)"))
    # a half-open range of days in the reader's time zone: after=2026-12-01&before=2026-12-08 is one week
    after = django_filters.DateFilter(
        field_name="occurred_at", lookup_expr="date__gte", label=_("On or after"), widget=DateInput
    )
    before = django_filters.DateFilter(
        field_name="occurred_at", lookup_expr="date__lt", label=_("Before"), widget=DateInput
    )

    class Meta:
        model = Activity
        fields: list[str] = []

    def filter_done(self, queryset: QuerySet[Activity], name: str, value: Any) -> QuerySet[Activity]:
        if value is None:
            return queryset
        return queryset.filter(status=Status.DONE if value else Status.OPEN)


#: the filters the timeline panel offers (the customer is the page's own)
TIMELINE_FILTERS = ("kind", "direction", "owner", "after", "before")
