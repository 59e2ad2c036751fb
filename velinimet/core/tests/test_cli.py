"""The velinimet command: createuser, api-token, seed, load_demo, and clear errors with non-zero exits."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from velinimet.accounts.models import ApiToken, User
from velinimet.customers.models import Company, Person, Phone

pytestmark = pytest.mark.django_db


def test_createuser_with_password_from_environment(cast: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("VELINIMET_PASSWORD", "Cok-Guclu-Parola-9")
    call_command("createuser", "yeni", "--role", "sales_rep", "--team", "İSTANBUL", "--language", "az")
    user = User.objects.get(username="yeni")
    assert user.role.slug == "sales_rep" and user.team == cast.istanbul and user.language == "az"
    assert user.check_password("Cok-Guclu-Parola-9")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x1", "--role", "pilot"], "Unknown role"),
        (["x2", "--team", "Mars"], "Unknown team"),
        (["rep_ist"], "username"),
        (["x3", "--language", "de"], "language"),
    ],
)
def test_createuser_refuses_bad_input(cast: Any, monkeypatch: Any, args: list[str], message: str) -> None:
    monkeypatch.setenv("VELINIMET_PASSWORD", "Cok-Guclu-Parola-9")
    before = User.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("createuser", *args)
    assert User.objects.count() == before


def test_createuser_refuses_a_weak_password(cast: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("VELINIMET_PASSWORD", "123")
    with pytest.raises(CommandError):
        call_command("createuser", "zayif")
    assert not User.objects.filter(username="zayif").exists()


def test_api_token_prints_a_working_key(cast: Any) -> None:
    out = io.StringIO()
    call_command("api_token", "rep_ist", stdout=out)
    key = out.getvalue().strip()
    assert key.startswith("vlm_")
    assert ApiToken.objects.get(key_hash=ApiToken.hash_key(key)).user == cast.rep_ist
    with pytest.raises(CommandError, match="No user"):
        call_command("api_token", "nobody")


def test_seed_is_deterministic_and_normalised(cast: Any) -> None:
    call_command("seed", "--people", "40", "--companies", "5", "--seed", "3", stdout=io.StringIO())
    first = list(Person.objects.order_by("pk").values_list("first_name", "last_name", "search_key"))
    assert len(first) == 40 and Company.objects.count() == 5
    assert all(p.startswith("+") for p in Phone.objects.values_list("e164", flat=True))
    Person.objects.all().delete()
    Company.objects.all().delete()
    call_command("seed", "--people", "40", "--companies", "5", "--seed", "3", stdout=io.StringIO())
    assert list(Person.objects.order_by("pk").values_list("first_name", "last_name", "search_key")) == first
    with pytest.raises(CommandError):
        call_command("seed")
    with pytest.raises(CommandError):
        call_command("seed", "--people", "-1")


def test_load_demo_runs_once_and_prints_the_login() -> None:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    assert "URL: http" in text and "Username: admin" in text and "Password: " in text
    assert User.objects.filter(username="admin", role__slug="administrator").exists()
    assert Person.objects.filter(first_name="Şükrü", last_name="Öztürk").exists()
    from velinimet.activities.models import Activity

    for rep in ("temsilci.ist", "temsilci.baku"):  # each demo rep has open work, some of it overdue
        open_work = Activity.objects.filter(owner__username=rep, status="open")
        assert open_work.filter(occurred_at__lt=timezone.now()).exists()
        assert open_work.filter(occurred_at__gt=timezone.now()).exists()
    people = Person.objects.count()
    out2 = io.StringIO()
    call_command("load_demo", stdout=out2)
    assert "not loaded" in out2.getvalue()
    assert Person.objects.count() == people


def test_console_command_help_and_unknown_command(tmp_path: Any) -> None:
    env = {**os.environ, "VELINIMET_DATA_DIR": str(tmp_path)}
    helped = subprocess.run([sys.executable, "-m", "velinimet", "--help"], capture_output=True, text=True, env=env)
    assert helped.returncode == 0 and "velinimet seed" in helped.stdout
    bad = subprocess.run([sys.executable, "-m", "velinimet", "fly"], capture_output=True, text=True, env=env)
    assert bad.returncode != 0 and "Unknown command" in bad.stderr


def test_seeded_records_page_through_the_keyset_list_without_gaps(cast: Any) -> None:
    """Seeded rows share timestamps; the (created_at, id) cursor must neither skip nor repeat any."""
    from velinimet.customers.selectors import keyset_page, person_list

    call_command("seed", "--people", "130", "--seed", "5", stdout=io.StringIO())
    for sort in ("-created", "created", "name", "-name"):
        seen: list[int] = []
        after = None
        while True:
            rows, after = keyset_page(person_list(cast.admin), sort, after, size=50)
            seen += [r.pk for r in rows]
            if after is None:
                break
        assert sorted(seen) == sorted(Person.objects.values_list("pk", flat=True)), sort
        assert len(seen) == len(set(seen))
