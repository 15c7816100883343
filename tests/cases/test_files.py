"""Case files: checked by content, re-encoded photos, server-made names, scoped views."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import struct
import zipfile
import zlib
from urllib.parse import quote

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from cases.files import store_attachment
from cases.models import Attachment, Category, Complaint

MINIMAL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >> endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \n"
    b"trailer << /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF\n"
)
THAI_PDF_NAME = "หนังสือร้องเรียน นายสมชาย.pdf"


# --- Fixtures and file makers ----------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    return root


def stored_files(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def case(alice):
    return Complaint.objects.create(
        tracking_code="TESTFILES0000000000000001",
        district_id="7001",
        number_district_id="7001",
        province_id="70",
        fiscal_year=2570,
        running_number=1,
        channel="walk_in",
        received_on=dt.date(2026, 11, 2),
        recorded_by=alice,
        main_category=Category.objects.create(name_th="ที่ดิน"),
        subject="บุกรุกที่ดินสาธารณะ",
        description="มีผู้บุกรุกที่สาธารณะประโยชน์ริมคลอง",
        incident_subdistrict_id="700101",
    )


def _exif(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SecretCam"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (13.0, 32.0, 10.5),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (99.0, 49.0, 1.0),
    }
    return exif


def image_bytes(fmt="JPEG", size=(800, 600), mode="RGB", orientation=None) -> bytes:
    image = Image.new(mode, size, (200, 30, 30, 128) if mode == "RGBA" else (200, 30, 30))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, exif=_exif(orientation))
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def office_bytes(kind="docx", macro=False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        package.writestr("_rels/.rels", "<Relationships/>")
        if kind == "docx":
            package.writestr("word/document.xml", "<w:document/>")
            if macro:
                package.writestr("word/vbaProject.bin", b"\x00" * 16)
        else:
            package.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` × ``height`` pixels in a few dozen bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")
    )


def pdf_bytes(*objects: bytes, catalog_extra: bytes = b"") -> bytes:
    """A PDF whose catalog (object 1) carries ``catalog_extra``; ``objects`` are numbered from 4, with a true xref."""
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        *objects,
    ]
    out, offsets = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref)
    return bytes(out)


def stream(data: bytes, dictionary: bytes = b"", *, flate: bool = True) -> bytes:
    encoded = zlib.compress(data) if flate else data
    filters = b"/Filter /FlateDecode " if flate else b""
    return b"<< " + dictionary + b" " + filters + b"/Length %d >>\nstream\n" % len(encoded) + encoded + b"\nendstream"


def object_stream(*objects: bytes, **kwargs) -> bytes:
    """An object stream (PDF 1.5) holding ``objects`` as numbers 10, 11, …"""
    header, body = b"", b""
    for number, item in enumerate(objects, start=10):
        header += b"%d %d " % (number, len(body))
        body += item + b" "
    return stream(header + body, b"/Type /ObjStm /N %d /First %d" % (len(objects), len(header)), **kwargs)


def refusal(excinfo) -> str:
    return " ".join(excinfo.value.message_dict["file"])


# --- store_attachment: what is taken and how it is stored ------------------------------------


@pytest.mark.django_db
def test_jpeg_is_reencoded_without_exif_and_gps(media, case, alice):
    original = image_bytes("JPEG", orientation=None)
    assert b"SecretCam" in original
    attachment = store_attachment(case=case, uploaded=upload("IMG_0001.jpg", original, "image/jpeg"), actor=alice)
    attachment.refresh_from_db()

    assert attachment.kind == Attachment.Kind.PHOTO
    assert attachment.content_type == "image/jpeg"
    assert attachment.original_name == "IMG_0001.jpg"
    assert attachment.uploaded_by == alice
    stored_name = attachment.file.name.rsplit("/", 1)[-1]
    assert stored_name != "IMG_0001.jpg" and "IMG_0001" not in attachment.file.name
    assert attachment.file.name.startswith(f"cases/{case.pk}/") and stored_name.endswith(".jpg")
    assert len(stored_name) == len("0" * 32 + ".jpg")

    data = (media / attachment.file.name).read_bytes()
    assert data != original
    assert attachment.size == len(data)
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert b"SecretCam" not in data and b"Exif" not in data
    with Image.open(io.BytesIO(data)) as stored:
        assert stored.format == "JPEG" and stored.mode == "RGB"
        assert stored.size == (800, 600)
        exif = stored.getexif()
        assert not dict(exif) and not exif.get_ifd(ExifTags.IFD.GPSInfo)

    assert attachment.thumbnail
    with Image.open(media / attachment.thumbnail.name) as thumb:
        assert thumb.format == "JPEG" and max(thumb.size) <= 320
        assert thumb.size == (320, 240)
    assert attachment.history.count() == 1
    assert attachment.history.first().history_user == alice


@pytest.mark.django_db
def test_exif_orientation_is_applied(media, case, alice):
    # Orientation 6: the camera was turned; the pixels are 800×600 but the photo is 600×800.
    attachment = store_attachment(case=case, uploaded=upload("turned.jpg", image_bytes(orientation=6)), actor=alice)
    with Image.open(media / attachment.file.name) as stored:
        assert stored.size == (600, 800)
        assert not dict(stored.getexif())


@pytest.mark.django_db
@pytest.mark.parametrize("fmt, mode", [("PNG", "RGB"), ("PNG", "RGBA"), ("WEBP", "RGB")])
def test_png_and_webp_become_metadata_free_jpeg(media, case, alice, fmt, mode):
    original = image_bytes(fmt, mode=mode)
    assert b"SecretCam" in original
    attachment = store_attachment(case=case, uploaded=upload(f"photo.{fmt.lower()}", original), actor=alice)
    data = (media / attachment.file.name).read_bytes()
    assert attachment.file.name.endswith(".jpg") and attachment.content_type == "image/jpeg"
    assert b"SecretCam" not in data
    with Image.open(io.BytesIO(data)) as stored:
        assert stored.format == "JPEG" and stored.mode == "RGB"
        assert not stored.getexif().get_ifd(ExifTags.IFD.GPSInfo)


@pytest.mark.django_db
def test_large_photo_is_capped_at_2560(media, case, alice):
    attachment = store_attachment(
        case=case, uploaded=upload("wide.png", image_bytes("PNG", size=(3000, 1000))), actor=alice
    )
    with Image.open(media / attachment.file.name) as stored:
        assert stored.size == (2560, 853)
    with Image.open(media / attachment.thumbnail.name) as thumb:
        assert thumb.size[0] == 320


@pytest.mark.django_db
def test_pdf_is_stored_byte_for_byte(media, case, alice):
    attachment = store_attachment(
        case=case,
        uploaded=upload(THAI_PDF_NAME, MINIMAL_PDF, "text/html"),  # the browser's type does not matter
        actor=alice,
        description="สำเนาหนังสือ",
    )
    assert attachment.kind == Attachment.Kind.DOCUMENT
    assert attachment.content_type == "application/pdf"
    assert attachment.original_name == THAI_PDF_NAME
    assert attachment.description == "สำเนาหนังสือ"
    assert attachment.file.name.endswith(".pdf") and "หนังสือ" not in attachment.file.name
    assert not attachment.thumbnail
    assert (media / attachment.file.name).read_bytes() == MINIMAL_PDF
    assert attachment.size == len(MINIMAL_PDF)
    assert attachment.sha256 == hashlib.sha256(MINIMAL_PDF).hexdigest()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kind, content_type",
    [
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_office_documents(media, case, alice, kind, content_type):
    attachment = store_attachment(case=case, uploaded=upload(f"รายงาน.{kind}", office_bytes(kind)), actor=alice)
    assert attachment.kind == Attachment.Kind.DOCUMENT
    assert attachment.content_type == content_type
    assert attachment.file.name.endswith(f".{kind}")


@pytest.mark.django_db
def test_original_name_loses_its_path_and_is_capped(media, case, alice):
    long_name = "C:\\Users\\somchai\\Desktop\\" + "ก" * 300 + ".pdf"
    uploaded = upload("x.pdf", MINIMAL_PDF)
    uploaded.name = long_name  # past Django's own clean-up, as a storage-less caller could
    attachment = store_attachment(case=case, uploaded=uploaded, actor=alice)
    assert len(attachment.original_name) <= 255
    assert "\\" not in attachment.original_name and "/" not in attachment.original_name
    assert attachment.original_name.startswith("ก") and attachment.original_name.endswith(".pdf")


# --- store_attachment: what is refused ---------------------------------------------------------

ACCEPTED_KINDS = "JPEG, PNG, WebP, PDF, DOCX, XLSX"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, content",
    [
        (
            "photo.jpg",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
            + b"\x00" * 200
            + b"This program cannot be run in DOS mode",
        ),
        ("report.pdf", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"),
        ("map.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("data.zip", b"PK\x03\x04" + b"\x00" * 100),
        ("notes.txt", "บันทึกข้อความ".encode()),
        ("macro.docx", office_bytes("docx", macro=True)),
    ],
)
def test_files_of_other_kinds_are_refused(media, case, alice, name, content):
    with pytest.raises(ValidationError) as excinfo:
        store_attachment(case=case, uploaded=upload(name, content, "image/jpeg"), actor=alice)
    message = refusal(excinfo)
    assert f"“{name}”" in message
    assert ("ไม่ใช่ภาพถ่ายหรือเอกสารที่ระบบรับได้" in message and ACCEPTED_KINDS in message) or "แมโคร" in message
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


JS_ACTION = b"<< /S /JavaScript /JS (app.alert(1)) >>"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [
        pytest.param(pdf_bytes(JS_ACTION, catalog_extra=b"/OpenAction 4 0 R"), id="OpenAction"),
        pytest.param(
            pdf_bytes(catalog_extra=b"/OpenAction << /S /URI /URI (http://example.com/x) >>"), id="OpenAction URI"
        ),
        pytest.param(
            pdf_bytes(b"<< /S /SubmitForm /F (http://example.com/) >>", catalog_extra=b"/OpenAction 4 0 R"),
            id="OpenAction by reference",
        ),
        pytest.param(pdf_bytes(catalog_extra=b"/Open#41ction<</S/Launch#46orm>>"), id="OpenAction escaped"),
        pytest.param(pdf_bytes(catalog_extra=b"/Names << /JavaScript << /Names [(a) 4 0 R] >> >>"), id="JavaScript"),
        pytest.param(pdf_bytes(b"<< /S /Launch /F (cmd.exe) >>"), id="Launch"),
        pytest.param(pdf_bytes(catalog_extra=b"/AA << /WC 4 0 R >>"), id="AA"),
        pytest.param(pdf_bytes(stream(b"MZ...", b"/Type /EmbeddedFile")), id="EmbeddedFile"),
        pytest.param(pdf_bytes(catalog_extra=b"/Names << /EmbeddedFiles 4 0 R >>"), id="EmbeddedFiles"),
        pytest.param(pdf_bytes(b"<< /Type /RichMedia >>"), id="RichMedia"),
        pytest.param(pdf_bytes(catalog_extra=b"/AcroForm << /XFA 4 0 R >>"), id="XFA"),
        pytest.param(pdf_bytes(b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>"), id="hex-escaped names"),
        pytest.param(pdf_bytes(b"<</S/JavaScript/JS(app.alert(1))>>"), id="no spaces"),
        pytest.param(
            pdf_bytes(object_stream(JS_ACTION), catalog_extra=b"/OpenAction 10 0 R"), id="OpenAction outside, JS inside"
        ),
        pytest.param(
            pdf_bytes(object_stream(b"<< /Type /Catalog /OpenAction 11 0 R >>", JS_ACTION)),
            id="inside an object stream",
        ),
        pytest.param(pdf_bytes(object_stream(b"<< /S /J#61vaScript /JS (x) >>")), id="escaped inside an object stream"),
    ],
)
def test_a_pdf_that_acts_when_opened_is_refused(media, case, alice, content):
    with pytest.raises(ValidationError) as excinfo:
        store_attachment(case=case, uploaded=upload("หนังสือ.pdf", content), actor=alice)
    message = refusal(excinfo)
    assert "“หนังสือ.pdf”" in message and "สคริปต์หรือคำสั่งที่ทำงานเอง" in message
    assert not Attachment.objects.exists() and stored_files(media) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [
        pytest.param(
            pdf_bytes(
                object_stream(JS_ACTION, flate=False).replace(b"/Type /ObjStm", b"/Type /ObjStm /Filter /LZWDecode")
            ),
            id="LZW",
        ),
        pytest.param(
            pdf_bytes(
                object_stream(JS_ACTION).replace(b"/Type /ObjStm", b"/Type /ObjStm /DecodeParms << /Predictor 12 >>")
            ),
            id="predictor",
        ),
        pytest.param(
            pdf_bytes(
                stream(b"not zlib", b"/Type /ObjStm /N 1 /First 4", flate=False).replace(
                    b"<< ", b"<< /Filter /FlateDecode ", 1
                )
            ),
            id="broken zlib",
        ),
        pytest.param(
            MINIMAL_PDF.replace(b"/Root 1 0 R", b"/Root 1 0 R /Encrypt << /Filter /Standard >>"), id="encrypted"
        ),
    ],
)
def test_a_pdf_whose_objects_cannot_be_read_is_refused(media, case, alice, content):
    with pytest.raises(ValidationError) as excinfo:
        store_attachment(case=case, uploaded=upload("scan.pdf", content), actor=alice)
    assert "ตรวจสอบเนื้อหาไม่ได้" in refusal(excinfo)
    assert not Attachment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [
        pytest.param(pdf_bytes(catalog_extra=b"/OpenAction [3 0 R /FitH null]"), id="a destination (fpdf2)"),
        pytest.param(
            pdf_bytes(b"<< /S /GoTo /D [3 0 R /Fit] >>", catalog_extra=b"/OpenAction 4 0 R"), id="a GoTo by reference"
        ),
        pytest.param(
            pdf_bytes(object_stream(b"<< /S /GoTo /D [3 0 R /Fit] >>"), catalog_extra=b"/OpenAction 10 0 R"),
            id="a GoTo in an object stream (LaTeX hyperref)",
        ),
    ],
)
def test_a_pdf_that_only_opens_at_a_page_is_taken(media, case, alice, content):
    attachment = store_attachment(case=case, uploaded=upload("ok.pdf", content), actor=alice)
    assert (media / attachment.file.name).read_bytes() == content


@pytest.mark.django_db
def test_our_own_pdf_exports_are_taken(media, case, alice):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Case record")
    content = bytes(pdf.output())
    assert b"/OpenAction" in content
    assert store_attachment(case=case, uploaded=upload("record.pdf", content), actor=alice).size == len(content)


@pytest.mark.django_db
def test_an_ordinary_pdf_with_compressed_pages_and_objects_is_taken(media, case, alice):
    # A page's drawing and an image are data: names in them (even /JS as a font's name) are not actions.
    page_content = stream(b"BT /JS 12 Tf 72 712 Td (Hello) Tj ET /AA gs")
    image = stream(
        b"\xff\xd8/JavaScript/Launch\xff\xd9", b"/Type /XObject /Subtype /Image /Filter /DCTDecode", flate=False
    )
    fonts = object_stream(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    content = pdf_bytes(page_content, image, fonts)
    attachment = store_attachment(case=case, uploaded=upload("ok.pdf", content), actor=alice)
    assert (media / attachment.file.name).read_bytes() == content


@pytest.mark.django_db
def test_reencoded_jpeg_keeps_no_comment_xmp_or_exif(media, case, alice):
    image = Image.new("RGB", (800, 600), (200, 30, 30))
    buffer = io.BytesIO()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description>SecretXMP</rdf:Description></rdf:RDF></x:xmpmeta>'
    image.save(buffer, format="JPEG", comment=b"SecretComment", exif=_exif(orientation=6), xmp=xmp)
    original = buffer.getvalue()
    assert b"SecretComment" in original and b"SecretXMP" in original and b"SecretCam" in original

    attachment = store_attachment(case=case, uploaded=upload("IMG.jpg", original), actor=alice)
    for stored in (attachment.file, attachment.thumbnail):
        data = (media / stored.name).read_bytes()
        for secret in (b"SecretComment", b"SecretXMP", b"SecretCam", b"\xff\xfe", b"http://ns.adobe.com/xap", b"Exif"):
            assert secret not in data, (stored.name, secret)
        with Image.open(io.BytesIO(data)) as decoded:
            assert "comment" not in decoded.info and "xmp" not in decoded.info and not dict(decoded.getexif())
    with Image.open(media / attachment.file.name) as decoded:
        assert decoded.size == (600, 800)  # the orientation was applied before EXIF went


@pytest.mark.django_db
def test_a_png_comment_does_not_become_a_jpeg_comment(media, case, alice):
    from PIL import PngImagePlugin

    text = PngImagePlugin.PngInfo()
    text.add_text("comment", "SecretPNGComment")
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (1, 2, 3)).save(buffer, format="PNG", pnginfo=text)
    assert b"SecretPNGComment" in buffer.getvalue()
    attachment = store_attachment(case=case, uploaded=upload("a.png", buffer.getvalue()), actor=alice)
    assert b"SecretPNGComment" not in (media / attachment.file.name).read_bytes()
    assert b"SecretPNGComment" not in (media / attachment.thumbnail.name).read_bytes()


@pytest.mark.django_db
def test_photo_only_refuses_documents(media, case, alice):
    with pytest.raises(ValidationError) as excinfo:
        store_attachment(case=case, uploaded=upload("scan.pdf", MINIMAL_PDF), actor=alice, photo_only=True)
    message = refusal(excinfo)
    assert "ไม่ใช่ภาพถ่ายที่ระบบรับได้" in message and "JPEG, PNG, WebP" in message and "PDF" not in message
    assert not Attachment.objects.exists() and stored_files(media) == []
    # A photo is still fine.
    store_attachment(case=case, uploaded=upload("a.jpg", image_bytes()), actor=alice, photo_only=True)
    assert Attachment.objects.get().kind == Attachment.Kind.PHOTO


@pytest.mark.django_db
def test_oversized_file_is_refused_with_the_limit_in_mb(media, settings, case, alice):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    content = MINIMAL_PDF + b"%" * (1024 * 1024)
    with pytest.raises(ValidationError) as excinfo:
        store_attachment(case=case, uploaded=upload("big.pdf", content), actor=alice)
    message = refusal(excinfo)
    assert "ใหญ่เกินไป" in message and "1 MB" in message and "“big.pdf”" in message
    assert not Attachment.objects.exists() and stored_files(media) == []


@pytest.mark.django_db
def test_the_size_is_counted_not_taken_from_the_declared_size(media, settings, case, alice):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    uploaded = upload("big.pdf", MINIMAL_PDF + b"%" * (1024 * 1024))
    uploaded.size = 10  # what a lying client could declare
    with pytest.raises(ValidationError, match="ใหญ่เกินไป"):
        store_attachment(case=case, uploaded=uploaded, actor=alice)
    assert stored_files(media) == []


@pytest.mark.django_db
def test_empty_file_is_refused(media, case, alice):
    with pytest.raises(ValidationError) as excinfo:
        store_attachment(case=case, uploaded=upload("empty.jpg", b""), actor=alice)
    assert "ว่างเปล่า" in refusal(excinfo)
    assert not Attachment.objects.exists() and stored_files(media) == []


@pytest.mark.django_db
@pytest.mark.parametrize("side", [7000, 20000])  # 49 MP: over our cap; 400 MP: over Pillow's own
def test_decompression_bomb_is_refused(media, case, alice, side):
    with pytest.raises(ValidationError) as excinfo:
        store_attachment(case=case, uploaded=upload("bomb.png", png_header(side, side)), actor=alice)
    assert "พิกเซลมากเกินไป" in refusal(excinfo)
    assert not Attachment.objects.exists() and stored_files(media) == []


@pytest.mark.django_db
def test_broken_image_is_refused(media, case, alice):
    broken = image_bytes("JPEG")[:300]
    with pytest.raises(ValidationError) as excinfo:
        store_attachment(case=case, uploaded=upload("broken.jpg", broken), actor=alice)
    assert "เสียหรือเปิดไม่ได้" in refusal(excinfo)
    assert not Attachment.objects.exists() and stored_files(media) == []


@pytest.mark.django_db
def test_files_written_before_a_failure_are_deleted(media, case, alice, monkeypatch):
    def fail(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Attachment, "save", fail)
    with pytest.raises(RuntimeError):
        store_attachment(case=case, uploaded=upload("a.jpg", image_bytes()), actor=alice)
    assert stored_files(media) == []


# --- Views -------------------------------------------------------------------------------------


@pytest.fixture
def pdf_attachment(media, case, alice):
    return store_attachment(case=case, uploaded=upload(THAI_PDF_NAME, MINIMAL_PDF), actor=alice)


@pytest.fixture
def photo_attachment(media, case, alice):
    return store_attachment(case=case, uploaded=upload("ภาพถ่าย.png", image_bytes("PNG")), actor=alice)


def _urls(attachment):
    args = [attachment.complaint_id, attachment.pk]
    return reverse("cases:attachment", args=args), reverse("cases:attachment_thumbnail", args=args)


def _body(response) -> bytes:
    # Consuming the stream closes the response the way the test client wants;
    # calling close() again would fire request_finished, which closes the test
    # transaction's database connection on PostgreSQL.
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_alice_downloads_a_document_under_its_thai_name(signed_in, alice, pdf_attachment):
    client = signed_in(alice)
    download, thumbnail = _urls(pdf_attachment)
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote(THAI_PDF_NAME)}" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    assert _body(response) == MINIMAL_PDF
    # A document has no thumbnail.
    assert client.get(thumbnail).status_code == 404


@pytest.mark.django_db
def test_photo_is_shown_inline_with_a_thumbnail(signed_in, alice, photo_attachment):
    client = signed_in(alice)
    download, thumbnail = _urls(photo_attachment)
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline;")
    # Stored as a JPEG, so named as one.
    assert response["Content-Disposition"] == f"inline; filename*=utf-8''{quote('ภาพถ่าย.jpg')}"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert _body(response) == photo_attachment.file.storage.open(photo_attachment.file.name).read()
    response = client.get(thumbnail)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    with Image.open(io.BytesIO(_body(response))) as thumb:
        assert max(thumb.size) <= 320


@pytest.mark.django_db
@pytest.mark.parametrize(
    "uploaded_name, downloaded_as",
    [
        ("x.html", 'attachment; filename="x.pdf"'),
        ("report", 'attachment; filename="report.pdf"'),
        (".pdf.exe", 'attachment; filename="pdf.pdf"'),
        (".exe", 'attachment; filename="file.pdf"'),
        ('a"b;c.svg', 'attachment; filename="a\\"b;c.pdf"'),
        ("คำร้อง.html", f"attachment; filename*=utf-8''{quote('คำร้อง.pdf')}"),
    ],
)
def test_a_download_is_named_by_what_the_file_is(signed_in, alice, case, media, uploaded_name, downloaded_as):
    attachment = store_attachment(case=case, uploaded=upload("x.pdf", MINIMAL_PDF), actor=alice)
    Attachment.objects.filter(pk=attachment.pk).update(original_name=uploaded_name)
    response = signed_in(alice).get(_urls(attachment)[0])
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == downloaded_as
    assert response["X-Content-Type-Options"] == "nosniff"
    _body(response)


@pytest.mark.django_db
def test_bob_of_another_district_gets_404_everywhere(signed_in, bob, case, pdf_attachment, photo_attachment, media):
    client = signed_in(bob)
    for attachment in (pdf_attachment, photo_attachment):
        download, thumbnail = _urls(attachment)
        assert client.get(download).status_code == 404
        assert client.get(thumbnail).status_code == 404
    response = client.post(reverse("cases:upload", args=[case.pk]), {"file": upload("x.pdf", MINIMAL_PDF)})
    assert response.status_code == 404
    assert Attachment.objects.count() == 2


@pytest.mark.django_db
def test_attachment_of_another_case_is_404(signed_in, alice, case, pdf_attachment):
    other = Complaint.objects.create(
        tracking_code="TESTFILES0000000000000002", district_id="7001", number_district_id="7001", province_id="70",
        fiscal_year=2570,
        running_number=2, channel="walk_in", received_on=dt.date(2026, 11, 3), recorded_by=alice,
        main_category=case.main_category, subject="เรื่องอื่น", description="-", incident_subdistrict_id="700101",
    )  # fmt: skip
    client = signed_in(alice)
    assert client.get(reverse("cases:attachment", args=[other.pk, pdf_attachment.pk])).status_code == 404


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client, case, pdf_attachment, photo_attachment):
    download, _ = _urls(pdf_attachment)
    _, thumbnail = _urls(photo_attachment)
    login = reverse("login")
    for response in (
        client.get(download),
        client.get(thumbnail),
        client.post(reverse("cases:upload", args=[case.pk]), {"file": upload("x.pdf", MINIMAL_PDF)}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(login)
    assert Attachment.objects.count() == 2


@pytest.mark.django_db
def test_alice_uploads_through_the_page(signed_in, alice, case, media):
    client = signed_in(alice)
    url = reverse("cases:upload", args=[case.pk])
    response = client.post(url, {"file": upload("ภาพหน้างาน.jpg", image_bytes(), "image/jpeg"), "description": "หน้างาน"})
    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url() + "#attachments"
    attachment = Attachment.objects.get()
    assert attachment.complaint == case and attachment.uploaded_by == alice
    assert attachment.original_name == "ภาพหน้างาน.jpg" and attachment.description == "หน้างาน"
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["แนบไฟล์ “ภาพหน้างาน.jpg” แล้ว"]
    assert len(stored_files(media)) == 2  # the photo and its thumbnail


@pytest.mark.django_db
def test_a_bad_file_shows_the_thai_error_after_redirect(signed_in, alice, case, media):
    client = signed_in(alice)
    url = reverse("cases:upload", args=[case.pk])
    response = client.post(url, {"file": upload("report.pdf", b"<html><script>alert(1)</script></html>")}, follow=True)
    assert response.redirect_chain == [(case.get_absolute_url() + "#attachments", 302)]
    assert response.status_code == 200
    page = response.content.decode()
    assert "ไม่ใช่ภาพถ่ายหรือเอกสารที่ระบบรับได้" in page and "report.pdf" in page
    assert not Attachment.objects.exists() and stored_files(media) == []


@pytest.mark.django_db
def test_upload_without_a_file_says_which_field(signed_in, alice, case, media):
    response = signed_in(alice).post(reverse("cases:upload", args=[case.pk]), {"description": "ไม่มีไฟล์"})
    assert response.status_code == 302
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(messages) == 1 and messages[0].startswith("ไฟล์: ")
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_upload_is_post_only(signed_in, alice, case):
    assert signed_in(alice).get(reverse("cases:upload", args=[case.pk])).status_code == 405


@pytest.mark.django_db
def test_who_may_see_but_not_attach_gets_403(signed_in, paula, case, media):
    # The province sees the district's cases but attaches only once a case is escalated.
    response = signed_in(paula).post(reverse("cases:upload", args=[case.pk]), {"file": upload("x.pdf", MINIMAL_PDF)})
    assert response.status_code == 403
    assert not Attachment.objects.exists() and stored_files(media) == []


@pytest.mark.django_db
def test_no_files_on_a_closed_case(signed_in, alice, case, media):
    Complaint.objects.filter(pk=case.pk).update(status="closed")
    response = signed_in(alice).post(reverse("cases:upload", args=[case.pk]), {"file": upload("x.pdf", MINIMAL_PDF)})
    assert response.status_code == 403
    assert not Attachment.objects.exists()
