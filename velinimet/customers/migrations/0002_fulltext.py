"""Substring search indexes on the folded name keys: FTS5 trigram (SQLite) or pg_trgm (PostgreSQL)."""

from django.db import migrations

from velinimet.core.fulltext import fulltext_operation


class Migration(migrations.Migration):
    dependencies = [("customers", "0001_initial")]
    operations = [fulltext_operation("customers_person"), fulltext_operation("customers_company")]
