"""Records cannot be given to a user who may not change them (a read-only user): one rule
(``accounts.selectors.can_own``) for the owner pickers and every service that sets an owner."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from velinimet.accounts.models import Role
from velinimet.accounts.selectors import assignable_users, can_own
from velinimet.activities import services as activities
from velinimet.core.exceptions import DomainError
from velinimet.customers import services

pytestmark = pytest.mark.django_db


def test_the_rule_a_read_only_user_owns_nothing(cast: Any) -> None:
    assert not can_own(cast.reader, "customers.person")
    assert all(can_own(u, "customers.person") for u in (cast.admin, cast.manager, cast.rep_ist, cast.rep_baku))
    assert not can_own(cast.reader, "activities.activity")
    cast.rep_baku.is_active = False
    assert not can_own(cast.rep_baku, "customers.person")


def test_the_rule_follows_the_roles_levels(cast: Any) -> None:
    services_role = Role.objects.get(slug="read_only")
    services_role.permissions = {"customers.person": {"update": 1}}
    services_role.save()
    cast.reader.refresh_from_db()
    assert can_own(cast.reader, "customers.person") and not can_own(cast.reader, "customers.company")
    assert cast.reader in assignable_users(cast.admin, "customers.person")


def test_the_owner_picker_leaves_out_read_only_users(cast: Any) -> None:
    services.person_create(actor=cast.admin, first_name="Aynur", last_name="Kaya", force=True)
    owners = list(assignable_users(cast.admin, "customers.person"))
    assert cast.reader not in owners and cast.rep_ist in owners
    client = Client()
    client.force_login(cast.admin)
    for query in ("rep_ist", "reader"):  # the bulk-assign owner picker asks the owners endpoint
        picker = client.get("/customers/owners/pick/", {"assign": "customers.person", "q": query}).content.decode()
        assert (f'data-value="{cast.rep_ist.pk}"' in picker) == (query == "rep_ist")
        assert f'data-value="{cast.reader.pk}"' not in picker


def test_no_service_gives_a_record_to_a_read_only_user(cast: Any) -> None:
    with pytest.raises(DomainError) as refused:
        services.person_create(actor=cast.admin, first_name="Ali", last_name="Veli", owner=cast.reader, force=True)
    assert refused.value.code == "owner_cannot_own" and "owner" in refused.value.errors
    with pytest.raises(DomainError):
        services.company_create(actor=cast.admin, name="Okur A.Ş.", owner=cast.reader, force=True)
    person = services.person_create(actor=cast.admin, first_name="Ali", last_name="Veli", force=True)
    with pytest.raises(DomainError):
        services.records_assign(actor=cast.admin, records=[person], owner=cast.reader)
    with pytest.raises(DomainError):
        services.person_update(actor=cast.admin, person=person, owner=cast.reader)
    with pytest.raises(DomainError):
        activities.activity_log(actor=cast.admin, person=person, owner=cast.reader, kind="call", subject="Arama")
    person.refresh_from_db()
    assert person.owner == cast.admin


def test_the_api_answers_400_naming_the_owner_field(cast: Any, api: Any) -> None:
    response = api(cast.admin).post(
        "/api/v1/people/", {"first_name": "Ali", "last_name": "Veli", "owner": cast.reader.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "owner_cannot_own" and "owner" in response.json()["errors"]


def test_bulk_assign_to_a_read_only_user_is_refused_with_a_message(cast: Any) -> None:
    person = services.person_create(actor=cast.admin, first_name="Ali", last_name="Veli", force=True)
    client = Client()
    client.force_login(cast.admin)
    response = client.post(
        "/customers/person/bulk/", {"ids": [person.pk], "action": "assign", "owner": cast.reader.pk}, follow=True
    )
    # the owner picker offers no read-only user, and one typed in by hand is refused by name
    assert f"Seçebileceğiniz “{cast.reader.pk}” adlı bir kullanıcı yok." in response.content.decode()
    person.refresh_from_db()
    assert person.owner == cast.admin
