"""The people and companies lists at scale: a cheap record count, "select all" across pages for the bulk
actions (through the list's own FilterSet, confirmed with the count, a job when large), bulk trash, sorting by
last name with keyset pages; and the list, form and screen-pop showing only what the reader may use."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from velinimet.core.exceptions import NotAllowed
from velinimet.core.models import AuditEntry, Job
from velinimet.customers import services
from velinimet.customers.models import Person
from velinimet.customers.selectors import keyset_page, person_list

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def people(actor: Any, count: int, **extra: Any) -> list[Person]:
    return [services.person_create(actor=actor, first_name=f"Kişi{i:02d}", force=True, **extra) for i in range(count)]


def test_the_list_counts_its_records_exactly_below_the_cap_and_cheaply(cast: Any, monkeypatch: Any) -> None:
    people(cast.rep_ist, 4, tags=["Fuar"])
    people(cast.rep_ist, 2)
    client = client_for(cast.rep_ist)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/customers/people/", {"tag": "fuar"})
    assert (page.context["count"], page.context["count_more"]) == (4, False)
    assert 'data-count="4"' in page.content.decode()
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in (q["sql"] or "").upper()]
    assert len(counts) == 1 and "LIMIT" in counts[0].upper()  # a COUNT over a LIMIT subquery
    monkeypatch.setattr("velinimet.customers.views.records.COUNT_CAP", 3)
    capped = client.get("/customers/people/")
    assert (capped.context["count"], capped.context["count_more"]) == (3, True)
    assert 'data-count="3+"' in capped.content.decode()


def test_select_all_applies_to_the_whole_filtered_list_after_a_confirmation(cast: Any) -> None:
    tagged = people(cast.manager, 55, tags=["Fuar"])  # more than one page (50)
    other = services.person_create(actor=cast.manager, first_name="Başka", force=True)
    client = client_for(cast.manager)
    form = {"all": "1", "action": "trash", "query": "tag=fuar&sort=name", "ids": [tagged[0].pk]}
    confirm = client.post("/customers/person/bulk/", form)
    assert confirm.status_code == 200 and confirm.context["count"] == 55
    assert 'data-count="55"' in confirm.content.decode()
    assert Person.objects.live().count() == 56  # nothing done before the confirmation
    done = client.post("/customers/person/bulk/", {**form, "confirmed": "1"})
    assert done.status_code == 302
    assert set(Person.objects.trashed().values_list("pk", flat=True)) == {p.pk for p in tagged}
    assert Person.objects.live().get() == other
    trashed = AuditEntry.objects.filter(code="customers.person.trashed")
    assert trashed.count() == 55 and {e.actor_id for e in trashed} == {cast.manager.pk}


def test_select_all_with_an_unknown_filter_does_nothing(cast: Any) -> None:
    people(cast.manager, 2)
    client = client_for(cast.manager)
    client.post("/customers/person/bulk/", {"all": "1", "action": "trash", "query": "tga=vip", "confirmed": "1"})
    assert Person.objects.live().count() == 2


def test_a_large_select_all_runs_as_a_job_with_progress(
    cast: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    monkeypatch.setattr("velinimet.customers.views.records.BULK_JOB_THRESHOLD", 3)
    monkeypatch.setattr("velinimet.customers.services.bulk.BATCH", 2)
    people(cast.manager, 5, tags=["Fuar"])
    client = client_for(cast.manager)
    form = {"all": "1", "action": "tag", "tag": "Toptan", "query": "tag=fuar", "confirmed": "1"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/customers/person/bulk/", form)
    job = Job.objects.get(kind="customers.bulk")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED and (job.done, job.total) == (5, 5)
    assert Person.objects.filter(tags__key="toptan").count() == 5


def test_a_select_all_over_records_the_actor_may_not_change_is_refused_whole(cast: Any) -> None:
    mine = people(cast.rep_ist, 2, tags=["Fuar"])
    services.person_create(  # the rep's team's record, owned by someone else: visible, not the rep's to change
        actor=cast.admin, owner=cast.manager, team=cast.istanbul, first_name="Takım", tags=["Fuar"], force=True
    )
    client = client_for(cast.rep_ist)
    assert person_list(cast.rep_ist, {"tag": "fuar"}).count() == 3  # the team's record is visible to the rep
    form = {"all": "1", "action": "tag", "tag": "Yeni", "query": "tag=fuar", "confirmed": "1"}
    client.post("/customers/person/bulk/", form)
    assert not Person.objects.filter(tags__key="yeni").exists()  # not the rep's own two either: all or nothing
    client.post("/customers/person/bulk/", {**form, "query": f"tag=fuar&owner={cast.rep_ist.pk}"})
    assert set(Person.objects.filter(tags__key="yeni").values_list("pk", flat=True)) == {p.pk for p in mine}


def test_bulk_trash_of_ticked_records_checks_each_record(cast: Any) -> None:
    mine = people(cast.manager, 2)
    client = client_for(cast.manager)
    client.post("/customers/person/bulk/", {"ids": [p.pk for p in mine], "action": "trash"})
    assert Person.objects.trashed().count() == 2
    theirs = services.person_create(actor=cast.rep_ist, first_name="Ali", force=True)
    client_for(cast.reader).post("/customers/person/bulk/", {"ids": [theirs.pk], "action": "trash"})
    assert Person.objects.live().filter(pk=theirs.pk).exists()
    with pytest.raises(NotAllowed):
        services.records_trash(actor=cast.rep_ist, records=[theirs])


def test_people_sort_by_last_name_with_keyset_pages(cast: Any) -> None:
    for first, last in [("Ali", "Zengin"), ("Zeynep", "Akın"), ("Can", "Bulut"), ("Şule", "Çelik"), ("Ece", "")]:
        services.person_create(actor=cast.rep_ist, first_name=first, last_name=last, force=True)
    qs = person_list(cast.rep_ist)
    seen, cursor = [], None
    for _page in range(4):
        rows, cursor = keyset_page(qs, "last_name", cursor, size=2)
        seen += [str(p) for p in rows]
        if cursor is None:
            break
    assert seen == ["Zeynep Akın", "Can Bulut", "Şule Çelik", "Ece", "Ali Zengin"]  # Turkish: C < Ç < D < E
    page = client_for(cast.rep_ist).get("/customers/people/", {"sort": "last_name"})
    assert [str(p) for p in page.context["rows"]] == seen
    # companies have no last name: the sort is not offered there, and the API refuses it as a filter
    assert "last_name" in str(page.context["form"].fields["sort"].choices)
    companies = client_for(cast.rep_ist).get("/customers/companies/", {"sort": "last_name"})
    assert companies.status_code == 200 and companies.context["filters_invalid"]


def test_a_renamed_or_erased_person_keeps_the_last_name_key_in_step(cast: Any) -> None:
    from velinimet.core.text import sort_key
    from velinimet.customers.services.kvkk import person_erase

    person = services.person_create(actor=cast.admin, first_name="Ayşe", last_name="Kaya", force=True)
    assert person.last_name_key_tr == sort_key("Kaya Ayşe", "tr")
    assert person.last_name_key_az == sort_key("Kaya Ayşe", "az")
    assert person.sort_key_tr == sort_key("Ayşe Kaya", "tr")
    services.person_update(actor=cast.admin, person=person, last_name="Öztürk")
    person.refresh_from_db()
    assert person.last_name_key_tr == sort_key("Öztürk Ayşe", "tr")
    assert person.sort_key_az == sort_key("Ayşe Öztürk", "az")
    person_erase(actor=cast.admin, person=person, reason="test")
    person.refresh_from_db()
    assert person.last_name_key_tr == person.last_name_key_az == person.sort_key_tr == person.sort_key_az == ""


def test_links_and_checkboxes_that_would_lead_to_a_403_are_not_shown(cast: Any) -> None:
    services.person_create(actor=cast.rep_ist, first_name="Görünen", force=True)
    reader = client_for(cast.reader).get("/customers/people/").content.decode()
    rep = client_for(cast.rep_ist).get("/customers/people/").content.decode()
    manager = client_for(cast.manager).get("/customers/people/").content.decode()
    assert "/customers/trash/" not in reader and "/customers/trash/" not in rep and "/customers/trash/" in manager
    assert "/customers/duplicates/" not in reader and "/customers/duplicates/" in rep
    assert 'name="ids"' not in reader and 'name="ids"' in rep
    assert 'value="trash"' not in rep and 'value="trash"' in manager
    assert client_for(cast.reader).get("/customers/trash/").status_code == 403
    assert client_for(cast.rep_ist).get("/customers/trash/").status_code == 403


def test_the_screen_pop_slot_is_empty_until_a_call_and_offers_new_person_only_to_creators(cast: Any, api: Any) -> None:
    cast.reader.extension = "201"
    cast.reader.save()
    cast.rep_ist.extension = "202"
    cast.rep_ist.save()
    reader, rep = client_for(cast.reader), client_for(cast.rep_ist)
    assert reader.get("/customers/calls/pop/").content == b""
    for extension in ("201", "202"):
        api(cast.admin).post("/api/v1/calls/incoming/", {"number": "0532 999 88 77", "extension": extension})
    assert "/customers/people/new/" not in reader.get("/customers/calls/pop/").content.decode()
    assert "/customers/people/new/" in rep.get("/customers/calls/pop/").content.decode()


def test_phone_and_email_fields_bring_the_right_keyboard(cast: Any) -> None:
    html = client_for(cast.rep_ist).get("/customers/people/new/").content.decode()
    assert 'type="tel" name="phone_0"' in html and 'type="email" name="email_0"' in html
