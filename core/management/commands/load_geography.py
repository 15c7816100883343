from django.core.management.base import BaseCommand

from core.geography import EXPECTED, load_geography


class Command(BaseCommand):
    help = "Load or update Thai provinces, districts and subdistricts from geothai (idempotent)."

    def handle(self, *args, **options):
        result = load_geography()
        self.stdout.write(
            f"geothai {result.data_version}: {result.provinces} provinces, "
            f"{result.districts} districts, {result.subdistricts} subdistricts"
        )
        if result.provinces < EXPECTED["provinces"] or result.districts < EXPECTED["districts"]:
            self.stderr.write(self.style.WARNING("Fewer areas than expected: check the geothai version."))
