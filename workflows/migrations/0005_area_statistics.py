"""Extended statistics on the task's copies of its case's team, district and province
(PostgreSQL only): functionally dependent, as on the case (cases 0008 says why)."""

from django.db import migrations

STATISTICS = "casetask_area_dependencies"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE STATISTICS IF NOT EXISTS {STATISTICS} (dependencies) "
        "ON team_id, district_id, province_id FROM workflows_casetask"
    )
    schema_editor.execute("ANALYZE workflows_casetask")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {STATISTICS}")


class Migration(migrations.Migration):
    dependencies = [("workflows", "0004_dashboard_indexes")]

    operations = [migrations.RunPython(create, drop)]
