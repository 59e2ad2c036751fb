"""Two users cannot share an e-mail address, whatever its case: the form, the API and the database refuse it."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from velinimet.accounts import services
from velinimet.accounts.models import User
from velinimet.core.exceptions import Conflict

from .factories import UserFactory

pytestmark = pytest.mark.django_db
unique_email = importlib.import_module("velinimet.accounts.migrations.0003_user_email_unique")


def test_a_second_user_with_the_same_address_in_another_case_is_refused(cast: Any) -> None:
    UserFactory(actor=cast.admin, username="ayse", email="Ayse.Kaya@Firma.com.tr")
    with pytest.raises(Conflict) as refused:
        UserFactory(actor=cast.admin, username="ayse2", email="ayse.kaya@FIRMA.COM.TR")
    assert refused.value.code == "duplicate_email" and "email" in refused.value.errors
    assert not User.objects.filter(username="ayse2").exists()


def test_changing_an_address_to_anothers_is_refused_and_keeping_ones_own_is_not(cast: Any) -> None:
    services.user_update(actor=cast.admin, user=cast.rep_ist, email="rep@firma.com.tr")
    with pytest.raises(Conflict):
        services.user_update(actor=cast.admin, user=cast.rep_baku, email="REP@firma.com.tr")
    services.user_update(actor=cast.admin, user=cast.rep_ist, email="Rep@firma.com.tr", first_name="Ali")
    cast.rep_ist.refresh_from_db()
    assert (cast.rep_ist.email, cast.rep_ist.first_name) == ("Rep@firma.com.tr", "Ali")


def test_many_users_may_have_no_address(cast: Any) -> None:
    UserFactory(actor=cast.admin, username="bos1", email="")
    UserFactory(actor=cast.admin, username="bos2", email="")
    assert User.objects.filter(email="").count() >= 7


def test_the_database_refuses_a_shared_address_written_past_the_services(cast: Any) -> None:
    User.objects.filter(pk=cast.rep_ist.pk).update(email="ortak@firma.com.tr")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=cast.rep_baku.pk).update(email="ORTAK@firma.com.tr")


def test_the_user_form_says_which_field_and_why(cast: Any) -> None:
    services.user_update(actor=cast.admin, user=cast.rep_ist, email="rep@firma.com.tr")
    client = Client()
    client.force_login(cast.admin)
    response = client.post(
        "/settings/users/new/",
        {"username": "yeni", "email": "REP@firma.com.tr", "language": "tr", "time_zone": "Europe/Istanbul",
         "password": "Uzun-Parola-2026", "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["email"] == ["Bu e-posta adresi başka bir kullanıcıya ait."]  # the administrator's Turkish
    assert not User.objects.filter(username="yeni").exists()


def test_the_api_answers_409_with_the_field(cast: Any, api: Any) -> None:
    services.user_update(actor=cast.admin, user=cast.rep_ist, email="rep@firma.com.tr")
    response = api(cast.admin).patch(f"/api/v1/users/{cast.rep_baku.pk}/", {"email": "Rep@Firma.com.tr"}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "duplicate_email" and list(body["errors"]) == ["email"]


@pytest.mark.django_db(transaction=True)
def test_the_migration_stops_with_the_users_that_share_an_address() -> None:
    before = [("accounts", "0002_default_roles")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    OldUser = old.get_model("accounts", "User")
    OldUser.objects.create(username="ayse", email="Ayse@firma.com.tr")
    OldUser.objects.create(username="ayse.k", email="ayse@FIRMA.com.tr")
    OldUser.objects.create(username="ali", email="ali@firma.com.tr")
    with pytest.raises(RuntimeError, match=r"ayse@firma\.com\.tr: ayse, ayse\.k"):
        unique_email.refuse_shared_addresses(old, None)
    OldUser.objects.filter(username="ayse.k").update(email="")
    leaves = MigrationExecutor(connection)
    leaves.migrate(leaves.loader.graph.leaf_nodes())  # every app back to its latest (others depend on these)
    assert User.objects.filter(email="").count() == 1
