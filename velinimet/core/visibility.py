"""Record visibility: the one place that decides which rows a user may read, change or export.

A role gives, per record type and action, a level: none, own, team, team and sub-teams, all
(like Dynamics 365's business units). Views, API viewsets, search, exports and reports all go
through ``restrict()`` / ``get_for_user()``; nothing else filters by owner or team.

The user object supplies two things (see accounts.User): ``access_level(record_type, action)``
and ``visible_team_ids(include_sub_teams)``. Keeping that as a protocol keeps core independent
of the accounts app.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Protocol, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .registry import RECORD_TYPES, RecordType, record_type_for_model

M = TypeVar("M", bound=models.Model)


class Level(models.IntegerChoices):
    NONE = 0, _("None")
    OWN = 1, _("Own records")
    TEAM = 2, _("Own team")
    TEAM_TREE = 3, _("Team and sub-teams")
    ALL = 4, _("All records")


class Action(models.TextChoices):
    READ = "read", pgettext_lazy("permission", "Read")
    CREATE = "create", pgettext_lazy("permission", "Create")
    UPDATE = "update", pgettext_lazy("permission", "Update")
    DELETE = "delete", pgettext_lazy("permission", "Delete")
    ASSIGN = "assign", pgettext_lazy("permission", "Assign")
    EXPORT = "export", pgettext_lazy("permission", "Export")


def uniform(
    level: int, actions: tuple[str, ...] = ("read", "create", "update", "delete", "assign", "export")
) -> dict[str, int]:
    """The same ``level`` for every one of ``actions``: a role's default levels on a record type."""
    return dict.fromkeys(actions, level)


class AccessSubject(Protocol):
    """What the kernel needs of a user (accounts.User is one): core types its actors with this, since it
    imports no domain app."""

    @property
    def pk(self) -> Any: ...

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def is_active(self) -> bool: ...

    @property
    def is_administrator(self) -> bool: ...

    def get_username(self) -> str: ...

    def access_level(self, record_type: str, action: str) -> int: ...

    def visible_team_ids(self, include_sub_teams: bool) -> list[int]: ...


def _record_type(model_or_key: type[models.Model] | str) -> RecordType:
    if isinstance(model_or_key, str):
        return RECORD_TYPES[model_or_key]
    rt = record_type_for_model(model_or_key)
    if rt is None:
        raise LookupError(f"{model_or_key.__name__} is not a registered record type")
    return rt


def level_for(user: AccessSubject, record_type: str, action: str) -> Level:
    """The access level ``user`` has for ``action`` on ``record_type``."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Level.NONE
    return Level(user.access_level(record_type, action))


def ownership_q(rt: RecordType, user: AccessSubject, level: int, prefix: str = "") -> Q | None:
    """The filter for ``level``; ``None`` means no restriction (all rows). ``prefix`` is the ORM path to
    the record from the queried model (``"person__"`` for an activity's person)."""
    if level >= Level.ALL:
        return None
    if level <= Level.NONE:
        return Q(**{f"{prefix}pk__in": []})
    q = Q(**{f"{prefix}{rt.owner_field}": user.pk}) if rt.owner_field else Q(**{f"{prefix}pk__in": []})
    if level >= Level.TEAM and rt.team_field:
        team_ids = user.visible_team_ids(include_sub_teams=level >= Level.TEAM_TREE)
        if team_ids:
            q |= Q(**{f"{prefix}{rt.team_field}__in": team_ids})
    return q


def access_q(
    rt: RecordType,
    user: AccessSubject,
    action: str = Action.READ,
    prefix: str = "",
    parents_checked: Collection[str] = (),
) -> Q | None:
    """The whole rule for ``action`` on ``rt``: its own ownership filter and, for a record type that
    declares ``parents``, "each parent it has is one the user may read" (recursively). ``None``: all rows.
    ``parents_checked`` names parents the caller has already fetched for this user (see ``restrict()``).

    Query cost: a parent whose type the user reads at level "all" adds nothing; any other adds a
    LEFT JOIN on the parent's primary key and the parent's owner/team test, checked row by row as the
    outer query walks its own index. A subquery (``person_id IN (SELECT id FROM person WHERE …)``)
    would be built whole first: every person a manager sees, on every timeline page."""
    level = level_for(user, rt.key, action)
    q = ownership_q(rt, user, level, prefix)
    if level <= Level.NONE:
        return q
    model = rt.model_class()
    for path in rt.parents:
        if path in parents_checked:
            continue
        parent_rt = _record_type(model._meta.get_field(path).related_model)
        parent_q = access_q(parent_rt, user, Action.READ, f"{prefix}{path}__")
        if parent_q is None:
            continue
        # An activity with no company is not hidden by the company rule: only the parents it has count.
        rule = Q(**{f"{prefix}{path}__isnull": True}) | parent_q
        q = rule if q is None else q & rule
    return q


def restriction_key(
    model: type[models.Model], user: AccessSubject, action: str = Action.READ, *, parents_checked: Collection[str] = ()
) -> tuple[Any, ...]:
    """What ``restrict(<queryset of model>, user, action, ...)`` adds to a query, as a hashable key: the key
    of a compiled query (``core.compiled``) that goes through ``restrict()``. It holds the parents' rules too."""
    rt = _record_type(model)
    q = access_q(rt, user, action, parents_checked=parents_checked)
    return (rt.key, action, level_for(user, rt.key, action), q)


def restrict(
    queryset: models.QuerySet[M],
    user: AccessSubject,
    action: str = Action.READ,
    *,
    parents_checked: Collection[str] = (),
) -> models.QuerySet[M]:
    """Narrow ``queryset`` to the rows ``user`` may ``action``: owner, team and role, and for a child record
    type (``RecordType.parents``) only rows whose parents the user may read.

    ``parents_checked``: parents the caller has already fetched for this user and filters ``queryset`` to,
    such as the person whose timeline this is (``timeline(user, "person", person.pk)`` after
    ``get_person_for_user``); their rule is not repeated, the other parents' rules still apply."""
    rt = _record_type(queryset.model)
    q = access_q(rt, user, action, parents_checked=parents_checked)
    return queryset if q is None else queryset.filter(q)


def can(user: AccessSubject, obj: models.Model, action: str) -> bool:
    """Whether ``user`` may ``action`` this saved record (one indexed query, or none)."""
    rt = _record_type(type(obj))
    level = level_for(user, rt.key, action)
    if level == Level.NONE:
        return False
    q = access_q(rt, user, action)
    if q is None:
        return True
    return type(obj)._default_manager.filter(q, pk=obj.pk).exists()


def can_create(user: AccessSubject, record_type: str, *, owner_id: Any = None, team_id: Any = None) -> bool:
    """Whether ``user`` may create a record of ``record_type`` owned by ``owner_id`` in ``team_id``."""
    level = level_for(user, record_type, Action.CREATE)
    if level >= Level.ALL:
        return True
    if level == Level.NONE:
        return False
    if owner_id is None or owner_id == user.pk:
        return True
    if level >= Level.TEAM and team_id is not None:
        return team_id in user.visible_team_ids(include_sub_teams=level >= Level.TEAM_TREE)
    return False


def get_for_user(queryset: models.QuerySet[M], user: AccessSubject, pk: Any, *, action: str = Action.READ) -> M:
    """Fetch one record for ``user``: 404 when they may not see it, 403 when they may see but not ``action`` it."""
    try:
        obj = restrict(queryset, user, Action.READ).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    except Exception as exc:  # malformed primary keys (e.g. a bad UUID) are "not found" too
        from django.core.exceptions import ValidationError

        if isinstance(exc, ValidationError):
            raise Http404 from exc
        raise
    if action != Action.READ and not can(user, obj, action):
        raise PermissionDenied
    return obj


def can_read_type(user: AccessSubject, record_type: str) -> bool:
    return level_for(user, record_type, Action.READ) > Level.NONE
