"""Customer services: validation, duplicates, optimistic locking, consents, search, caller lookup."""

from __future__ import annotations

from typing import Any

import pytest

from velinimet.core.exceptions import DomainError, NotAllowed
from velinimet.core.models import AuditEntry
from velinimet.core.search import search
from velinimet.customers import services
from velinimet.customers.exceptions import DuplicateFound, EditConflict
from velinimet.customers.models import Company, Consent, CustomField, Person, Phone
from velinimet.customers.selectors.caller import caller_lookup
from velinimet.customers.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
P = services.PhoneIn
E = services.EmailIn


def make_person(actor: Any, first: str = "Şükrü", last: str = "Öztürk", **kw: Any) -> Person:
    return PersonFactory(actor=actor, first_name=first, last_name=last, **kw)


def test_person_is_stored_normalised_with_a_number_and_audited(cast: Any) -> None:
    person = services.person_create(
        actor=cast.rep_ist,
        first_name="  Şükrü ",
        last_name="Öztürk",
        phones=[P("0532 123 45 67")],
        emails=[E("Sukru@Example.COM")],
        tckn="10000000146",
        tags=["VIP", "vip "],
    )
    assert person.first_name == "Şükrü"
    assert person.search_key == "sukru ozturk"
    assert person.customer_number.startswith("M")
    assert person.owner == cast.rep_ist and person.team == cast.istanbul
    assert list(person.phones.values_list("e164", "national")) == [("+905321234567", "0532 123 45 67")]
    assert person.emails.get().address == "Sukru@example.com"
    assert [t.name for t in person.tags.all()] == ["VIP"]
    assert AuditEntry.objects.filter(object_id=str(person.pk), action="create").exists()


def test_all_field_errors_are_reported_at_once_and_nothing_is_saved(cast: Any) -> None:
    with pytest.raises(DomainError) as exc:
        services.person_create(
            actor=cast.rep_ist,
            first_name="",
            phones=[P("12")],
            emails=[E("x@")],
            tckn="12345678901",
            iban="TR00",
            birth_date="2999-01-01",
        )
    assert set(exc.value.errors) == {"first_name", "phones.0.number", "emails.0.address", "tckn", "iban", "birth_date"}
    assert not Person.objects.exists() and not Phone.objects.exists()


def test_duplicates_are_found_by_phone_email_identity_and_name_in_city(cast: Any) -> None:
    original = make_person(
        cast.rep_ist,
        phones=[P("0532 123 45 67")],
        emails=[E("a@b.com")],
        tckn="10000000146",
        addresses=[services.AddressIn(city="İstanbul")],
    )
    cases = [
        {"first_name": "X", "phones": [P("+90 532 123 4567")]},
        {"first_name": "X", "emails": [E("A@B.COM")]},
        {"first_name": "X", "tckn": "10000000146"},
        {"first_name": "SUKRU", "last_name": "OZTURK", "addresses": [services.AddressIn(city="ISTANBUL")]},
        {"first_name": "Öztürk", "last_name": "Şükrü", "addresses": [services.AddressIn(city="istanbul")]},
    ]
    for data in cases:
        with pytest.raises(DuplicateFound) as exc:
            services.person_create(actor=cast.rep_ist, **data)
        assert [c["id"] for c in exc.value.candidates] == [original.pk]
        assert exc.value.candidates[0]["reasons"]
    assert Person.objects.count() == 1
    services.person_create(
        actor=cast.rep_ist, first_name="Şükrü", last_name="Öztürk", addresses=[services.AddressIn(city="Ankara")]
    )  # same name elsewhere: not a duplicate


def test_duplicate_the_user_cannot_see_is_reported_without_details(cast: Any) -> None:
    make_person(cast.rep_baku, emails=[E("gizli@example.az")])
    with pytest.raises(DuplicateFound) as exc:
        services.person_create(actor=cast.rep_ist, first_name="Yeni", emails=[E("gizli@example.az")])
    candidate = exc.value.candidates[0]
    assert candidate["visible"] is False and candidate["id"] is None and "gizli" not in str(candidate["title"])
    assert "gizli" not in str(candidate["reasons"])  # the stored e-mail is not echoed either


def test_second_save_of_a_stale_version_is_refused(cast: Any) -> None:
    person = make_person(cast.rep_ist)
    opened = person.version
    services.person_update(actor=cast.rep_ist, person=person, version=opened, title="Dr.")
    with pytest.raises(EditConflict):
        services.person_update(actor=cast.rep_ist, person=person, version=opened, title="Av.")
    person.refresh_from_db()
    assert person.title == "Dr."


def test_update_replaces_phones_and_audits_old_and_new(cast: Any) -> None:
    person = make_person(cast.rep_ist, phones=[P("0532 123 45 67")])
    services.person_update(actor=cast.rep_ist, person=person, phones=[P("0533 765 43 21")])
    assert list(person.phones.values_list("e164", flat=True)) == ["+905337654321"]
    entry = AuditEntry.objects.filter(object_id=str(person.pk), action="update").latest("id")
    assert entry.changes["phones"] == [["+905321234567"], ["+905337654321"]]


def test_rep_cannot_change_or_assign_someone_elses_person(cast: Any) -> None:
    person = make_person(cast.manager)
    with pytest.raises(NotAllowed):
        services.person_update(actor=cast.rep_ist, person=person, title="x")
    with pytest.raises(NotAllowed):
        services.records_assign(actor=cast.rep_ist, records=[person], owner=cast.rep_ist)
    assert services.records_assign(actor=cast.manager, records=[person], owner=cast.rep_baku) == 1
    person.refresh_from_db()
    assert (person.owner, person.team) == (cast.rep_baku, cast.baku)


def test_rep_cannot_create_records_for_another_team(cast: Any) -> None:
    with pytest.raises(NotAllowed):
        services.person_create(actor=cast.rep_ist, first_name="X", owner=cast.rep_baku)
    with pytest.raises(NotAllowed):
        services.person_create(actor=cast.reader, first_name="X")


def test_consent_history_is_kept_and_latest_wins(cast: Any) -> None:
    from velinimet.customers.selectors import consent_in_force

    person = make_person(cast.rep_ist)
    services.consent_record(
        actor=cast.rep_ist, person=person, channel="sms", status="granted", source="web", kvkk_text_version="v1"
    )
    services.consent_record(actor=cast.rep_ist, person=person, channel="sms", status="refused", source="call")
    assert Consent.objects.filter(person=person).count() == 2
    assert consent_in_force(person)["sms"].status == "refused"
    with pytest.raises(DomainError):
        services.consent_record(actor=cast.rep_ist, person=person, channel="pigeon", status="granted")


def test_custom_fields_are_validated_and_required(cast: Any) -> None:
    CustomField.objects.create(
        record_type="person", key="segment", label="Segment", kind="choice", choices=["A", "B"], required=True
    )
    CustomField.objects.create(record_type="person", key="limit", label="Limit", kind="number")
    with pytest.raises(DomainError) as exc:
        services.person_create(actor=cast.rep_ist, first_name="X", custom={"limit": "abc", "nope": 1})
    assert set(exc.value.errors) == {"custom.segment", "custom.limit", "custom.nope"}
    person = services.person_create(
        actor=cast.rep_ist, first_name="X", custom={"segment": "A", "limit": "1.500,5".replace(".", "")}
    )
    assert person.custom == {"segment": "A", "limit": 1500.5}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sukru", "Şükrü Öztürk"),
        ("ŞÜKRÜ", "Şükrü Öztürk"),
        ("öztürk", "Şükrü Öztürk"),
        ("ozt", "Şükrü Öztürk"),
        ("ISIK", "Işık Doğan"),
        ("işık", "Işık Doğan"),
        ("0532 123 45 67", "Şükrü Öztürk"),
        ("+90 (532) 1234567", "Şükrü Öztürk"),
        ("5321234567", "Şükrü Öztürk"),
        ("sukru@example.com", "Şükrü Öztürk"),
        ("memmed", "Əli Məmmədov"),
        ("istanbul", "İSTANBUL GIDA A.Ş."),
        ("10000000146", "Şükrü Öztürk"),
        ("100-000-001-46", "Şükrü Öztürk"),
        ("100.000.001.46", "Şükrü Öztürk"),
        ("SUKRU@EXAMPLE.COM", "Şükrü Öztürk"),
        ("İSTANBUL GIDA", "İSTANBUL GIDA A.Ş."),
    ],
)
def test_global_search_folds_and_matches_identifiers(cast: Any, query: str, expected: str) -> None:
    make_person(cast.rep_ist, phones=[P("0532 123 45 67")], emails=[E("sukru@example.com")], tckn="10000000146")
    make_person(cast.rep_ist, "Işık", "Doğan")
    make_person(cast.rep_ist, "Əli", "Məmmədov")
    services.company_create(actor=cast.rep_ist, name="İSTANBUL GIDA A.Ş.", force=True)
    titles = [hit.title for _provider, hits in search(cast.rep_ist, query) for hit in hits]
    assert expected in titles


def test_search_ranks_exact_before_prefix_before_contains(cast: Any) -> None:
    make_person(cast.admin, "Ali", "Veli")  # contains "ali" inside a word? no: prefix of the first word
    make_person(cast.admin, "Ali", "")  # exact
    make_person(cast.admin, "Hali", "Tekin")  # contains
    people = [h.title for p, hits in search(cast.admin, "ali") for h in hits if p.type == "person"]
    assert people == ["Ali", "Ali Veli", "Hali Tekin"]


def test_search_respects_visibility(cast: Any) -> None:
    make_person(cast.rep_baku, "Gizli", "Kişi")
    assert not [h for _p, hits in search(cast.rep_ist, "gizli") for h in hits]
    assert [h for _p, hits in search(cast.manager, "gizli") for h in hits]


def test_caller_lookup_any_format_and_visibility(cast: Any) -> None:
    person = make_person(cast.rep_ist, phones=[P("0532 123 45 67")])
    company = services.company_create(actor=cast.rep_ist, name="Firma", phones=[P("0212 345 67 89")], force=True)
    assert caller_lookup(cast.rep_ist, "+90 532 123 4567") == person
    assert caller_lookup(cast.rep_ist, "02123456789") == company
    assert caller_lookup(cast.rep_baku, "05321234567") is None  # another team's customer
    assert caller_lookup(cast.rep_ist, "not a number") is None


def test_deleted_records_leave_search_and_lists(cast: Any) -> None:
    person = make_person(cast.rep_ist, "Silinecek", "Kişi")
    services.record_delete(actor=cast.manager, record=person)
    assert not [h for _p, hits in search(cast.manager, "silinecek") for h in hits]
    services.record_restore(actor=cast.manager, record=person)
    assert [h for _p, hits in search(cast.manager, "silinecek") for h in hits]


def test_company_vkn_voen_are_validated(cast: Any) -> None:
    with pytest.raises(DomainError) as exc:
        services.company_create(actor=cast.rep_ist, name="X", vkn="1234567891", voen="12")
    assert {"vkn", "voen"} <= set(exc.value.errors)
    company = services.company_create(actor=cast.rep_ist, name="X", vkn="1234567890", voen="1400057421")
    assert Company.objects.get(pk=company.pk).vkn == "1234567890"


def test_card_numbers_are_unique_and_searchable(cast: Any) -> None:
    make_person(cast.rep_ist, card_numbers=["VLM-0001"])
    with pytest.raises(DomainError):
        services.person_create(actor=cast.rep_ist, first_name="B", card_numbers=["VLM-0001"], force=True)
    assert [h.title for _p, hits in search(cast.rep_ist, "VLM-0001") for h in hits] == ["Şükrü Öztürk"]
    with pytest.raises(DomainError):  # the same card written in lower case
        services.person_create(actor=cast.rep_ist, first_name="B", card_numbers=["vlm-0001"], force=True)
    make_person(cast.rep_ist, "Kart", "Sahibi", card_numbers=["abc-12345"])
    assert [h.title for _p, hits in search(cast.rep_ist, "abc-12345") for h in hits] == ["Kart Sahibi"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("po", "Şükrü Polat"), ("uc", "Ayşe Uçar"), ("ş", "Şükrü Polat"), ("a u", "Ayşe Uçar"), ("PO", "Şükrü Polat")],
)
def test_one_and_two_letter_searches_match_the_start_of_any_word(cast: Any, query: str, expected: str) -> None:
    make_person(cast.admin, "Şükrü", "Polat")
    make_person(cast.admin, "Ayşe", "Uçar")
    make_person(cast.admin, "Kaplan", "Opuz")  # "po" inside a word does not count
    titles = [h.title for p, hits in search(cast.admin, query) for h in hits if p.type == "person"]
    assert expected in titles
    if query.lower() == "po":
        assert "Kaplan Opuz" not in titles


def test_frequent_words_take_the_planners_path_with_the_same_answers(cast: Any, monkeypatch: Any) -> None:
    """On PostgreSQL a word its statistics call common ("yılmaz", "oz") is matched by one condition the
    planner may scan; the answers (visibility, word prefixes, ranking) must not change. SQLite never
    takes that path."""
    from django.db import connection

    from velinimet.core import fulltext

    make_person(cast.rep_ist, "Ahmet", "Yılmaz")
    make_person(cast.rep_ist, "Ozan", "Yıldız")
    make_person(cast.rep_ist, "Deniz", "Poyraz")  # "oz" inside a word: not a word prefix
    make_person(cast.rep_baku, "Gizli", "Yılmaz")  # another team's
    monkeypatch.setattr(fulltext, "_word_stats", lambda qs: {"yilmaz": 0.02, "ozan": 0.01, "ozturk": 0.01})
    people = Person.objects.all()
    assert fulltext.common_word_prefixes(people, ["yilmaz"]) is (connection.vendor == "postgresql")
    assert not fulltext.common_word_prefixes(people, ["zzz"])
    titles = [h.title for _p, hits in search(cast.rep_ist, "yılmaz") for h in hits]
    assert titles == ["Ahmet Yılmaz"]
    titles = [h.title for _p, hits in search(cast.rep_ist, "oz") for h in hits]
    assert titles == ["Ozan Yıldız"]  # two letters: word prefixes only
    if connection.vendor == "postgresql":
        matched = fulltext.word_prefix_match(people, ["yil", "ahm"])
        assert [p.first_name for p in matched] == ["Ahmet"]


def test_a_value_longer_than_its_column_is_that_fields_error(cast: Any) -> None:
    with pytest.raises(DomainError) as exc:
        services.person_create(
            actor=cast.rep_ist,
            first_name="A" * 101,
            addresses=[services.AddressIn(city="İstanbul", street="S" * 201)],
        )
    assert set(exc.value.errors) == {"first_name", "addresses.0.street"}
    assert not Person.objects.exists()


def test_an_e_mail_typed_with_turkish_capitals_is_found(cast: Any) -> None:
    make_person(cast.rep_ist, "Ali", "Kaya", emails=[E("ALİ@İSTANBUL.COM")])
    for query in ("ALİ@İSTANBUL.COM", "ali@istanbul.com", "ALİ@istanbul.com"):
        assert [h.title for _p, hits in search(cast.rep_ist, query) for h in hits] == ["Ali Kaya"], query
