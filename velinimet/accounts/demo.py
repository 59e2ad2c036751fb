"""The foundation's demo data: the administrator and one user for each default role over nested teams."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import Role, Team, User

DEMO_USERS = [
    # username, first, last, role slug, team key, language, time zone
    ("admin", "Ayşe", "Yılmaz", "administrator", "sales", "tr", "Europe/Istanbul"),
    ("mudur", "Şükrü", "Öztürk", "sales_manager", "sales", "tr", "Europe/Istanbul"),
    ("temsilci.ist", "İpek", "Çelik", "sales_rep", "istanbul", "tr", "Europe/Istanbul"),
    ("temsilci.baku", "Əli", "Məmmədov", "sales_rep", "baku", "az", "Asia/Baku"),
    ("servis", "Gülnar", "Həsənova", "service_agent", "baku", "az", "Asia/Baku"),
    ("pazarlama", "Işıl", "Doğan", "marketing_specialist", "sales", "tr", "Europe/Istanbul"),
    ("teknisyen", "Oğuz", "Kaya", "field_technician", "istanbul", "tr", "Europe/Istanbul"),
    ("analist", "Leyla", "Quliyeva", "analyst", "sales", "en", "Asia/Baku"),
    ("izleyici", "Ümit", "Aydın", "read_only", "istanbul", "tr", "Europe/Istanbul"),
]
TEAMS = {"sales": ("Satış", None), "istanbul": ("İstanbul Bölge", "sales"), "baku": ("Bakı Filialı", "sales")}


def credentials_path() -> Path:
    return Path(settings.DATA_DIR) / "demo-password.txt"


def demo_password() -> str:
    """One password for every demo user, made once per data folder and kept there (never in the repo)."""
    path = credentials_path()
    if not path.exists():
        path.write_text(secrets.token_urlsafe(9) + "\n")
        path.chmod(0o600)
    return path.read_text().strip()


def demo_login_text() -> str:
    """What `velinimet demo` prints under the URL: how to log in as each demo user."""
    return (
        "Username: admin\n"
        f"Password: {demo_password()}\n"
        "(The same password works for mudur, temsilci.ist, temsilci.baku, servis, pazarlama, "
        "teknisyen, analist and izleyici: one user per role.)\n"
    )


@transaction.atomic
def load_demo_users() -> list[User]:
    """Create the demo teams and users; the caller makes sure the database is empty."""
    from .roles import ensure_default_roles

    ensure_default_roles()
    teams: dict[str, Team] = {}
    for key, (name, parent) in TEAMS.items():
        teams[key] = Team.objects.create(name=name, parent=teams.get(parent) if parent else None)
    password = demo_password()
    users = []
    for username, first, last, role, team, language, tz in DEMO_USERS:
        user = User(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@demo.velinimet.local",
            role=Role.objects.get(slug=role),
            team=teams[team],
            language=language,
            time_zone=tz,
            is_staff=role == "administrator",
        )
        user.set_password(password)
        user.save()
        users.append(user)
    return users
