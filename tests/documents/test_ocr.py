"""Thai OCR for real (Tesseract's Thai and English models): a letter rendered in a Thai font is
read with its Thai words, digits and Latin; a page scanned askew is straightened, one scanned
upside down turned; the searchable PDF's text layer extracts (pdftotext) as the OCR read it.
And the Thai normalisation of what is read: ํา is ำ, marks in order."""

import subprocess

import pytest
from PIL import Image

from documents import ocr
from tests.documents.scans import pdf_of, thai_page, tiff_of


def extract(pdf: bytes, page: int) -> str:
    """The text of ``page`` of a PDF as a viewer's search sees it (poppler's pdftotext)."""
    done = subprocess.run(  # noqa: S603
        ["pdftotext", "-f", str(page), "-l", str(page), "-enc", "UTF-8", "-", "-"],  # noqa: S607
        input=pdf, capture_output=True, check=True,
    )  # fmt: skip
    return ocr.normalize_text(done.stdout.decode())


def test_thai_text_is_normalised_as_it_is_kept():
    # ํ + า (as Tesseract writes ำ) is ำ; a tone mark typed before the vowel comes after it.
    assert ocr.normalize_text("ตํ\u0e32บล น\u0e49\u0e4d\u0e32 ก\u0e48\u0e35") == "ตำบล น้ำ กี่"
    assert ocr.normalize_text("บรรทัดหนึ่ง  สองคำ\n\n\n\nบรรทัดสอง\n") == "บรรทัดหนึ่ง สองคำ\n\nบรรทัดสอง"
    # Thai digits stay as the letter wrote them (the search index reads both kinds alike).
    assert ocr.normalize_text("๒๕๖๘ 2568") == "๒๕๖๘ 2568"


def test_a_page_scanned_askew_is_straightened_and_read():
    # given a short Thai letter, scanned at 200 dpi three degrees askew
    page = thai_page(dpi=200).rotate(3, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    page.info["dpi"] = (200, 200)
    # when it is read
    reading = ocr.read_image(page)
    # then the skew was found and undone, and the Thai, the digits and the Latin were read
    assert reading.rotation == 0
    assert reading.skew == pytest.approx(-3, abs=0.6)
    for words in ("ขอให้ตรวจสอบ", "นายอำเภอเมืองราชบุรี", "081-234-5678", "หลังคาเรือน", "somjai2512"):
        assert words in reading.text, (words, reading.text)
    assert "\u0e4d\u0e32" not in reading.text  # ํา was written ำ
    assert reading.confidence > 70


def test_read_document_reads_each_page_and_joins_the_searchable_pdf(tmp_path, quick_reading):
    """The whole document in one call (for scripts and the benchmark; the workers read a page a task)."""
    (tmp_path / "scan.pdf").write_bytes(pdf_of(thai_page(), thai_page(), thai_page()))
    readings, searchable = ocr.read_document(tmp_path / "scan.pdf")
    assert [reading.text.split()[0] for reading in readings] == ["อ่านแล้ว"] * 3
    assert searchable.startswith(b"%PDF-") and len(quick_reading) == 3
    assert subprocess.run(["pdfinfo", "-"], input=searchable, capture_output=True, check=True).stdout.count(b"Pages:")  # noqa: S603, S607


def test_each_tesseract_runs_on_one_thread(monkeypatch):
    """Two worker processes reading a page each beat one Tesseract on both cores."""
    seen = []

    def run(command, **kwargs):
        seen.append(kwargs["env"].get("OMP_THREAD_LIMIT"))
        raise subprocess.TimeoutExpired(command, 1)

    monkeypatch.setattr(ocr.subprocess, "run", run)
    with pytest.raises(ocr.OcrError, match="นานเกินกำหนด"):
        ocr.read_page(Image.new("L", (100, 100), 255))
    assert seen and set(seen) == {"1"}


def test_a_black_and_white_tiff_page_turned_a_quarter_is_read(tmp_path):
    """The scanners' own format: a multi-page Group 4 TIFF, here its second page on its side."""
    page = thai_page(dpi=200)
    (tmp_path / "scan.tif").write_bytes(tiff_of(page.convert("1"), page.rotate(90, expand=True).convert("1"), dpi=200))
    assert ocr.page_count(tmp_path / "scan.tif", "image/tiff") == 2
    image, dpi, pdf_page = ocr.page_image(tmp_path / "scan.tif", "image/tiff", 2)
    read = ocr.read_page(image, dpi=dpi, pdf_page=pdf_page)
    assert (image.mode, dpi, read.reading.rotation) == ("1", 200, 90)
    assert "นายอำเภอเมืองราชบุรี" in read.reading.text
    assert "นายอำเภอเมืองราชบุรี" in extract(read.pdf, 1)
