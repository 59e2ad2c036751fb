"""The URL matrix rows of accounts: login, the user's own settings, the administration of users, teams and
roles, and their API (see velinimet/core/tests/url_matrix.py)."""

from __future__ import annotations

from typing import Any

from velinimet.accounts.models import User
from velinimet.core.tests.url_matrix import ALL, GET, Op, Row, page, post_only, someone_else
from velinimet.core.tests.url_world import World, unique


def empty_team(world: World, user: User) -> dict[str, Any]:
    return {"pk": world.team.pk}


def user_form(world: World, user: User) -> dict[str, Any]:
    return {
        "username": unique("kullanici").replace(" ", ""),
        "language": "tr",
        "time_zone": "Europe/Istanbul",
        "is_active": "on",
        "password": "Uzun-bir-parola-2026!",
    }


def self_form(world: World, user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "first_name": user.first_name,
        "team": user.team_id or "",
        "role": user.role_id or "",
        "language": user.language,
        "time_zone": user.time_zone,
        "is_active": "on",
    }


def team_form(world: World, user: User) -> dict[str, Any]:
    return {"name": unique("Ekip")}


def role_form(world: World, user: User) -> dict[str, Any]:
    return {"name": unique("Rol")}


def reset_link(world: World, user: User) -> dict[str, Any]:
    """A valid "forgot password" link of the caller (anonymous: the administrator's); GET does not use it up."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    target = user if getattr(user, "pk", None) else world.users["administrator"]
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(target.pk)),
        "token": default_token_generator.make_token(target),
    }


def forgot_form(world: World, user: User) -> dict[str, Any]:
    """A "forgot password" request; the per-IP limit is reset first, since every caller here has one IP."""
    from django.core.cache import cache

    cache.clear()
    return {"identifier": unique("kimse").replace(" ", "") + "@example.com"}


USER, TEAM, ROLE = "accounts.user", "accounts.team", "accounts.role"

ROWS: dict[str, Row] = {
    # --- accounts: login, own settings ------------------------------------------------------
    "accounts:login": Row(methods={"GET": GET}, public=True),
    "accounts:login_verify": Row(methods={"GET": GET}, public=True),
    "accounts:logout": Row(methods={"POST": GET}, public=True),
    "accounts:set_language": Row(methods={"POST": Op(data=lambda w, u: {"language": "en"})}, public=True),
    "accounts:account": page(post=Op(data=lambda w, u: {"language": "tr", "time_zone": "Europe/Istanbul"})),
    "accounts:password_change": page(post=Op()),
    "accounts:tokens": page(post=Op(data=lambda w, u: {"name": "test"})),
    "accounts:token_revoke": post_only(
        Op(),
        kwargs=lambda w, u: {"pk": w.of(u).token.pk},
        foreign=lambda w, u: {"pk": w.of(someone_else(w, u)).token.pk},
    ),
    "accounts:two_factor": page(post=Op()),
    "accounts:backup_codes_download": post_only(Op(data=lambda w, u: {"code": ["abcd-efgh"]})),
    "accounts:password_forgot": Row(methods={"GET": GET, "POST": Op(data=forgot_form)}, public=True),
    "accounts:password_reset_confirm": Row(kwargs=reset_link, methods={"GET": GET}, public=True),
    # --- accounts: administration -----------------------------------------------------------
    "accounts:user_list": page(((USER, "read"),)),
    "accounts:user_create": page(((USER, "create"),), post=Op(needs=((USER, "create"),), data=user_form)),
    "accounts:user_edit": page(
        ((USER, "read"),), post=Op(needs=((USER, "update"),), data=self_form), kwargs=lambda w, u: {"pk": u.pk}
    ),
    "accounts:user_password_reset": post_only(
        Op(needs=((USER, "update"),), data=lambda w, u: {"password": "Uzun-bir-parola-2026!"}),
        kwargs=lambda w, u: {"pk": u.pk},
    ),
    "accounts:user_tokens_revoke": post_only(Op(needs=((USER, "update"),)), kwargs=lambda w, u: {"pk": u.pk}),
    "accounts:user_token_create": post_only(
        Op(needs=((USER, "update"),), data=lambda w, u: {"name": "entegrasyon"}), kwargs=lambda w, u: {"pk": u.pk}
    ),
    "accounts:user_two_factor_reset": post_only(Op(needs=((USER, "update"),)), kwargs=lambda w, u: {"pk": u.pk}),
    "accounts:user_lockout_lift": post_only(Op(needs=((USER, "update"),)), kwargs=lambda w, u: {"pk": u.pk}),
    "accounts:team_list": page(((TEAM, "read"),)),
    "accounts:team_create": page(((TEAM, "create", ALL),), post=Op(needs=((TEAM, "create", ALL),), data=team_form)),
    "accounts:team_edit": page(
        ((TEAM, "read"),),
        post=Op(needs=((TEAM, "update"),), data=lambda w, u: {"name": u.team.name if u.team else "x"}),
        kwargs=lambda w, u: {"pk": u.team_id},
    ),
    "accounts:team_delete": post_only(Op(needs=((TEAM, "delete", ALL),)), kwargs=empty_team),
    "accounts:role_list": page(((ROLE, "read"),)),
    "accounts:role_create": page(((ROLE, "create"),), post=Op(needs=((ROLE, "create"),), data=role_form)),
    "accounts:role_edit": page(
        ((ROLE, "read"),),
        post=Op(needs=((ROLE, "update"),), data=lambda w, u: {"name": w.role.name}),
        kwargs=lambda w, u: {"pk": w.role.pk},
    ),
    "accounts:role_delete": post_only(Op(needs=((ROLE, "delete"),)), kwargs=lambda w, u: {"pk": w.role.pk}),
    # --- API: accounts ----------------------------------------------------------------------
    "me": Row(methods={"GET": GET}),
    "me-preferences": Row(methods={"PATCH": Op(data=lambda w, u: {"language": "tr"})}),
    "user-list": Row(
        methods={"GET": Op(needs=((USER, "read"),)), "POST": Op(needs=((USER, "create"),), data=user_form)}
    ),
    "user-detail": Row(
        kwargs=lambda w, u: {"pk": u.pk},
        methods={
            "GET": Op(needs=((USER, "read"),)),
            "PUT": Op(needs=((USER, "update"),), data=lambda w, u: {"username": u.username}),
            "PATCH": Op(needs=((USER, "update"),), data=lambda w, u: {"first_name": u.first_name}),
        },
    ),
    "user-revoke-tokens": Row(kwargs=lambda w, u: {"pk": u.pk}, methods={"POST": Op(needs=((USER, "update"),))}),
    "user-reset-two-factor": Row(kwargs=lambda w, u: {"pk": u.pk}, methods={"POST": Op(needs=((USER, "update"),))}),
    "user-lift-lockout": Row(kwargs=lambda w, u: {"pk": u.pk}, methods={"POST": Op(needs=((USER, "update"),))}),
    "team-list": Row(
        methods={"GET": Op(needs=((TEAM, "read"),)), "POST": Op(needs=((TEAM, "create", ALL),), data=team_form)}
    ),
    "team-detail": Row(
        kwargs=lambda w, u: {"pk": u.team_id},
        methods={
            "GET": Op(needs=((TEAM, "read"),)),
            "PUT": Op(needs=((TEAM, "update"),), data=lambda w, u: {"name": u.team.name if u.team else "x"}),
            "PATCH": Op(needs=((TEAM, "update"),), data=lambda w, u: {"description": "d"}),
            "DELETE": Op(needs=((TEAM, "delete", ALL),), kwargs=empty_team),
        },
    ),
    "role-list": Row(
        methods={"GET": Op(needs=((ROLE, "read"),)), "POST": Op(needs=((ROLE, "create"),), data=role_form)}
    ),
    "role-detail": Row(
        kwargs=lambda w, u: {"pk": w.role.pk},
        methods={
            "GET": Op(needs=((ROLE, "read"),)),
            "PUT": Op(needs=((ROLE, "update"),), data=lambda w, u: {"name": w.role.name}),
            "PATCH": Op(needs=((ROLE, "update"),), data=lambda w, u: {"description": "d"}),
            "DELETE": Op(needs=((ROLE, "delete"),)),
        },
    ),
    "token-list": Row(methods={"GET": GET, "POST": Op(data=lambda w, u: {"name": "yeni"})}),
    "token-detail": Row(
        kwargs=lambda w, u: {"pk": w.of(u).token.pk},
        methods={"DELETE": GET},
        foreign=lambda w, u: {"pk": w.of(someone_else(w, u)).token.pk},
    ),
}
