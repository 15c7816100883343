"""Seed the fixed roles and load Thai geography, so every database has them."""

from django.db import migrations



def seed(apps, schema_editor):
    from core.geography import load_geography
    from core.roles import Role as RoleCode

    Role = apps.get_model("core", "Role")
    for code in RoleCode.values:
        Role.objects.get_or_create(code=code)
    load_geography(
        apps.get_model("core", "Province"),
        apps.get_model("core", "District"),
        apps.get_model("core", "Subdistrict"),
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
