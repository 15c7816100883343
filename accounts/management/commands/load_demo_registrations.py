from accounts.demo import load_demo_registrations
from core.management.acting import DemoCommand


class Command(DemoCommand):
    help = "Demo registrations: the demo officers certified through the workflow, one form waiting, one returned (after load_demo)."

    def load(self, **options):
        made = load_demo_registrations()
        self.stdout.write(
            f"{made['certified']} registrations certified, {made['waiting']} waiting, {made['returned']} returned"
        )
