"""Record types and settings links of the accounts app."""

from django.utils.translation import gettext_lazy as _

from velinimet.core.registrations import ROLE_SLUGS, uniform
from velinimet.core.registry import (
    RecordType,
    SettingsLink,
    register_audit_action,
    register_record_type,
    register_settings_link,
)
from velinimet.core.visibility import Level

ADMIN_ONLY = {"administrator": uniform(Level.ALL)}

register_record_type(
    RecordType(
        key="accounts.user",
        label=_("Users"),
        model="accounts.User",
        owner_field="pk",  # a user "owns" their own account
        team_field="team",
        defaults={
            **ADMIN_ONLY,
            "sales_manager": {"read": Level.TEAM_TREE},
            **{slug: {"read": Level.TEAM} for slug in ROLE_SLUGS[2:]},
        },
        order=800,
    )
)
register_record_type(
    RecordType(
        key="accounts.team",
        label=_("Teams"),
        model="accounts.Team",
        owner_field=None,
        team_field="pk",  # a team is visible to its members (and, at tree level, to parents' members)
        actions=("read", "create", "update", "delete"),
        defaults={
            "administrator": uniform(Level.ALL, ("read", "create", "update", "delete")),
            **{slug: {"read": Level.TEAM_TREE} for slug in ROLE_SLUGS[1:]},
        },
        order=810,
    )
)
register_record_type(
    RecordType(
        key="accounts.role",
        label=_("Roles"),
        model="accounts.Role",
        owner_field=None,
        team_field=None,
        actions=("read", "create", "update", "delete"),
        defaults={"administrator": uniform(Level.ALL, ("read", "create", "update", "delete"))},
        order=820,
    )
)

register_settings_link(
    SettingsLink(_("Users"), "accounts:user_list", _("People who log in, their team and role."), "accounts.user", 10)
)
register_settings_link(
    SettingsLink(_("Teams"), "accounts:team_list", _("Teams and sub-teams, like business units."), "accounts.team", 20)
)
register_settings_link(
    SettingsLink(_("Roles"), "accounts:role_list", _("What each role may read and change."), "accounts.role", 30)
)


def _register_search() -> None:
    from velinimet.core.search import SearchProvider, register_search_provider

    from .selectors import search_teams, search_users

    register_search_provider(SearchProvider("user", _("Users"), search_users, order=900))
    register_search_provider(SearchProvider("team", _("Teams"), search_teams, order=910))


_register_search()


def _register_demo() -> None:
    from velinimet.core.demo import register_demo_loader

    from .demo import load_demo_users

    register_demo_loader(10, load_demo_users)


_register_demo()

# What the audit log says the accounts services did, besides plain changes (core.audit.log_action).
register_audit_action("accounts.user.password_changed", _("password changed"))
register_audit_action("accounts.user.two_factor_enabled", _("two-factor login enabled"))
register_audit_action("accounts.user.two_factor_removed", _("two-factor login removed"))
