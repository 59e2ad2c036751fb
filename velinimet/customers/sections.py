"""Sections of the 360° page. Each module registers its own section (orders, cases, loyalty, timeline…)
so the page template only loops over what is registered; a module that does not exist adds nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

from velinimet.core.registry import registry

if TYPE_CHECKING:
    from velinimet.accounts.models import User


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    template: str
    context: Callable[[Any, Any], dict[str, Any]]  # (user, record) -> template context
    for_types: tuple[str, ...] = ("person", "company")
    order: int = 100
    record_type: str | None = None  # only for users who may read this record type


SECTIONS = registry.declare("customers.sections", Section, "panels of a person's or a company's 360° page")


def sections_for(user: User, record: Any, kind: str) -> list[tuple[Section, dict[str, Any]]]:
    from velinimet.core.visibility import can_read_type

    out = []
    for section in SECTIONS.ordered():
        if kind not in section.for_types:
            continue
        if section.record_type and not can_read_type(user, section.record_type):
            continue
        out.append((section, section.context(user, record)))
    return out


@dataclass(frozen=True)
class CardFacts:
    """Extra facts on the caller's card (``/api/v1/calls/lookup/``): ``facts(user, record)`` returns keys to add."""

    key: str
    facts: Callable[[Any, Any], dict[str, Any]]
    order: int = 100


CARD_FACTS = registry.declare("customers.card_facts", CardFacts, "extra facts on the caller's card")


@dataclass(frozen=True)
class CallAction:
    """A button on the screen-pop of a recognised caller (``customers/_screen_pop.html``): ``template`` is
    rendered with ``call`` (the ``IncomingCall``) and ``record`` (the person or company), for users
    ``allowed(user)`` lets see it. The activities module registers "Log this call"."""

    key: str
    template: str
    allowed: Callable[[Any], bool]
    order: int = 100


CALL_ACTIONS = registry.declare("customers.call_actions", CallAction, "buttons on a recognised caller's screen-pop")


def call_actions_for(user: User) -> list[CallAction]:
    return [action for action in CALL_ACTIONS.ordered() if action.allowed(user)]
