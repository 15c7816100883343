from django.core.management.base import BaseCommand, CommandError

from audit.verify import verify


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chain and hold it against the signed checkpoints; name every edited, "
        "deleted or reordered row, and rows deleted, emptied or rehashed since a checkpoint. Exits non-zero on a break."
    )

    def handle(self, *args, **options):
        report = verify()
        for item in report.breaks:
            self.stdout.write(str(item))
        if report.last_anchor is not None:
            self.stdout.write(f"last checkpoint: {report.last_anchor}")
        else:
            self.stdout.write("no checkpoint yet: run audit_checkpoint (Celery beat runs it every few minutes)")
        self.stdout.write(
            f"checked {report.checked} audit rows against {report.anchors} checkpoint(s): {len(report.breaks)} break(s)"
        )
        if report.breaks:
            raise CommandError(
                f"audit log tampered with: {len(report.breaks)} break(s), first at row {report.breaks[0].row}"
            )
