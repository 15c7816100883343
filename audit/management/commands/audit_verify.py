from django.core.management.base import BaseCommand, CommandError

from audit.verify import verify


class Command(BaseCommand):
    help = "Check the audit log's hash chain; name every edited, deleted or reordered row. Exits non-zero on a break."

    def handle(self, *args, **options):
        checked, breaks = verify()
        for item in breaks:
            self.stdout.write(str(item))
        self.stdout.write(f"checked {checked} audit rows: {len(breaks)} break(s)")
        if breaks:
            raise CommandError(f"audit log tampered with: {len(breaks)} break(s), first at row {breaks[0].row}")
