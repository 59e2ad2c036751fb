"""Generated matrix: every list endpoint and list page × every default role sees exactly what its
access level allows, and guessing the id of a hidden record gives 404.

The expected rows come from an oracle written here in plain Python (walking team parents by hand),
not from core.visibility, so a bug there cannot hide itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from velinimet.accounts.models import Role, Team, User
from velinimet.activities.models import Activity, ActivityKind, ContactRule
from velinimet.core import audit
from velinimet.core.models import AuditEntry, Job
from velinimet.core.registry import RECORD_TYPES
from velinimet.core.visibility import Level
from velinimet.customers.models import Company, CustomField, Person

pytestmark = pytest.mark.django_db

ROLE_SLUGS = [
    "administrator",
    "sales_manager",
    "sales_rep",
    "service_agent",
    "marketing_specialist",
    "field_technician",
    "analyst",
    "read_only",
]


def _team_and_below(team_id: int | None) -> set[int]:
    if team_id is None:
        return set()
    result = set()
    for team in Team.objects.all():
        node: Team | None = team
        while node is not None:
            if node.pk == team_id:
                result.add(team.pk)
                break
            node = node.parent
    return result


def expected_visible(user: User, level: int, owner_id: int | None, team_id: int | None) -> bool:
    if level == Level.ALL:
        return True
    if level == Level.NONE:
        return False
    if owner_id is not None and owner_id == user.pk:
        return True
    if level == Level.TEAM:
        return team_id is not None and team_id == user.team_id
    if level == Level.TEAM_TREE:
        return team_id is not None and team_id in _team_and_below(user.team_id)
    return False


@dataclass
class Surface:
    record_type: str
    api_list: str
    api_detail: str  # with {pk}
    page_list: str | None
    page_link: str | None  # regex capturing the pk in links on the list page
    rows: Callable[[], list[tuple[Any, int | None, int | None]]]  # (pk, owner_id, team_id)


SURFACES = [
    Surface(
        "activities.contactrule",
        "/api/v1/contact-rules/",
        "/api/v1/contact-rules/{pk}/",
        None,  # everyone reads the Settings page; only administrators open a rule
        None,
        lambda: [(r.pk, None, None) for r in ContactRule.objects.all()],
    ),
    Surface(
        "activities.activitykind",
        "/api/v1/activity-kinds/",
        "/api/v1/activity-kinds/{pk}/",
        None,  # the Settings page lists every kind to everyone; only administrators open one
        None,
        lambda: [(k.pk, None, None) for k in ActivityKind.objects.all()],
    ),
    Surface(
        "customers.customfield",
        "/api/v1/custom-fields/",
        "/api/v1/custom-fields/{pk}/",
        "/customers/settings/fields/",
        r"/customers/settings/fields/(\d+)/",
        lambda: [(f.pk, None, None) for f in CustomField.objects.all()],
    ),
    Surface(
        "customers.person",
        "/api/v1/people/",
        "/api/v1/people/{pk}/",
        "/customers/people/",
        r"/customers/people/(\d+)/\"",
        lambda: [(p.pk, p.owner_id, p.team_id) for p in Person.objects.all()],
    ),
    Surface(
        "customers.company",
        "/api/v1/companies/",
        "/api/v1/companies/{pk}/",
        "/customers/companies/",
        r"/customers/companies/(\d+)/\"",
        lambda: [(c.pk, c.owner_id, c.team_id) for c in Company.objects.all()],
    ),
    Surface(
        "activities.activity",
        "/api/v1/activities/",
        "/api/v1/activities/{pk}/",
        None,
        None,
        lambda: [(a.pk, a.owner_id, a.team_id) for a in Activity.objects.all()],
    ),
    Surface(
        "accounts.user",
        "/api/v1/users/",
        "/api/v1/users/{pk}/",
        "/settings/users/",
        r"/settings/users/(\d+)/",
        lambda: [(u.pk, u.pk, u.team_id) for u in User.objects.all()],
    ),
    Surface(
        "accounts.team",
        "/api/v1/teams/",
        "/api/v1/teams/{pk}/",
        "/settings/teams/",
        r"/settings/teams/(\d+)/",
        lambda: [(t.pk, None, t.pk) for t in Team.objects.all()],
    ),
    Surface(
        "accounts.role",
        "/api/v1/roles/",
        "/api/v1/roles/{pk}/",
        "/settings/roles/",
        r"/settings/roles/(\d+)/",
        lambda: [(r.pk, None, None) for r in Role.objects.all()],
    ),
    Surface(
        "core.job",
        "/api/v1/jobs/",
        "/api/v1/jobs/{pk}/",
        None,
        None,
        lambda: [
            (str(j.pk), j.started_by_id, j.started_by.team_id if j.started_by else None)
            for j in Job.objects.select_related("started_by")
        ],
    ),
    Surface(
        "core.auditentry",
        "/api/v1/audit/",
        "/api/v1/audit/{pk}/",
        "/settings/audit/",
        None,
        lambda: [
            (e.pk, e.actor_id, e.actor.team_id if e.actor else None) for e in AuditEntry.objects.select_related("actor")
        ],
    ),
]


@pytest.fixture
def world(cast: Any) -> dict[str, User]:
    """One user per default role (spread over the teams), each owning a job and an audit entry."""
    users = {
        "administrator": cast.admin,
        "sales_manager": cast.manager,
        "sales_rep": cast.rep_ist,
        "read_only": cast.reader,
    }
    placement = {
        "service_agent": cast.baku,
        "marketing_specialist": cast.sales,
        "field_technician": cast.istanbul,
        "analyst": cast.sales,
    }
    for slug, team in placement.items():
        users[slug] = User.objects.create(username=slug, role=Role.objects.get(slug=slug), team=team)
    CustomField.objects.create(record_type="person", key="segment", label="Segment")
    ActivityKind.objects.create(key="tadim", name_tr="Tadım", icon="coffee")
    ContactRule.objects.create(name="Herkes", every_days=90)
    lonely = Team.objects.create(name="Elsewhere")
    outsider = User.objects.create(username="outsider", role=Role.objects.get(slug="sales_rep"), team=lonely)
    for user in [*users.values(), cast.rep_baku, outsider]:
        job = Job.objects.create(kind="core.audit_export", title=f"job of {user.username}", started_by=user)
        person = Person.objects.create(
            first_name=user.username,
            owner=user,
            team=user.team,
            customer_number=f"P{user.pk}",
            search_key=user.username,
        )
        Company.objects.create(
            name=user.username, owner=user, team=user.team, customer_number=f"C{user.pk}", search_key=user.username
        )
        audit.log_action(actor=user, instance=job, code="core.job.test")
        Activity.objects.create(
            person=person, subject=user.username, occurred_at=job.created_at, owner=user, team=user.team
        )
    return users


def _api_ids(client: Any, url: str) -> set[str]:
    response = client.get(url, {"page_size": 500})
    assert response.status_code == 200, response.content
    return {str(row["id"]) for row in response.json()["results"]}


@pytest.mark.parametrize("surface", SURFACES, ids=lambda s: s.record_type)
@pytest.mark.parametrize("role", ROLE_SLUGS)
def test_api_list_and_detail_follow_access_level(world: dict[str, User], api: Any, surface: Surface, role: str) -> None:
    user = world[role]
    level = Role.objects.get(slug=role).level(surface.record_type, "read")
    client = api(user)
    rows = surface.rows()
    expected = {str(pk) for pk, owner, team in rows if expected_visible(user, level, owner, team)}
    if level == Level.NONE:
        assert client.get(surface.api_list).status_code == 403
    else:
        assert _api_ids(client, surface.api_list) == expected
    for pk, _owner, _team in rows:
        status = client.get(surface.api_detail.format(pk=pk)).status_code
        assert status == (200 if str(pk) in expected else 404), (role, surface.record_type, pk)


@pytest.mark.parametrize("surface", [s for s in SURFACES if s.page_list], ids=lambda s: s.record_type)
@pytest.mark.parametrize("role", ROLE_SLUGS)
def test_list_pages_follow_access_level(world: dict[str, User], surface: Surface, role: str) -> None:
    user = world[role]
    level = Role.objects.get(slug=role).level(surface.record_type, "read")
    client = Client()
    client.force_login(user)
    response = client.get(surface.page_list)
    if level == Level.NONE:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    rows = surface.rows()
    expected = {str(pk) for pk, owner, team in rows if expected_visible(user, level, owner, team)}
    if surface.page_link:
        assert set(re.findall(surface.page_link, response.content.decode())) == expected
    else:
        assert response.context["page"].paginator.count == len(expected)


def test_every_record_type_has_a_surface_in_the_matrix() -> None:
    """Adding a record type without adding it here fails, so the matrix cannot silently fall behind."""
    assert set(RECORD_TYPES) == {s.record_type for s in SURFACES}


def test_rep_cannot_read_other_teams_user_by_guessing_id(cast: Any, api: Any) -> None:
    assert api(cast.rep_ist).get(f"/api/v1/users/{cast.rep_baku.pk}/").status_code == 404
    client = Client()
    client.force_login(cast.rep_ist)
    assert client.get(f"/settings/users/{cast.rep_baku.pk}/").status_code == 404
    assert api(cast.manager).get(f"/api/v1/users/{cast.rep_baku.pk}/").status_code == 200


def test_visible_but_not_editable_is_403(cast: Any, api: Any) -> None:
    response = api(cast.manager).patch(f"/api/v1/users/{cast.rep_baku.pk}/", {"first_name": "X"}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    cast.rep_baku.refresh_from_db()
    assert cast.rep_baku.first_name != "X"


def test_jobs_page_of_another_team_is_404(cast: Any) -> None:
    job = Job.objects.create(kind="core.audit_export", title="t", started_by=cast.rep_baku)
    client = Client()
    client.force_login(cast.rep_ist)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    client.force_login(cast.manager)
    assert client.get(f"/jobs/{job.pk}/").status_code == 200
