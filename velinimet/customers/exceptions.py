"""Typed errors of the customers app."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from velinimet.core.exceptions import Conflict, DomainError, EditConflict, NotAllowed

__all__ = ["Conflict", "DomainError", "DuplicateFound", "EditConflict", "NotAllowed", "RecordMerged"]


class DuplicateFound(Conflict):
    """Creating this record would likely duplicate others; ``candidates`` say which and why."""

    code = "duplicate"

    def __init__(self, candidates: list[dict[str, Any]]) -> None:
        super().__init__(
            _("This looks like a record that already exists. Check the candidates, or save anyway."),
            extra={"candidates": candidates},
        )
        self.candidates = candidates


class RecordMerged(DomainError):
    """The record asked for was merged into another one, which the user may see: a 404 that names it."""

    code = "merged"
    status = 404

    def __init__(self, survivor_id: int, url: str, api_url: str) -> None:
        super().__init__(
            _("This record was merged into another one: use the record it was merged into."),
            extra={"survivor": survivor_id, "survivor_url": url, "survivor_api_url": api_url},
        )
