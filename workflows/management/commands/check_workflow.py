from django.core.management.base import BaseCommand, CommandError

from cases.models import Complaint
from workflows.engine import check_case


class Command(BaseCommand):
    help = (
        "Check that every case has exactly the open workflow task its state implies "
        "(closed and rejected cases none). Exits non-zero when a case does not."
    )

    def add_arguments(self, parser):
        parser.add_argument("--district", help="Only the cases of this district code (e.g. 7001).")
        parser.add_argument("--batch", type=int, default=2000, help="Cases read per query.")

    def handle(self, *args, district=None, batch=2000, **options):
        cases = Complaint.objects.order_by("pk")
        if district:
            cases = cases.filter(district_id=district)
        checked, problems, last = 0, [], 0
        while True:
            # Keyset batches: constant memory on a million cases.
            chunk = list(cases.filter(pk__gt=last).select_related("district")[:batch])
            if not chunk:
                break
            for case in chunk:
                problems += check_case(case)
            checked += len(chunk)
            last = chunk[-1].pk
        for problem in problems:
            self.stdout.write(problem)
        self.stdout.write(f"checked {checked} cases: {len(problems)} problem(s)")
        if problems:
            raise CommandError(f"{len(problems)} case(s) do not match their workflow")
