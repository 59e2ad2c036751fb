"""The spelling-blind name key (``core.text.sound_key``): the column, its value for existing rows (in batches),
its substring indexes; and, since adding a column rebuilds the table on SQLite, the search triggers again."""

from typing import Any

from django.db import migrations, models

from velinimet.core.fulltext import fulltext_operation, sound_operation, word_prefix_operation

BATCH = 2000


def fill(apps: Any, schema_editor: Any) -> None:
    from velinimet.core.text import sound_key

    for name in ("Person", "Company"):
        model = apps.get_model("customers", name)
        last = 0
        while True:
            rows = list(model.objects.filter(pk__gt=last).order_by("pk").only("pk", "search_key")[:BATCH])
            if not rows:
                break
            for row in rows:  # sound_key(fold(x)) == sound_key(x): the stored folded key is enough
                row.sound_key = sound_key(row.search_key)
            model.objects.bulk_update(rows, ["sound_key"])
            last = rows[-1].pk


class Migration(migrations.Migration):
    dependencies = [("customers", "0009_person_last_name_key")]
    operations = [
        migrations.AddField(
            model_name="company",
            name="sound_key",
            field=models.CharField(db_index=True, default="", editable=False, max_length=300),
        ),
        migrations.AddField(
            model_name="person",
            name="sound_key",
            field=models.CharField(db_index=True, default="", editable=False, max_length=300),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        fulltext_operation("customers_person"),
        fulltext_operation("customers_company"),
        word_prefix_operation("customers_person"),
        word_prefix_operation("customers_company"),
        sound_operation("customers_person"),
        sound_operation("customers_company"),
    ]
