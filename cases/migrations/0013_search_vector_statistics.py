"""The search column's statistics: a hundred times the default sample of its words.

PostgreSQL estimates how many cases hold a word from the words its statistics list; a word
not listed is given 0.5 % of the table (5,000 cases of a million). For a rare word the case
list then walked the newest cases hoping to meet 26 of them soon, and walked the whole
country: 1,060 ms at 1,000,000 cases (bench/search, จระเข้, central officer). With 2,000
the list holds the words down to a few in 100,000 cases, a word not in it is estimated at
about 140 cases, and the GIN index answers: 13 ms. ANALYZE of the column takes about 20 s
at 1,000,000 cases."""

from django.db import migrations

STATISTICS = 2000


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE cases_complaint ALTER COLUMN search_vector SET STATISTICS {STATISTICS}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE cases_complaint ALTER COLUMN search_vector SET STATISTICS -1")


class Migration(migrations.Migration):
    dependencies = [("cases", "0012_search_vector")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
