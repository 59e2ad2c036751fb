"""Demo data: each module registers a loader; ``load_demo()`` runs them once, into an empty database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.db import transaction

from .registry import registry


@dataclass(frozen=True)
class DemoLoader:
    """One module's demo data. ``login_text`` (given the site's URL) tells how to log in to it, if it made users."""

    key: str
    order: int
    load: Callable[[], Any]
    login_text: Callable[[], str] | None = None


DEMO_LOADERS = registry.declare("core.demo_loaders", DemoLoader, "functions `velinimet demo` runs, in order, once")


def load_demo() -> bool:
    """Run every module's demo loader if the database holds no users yet; True when it did."""
    if get_user_model().objects.exists():
        return False
    with transaction.atomic():
        for loader in DEMO_LOADERS.ordered():
            loader.load()
    return True


def print_login(out: IO[str] | Any, url: str) -> None:
    out.write(f"URL: {url}\n")
    for loader in DEMO_LOADERS.ordered():
        if loader.login_text is not None:
            out.write(loader.login_text())
