"""Form helpers shared by every app."""

from __future__ import annotations

from django import forms

from .exceptions import DomainError


def apply_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Show a service's error on the form: field errors next to their fields, the rest on top."""
    if exc.errors:
        for field, messages in exc.errors.items():
            form.add_error(field if field in form.fields else None, list(messages))
    else:
        form.add_error(None, exc.message)
