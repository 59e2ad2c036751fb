"""API authentication by revocable token: ``Authorization: Token <key>``."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection, models
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from velinimet.core.compiled import compiled, concrete_fields, instance, text_marker

from .middleware import activate_preferences
from .models import ApiToken, Role, Team, User, team_edges_sql

#: The token's row and, joined to it, its user's, the user's team's and role's: (prefix, model) in order.
_PARTS: tuple[tuple[str, type[models.Model]], ...] = (
    ("", ApiToken),
    ("user__", User),
    ("user__team__", Team),
    ("user__role__", Role),
)


def _token_query(key_hash: str) -> QuerySet[Any]:
    columns = [prefix + name for prefix, model in _PARTS for name in concrete_fields(model)]
    live = ApiToken.objects.filter(key_hash=key_hash, revoked_at__isnull=True)
    edges = RawSQL(team_edges_sql(), ())  # noqa: S611 - constant SQL, no user input
    return live.annotate(team_edges=edges).values_list(*columns, "team_edges")[:1]


def token_with_user(key: str) -> ApiToken | None:
    """The live token with this key, its user, the user's team and role loaded with it, and every team's
    parent (for the "team and sub-teams" visibility), in one statement compiled once
    (``core.compiled``): every API request authenticates, and building the four-model
    ``select_related`` queryset cost more than the indexed read itself."""
    row = compiled(("api-token", connection.vendor), _token_query, [text_marker(0)]).first(ApiToken.hash_key(key))
    if row is None:
        return None
    loaded: list[Any] = []
    start = 0
    for _prefix, model in _PARTS:
        fields = concrete_fields(model)
        values = row[start : start + len(fields)]
        start += len(fields)
        loaded.append(None if values[0] is None else instance(model, fields, values))  # no team, no role
    token, user, team, role = loaded
    user.team, user.role = team, role
    user.preload_team_edges(Team.parse_edges(row[-1]))
    token.user = user
    return token


class ApiTokenAuthentication(authentication.TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        token = token_with_user(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        now = timezone.now()
        # Touch last_used at most once a minute: a write per request would cost more than the request.
        if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        # Middleware runs before DRF authenticates a token, so the user's language is applied here.
        activate_preferences(token.user)
        return token.user, token
