"""What each kind of activity holds besides the common fields: its own detail fields and its outcomes.

One table, read by the service (which validates ``details`` and ``outcome``), the form (which shows a
kind's fields only while that kind is chosen), the API schema and the docs: a call has a number, a visit a
side and a place, a parcel what was sent, the carrier and the tracking number, and so on.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Kind, Outcome

if TYPE_CHECKING:
    from .models import ActivityKind


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

#: built-in kinds that can be planned and then completed into a logged one (a task is always planned first)
PLANNABLE = frozenset(Kind.values) - {Kind.NOTE}

#: the shipped icons (``core/static/velinimet/icons.svg``, one ``<symbol id="…">`` each)
ICONS = (
    "phone", "visit", "mail", "sms", "parcel", "share", "service", "event", "task", "note",
    "star", "flag", "gift", "megaphone", "video", "users", "coffee", "cart",
)  # fmt: skip
BUILT_IN_ICONS = {
    Kind.CALL: "phone", Kind.VISIT: "visit", Kind.EMAIL: "mail", Kind.SMS: "sms", Kind.POST: "parcel",
    Kind.SOCIAL: "share", Kind.SERVICE: "service", Kind.EVENT: "event", Kind.TASK: "task", Kind.NOTE: "note",
}  # fmt: skip

# --- an administrator's own kinds -------------------------------------------------------------
# Read on every timeline row for its name and icon: kept per process for a few seconds (a kind is
# added once in a while; a write here drops the copy at once, another process sees it within TTL).
_TTL = 10.0
_cache: dict[str, Any] = {"at": -_TTL, "kinds": {}}


def forget_custom_kinds() -> None:
    _cache["at"] = -_TTL


def custom_kinds() -> dict[str, ActivityKind]:
    """Every kind an administrator added, in use or not, by key (an old activity keeps its kind's name)."""
    from .models import ActivityKind

    now = time.monotonic()
    if now - _cache["at"] > _TTL:
        _cache["kinds"] = {k.key: k for k in ActivityKind.objects.all()}
        _cache["at"] = now
    return _cache["kinds"]


def is_built_in(kind: str) -> bool:
    return kind in Kind.values


def kind_label(kind: str) -> str:
    if is_built_in(kind):
        return str(Kind(kind).label)
    custom = custom_kinds().get(kind)
    return custom.name if custom is not None else kind


def kind_icon(kind: str) -> str:
    if is_built_in(kind):
        return BUILT_IN_ICONS[Kind(kind)]
    custom = custom_kinds().get(kind)
    return custom.icon if custom is not None and custom.icon in ICONS else "star"


def kind_choices(*, unused: bool = False) -> list[tuple[str, str]]:
    """What a new activity may be: the built-in kinds, then the administrator's kinds in use (``unused``:
    those taken out of use too, which old activities still have: the filters offer them)."""
    own = [(k.key, k.name) for k in custom_kinds().values() if k.active or unused]
    return [*((value, str(label)) for value, label in Kind.choices), *own]


def usable(kind: str) -> bool:
    """``kind`` may be given to an activity now: built in, or an administrator's kind in use (read fresh)."""
    from .models import ActivityKind

    return is_built_in(kind) or ActivityKind.objects.filter(key=kind, active=True).exists()


def plannable(kind: str) -> bool:
    if is_built_in(kind):
        return kind in PLANNABLE
    custom = custom_kinds().get(kind)
    return custom is None or custom.plannable


def fields_of(kind: str) -> tuple[str, ...]:
    if is_built_in(kind):
        return KIND_FIELDS.get(kind, ())
    custom = custom_kinds().get(kind)
    return tuple(f for f in (custom.shows if custom else []) if f in DETAIL_FIELDS)


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
                "kind": kind_label(kind),
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


def filter_kind_choices() -> list[tuple[str, str]]:
    return kind_choices(unused=True)


def kinds_showing(field: str) -> list[str]:
    """The kinds (built in, then an administrator's in use) whose form shows ``field``."""
    own = [k.key for k in custom_kinds().values() if k.active and field in k.shows]
    return [*(kind for kind, names in KIND_FIELDS.items() if field in names), *own]
