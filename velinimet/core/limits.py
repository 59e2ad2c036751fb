"""The documented maximum sizes of free-text inputs and of the lists a record holds (docs/api.md lists them).

The services check these (customers/validation.py, activities/services.py), so the form, the API and the
import all refuse the same input with the same field error; nothing is cut short silently. Text fields with
a database column length (names, titles, cities…) are checked against that length by the same services.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext as _

NOTES = 10_000  # notes of people and companies, activity details, consent evidence
CUSTOM_TEXT = 1_000  # a custom field of kind "text"
CUSTOM_LABEL = 100  # a custom field's definition: its label, key, choices (as CustomField's columns)
CUSTOM_KEY = 50
CUSTOM_CHOICES = 100
CUSTOM_CHOICE = 100
TAG_NAME = 60  # as Tag.name's column
TAGS_PER_RECORD = 50
CONTACTS_PER_RECORD = 20  # phones, e-mails, addresses, card numbers: each list
SAVED_VIEW_NAME = 60
SAVED_VIEW_QUERY = 1_000


def length_error(value: str, limit: int) -> str | None:
    """Django's own (translated) message when ``value`` is longer than ``limit`` characters, else None."""
    try:
        MaxLengthValidator(limit)(value)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return None


def count_error(count: int, limit: int) -> str | None:
    """The message when a list holds more than ``limit`` items, else None."""
    if count <= limit:
        return None
    return _("At most %(limit)s are accepted here (%(count)s were given).") % {"limit": limit, "count": count}
