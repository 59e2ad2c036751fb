"""Demo data: each module registers a loader; ``load_demo()`` runs them once, into an empty database."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.db import transaction

DEMO_LOADERS: list[tuple[int, Callable[[], Any]]] = []


def register_demo_loader(order: int, loader: Callable[[], Any]) -> None:
    DEMO_LOADERS.append((order, loader))


def load_demo() -> bool:
    """Run every module's demo loader if the database holds no users yet; True when it did."""
    if get_user_model().objects.exists():
        return False
    with transaction.atomic():
        for _order, loader in sorted(DEMO_LOADERS, key=lambda x: x[0]):
            loader()
    return True


def print_login(out: IO[str] | Any, url: str) -> None:
    from velinimet.accounts.demo import demo_password

    out.write(f"URL: {url}\n")
    out.write("Username: admin\n")
    out.write(f"Password: {demo_password()}\n")
    out.write(
        "(The same password works for mudur, temsilci.ist, temsilci.baku, servis, pazarlama, "
        "teknisyen, analist and izleyici: one user per role.)\n"
    )
