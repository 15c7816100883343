"""Trigram index for the case search, on PostgreSQL only.

``search_document__contains`` becomes LIKE '%word%', which a GIN trigram index
answers without a scan, and which finds a word inside unspaced Thai text. The
database ctype must know Thai letters (C.UTF-8), see core/db.
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS complaint_search_trgm ON cases_complaint "
        "USING gin (search_document gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS complaint_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
