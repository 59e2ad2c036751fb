"""What the accounts app plugs into the registry: record types (its own, and the kernel's jobs and audit
log, whose default levels are given per role), settings links, search providers and the demo users."""

from django.utils.translation import gettext_lazy as _

from velinimet.core.demo import DemoLoader
from velinimet.core.registry import AuditAction, RecordType, SettingsLink, registry
from velinimet.core.search import SearchProvider
from velinimet.core.visibility import Level, uniform

from .demo import demo_login_text, load_demo_users
from .roles import ROLE_SLUGS
from .sections import ACCOUNT_SECTIONS  # noqa: F401  (declares the store other modules fill)
from .selectors import search_teams, search_users

ADMIN_ONLY = {"administrator": uniform(Level.ALL)}
_JOB_ACTIONS = ("read", "create", "delete")

for record_type in (
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
    ),
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
    ),
    RecordType(
        key="accounts.role",
        label=_("Roles"),
        model="accounts.Role",
        owner_field=None,
        team_field=None,
        actions=("read", "create", "update", "delete"),
        defaults={"administrator": uniform(Level.ALL, ("read", "create", "update", "delete"))},
        order=820,
    ),
    RecordType(
        key="core.job",
        label=_("Background jobs"),
        model="core.Job",
        owner_field="started_by",
        team_field="started_by__team",
        actions=_JOB_ACTIONS,
        defaults={
            "administrator": uniform(Level.ALL, _JOB_ACTIONS),
            "sales_manager": {"read": Level.TEAM_TREE, "create": Level.OWN, "delete": Level.OWN},
            **{slug: uniform(Level.OWN, _JOB_ACTIONS) for slug in ROLE_SLUGS[2:]},
        },
        order=900,
    ),
    RecordType(
        key="core.auditentry",
        label=_("Audit log"),
        model="core.AuditEntry",
        owner_field="actor",
        team_field="actor__team",
        actions=("read", "export"),
        defaults={"administrator": uniform(Level.ALL, ("read", "export"))},
        order=910,
    ),
):
    registry.register("core.record_types", record_type)

for link in (
    SettingsLink(_("Users"), "accounts:user_list", _("People who log in, their team and role."), "accounts.user", 10),
    SettingsLink(_("Teams"), "accounts:team_list", _("Teams and sub-teams, like business units."), "accounts.team", 20),
    SettingsLink(_("Roles"), "accounts:role_list", _("What each role may read and change."), "accounts.role", 30),
):
    registry.register("core.settings_links", link)

registry.register("core.search_providers", SearchProvider("user", _("Users"), search_users, order=900))
registry.register("core.search_providers", SearchProvider("team", _("Teams"), search_teams, order=910))
registry.register("core.demo_loaders", DemoLoader("accounts", 10, load_demo_users, demo_login_text))

# What the audit log says the accounts services did, besides plain changes (core.audit.log_action).
for action in (
    AuditAction("accounts.user.password_changed", _("password changed")),
    AuditAction("accounts.user.two_factor_enabled", _("two-factor login enabled")),
    AuditAction("accounts.user.two_factor_removed", _("two-factor login removed")),
    AuditAction("accounts.user.two_factor_reset", _("two-factor login reset")),
    AuditAction("accounts.user.backup_codes_generated", _("%(count)s new backup codes made")),
    AuditAction("accounts.user.backup_code_used", _("logged in with a backup code (%(left)s left)")),
    AuditAction("accounts.user.lockout_lifted", _("login lockout lifted")),
    AuditAction("accounts.user.password_reset_requested", _("password reset link sent (asked from %(ip)s)")),
    AuditAction("accounts.user.password_reset", _("password set with an e-mailed link from %(ip)s")),
    AuditAction("accounts.user.logged_in", _("logged in from %(ip)s")),
    AuditAction("accounts.user.login_failed", _("failed login as “%(username)s” from %(ip)s")),
    AuditAction("accounts.user.locked_out", _("login locked for “%(username)s” from %(ip)s")),
    AuditAction("accounts.apitoken.created_for", _("token created for %(user)s")),
):
    registry.register("core.audit_actions", action)
