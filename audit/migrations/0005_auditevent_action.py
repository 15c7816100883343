"""A transition's action gets a field of its own, instead of being the first word of the detail.

The rows written before keep their detail and their hash (``hash_version`` 1, see
``AuditEvent.content``); their action is copied from the detail's first word, up to
": ", which is what ``AuditEvent.legacy_action`` reads and ``audit_verify`` checks.
"""

from django.db import migrations, models
from django.db.models import Case, F, Value, When
from django.db.models.functions import StrIndex, Substr

TRIGGER = "audit_append_only"  # migration 0002


def fill_actions(apps, schema_editor):
    """Copy each transition row's action out of its detail (``action`` or ``action: note``)."""
    AuditEvent = apps.get_model("audit", "AuditEvent")
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        # The one sanctioned update of the log: a value the rows' hashes do not cover,
        # derived from one they do, and checked against it by audit_verify.
        schema_editor.execute(f"ALTER TABLE audit_auditevent DISABLE TRIGGER {TRIGGER}")
    # The base manager: the model's own refuses updates (AppendOnlyQuerySet).
    AuditEvent._base_manager.filter(kind="transition", hash_version=1).update(
        action=Case(
            When(detail__contains=": ", then=Substr("detail", 1, StrIndex("detail", Value(": ")) - 1)),
            default=F("detail"),
        )
    )
    if postgresql:
        schema_editor.execute(f"ALTER TABLE audit_auditevent ENABLE TRIGGER {TRIGGER}")


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_checkpoint_and_attachment")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="action",
            field=models.CharField(blank=True, max_length=50, verbose_name="การดำเนินการ"),
        ),
        # Every row there is now was hashed as version 1; the rows written from now on are version 2.
        migrations.AddField(
            model_name="auditevent",
            name="hash_version",
            field=models.PositiveSmallIntegerField(default=1, editable=False),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="hash_version",
            field=models.PositiveSmallIntegerField(default=2, editable=False),
        ),
        migrations.RunPython(fill_actions, migrations.RunPython.noop),
    ]
