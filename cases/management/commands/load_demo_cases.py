from cases.demo import load_demo_cases
from core.management.acting import DemoCommand


class Command(DemoCommand):
    help = "Create demo teams and cases in every state in Mueang Ratchaburi and Ban Pong (after load_demo)."

    def load(self, **options):
        for code in ("7001", "7005"):
            made = load_demo_cases(code)
            self.stdout.write(f"{code}: {made} demo cases created" if made else f"{code}: has cases already")
