"""The filters of the activities list (the API's ``/api/v1/activities/``; exports will run the same)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from velinimet.core.filters import IdFilter, StrictFilterSet, date_range

from .models import Activity, Kind


class ActivityFilter(StrictFilterSet):
    person = IdFilter(field_name="person_id", label=_("Only this person's timeline"))
    company = IdFilter(field_name="company_id", label=_("Only this company's timeline"))
    kind = django_filters.ChoiceFilter(choices=Kind.choices, label=_("Only this kind"))
    occurred_from, occurred_to = date_range("occurred_at", _("From"), _("To"))

    class Meta:
        model = Activity
        fields: list[str] = []
