"""A company's tax number may be a sole proprietor's 11-digit TCKN; card numbers stored before they were
capitalised ("kart-77") are written in capitals, so that "KART-77" is found as the same card."""

from django.db import migrations, models

from velinimet.core.fulltext import fulltext_operation, sound_operation, word_prefix_operation


def capitalise_cards(apps, schema_editor):
    """Card numbers in capitals, in batches. A lower-case number whose capitals another row holds already
    (two customers with "kart-77" and "KART-77", possible before) is left as it is: which customer keeps
    the card is a person's decision, not a migration's."""
    CardNumber = apps.get_model("customers", "CardNumber")
    last = 0
    while True:
        rows = list(CardNumber.objects.filter(pk__gt=last).order_by("pk").only("pk", "number")[:2000])
        if not rows:
            return
        last = rows[-1].pk
        changed = {row.number.upper(): row for row in rows if row.number != row.number.upper()}
        taken = set(CardNumber.objects.filter(number__in=list(changed)).values_list("number", flat=True))
        fixed = []
        for upper, row in changed.items():
            if upper not in taken:
                row.number = upper
                fixed.append(row)
        CardNumber.objects.bulk_update(fixed, ["number"])


class Migration(migrations.Migration):
    dependencies = [("customers", "0014_duplicate_pairs")]

    operations = [
        migrations.AlterField(
            model_name="company",
            name="vkn",
            field=models.CharField(blank=True, db_index=True, max_length=11, verbose_name="VKN"),
        ),
        migrations.RunPython(capitalise_cards, migrations.RunPython.noop),
        # SQLite alters the column by rebuilding the table: re-create its search triggers and indexes (as 0009)
        fulltext_operation("customers_company"),
        word_prefix_operation("customers_company"),
        sound_operation("customers_company"),  # 0010's spelling triggers go with the rebuild too
    ]
