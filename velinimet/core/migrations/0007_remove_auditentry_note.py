from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_audit_notes_to_codes"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="auditentry",
            name="note",
        ),
    ]
