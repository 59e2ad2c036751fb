"""Alphabetical order per alphabet: ``sort_key_tr``/``sort_key_az`` on people and companies, and a person's
``last_name_key`` becomes ``last_name_key_tr``/``last_name_key_az`` (``core.text.sort_key``, docs/customers.md).

The columns are nullable so that SQLite adds them without rebuilding the tables (a rebuild of a million people
takes minutes and drops the search triggers); the services and this migration always fill them."""

from django.db import migrations, models

from velinimet.core.fulltext import fulltext_operation, sound_operation, word_prefix_operation

BATCH = 2000


def _fill(model, names, fields):
    from velinimet.core.text import sort_keys

    last = 0
    while True:
        rows = list(model.objects.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not rows:
            return
        for row in rows:
            texts = names(row)
            if not row.search_key:  # an erased record has no name to sort by
                texts = dict.fromkeys(texts, "")
            for field, value in sort_keys(**texts).items():
                setattr(row, field, value)
        model.objects.bulk_update(rows, fields)
        last = rows[-1].pk


def fill_sort_keys(apps, schema_editor):
    """Existing people and companies get their keys, in batches (the rule of ``record_sort_keys``)."""
    Person = apps.get_model("customers", "Person")
    Company = apps.get_model("customers", "Company")
    _fill(
        Person,
        lambda p: {"sort_key": f"{p.first_name} {p.last_name}", "last_name_key": f"{p.last_name} {p.first_name}"},
        ["sort_key_tr", "sort_key_az", "last_name_key_tr", "last_name_key_az"],
    )
    _fill(Company, lambda c: {"sort_key": c.short_name or c.name}, ["sort_key_tr", "sort_key_az"])


def _key():
    return models.CharField(editable=False, max_length=255, null=True)


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0011_phone_tail_email_domain"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="person", name="person_last_name"),
        migrations.RemoveField(model_name="person", name="last_name_key"),
        migrations.AddField(model_name="person", name="sort_key_tr", field=_key()),
        migrations.AddField(model_name="person", name="sort_key_az", field=_key()),
        migrations.AddField(model_name="person", name="last_name_key_tr", field=_key()),
        migrations.AddField(model_name="person", name="last_name_key_az", field=_key()),
        migrations.AddField(model_name="company", name="sort_key_tr", field=_key()),
        migrations.AddField(model_name="company", name="sort_key_az", field=_key()),
        migrations.RunPython(fill_sort_keys, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="person", index=models.Index(fields=["sort_key_tr", "id"], name="person_sort_tr")
        ),
        migrations.AddIndex(
            model_name="person", index=models.Index(fields=["sort_key_az", "id"], name="person_sort_az")
        ),
        migrations.AddIndex(
            model_name="person", index=models.Index(fields=["last_name_key_tr", "id"], name="person_last_name_tr")
        ),
        migrations.AddIndex(
            model_name="person", index=models.Index(fields=["last_name_key_az", "id"], name="person_last_name_az")
        ),
        migrations.AddIndex(
            model_name="company", index=models.Index(fields=["sort_key_tr", "id"], name="company_sort_tr")
        ),
        migrations.AddIndex(
            model_name="company", index=models.Index(fields=["sort_key_az", "id"], name="company_sort_az")
        ),
        # Should the engine have rebuilt a table (an old SQLite without DROP COLUMN), its search triggers are
        # re-created here, as 0009 does; IF NOT EXISTS makes this a re-index otherwise.
        fulltext_operation("customers_person"),
        word_prefix_operation("customers_person"),
        sound_operation("customers_person"),  # 0010's spelling triggers too, should the table be rebuilt
    ]
