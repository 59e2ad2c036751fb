"""What every page of the shell needs: navigation, settings access, language names."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .registry import NAV_ITEMS, SETTINGS_LINKS, SHELL_WIDGETS
from .visibility import can_read_type


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    languages = [(code, settings.LANGUAGE_NATIVE_NAMES[code]) for code, _name in settings.LANGUAGES]
    if user is None or not user.is_authenticated:
        return {"shell_languages": languages}
    nav = [
        item
        for item in NAV_ITEMS.ordered()
        if (item.record_type is None or can_read_type(user, item.record_type))
        and (not item.admin_only or user.is_administrator)
    ]
    settings_links = [
        link for link in SETTINGS_LINKS.ordered() if link.record_type is None or can_read_type(user, link.record_type)
    ]
    return {
        "shell_nav": nav,
        "shell_settings_links": settings_links,
        "shell_languages": languages,
        "shell_widgets": [widget.template for widget in SHELL_WIDGETS.ordered()],
    }
