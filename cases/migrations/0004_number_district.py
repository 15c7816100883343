"""Keep the district that issued a case's number, so a transfer does not change it."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F


def copy_district(apps, schema_editor):
    apps.get_model("cases", "Complaint").objects.update(number_district=F("district"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_seed_categories"), ("core", "0002_roles_and_geography")]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="number_district",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="core.district",
                verbose_name="อำเภอที่ออกเลขที่รับ",
            ),
        ),
        migrations.RunPython(copy_district, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="complaint",
            name="number_district",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="core.district",
                verbose_name="อำเภอที่ออกเลขที่รับ",
            ),
        ),
        migrations.AddField(
            model_name="historicalcomplaint",
            name="number_district",
            field=models.ForeignKey(
                blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+", to="core.district", verbose_name="อำเภอที่ออกเลขที่รับ",
            ),
        ),
        migrations.RemoveConstraint(model_name="complaint", name="complaint_number_unique"),
        migrations.AddConstraint(
            model_name="complaint",
            constraint=models.UniqueConstraint(
                fields=("number_district", "fiscal_year", "running_number"), name="complaint_number_unique"
            ),
        ),
    ]
