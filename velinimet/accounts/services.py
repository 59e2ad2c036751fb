"""Every write to users, teams, roles, tokens and preferences: validated, permission-checked, audited."""

from __future__ import annotations

import re
import zoneinfo
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from velinimet.core import audit
from velinimet.core.registry import RECORD_TYPES
from velinimet.core.visibility import Level, can, can_create, level_for

from . import sessions
from .api_tokens import _do_tokens_revoke
from .api_tokens import token_create as token_create  # re-exported: callers use services.token_*
from .api_tokens import token_revoke as token_revoke
from .api_tokens import user_tokens_revoke as user_tokens_revoke
from .exceptions import Conflict, DomainError, InvalidField, NotAllowed
from .models import Role, Team, User, name_key
from .selectors import can_own

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}
USER_FIELDS = ("first_name", "last_name", "email", "team", "role", "language", "time_zone", "extension", "is_active")


# --- validation helpers ---------------------------------------------------------------------
def _same_name_exists(queryset: Any, field: str, value: str, exclude_pk: Any = None) -> bool:
    """Case-insensitive in the Turkish sense ("SATIŞ" = "Satış"), which SQLite's LIKE is not.

    Compared in Python over one column: teams, roles and usernames are small tables.
    """
    key = name_key(value)
    others = queryset.exclude(pk=exclude_pk).values_list(field, flat=True)
    return any(name_key(other) == key for other in others.iterator())


def check_language(code: str) -> str:
    if code not in LANGUAGE_CODES:
        raise InvalidField(
            "language",
            _("Unknown language “%(code)s”. Choose one of: %(choices)s.")
            % {"code": code, "choices": ", ".join(sorted(LANGUAGE_CODES))},
        )
    return code


def check_time_zone(name: str) -> str:
    if not name or name not in zoneinfo.available_timezones():
        raise InvalidField(
            "time_zone", _("Unknown time zone “%(name)s”, e.g. Europe/Istanbul or Asia/Baku.") % {"name": name}
        )
    return name


def check_password(password: str, user: User | None = None, field: str = "password") -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], code="weak_password", errors={field: list(exc.messages)}) from exc


def _check_email(email: str) -> str:
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise InvalidField("email", _("Enter a valid e-mail address.")) from exc
        local, _at, domain = email.rpartition("@")
        email = f"{local}@{domain.lower()}"
    return email


def _email_taken(email: str) -> Conflict:
    return Conflict(
        _("The e-mail address %(email)s is already another user's.") % {"email": email},
        code="duplicate_email",
        errors={"email": [_("Another user has this e-mail address.")]},
    )


def _check_email_free(email: str, instance: User | None) -> None:
    """Two users never share an e-mail address, whatever its case (the password reset finds a user by it).
    The database's ``user_email_unique_ci`` holds the same rule against concurrent saves."""
    if not email:
        return
    others = User.objects.filter(email__iexact=email)
    if instance is not None:
        others = others.exclude(pk=instance.pk)
    if others.exists():
        raise _email_taken(email)


def check_owner(owner: Any, record_type: str) -> None:
    """Refuse ``owner`` as the owner of a record of ``record_type`` unless ``selectors.can_own`` (not a read-only
    user). The customers and activities services call it wherever a record gets an owner."""
    if not can_own(owner, record_type):
        message = _("%(name)s cannot own records: their role may not change them.") % {"name": owner}
        raise DomainError(message, code="owner_cannot_own", errors={"owner": [message]})


def _require(user: User, record_type: str, action: str, obj: Any = None) -> None:
    allowed = can(user, obj, action) if obj is not None else level_for(user, record_type, action) > Level.NONE
    if not allowed:
        raise NotAllowed(_("You do not have permission to do this."))


# --- users ----------------------------------------------------------------------------------
def _clean_user_fields(fields: dict[str, Any], *, instance: User | None = None) -> dict[str, Any]:
    clean = dict(fields)
    if "language" in clean:
        check_language(clean["language"])
    if "time_zone" in clean:
        check_time_zone(clean["time_zone"])
    if "email" in clean:
        clean["email"] = _check_email(clean["email"])
    for name in ("first_name", "last_name", "extension"):
        if name in clean:
            clean[name] = (clean[name] or "").strip()
    if clean.get("extension"):
        _check_extension(clean["extension"], instance)
    return clean


def _check_extension(extension: str, instance: User | None) -> None:
    """An extension is what a phone system dials (digits, * and #), and rings for one user only: the
    screen-pop of a call goes to the user with that extension."""
    if not re.fullmatch(r"[0-9*#]{1,20}", extension):
        raise InvalidField("extension", _("An extension has digits only (and * or #)."))
    others = User.objects.filter(extension=extension, is_active=True)
    holder = (others.exclude(pk=instance.pk) if instance is not None else others).first()
    if holder is not None:
        raise InvalidField(
            "extension", _("Extension %(extension)s is already %(user)s's.") % {"extension": extension, "user": holder}
        )


def _check_username(username: str, exclude_pk: int | None = None) -> str:
    username = (username or "").strip()
    if not username:
        raise InvalidField("username", _("Enter a username."))
    try:
        User.username_validator(username)
    except ValidationError as exc:
        raise InvalidField("username", str(exc.messages[0])) from exc
    if _same_name_exists(User.objects.all(), "username", username, exclude_pk):
        raise Conflict(
            _("The username “%(name)s” is taken.") % {"name": username},
            code="duplicate_username",
            errors={"username": [_("This username is taken.")]},
        )
    return username


def _check_assignment(actor: User, clean: dict[str, Any]) -> None:
    """Only users who may assign users can set someone's team or role; only administrators grant Administrator."""
    if ("team" in clean or "role" in clean) and level_for(actor, "accounts.user", "assign") == Level.NONE:
        raise NotAllowed(_("You may not change teams or roles."))
    role = clean.get("role")
    if role is not None and role.slug == "administrator" and not getattr(actor, "is_administrator", False):
        raise NotAllowed(_("Only administrators can grant the Administrator role."))


@transaction.atomic
def user_create(*, actor: User, username: str, password: str, **fields: Any) -> User:
    """Create a user; ``fields`` are any of USER_FIELDS."""
    unknown = set(fields) - set(USER_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    clean = _clean_user_fields(fields)
    team = clean.get("team")
    if not can_create(actor, "accounts.user", owner_id=-1, team_id=team.pk if team else None):
        raise NotAllowed(_("You do not have permission to create users."))
    _check_assignment(actor, clean)
    username = _check_username(username)
    _check_email_free(clean.get("email", ""), None)  # after the username: the form names the first problem
    user = User(username=username, **clean)
    check_password(password, user)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # a concurrent create with the same name or e-mail address
        if user.email and User.objects.filter(email__iexact=user.email).exists():
            raise _email_taken(user.email) from exc
        raise Conflict(
            _("The username “%(name)s” is taken.") % {"name": username},
            code="duplicate_username",
            errors={"username": [_("This username is taken.")]},
        ) from exc
    audit.audit_create(actor=actor, instance=user)
    return user


@transaction.atomic
def user_update(*, actor: User, user: User, **fields: Any) -> User:
    """Change a user's profile, team, role or active flag."""
    unknown = set(fields) - set(USER_FIELDS) - {"username"}
    if unknown:
        raise DomainError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    _require(actor, "accounts.user", "update", user)
    clean = _clean_user_fields(fields, instance=user)
    changing = {k: v for k, v in clean.items() if getattr(user, k) != v}
    _check_assignment(actor, changing)
    if "is_active" in changing and user.pk == actor.pk:
        raise DomainError(_("You cannot deactivate your own account."), code="self_deactivation")
    if "role" in changing and user.pk == actor.pk and user.is_administrator and not actor.is_superuser:
        raise DomainError(_("You cannot remove your own Administrator role."), code="self_demotion")
    if "username" in changing:
        changing["username"] = _check_username(changing["username"], exclude_pk=user.pk)
    if "email" in changing:
        _check_email_free(changing["email"], user)
    before = audit.snapshot(user)
    for key, value in changing.items():
        setattr(user, key, value)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # a concurrent save took the e-mail address
        raise _email_taken(user.email) from exc
    audit.audit_update(actor=actor, instance=user, before=before)
    if changing.get("is_active") is False:
        # Refused at every request already; revoked and ended so that reactivating brings neither back.
        _do_tokens_revoke(actor=actor, user=user)
        sessions.end_user_sessions(user)
    return user


@transaction.atomic
def user_set_password(
    *, actor: User, user: User, password: str, old_password: str | None = None, revoke_tokens: bool = False
) -> User:
    """Set a password: users change their own (with the old one); administrators reset others'.

    The user's other sessions end by themselves (their stored password hash no longer matches);
    their API tokens do not, so ``revoke_tokens`` revokes them too.
    """
    if user.pk == actor.pk:
        if old_password is None or not user.check_password(old_password):
            raise InvalidField("old_password", _("Your old password was entered incorrectly."))
    else:
        _require(actor, "accounts.user", "update", user)
        if level_for(actor, "accounts.user", "update") < Level.ALL:
            raise NotAllowed(_("Only administrators can reset other users' passwords."))
    check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.log_action(actor=actor, instance=user, code="accounts.user.password_changed", kind="update")
    if revoke_tokens:
        _do_tokens_revoke(actor=actor, user=user)
    return user


@transaction.atomic
def preferences_update(*, actor: User, language: str | None = None, time_zone: str | None = None) -> User:
    """A user sets their own language and time zone."""
    fields: dict[str, Any] = {}
    if language is not None:
        fields["language"] = check_language(language)
    if time_zone is not None:
        fields["time_zone"] = check_time_zone(time_zone)
    before = audit.snapshot(actor)
    for key, value in fields.items():
        setattr(actor, key, value)
    actor.save(update_fields=list(fields) or None)
    audit.audit_update(actor=actor, instance=actor, before=before)
    return actor


# --- teams ----------------------------------------------------------------------------------
def _check_team_name(name: str, exclude_pk: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidField("name", _("Enter a name."))
    if _same_name_exists(Team.objects.all(), "name", name, exclude_pk):
        raise Conflict(
            _("A team named “%(name)s” already exists.") % {"name": name},
            code="duplicate_name",
            errors={"name": [_("This name is taken.")]},
        )
    return name


@transaction.atomic
def team_create(*, actor: User, name: str, parent: Team | None = None, description: str = "") -> Team:
    _require(actor, "accounts.team", "create")
    if level_for(actor, "accounts.team", "create") < Level.ALL:
        raise NotAllowed(_("You do not have permission to create teams."))
    team = Team.objects.create(name=_check_team_name(name), parent=parent, description=description.strip())
    audit.audit_create(actor=actor, instance=team)
    return team


@transaction.atomic
def team_update(
    *,
    actor: User,
    team: Team,
    name: str | None = None,
    parent: Team | None | str = "unchanged",
    description: str | None = None,
) -> Team:
    _require(actor, "accounts.team", "update", team)
    before = audit.snapshot(team)
    if name is not None:
        team.name = _check_team_name(name, exclude_pk=team.pk)
    if parent != "unchanged":
        assert parent is None or isinstance(parent, Team)
        if parent is not None and parent.pk in Team.tree_ids(team.pk):
            raise InvalidField("parent", _("A team cannot be placed under itself or one of its sub-teams."))
        team.parent = parent
    if description is not None:
        team.description = description.strip()
    team.save()
    audit.audit_update(actor=actor, instance=team, before=before)
    return team


@transaction.atomic
def team_delete(*, actor: User, team: Team) -> None:
    _require(actor, "accounts.team", "delete", team)
    if team.members.exists():
        raise Conflict(_("Move this team's members to another team first."), code="team_has_members")
    if team.children.exists():
        raise Conflict(_("Move or delete this team's sub-teams first."), code="team_has_children")
    audit.audit_delete(actor=actor, instance=team)
    team.delete()


# --- roles ----------------------------------------------------------------------------------
def _clean_permissions(permissions: dict[str, Any]) -> dict[str, dict[str, int]]:
    clean: dict[str, dict[str, int]] = {}
    levels = {int(v) for v in Level.values}
    for key, actions in (permissions or {}).items():
        rt = RECORD_TYPES.get(key)
        if rt is None:
            raise InvalidField("permissions", _("Unknown record type “%(key)s”.") % {"key": key})
        if not isinstance(actions, dict):
            raise InvalidField("permissions", _("Give levels per action for “%(key)s”.") % {"key": key})
        for action, level in actions.items():
            if action not in rt.actions:
                raise InvalidField(
                    "permissions", _("Unknown action “%(action)s” for “%(key)s”.") % {"action": action, "key": key}
                )
            try:
                level = int(level)
            except (TypeError, ValueError):
                level = -1
            if level not in levels:
                raise InvalidField("permissions", _("Access levels are 0 (none) to 4 (all)."))
            clean.setdefault(key, {})[action] = level
    return clean


def _check_role_name(name: str, exclude_pk: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidField("name", _("Enter a name."))
    if _same_name_exists(Role.objects.all(), "name", name, exclude_pk):
        raise Conflict(
            _("A role named “%(name)s” already exists.") % {"name": name},
            code="duplicate_name",
            errors={"name": [_("This name is taken.")]},
        )
    return name


@transaction.atomic
def role_create(
    *,
    actor: User,
    name: str,
    copy_from: Role | None = None,
    description: str = "",
    permissions: dict[str, Any] | None = None,
    require_2fa: bool = False,
) -> Role:
    """Create a custom role, starting from another role's effective levels when ``copy_from`` is given."""
    _require(actor, "accounts.role", "create")
    matrix = copy_from.matrix() if copy_from else {}
    for key, actions in _clean_permissions(permissions or {}).items():
        matrix.setdefault(key, {}).update(actions)
    role = Role.objects.create(
        name=_check_role_name(name), description=description.strip(), permissions=matrix, require_2fa=require_2fa
    )
    audit.audit_create(actor=actor, instance=role)
    return role


@transaction.atomic
def role_update(
    *,
    actor: User,
    role: Role,
    name: str | None = None,
    description: str | None = None,
    permissions: dict[str, Any] | None = None,
    require_2fa: bool | None = None,
) -> Role:
    """Change a role; ``permissions`` entries override the role's levels for the record types they name."""
    _require(actor, "accounts.role", "update")
    before = audit.snapshot(role)
    if name is not None:
        role.name = _check_role_name(name, exclude_pk=role.pk)
    if description is not None:
        role.description = description.strip()
    if permissions is not None:
        merged = {k: dict(v) for k, v in role.permissions.items()}
        for key, actions in _clean_permissions(permissions).items():
            merged.setdefault(key, {}).update(actions)
        if role.slug == "administrator" and any(
            lvl < Level.ALL for key in ("accounts.user", "accounts.role") for lvl in merged.get(key, {}).values()
        ):
            raise InvalidField("permissions", _("The Administrator role must keep full access to users and roles."))
        if role.slug:  # a default role stores only what differs from its registered defaults
            for key in list(merged):
                rt = RECORD_TYPES.get(key)
                defaults = rt.defaults.get(role.slug, {}) if rt else {}
                merged[key] = {a: lvl for a, lvl in merged[key].items() if lvl != defaults.get(a, Level.NONE)}
                if not merged[key]:
                    del merged[key]
        role.permissions = merged
    if require_2fa is not None:
        role.require_2fa = require_2fa
    role.save()
    audit.audit_update(actor=actor, instance=role, before=before)
    return role


@transaction.atomic
def role_delete(*, actor: User, role: Role) -> None:
    _require(actor, "accounts.role", "delete")
    if role.is_system:
        raise Conflict(_("Default roles cannot be deleted."), code="system_role")
    if role.users.exists():
        raise Conflict(_("Give this role's users another role first."), code="role_in_use")
    audit.audit_delete(actor=actor, instance=role)
    role.delete()
