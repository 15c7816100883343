"""manage.py import_complaints FILE --as NATIONAL_ID: import earlier records (README, "Importing earlier records")."""

from __future__ import annotations

import sys
import time
from argparse import BooleanOptionalAction
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.models import District, User
from core.thai import normalize_national_id, to_arabic_digits
from imports.reading import EXTENSIONS, ImportFileError
from imports.services import ImportResult, default_source, import_file

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Import earlier complaints from a .csv (UTF-8 or TIS-620), .xlsx or .jsonl file through the intake "
        "service: each row its own transaction, a row imported before changes nothing. Exits 1 if a row failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=f"The file: {', '.join(EXTENSIONS)}.")
        parser.add_argument(
            "--as", dest="actor", required=True, metavar="NATIONAL_ID",
            help="The officer who imports: an administrator whose scope holds the rows' districts, "
            "or a district officer for her own district.",
        )  # fmt: skip
        parser.add_argument(
            "--source", help="Where the records come from; source keys are unique within it. Default: the file's name."
        )
        parser.add_argument("--dry-run", action="store_true", help="Check every row and report; write nothing.")
        parser.add_argument(
            "--all-or-nothing", action="store_true",
            help="Write the rows only if every row passes, in one transaction; otherwise none.",
        )  # fmt: skip
        parser.add_argument(
            "--district-default", metavar="CODE", help="The district (4-digit code) of rows without district_code."
        )
        parser.add_argument(
            "--progress", action=BooleanOptionalAction, default=None,
            help="Draw the progress bar (default: when the output is a terminal).",
        )  # fmt: skip

    def handle(self, *args, file, actor, source=None, dry_run=False, all_or_nothing=False, district_default=None,
               progress=None, **options):  # fmt: skip
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("ไม่พบไฟล์ %(path)s") % {"path": path})
        user = self._actor(actor)
        district = self._district(district_default) if district_default else None
        source = (source or default_source(path.name)).strip()
        if not source or len(source) > 60:
            raise CommandError(_("ชื่อแหล่งข้อมูลต้องมี 1–60 ตัวอักษร"))
        show = sys.stderr.isatty() if progress is None else progress
        bar = _Bar(self.stderr) if show else None
        started = time.monotonic()
        try:
            with path.open("rb") as handle:
                result = import_file(
                    handle, name=path.name, actor=user, source=source, district_default=district, dry_run=dry_run,
                    all_or_nothing=all_or_nothing, progress=bar,
                )  # fmt: skip
        except ImportFileError as problem:
            raise CommandError(problem.message) from None
        if bar:
            bar.end()
        self._report(path, result, time.monotonic() - started)
        if result.failed:
            raise CommandError(_("%(count)s แถวไม่ผ่าน") % {"count": f"{result.failed:,}"})

    def _actor(self, national_id: str) -> User:
        try:
            national_id = normalize_national_id(national_id)
        except ValidationError as error:
            raise CommandError(f"--as: {error.messages[0]}") from None
        user = User.objects.filter(national_id=national_id, is_active=True).first()
        if user is None:
            raise CommandError(_("--as: ไม่พบผู้ใช้งานที่ใช้งานได้ของเลขประจำตัวประชาชนนี้"))
        return user

    def _district(self, code: str) -> District:
        district = District.objects.filter(code=to_arabic_digits(code).strip()).first()
        if district is None:
            raise CommandError(_("--district-default: ไม่พบอำเภอรหัส “%(code)s”") % {"code": code})
        return district

    def _report(self, path: Path, result: ImportResult, seconds: float) -> None:
        write = self.stdout.write
        details = [result.encoding] if result.encoding else []
        write(
            _("ไฟล์ %(name)s: %(rows)s แถว แหล่งข้อมูล “%(source)s”")
            % {"name": path.name, "rows": f"{result.total:,}", "source": result.source}
            + (f" ({', '.join(details)})" if details else "")
        )
        if result.ignored:
            write(_("คอลัมน์ที่ไม่ได้ใช้: %(columns)s") % {"columns": ", ".join(result.ignored)})
        for failure in result.failures:
            where = _("แถวที่ %(row)d") % {"row": failure.row}
            if failure.source_key:
                where += f" ({failure.source_key})"
            write(f"{where}: " + "; ".join(failure.messages))
        counts = {
            "added": f"{result.added:,}", "skipped": f"{result.skipped:,}", "failed": f"{result.failed:,}",
            "seconds": f"{seconds:.1f}",
        }  # fmt: skip
        if result.dry_run:
            line = _(
                "ตรวจสอบอย่างเดียว ไม่ได้บันทึก: จะเพิ่ม %(added)s เรื่อง · นำเข้าไว้ก่อนแล้ว %(skipped)s แถว · ไม่ผ่าน %(failed)s แถว (%(seconds)s วินาที)"
            )
        elif result.rolled_back:
            line = _("ไม่ได้บันทึกเรื่องใดเลย เพราะมีแถวที่ไม่ผ่าน %(failed)s แถว (ทั้งหมดหรือไม่เลย, %(seconds)s วินาที)")
        else:
            line = _("เพิ่ม %(added)s เรื่อง · นำเข้าไว้ก่อนแล้ว %(skipped)s แถว · ไม่ผ่าน %(failed)s แถว (%(seconds)s วินาที)")
        write(line % counts, self.style.ERROR if result.failed else self.style.SUCCESS)


class _Bar:
    """A progress line redrawn in place (a carriage return, no library)."""

    def __init__(self, out):
        self.out = out
        self.started = time.monotonic()
        self.drawn = False

    def __call__(self, result: ImportResult) -> None:
        share = result.done / result.total if result.total else 1
        filled = int(share * BAR_WIDTH)
        rate = result.done / max(time.monotonic() - self.started, 1e-6)
        phase = _("ตรวจสอบ") if result.phase == "check" else _("นำเข้า")
        self.out.write(
            f"\r{phase} [{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {share:4.0%} {result.done:,}/{result.total:,} · "
            + _("เพิ่ม %(added)s · มีแล้ว %(skipped)s · ไม่ผ่าน %(failed)s · %(rate)s แถว/วินาที")
            % {
                "added": f"{result.added:,}",
                "skipped": f"{result.skipped:,}",
                "failed": f"{result.failed:,}",
                "rate": f"{rate:,.0f}",
            },  # fmt: skip
            ending="",
        )
        self.out.flush()
        self.drawn = True

    def end(self) -> None:
        if self.drawn:
            self.out.write("", ending="\n")
