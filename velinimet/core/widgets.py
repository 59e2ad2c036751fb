"""The picker: one search-as-you-type choice of a record, for any form field that holds a record's id.

Three parts, one behaviour everywhere:

- ``Picker``, a form widget, renders ``core/_picker.html``: the field's own input (the id, or a number such
  as a customer number or a username) and, shown only by ``app.js``, a search box with a list box.
  Without JavaScript the page is a plain number field with a clear error (``PickerField``).
- ``app.js`` (``[data-picker]``) asks the picker's endpoint ``<url>?q=…`` as the user types (htmx), moves
  through the options with the arrow keys, writes the chosen id with Enter or a click, closes with Escape.
- Each kind of record has one endpoint answering ``core/_picker_options.html`` with ``PickerOption`` rows,
  permission-checked, finding what the user may see (``customers/views/pickers.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms.models import ModelChoiceIterator
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from velinimet.core.numbers import NumberError, format_number, parse_number
from velinimet.core.text import alphabetical


@dataclass(frozen=True)
class PickerOption:
    """One answer of a picker endpoint: the id written into the form, the name, and what tells namesakes
    apart (a company's city and customer number, a user's team)."""

    id: int
    title: str
    detail: str = ""

    @property
    def label(self) -> str:
        return f"{self.title} · {self.detail}" if self.detail else self.title


class Picker(forms.TextInput):
    """The widget of a record field: a search box over ``url_name`` (with ``params``) that writes the id.

    ``option`` turns the chosen record into its ``PickerOption`` (the label shown after a choice);
    the record is read through the field's own queryset (the records the user may choose)."""

    template_name = "core/_picker.html"

    def __init__(
        self,
        url_name: str,
        *,
        option: Callable[[Any], PickerOption] | None = None,
        params: dict[str, str] | None = None,
        hint: Any = "",
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs={"autocomplete": "off", **(attrs or {})})
        self.url_name, self.option, self.params, self.hint = url_name, option, params or {}, hint

    def __deepcopy__(self, memo: dict[int, Any]) -> Picker:
        copy = super().__deepcopy__(memo)
        copy.params = dict(self.params)
        return copy

    def chosen(self, value: Any) -> PickerOption | None:
        """The option of the record the field holds, if the user may choose it (one query)."""
        queryset = getattr(getattr(self, "choices", None), "queryset", None)
        if value in (None, "") or queryset is None:
            return None
        if isinstance(value, Model):
            record: Any = value
        else:
            try:
                record = queryset.filter(pk=int(str(value))).first()
            except (TypeError, ValueError):
                return None
        if record is None:
            return None
        return self.option(record) if self.option else PickerOption(record.pk, str(record))

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        url = reverse(self.url_name)
        if self.params:
            url = f"{url}?{urlencode(self.params)}"
        widget_id = context["widget"]["attrs"].get("id") or f"picker-{name}"
        context["widget"]["picker"] = {
            "url": url,
            "chosen": self.chosen(value),
            "listbox": f"{widget_id}-options",
            "hint": self.hint,
        }
        return context


class PickerField(forms.ModelChoiceField):
    """A record chosen by its id (what the picker writes), or by ``numbers``: fields a person types without
    JavaScript (``customer_number``, ``username``). Only records of ``queryset`` (what the user may
    choose) are accepted; anything else is one clear error, never a server error."""

    default_error_messages = {
        "invalid_choice": _("No record with this number that you may choose: “%(value)s”."),
    }

    def __init__(self, queryset: Any, *, numbers: Iterable[str] = (), **kwargs: Any) -> None:
        self.numbers = tuple(numbers)
        super().__init__(queryset, **kwargs)

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        if isinstance(value, Model):
            value = value.pk
        text = str(value).strip()
        if not text:
            return None
        queryset = self.queryset
        if queryset is None:
            return None
        record = None
        if text.isdigit() and len(text) < 19:
            record = queryset.filter(pk=int(text)).first()
        for field in self.numbers:
            if record is not None:
                break
            record = queryset.filter(**{f"{field}__iexact": text}).first()
        if record is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": text})
        return record


class AlphabeticalChoiceIterator(ModelChoiceIterator):
    """The choices of a short list of records in the reader's alphabet (``core.text.alphabetical``), the
    empty choice first; read when the form renders, like Django's own iterator."""

    def __iter__(self) -> Iterator[Any]:
        items = list(super().__iter__())
        empty = items[:1] if items and items[0][0] == "" else []
        return iter(empty + alphabetical(items[len(empty) :], lambda choice: str(choice[1])))


class AlphabeticalChoiceField(forms.ModelChoiceField):
    """A ``<select>`` of a few records (teams, roles in the administration forms) in the reader's alphabet."""

    iterator = AlphabeticalChoiceIterator


class PickerFilter(django_filters.ModelChoiceFilter):
    """A list filter on one record, chosen with a picker (the list's owner and team)."""

    field_class = PickerField


class NumberField(forms.Field):
    """A number typed in the reader's form ("1.250.000,50" in Turkish, "1 250 000,50" in Azerbaijani,
    "1,250,000.50" in English; ``core.numbers``) and shown back in it. Cleans to a ``Decimal``."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return Decimal(str(value))
        try:
            return parse_number(str(value))
        except NumberError as exc:
            raise ValidationError(str(exc), code="invalid") from exc

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return format_number(value)
        return value
