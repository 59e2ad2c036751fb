"""The filters of the people and companies lists: one declaration for the list page, the API and exports.

The parameter names are the ones saved views store (``SavedView.query``): ``q``, ``owner``, ``team``,
``tag``, ``city``, ``created_from``, ``created_to``, ``mine`` and ``cf_<key>`` per custom field.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from velinimet.core.filters import StrictFilterSet, date_range
from velinimet.core.numbers import NumberError
from velinimet.core.text import fold
from velinimet.core.widgets import Picker, PickerFilter
from velinimet.customers.models import Company, CustomField, Person
from velinimet.customers.pickers import team_option, user_option

SORT_CHOICES = [
    ("-created", _("Newest first")),
    ("created", _("Oldest first")),
    ("name", _("Name A–Z")),
    ("-name", _("Name Z–A")),
    ("number", _("Customer number")),
]


class ListForm(forms.Form):
    """The list page's form: the filters (added by the FilterSet) and the sort order, which the page's
    keyset applies (``sort`` is not a filter: the API refuses it)."""

    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORT_CHOICES)
    field_order = ["q", "owner", "team", "tag", "city", "created_from", "created_to", "sort", "mine"]


class PersonListForm(ListForm):
    """The people list's form: people can also be sorted by last name (``Person.last_name_key_<alphabet>``)."""

    sort = forms.ChoiceField(
        label=_("Sort"), required=False, choices=[*SORT_CHOICES[:4], ("last_name", _("Last name A–Z")), SORT_CHOICES[4]]
    )


class CustomValueField(forms.CharField):
    """A custom field's value in a filter, read by the stored values' own rules."""

    def __init__(self, *, definition: CustomField, **kwargs: Any) -> None:
        self.definition = definition
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Any:
        raw = (super().clean(value) or "").strip()
        if not raw:
            return None
        if self.definition.kind == CustomField.Kind.BOOLEAN:
            return raw.lower() in {"1", "true", "yes", "on"}
        if self.definition.kind == CustomField.Kind.NUMBER:
            try:  # in the reader's form ("1.250.000,50"); no "nan", "inf" or numbers past 2**53 in the query
                return self.definition.parse(raw)
            except NumberError as exc:
                raise forms.ValidationError(str(exc), code="invalid") from exc
            except ValueError as exc:
                raise forms.ValidationError(gettext("Enter a number."), code="invalid") from exc
        return raw


class CustomValueFilter(django_filters.Filter):
    field_class = CustomValueField

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value is None:
            return qs
        return qs.filter(**{f"custom__{self.extra['definition'].key}": value})


def _visible_users(request: Any) -> Any:
    from velinimet.accounts.selectors import active_users

    return active_users(getattr(request, "user", None)).order_by("first_name", "username")


def _visible_teams(request: Any) -> Any:
    from velinimet.accounts.selectors import team_list

    return team_list(getattr(request, "user", None))


class CustomerFilter(StrictFilterSet):
    """Filters shared by people and companies. ``custom_record_type`` adds one ``cf_<key>`` per custom
    field of that record type (multiple-choice fields are not filterable yet)."""

    custom_record_type = ""

    q = django_filters.CharFilter(label=_("Search"), method="filter_q", max_length=100)
    owner = PickerFilter(
        label=_("Owner"),
        queryset=_visible_users,
        method="filter_owner",
        numbers=("username",),
        widget=Picker("customers:pick_owner", option=user_option, hint=_("Username")),
    )
    team = PickerFilter(
        label=_("Team"), queryset=_visible_teams, widget=Picker("customers:pick_team", option=team_option, hint="id")
    )
    tag = django_filters.CharFilter(label=_("Tag"), method="filter_tag", max_length=60)
    city = django_filters.CharFilter(label=_("City"), method="filter_city", max_length=60)
    created_from, created_to = date_range("created_at", _("Created from"), _("Created to"))
    mine = django_filters.BooleanFilter(label=_("Only mine"), method="filter_mine", widget=forms.CheckboxInput)

    class Meta:
        form = ListForm
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.custom_record_type:
            definitions = CustomField.objects.filter(record_type=self.custom_record_type)
            for definition in definitions.exclude(kind=CustomField.Kind.MULTI):
                custom = CustomValueFilter(label=definition.shown_label, definition=definition, required=False)
                custom.model, custom.parent = self.queryset.model, self
                self.filters[f"cf_{definition.key}"] = custom

    def filter_q(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        from velinimet.customers.matching_text import search_filter

        return search_filter(qs, value) if value.strip() else qs

    @extend_schema_field(OpenApiTypes.INT)
    def filter_owner(self, qs: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if self.form.cleaned_data.get("mine"):  # "only mine" wins over a chosen owner
            return qs
        return qs.filter(owner=value)

    @extend_schema_field(OpenApiTypes.BOOL)
    def filter_mine(self, qs: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        return qs.filter(owner_id=getattr(self.request.user, "pk", None)) if value else qs

    def filter_tag(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        key = fold(value)
        return qs.filter(tags__key=key) if key else qs

    def filter_city(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        key = fold(value)
        return qs.filter(addresses__city_key=key).distinct() if key else qs


class PersonFilter(CustomerFilter):
    custom_record_type = "person"

    class Meta(CustomerFilter.Meta):
        model = Person
        form = PersonListForm


class CompanyFilter(CustomerFilter):
    custom_record_type = "company"

    class Meta(CustomerFilter.Meta):
        model = Company
