"""Typed errors of the customers app."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from velinimet.core.exceptions import Conflict, DomainError, EditConflict, NotAllowed

__all__ = ["Conflict", "DomainError", "DuplicateFound", "EditConflict", "NotAllowed"]


class DuplicateFound(Conflict):
    """Creating this record would likely duplicate others; ``candidates`` say which and why."""

    code = "duplicate"

    def __init__(self, candidates: list[dict[str, Any]]) -> None:
        super().__init__(
            _("This looks like a record that already exists. Check the candidates, or save anyway."),
            extra={"candidates": candidates},
        )
        self.candidates = candidates
