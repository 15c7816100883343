from django.core.management.base import BaseCommand

from citizens.online.services import CONFIRM_HOURS, purge_unconfirmed


class Command(BaseCommand):
    help = f"Delete the complaints typed on the public site that nobody confirmed within {CONFIRM_HOURS} hours, with their files."

    def handle(self, *args, **options):
        deleted = purge_unconfirmed()
        self.stdout.write(f"{deleted} unconfirmed online submissions deleted")
