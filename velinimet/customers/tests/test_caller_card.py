"""The caller card (``GET /api/v1/calls/lookup/``): the same card as the ORM reads it, in few statements.

The card is read on every ringing phone (budget p99 ≤ 5 ms), so it is built from one statement for the
record and one for its details; these tests pin its contents to what one ORM query per part gives.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from velinimet.accounts.models import Team
from velinimet.activities.selectors import last_activity
from velinimet.customers import services
from velinimet.customers.models import Company, Consent, Person, Tag
from velinimet.customers.selectors import consent_in_force

pytestmark = pytest.mark.django_db

NUMBER = "+90 532 111 22 33"


def _orm_card(record: Person | Company, user: Any) -> dict[str, Any]:
    """The card the way it used to be read: one ORM query per part."""
    is_person = isinstance(record, Person)
    card: dict[str, Any] = {"type": "person" if is_person else "company", "id": record.pk, "title": str(record)}
    if is_person:
        job = record.employments.select_related("company").order_by("-is_primary", "id").first()
        card["company"] = str(job.company) if job else None
        card["consents"] = {ch: c.status for ch, c in consent_in_force(record).items()}
    else:
        card["company"] = None
    card.update(
        customer_number=record.customer_number,
        owner=str(record.owner),
        phones=[p.national for p in record.phones.order_by("id")],
        emails=[e.address for e in record.emails.order_by("id")],
        tags=[t.name for t in record.tags.all()],
    )
    last = last_activity(user, card["type"], record.pk)
    card["last_activity"] = last and {"kind": last.kind, "subject": last.subject}
    return card


def _compare(body: dict[str, Any], record: Person | Company, user: Any) -> None:
    expected = _orm_card(record, user)
    url = f"/customers/{'people' if isinstance(record, Person) else 'companies'}/{record.pk}/"
    assert body.pop("url") == url
    if body["last_activity"]:
        body["last_activity"] = {k: body["last_activity"][k] for k in ("kind", "subject")}
    assert body == expected


@pytest.fixture
def sukru(cast: Any) -> Person:
    """A person with several of everything, entered out of order, and consents that tie on time."""
    rep = cast.rep_ist
    person = services.person_create(
        actor=rep,
        first_name="Şükrü",
        last_name="Öztürk",
        phones=[
            services.PhoneIn("0212 444 55 66", "work"),
            services.PhoneIn(NUMBER),
            services.PhoneIn("0532 999 88 77"),
        ],
        emails=[services.EmailIn("sukru@example.com"), services.EmailIn("s.ozturk@firma.com.tr")],
        tags=["Zeytin", "ağır", "VIP"],
        force=True,
    )
    plain = services.company_create(actor=rep, name="Anadolu Gıda Sanayi A.Ş.", force=True)
    short = services.company_create(actor=rep, name="Boğaziçi Lojistik Ltd. Şti.", force=True)
    Company.objects.filter(pk=short.pk).update(short_name="Boğaziçi")
    services.employment_set(actor=rep, person=person, company=plain)
    services.employment_set(actor=rep, person=person, company=short, is_primary=True)
    now = timezone.now().replace(microsecond=0)
    for channel, status, days in [
        ("email", "granted", 9),
        ("email", "refused", 2),
        ("sms", "granted", 1),
        ("sms", "refused", 1),  # same moment: the later decision (higher id) is in force
        ("call", "granted", 5),
    ]:
        Consent.objects.create(person=person, channel=channel, status=status, at=now - datetime.timedelta(days=days))
    return person


def test_person_card_matches_the_orm(cast: Any, api: Any, sukru: Person) -> None:
    from velinimet.activities import services as activities

    activities.activity_log(actor=cast.rep_ist, person=sukru, subject="Fiyat sordu", kind="call")
    response = api(cast.manager).get("/api/v1/calls/lookup/", {"number": "0532 111 2233"})
    assert response.status_code == 200
    body = response.json()
    assert body["company"] == "Boğaziçi"
    assert body["consents"] == {"email": "refused", "sms": "refused", "call": "granted"}
    assert body["phones"] == ["(0212) 444 55 66", "0532 111 22 33", "0532 999 88 77"]
    assert body["tags"] == [t.name for t in Tag.objects.order_by("key")]
    assert body["last_activity"]["subject"] == "Fiyat sordu"
    assert body["last_activity"]["at"].endswith("+03:00")  # the manager's time zone, like every other time
    _compare(body, sukru, cast.manager)


def test_company_card_matches_the_orm(cast: Any, api: Any) -> None:
    company = services.company_create(
        actor=cast.rep_ist,
        name="Karadeniz Fındık A.Ş.",
        phones=[services.PhoneIn("0462 321 00 00", "work")],
        emails=[services.EmailIn("info@karadeniz.com.tr")],
        tags=["Toptan"],
        force=True,
    )
    body = api(cast.rep_ist).get("/api/v1/calls/lookup/", {"number": "04623210000"}).json()
    assert "consents" not in body and body["company"] is None and body["last_activity"] is None
    _compare(body, company, cast.rep_ist)


def test_card_of_a_bare_person(cast: Any, api: Any) -> None:
    person = services.person_create(actor=cast.rep_ist, first_name="Ayşe", phones=[services.PhoneIn(NUMBER)])
    body = api(cast.rep_ist).get("/api/v1/calls/lookup/", {"number": NUMBER}).json()
    assert body["company"] is None and body["consents"] == {} and body["tags"] == []
    _compare(body, person, cast.rep_ist)


def test_lookup_statements(cast: Any, api: Any, sukru: Person, django_assert_max_num_queries: Any) -> None:
    """The token with its user and team tree, the person, its details, the last activity: four statements,
    whatever the card holds; an unknown number two (the person and company lookups are one)."""
    client = api(cast.manager)
    client.get("/api/v1/calls/lookup/", {"number": NUMBER})  # the first use of a token also stamps it
    with django_assert_max_num_queries(4):
        assert client.get("/api/v1/calls/lookup/", {"number": NUMBER}).status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get("/api/v1/calls/lookup/", {"number": "0212 999 99 99"}).status_code == 404


def test_lookup_errors_keep_the_api_shape(cast: Any, api: Any, sukru: Person) -> None:
    client = api(cast.rep_baku)  # another team's rep: the caller is not theirs to see
    hidden = client.get("/api/v1/calls/lookup/", {"number": NUMBER})
    assert hidden.status_code == 404 and set(hidden.json()) == {"message", "code", "errors"}
    bad = client.get("/api/v1/calls/lookup/", {"number": " "})
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid" and list(bad.json()["errors"]) == ["number"]
    anonymous = api().get("/api/v1/calls/lookup/", {"number": NUMBER})
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "not_authenticated"
    session = Client()
    session.force_login(cast.rep_ist)
    assert session.get("/api/v1/calls/lookup/", {"number": NUMBER}).json()["id"] == sukru.pk


def test_a_moved_team_is_seen_on_the_next_call(cast: Any, api: Any, sukru: Person) -> None:
    """Nothing about the team tree outlives a request: moving a team changes the next lookup."""
    client = api(cast.manager)
    assert client.get("/api/v1/calls/lookup/", {"number": NUMBER}).status_code == 200
    Team.objects.filter(pk=cast.istanbul.pk).update(parent=None)
    assert client.get("/api/v1/calls/lookup/", {"number": NUMBER}).status_code == 404
    Team.objects.filter(pk=cast.istanbul.pk).update(parent=cast.sales)
    assert client.get("/api/v1/calls/lookup/", {"number": NUMBER}).status_code == 200


def test_a_changed_role_is_seen_on_the_next_call(cast: Any, api: Any, sukru: Person) -> None:
    """The compiled lookup is keyed by the visibility read in the request: a narrower role is not served
    the wider role's statement."""
    client = api(cast.manager)
    assert client.get("/api/v1/calls/lookup/", {"number": NUMBER}).status_code == 200
    role = cast.manager.role
    role.permissions = {"customers.person": {"read": 1}, "customers.company": {"read": 1}}  # own records only
    role.save()
    assert client.get("/api/v1/calls/lookup/", {"number": NUMBER}).status_code == 404
    role.permissions = {}
    role.save()
    assert client.get("/api/v1/calls/lookup/", {"number": NUMBER}).status_code == 200


def test_the_looked_up_record_reads_its_other_fields_on_demand(cast: Any, sukru: Person) -> None:
    """The lookup reads only the card's columns; the rest of the record loads when read, with its owner named."""
    from velinimet.customers.selectors.caller import caller_lookup

    cast.rep_ist.last_name = "Yılmaz"
    cast.rep_ist.save()
    Person.objects.filter(pk=sukru.pk).update(notes="Sabah arayın", title="Dr.")
    record = caller_lookup(cast.manager, NUMBER)
    assert str(record) == "Şükrü Öztürk" and str(record.owner) == "Rep_ist Yılmaz"
    assert (record.notes, record.title, record.team_id) == ("Sabah arayın", "Dr.", cast.istanbul.pk)
    assert record.owner.username == "rep_ist" and record.owner.team_id == cast.istanbul.pk


def test_a_number_shared_by_a_person_and_a_company(cast: Any, api: Any) -> None:
    """The person and company lookups are one statement: the person wins, unless the user may not read
    people, or the person is in the trash; then the company answers."""
    company = services.company_create(
        actor=cast.rep_ist, name="Deniz Lojistik", phones=[services.PhoneIn("0232 444 10 10", "work")], force=True
    )
    person = services.person_create(
        actor=cast.rep_ist, first_name="Selin", last_name="Aydın", phones=[services.PhoneIn("+90 232 444 1010", "work")]
    )
    client = api(cast.manager)
    assert client.get("/api/v1/calls/lookup/", {"number": "02324441010"}).json()["id"] == person.pk
    role = cast.manager.role
    role.permissions = {**role.permissions, "customers.person": {"read": 0}}
    role.save()
    body = client.get("/api/v1/calls/lookup/", {"number": "02324441010"}).json()
    assert (body["type"], body["id"]) == ("company", company.pk)
    role.permissions = {**role.permissions, "customers.person": {"read": 4}}
    role.save()
    services.record_delete(actor=cast.manager, record=person)
    body = client.get("/api/v1/calls/lookup/", {"number": "0 (232) 444-10-10"}).json()
    assert (body["type"], body["id"]) == ("company", company.pk)
