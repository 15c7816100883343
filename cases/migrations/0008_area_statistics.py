"""Extended statistics on the case's team, district and province, on PostgreSQL only.

A team works in one district and a district lies in one province, so filtering on two
of them selects little more than on one. Without being told, PostgreSQL multiplies
their selectivities: a district officer's list filtered by one of his teams was
estimated at 35 cases where it holds 4,151 (1,000,000 cases, bench/pages), and read
them all by bitmap to sort (16.8 ms) instead of walking the team's index in order
(0.17 ms). The same holds for the copies on the workflow's tasks (workflows 0005).
"""

from django.db import migrations

STATISTICS = "complaint_area_dependencies"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE STATISTICS IF NOT EXISTS {STATISTICS} (dependencies) "
        "ON team_id, district_id, province_id FROM cases_complaint"
    )
    # Statistics are gathered by ANALYZE (autovacuum would, later): at once, so that the
    # next query is planned with them. It samples a fixed number of rows, whatever the size.
    schema_editor.execute("ANALYZE cases_complaint")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {STATISTICS}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_dashboard_indexes")]

    operations = [migrations.RunPython(create, drop)]
