from django.core.management.base import BaseCommand

from audit.anchors import take_checkpoint


class Command(BaseCommand):
    help = "Sign the audit chain's head now (a checkpoint that audit_verify holds the log against)."

    def handle(self, *args, **options):
        checkpoint = take_checkpoint()
        if checkpoint is None:
            self.stdout.write("no new audit rows since the last checkpoint: nothing signed")
        else:
            self.stdout.write(
                f"checkpoint: row {checkpoint.event_id}, hash {checkpoint.event_hash}, {checkpoint.row_count} rows"
            )
