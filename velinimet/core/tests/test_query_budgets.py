"""Query budgets (NetBox's ``query_counts.json``): every list page and API list, the 360° pages, search and
the caller lookup make a fixed number of queries, whatever the amount of data.

Each app lists its budgets in ``velinimet/<app>/tests/query_budgets.json`` (URL name → most queries); the
arguments come from the URL's row in the matrix (``tests/url_rows.py``). Every URL is fetched by the
administrator at two sizes of data: as the URL matrix's world is built, then after ``grow()`` adds more of
everything the pages show. Both counts must be equal (a query per row, an N+1, shows as a difference) and
within the budget. A URL name ending in ``-list`` or ``_list`` must have a budget.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from velinimet.core.tests.module_db import module_data
from velinimet.core.tests.url_matrix import all_rows, call
from velinimet.core.tests.url_world import World, build_world, run_finder

pytestmark = pytest.mark.django_db


def all_budgets() -> dict[str, int]:
    budgets: dict[str, int] = {}
    for config in apps.get_app_configs():
        path = Path(config.path) / "tests" / "query_budgets.json"
        if config.name.startswith("velinimet.") and path.exists():
            budgets.update({k: v for k, v in json.loads(path.read_text()).items() if not k.startswith("_")})
    return budgets


BUDGETS = all_budgets()


def grow(world: World, n: int = 12) -> None:
    """More of everything the budgeted pages list: people, companies, activities, company links and consents
    of the administrator's person, jobs, users, teams, roles, tokens, custom fields, deleted records and
    (through the services) audit entries."""
    from velinimet.accounts.api_tokens import token_create
    from velinimet.accounts.models import Role, Team, User
    from velinimet.accounts.selectors import can_own
    from velinimet.accounts.services import role_create
    from velinimet.activities.services import activity_log
    from velinimet.core.models import Job
    from velinimet.customers import services
    from velinimet.customers.services.custom_fields import custom_field_create
    from velinimet.customers.services.relations import consent_record, employment_set
    from velinimet.customers.services.validation import EmailIn, PhoneIn

    admin = world.users["administrator"]
    own = world.of(admin)
    owners = [user for user in world.users.values() if can_own(user, "customers.person")]
    for i in range(n):
        owner = owners[i % len(owners)]
        mine = {"owner": owner, "team": owner.team, "force": True}
        contacts = {"phones": [PhoneIn(f"+90533{i:07d}")], "emails": [EmailIn(f"ek{i}@ornek.com.tr")], "tags": ["ek"]}
        services.person_create(actor=admin, first_name=f"Kişi ek{i}", **contacts, **mine)
        firm = services.company_create(actor=admin, name=f"Şirket ek{i}", phones=[PhoneIn(f"+90212{i:07d}")], **mine)
        gone = services.person_create(actor=admin, first_name=f"Silinen ek{i}", **mine)
        services.record_delete(actor=admin, record=gone)
        employment_set(actor=admin, person=own.person, company=firm, title=f"Unvan {i}")
        consent_record(actor=admin, person=own.person, channel="email", status="granted" if i % 2 else "refused")
        activity_log(actor=admin, person=own.person, owner=owner, kind="call", subject=f"Ek arama {i}")
        activity_log(actor=admin, company=own.company, owner=owner, kind="visit", subject=f"Ek ziyaret {i}")
        Job.objects.create(kind="customers.import", title=f"ek {i}", started_by=admin, params={"kind": "person"})
        team = Team.objects.create(name=f"Ek ekip {i}", parent=admin.team)
        User.objects.create(username=f"ek{i}", role=Role.objects.get(slug="sales_rep"), team=team)
        role_create(actor=admin, name=f"Ek rol {i}")
        token_create(actor=admin, user=admin, name=f"ek {i}")
        custom_field_create(actor=admin, record_type="person", label=f"Ek alan {i}", key=f"ek{i}")
        for name in (f"İkiz ek{i}", f"Ikiz ek{i}"):  # more pairs for the duplicate finder's results
            services.person_create(actor=admin, first_name=name, phones=[PhoneIn(f"+90555{i:07d}")], **mine)
    run_finder(admin)


def count_queries(world: World, name: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = call(world, name, "GET", world.users["administrator"])
    assert response.status_code == 200, (name, response.status_code)
    return len(queries)


@pytest.fixture(scope="module")
def counts(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, tuple[int, int]]]:
    """URL name → (queries with the world as built, queries after ``grow()``)."""
    with module_data(django_db_blocker):
        world = build_world()
        for name in BUDGETS:  # warm the caches (compiled queries, content types) out of the count
            call(world, name, "GET", world.users["administrator"])
        small = {name: count_queries(world, name) for name in BUDGETS}
        grow(world)
        yield {name: (small[name], count_queries(world, name)) for name in BUDGETS}
        world.remove_files()


def test_every_list_has_a_query_budget() -> None:
    rows = all_rows()
    lists = {name for name in rows if name.endswith(("-list", "_list"))}
    missing = sorted(lists - set(BUDGETS))
    assert not missing, f"add these URL names to their app's tests/query_budgets.json: {missing}"
    unknown = sorted(set(BUDGETS) - set(rows))
    assert not unknown, f"budgets for URL names with no row in the URL matrix: {unknown}"


@pytest.mark.parametrize("name", sorted(BUDGETS))
def test_query_count_stays_within_budget_as_data_grows(counts: dict[str, tuple[int, int]], name: str) -> None:
    small, large = counts[name]
    assert small == large, f"{name}: {small} queries, then {large} with more data (a query per row?)"
    assert large <= BUDGETS[name], f"{name}: {large} queries, over its budget of {BUDGETS[name]}"
