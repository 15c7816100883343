"""Files attached to a case: checked by what they are, stored under names we make.

A file is judged by its bytes, never by its name or by the content type the
browser sent: a program renamed ``photo.jpg`` or a web page renamed
``report.pdf`` is refused. Photos are decoded and re-encoded as JPEG, which
applies the camera's orientation and drops everything but the pixels (EXIF,
GPS position, XMP, comments); documents are kept byte for byte, and a PDF that
can act when opened (scripts, launch actions, embedded files, forms that run)
is refused.

``store_attachment`` is the only way a file reaches storage. It runs inside the
caller's transaction: if it fails, it deletes what it wrote and re-raises, and
the transaction takes the row away.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import uuid
import warnings
import zipfile
import zlib
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
_EXTENSIONS = {"image/jpeg": "jpg", **_DOCUMENT_EXTENSIONS}
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


def reencoded_photo(
    uploaded, *, max_side: int = PHOTO_MAX_SIDE, thumbnail_side: int = THUMBNAIL_SIDE
) -> tuple[bytes, bytes]:
    """Check that ``uploaded`` is a photo by its bytes and return it re-encoded: (photo, thumbnail), both JPEG.

    The checks and the re-encoding of ``store_attachment`` for a photo (size limit,
    JPEG, PNG or WebP by content, pixel limit, orientation applied, EXIF and every
    other metadata dropped), for a caller that stores the result itself. Raises
    ValidationError ``{"file": [message]}`` as ``store_attachment`` does.
    """
    name = clean_original_name(getattr(uploaded, "name", "") or "")
    data = _read(uploaded, name)
    guess = filetype.guess(data[:8192])
    expected = _IMAGE_FORMATS.get(guess.mime if guess is not None else "")
    if expected is None:
        _not_accepted(name, photo_only=True)
    return _reencode_image(data, name, expected_format=expected, max_side=max_side, thumbnail_side=thumbnail_side)


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed ``store_attachment``'s checks, as it would be kept (a photo re-encoded)."""

    name: str  # the uploader's name, cleaned (``clean_original_name``)
    extension: str
    data: bytes


def checked_file(uploaded, *, photo_only: bool = False) -> CheckedFile:
    """Check ``uploaded`` as ``store_attachment`` does, for a caller that keeps it a
    while before there is a case (a complaint filed on the public website waits for
    its confirmation). ``store_attachment`` checks the result again when it stores it.
    Raises ValidationError ``{"file": [message]}`` as ``store_attachment`` does."""
    name = clean_original_name(getattr(uploaded, "name", "") or "")
    prepared = _prepare(_read(uploaded, name), name, photo_only=photo_only)
    return CheckedFile(name=name, extension=prepared.extension, data=prepared.data)


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


def download_name(original_name: str, content_type: str) -> str:
    """The uploader's name with the extension of what the file is: ``x.html`` stored as a PDF downloads as ``x.pdf``."""
    extension = _EXTENSIONS.get(content_type, "bin")
    stem, dot, _extension = clean_original_name(original_name).rpartition(".")
    stem = (stem if dot else _extension).strip(" .")[:250] or "file"
    return f"{stem}.{extension}"


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
        _check_pdf(data, name)
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


# Names in a PDF that make it act by itself: run a script, start a program,
# carry other files, or embed Flash or an XML form.
ACTIVE_PDF_NAMES = frozenset(
    {b"OpenAction", b"AA", b"JavaScript", b"JS", b"Launch", b"EmbeddedFile", b"EmbeddedFiles", b"RichMedia", b"XFA"}
)
# A PDF name: a slash and regular characters; "#xx" writes any byte in hex (/J#61vaScript is /JavaScript).
_PDF_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]*)")
_PDF_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
# The end of a stream's dictionary and the start of its data; the data runs to "endstream".
_PDF_STREAM = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
_PDF_FLATE = frozenset({b"FlateDecode", b"Fl"})
# Every other filter (and predictors, in DecodeParms) would need decoding we do not do.
_PDF_UNREAD_FILTERS = frozenset(
    {b"DecodeParms", b"DP", b"Crypt", b"ASCIIHexDecode", b"AHx", b"ASCII85Decode", b"A85", b"LZWDecode", b"LZW",
     b"RunLengthDecode", b"RL", b"CCITTFaxDecode", b"CCF", b"DCTDecode", b"DCT", b"JBIG2Decode", b"JPXDecode"}
)  # fmt: skip
# Decoded object streams may hold this much; past it, the file is not checked but refused.
_PDF_DECODED_LIMIT = 64 * 1024 * 1024


def _unescape(raw: bytes) -> bytes:
    return _PDF_HEX.sub(lambda m: bytes([int(m.group(1), 16)]), raw)


def pdf_names(data: bytes) -> set[bytes]:
    """The names written in ``data`` (PDF syntax), with their #xx escapes decoded."""
    return {_unescape(raw) for raw in _PDF_NAME.findall(data)}


class _PdfObjects:
    """The start of each numbered object's text, outside streams and inside object streams."""

    _OBJECT = re.compile(rb"(?<![0-9])([0-9]{1,10})\s+[0-9]{1,5}\s+obj\b")
    _FIRST = re.compile(rb"/First\s+([0-9]{1,10})")

    def __init__(self):
        self.starts: dict[int, bytes] = {}

    def add_text(self, text: bytes) -> None:
        for match in self._OBJECT.finditer(text):
            self.starts.setdefault(int(match.group(1)), text[match.end() : match.end() + 200])

    def add_object_stream(self, dictionary: bytes, decoded: bytes) -> None:
        # An object stream starts with pairs "number offset"; offsets count from /First.
        first = self._FIRST.search(dictionary)
        if first is None:
            return
        first = int(first.group(1))
        header = decoded[:first].split()
        for number, offset in zip(header[::2], header[1::2], strict=False):
            if number.isdigit() and offset.isdigit():
                at = first + int(offset)
                self.starts.setdefault(int(number), decoded[at : at + 200])

    def resolve(self, value: bytes) -> bytes:
        """The start of the object ``value`` refers to (``98 0 R``), or ``value`` itself."""
        match = _PDF_REFERENCE.match(value)
        return self.starts.get(int(match.group(1)), b"") if match else value


_PDF_REFERENCE = re.compile(rb"\s*([0-9]{1,10})\s+[0-9]{1,5}\s+R")
_PDF_ACTION_TYPE = re.compile(rb"/S\s*/([^\x00\t\n\x0c\r ()<>\[\]{}/%]*)")


def _only_goes_to_a_page(value: bytes) -> bool:
    """Whether an /OpenAction value is a destination or a GoTo action: it shows a page, nothing more."""
    value = value.lstrip()
    if value.startswith(b"["):
        return True
    kind = _PDF_ACTION_TYPE.search(value) if value.startswith(b"<<") else None
    return kind is not None and _unescape(kind.group(1)) == b"GoTo"


def active_pdf_names(text: bytes, objects: _PdfObjects) -> set[bytes]:
    """The names in ``text`` that make a PDF act by itself.

    ``/OpenAction [3 0 R /FitH null]`` only says which page to show first (our
    own PDF exports and fpdf2 write it; LaTeX's hyperref refers to a GoTo
    action): a destination, not an action that acts. Any other /OpenAction
    (a script, a launch, a URI, a form submission) does.
    """
    found = set()
    for match in _PDF_NAME.finditer(text):
        name = _unescape(match.group(1))
        if name not in ACTIVE_PDF_NAMES:
            continue
        value = text[match.end() : match.end() + 200]
        if name == b"OpenAction" and _only_goes_to_a_page(objects.resolve(value)[:200]):
            continue
        found.add(name)
    return found


def _pdf_parts(data: bytes) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    """Split a PDF into its text outside streams and its streams (dictionary, raw data)."""
    outside, streams, position = [], [], 0
    # Each search starts where the last stream ended: one pass over the file,
    # whatever a hostile file repeats.
    while match := _PDF_STREAM.search(data, position):
        # The stream's object begins at the last "obj" before it ("endobj" ends the one before).
        opening = max(data.rfind(b"obj", position, match.start()), position)
        end = data.find(b"endstream", match.end())
        end = len(data) if end < 0 else end
        outside.append(data[position : match.end()])
        streams.append((data[opening : match.end()], data[match.end() : end]))
        position = end
    outside.append(data[position:])
    return b"".join(outside), streams


def _inflate(raw: bytes) -> bytes | None:
    inflater = zlib.decompressobj()
    try:
        decoded = inflater.decompress(raw, _PDF_DECODED_LIMIT)
    except zlib.error:
        return None
    return None if inflater.unconsumed_tail else decoded


def _check_pdf(data: bytes, name: str) -> None:
    """Refuse a PDF that can act when opened, looking inside its object streams too.

    Page content and images are data, not objects, so only the text outside
    streams and the (decoded) object streams can hold an action. An object
    stream we cannot decode (another filter, a predictor, encryption) cannot
    be checked, so the file is refused rather than trusted.
    """
    active = _(
        "ไฟล์ “%(name)s” เป็น PDF ที่มีสคริปต์หรือคำสั่งที่ทำงานเองเมื่อเปิดไฟล์ ระบบไม่รับไฟล์แบบนี้ กรุณาพิมพ์ (Print) เป็น PDF ใหม่แล้วแนบอีกครั้ง"
    ) % {"name": name}
    unreadable = _(
        "ไฟล์ “%(name)s” เป็น PDF ที่ระบบตรวจสอบเนื้อหาไม่ได้ (เช่น ตั้งรหัสผ่านไว้) กรุณาพิมพ์ (Print) เป็น PDF ใหม่แล้วแนบอีกครั้ง"
    ) % {"name": name}
    outside, streams = _pdf_parts(data)
    if b"Encrypt" in pdf_names(outside):
        _refuse(unreadable)
    objects = _PdfObjects()
    objects.add_text(outside)
    texts = [outside]
    for dictionary, raw in streams:
        names = pdf_names(dictionary)
        if b"ObjStm" not in names:
            continue
        if names & _PDF_UNREAD_FILTERS:
            _refuse(unreadable)
        decoded = _inflate(raw) if names & _PDF_FLATE else raw
        if decoded is None:
            _refuse(unreadable)
        objects.add_object_stream(dictionary, decoded)
        texts.append(decoded)
    if any(active_pdf_names(text, objects) for text in texts):
        _refuse(active)


def _reencode_image(
    data: bytes,
    name: str,
    *,
    expected_format: str,
    max_side: int = PHOTO_MAX_SIDE,
    thumbnail_side: int = THUMBNAIL_SIDE,
) -> tuple[bytes, bytes]:
    """Decode the image and encode it again as JPEG: the photo (long side ≤ ``max_side``) and its thumbnail."""
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
                # Pillow writes a JPEG comment it finds in info (a JPEG's COM, a
                # PNG's "comment" text) unless told otherwise: keep only the pixels.
                image.info = {}
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        _refuse(too_large)
    except _DECODE_ERRORS:
        _refuse(broken)

    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    photo = _jpeg(image, JPEG_QUALITY)
    small = image.copy()
    small.thumbnail((thumbnail_side, thumbnail_side), Image.Resampling.LANCZOS)
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
    # No exif=, icc_profile= or xmp=, and an empty comment: nothing but the pixels is written.
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality, optimize=True, comment=b"")
    return buffer.getvalue()


def _delete_quietly(field_file) -> None:
    try:
        field_file.storage.delete(field_file.name)
    except Exception:  # noqa: S110 - the original error is the one to report
        pass
