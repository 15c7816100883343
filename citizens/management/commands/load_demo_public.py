from django.conf import settings
from django.core.management.base import CommandError

from citizens.demo import load_demo_public
from core.management.acting import ActingCommand


class Command(ActingCommand):
    help = "Demo data of the citizens' site: centre contacts, complainants' e-mails, published news (after load_demo_cases)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo data: refusing with DEBUG off (use --force).")
        made = load_demo_public()
        self.stdout.write(
            f"{made['contacts']} centre contacts, {made['emails']} complainants' e-mails, {made['news']} news posts"
        )
