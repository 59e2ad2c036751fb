"""0006 altered the tables, which SQLite does by rebuilding them: re-create the search triggers and index."""

from django.db import migrations

from velinimet.core.fulltext import fulltext_operation


class Migration(migrations.Migration):
    dependencies = [("customers", "0006_drop_deleted_index")]
    operations = [fulltext_operation("customers_person"), fulltext_operation("customers_company")]
