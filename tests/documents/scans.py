"""Scans for the documents tests: Thai text rendered as a scanner would give it (an image at
a resolution, a PDF or TIFF of pages), and documents made straight in the database.

Thai must be shaped to be read (marks above and below their consonant, ำ drawn whole):
Pillow does that with libraqm; without it the text is laid out by Chromium and rasterised
by pdftoppm, as a browser would print it.
"""

from __future__ import annotations

import hashlib
import html
import io
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont, features

from documents import ocr
from documents.models import Document, Page

FONTS = Path("/usr/share/fonts/truetype/tlwg")
LAKSAMAN = FONTS / "Laksaman.ttf"  # the TLWG counterpart of TH Sarabun, the letters' font

# A short letter: Thai with Thai and Arabic digits, and some Latin (the OCR's languages).
LETTER = (
    "เรื่อง ขอให้ตรวจสอบการบุกรุกที่สาธารณะ\n"
    "เรียน นายอำเภอเมืองราชบุรี\n"
    "ข้าพเจ้า นางสมใจ ทองดี โทร 081-234-5678\n"
    "น้ำท่วมบ้านเรือนราษฎร 30 หลังคาเรือน\n"
    "ติดต่อทาง LINE ID: somjai2512\n"
)


def thai_page(text: str = LETTER, *, dpi: int = 150, pt: int = 16, width_in: float = 6.0, height_in: float = 3.2):
    """``text`` rendered black on white at ``dpi``, a line each, as a greyscale page image."""
    if not features.check("raqm"):
        return _page_by_chromium(text, dpi=dpi, pt=pt, width_in=width_in, height_in=height_in)
    image = Image.new("L", (int(width_in * dpi), int(height_in * dpi)), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(LAKSAMAN), round(pt * dpi / 72), layout_engine=ImageFont.Layout.RAQM)
    y = margin = dpi // 3
    for line in text.splitlines():
        draw.text((margin, y), line, font=font, fill=0, language="th")
        y += round(pt * dpi / 72 * 1.5)
    image.info["dpi"] = (dpi, dpi)
    return image


def _page_by_chromium(text: str, *, dpi: int, pt: int, width_in: float, height_in: float):
    lines = "".join(f"<div>{html.escape(line)}</div>" for line in text.splitlines())
    page = (
        f"<html><head><style>@page {{ size: {width_in}in {height_in}in; margin: 0 }} body {{ margin: 0.33in; "
        f"font: {pt}pt/1.5 Laksaman }}</style></head><body lang=th>{lines}</body></html>"
    )
    with tempfile.TemporaryDirectory() as work:
        source, pdf = Path(work) / "page.html", Path(work) / "page.pdf"
        source.write_text(page, encoding="utf-8")
        subprocess.run(  # noqa: S603
            ["/usr/bin/chromium", "--headless", "--no-sandbox", "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
             source.as_uri()], check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-gray", "-singlefile", str(pdf), str(Path(work) / "page")], check=True
        )  # noqa: S603, S607
        with Image.open(Path(work) / "page.pgm") as image:
            image.load()
            page_image = image.copy()
    page_image.info["dpi"] = (dpi, dpi)
    return page_image


def pdf_of(*pages: Image.Image, dpi: int = 150) -> bytes:
    """A PDF of page images, one image a page (as a scanner's PDF)."""
    buffer = io.BytesIO()
    first, *rest = [page.convert("RGB") if page.mode not in ("L", "RGB") else page for page in pages]
    first.save(buffer, format="PDF", save_all=True, append_images=rest, resolution=dpi)
    return buffer.getvalue()


def tiff_of(*pages: Image.Image, dpi: int = 150) -> bytes:
    """A (multi-page) TIFF of page images, compressed as scanners do (Group 4 for black and white)."""
    buffer = io.BytesIO()
    first, *rest = pages
    compression = "group4" if first.mode == "1" else "tiff_lzw"
    first.save(buffer, format="TIFF", save_all=True, append_images=rest, compression=compression, dpi=(dpi, dpi))
    return buffer.getvalue()


def image_bytes(image: Image.Image, format: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=format, dpi=image.info.get("dpi", (150, 150)))
    return buffer.getvalue()


def tiny_scan(seed: int = 0) -> bytes:
    """A small distinct PNG page (a blank scan with a mark), for batches that are not read for real."""
    image = Image.new("L", (120, 160), 255)
    ImageDraw.Draw(image).rectangle((10 + seed % 90, 10, 20 + seed % 90, 20 + seed // 90), fill=0)
    return image_bytes(image)


def upload(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def stored_document(*, complaint=None, district: str = "7001", text: str = "ข้อความทดสอบ", name: str = "scan.pdf"):
    """A document as if read already (status done, one page, a searchable PDF), made straight
    in the database: for pages and access tests that need no OCR."""
    data = pdf_of(Image.new("L", (200, 280), 255))
    document = Document(
        complaint=complaint, district_id=complaint.district_id if complaint else district, original_name=name,
        content_type="application/pdf", size=len(data), sha256=hashlib.sha256(data).hexdigest(), page_count=1,
        status=Document.Status.DONE, attempts=1,
    )  # fmt: skip
    document.original.save("scan.pdf", ContentFile(data), save=False)
    document.searchable_pdf.save("scan-ocr.pdf", ContentFile(data), save=False)
    document.save()
    Page.objects.create(document=document, number=1, text=text, confidence=90.0, read_at=document.uploaded_at)
    return document


@pytest.fixture
def quick_reading(monkeypatch):
    """OCR replaced by a stand-in that "reads" each page as ``อ่านแล้ว <its size>`` at once:
    for the tests of what happens around a reading (statuses, batches, pages). The real
    reading is tested in test_ocr.py and test_reading.py."""
    blank = pdf_of(Image.new("L", (40, 40), 255))
    calls = []

    def read_page(image, *, dpi=None, pdf_page=None):
        calls.append(image.size)
        reading = ocr.PageReading(text=f"อ่านแล้ว {image.width}x{image.height}", confidence=90.0)
        return ocr.SearchablePage(reading=reading, pdf=pdf_page or blank)

    monkeypatch.setattr(ocr, "read_page", read_page)
    return calls
