"""Fixtures of the accounts tests: a real SMTP server on loopback (``smtp_inbox``)."""

from .mail import smtp_inbox

__all__ = ["smtp_inbox"]
