"""Login, logout, language, the user's own account page, and user/team/role administration."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token

from velinimet.core.exceptions import DomainError
from velinimet.core.forms import apply_domain_error
from velinimet.core.http import AuthedRequest
from velinimet.core.registry import RECORD_TYPES
from velinimet.core.visibility import Action, Level, can, can_read_type, get_for_user, level_for

from . import services, two_factor
from .forms import (
    ApiTokenForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    PreferencesForm,
    RoleForm,
    TeamForm,
    TokenForm,
    UserForm,
)
from .models import ApiToken, Role, Team, User
from .selectors import role_list, team_list, team_tree, user_list

PENDING_2FA = "velinimet_pending_2fa_user"


def _safe_next(request: AuthedRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


# --- login ----------------------------------------------------------------------------------
def login_view(request: AuthedRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_safe_next(request, reverse("core:home")))
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=form.cleaned_data["username"], password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False):
            return locked_out(request)
        if user is None:
            form.add_error(None, _("The username or password is wrong."))
        elif two_factor.confirmed_device(user) is not None:
            request.session[PENDING_2FA] = [user.pk, user.backend]  # type: ignore[attr-defined]
            return redirect(f"{reverse('accounts:login_verify')}?next={_safe_next(request, reverse('core:home'))}")
        else:
            login(request, user)
            return redirect(_safe_next(request, reverse("core:home")))
    return render(request, "accounts/login.html", {"form": form, "next": _safe_next(request, "")})


def login_verify(request: AuthedRequest) -> HttpResponse:
    pending = request.session.get(PENDING_2FA)
    if not pending:
        return redirect("accounts:login")
    user = User.objects.filter(pk=pending[0], is_active=True).first()
    if user is None:
        return redirect("accounts:login")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, "".join(form.cleaned_data["token"].split()))
        if device is None:
            form.add_error("token", _("The code is not valid. Check your phone's clock and try again."))
        else:
            del request.session[PENDING_2FA]
            login(request, user, backend=pending[1])
            otp_login(request, device)
            return redirect(_safe_next(request, reverse("core:home")))
    return render(request, "accounts/login_verify.html", {"form": form, "next": _safe_next(request, "")})


def locked_out(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    minutes = int(round(settings.AXES_COOLOFF_TIME * 60))
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


@require_POST
def logout_view(request: AuthedRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You have logged out."))
    return redirect("accounts:login")


@require_POST
def set_language(request: AuthedRequest) -> HttpResponse:
    """Switch the interface language; for a logged-in user it is saved as their preference."""
    code = request.POST.get("language", "")
    if code not in dict(settings.LANGUAGES):
        return HttpResponseBadRequest(_("Unknown language “%(code)s”.") % {"code": code[:20]})
    response = HttpResponseRedirect(_safe_next(request, reverse("core:home")))
    if request.user.is_authenticated:
        services.preferences_update(actor=request.user, language=code)
    translation.activate(code)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, max_age=365 * 24 * 3600, samesite="Lax")
    return response


# --- the user's own account -----------------------------------------------------------------
@login_required
def account(request: AuthedRequest) -> HttpResponse:
    user = request.user
    prefs = PreferencesForm(request.POST or None, initial={"language": user.language, "time_zone": user.time_zone})
    if request.method == "POST" and prefs.is_valid():
        try:
            services.preferences_update(actor=user, **prefs.cleaned_data)
        except DomainError as exc:
            apply_domain_error(prefs, exc)
        else:
            translation.activate(user.language)
            messages.success(request, _("Your preferences are saved."))
            response = redirect("accounts:account")
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
            return response
    return render(
        request,
        "accounts/account.html",
        {
            "prefs": prefs,
            "has_2fa": two_factor.confirmed_device(user) is not None,
            "tokens": user.api_tokens.filter(revoked_at__isnull=True),
        },
    )


@login_required
def password_change(request: AuthedRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(
                actor=request.user,
                user=request.user,
                password=form.cleaned_data["new_password"],
                old_password=form.cleaned_data["old_password"],
            )
        except DomainError as exc:
            if "password" in exc.errors:
                exc.errors["new_password"] = exc.errors.pop("password")
            apply_domain_error(form, exc)
        else:
            from django.contrib.auth import update_session_auth_hash

            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password is changed."))
            return redirect("accounts:account")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
def tokens(request: AuthedRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = services.token_create(
                actor=request.user, user=request.user, name=form.cleaned_data["name"]
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            form = ApiTokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "new_key": new_key,
            "tokens": request.user.api_tokens.all()[:100],
        },
    )


@login_required
@require_POST
def token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.filter(pk=pk, user=request.user).first()
    if token is None:
        from django.http import Http404

        raise Http404
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:tokens")


@login_required
def two_factor_view(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = TokenForm(request.POST or None)
    action = request.POST.get("action")
    if request.method == "POST":
        try:
            if action == "start":
                two_factor.totp_start(user=user)
            elif action == "confirm" and form.is_valid():
                device = two_factor.totp_confirm(user=user, token=form.cleaned_data["token"])
                otp_login(request, device)
                messages.success(request, _("Two-factor login is on."))
                return redirect("accounts:account")
            elif action == "disable":
                two_factor.totp_disable(actor=user, user=user)
                messages.success(request, _("Two-factor login is off."))
                return redirect("accounts:account")
        except DomainError as exc:
            apply_domain_error(form, exc)
    pending = two_factor.pending_device(user)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "form": form,
            "pending": pending,
            "qr": two_factor.qr_svg(pending) if pending else None,
            "secret": pending and __import__("base64").b32encode(pending.bin_key).decode(),
            "enabled": two_factor.confirmed_device(user) is not None,
            "required": user.role is not None and user.role.require_2fa,
        },
    )


# --- administration: users ------------------------------------------------------------------
def _require_type(user: Any, record_type: str, action: str = "read") -> None:
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
        },
    )


@login_required
@require_POST
def user_password_reset(request: AuthedRequest, pk: int) -> HttpResponse:
    target = get_for_user(User.objects.all(), request.user, pk, action="update")
    form = PasswordResetForm(request.POST)
    if form.is_valid():
        try:
            services.user_set_password(actor=request.user, user=target, password=form.cleaned_data["password"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The password of “%(name)s” is reset.") % {"name": target.username})
    else:
        messages.error(request, _("Enter a password."))
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
        initial={"name": role.name, "description": role.description, "require_2fa": role.require_2fa},
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
            try:
                services.role_update(actor=request.user, role=role, permissions=permissions, **form.cleaned_data)
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
