"""Reads of users, teams and roles, narrowed by visibility."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from velinimet.core.search import SearchHit, rank
from velinimet.core.text import fold
from velinimet.core.visibility import Level, restrict

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


#: Owning a record means answering for it and changing it: a user can own records of a type only when their role
#: may create or update that type. A read-only user owns nothing, so no picker offers them and no service accepts them.
OWNING_ACTIONS = ("create", "update")


def can_own(user: User, record_type: str) -> bool:
    """Whether ``user`` may be the owner of a record of ``record_type`` (the one rule; see OWNING_ACTIONS)."""
    if not getattr(user, "is_active", False):
        return False
    return any(user.access_level(record_type, action) > Level.NONE for action in OWNING_ACTIONS)


def assignable_users(viewer: Any, record_type: str) -> QuerySet[User]:
    """The active users ``viewer`` sees who can own a record of ``record_type``: the owner pickers' choices.

    The roles are few, so their levels (code defaults merged with what an administrator set) are read in
    Python and the users filtered by role id in one query."""
    role_ids = [
        role.pk for role in Role.objects.all() if any(role.level(record_type, a) > Level.NONE for a in OWNING_ACTIONS)
    ]
    owners = User.objects.filter(is_active=True).filter(Q(role_id__in=role_ids) | Q(is_superuser=True))
    return restrict(owners.select_related("team", "role"), viewer)


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
