"""The eight default roles. Their levels come from each record type's registered defaults."""

from django.db import migrations



def create_roles(apps, schema_editor):
    from velinimet.accounts.roles import ensure_default_roles

    ensure_default_roles(apps.get_model("accounts", "Role"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
