"""Scanned files: judged by their bytes, kept as they came.

A scan is a PDF, a TIFF (one page or many), a JPEG or a PNG, whatever its name
says. It is kept byte for byte (the original is evidence; OCR works on copies), so
it is checked here before it is kept: a PDF as ``cases.files`` checks an attached
one (nothing that acts when opened, not encrypted) and then opened to count its
pages; an image decoded page by page, within a pixel limit. A file refused says why,
in Thai, naming the file.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

import filetype
import pikepdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image

from cases.files import _check_pdf as check_pdf  # the attachments' PDF check, the same for scans
from cases.files import clean_original_name
from documents.ocr import MAX_PIXELS

PDF = "application/pdf"
# What a scan may be, by its bytes: its content type, Pillow's format and our extension.
IMAGE_TYPES = {"image/tiff": ("TIFF", "tif"), "image/jpeg": ("JPEG", "jpg"), "image/png": ("PNG", "png")}
EXTENSIONS = {PDF: "pdf", **{mime: extension for mime, (_format, extension) in IMAGE_TYPES.items()}}
# A letter and its enclosures run to a few dozen pages; a thicker file is a bundle to split.
MAX_PAGES = 300
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, TypeError, EOFError, IndexError, KeyError, MemoryError)


@dataclass(frozen=True)
class Scan:
    """A file that passed the checks: kept as ``data``."""

    name: str  # the uploader's name, cleaned (cases.files.clean_original_name)
    content_type: str
    extension: str
    data: bytes
    pages: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def checked_scan(uploaded) -> Scan:
    """Check an uploaded file (a Django ``UploadedFile``) as a scan.

    Raises ValidationError ``{"file": [message]}`` for a file over
    ``settings.SCAN_MAX_BYTES``, an empty one, one that is no scan, or a broken one."""
    name = clean_original_name(getattr(uploaded, "name", "") or "")
    limit = settings.SCAN_MAX_BYTES
    declared = getattr(uploaded, "size", None)
    if declared is not None and declared > limit:
        _refuse(_too_big(name))
    uploaded.seek(0)
    chunks, total = [], 0
    for chunk in uploaded.chunks():
        total += len(chunk)
        if total > limit:  # the declared size is not to be trusted
            _refuse(_too_big(name))
        chunks.append(chunk)
    return scan_of(name, b"".join(chunks))


def scan_of(name: str, data: bytes) -> Scan:
    """Check ``data``, a file named ``name`` (from a ZIP, a scanner's folder), as a scan."""
    name = clean_original_name(name)
    if not data:
        _refuse(_("ไฟล์ “%(name)s” ว่างเปล่า ไม่มีข้อมูล") % {"name": name})
    if len(data) > settings.SCAN_MAX_BYTES:
        _refuse(_too_big(name))
    if data.startswith(b"%PDF-"):
        return Scan(name, PDF, "pdf", data, _pdf_pages(data, name))
    guess = filetype.guess(data[:8192])
    mime = guess.mime if guess is not None else ""
    if mime not in IMAGE_TYPES:
        _refuse(_("ไฟล์ “%(name)s” ไม่ใช่ไฟล์สแกนที่ระบบรับได้ (รับได้: PDF, TIFF, JPEG, PNG)") % {"name": name})
    pillow_format, extension = IMAGE_TYPES[mime]
    return Scan(name, mime, extension, data, _image_pages(data, name, pillow_format))


def _refuse(message: str):
    raise ValidationError({"file": [message]})


def _too_big(name: str) -> str:
    megabytes = settings.SCAN_MAX_BYTES / (1024 * 1024)
    return _("ไฟล์ “%(name)s” มีขนาดใหญ่เกินไป (ไม่เกิน %(limit)s MB)") % {"name": name, "limit": f"{megabytes:g}"}


def _too_many_pages(name: str) -> str:
    return _("ไฟล์ “%(name)s” มีเกิน %(limit)d หน้า กรุณาแยกเป็นหลายไฟล์") % {"name": name, "limit": MAX_PAGES}


def _pdf_pages(data: bytes, name: str) -> int:
    check_pdf(data, name)
    broken = _("ไฟล์ “%(name)s” เป็น PDF ที่เสียหรือไม่ครบ เปิดอ่านไม่ได้") % {"name": name}
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            pages = len(pdf.pages)
    except (pikepdf.PdfError, pikepdf.PasswordError, *_DECODE_ERRORS):
        _refuse(broken)
    if pages == 0:
        _refuse(_("ไฟล์ “%(name)s” เป็น PDF ที่ไม่มีหน้าใดเลย") % {"name": name})
    if pages > MAX_PAGES:
        _refuse(_too_many_pages(name))
    return pages


def _image_pages(data: bytes, name: str, pillow_format: str) -> int:
    """Decode every page (frame) of the image: a truncated or damaged scan is refused here, not at OCR."""
    broken = _("ไฟล์ “%(name)s” เป็นภาพที่เสียหรือไม่ครบ เปิดไม่ได้") % {"name": name}
    too_large = _("ภาพ “%(name)s” มีจำนวนพิกเซลมากเกินไป (ไม่เกิน %(limit)d ล้านพิกเซลต่อหน้า)") % {
        "name": name,
        "limit": MAX_PIXELS // 1_000_000,
    }
    try:
        with warnings.catch_warnings():
            # Pillow warns of what it could not read in a damaged file (the refusal says it);
            # it warns, then refuses, past its own pixel limit: a warning is a refusal here.
            warnings.simplefilter("ignore", UserWarning)
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
                pages = getattr(image, "n_frames", 1)
                if pages > MAX_PAGES:
                    _refuse(_too_many_pages(name))
                for frame in range(pages):
                    image.seek(frame)
                    if image.width * image.height > MAX_PIXELS:
                        _refuse(too_large)
                    image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        _refuse(too_large)
    except _DECODE_ERRORS:
        _refuse(broken)
    return pages
