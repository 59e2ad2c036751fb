"""The eight default roles. Their levels come from each record type's registered defaults."""

from django.db import migrations

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


def create_roles(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for slug, name, description in DEFAULT_ROLES:
        Role.objects.get_or_create(slug=slug, defaults={"name": name, "description": description})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
