"""Forms of the accounts screens. They check shapes; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from velinimet.core.widgets import AlphabeticalChoiceField

from .models import Role, Team


def time_zone_choices() -> list[tuple[str, str]]:
    import zoneinfo

    common = settings.COMMON_TIME_ZONES
    rest = sorted(z for z in zoneinfo.available_timezones() if z not in common and "/" in z)
    return [(z, z) for z in common] + [(z, z) for z in rest]


def language_choices() -> list[tuple[str, str]]:
    return [(code, settings.LANGUAGE_NATIVE_NAMES[code]) for code, _name in settings.LANGUAGES]


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class PasswordForgotForm(forms.Form):
    identifier = forms.CharField(
        label=_("Username or e-mail address"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )


class PasswordSetForm(forms.Form):
    new_password = forms.CharField(
        label=_("New password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    new_password2 = forms.CharField(
        label=_("New password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", _("The two passwords differ."))
        return data


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class LoginCodeForm(forms.Form):
    """The login's second step: the authenticator's code or a backup code (letters too, so no numeric keypad)."""

    token = forms.CharField(
        label=_("Code from your authenticator app or a backup code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "one-time-code", "autocapitalize": "none"}),
    )


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=language_choices)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("Current password"), strip=False, widget=forms.PasswordInput)
    new_password = forms.CharField(label=_("New password"), strip=False, widget=forms.PasswordInput)
    new_password2 = forms.CharField(label=_("New password again"), strip=False, widget=forms.PasswordInput)
    revoke_tokens = forms.BooleanField(
        label=_("Also revoke all my API tokens"),
        required=False,
        help_text=_("Your other sessions end in any case; programs that use your tokens stop working."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", _("The two passwords differ."))
        return data


class PasswordResetForm(forms.Form):
    password = forms.CharField(label=_("New password"), strip=False, widget=forms.PasswordInput)
    revoke_tokens = forms.BooleanField(
        label=_("Also revoke this user's API tokens"),
        required=False,
        initial=True,
        help_text=_("Their sessions end in any case; untick to keep integrations that use their tokens running."),
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=100, required=False, help_text=_("What uses this token, e.g. “ERP sync”.")
    )


class UserForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    team = AlphabeticalChoiceField(label=_("Team"), queryset=Team.objects.all(), required=False)
    role = AlphabeticalChoiceField(label=_("Role"), queryset=Role.objects.all(), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=language_choices, initial="tr")
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices, initial="Europe/Istanbul")
    extension = forms.CharField(label=_("Phone extension"), max_length=20, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput, required=False)

    def __init__(self, *args: Any, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            self.fields["password"].required = True
        else:
            del self.fields["password"]


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    parent = AlphabeticalChoiceField(label=_("Parent team"), queryset=Team.objects.all(), required=False)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)


class RoleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    require_2fa = forms.BooleanField(label=_("Require two-factor login"), required=False)
    copy_from = AlphabeticalChoiceField(label=_("Start from role"), queryset=Role.objects.all(), required=False)
