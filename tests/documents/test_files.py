"""A scan is judged by its bytes, whatever its name says, and kept as it came: PDFs, TIFFs (one
page or many), JPEGs and PNGs are taken with their page count; a web page renamed .pdf, a
program renamed .jpg, a PDF that acts when opened, a broken or truncated file, an empty one
and one too large are refused with a Thai reason that names the file."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from documents.files import checked_scan, scan_of
from tests.documents.scans import image_bytes, pdf_of, tiff_of, upload

PAGE = Image.new("L", (160, 220), 255)


def refusal(data: bytes, name: str) -> str:
    with pytest.raises(ValidationError) as raised:
        scan_of(name, data)
    return raised.value.message_dict["file"][0]


@pytest.mark.parametrize(
    ("data", "name", "content_type", "pages"),
    [
        (pdf_of(PAGE, PAGE, PAGE), "หนังสือ.pdf", "application/pdf", 3),
        (tiff_of(PAGE.convert("1"), PAGE.convert("1")), "สแกน.tif", "image/tiff", 2),
        (image_bytes(PAGE, "JPEG"), "photo.jpeg", "image/jpeg", 1),
        (image_bytes(PAGE, "PNG"), "หน้า1.png", "image/png", 1),
        # The name says nothing: a PDF named .jpg is a PDF.
        (pdf_of(PAGE), "misnamed.jpg", "application/pdf", 1),
    ],
)
def test_scans_are_taken_by_what_they_are(data, name, content_type, pages):
    scan = checked_scan(upload(data, name))
    assert (scan.content_type, scan.pages, scan.name) == (content_type, pages, name)
    # Kept byte for byte, and known by the hash of those bytes.
    assert scan.data == data
    assert scan.sha256 == hashlib.sha256(data).hexdigest()


def test_what_is_no_scan_is_refused_with_its_name():
    assert "“page.pdf” ไม่ใช่ไฟล์สแกน" in refusal(b"<html><body>hello</body></html>", "page.pdf")
    assert "ไม่ใช่ไฟล์สแกน" in refusal(b"MZ\x90\x00" + b"\x00" * 200, "photo.jpg")
    # A photo of a kind scanners do not write (WebP) is not a scan either.
    webp = image_bytes(PAGE, "WEBP")
    assert "ไม่ใช่ไฟล์สแกน" in refusal(webp, "scan.webp")


def test_broken_files_are_refused_at_the_door():
    jpeg = image_bytes(Image.effect_noise((400, 400), 60).convert("L"), "JPEG")
    assert "“cut.jpg” เป็นภาพที่เสีย" in refusal(jpeg[: len(jpeg) // 2], "cut.jpg")
    assert "“bad.pdf” เป็น PDF ที่เสีย" in refusal(b"%PDF-1.7\n" + b"\x00garbage" * 50, "bad.pdf")
    tiff = tiff_of(PAGE, PAGE)
    assert "เป็นภาพที่เสีย" in refusal(tiff[:200], "cut.tif")


def test_a_pdf_that_acts_when_opened_is_refused_as_an_attachment_would_be():
    pdf = pdf_of(PAGE).replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>")
    assert "สคริปต์" in refusal(pdf, "active.pdf")


def test_empty_and_oversized_files_are_refused(settings):
    assert "“blank.pdf” ว่างเปล่า" in refusal(b"", "blank.pdf")
    settings.SCAN_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match="ใหญ่เกินไป"):
        checked_scan(upload(image_bytes(Image.effect_noise((200, 200), 60).convert("L"), "PNG"), "big.png"))
