from django.conf import settings
from django.core.management.base import CommandError

from cases.demo import load_demo_cases
from core.management.acting import ActingCommand


class Command(ActingCommand):
    help = "Create demo teams and cases in every state in Mueang Ratchaburi and Ban Pong (after load_demo)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo data: refusing with DEBUG off (use --force).")
        for code in ("7001", "7005"):
            made = load_demo_cases(code)
            self.stdout.write(f"{code}: {made} demo cases created" if made else f"{code}: has cases already")
