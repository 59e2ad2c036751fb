"""Names of the default roles, marked for translation (the database keeps the English originals)."""

from typing import Any

from django.utils.translation import gettext_noop

DEFAULT_ROLE_TEXTS = [
    gettext_noop("Administrator"),
    gettext_noop("Full access, manages users, teams and roles."),
    gettext_noop("Sales manager"),
    gettext_noop("Leads sales teams: sees and manages the records of their team and sub-teams."),
    gettext_noop("Sales rep"),
    gettext_noop("Works their own customers and deals; reads their team's records."),
    gettext_noop("Service agent"),
    gettext_noop("Handles customer cases and service requests."),
    gettext_noop("Marketing specialist"),
    gettext_noop("Builds segments and campaigns."),
    gettext_noop("Field technician"),
    gettext_noop("Does on-site service visits."),
    gettext_noop("Analyst"),
    gettext_noop("Reads and exports data for reports; changes nothing."),
    gettext_noop("Read-only"),
    gettext_noop("Reads what their team sees; changes nothing."),
]

DEFAULT_ROLES = [
    ("administrator", "Administrator", "Full access, manages users, teams and roles."),
    ("sales_manager", "Sales manager", "Leads sales teams: sees and manages the records of their team and sub-teams."),
    ("sales_rep", "Sales rep", "Works their own customers and deals; reads their team's records."),
    ("service_agent", "Service agent", "Handles customer cases and service requests."),
    ("marketing_specialist", "Marketing specialist", "Builds segments and campaigns."),
    ("field_technician", "Field technician", "Does on-site service visits."),
    ("analyst", "Analyst", "Reads and exports data for reports; changes nothing."),
    ("read_only", "Read-only", "Reads what their team sees; changes nothing."),
]

#: The default roles' slugs, in the order above: what apps give default levels for (``RecordType.defaults``).
ROLE_SLUGS = tuple(slug for slug, _name, _description in DEFAULT_ROLES)


def ensure_default_roles(role_model: Any = None) -> None:
    """Create any missing default role (the migration does this; a flushed test database needs it again)."""
    if role_model is None:
        from .models import Role as role_model  # noqa: N813
    for slug, name, description in DEFAULT_ROLES:
        role_model.objects.get_or_create(slug=slug, defaults={"name": name, "description": description})
