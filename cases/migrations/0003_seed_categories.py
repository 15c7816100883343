from django.db import migrations


def seed(apps, schema_editor):
    from cases.categories import load_categories

    load_categories(apps.get_model("cases", "Category"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_search_trigram_index")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
