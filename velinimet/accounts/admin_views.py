"""Administration of users, teams and roles (the permission matrix)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from velinimet.accounts.http import AuthedRequest
from velinimet.core.exceptions import DomainError
from velinimet.core.forms import apply_domain_error
from velinimet.core.registry import RECORD_TYPES
from velinimet.core.visibility import Action, Level, can, can_read_type, get_for_user, level_for

from . import lockout, services, two_factor
from .forms import (
    ApiTokenForm,
    PasswordResetForm,
    RoleForm,
    TeamForm,
    UserForm,
)
from .models import Role, Team, User
from .selectors import role_list, team_list, team_tree, user_list


# --- administration: users ------------------------------------------------------------------
def _require_type(user: User, record_type: str, action: str = "read") -> None:
    if level_for(user, record_type, action) == Level.NONE:
        raise PermissionDenied


@login_required
def user_list_view(request: AuthedRequest) -> HttpResponse:
    _require_type(request.user, "accounts.user")
    users = user_list(request.user, q=request.GET.get("q", ""))
    return render(
        request,
        "accounts/user_list.html",
        {
            "users": users[:500],
            "q": request.GET.get("q", ""),
            "can_create": level_for(request.user, "accounts.user", "create") > Level.NONE,
        },
    )


def _user_form_initial(user: User) -> dict[str, Any]:
    return {f: getattr(user, f) for f in ("username", *services.USER_FIELDS)}


@login_required
def user_create(request: AuthedRequest) -> HttpResponse:
    _require_type(request.user, "accounts.user", "create")
    form = UserForm(request.POST or None, creating=True)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            user = services.user_create(
                actor=request.user, username=data.pop("username"), password=data.pop("password"), **data
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("User “%(name)s” created.") % {"name": user.username})
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@login_required
def user_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    target = get_for_user(User.objects.all(), request.user, pk)
    may_edit = can(request.user, target, "update")
    form = UserForm(request.POST or None, initial=_user_form_initial(target))
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.user_update(actor=request.user, user=target, **form.cleaned_data)
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("User “%(name)s” saved.") % {"name": target.username})
                return redirect("accounts:user_list")
    reset_form = PasswordResetForm()
    return render(
        request,
        "accounts/user_form.html",
        {
            "form": form,
            "target": target,
            "may_edit": may_edit,
            "reset_form": reset_form,
            "may_reset": level_for(request.user, "accounts.user", "update") == Level.ALL,
            "tokens": target.api_tokens.filter(revoked_at__isnull=True)[:100],
            "token_form": ApiTokenForm(),
            "has_2fa": two_factor.has_two_factor(target),
            "locked_out": lockout.is_user_locked_out(target),
        },
    )


@login_required
@require_POST
def user_token_create(request: AuthedRequest, pk: int) -> HttpResponse:
    """An administrator makes an API token for a user (an integration's account); the key is shown once."""
    target = get_for_user(User.objects.all(), request.user, pk, action="update")
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the token name."))
        return redirect("accounts:user_edit", pk=target.pk)
    try:
        token, key = services.token_create(actor=request.user, user=target, name=form.cleaned_data["name"])
    except DomainError as exc:
        raise PermissionDenied(exc.message) from exc
    return render(request, "accounts/user_token_created.html", {"target": target, "token": token, "new_key": key})


@login_required
@require_POST
def user_two_factor_reset(request: AuthedRequest, pk: int) -> HttpResponse:
    target = get_for_user(User.objects.all(), request.user, pk, action="update")
    try:
        two_factor.two_factor_reset(actor=request.user, user=target)
    except DomainError as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, _("Two-factor login of “%(name)s” is reset.") % {"name": target.username})
    return redirect("accounts:user_edit", pk=target.pk)


@login_required
@require_POST
def user_lockout_lift(request: AuthedRequest, pk: int) -> HttpResponse:
    target = get_for_user(User.objects.all(), request.user, pk, action="update")
    try:
        lockout.lockout_lift(actor=request.user, user=target)
    except DomainError as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, _("“%(name)s” can log in again.") % {"name": target.username})
    return redirect("accounts:user_edit", pk=target.pk)


@login_required
@require_POST
def user_password_reset(request: AuthedRequest, pk: int) -> HttpResponse:
    target = get_for_user(User.objects.all(), request.user, pk, action="update")
    form = PasswordResetForm(request.POST)
    if form.is_valid():
        try:
            services.user_set_password(
                actor=request.user,
                user=target,
                password=form.cleaned_data["password"],
                revoke_tokens=form.cleaned_data["revoke_tokens"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The password of “%(name)s” is reset.") % {"name": target.username})
    else:
        messages.error(request, _("Enter a password."))
    return redirect("accounts:user_edit", pk=target.pk)


@login_required
@require_POST
def user_tokens_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    target = get_for_user(User.objects.all(), request.user, pk, action="update")
    try:
        count = services.user_tokens_revoke(actor=request.user, user=target)
    except DomainError as exc:
        raise PermissionDenied(exc.message) from exc
    text = ngettext("%(count)s API token of “%(name)s” revoked.", "%(count)s API tokens of “%(name)s” revoked.", count)
    messages.success(request, text % {"count": count, "name": target.username})
    return redirect("accounts:user_edit", pk=target.pk)


# --- administration: teams ------------------------------------------------------------------
@login_required
def team_list_view(request: AuthedRequest) -> HttpResponse:
    _require_type(request.user, "accounts.team")
    return render(
        request,
        "accounts/team_list.html",
        {
            "tree": team_tree(request.user),
            "can_create": level_for(request.user, "accounts.team", "create") == Level.ALL,
        },
    )


@login_required
def team_create(request: AuthedRequest) -> HttpResponse:
    _require_type(request.user, "accounts.team", "create")
    form = TeamForm(request.POST or None, initial={"parent": request.GET.get("parent")})
    form.fields["parent"].queryset = team_list(request.user)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Team “%(name)s” created.") % {"name": team.name})
            return redirect("accounts:team_list")
    return render(request, "accounts/team_form.html", {"form": form, "creating": True})


@login_required
def team_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    team = get_for_user(Team.objects.all(), request.user, pk)
    may_edit = can(request.user, team, "update")
    form = TeamForm(
        request.POST or None, initial={"name": team.name, "parent": team.parent, "description": team.description}
    )
    form.fields["parent"].queryset = team_list(request.user).exclude(pk=team.pk)  # type: ignore[attr-defined]
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.team_update(actor=request.user, team=team, **form.cleaned_data)
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Team “%(name)s” saved.") % {"name": team.name})
                return redirect("accounts:team_list")
    return render(
        request,
        "accounts/team_form.html",
        {
            "form": form,
            "team": team,
            "may_edit": may_edit,
            "may_delete": can(request.user, team, "delete"),
            "members": team.members.all()[:200],
        },
    )


@login_required
@require_POST
def team_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    team = get_for_user(Team.objects.all(), request.user, pk, action="delete")
    try:
        services.team_delete(actor=request.user, team=team)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:team_edit", pk=pk)
    messages.success(request, _("Team “%(name)s” deleted.") % {"name": team.name})
    return redirect("accounts:team_list")


# --- administration: roles ------------------------------------------------------------------
@login_required
def role_list_view(request: AuthedRequest) -> HttpResponse:
    _require_type(request.user, "accounts.role")
    return render(
        request,
        "accounts/role_list.html",
        {
            "roles": role_list(request.user),
            "can_create": level_for(request.user, "accounts.role", "create") > Level.NONE,
        },
    )


@login_required
def role_create(request: AuthedRequest) -> HttpResponse:
    _require_type(request.user, "accounts.role", "create")
    form = RoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            role = services.role_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Role “%(name)s” created.") % {"name": str(role)})
            return redirect("accounts:role_edit", pk=role.pk)
    return render(request, "accounts/role_form.html", {"form": form, "creating": True})


def _matrix_rows(role: Role, data: Any = None) -> list[dict[str, Any]]:
    """One row per record type: its label and a cell per action with the allowed levels."""
    from velinimet.core.registry import RecordType

    rows = []
    for rt in sorted(RECORD_TYPES.values(), key=lambda r: (r.order, r.key)):
        assert isinstance(rt, RecordType)
        levels = [lvl for lvl in Level if lvl in (Level.NONE, Level.ALL) or rt.owner_field or rt.team_field]
        if not rt.owner_field:
            levels = [lvl for lvl in levels if lvl != Level.OWN]
        cells: list[dict[str, Any] | None] = []
        for action in ("read", "create", "update", "delete", "assign", "export"):
            if action not in rt.actions:
                cells.append(None)
                continue
            name = f"perm:{rt.key}:{action}"
            current = int(data.get(name, role.level(rt.key, action))) if data else role.level(rt.key, action)
            cells.append({"name": name, "current": current, "levels": levels})
        rows.append({"label": rt.label, "key": rt.key, "cells": cells})
    return rows


@login_required
def role_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_type(request.user, "accounts.role")
    role = get_for_user(Role.objects.all(), request.user, pk)
    may_edit = level_for(request.user, "accounts.role", "update") > Level.NONE
    form = RoleForm(
        request.POST or None,
        # a default role's English name and description are shown in the reader's language (Role.__str__)
        initial={"name": str(role), "description": role.display_description, "require_2fa": role.require_2fa},
    )
    del form.fields["copy_from"]
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        permissions: dict[str, dict[str, str]] = {}
        for key, value in request.POST.items():
            if key.startswith("perm:"):
                _prefix, rt_key, action = key.split(":", 2)
                permissions.setdefault(rt_key, {})[action] = str(value)
        if form.is_valid():
            data = dict(form.cleaned_data)
            # saved as shown, a default role's translated name and description stay the stored English ones
            if data.get("name") == str(role):
                data["name"] = role.name
            if data.get("description") == role.display_description:
                data["description"] = role.description
            try:
                services.role_update(actor=request.user, role=role, permissions=permissions, **data)
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Role “%(name)s” saved.") % {"name": str(role)})
                return redirect("accounts:role_list")
    return render(
        request,
        "accounts/role_form.html",
        {
            "form": form,
            "role": role,
            "may_edit": may_edit,
            "rows": _matrix_rows(role, request.POST if request.method == "POST" else None),
            "actions": ["read", "create", "update", "delete", "assign", "export"],
            "action_labels": [label for _value, label in Action.choices],
            "may_delete": not role.is_system and level_for(request.user, "accounts.role", "delete") > Level.NONE,
        },
    )


@login_required
@require_POST
def role_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    role = get_for_user(Role.objects.all(), request.user, pk, action="delete")
    try:
        services.role_delete(actor=request.user, role=role)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:role_edit", pk=pk)
    messages.success(request, _("Role “%(name)s” deleted.") % {"name": str(role)})
    return redirect("accounts:role_list")


__all__ = ["can_read_type"]
