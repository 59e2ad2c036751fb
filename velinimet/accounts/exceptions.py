"""Typed errors of the accounts app."""

from velinimet.core.exceptions import Conflict, DomainError, NotAllowed

__all__ = ["Conflict", "DomainError", "NotAllowed", "InvalidField"]


class InvalidField(DomainError):
    code = "invalid"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, errors={field: [message]})
