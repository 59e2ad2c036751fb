"""What each kind of activity holds besides the common fields: its own detail fields and its outcomes.

One table, read by the service (which validates ``details`` and ``outcome``), the form (which shows a
kind's fields only while that kind is chosen), the API schema and the docs: a call has a number, a visit a
side and a place, a parcel what was sent, the carrier and the tracking number, and so on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Kind


class Outcome(models.TextChoices):
    REACHED = "reached", gettext_lazy("Reached")
    NO_ANSWER = "no_answer", gettext_lazy("No answer")
    BUSY = "busy", gettext_lazy("Busy")
    VOICEMAIL = "voicemail", gettext_lazy("Voicemail")
    POSITIVE = "positive", gettext_lazy("Positive")
    NEUTRAL = "neutral", gettext_lazy("Neutral")
    NEGATIVE = "negative", gettext_lazy("Negative")


CALL_OUTCOMES = (Outcome.REACHED, Outcome.NO_ANSWER, Outcome.BUSY, Outcome.VOICEMAIL)
GENERAL_OUTCOMES = (Outcome.POSITIVE, Outcome.NEUTRAL, Outcome.NEGATIVE)


class VisitSide(models.TextChoices):
    OURS = "ours", gettext_lazy("We visited them")
    THEIRS = "theirs", gettext_lazy("They visited us")


class Network(models.TextChoices):
    INSTAGRAM = "instagram", "Instagram"
    FACEBOOK = "facebook", "Facebook"
    X = "x", "X"
    LINKEDIN = "linkedin", "LinkedIn"
    YOUTUBE = "youtube", "YouTube"
    TIKTOK = "tiktok", "TikTok"
    WHATSAPP = "whatsapp", "WhatsApp"
    TELEGRAM = "telegram", "Telegram"
    OTHER = "other", gettext_lazy("Other")


class Invitation(models.TextChoices):
    INVITED = "invited", gettext_lazy("Invited")
    ACCEPTED = "accepted", gettext_lazy("Accepted")
    ATTENDED = "attended", gettext_lazy("Attended")
    NO_SHOW = "no_show", gettext_lazy("No-show")


@dataclass(frozen=True)
class DetailField:
    """One optional field a kind may show: text (at most ``max_length``), a choice, or a web address."""

    name: str
    label: Any  # a lazy translation
    max_length: int = 200
    choices: type[models.TextChoices] | None = None
    url: bool = False

    def clean(self, value: Any) -> str:
        """The stored text for ``value`` (tidied), or ``ValidationError`` with a message for the user."""
        text = " ".join(str(value if value is not None else "").split())
        if not text:
            return ""
        if self.choices is not None:
            if text not in self.choices.values:
                raise ValidationError(_("Choose one of: %(choices)s") % {"choices": ", ".join(self.choices.values)})
            return text
        if len(text) > self.max_length:
            raise ValidationError(_("Keep this under %(max)d characters.") % {"max": self.max_length})
        if self.url:
            if "://" not in text:
                text = "https://" + text
            try:
                URLValidator(schemes=["http", "https"])(text)
            except ValidationError:
                raise ValidationError(_("Enter a web address, such as https://instagram.com/p/…")) from None
        return text


DETAIL_FIELDS: dict[str, DetailField] = {
    f.name: f
    for f in (
        DetailField("number", gettext_lazy("Phone number"), max_length=40),
        DetailField("side", gettext_lazy("Who visited"), choices=VisitSide),
        DetailField("place", gettext_lazy("Place")),
        DetailField("item", gettext_lazy("What was sent")),
        DetailField("carrier", gettext_lazy("Carrier"), max_length=100),
        DetailField("tracking_number", gettext_lazy("Tracking number"), max_length=100),
        DetailField("network", gettext_lazy("Network"), choices=Network),
        DetailField("link", gettext_lazy("Link"), max_length=500, url=True),
        DetailField("event_name", gettext_lazy("Event")),
        DetailField("invitation", gettext_lazy("Invitation"), choices=Invitation),
        DetailField("address", gettext_lazy("Address"), max_length=300),
        DetailField("result", gettext_lazy("Result"), max_length=500),
    )
}

#: the detail fields each built-in kind shows, in the order the form shows them
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    Kind.CALL: ("number",),
    Kind.VISIT: ("side", "place"),
    Kind.POST: ("item", "carrier", "tracking_number"),
    Kind.SOCIAL: ("network", "link"),
    Kind.EVENT: ("event_name", "invitation"),
    Kind.SERVICE: ("address", "result"),
}

#: kinds that can be planned and then completed into a logged one (a task is always planned first)
PLANNABLE = frozenset(Kind.values) - {Kind.NOTE}


def fields_of(kind: str) -> tuple[str, ...]:
    return KIND_FIELDS.get(kind, ())


def outcomes_of(kind: str) -> tuple[Outcome, ...]:
    return CALL_OUTCOMES if kind == Kind.CALL else GENERAL_OUTCOMES


def clean_details(kind: str, details: Any) -> tuple[dict[str, str], dict[str, str]]:
    """(the details to store, errors by ``details.<field>``) for ``kind``: a field the kind does not have
    is an error, not silently kept; empty values are left out."""
    if details in (None, ""):
        return {}, {}
    if not isinstance(details, dict):
        return {}, {"details": _("Send the details as an object of field names and values.")}
    allowed = fields_of(kind)
    out: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name, value in details.items():
        if name not in allowed:
            known = ", ".join(allowed) or _("none")
            errors[f"details.{name}"] = _("A %(kind)s has no field “%(name)s” (its fields: %(known)s).") % {
                "kind": Kind(kind).label if kind in Kind.values else kind,
                "name": name,
                "known": known,
            }
            continue
        try:
            text = DETAIL_FIELDS[name].clean(value)
        except ValidationError as exc:
            errors[f"details.{name}"] = exc.messages[0]
            continue
        if text:
            out[name] = text
    return out, errors
