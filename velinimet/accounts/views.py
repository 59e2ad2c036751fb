"""Login, logout, language and the user's own account page (administration is in admin_views)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from velinimet.accounts.http import AuthedRequest
from velinimet.core.exceptions import DomainError
from velinimet.core.forms import apply_domain_error

from . import lockout, password_reset, services, two_factor
from .forms import (
    ApiTokenForm,
    LoginCodeForm,
    LoginForm,
    PasswordChangeForm,
    PasswordForgotForm,
    PasswordSetForm,
    PreferencesForm,
    TokenForm,
)
from .models import ApiToken, User
from .sections import ACCOUNT_SECTIONS

PENDING_2FA = "velinimet_pending_2fa_user"
NEW_BACKUP_CODES = "velinimet_new_backup_codes"


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
    form = LoginCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify_login_code(user=user, code=form.cleaned_data["token"])
        if device is None:
            form.add_error("token", _("The code is not valid. Check your phone's clock and try again."))
        else:
            del request.session[PENDING_2FA]
            login(request, user, backend=pending[1])
            otp_login(request, device)
            return redirect(_safe_next(request, reverse("core:home")))
    return render(request, "accounts/login_verify.html", {"form": form, "next": _safe_next(request, "")})


def password_forgot(request: AuthedRequest) -> HttpResponse:
    """ "Forgot password": one answer whether or not the account exists (no user enumeration)."""
    form = PasswordForgotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            password_reset.password_reset_request(request=request, identifier=form.cleaned_data["identifier"])
        except DomainError as exc:
            form.add_error(None, exc.message)
            return render(request, "accounts/password_forgot.html", {"form": form}, status=exc.status)
        messages.info(
            request,
            _("If an account matches, we have sent a link to set a new password to its e-mail address."),
        )
        return redirect("accounts:login")
    return render(request, "accounts/password_forgot.html", {"form": form})


def password_reset_confirm(request: AuthedRequest, uidb64: str, token: str) -> HttpResponse:
    user = password_reset.user_for_reset_link(uidb64, token)
    if user is None:
        return render(request, "accounts/password_reset_invalid.html", status=400)
    form = PasswordSetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            password_reset.password_reset_complete(
                user=user, token=token, password=form.cleaned_data["new_password"], request=request
            )
        except DomainError as exc:
            if "password" in exc.errors:
                exc.errors["new_password"] = exc.errors.pop("password")
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Your password is set. Log in with it."))
            return redirect("accounts:login")
    return render(request, "accounts/password_reset_confirm.html", {"form": form, "target": user})


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
            "backup_codes_left": two_factor.backup_codes_left(user),
            "new_codes": _new_backup_codes(request),
            "tokens": user.api_tokens.filter(revoked_at__isnull=True),
            "sections": [(s.template, s.context(request)) for s in ACCOUNT_SECTIONS.ordered()],
        },
    )


@login_required
def password_change(request: AuthedRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not lockout.password_is_right(request, request.user, form.cleaned_data["old_password"]):
            if lockout.is_locked_out(request):
                return locked_out(request)
            form.add_error("old_password", _("Your old password was entered incorrectly."))
            return render(request, "accounts/password_change.html", {"form": form})
        try:
            services.user_set_password(
                actor=request.user,
                user=request.user,
                password=form.cleaned_data["new_password"],
                old_password=form.cleaned_data["old_password"],
                revoke_tokens=form.cleaned_data["revoke_tokens"],
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
                device, codes = two_factor.totp_confirm(user=user, token=form.cleaned_data["token"])
                otp_login(request, device)
                messages.success(request, _("Two-factor login is on."))
                request.session[NEW_BACKUP_CODES] = codes  # shown once, on the page it leads to
                return redirect("accounts:account")
            elif action == "new_codes":
                request.session[NEW_BACKUP_CODES] = two_factor.backup_codes_generate(user=user)
                return redirect("accounts:two_factor")
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
            "backup_codes_left": two_factor.backup_codes_left(user),
            "new_codes": _new_backup_codes(request),
        },
    )


def _new_backup_codes(request: AuthedRequest) -> list[str]:
    """Backup codes just made, taken out of the session as the page shows them: they are readable this once
    (only their hashes are stored), and wait in the session only until the redirect is followed."""
    return list(request.session.pop(NEW_BACKUP_CODES, None) or [])


@login_required
@require_POST
def backup_codes_download(request: AuthedRequest) -> HttpResponse:
    """The codes just shown, as a text file: the page posts them back, since the server cannot read them again.
    Only text shaped like a code is written into the file."""
    codes = [
        c for c in request.POST.getlist("code")[: two_factor.BACKUP_CODE_COUNT] if two_factor.is_backup_code_shape(c)
    ]
    lines = [
        _("Velinimet backup codes for %(name)s. Each code works once.") % {"name": request.user.get_username()},
        "",
        *codes,
        "",
    ]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="velinimet-backup-codes.txt"'
    return response
