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
