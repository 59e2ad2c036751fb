"""What other modules add to a user's own account: a panel on My account and keys in ``GET /api/v1/me/``
(the activities module: the private calendar feed). Accounts never imports those modules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from velinimet.core.registry import registry


@dataclass(frozen=True)
class AccountSection:
    """``template`` is included on My account with ``context(request)``; ``me(request)`` gives the keys it
    adds to ``/api/v1/me/`` (documented in the module's docs)."""

    key: str
    template: str
    context: Callable[[Any], dict[str, Any]]
    me: Callable[[Any], dict[str, Any]]
    order: int = 100


ACCOUNT_SECTIONS = registry.declare(
    "accounts.account_sections", AccountSection, "panels of My account and their keys in GET /api/v1/me/"
)
