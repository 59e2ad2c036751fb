"""The duplicate finder people can use: scored pairs, strongest first, filters, keyset pages, "not a
duplicate" remembered, progress in records, a job page that links to its results."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from velinimet.core.models import AuditEntry, Job
from velinimet.customers import services
from velinimet.customers.models import DuplicatePair, NotDuplicate, Person
from velinimet.customers.selectors.duplicates import duplicate_pairs_page, latest_finder_job
from velinimet.customers.services.finder import duplicate_dismiss, duplicate_undismiss, duplicates_find_start
from velinimet.customers.services.matching import RULES, WEIGHTS, score

pytestmark = pytest.mark.django_db
P, E, A = services.PhoneIn, services.EmailIn, services.AddressIn


def person(actor: Any, first: str, last: str, **extra: Any) -> Person:
    return services.person_create(actor=actor, first_name=first, last_name=last, force=True, **extra)


@pytest.fixture
def people(cast: Any) -> dict[str, Person]:
    """Three pairs of different strength: same TCKN; same phone and name in the same city; name and city."""
    izmir = [A(city="İzmir")]
    return {
        "t1": person(cast.rep_ist, "Ali", "Veli", tckn="10000000146"),
        "t2": person(cast.rep_ist, "Alİ", "Velioğlu", tckn="10000000146"),
        "p1": person(cast.rep_ist, "Ayşe", "Kaya", phones=[P("0532 123 45 67")], addresses=izmir),
        "p2": person(cast.rep_ist, "AYSE", "KAYA", phones=[P("+905321234567")], addresses=[A(city="Izmir")]),
        "n1": person(cast.rep_ist, "Mehmet", "Demir", addresses=izmir),
        "n2": person(cast.rep_ist, "Mehmet", "Demir", addresses=izmir),
        "alone": person(cast.rep_ist, "Zeynep", "Şahin"),
    }


def run_finder(user: Any, capture: Any, kind: str = "person") -> Job:
    with capture(execute=True):
        job = duplicates_find_start(actor=user, kind=kind)
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED, job.error
    return job


def pairs_of(user: Any, **filters: Any) -> list[tuple[str, str, int, list[str]]]:
    job = latest_finder_job(user, "person")
    assert job is not None
    page = duplicate_pairs_page(user, job, limit=100, **filters)
    return [(r.a.first_name, r.b.first_name, r.pair.score, r.pair.codes) for r in page.rows]


def test_every_rule_has_a_weight_and_identifiers_outweigh_contacts_outweigh_names() -> None:
    assert {rule.code for rule in RULES} == set(WEIGHTS) and all(rule.weight > 0 for rule in RULES)
    assert score(["tckn"]) > score(["email"]) > score(["phone"]) > score(["name_company"]) > score(["name_city"])
    assert score(["phone", "phone", "name_city"]) == WEIGHTS["phone"] + WEIGHTS["name_city"]  # a reason counts once
    assert score(["tckn", "email", "phone"]) == 100  # at most 100


def test_pairs_are_scored_and_listed_strongest_first(
    cast: Any, people: dict[str, Person], django_capture_on_commit_callbacks: Any
) -> None:
    job = run_finder(cast.rep_ist, django_capture_on_commit_callbacks)
    assert job.result["count"] == 3
    assert pairs_of(cast.rep_ist) == [
        ("Ali", "Alİ", 90, ["tckn"]),
        ("Ayşe", "AYSE", 65, ["phone", "name_city"]),
        ("Mehmet", "Mehmet", 15, ["name_city"]),
    ]


def test_pairs_filter_by_reason_and_minimum_score(
    cast: Any, people: dict[str, Person], django_capture_on_commit_callbacks: Any
) -> None:
    run_finder(cast.rep_ist, django_capture_on_commit_callbacks)
    assert [p[0] for p in pairs_of(cast.rep_ist, reason="name_city")] == ["Ayşe", "Mehmet"]
    assert [p[0] for p in pairs_of(cast.rep_ist, reason="phone")] == ["Ayşe"]
    assert [p[0] for p in pairs_of(cast.rep_ist, min_score=60)] == ["Ali", "Ayşe"]
    assert pairs_of(cast.rep_ist, reason="name_city", min_score=66) == []


def test_keyset_pages_walk_every_pair_once_at_the_same_cost(
    cast: Any, django_capture_on_commit_callbacks: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(7):  # 7 namesakes in one city: 21 pairs
        person(cast.rep_ist, "Can", "Öz", addresses=[A(city="Ankara")], phones=[P(f"0532 000 00 0{i}")])
    job = run_finder(cast.rep_ist, django_capture_on_commit_callbacks)
    assert job.result["count"] == 21
    seen, after = [], None
    while True:
        with django_assert_max_num_queries(3):  # pairs, records: whatever the page
            page = duplicate_pairs_page(cast.rep_ist, job, after=after, limit=4)
        seen += [(row.a.pk, row.b.pk) for row in page.rows]
        if page.next_after is None:
            break
        after = page.next_after
    assert len(seen) == len(set(seen)) == 21
    assert seen == sorted(seen)  # equal scores: by the lower id, then the higher


def test_progress_is_counted_in_records_and_the_job_page_links_to_the_results(
    cast: Any, people: dict[str, Person], django_capture_on_commit_callbacks: Any
) -> None:
    job = run_finder(cast.rep_ist, django_capture_on_commit_callbacks)
    assert job.total == job.done == Person.objects.count() == 7  # records checked of the records visible
    client = Client()
    client.force_login(cast.rep_ist)
    html = client.get(f"/jobs/{job.pk}/").content.decode()
    assert f'href="/customers/duplicates/?kind=person&amp;job={job.pk}"' in html
    later = run_finder(cast.rep_ist, django_capture_on_commit_callbacks)
    assert later.pk != job.pk  # the link of a run shows that run; an unknown or foreign one, the user's latest
    assert (
        f'name="job" value="{later.pk}"'
        in client.get(f"/customers/duplicates/?kind=person&job={later.pk}").content.decode()
    )
    assert f'value="{later.pk}"' in client.get("/customers/duplicates/?kind=person&job=nonsense").content.decode()
    outsider = Client()
    outsider.force_login(cast.rep_baku)
    assert (
        f'value="{later.pk}"' not in outsider.get(f"/customers/duplicates/?kind=person&job={later.pk}").content.decode()
    )
    assert "job-results" not in outsider.get(f"/jobs/{later.pk}/").content.decode()


def test_results_page_links_each_name_and_pages_on(
    cast: Any, people: dict[str, Person], django_capture_on_commit_callbacks: Any
) -> None:
    run_finder(cast.rep_ist, django_capture_on_commit_callbacks)
    client = Client()
    client.force_login(cast.rep_ist)
    html = client.get("/customers/duplicates/?kind=person").content.decode()
    for key in ("t1", "t2", "p1", "p2", "n1", "n2"):
        assert f'href="/customers/people/{people[key].pk}/"' in html
    assert html.index("Alİ") < html.index("AYSE") < html.index("Mehmet")
    filtered = client.get("/customers/duplicates/?kind=person&reason=phone").content.decode()
    assert "AYSE" in filtered and "Velioğlu" not in filtered
    assert client.get("/customers/duplicates/?kind=person&reason=nonsense&min_score=abc").status_code == 200


def test_a_new_run_replaces_the_users_earlier_pairs(
    cast: Any, people: dict[str, Person], django_capture_on_commit_callbacks: Any
) -> None:
    first = run_finder(cast.rep_ist, django_capture_on_commit_callbacks)
    second = run_finder(cast.rep_ist, django_capture_on_commit_callbacks)
    assert not DuplicatePair.objects.filter(job=first).exists()
    assert DuplicatePair.objects.filter(job=second).count() == 3


def test_not_a_duplicate_is_remembered_never_proposed_again_and_undoable(
    cast: Any, people: dict[str, Person], django_capture_on_commit_callbacks: Any
) -> None:
    run_finder(cast.rep_ist, django_capture_on_commit_callbacks)
    n1, n2 = people["n1"], people["n2"]
    duplicate_dismiss(actor=cast.rep_ist, kind="person", a=n2.pk, b=n1.pk)  # either order
    duplicate_dismiss(actor=cast.rep_ist, kind="person", a=n1.pk, b=n2.pk)  # twice is once
    assert NotDuplicate.objects.get().low == min(n1.pk, n2.pk)
    assert [p[0] for p in pairs_of(cast.rep_ist)] == ["Ali", "Ayşe"]  # gone from the results at once
    job = run_finder(cast.rep_ist, django_capture_on_commit_callbacks)
    assert not DuplicatePair.objects.filter(job=job, a=min(n1.pk, n2.pk), b=max(n1.pk, n2.pk)).exists()
    run_finder(cast.manager, django_capture_on_commit_callbacks)  # remembered for everyone
    assert "Mehmet" not in [p[0] for p in pairs_of(cast.manager)]
    assert AuditEntry.objects.filter(code="customers.person.not_duplicate").count() == 1
    assert duplicate_undismiss(actor=cast.rep_ist, kind="person", a=n1.pk, b=n2.pk) is True
    run_finder(cast.rep_ist, django_capture_on_commit_callbacks)
    assert [p[0] for p in pairs_of(cast.rep_ist)] == ["Ali", "Ayşe", "Mehmet"]


def test_marking_needs_the_right_to_change_both_records(cast: Any, people: dict[str, Person]) -> None:
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from velinimet.core.exceptions import DomainError

    a, b = people["n1"].pk, people["n2"].pk
    with pytest.raises(PermissionDenied):
        duplicate_dismiss(actor=cast.reader, kind="person", a=a, b=b)
    with pytest.raises(Http404):
        duplicate_dismiss(actor=cast.rep_baku, kind="person", a=a, b=b)
    with pytest.raises(DomainError):
        duplicate_dismiss(actor=cast.rep_ist, kind="person", a=a, b=a)
    assert not NotDuplicate.objects.exists()


def test_not_a_duplicate_in_the_page_with_undo(
    cast: Any, people: dict[str, Person], django_capture_on_commit_callbacks: Any
) -> None:
    run_finder(cast.rep_ist, django_capture_on_commit_callbacks)
    client = Client()
    client.force_login(cast.rep_ist)
    pair = {"kind": "person", "a": people["p1"].pk, "b": people["p2"].pk}
    done = client.post("/customers/duplicates/not-duplicate/", pair)
    assert done.status_code == 302 and done["Location"] == "/customers/duplicates/?kind=person"
    html = client.get("/customers/duplicates/?kind=person").content.decode()
    assert "AYSE" not in html and 'id="not-duplicate-undo"' in html
    assert client.post("/customers/duplicates/not-duplicate/undo/", pair).status_code == 302
    assert "AYSE" in client.get("/customers/duplicates/?kind=person").content.decode()
    reader = Client()
    reader.force_login(cast.reader)
    assert reader.post("/customers/duplicates/not-duplicate/", pair).status_code == 403
    assert not NotDuplicate.objects.exists()
    assert client.post("/customers/duplicates/not-duplicate/", {"kind": "x", "a": "1", "b": "y"}).status_code == 404
    assert client.post("/customers/duplicates/not-duplicate/", {**pair, "next": "https://evil.example/"})[
        "Location"
    ].startswith("/customers/duplicates/")


def test_duplicates_api_pages_filters_and_marks(
    cast: Any, api: Any, people: dict[str, Person], django_capture_on_commit_callbacks: Any
) -> None:
    client = api(cast.rep_ist)
    assert client.get("/api/v1/duplicates/?kind=person").json()["job"] is None  # no run yet
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post("/api/v1/duplicates/find/", {"kind": "person"}, format="json")
    assert started.status_code == 202
    first = client.get("/api/v1/duplicates/?kind=person&limit=2").json()
    assert first["count"] == 3 and [r["score"] for r in first["results"]] == [90, 65]
    assert [r["code"] for r in first["results"][1]["reasons"]] == ["phone", "name_city"]
    assert all(r["label"] for r in first["results"][1]["reasons"])
    assert first["results"][0]["a"]["url"] == f"/customers/people/{people['t1'].pk}/"
    rest = client.get(f"/api/v1/duplicates/?kind=person&limit=2&after={first['next_after']}").json()
    assert [r["score"] for r in rest["results"]] == [15] and rest["next_after"] is None
    assert client.get("/api/v1/duplicates/?kind=person&reason=bogus").status_code == 400
    assert client.get("/api/v1/duplicates/?kind=person&min_score=x").status_code == 400
    pair = {"kind": "person", "a": people["t2"].pk, "b": people["t1"].pk}
    marked = client.post("/api/v1/duplicates/not-duplicate/", pair, format="json")
    assert marked.status_code == 201 and marked.json()["a"] == people["t1"].pk
    assert [r["score"] for r in client.get("/api/v1/duplicates/?kind=person").json()["results"]] == [65, 15]
    assert api(cast.reader).post("/api/v1/duplicates/not-duplicate/", pair, format="json").status_code == 403
    assert api(cast.rep_baku).post("/api/v1/duplicates/not-duplicate/", pair, format="json").status_code == 404
    undone = client.post("/api/v1/duplicates/not-duplicate/undo/", pair, format="json")
    assert undone.json() == {"undone": True}
    assert [r["score"] for r in client.get("/api/v1/duplicates/?kind=person").json()["results"]] == [90, 65, 15]


def test_companies_pair_by_tax_number_and_link_to_their_pages(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    one = services.company_create(actor=cast.rep_ist, name="Anadolu Gıda", vkn="1234567890", force=True)
    two = services.company_create(actor=cast.rep_ist, name="Anadolu Gida AŞ", vkn="1234567890", force=True)
    job = run_finder(cast.rep_ist, django_capture_on_commit_callbacks, kind="company")
    assert [(p.a, p.b, p.score, p.codes) for p in DuplicatePair.objects.filter(job=job)] == [
        (one.pk, two.pk, 90, ["vkn"])
    ]
    client = Client()
    client.force_login(cast.rep_ist)
    html = client.get("/customers/duplicates/?kind=company").content.decode()
    assert f'href="/customers/companies/{one.pk}/"' in html and f'href="/customers/companies/{two.pk}/"' in html
    duplicate_dismiss(actor=cast.rep_ist, kind="company", a=one.pk, b=two.pk)
    assert (
        f'href="/customers/companies/{one.pk}/"'
        not in client.get("/customers/duplicates/?kind=company").content.decode()
    )
