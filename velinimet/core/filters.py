"""One filter declaration per list: a django-filter ``FilterSet`` in each app's ``filters.py``, run by the
app's list selector for the HTML page, the API and exports alike.

``StrictFilterSet`` refuses what it does not know: a misspelt ``?tga=vip`` must not list (and bulk-change,
or export) every record. The parameters a surface handles itself (paging, ordering, the response format)
are named by that surface: ``API_PARAMS`` for DRF lists, the HTML page its own (``after``, ``sort``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet
from django.forms.utils import ErrorDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend

from .exceptions import DomainError
from .input_guard import DB_INT_MAX, DB_INT_MIN
from .models import AuditEntry

#: What every API list takes besides its filters: DRF's cursor pagination and ``?format=``.
API_PARAMS = frozenset({"cursor", "page_size", "format"})


class InvalidFilters(DomainError):
    """A list asked with an unknown filter or a value a filter cannot take (400; ``errors`` per parameter)."""

    code = "invalid_filter"


class StrictFilterSet(django_filters.FilterSet):
    """A FilterSet whose unknown parameters are errors, like invalid values.

    ``allowed`` names the parameters the surface itself reads (``API_PARAMS``, or the HTML page's
    ``after``/``sort``): accepted here, not filtered on.
    """

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        queryset: QuerySet[Any] | None = None,
        *,
        request: Any = None,
        prefix: str | None = None,
        allowed: Collection[str] = API_PARAMS,
    ) -> None:
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.allowed = frozenset(allowed)

    def unknown_params(self) -> list[str]:
        """The parameters given that are neither a filter nor allowed by the surface."""
        return [name for name in self.data if name not in self.filters and name not in self.allowed]

    @property
    def errors(self) -> ErrorDict:
        errors = ErrorDict(self.form.errors)
        for name in self.unknown_params():
            message = gettext("“%(name)s” is not a filter of this list.") % {"name": name}
            errors[name] = self.form.error_class([ValidationError(message, code="unknown_filter")])
        return errors

    def is_valid(self) -> bool:
        return self.is_bound and not self.errors

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """Each filter on its cleaned value; the form's other fields (a page's ``sort``) are not filters."""
        for name, value in self.form.cleaned_data.items():
            if name in self.filters:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filtered(self) -> QuerySet[Any]:
        """The queryset with every filter applied; ``InvalidFilters`` (400) when a parameter is unknown or
        a value is not valid: an ignored filter would list more than was asked for."""
        errors = self.errors
        if errors:
            detail = {
                ("non_field_errors" if name == NON_FIELD_ERRORS else name): [str(m) for m in messages]
                for name, messages in errors.items()
            }
            first = next(iter(detail.values()))[0]
            raise InvalidFilters(first, errors=detail)
        return self.qs


def run_filters(
    filterset_class: type[StrictFilterSet],
    queryset: QuerySet[Any],
    data: Mapping[str, Any] | None,
    *,
    request: Any = None,
    allowed: Collection[str] = API_PARAMS,
) -> QuerySet[Any]:
    """``queryset`` narrowed by ``data`` through ``filterset_class`` (no data: unfiltered)."""
    if not data:
        return queryset
    return filterset_class(data, queryset, request=request, allowed=allowed).filtered()


class IdField(forms.IntegerField):
    """A record id: a whole number the database can compare (``2**64`` is a 400, not a 500)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", DB_INT_MIN)
        kwargs.setdefault("max_value", DB_INT_MAX)
        super().__init__(**kwargs)


class IdFilter(django_filters.NumberFilter):
    """Rows whose ``field_name`` is this id."""

    field_class = IdField


class DateInput(forms.DateInput):
    input_type = "date"


def date_range(field_name: str, label_from: Any = None, label_to: Any = None) -> tuple[Any, Any]:
    """A "from"/"to" pair of date filters on a date-time column, both days included."""
    return (
        django_filters.DateFilter(
            field_name=field_name, lookup_expr="date__gte", label=label_from or _("From"), widget=DateInput
        ),
        django_filters.DateFilter(
            field_name=field_name, lookup_expr="date__lte", label=label_to or _("To"), widget=DateInput
        ),
    )


class SelectorFilterBackend(DjangoFilterBackend):
    """Names a viewset's ``filterset_class`` for the OpenAPI schema (drf-spectacular documents each filter)
    and filters nothing itself: the viewset's list selector has already run the same FilterSet."""

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        return queryset


# --- the audit log ---------------------------------------------------------------------------
class AuditForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(gettext("The start date is after the end date."))
        return data


class AuditEntryFilter(StrictFilterSet):
    """The audit log's filters: its page, ``/api/v1/audit/`` and its CSV export."""

    actor = django_filters.CharFilter(field_name="actor_name", lookup_expr="iexact", label=_("User"), max_length=150)
    action = django_filters.ChoiceFilter(label=_("Action"), empty_label=_("Any"), choices=AuditEntry.Action.choices)
    record_type = django_filters.CharFilter(label=_("Record type"), method="filter_record_type", max_length=100)
    code = django_filters.CharFilter(
        label=_("Action code"), max_length=100, help_text="An action code, e.g. customers.person.erased"
    )
    object_id = django_filters.CharFilter(label=_("Record id"), method="filter_object_id", max_length=64)
    since, until = date_range("at")

    class Meta:
        form = AuditForm
        fields: list[str] = []

    def filter_record_type(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        app_label, _sep, model = value.partition(".")
        return qs.filter(content_type__app_label=app_label, content_type__model=model)

    def filter_object_id(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return qs.filter(object_id=value)
