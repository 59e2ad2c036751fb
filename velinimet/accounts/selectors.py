"""Reads of users, teams and roles, narrowed by visibility."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from velinimet.core.search import SearchHit, rank
from velinimet.core.text import fold
from velinimet.core.visibility import restrict

from .models import Role, Team, User


def user_list(viewer: Any, *, q: str = "") -> QuerySet[User]:
    qs = restrict(User.objects.select_related("team", "role"), viewer)
    key = fold(q)
    if key:
        # Folded matching ("ipek" finds "İpek"), done in Python over the small users table.
        rows = qs.values_list("pk", "username", "first_name", "last_name", "email")
        ids = [pk for pk, *names in rows if any(key in fold(n) for n in [*names, f"{names[1]} {names[2]}"])]
        qs = qs.filter(pk__in=ids)
    return qs


def active_users(viewer: Any) -> QuerySet[User]:
    """Active users ``viewer`` may see: who a record can be given to, who a list can be filtered by."""
    return restrict(User.objects.filter(is_active=True), viewer)


def team_list(viewer: Any) -> QuerySet[Team]:
    return restrict(Team.objects.select_related("parent"), viewer)


def role_list(viewer: Any) -> QuerySet[Role]:
    return restrict(Role.objects.all(), viewer)


def team_tree(viewer: Any) -> list[tuple[Team, int]]:
    """Visible teams in tree order with their depth (a team whose parent is hidden starts a root)."""
    teams = list(team_list(viewer))
    ids = {t.pk for t in teams}
    children: dict[int | None, list[Team]] = {}
    for team in teams:
        children.setdefault(team.parent_id if team.parent_id in ids else None, []).append(team)
    out: list[tuple[Team, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for team in sorted(children.get(parent, []), key=lambda t: fold(t.name)):
            out.append((team, depth))
            walk(team.pk, depth + 1)

    walk(None, 0)
    return out


def search_users(viewer: Any, query: str, limit: int) -> list[SearchHit]:
    """Users matching any word of their name, username or e-mail (folded), for the global search."""
    from django.urls import reverse

    key = fold(query)
    candidates = user_list(viewer)[:2000]  # the user table is small; folding in Python is exact
    hits = []
    for user in candidates:
        score = rank(key, user.get_full_name(), user.first_name, user.last_name, user.username, user.email)
        if score:
            hits.append(
                SearchHit(
                    type="user",
                    id=user.pk,
                    title=str(user),
                    score=score,
                    subtitle=f"{user.username} · {user.role or ''}",
                    url=reverse("accounts:user_edit", args=[user.pk]),
                )
            )
    return sorted(hits, key=lambda h: -h.score)[:limit]


def search_teams(viewer: Any, query: str, limit: int) -> list[SearchHit]:
    from django.urls import reverse

    key = fold(query)
    hits = []
    for team in team_list(viewer)[:2000]:
        score = rank(key, team.name)
        if score:
            hits.append(
                SearchHit(
                    type="team",
                    id=team.pk,
                    title=team.name,
                    score=score,
                    url=reverse("accounts:team_edit", args=[team.pk]),
                )
            )
    return sorted(hits, key=lambda h: -h.score)[:limit]
