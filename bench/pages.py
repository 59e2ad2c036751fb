"""2-4. Requests through Django's test Client (in-process WSGI, every middleware, no network).

2. caller lookup ``GET /api/v1/calls/lookup/?number=...`` with a real API token;
3. the 360° page ``GET /customers/people/<id>/`` of a person with several phones, e-mails, consents and
   10,000 activities; and the timeline's first page vs a page deep in the history (htmx "Show older");
4. list page 1 vs page 5,000 (keyset), HTML ``/customers/people/?after=...`` (newest first, and "Name A–Z" in
   the Turkish and Azerbaijani alphabets) and API ``/api/v1/people/``.
"""

from __future__ import annotations

import base64
import datetime
import random
import secrets
import time
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

from .common import RawEngine, capture, compare, run_interleaved, short_sql, summary, timed_ms
from .queries import Sample, phone_formats

LOOKUP_TARGET_P99_MS = 5.0
DETAIL_TARGET_P95_MS = 80.0
DETAIL_ACTIVITIES = 10_000  # the budget's "a person with 10k activities"
PAGE_SIZE = 50


def client() -> Any:
    from django.test import Client

    return Client(SERVER_NAME="localhost", raise_request_exception=True)


def api_token(user: Any) -> str:
    """A real token, stored hashed like the ones users create."""
    from velinimet.accounts.models import ApiToken

    key = "vlm_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name="bench", prefix=key[:12], key_hash=ApiToken.hash_key(key))
    return key


def _get(c: Any, url: str, token: str | None = None, expect: tuple[int, ...] = (200,)) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Token {token}"} if token else {}
    response = c.get(url, **headers)
    if response.status_code not in expect:
        raise RuntimeError(f"GET {url} answered {response.status_code}: {response.content[:300]!r}")
    return response


def run_repeated(call: Any, raw: RawEngine, iterations: int, budget_s: float) -> tuple[list[float], list[float], Any]:
    """One request captured once (also the warm-up), then app and raw timed alternately."""
    call()
    with capture() as cap:
        call()
    app_ms: list[float] = []
    raw_ms: list[float] = []
    started = time.monotonic()
    for _ in range(iterations):
        app_ms.append(timed_ms(call)[0])
        raw_ms.append(raw.time_ms(cap.reads))
        if len(app_ms) >= 20 and time.monotonic() - started > budget_s:
            break
    return app_ms, raw_ms, cap


def _with_sql(result: dict[str, Any], cap: Any) -> dict[str, Any]:
    result["statements"] = len(cap.reads)
    result["writes"] = len(cap.writes)
    return result


# --- 2. caller lookup -----------------------------------------------------------------------
def bench_lookup(raw: RawEngine, user: Any, samples: list[Sample], count: int, rng: random.Random) -> dict[str, Any]:
    token = api_token(user)
    c = client()
    numbers: list[tuple[str, str]] = []
    for i in range(count):
        if i % 10 == 9:  # one call in ten is from a number nobody has: the slowest path (person, then company)
            numbers.append(("unknown", f"0532 {rng.randint(0, 999):03d} {rng.randint(0, 99):02d} 0{rng.randint(0, 9)}"))
        else:
            numbers.append(("known", phone_formats(rng.choice(samples).e164, rng)))

    statuses: dict[str, int] = {}

    def call(item: tuple[str, str]) -> Any:
        response = _get(c, "/api/v1/calls/lookup/?" + urlencode({"number": item[1]}), token, expect=(200, 404))
        statuses.setdefault(item[1], response.status_code)
        return response

    app_ms, raw_ms, caps = run_interleaved(numbers, call, raw)
    result = compare(app_ms, raw_ms)
    result["target_p99_ms"] = LOOKUP_TARGET_P99_MS
    result["known"] = summary([a for a, (kind, _n) in zip(app_ms, numbers, strict=True) if kind == "known"])
    result["unknown"] = summary([a for a, (kind, _n) in zip(app_ms, numbers, strict=True) if kind == "unknown"])
    result["statements"] = summary([float(len(cap.reads)) for cap in caps])
    result["found"] = {
        kind: f"{sum(1 for k, n in numbers if k == kind and statuses.get(n) == 200)}/{sum(1 for k, _n in numbers if k == kind)}"
        for kind in ("known", "unknown")
    }
    # the bare engine doing only the indexed e164 lookup, for scale
    e164s = [s.e164 for s in samples[:200]]
    sql = "SELECT person_id FROM customers_phone WHERE e164 = %s"
    bare = [timed_ms(lambda e=e: raw.execute(sql, (e,)))[0] for e in e164s * 3]
    result["raw_indexed_e164_lookup"] = summary(bare)
    example = caps[0]
    result["example_sql"] = [short_sql(s.sql, 160) for s in example.reads]
    return result


# --- 3. the 360° page -----------------------------------------------------------------------
def enrich_person(user: Any) -> Any:
    """A person the user may see, with 4 phones, 3 e-mails, 2 addresses, 12 consents, 3 tags, 2 jobs.

    Idempotent: a second run (``--reuse``) finds the person already enriched.
    """
    from django.utils import timezone

    from velinimet.core.text import fold
    from velinimet.customers.models import Address, Company, Consent, Email, Employment, Person, Phone, Tag
    from velinimet.customers.selectors import person_list

    marker = "bench-360"
    person = Person.objects.filter(source=marker).first()
    if person is not None:
        return person
    person = person_list(user).order_by("id").first()
    Person.objects.filter(pk=person.pk).update(source=marker)
    for i, kind in enumerate(["mobile", "work", "home", "fax"]):
        e164 = f"+90212{(person.pk * 10 + i) % 10**7:07d}"
        Phone.objects.create(person=person, kind=kind, e164=e164, national=e164, is_primary=False)
    for i in range(3):
        address = f"bench{i}.{person.pk}@example.com"
        Email.objects.create(person=person, address=address, key=address, is_primary=False)
    for city in ("İzmir", "Bakı"):
        Address.objects.create(person=person, kind="work", city=city, city_key=fold(city), street="Bench Sk. 1")
    now = timezone.now()
    for i in range(12):
        Consent.objects.create(
            person=person,
            channel=["email", "sms", "call", "visit"][i % 4],
            status="granted" if i % 3 else "refused",
            at=now - datetime.timedelta(days=30 * i),
            source="bench",
            kvkk_text_version="v1",
            recorded_by=user,
        )
    for name in ("VIP", "Bench", "Toptan"):
        tag, _ = Tag.objects.get_or_create(key=fold(name), defaults={"name": name})
        person.tags.add(tag)
    for company in Company.objects.order_by("id")[:2]:
        Employment.objects.get_or_create(person=person, company=company, defaults={"title": "Müdür"})
    return Person.objects.get(pk=person.pk)


def ensure_activities(person: Any, count: int) -> int:
    """Give ``person`` ``count`` activities (seeded like ``velinimet seed --activities``), once.

    Idempotent for ``--reuse``: only the missing ones are added. Fresh planner statistics for the
    table afterwards, as autovacuum (PostgreSQL) or the nightly ``PRAGMA optimize`` (SQLite) would give.
    """
    from django.db import connection

    from velinimet.activities.models import Activity
    from velinimet.activities.seed import seed_activities

    have = Activity.objects.filter(person_id=person.pk).count()
    if have < count:
        seed_activities(count - have, random.Random(count), person_ids=[person.pk])
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Activity._meta.db_table)}")
    return Activity.objects.filter(person_id=person.pk).count()


def bench_detail(raw: RawEngine, user: Any, iterations: int, budget_s: float) -> dict[str, Any]:
    person = enrich_person(user)
    activities = ensure_activities(person, DETAIL_ACTIVITIES)
    c = client()
    c.force_login(user)
    url = f"/customers/people/{person.pk}/"
    app_ms, raw_ms, cap = run_repeated(lambda: _get(c, url), raw, iterations, budget_s)
    result = _with_sql(compare(app_ms, raw_ms), cap)
    result.update(target_p95_ms=DETAIL_TARGET_P95_MS, url=url, activities=activities)
    result["bytes"] = len(_get(c, url).content)
    return result


def timeline_cursor(user: Any, person_id: int, page: int) -> str | None:
    """``after`` for page ``page`` of a person's timeline: the last activity of the page before."""
    from velinimet.activities.selectors import ORDER, PAGE, activity_list

    if page <= 1:
        return None
    rows = activity_list(user).filter(person_id=person_id).order_by(*ORDER).values_list("occurred_at", "id")
    at, pk = rows[PAGE * (page - 1) - 1]
    return f"{at.isoformat()}|{pk}"


def bench_timeline(raw: RawEngine, user: Any, page: int, iterations: int, budget_s: float) -> dict[str, Any]:
    """The timeline's first page vs page ``page`` (htmx "Show older"), keyset on (occurred_at, id)."""
    from velinimet.activities.selectors import PAGE, timeline

    person = enrich_person(user)
    activities = ensure_activities(person, DETAIL_ACTIVITIES)
    page = min(page, max(1, (activities - 1) // PAGE))
    app_cursor = timeline(user, "person", person.pk)["cursor"]
    if app_cursor != timeline_cursor(user, person.pk, 2):
        raise RuntimeError(
            f"timeline cursor mismatch: app {app_cursor!r}, bench {timeline_cursor(user, person.pk, 2)!r}"
        )
    c = client()
    c.force_login(user)
    base = f"/activities/person/{person.pk}/"
    out: dict[str, Any] = {"activities": activities, "page_size": PAGE, "deep_page": page, "cases": {}}
    for name, after in (("page 1", None), (f"page {page}", timeline_cursor(user, person.pk, page))):
        url = base + ("?" + urlencode({"cursor": after}) if after else "")

        def call(url: str = url) -> Any:
            response = c.get(url, HTTP_HX_REQUEST="true")
            if response.status_code != 200:
                raise RuntimeError(f"GET {url} answered {response.status_code}")
            return response

        app_ms, raw_ms, cap = run_repeated(call, raw, iterations, budget_s)
        result = _with_sql(compare(app_ms, raw_ms), cap)
        result.update(url=url, rows=call().content.count(b'<li class="activity'))
        out["cases"][name] = result
    return out


# --- 4. list pages --------------------------------------------------------------------------
def html_cursor(user: Any, page: int) -> str | None:
    """``after`` for page ``page`` of the people list sorted by -created: the last row of the page before."""
    from velinimet.customers.selectors import person_list

    if page <= 1:
        return None
    row = person_list(user).order_by("-created_at", "-id").values_list("created_at", "id")[PAGE_SIZE * (page - 1) - 1]
    return f"{row[0].isoformat()}|{row[1]}"


def html_name_cursor(user: Any, page: int, alphabet: str) -> str | None:
    """``after`` for page ``page`` of the people list sorted "Name A–Z" in ``alphabet`` (``sort_key_<alphabet>``)."""
    from velinimet.customers.selectors import person_list

    if page <= 1:
        return None
    column = f"sort_key_{alphabet}"
    row = person_list(user).order_by(column, "id").values_list(column, "id")[PAGE_SIZE * (page - 1) - 1]
    return f"{row[0]}|{row[1]}"


def api_cursor(user: Any, page: int) -> str | None:
    """DRF's cursor (ordering -pk) for page ``page``: base64 of ``p=<pk of the last row before>``."""
    from velinimet.customers.selectors import person_list

    if page <= 1:
        return None
    pk = person_list(user).order_by("-pk").values_list("pk", flat=True)[PAGE_SIZE * (page - 1) - 1]
    return base64.b64encode(urlencode({"p": str(pk)}).encode("ascii")).decode("ascii")


def _check_cursors(c: Any, user: Any, token: str) -> None:
    """Our cursors for page 2 must be the ones the app itself hands out on page 1."""
    from velinimet.customers.selectors import keyset_page, person_list

    _rows, app_after = keyset_page(person_list(user), "-created", None)
    if app_after != html_cursor(user, 2):
        raise RuntimeError(f"HTML cursor mismatch: app {app_after!r}, bench {html_cursor(user, 2)!r}")
    nxt = _get(c, f"/api/v1/people/?page_size={PAGE_SIZE}", token).json()["next"]
    app_cursor = parse_qs(urlparse(nxt).query)["cursor"][0]
    if app_cursor != api_cursor(user, 2):
        raise RuntimeError(f"API cursor mismatch: app {app_cursor!r}, bench {api_cursor(user, 2)!r}")


def bench_lists(raw: RawEngine, user: Any, page: int, iterations: int, budget_s: float) -> dict[str, Any]:
    from velinimet.customers.selectors import person_list

    visible = person_list(user).count()
    last_page = max(1, (visible - 1) // PAGE_SIZE)
    page = min(page, last_page)
    c = client()
    c.force_login(user)
    token = api_token(user)
    _check_cursors(c, user, token)
    out: dict[str, Any] = {"visible_people": visible, "deep_page": page, "page_size": PAGE_SIZE, "cases": {}}
    html_after = html_cursor(user, page)
    api_after = api_cursor(user, page)
    cases: dict[str, tuple[Any, ...]] = {
        "html page 1": ("/customers/people/", None),
        f"html page {page}": ("/customers/people/?" + urlencode({"after": html_after}), None),
        "api page 1": (f"/api/v1/people/?page_size={PAGE_SIZE}", token),
        f"api page {page}": (f"/api/v1/people/?page_size={PAGE_SIZE}&" + urlencode({"cursor": api_after}), token),
    }
    # "Name A–Z" in the reader's alphabet: keyset over (sort_key_<alphabet>, id), the user's language deciding
    alphabets = {"tr": "tr", "az": "az"}
    for language, alphabet in alphabets.items():
        name_after = html_name_cursor(user, page, alphabet)
        cases[f"html name A-Z ({language}) page 1"] = ("/customers/people/?sort=name", None, language)
        cases[f"html name A-Z ({language}) page {page}"] = (
            "/customers/people/?" + urlencode({"sort": "name", "after": name_after}),
            None,
            language,
        )
    own_language = user.language
    for name, (url, tok, *lang) in cases.items():
        if lang and user.language != lang[0]:
            user.language = lang[0]
            user.save(update_fields=["language"])
        elif not lang and user.language != own_language:
            user.language = own_language
            user.save(update_fields=["language"])
        app_ms, raw_ms, cap = run_repeated(lambda url=url, tok=tok: _get(c, url, tok), raw, iterations, budget_s)
        result = _with_sql(compare(app_ms, raw_ms), cap)
        result["url"] = url if len(url) < 120 else url[:117] + "..."
        worst = max(cap.reads, key=lambda s: min(raw.time_ms([s]) for _ in range(3)))
        result["worst_statement"] = {
            "raw_ms": round(min(raw.time_ms([worst]) for _ in range(3)), 2),
            "sql": short_sql(worst.sql),
            "plan": raw.explain(worst)[:400],
        }
        out["cases"][name] = result
    if user.language != own_language:
        user.language = own_language
        user.save(update_fields=["language"])
    return out
