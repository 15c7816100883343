"""manage.py watch_scans: the scanner's folder of a center, imported into its tray as it fills."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.models import District
from documents.batches import import_folder


class Command(BaseCommand):
    help = (
        "Import the new scans (PDF, TIFF, JPEG, PNG) a scanner writes to FOLDER into the tray of the "
        "center of --district, one batch per pass, each file once (known by its sha256, whatever its "
        "name); a file refused is reported in its batch, once. Runs until stopped, a pass every "
        "--interval seconds, or one pass with --once."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument("--district", required=True, help="the center's district code, e.g. 7001")
        parser.add_argument("--once", action="store_true", help="one pass, then stop")
        parser.add_argument("--interval", type=float, default=30.0, help="seconds between passes (default 30)")
        parser.add_argument(
            "--settle", type=float, default=5.0,
            help="leave a file changed within this many seconds for the next pass: the scanner may "
            "still be writing it (default 5)",
        )  # fmt: skip

    def handle(self, *args, folder: Path, district: str, once=False, interval=30.0, settle=5.0, **options):
        self.verbosity = options.get("verbosity", 1)
        if not folder.is_dir():
            raise CommandError(f"not a folder: {folder}")
        found = District.objects.filter(pk=district.strip()).first()
        if found is None:
            raise CommandError(f"no district with code {district!r}")
        if interval <= 0 or settle < 0:
            raise CommandError("--interval must be above 0 and --settle not below 0")
        try:
            while True:
                self._pass(folder, found, settle)
                if once:
                    return
                time.sleep(interval)
        except KeyboardInterrupt:
            self.stdout.write("stopped")

    def _pass(self, folder: Path, district: District, settle: float) -> None:
        batch = import_folder(folder, district, settle=settle)
        if batch is None:
            if self.verbosity > 1:
                self.stdout.write("nothing new")
            return
        made = batch.documents.count()
        self.stdout.write(f"batch {batch.pk}: {made} document(s) queued for reading, {len(batch.rejected)} refused")
        for item in batch.rejected:
            self.stderr.write(f"  refused {item['name']}: {item['reason']}")
