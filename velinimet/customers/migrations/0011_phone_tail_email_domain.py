"""A phone's last seven digits and an e-mail's domain, indexed, so that "555 44 33" and "@firma.com.tr" find
their records; filled for existing rows in batches."""

from typing import Any

from django.db import migrations, models

BATCH = 5000


def fill(apps: Any, schema_editor: Any) -> None:
    from velinimet.customers.normalize import email_domain, phone_tail

    for name, source, target, derive in (("Phone", "e164", "tail", phone_tail), ("Email", "key", "domain", email_domain)):
        model = apps.get_model("customers", name)
        last = 0
        while True:
            rows = list(model.objects.filter(pk__gt=last).order_by("pk").only("pk", source)[:BATCH])
            if not rows:
                break
            for row in rows:
                setattr(row, target, derive(getattr(row, source)))
            model.objects.bulk_update(rows, [target])
            last = rows[-1].pk


class Migration(migrations.Migration):
    dependencies = [("customers", "0010_sound_key")]
    operations = [
        migrations.AddField(
            model_name="email",
            name="domain",
            field=models.CharField(db_index=True, default="", editable=False, max_length=254),
        ),
        migrations.AddField(
            model_name="phone",
            name="tail",
            field=models.CharField(db_index=True, default="", editable=False, max_length=7),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
