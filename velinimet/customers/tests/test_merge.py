"""Merging duplicates and undoing it; the duplicate finder job."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from velinimet.core.exceptions import DomainError, NotAllowed
from velinimet.core.models import AuditEntry, Job
from velinimet.customers import services
from velinimet.customers.models import Consent, DuplicatePair, Employment, Person, Phone
from velinimet.customers.services.finder import duplicates_find_start
from velinimet.customers.services.merge import merge_undo, records_merge

pytestmark = pytest.mark.django_db
P, E = services.PhoneIn, services.EmailIn


@pytest.fixture
def pair(cast: Any) -> tuple[Person, Person]:
    company = services.company_create(actor=cast.rep_ist, name="Anadolu Gıda", force=True)
    a = services.person_create(
        actor=cast.rep_ist,
        first_name="Şükrü",
        last_name="Öztürk",
        title="Müdür",
        phones=[P("0532 123 45 67")],
        tags=["VIP"],
        company=company,
        force=True,
    )
    b = services.person_create(
        actor=cast.rep_ist,
        first_name="Sukru",
        last_name="Ozturk",
        tckn="10000000146",
        phones=[P("0533 111 22 33")],
        emails=[E("sukru@example.com")],
        tags=["bayi"],
        company=company,
        force=True,
    )
    services.consent_record(actor=cast.rep_ist, person=b, channel="email", status="granted", source="web")
    return a, b


def test_merge_moves_everything_and_keeps_chosen_values(cast: Any, pair: tuple[Person, Person]) -> None:
    a, b = pair
    merge = records_merge(actor=cast.rep_ist, survivor=a, other=b, choices={"tckn": "other", "title": "survivor"})
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.tckn == "10000000146" and a.title == "Müdür" and a.first_name == "Şükrü"
    assert sorted(a.phones.values_list("e164", flat=True)) == ["+905321234567", "+905331112233"]
    assert a.emails.get().address == "sukru@example.com"
    assert sorted(t.name for t in a.tags.all()) == ["VIP", "bayi"]
    assert Consent.objects.get().person == a
    assert Employment.objects.filter(person=a).count() == 1  # same company: not doubled
    assert b.deleted_at is not None and b.merged_into == a
    assert AuditEntry.objects.filter(object_id=str(a.pk), code__startswith="customers.person.merged").exists()
    assert merge.moved


def test_undo_restores_both_records(cast: Any, pair: tuple[Person, Person]) -> None:
    a, b = pair
    merge = records_merge(actor=cast.rep_ist, survivor=a, other=b, choices={"tckn": "other", "first_name": "other"})
    merge_undo(actor=cast.rep_ist, merge=merge)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.first_name, a.tckn, a.search_key) == ("Şükrü", "", "sukru ozturk")
    assert b.deleted_at is None and b.merged_into is None
    assert list(b.phones.values_list("e164", flat=True)) == ["+905331112233"]
    assert [t.name for t in a.tags.all()] == ["VIP"]
    assert Consent.objects.get().person == b
    with pytest.raises(DomainError):
        merge_undo(actor=cast.rep_ist, merge=merge)


def test_merge_refused_without_edit_rights_or_for_same_record(cast: Any, pair: tuple[Person, Person]) -> None:
    a, b = pair
    with pytest.raises(NotAllowed):
        records_merge(actor=cast.reader, survivor=a, other=b)
    with pytest.raises(DomainError):
        records_merge(actor=cast.rep_ist, survivor=a, other=a)
    with pytest.raises(DomainError):
        records_merge(actor=cast.rep_ist, survivor=a, other=b, choices={"password": "other"})
    assert Person.objects.filter(deleted_at__isnull=True).count() == 2


def test_merge_screen_and_undo_button(cast: Any, pair: tuple[Person, Person]) -> None:
    a, b = pair
    client = Client()
    client.force_login(cast.rep_ist)
    page = client.get(f"/customers/merge/person/{a.pk}/{b.pk}/")
    assert page.status_code == 200 and "10000000146" in page.content.decode()
    done = client.post(f"/customers/merge/person/{a.pk}/{b.pk}/", {"survivor": a.pk, "choice:tckn": b.pk})
    assert done.status_code == 302
    detail = client.get(f"/customers/people/{a.pk}/").content.decode()
    assert "0533 111 22 33" in detail and "/undo/" in detail
    outsider = Client()
    outsider.force_login(cast.rep_baku)
    assert outsider.get(f"/customers/merge/person/{a.pk}/{b.pk}/").status_code == 404


def test_merge_api(cast: Any, api: Any, pair: tuple[Person, Person]) -> None:
    a, b = pair
    client = api(cast.rep_ist)
    response = client.post(
        f"/api/v1/people/{a.pk}/merge/", {"other": b.pk, "choices": {"tckn": "other"}}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["record"]["tckn"] == "10000000146"
    undo = client.post(f"/api/v1/merges/{response.json()['merge_id']}/undo/")
    assert undo.status_code == 200
    assert Person.objects.filter(deleted_at__isnull=True).count() == 2


def test_duplicate_finder_job_lists_pairs_with_reasons(cast: Any, django_capture_on_commit_callbacks: Any) -> None:
    two = [P("0532 123 45 67"), P("0212 555 12 34", "work")]  # two shared phones are one reason
    services.person_create(actor=cast.rep_ist, first_name="A", phones=two, force=True)
    services.person_create(
        actor=cast.rep_ist, first_name="B", phones=[P("+905321234567"), P("02125551234")], force=True
    )
    services.person_create(
        actor=cast.rep_ist,
        first_name="Ayşe",
        last_name="Kaya",
        force=True,
        addresses=[services.AddressIn(city="İzmir")],
    )
    services.person_create(
        actor=cast.rep_ist,
        first_name="AYSE",
        last_name="KAYA",
        force=True,
        addresses=[services.AddressIn(city="Izmir")],
    )
    services.person_create(actor=cast.rep_baku, first_name="C", phones=[P("0532 123 45 67")], force=True)

    cast.rep_ist.language = "en"  # the job speaks the language of the user who started it
    cast.rep_ist.save()
    with django_capture_on_commit_callbacks(execute=True):
        job = duplicates_find_start(actor=cast.rep_ist, kind="person")
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED, job.error
    pairs = DuplicatePair.objects.filter(job=job).order_by("rank")
    assert job.result["count"] == len(pairs) == 2  # rep_baku's record is invisible to rep_ist
    assert [(p.codes, p.score) for p in pairs] == [(["phone"], 50), (["name_city"], 15)]  # strongest first
    client = Client()
    client.force_login(cast.rep_ist)
    html = client.get("/customers/duplicates/?kind=person").content.decode()
    assert "/customers/merge/person/" in html
    assert Phone.objects.count() == 5  # the finder changes nothing


def test_kvkk_export_and_erasure(cast: Any, api: Any, pair: tuple[Person, Person]) -> None:
    a, _b = pair
    services.person_update(actor=cast.rep_ist, person=a, notes="Sever: kahve")
    exported = api(cast.manager).get(f"/api/v1/people/{a.pk}/kvkk-export/")
    assert exported.status_code == 200
    body = exported.json()
    assert body["person"]["first_name"] == "Şükrü" and body["phones"][0]["number"] == "+905321234567"
    assert any(h["action"] == "create" for h in body["history"])
    times = [body["generated_at"], *(h["at"] for h in body["history"])]
    assert all(at.endswith("+03:00") for at in times), times  # the reader's time zone, as on every screen
    assert api(cast.rep_ist).get(f"/api/v1/people/{a.pk}/kvkk-export/").status_code == 403  # reps may not export
    assert api(cast.manager).post(f"/api/v1/people/{a.pk}/kvkk-erase/", {}, format="json").status_code == 400
    erased = api(cast.manager).post(f"/api/v1/people/{a.pk}/kvkk-erase/", {"reason": "Başvuru 2026/17"}, format="json")
    assert erased.status_code == 204
    a.refresh_from_db()
    assert a.first_name == "[erased]" and a.search_key == "" and a.deleted_at is not None
    assert not a.phones.exists() and a.notes == ""
    for entry in (
        AuditEntry.objects.filter(object_id=str(a.pk), content_type__model="person")
        .exclude(code__startswith="customers.person.kvkk")
        .exclude(code="customers.person.erased")
    ):
        assert "Şükrü" not in str(entry.changes) and "kahve" not in str(entry.changes)
    logged = AuditEntry.objects.get(object_id=str(a.pk), code="customers.person.erased")
    with translation.override("en"):
        assert logged.text == "KVKK erasure: Başvuru 2026/17"


def test_erasure_after_a_merge_cannot_be_undone_and_erases_the_twin(cast: Any, pair: tuple[Person, Person]) -> None:
    from velinimet.customers.models import Merge
    from velinimet.customers.services.kvkk import person_erase

    a, b = pair
    records_merge(actor=cast.manager, survivor=a, other=b, choices={"tckn": "other"})
    person_erase(actor=cast.manager, person=a, reason="Başvuru 2026/18")
    b.refresh_from_db()
    assert b.first_name == "[erased]" and b.tckn == "" and not b.phones.exists()
    assert not Merge.objects.exists()
    consent_entries = AuditEntry.objects.filter(content_type__model="consent")
    assert all("web" not in str(e.changes) for e in consent_entries)


def test_merge_cannot_assign_what_the_user_may_not_assign(cast: Any) -> None:
    """Taking the other record's owner or team is an assignment: it needs the assign right, like an edit."""
    from velinimet.accounts.models import Role, User

    agent = User.objects.create(username="servis", role=Role.objects.get(slug="service_agent"), team=cast.istanbul)
    mine = services.person_create(actor=cast.rep_ist, first_name="Ayla", last_name="Kaya", force=True)
    theirs = services.person_create(actor=cast.rep_baku, first_name="Ayla", last_name="Kaya", force=True)
    with pytest.raises(NotAllowed):
        records_merge(actor=agent, survivor=mine, other=theirs, choices={"owner": "other", "team": "other"})
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.owner, mine.team, theirs.deleted_at) == (cast.rep_ist, cast.istanbul, None)
    records_merge(actor=agent, survivor=mine, other=theirs, choices={"last_name": "other"})  # no assignment: fine
    merged = services.person_create(actor=cast.rep_baku, first_name="Ayla", last_name="Kaya", force=True)
    records_merge(actor=cast.manager, survivor=mine, other=merged, choices={"owner": "other"})  # may assign
    mine.refresh_from_db()
    assert mine.owner == cast.rep_baku


def test_undo_gives_moved_rows_their_primary_flag_back(cast: Any, pair: tuple[Person, Person]) -> None:
    a, b = pair
    services.person_update(actor=cast.rep_ist, person=b, addresses=[services.AddressIn(city="Bursa")])
    merge = records_merge(actor=cast.rep_ist, survivor=a, other=b)
    assert not a.addresses.filter(is_primary=True).exists() or a.addresses.count() == 1
    merge_undo(actor=cast.rep_ist, merge=merge)
    assert list(b.addresses.values_list("city", "is_primary")) == [("Bursa", True)]
    assert list(b.phones.values_list("is_primary", flat=True)) == [True]
    assert list(b.emails.values_list("is_primary", flat=True)) == [True]


def test_merge_message_names_the_survivor_as_it_is_now(cast: Any, pair: tuple[Person, Person]) -> None:
    a, b = pair
    client = Client()
    client.force_login(cast.rep_ist)
    done = client.post(
        f"/customers/merge/person/{a.pk}/{b.pk}/", {"survivor": a.pk, "choice:first_name": b.pk}, follow=True
    )
    messages = [str(m) for m in done.context["messages"]]
    assert any("Sukru Öztürk" in m for m in messages), messages


def test_undo_after_the_survivors_contacts_were_saved_is_refused_not_silent(
    cast: Any, pair: tuple[Person, Person]
) -> None:
    a, b = pair
    merge = records_merge(actor=cast.rep_ist, survivor=a, other=b)
    phones = [P(p.national, p.kind) for p in a.phones.order_by("id")]
    services.person_update(actor=cast.rep_ist, person=a, title="Yeni", phones=phones)  # the edit form sends all lists
    with pytest.raises(DomainError) as exc:
        merge_undo(actor=cast.rep_ist, merge=merge)
    assert exc.value.code == "merge_changed"
    b.refresh_from_db()
    assert b.deleted_at is not None and a.phones.count() == 2  # nothing half-undone


# --- undo keeps the edits made after the merge ------------------------------------------------
def test_undo_keeps_the_edits_made_to_the_survivor_after_the_merge(cast: Any, pair: tuple[Person, Person]) -> None:
    a, b = pair
    merge = records_merge(actor=cast.rep_ist, survivor=a, other=b, choices={"first_name": "other", "tckn": "other"})
    a.refresh_from_db()
    services.person_update(actor=cast.rep_ist, person=a, title="Genel Müdür", custom={})
    a.refresh_from_db()
    merge.refresh_from_db()
    from velinimet.customers.services.merge import merge_later_edits

    assert [(e.field, e.now, e.before) for e in merge_later_edits(merge, a)] == [("title", "Genel Müdür", "Müdür")]
    merge_undo(actor=cast.rep_ist, merge=merge)
    a.refresh_from_db()
    assert a.title == "Genel Müdür"  # the later edit stays
    assert (a.first_name, a.tckn) == ("Şükrü", "")  # what the merge changed goes back


def test_undo_says_before_confirming_which_later_edits_it_keeps(
    cast: Any, api: Any, pair: tuple[Person, Person]
) -> None:
    a, b = pair
    merge = records_merge(actor=cast.rep_ist, survivor=a, other=b)
    a.refresh_from_db()
    services.person_update(actor=cast.rep_ist, person=a, title="Genel Müdür")
    client = Client()
    client.force_login(cast.rep_ist)
    detail = client.get(f"/customers/people/{a.pk}/").content.decode()
    assert f'href="/customers/merges/{merge.pk}/undo/"' in detail  # a link to the confirmation, not a POST
    page = client.get(f"/customers/merges/{merge.pk}/undo/").content.decode()
    assert 'id="later-edits"' in page and "Genel Müdür" in page and "Müdür" in page
    preview = api(cast.rep_ist).get(f"/api/v1/merges/{merge.pk}/undo/").json()
    assert preview == {"kept": [{"field": "title", "now": "Genel Müdür", "before_merge": "Müdür"}], "refused": None}
    assert Person.objects.get(pk=b.pk).deleted_at is not None  # GET changed nothing
    done = api(cast.rep_ist).post(f"/api/v1/merges/{merge.pk}/undo/").json()
    assert done["kept"] == preview["kept"] and Person.objects.get(pk=a.pk).title == "Genel Müdür"


def test_undo_of_a_merge_older_than_the_tracking_refuses_when_the_survivor_changed_since(
    cast: Any, pair: tuple[Person, Person]
) -> None:
    a, b = pair
    merge = records_merge(actor=cast.rep_ist, survivor=a, other=b)
    type(merge).objects.filter(pk=merge.pk).update(survivor_after=None)  # as merges made before 0014
    merge.refresh_from_db()
    a.refresh_from_db()
    services.person_update(actor=cast.rep_ist, person=a, title="Genel Müdür")
    with pytest.raises(DomainError) as refused:
        merge_undo(actor=cast.rep_ist, merge=merge)
    assert refused.value.code == "merge_changed_untracked"
    assert Person.objects.get(pk=a.pk).title == "Genel Müdür"


# --- a merged record's old address points to the survivor -------------------------------------
def test_a_merged_records_page_redirects_and_its_api_names_the_survivor(
    cast: Any, api: Any, pair: tuple[Person, Person]
) -> None:
    a, b = pair
    merge = records_merge(actor=cast.rep_ist, survivor=a, other=b)
    client = Client()
    client.force_login(cast.rep_ist)
    page = client.get(f"/customers/people/{b.pk}/")
    assert page.status_code == 302 and page["Location"] == f"/customers/people/{a.pk}/"
    answer = api(cast.rep_ist).get(f"/api/v1/people/{b.pk}/")
    assert answer.status_code == 404
    assert answer.json()["code"] == "merged" and answer.json()["survivor"] == a.pk
    assert answer.json()["survivor_url"] == f"/customers/people/{a.pk}/"
    assert answer.json()["survivor_api_url"] == f"/api/v1/people/{a.pk}/"
    outsider = Client()
    outsider.force_login(cast.rep_baku)  # may see neither: a plain 404, no survivor named
    assert outsider.get(f"/customers/people/{b.pk}/").status_code == 404
    hidden = api(cast.rep_baku).get(f"/api/v1/people/{b.pk}/")
    assert hidden.status_code == 404 and "survivor" not in hidden.json()
    merge_undo(actor=cast.rep_ist, merge=merge)
    assert client.get(f"/customers/people/{b.pk}/").status_code == 200


def test_a_company_merged_twice_points_to_the_last_survivor(cast: Any) -> None:
    one, two, three = (services.company_create(actor=cast.rep_ist, name=f"Firma {i}", force=True) for i in "ABC")
    records_merge(actor=cast.rep_ist, survivor=two, other=one)
    records_merge(actor=cast.rep_ist, survivor=three, other=two)
    client = Client()
    client.force_login(cast.rep_ist)
    assert client.get(f"/customers/companies/{one.pk}/")["Location"] == f"/customers/companies/{three.pk}/"


# --- keep both notes --------------------------------------------------------------------------
def test_merge_can_keep_both_notes_marked_with_where_each_came_from(
    cast: Any, api: Any, pair: tuple[Person, Person]
) -> None:
    a, b = pair
    services.person_update(actor=cast.rep_ist, person=a, notes="Sever: kahve")
    services.person_update(actor=cast.rep_ist, person=b, notes="Çay içer")
    a.refresh_from_db()
    b.refresh_from_db()
    client = Client()
    client.force_login(cast.rep_ist)
    form = client.get(f"/customers/merge/person/{a.pk}/{b.pk}/").content.decode()
    assert 'name="choice:notes" value="both" checked' in form
    client.post(f"/customers/merge/person/{a.pk}/{b.pk}/", {"survivor": a.pk, "choice:notes": "both"})
    a.refresh_from_db()
    assert a.notes == f"[{a.customer_number} · {a}]\nSever: kahve\n\n[{b.customer_number} · Sukru Ozturk]\nÇay içer"


def test_merge_api_keeps_both_notes_and_refuses_both_elsewhere(
    cast: Any, api: Any, pair: tuple[Person, Person]
) -> None:
    a, b = pair
    services.person_update(actor=cast.rep_ist, person=a, notes="A")
    services.person_update(actor=cast.rep_ist, person=b, notes="B")
    client = api(cast.rep_ist)
    wrong = client.post(f"/api/v1/people/{a.pk}/merge/", {"other": b.pk, "choices": {"title": "both"}}, format="json")
    assert wrong.status_code == 400 and wrong.json()["code"] == "merge_choice"
    done = client.post(f"/api/v1/people/{a.pk}/merge/", {"other": b.pk, "choices": {"notes": "both"}}, format="json")
    assert done.status_code == 200, done.json()
    assert done.json()["record"]["notes"].endswith("\nA\n\n[" + b.customer_number + " · Sukru Ozturk]\nB")


def test_keeping_both_notes_too_long_is_refused_with_a_message(cast: Any, pair: tuple[Person, Person]) -> None:
    a, b = pair
    services.person_update(actor=cast.rep_ist, person=a, notes="a" * 6000)
    services.person_update(actor=cast.rep_ist, person=b, notes="b" * 6000)
    with pytest.raises(DomainError) as refused:
        records_merge(actor=cast.rep_ist, survivor=a, other=b, choices={"notes": "both"})
    assert refused.value.code == "merge_notes_too_long"
    assert Person.objects.get(pk=b.pk).deleted_at is None
