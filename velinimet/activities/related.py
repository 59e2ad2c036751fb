"""What else an activity can be about: a deal, an order, a case. The modules that hold those register
their record type here (``registry.register("activities.related_types", RelatedType("sales.deal", url))``),
as they register their 360° sections; activities never imports them. Until a module registers, no
activity names a related record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.utils.translation import gettext as _

from velinimet.core.exceptions import DomainError
from velinimet.core.registry import RECORD_TYPES, record_type_for_model, registry
from velinimet.core.visibility import Action, can, get_for_user

if TYPE_CHECKING:
    from velinimet.accounts.models import User


@dataclass(frozen=True)
class RelatedType:
    """A record type (``core.record_types`` key) an activity may be about, and the URL of one record."""

    record_type: str
    url: Callable[[Any], str]

    @property
    def key(self) -> str:
        return self.record_type


RELATED_TYPES = registry.declare(
    "activities.related_types", RelatedType, "record types an activity can be about (a deal, an order, a case)"
)


def _refused(message: str) -> DomainError:
    return DomainError(message, code="invalid_related", errors={"related": [message]})


def related_check(actor: User, record: Any) -> tuple[ContentType, int]:
    """The content type and id to store for ``record``: of a registered type, and one ``actor`` may read."""
    rt = record_type_for_model(type(record))
    if rt is None or rt.key not in RELATED_TYPES:
        raise _refused(_("An activity cannot be about this kind of record."))
    if not can(actor, record, Action.READ):
        raise _refused(_("You may not see that record."))
    return ContentType.objects.get_for_model(type(record)), record.pk


def related_find(actor: User, record_type: str, pk: Any) -> Any:
    """The record of a registered ``record_type`` with id ``pk`` that ``actor`` may read (the API's
    ``related_type``/``related_id``), or a field error naming what is wrong."""
    if record_type not in RELATED_TYPES or record_type not in RECORD_TYPES:
        known = ", ".join(sorted(RELATED_TYPES)) or _("none yet")
        raise _refused(_("Activities can be about: %(types)s.") % {"types": known})
    model = RECORD_TYPES[record_type].model_class()
    try:
        return get_for_user(model._default_manager.all(), actor, pk)
    except Http404:  # hidden, missing or not a number: the same answer
        raise _refused(_("No such record that you may see.")) from None


def related_shown(user: User, activity: Any) -> tuple[str, str] | None:
    """(name, URL) of what ``activity`` is about, when ``user`` may see it."""
    record = getattr(activity, "related", None)
    if record is None:
        return None
    rt = record_type_for_model(type(record))
    if rt is None or rt.key not in RELATED_TYPES or not can(user, record, Action.READ):
        return None
    return str(record), RELATED_TYPES[rt.key].url(record)
