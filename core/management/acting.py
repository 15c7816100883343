"""Commands that change data name who runs them, for history and the audit log."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.context import acting_as
from core.models import User


class ActingCommand(BaseCommand):
    """A command with ``--as NATIONAL_ID``: its changes are recorded as that
    officer's (history user, audit rows); without it, as the system's."""

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="acting_as", metavar="NATIONAL_ID", help="Record changes as this officer.")

    def execute(self, *args, **options):
        national_id = options.get("acting_as")
        user = None
        if national_id:
            user = User.objects.filter(national_id=national_id, is_active=True).first()
            if user is None:
                raise CommandError(f"no active officer with national ID {national_id}")
        with acting_as(user, channel="command"):
            return super().execute(*args, **options)


class DemoCommand(ActingCommand):
    """A loader of demo data: its accounts have known passwords, so it refuses to run with
    DEBUG off unless told ``--force`` (the benchmarks' databases). Subclasses write ``load``."""

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo data: refusing with DEBUG off (use --force).")
        self.load(**options)

    def load(self, **options) -> None:
        raise NotImplementedError
