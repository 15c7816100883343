"""Files attached to a case: checked by what they are, stored under names we make.

A file is judged by its bytes, never by its name or by the content type the
browser sent: a program renamed ``photo.jpg`` or a web page renamed
``report.pdf`` is refused. Photos are decoded and re-encoded as JPEG, which
applies the camera's orientation and drops everything but the pixels (EXIF,
GPS position, comments); documents are kept byte for byte.

``store_attachment`` is the only way a file reaches storage. It runs inside the
caller's transaction: if it fails, it deletes what it wrote and re-raises, and
the transaction takes the row away.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
import uuid
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from cases.models import Attachment

# A decoded photo this large takes ~120 MB of memory in RGB; real phone photos are
# 12-50 megapixels, so 40 lets them through and stops decompression bombs
# (a few kilobytes of PNG that decode to gigabytes).
MAX_IMAGE_PIXELS = 40_000_000
PHOTO_MAX_SIDE = 2560
THUMBNAIL_SIDE = 320
JPEG_QUALITY = 85
THUMBNAIL_QUALITY = 80

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# What the sniffer may say about an image, and the Pillow format that must agree.
_IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
_DOCUMENT_EXTENSIONS = {PDF: "pdf", DOCX: "docx", XLSX: "xlsx"}
# Pillow's decoders raise many kinds of error on hostile or broken input.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, TypeError, EOFError, IndexError, KeyError, MemoryError)


@dataclass(frozen=True)
class _Prepared:
    kind: str
    content_type: str
    extension: str
    data: bytes
    thumbnail: bytes | None = None


def store_attachment(*, case, uploaded, actor, progress_report=None, photo_only=False, description="") -> Attachment:
    """Check ``uploaded`` by its content, store it under a server-made name and record it on ``case``.

    Raises ValidationError ``{"file": [message]}`` (in the user's language) for a
    file of a kind we do not take, an empty file, a file over
    ``settings.UPLOAD_MAX_BYTES`` or a broken or oversized image. With
    ``photo_only`` only JPEG, PNG and WebP photos are taken.
    """
    original_name = clean_original_name(getattr(uploaded, "name", "") or "")
    data = _read(uploaded, original_name)
    prepared = _prepare(data, original_name, photo_only=photo_only)

    attachment = Attachment(
        complaint=case,
        progress_report=progress_report,
        kind=prepared.kind,
        original_name=original_name,
        content_type=prepared.content_type,
        size=len(prepared.data),
        sha256=hashlib.sha256(prepared.data).hexdigest(),
        description=(description or "").strip()[:300],
        uploaded_by=actor,
    )
    stem = uuid.uuid4().hex
    written = []
    try:
        attachment.file.save(f"{stem}.{prepared.extension}", ContentFile(prepared.data), save=False)
        written.append(attachment.file)
        if prepared.thumbnail is not None:
            attachment.thumbnail.save(f"{stem}-thumb.jpg", ContentFile(prepared.thumbnail), save=False)
            written.append(attachment.thumbnail)
        attachment._history_user = actor
        attachment.save()
    except BaseException:
        for field_file in written:
            _delete_quietly(field_file)
        raise
    return attachment


def clean_original_name(name: str) -> str:
    """The uploaded name for display only: no folders, no control characters, at most 255 characters."""
    name = unicodedata.normalize("NFC", str(name)).replace("\\", "/")
    name = PurePosixPath(name).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if not name or name in {".", ".."}:
        name = "file"
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = f"{stem[: 254 - len(ext)]}.{ext}"
        else:
            name = name[:255]
    return name


# --- Reading and checking -------------------------------------------------------------------


def _refuse(message: str):
    raise ValidationError({"file": [message]})


def _limit_text(max_bytes: int) -> str:
    megabytes = max_bytes / (1024 * 1024)
    if megabytes >= 1:
        return f"{round(megabytes, 1):g} MB"
    return f"{max(1, round(max_bytes / 1024)):d} KB"


def _read(uploaded, name: str) -> bytes:
    max_bytes = settings.UPLOAD_MAX_BYTES
    too_big = _("ไฟล์ “%(name)s” มีขนาดใหญ่เกินไป (ไม่เกิน %(limit)s)") % {
        "name": name,
        "limit": _limit_text(max_bytes),
    }
    declared = getattr(uploaded, "size", None)
    if declared is not None and declared > max_bytes:
        _refuse(too_big)
    uploaded.seek(0)
    chunks, total = [], 0
    for chunk in uploaded.chunks():
        total += len(chunk)
        if total > max_bytes:  # the declared size is not to be trusted
            _refuse(too_big)
        chunks.append(chunk)
    data = b"".join(chunks)
    if not data:
        _refuse(_("ไฟล์ “%(name)s” ว่างเปล่า ไม่มีข้อมูล") % {"name": name})
    return data


def _not_accepted(name: str, photo_only: bool):
    if photo_only:
        _refuse(_("ไฟล์ “%(name)s” ไม่ใช่ภาพถ่ายที่ระบบรับได้ (รับได้: JPEG, PNG, WebP)") % {"name": name})
    _refuse(_("ไฟล์ “%(name)s” ไม่ใช่ภาพถ่ายหรือเอกสารที่ระบบรับได้ (รับได้: JPEG, PNG, WebP, PDF, DOCX, XLSX)") % {"name": name})


def _prepare(data: bytes, name: str, *, photo_only: bool) -> _Prepared:
    guess = filetype.guess(data[:8192])
    mime = guess.mime if guess is not None else ""
    if mime in _IMAGE_FORMATS:
        photo, thumbnail = _reencode_image(data, name, expected_format=_IMAGE_FORMATS[mime])
        return _Prepared(Attachment.Kind.PHOTO, "image/jpeg", "jpg", photo, thumbnail)
    if photo_only:
        _not_accepted(name, photo_only)
    if data.startswith(b"%PDF-"):
        return _Prepared(Attachment.Kind.DOCUMENT, PDF, "pdf", data)
    if data.startswith(b"PK\x03\x04"):
        office_type = _office_type(data, name)
        if office_type:
            return _Prepared(Attachment.Kind.DOCUMENT, office_type, _DOCUMENT_EXTENSIONS[office_type], data)
    _not_accepted(name, photo_only)
    raise AssertionError("unreachable")  # pragma: no cover


def _office_type(data: bytes, name: str) -> str:
    """DOCX or XLSX if ``data`` is an Office Open XML package of that kind, else ""."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return ""
    if "[Content_Types].xml" not in names:
        return ""
    if any(entry.lower().endswith("vbaproject.bin") for entry in names):
        _refuse(_("ไฟล์ “%(name)s” มีแมโคร ระบบไม่รับไฟล์ที่มีแมโคร") % {"name": name})
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return ""


def _reencode_image(data: bytes, name: str, *, expected_format: str) -> tuple[bytes, bytes]:
    """Decode the image and encode it again as JPEG: the photo (long side ≤ 2560) and its thumbnail."""
    broken = _("ไฟล์ “%(name)s” เป็นภาพที่เสียหรือเปิดไม่ได้") % {"name": name}
    too_large = _("ภาพ “%(name)s” มีจำนวนพิกเซลมากเกินไป (ไม่เกิน %(limit)s ล้านพิกเซล)") % {
        "name": name,
        "limit": MAX_IMAGE_PIXELS // 1_000_000,
    }
    try:
        with warnings.catch_warnings():
            # Pillow warns, then refuses, past its own limit; a warning is a refusal here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[expected_format]) as probe:
                if probe.width * probe.height > MAX_IMAGE_PIXELS:
                    _refuse(too_large)
                probe.verify()
            with Image.open(io.BytesIO(data), formats=[expected_format]) as opened:
                if opened.width * opened.height > MAX_IMAGE_PIXELS:
                    _refuse(too_large)
                opened.load()
                image = _to_rgb(ImageOps.exif_transpose(opened))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        _refuse(too_large)
    except _DECODE_ERRORS:
        _refuse(broken)

    image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE), Image.Resampling.LANCZOS)
    photo = _jpeg(image, JPEG_QUALITY)
    small = image.copy()
    small.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    return photo, _jpeg(small, THUMBNAIL_QUALITY)


def _to_rgb(image: Image.Image) -> Image.Image:
    """RGB pixels only; transparency becomes white, 16-bit greys are scaled down, not clipped."""
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N"):
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _jpeg(image: Image.Image, quality: int) -> bytes:
    # No exif=, icc_profile= or comment=: nothing but the pixels is written.
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality, optimize=True)
    return buffer.getvalue()


def _delete_quietly(field_file) -> None:
    try:
        field_file.storage.delete(field_file.name)
    except Exception:  # noqa: S110 - the original error is the one to report
        pass
