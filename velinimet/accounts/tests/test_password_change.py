"""Changing one's password ends one's other sessions, and revokes one's API tokens when asked."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import PASSWORD
from velinimet.accounts import services
from velinimet.accounts.models import ApiToken

pytestmark = pytest.mark.django_db
NEW = "Cok-guclu-parola-1"


def change(client: Client, **extra: str) -> Any:
    data = {"old_password": PASSWORD, "new_password": NEW, "new_password2": NEW, **extra}
    return client.post("/settings/account/password/", data)


def test_the_form_offers_to_revoke_my_tokens_and_does(cast: Any) -> None:
    services.token_create(actor=cast.rep_ist, user=cast.rep_ist, name="ERP")
    services.token_create(actor=cast.rep_ist, user=cast.rep_ist, name="Telefon")
    services.token_create(actor=cast.rep_baku, user=cast.rep_baku, name="Başkası")
    client, other_session = Client(), Client()
    client.force_login(cast.rep_ist)
    other_session.force_login(cast.rep_ist)
    assert 'name="revoke_tokens"' in client.get("/settings/account/password/").content.decode()

    assert change(client, revoke_tokens="on").status_code == 302
    assert not ApiToken.objects.filter(user=cast.rep_ist, revoked_at__isnull=True).exists()
    assert ApiToken.objects.filter(user=cast.rep_baku, revoked_at__isnull=True).count() == 1
    assert client.get("/").status_code == 200  # this session goes on
    assert other_session.get("/").status_code == 302  # the others end


def test_unticked_the_tokens_keep_working(cast: Any) -> None:
    _token, key = services.token_create(actor=cast.rep_ist, user=cast.rep_ist, name="ERP")
    client = Client()
    client.force_login(cast.rep_ist)
    assert change(client).status_code == 302
    assert ApiToken.objects.get(user=cast.rep_ist).revoked_at is None
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
