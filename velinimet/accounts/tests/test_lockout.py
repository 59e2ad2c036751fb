"""Login lockout counts failures per user, whatever case the username is typed in."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.test import Client

from conftest import PASSWORD
from velinimet.accounts.models import User

pytestmark = pytest.mark.django_db


def post_login(client: Client, username: str, password: str) -> Any:
    return client.post("/login/", {"username": username, "password": password})


def make_user(username: str) -> User:
    user = User(username=username)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.mark.parametrize(
    ("stored", "variants"),
    [
        ("Ayşe", ["Ayşe", "AYŞE", "ayşe", "aYşE"]),
        ("ilker", ["İLKER", "ilker", "Ilker", "ILKER"]),
    ],
)
def test_wrong_passwords_across_case_variants_lock_the_account(
    cast: Any, settings: Any, stored: str, variants: list[str]
) -> None:
    make_user(stored)
    client = Client()
    typed_names = itertools.cycle(variants)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert post_login(client, next(typed_names), "wrong-password").status_code == 200
    assert post_login(client, next(typed_names), "wrong-password").status_code == 429  # the limit-th failure
    for typed in variants:
        response = post_login(client, typed, PASSWORD)
        assert response.status_code == 429
        assert "_auth_user_id" not in client.session
    # another user from the same address is not locked out
    assert post_login(Client(), "rep_ist", PASSWORD).status_code == 302


@pytest.mark.parametrize("typed", ["AYŞE", "ayşe", "aYşE"])
def test_every_case_variant_of_a_username_logs_in(cast: Any, typed: str) -> None:
    make_user("Ayşe")
    assert post_login(Client(), typed, PASSWORD).status_code == 302


@pytest.mark.parametrize("typed", ["İLKER", "ILKER", "Ilker", "ılker"])
def test_turkish_dotted_and_dotless_i_log_in_as_the_same_user(cast: Any, typed: str) -> None:
    make_user("ilker")
    assert post_login(Client(), typed, PASSWORD).status_code == 302


def test_the_lockout_key_is_the_username_key() -> None:
    from velinimet.accounts.models import name_key

    assert {name_key(v) for v in ["Ayşe", "AYŞE", "ayşe", "aYşE"]} == {"ayşe"}
    assert {name_key(v) for v in ["İLKER", "ilker", "Ilker", "ılker", " ilker "]} == {"ilker"}


def test_a_username_that_differs_only_by_a_dotless_i_is_taken(cast: Any) -> None:
    from velinimet.accounts import services
    from velinimet.accounts.exceptions import Conflict

    make_user("ilker")
    with pytest.raises(Conflict):
        services.user_create(actor=cast.admin, username="ILKER", password=PASSWORD)


def test_a_successful_login_resets_the_count_of_every_case_variant(cast: Any, settings: Any) -> None:
    make_user("Ayşe")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        post_login(client, "AYŞE", "wrong-password")
    assert post_login(Client(), "ayşe", PASSWORD).status_code == 302
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        post_login(client, "aYşE", "wrong-password")
    assert post_login(client, "Ayşe", PASSWORD).status_code == 302


def test_wrong_old_passwords_on_the_password_change_page_count_towards_the_lockout(cast: Any, settings: Any) -> None:
    client = Client()
    client.force_login(cast.rep_ist)
    form = {"new_password": "Another-pass-2026!", "new_password2": "Another-pass-2026!"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/settings/account/password/", {"old_password": "wrong-password", **form})
        assert response.status_code in (200, 429)
    response = client.post("/settings/account/password/", {"old_password": PASSWORD, **form})
    assert response.status_code == 429
    cast.rep_ist.refresh_from_db()
    assert cast.rep_ist.check_password(PASSWORD)
    assert post_login(Client(), "REP_IST", PASSWORD).status_code == 429


def test_the_command_line_finds_users_as_the_login_does(cast: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    make_user("Ayşe")
    out = StringIO()
    call_command("api_token", "AYŞE", stdout=out)
    assert out.getvalue().startswith("vlm_")
