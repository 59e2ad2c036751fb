"""Typed domain errors: services raise them, the UI shows the message, the API maps them to JSON."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _


class DomainError(Exception):
    """A business rule refused the request. ``code`` is stable; ``message`` is translated."""

    code = "invalid"
    status = 400

    def __init__(
        self,
        message: str | Promise,
        *,
        code: str | None = None,
        errors: dict[str, list[str]] | None = None,
        extra: dict[str, object] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = str(message)
        if code:
            self.code = code
        self.errors = errors or {}
        self.extra = extra or {}  # more keys for the API answer, e.g. duplicate candidates


class NotAllowed(DomainError):
    code = "permission_denied"
    status = 403


class Conflict(DomainError):
    code = "conflict"
    status = 409


class EditConflict(Conflict):
    """Someone saved the record after the user opened it (optimistic locking, ``check_version``)."""

    code = "edit_conflict"


class Errors:
    """Collects field errors so the user sees every problem at once, not one per attempt."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)

    def check(self) -> None:
        if self.errors:
            first = next(iter(self.errors.values()))[0]
            raise DomainError(first, errors=self.errors)


def check_version(record: Any, version: int | None) -> None:
    """Refuse a save based on an older ``version`` of ``record`` (optimistic locking): a model with a
    ``version`` counter and an ``updated_at`` time, read under ``select_for_update``."""
    if version is not None and int(version) != record.version:
        raise EditConflict(
            _(
                "Someone else saved this record after you opened it (at %(time)s). Reload it and make your changes "
                "again."
            )
            % {"time": timezone.localtime(record.updated_at).strftime("%H:%M:%S")}
        )


def from_validation_error(exc: object) -> DomainError:
    """Turn a Django ValidationError into a DomainError with field errors."""
    from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

    assert isinstance(exc, ValidationError)
    errors: dict[str, list[str]]
    if hasattr(exc, "error_dict"):
        errors = {
            ("non_field_errors" if k == NON_FIELD_ERRORS else k): [str(m) for m in v]
            for k, v in exc.message_dict.items()
        }
    else:
        errors = {"non_field_errors": [str(m) for m in exc.messages]}
    first = next(iter(errors.values()))[0]
    return DomainError(first, errors=errors)
