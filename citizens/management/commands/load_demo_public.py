from citizens.demo import load_demo_public
from core.management.acting import DemoCommand


class Command(DemoCommand):
    help = "Demo data of the citizens' site: centre contacts, complainants' e-mails, published news (after load_demo_cases)."

    def load(self, **options):
        made = load_demo_public()
        self.stdout.write(
            f"{made['contacts']} centre contacts, {made['emails']} complainants' e-mails, {made['news']} news posts"
        )
