"""Batches of scans: a ZIP an officer uploads, or the new files a scanner wrote to a folder.

Each file of a batch is checked and kept on its own (``services.add_scan``, one
transaction a file): a file refused (not a scan, broken, too large, already imported)
is written in ``Batch.rejected`` with the reason, in Thai, and the others go on. The
documents go into the center's tray, their pages queued for reading as each commits;
the batch's page follows them (``selectors.batch_progress``).

A file is known by its content (sha256), not its name: a scan the center already has,
or a folder's file refused before, is not taken again, so a folder can be watched for
ever (``manage.py watch_scans``) and a ZIP sent twice makes no second copy.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.files import clean_original_name
from cases.services import ActionRefused
from core.models import District, User
from documents import services
from documents.files import scan_of
from documents.models import Batch, Document
from documents.selectors import may_add_to_tray

# A ZIP of a day's letters holds dozens; more is a mistake, or an attack on the server.
MAX_FILES = 500
# What systems put beside the files (macOS resource forks, Windows thumbnails, hidden
# files): neither scans nor files to report.
_NOT_FILES = re.compile(r"(^|/)(\.[^/]*|__MACOSX|Thumbs\.db|desktop\.ini)(/|$)", re.IGNORECASE)


def _ignored(name: str) -> bool:
    return bool(_NOT_FILES.search(name))


def already_imported(district_code: str, sha256: str) -> Document | None:
    """The document of ``district_code`` (in its tray or on one of its cases) that is this file."""
    return Document.objects.filter(district_id=district_code, sha256=sha256).order_by("pk").first()


def _reject(batch: Batch, name: str, reason: str, sha256: str = "") -> None:
    batch.rejected.append({"name": name, "reason": reason, **({"sha256": sha256} if sha256 else {})})
    Batch.objects.filter(pk=batch.pk).update(rejected=batch.rejected)


def _message(error: ValidationError) -> str:
    return error.messages[0] if error.messages else _("ไฟล์นี้ใช้ไม่ได้")


def _take(batch: Batch, name: str, data: bytes, *, actor: User | None, district: District) -> None:
    """Check one file of ``batch`` and keep it, or write down why not."""
    sha256 = hashlib.sha256(data).hexdigest()
    earlier = already_imported(district.pk, sha256)
    if earlier is not None:
        _reject(batch, name, _("ไฟล์นี้นำเข้าแล้ว (“%(name)s”)") % {"name": earlier.original_name}, sha256)
        return
    try:
        services.add_scan(scan_of(name, data), actor=actor, district=district, batch=batch)
    except ValidationError as error:
        _reject(batch, name, _message(error), sha256)


# --- A ZIP uploaded --------------------------------------------------------------------------


def import_zip(*, uploaded, actor: User, district: District) -> Batch:
    """Take the scans of a ZIP into ``district``'s tray, as a batch.

    Raises ActionRefused if ``actor`` may not add to that tray, and ValidationError
    ``{"file": [...]}`` if the upload is no ZIP, is too large or holds no file; a file
    inside it that is refused is reported in the batch."""
    if not may_add_to_tray(actor, district.pk):
        raise ActionRefused(_("คุณไม่มีสิทธิ์เพิ่มเอกสารในถาดของศูนย์นี้"), code="forbidden")
    name = clean_original_name(getattr(uploaded, "name", "") or "")
    limit = settings.SCAN_BATCH_MAX_BYTES
    if (getattr(uploaded, "size", 0) or 0) > limit:
        raise ValidationError(
            {
                "file": [
                    _("ไฟล์ “%(name)s” มีขนาดใหญ่เกินไป (ไม่เกิน %(limit)s MB)")
                    % {"name": name, "limit": f"{limit / 2**20:g}"}
                ]
            }
        )
    try:
        uploaded.seek(0)
        archive = zipfile.ZipFile(uploaded)
        members = [info for info in archive.infolist() if not info.is_dir() and not _ignored(_member_name(info))]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise ValidationError({"file": [_("ไฟล์ “%(name)s” ไม่ใช่ไฟล์ ZIP หรือไฟล์เสีย") % {"name": name}]}) from error
    if not members:
        raise ValidationError({"file": [_("ไม่พบไฟล์ใดในไฟล์ ZIP “%(name)s”") % {"name": name}]})
    if len(members) > MAX_FILES:
        raise ValidationError({"file": [_("ไฟล์ ZIP มีไฟล์เกิน %(limit)d ไฟล์ กรุณาแบ่งเป็นหลายชุด") % {"limit": MAX_FILES}]})
    batch = Batch.objects.create(
        source=Batch.Source.UPLOAD, name=name, district=district, created_by=actor, total=len(members)
    )
    with archive:
        for info in members:
            member = _member_name(info)
            try:
                data = _read_member(archive, info)
            except ValidationError as error:
                _reject(batch, member, _message(error))
                continue
            _take(batch, member, data, actor=actor, district=district)
    batch.finished_at = timezone.now()
    batch.save(update_fields=["finished_at"])
    return batch


def _member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its writer meant it: names not marked UTF-8 are read as
    Windows' Thai code page (a ZIP made on a Thai Windows), not as the old DOS one."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp874", errors="replace")


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    name = PurePosixPath(_member_name(info)).name
    limit = settings.SCAN_MAX_BYTES
    if info.flag_bits & 0x1:
        raise ValidationError(_("ไฟล์ “%(name)s” ถูกตั้งรหัสผ่านไว้ ระบบเปิดอ่านไม่ได้") % {"name": name})
    if info.file_size > limit:
        raise ValidationError(
            _("ไฟล์ “%(name)s” มีขนาดใหญ่เกินไป (ไม่เกิน %(limit)s MB)") % {"name": name, "limit": f"{limit / 2**20:g}"}
        )
    try:
        with archive.open(info) as member:
            data = member.read(limit + 1)  # the declared size is not to be trusted
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, OSError, ValueError) as error:
        raise ValidationError(_("อ่านไฟล์ “%(name)s” จากไฟล์ ZIP ไม่ได้ (ไฟล์ ZIP อาจเสีย)") % {"name": name}) from error
    if len(data) > limit:
        raise ValidationError(
            _("ไฟล์ “%(name)s” มีขนาดใหญ่เกินไป (ไม่เกิน %(limit)s MB)") % {"name": name, "limit": f"{limit / 2**20:g}"}
        )
    return data


# --- A scanner's folder ----------------------------------------------------------------------


def import_folder(folder: Path, district: District, *, settle: float = 5.0) -> Batch | None:
    """Take the new scans of ``folder`` (and its subfolders) into ``district``'s tray, as a batch.

    New means a content the center has not imported, nor refused from a folder, before.
    A file changed within the last ``settle`` seconds is left for the next pass: the
    scanner may still be writing it. Returns None when there was nothing new."""
    folder = Path(folder)
    refused = _refused_before(district)
    seen: set[str] = set()
    new: list[tuple[Path, str]] = []
    for path in _files(folder, settle):
        try:
            with path.open("rb") as handle:
                sha256 = hashlib.file_digest(handle, "sha256").hexdigest()
        except OSError:
            continue  # gone or unreadable since it was listed: the next pass sees it again
        if sha256 in seen or sha256 in refused or already_imported(district.pk, sha256):
            continue
        seen.add(sha256)
        new.append((path, sha256))
    if not new:
        return None
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    batch = Batch.objects.create(
        source=Batch.Source.FOLDER, name=f"{folder.name or folder} {stamp}", district=district, total=len(new)
    )
    limit = settings.SCAN_MAX_BYTES
    for path, sha256 in new:
        name = str(path.relative_to(folder))
        try:
            if path.stat().st_size > limit:
                reason = _("ไฟล์ “%(name)s” มีขนาดใหญ่เกินไป (ไม่เกิน %(limit)s MB)") % {
                    "name": path.name,
                    "limit": f"{limit / 2**20:g}",
                }
                _reject(batch, name, reason, sha256)
                continue
            data = path.read_bytes()
        except OSError:
            _reject(batch, name, _("อ่านไฟล์ “%(name)s” จากโฟลเดอร์ไม่ได้") % {"name": path.name})
            continue
        _take(batch, name, data, actor=None, district=district)
    batch.finished_at = timezone.now()
    batch.save(update_fields=["finished_at"])
    return batch


def _files(folder: Path, settle: float) -> Iterator[Path]:
    """The folder's files in name order, those still being written (changed within ``settle`` s) left out."""
    now = timezone.now().timestamp()
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if _ignored(relative) or path.is_symlink() or not path.is_file():
            continue
        try:
            if now - path.stat().st_mtime < settle:
                continue
        except OSError:
            continue
        yield path


def _refused_before(district: District) -> set[str]:
    """The contents a folder batch of ``district`` refused (reported once, not at every pass)."""
    since = timezone.now() - dt.timedelta(days=365)
    rows = Batch.objects.filter(district=district, source=Batch.Source.FOLDER, created_at__gte=since)
    return {
        item["sha256"]
        for rejected in rows.values_list("rejected", flat=True)
        for item in rejected
        if item.get("sha256")
    }
