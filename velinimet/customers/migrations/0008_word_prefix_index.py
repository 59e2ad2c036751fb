"""Word-prefix indexes for one- and two-letter searches ("po" finds "Sukru Polat")."""

from django.db import migrations

from velinimet.core.fulltext import word_prefix_operation


class Migration(migrations.Migration):
    dependencies = [("customers", "0007_fulltext_after_rebuild")]
    operations = [word_prefix_operation("customers_person"), word_prefix_operation("customers_company")]
