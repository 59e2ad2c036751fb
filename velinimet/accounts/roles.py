"""Names of the default roles, marked for translation (the database keeps the English originals)."""

from django.utils.translation import gettext_noop

DEFAULT_ROLE_TEXTS = [
    gettext_noop("Administrator"), gettext_noop("Full access, manages users, teams and roles."),
    gettext_noop("Sales manager"),
    gettext_noop("Leads sales teams: sees and manages the records of their team and sub-teams."),
    gettext_noop("Sales rep"), gettext_noop("Works their own customers and deals; reads their team's records."),
    gettext_noop("Service agent"), gettext_noop("Handles customer cases and service requests."),
    gettext_noop("Marketing specialist"), gettext_noop("Builds segments and campaigns."),
    gettext_noop("Field technician"), gettext_noop("Does on-site service visits."),
    gettext_noop("Analyst"), gettext_noop("Reads and exports data for reports; changes nothing."),
    gettext_noop("Read-only"), gettext_noop("Reads what their team sees; changes nothing."),
]
