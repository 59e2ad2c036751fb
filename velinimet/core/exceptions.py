"""Typed domain errors: services raise them, the UI shows the message, the API maps them to JSON."""

from __future__ import annotations

from django.utils.functional import Promise


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
