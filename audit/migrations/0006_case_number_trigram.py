"""A trigram index on the audit log's case numbers, on PostgreSQL only.

The log's filter by a part of a case number ("2569/0001") is LIKE '%…%', which
this index answers without reading the whole log (a whole number goes through
the case's id and the ``audit_case`` index instead: auditing.selectors.filter_log).
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS audit_case_number_trgm ON audit_auditevent "
        "USING gin (case_number gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS audit_case_number_trgm")


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_auditevent_action")]

    operations = [migrations.RunPython(create, drop)]
