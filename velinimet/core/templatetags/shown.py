"""``{{ value|shown }}``: a stored text as the reader reads it (``core.models.shown``: the language-neutral
"[erased]" in the reader's language). For texts an erasure may have overwritten: subjects, sources, report
titles."""

from __future__ import annotations

from typing import Any

from django import template

from velinimet.core.models import shown as _shown

register = template.Library()


@register.filter
def shown(value: Any) -> Any:
    return _shown(value)
