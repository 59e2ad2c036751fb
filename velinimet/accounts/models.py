"""Users, teams (nested, like business units), roles with per-record-type access levels, API tokens."""

from __future__ import annotations

import hashlib
import unicodedata
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import connection, models
from django.db.models.functions import Lower
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from velinimet.core.compiled import prepared_cursor
from velinimet.core.registry import RECORD_TYPES
from velinimet.core.text import tr_lower
from velinimet.core.visibility import Level

#: The team table's edges, in ``Team.Meta.ordering`` so the tree is walked as the ORM would list it.
_TEAM_EDGES_SQL = "SELECT id, parent_id FROM {team}"
#: Every team's "id:parent_id", comma-separated, as one value: a column of the API token's statement.
_TEAM_EDGES_AGGREGATE = {
    "postgresql": "SELECT string_agg(id::text || ':' || coalesce(parent_id::text, ''), ',') FROM {team}",
    "sqlite": "SELECT group_concat(id || ':' || coalesce(parent_id, ''), ',') FROM {team}",
}


def team_edges_sql() -> str:
    """SQL of one value holding every team's edge to its parent (``Team.parse_edges`` reads it)."""
    template = _TEAM_EDGES_AGGREGATE.get(connection.vendor, _TEAM_EDGES_AGGREGATE["sqlite"])
    return template.format(team=connection.ops.quote_name(Team._meta.db_table))


class Team(models.Model):
    """A group of users; teams nest (a parent team with sub-teams), like Dynamics business units."""

    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="team_name_unique_ci")]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def tree_ids(root_id: int) -> list[int]:
        """``root_id`` and every team below it (one query over the small team table).

        Read on every request of a "team and sub-teams" user (visibility), so it bypasses the ORM: the
        compiled ``values_list`` cost ten times the statement. Not cached across requests: a cache in
        one web worker would not see a team moved in another.
        """
        with prepared_cursor() as cursor:
            cursor.execute(_TEAM_EDGES_SQL.format(team=connection.ops.quote_name(Team._meta.db_table)))
            return Team.tree_from_edges(root_id, cursor.fetchall())

    @staticmethod
    def parse_edges(text: str | None) -> list[tuple[int, int | None]]:
        """The value of ``team_edges_sql()`` as (id, parent_id) pairs."""
        edges = []
        for edge in (text or "").split(","):
            if edge:
                pk, _sep, parent = edge.partition(":")
                edges.append((int(pk), int(parent) if parent else None))
        return edges

    @staticmethod
    def tree_from_edges(root_id: int, edges: list[tuple[int, int | None]]) -> list[int]:
        """``root_id`` and the teams below it, depth first, children by id (the same order however read)."""
        children: dict[int | None, list[int]] = {}
        for pk, parent_id in sorted(edges):
            children.setdefault(parent_id, []).append(pk)
        found, stack = [], [root_id]
        while stack:
            current = stack.pop()
            if current in found:
                continue
            found.append(current)
            stack.extend(reversed(children.get(current, [])))
        return found

    def ancestors(self) -> list[Team]:
        chain, node, seen = [], self.parent, {self.pk}
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return list(reversed(chain))


class Role(models.Model):
    """A set of access levels: per record type and action, none / own / team / team tree / all.

    ``permissions`` holds what an administrator set: ``{"core.job": {"read": 4, ...}}``. A default
    role (``slug`` set) falls back to each record type's registered default for that role, so a new
    module's record types get sensible levels without a data migration.
    """

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("system key"), max_length=50, unique=True, null=True, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    permissions = models.JSONField(_("permissions"), default=dict, blank=True)
    require_2fa = models.BooleanField(_("require two-factor authentication"), default=False)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="role_name_unique_ci")]

    def __str__(self) -> str:
        # Default roles keep their English name in the database and show it translated.
        return gettext(self.name) if self.slug else self.name

    @property
    def display_description(self) -> str:
        return gettext(self.description) if self.slug and self.description else self.description

    @property
    def is_system(self) -> bool:
        return bool(self.slug)

    def level(self, record_type: str, action: str) -> int:
        explicit = self.permissions.get(record_type, {}).get(action)
        if explicit is not None:
            return int(explicit)
        rt = RECORD_TYPES.get(record_type)
        if rt is None or not self.slug:
            return Level.NONE
        return int(rt.defaults.get(self.slug, {}).get(action, Level.NONE))

    def matrix(self) -> dict[str, dict[str, int]]:
        """The effective level for every registered record type and action."""
        return {key: {a: self.level(key, a) for a in rt.actions} for key, rt in RECORD_TYPES.items()}


def name_key(name: str) -> str:
    """The key under which two usernames (or team and role names) are the same name.

    Case-insensitive in the Turkish and in the English sense at once: "AYŞE" = "ayşe", and
    "İLKER" = "ILKER" = "ilker" = "ılker", because whether an upper-case I is dotless depends on
    the keyboard it was typed on. Login, the uniqueness check and the login lockout all use this
    one key, so a name that logs someone in is counted as theirs when it fails.
    """
    return tr_lower(unicodedata.normalize("NFKC", name.strip())).casefold().replace("ı", "i")


class UserManager(DjangoUserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        """The user whose username has ``username``'s ``name_key``; the exact spelling wins if two do.

        Compared in Python over the username column (SQLite's LIKE and PostgreSQL's lower() know
        no Turkish case rules): one scan of a small table, ~2 ms per 1,000 users (1.1 ms of it the keys),
        well under the password hash every login costs.
        """
        key = name_key(username or "")
        matches = [(pk, name) for pk, name in self.values_list("pk", "username").iterator() if name_key(name) == key]
        if len(matches) > 1:  # names that collided before this rule: only the exact spelling logs in
            matches = [(pk, name) for pk, name in matches if name == username]
        if len(matches) != 1:
            raise self.model.DoesNotExist
        return self.get(pk=matches[0][0])


class User(AbstractUser):
    """A person who works in Velinimet: one team, one role, a language and a time zone."""

    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    role = models.ForeignKey(
        Role, verbose_name=_("role"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="tr")
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Istanbul")
    extension = models.CharField(_("phone extension"), max_length=20, blank=True)

    objects = UserManager()  # type: ignore[misc]

    audit_exclude = ("password", "last_login", "date_joined")

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            models.UniqueConstraint(Lower("username"), name="user_username_unique_ci"),
            # Two users never share an e-mail address in any case; many may have none.
            models.UniqueConstraint(Lower("email"), condition=~models.Q(email=""), name="user_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def access_level(self, record_type: str, action: str) -> int:
        if self.is_superuser:
            return Level.ALL
        if self.role is None:
            return Level.NONE
        return self.role.level(record_type, action)

    def visible_team_ids(self, include_sub_teams: bool) -> list[int]:
        if self.team_id is None:
            return []
        if not include_sub_teams:
            return [self.team_id]
        cache: dict[str, Any] = self.__dict__.setdefault("_team_tree_cache", {})
        if "tree" not in cache:
            if "edges" in cache:  # read with the user (API token authentication)
                cache["tree"] = Team.tree_from_edges(self.team_id, cache["edges"])
            else:
                cache["tree"] = Team.tree_ids(self.team_id)
        return list(cache["tree"])

    def preload_team_edges(self, edges: list[tuple[int, int | None]]) -> None:
        """Every team's parent, read in the same statement as this user: no second read for the tree."""
        self.__dict__.setdefault("_team_tree_cache", {})["edges"] = edges

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or (self.role is not None and self.role.slug == "administrator")


class ApiToken(models.Model):
    """A revocable API key. Only a SHA-256 hash is stored; the key is shown once when created."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
