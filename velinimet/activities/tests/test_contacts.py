"""Contact-frequency rules and the customers due under them (My day's "whom to call or visit")."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation

from velinimet.activities import contacts, services
from velinimet.activities.models import Activity, DueContact
from velinimet.core.exceptions import DomainError, NotAllowed
from velinimet.customers import services as customers
from velinimet.customers.models import Company, Person
from velinimet.customers.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _aged(record: Any, days: int) -> None:
    type(record).objects.filter(pk=record.pk).update(created_at=timezone.now() - datetime.timedelta(days=days))


def _contact(actor: Any, person: Person, kind: str, days_ago: int) -> Activity:
    return services.activity_log(
        actor=actor,
        person=person,
        kind=kind,
        subject=f"{kind} {days_ago}",
        occurred_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


@pytest.fixture
def rules(cast: Any) -> tuple[Any, Any]:
    key = contacts.contact_rule_create(
        actor=cast.admin,
        name="Kilit müşteriler",
        match="tag",
        value="Kilit Müşteri",
        every_days=14,
        kinds=["visit", "call"],
        order=10,
    )
    rest = contacts.contact_rule_create(actor=cast.admin, name="Herkes", match="everyone", every_days=90, order=20)
    return key, rest


def test_each_customer_follows_the_first_rule_that_applies(cast: Any, rules: tuple[Any, Any]) -> None:
    key_rule, rest_rule = rules
    vip = PersonFactory(actor=cast.rep_ist, first_name="Şükrü", last_name="Öztürk", tags=["kilit müşteri"])
    mailed = PersonFactory(actor=cast.rep_ist, first_name="Ayla", last_name="Kaya", tags=["Kilit Müşteri"])
    fresh = PersonFactory(actor=cast.rep_ist, first_name="Eda", last_name="Su", tags=["Kilit Müşteri"])
    quiet = PersonFactory(actor=cast.rep_baku, first_name="Rəşad", last_name="Əliyev")
    new = PersonFactory(actor=cast.rep_baku, first_name="Yeni", last_name="Müşteri")
    firm = customers.company_create(actor=cast.rep_ist, name="Xəzər MMC")
    for record in (vip, mailed, fresh, quiet, firm):
        _aged(record, 400)
    _contact(cast.rep_ist, vip, "visit", 20)  # 6 days past its 14
    _contact(cast.rep_ist, mailed, "email", 2)  # an e-mail does not count for key accounts
    _contact(cast.rep_ist, mailed, "call", 30)
    _contact(cast.rep_ist, fresh, "call", 3)  # in time
    _contact(cast.rep_baku, quiet, "sms", 100)  # everyone else: 90 days, any kind: 10 over

    counts = contacts.contacts_compute()
    assert counts == {"rules": 2, "due": 4}
    due = {(d.person_id or d.company_id, d.rule_id): d for d in DueContact.objects.all()}
    assert set(due) == {
        (vip.pk, key_rule.pk),
        (mailed.pk, key_rule.pk),
        (quiet.pk, rest_rule.pk),
        (firm.pk, rest_rule.pk),
    }
    assert due[(vip.pk, key_rule.pk)].days_overdue == 6 and due[(quiet.pk, rest_rule.pk)].days_overdue == 10
    assert due[(mailed.pk, key_rule.pk)].days_overdue == 16  # its last call, not the e-mail
    assert due[(firm.pk, rest_rule.pk)].last_contact_at is None  # never contacted: due from when it was added
    assert not DueContact.objects.filter(person=new).exists()  # added today: not due yet

    listed, total = contacts.due_contacts(cast.rep_ist)
    assert [d.person_id or d.company_id for d in listed] == [firm.pk, mailed.pk, vip.pk] and total == 3
    _contact(cast.rep_ist, vip, "call", 0)  # a call takes the customer off the list at once
    assert contacts.due_contacts(cast.rep_ist)[1] == 2
    assert contacts.due_contacts(cast.manager, team=True)[1] == 3  # the manager's team view sees Bakı's too


def test_my_day_lists_whom_to_contact_and_the_rules_page_computes(
    cast: Any, rules: Any, django_capture_on_commit_callbacks: Any
) -> None:
    vip = PersonFactory(actor=cast.rep_ist, first_name="Şükrü", last_name="Öztürk", tags=["Kilit Müşteri"])
    _aged(vip, 30)
    admin = Client()
    admin.force_login(cast.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post("/activities/rules/compute/")
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    assert DueContact.objects.filter(person=vip).exists()  # the job ran (its task runs at once in tests)
    from velinimet.core.models import Job

    job = Job.objects.get(kind="activities.contacts_due")
    assert job.state == "succeeded" and job.result == {"rules": 2, "due": 1} and job.done == job.total == 4
    assert admin.get(response["Location"]).status_code == 200
    rep = Client()
    rep.force_login(cast.rep_ist)
    html = rep.get("/").content.decode()  # My day is the rep's start page
    section = html[html.index('id="due-contacts"') :]
    assert f'href="/customers/people/{vip.pk}/"' in section and "Kilit müşteriler" in section
    assert rep.post("/activities/rules/compute/").status_code == 403
    assert rep.post("/activities/rules/", {"name": "x", "match": "everyone", "every_days": "5"}).status_code == 403


def test_bad_rules_are_refused_with_reasons(cast: Any) -> None:
    with pytest.raises(NotAllowed):
        contacts.contact_rule_create(actor=cast.manager, name="x", every_days=5)
    with pytest.raises(DomainError) as exc:
        contacts.contact_rule_create(actor=cast.admin, name="", match="tag", value="", every_days=0, kinds=["fax"])
    assert set(exc.value.errors) == {"name", "value", "every_days", "kinds"}
    for match, value in (("custom", "segment"), ("type", "robot"), ("team", "İstanbul")):
        with pytest.raises(DomainError) as exc:
            contacts.contact_rule_create(actor=cast.admin, name="x", match=match, value=value, every_days=5)
        assert set(exc.value.errors) == {"value"}


def test_rules_by_custom_field_type_and_team(cast: Any) -> None:
    from velinimet.customers.services.custom_fields import custom_field_create

    custom_field_create(actor=cast.admin, record_type="person", label="Segment", kind="choice", choices=["A", "B"])
    a = PersonFactory(actor=cast.rep_ist, first_name="A", last_name="Segment", custom={"segment": "A"})
    b = PersonFactory(actor=cast.rep_baku, first_name="B", last_name="Segment", custom={"segment": "B"})
    firm = customers.company_create(actor=cast.rep_ist, name="Firma A.Ş.")
    for record in (a, b, firm):
        _aged(record, 40)
    contacts.contact_rule_create(
        actor=cast.admin, name="Segment A", match="custom", value="segment=A", every_days=30, order=1
    )
    contacts.contact_rule_create(
        actor=cast.admin, name="Şirketler", match="type", value="company", every_days=30, order=2
    )
    contacts.contact_rule_create(
        actor=cast.admin, name="Bakı", match="team", value=str(cast.baku.pk), every_days=60, order=3
    )
    contacts.contacts_compute()
    by_rule = {(d.person_id, d.company_id): d.rule.name for d in DueContact.objects.select_related("rule")}
    assert by_rule == {(a.pk, None): "Segment A", (None, firm.pk): "Şirketler"}  # b: Bakı's 60 days have not passed


def test_the_command_computes_and_reports(cast: Any, rules: Any) -> None:
    out = io.StringIO()
    with translation.override("en"):
        call_command("contacts_due", stdout=out)
    assert "0 customers due under 2 rules" in out.getvalue() and Company.objects.count() == 0


def test_api_manages_contact_rules(cast: Any, api: Any) -> None:
    created = api(cast.admin).post(
        "/api/v1/contact-rules/",
        {"name": "Kilit", "match": "tag", "value": "Kilit Müşteri", "every_days": 14, "kinds": ["visit", "call"]},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["kinds"] == ["visit", "call"]
    bad = api(cast.admin).post(
        "/api/v1/contact-rules/", {"name": "x", "every_days": 0, "kinds": ["fax"]}, format="json"
    )
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"every_days", "kinds"}
    assert api(cast.rep_ist).get("/api/v1/contact-rules/").json()["results"][0]["name"] == "Kilit"
    assert (
        api(cast.rep_ist).post("/api/v1/contact-rules/", {"name": "x", "every_days": 5}, format="json").status_code
        == 403
    )
