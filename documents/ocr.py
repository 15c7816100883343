"""Thai OCR of scanned pages, and the searchable PDF made of them.

A page is turned upright (Tesseract's orientation detection), straightened (its skew
found by the rows of ink, ``_skew``) and read by Tesseract's Thai model with its
English one (``LANGUAGES``), in one recognition pass that gives both the text and
the lines' boxes. Each Tesseract runs alone (``OMP_THREAD_LIMIT=1``): on two cores,
two worker processes reading a page each beat one Tesseract using both.

The searchable PDF shows each page as scanned (the original PDF page when nothing
had to be turned, else the straightened image) with the text as read laid over it,
invisible, one line at a time in a Thai font. Measured on a three-page Thai letter at
300 dpi (clean; noisy, blurred and 1.5 degrees askew; another font), each PDF's text
extracted again with ``pdftotext`` and compared with the OCR's own text: the character
error rate (spaces ignored) and the share of the OCR's words that a viewer's search
finds in the extracted text, per page:

    renderer                                     CER against the OCR     words found
    ocrmypdf 17.13, default renderer (fpdf2)     0.018  0.016  0.062     0.30  0.25  0.40
    ocrmypdf 17.13, --pdf-renderer sandwich      0.016  0.016  0.161     0.30  0.25  0.38
    one invisible line per OCR line (shipped)    0.000  0.000  0.000     1.00  1.00  1.00

(sandwich is Tesseract's own text-only PDF laid over the page.) Tesseract writes Thai as
one "word" per character cluster (its boxes split เรื่อง into เร ื ่ อ ง), each placed on
its own in a font whose marks have a width, so a viewer reads the letters apart and the
lines' pieces out of order; a line written whole in a Thai font whose marks have no
width (Loma) extracts as it was read.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pikepdf
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import TextMode
from PIL import Image, ImageOps
from pythainlp.util import normalize as thai_normalize

# Measured on a Thai complaint letter with digits, an e-mail address and a LINE ID
# (an A4 page in Laksaman 14 pt, rendered as tests/documents/scans.py renders its pages),
# character error rate, spaces ignored:
#                      tha      tha+eng
#   300 dpi, clean     0.063    0.021
#   300 dpi, noisy     0.067    0.016
#   200 dpi, noisy     0.131    0.078
#   300 dpi, Garuda    0.136    0.091
# Thai alone reads Latin as Thai letters (somjai.t@example.com as รอทท.1@๕ทาเวไล.๕๐ทา).
LANGUAGES = "tha+eng"
# Pages are read at this resolution; larger scans are brought down to it.
DPI = 300
# Longest side, in pixels, of a page image read or rendered (A4 at 300 dpi is 3508):
# keeps a hostile PDF's 200-inch page from becoming gigabytes of pixels.
MAX_SIDE = 4400
# Pillow refuses images past this (decompression bombs); an A3 scan at 400 dpi is 31 MP.
MAX_PIXELS = 60_000_000
# Orientation detection is believed above this confidence (ocrmypdf's default threshold).
ROTATE_CONFIDENCE = 14.0
# Skews smaller than this (degrees) are left: Tesseract reads them as they are. Larger than
# MAX_SKEW is not looked for: a page that far off went through the scanner crooked.
MIN_SKEW = 0.2
MAX_SKEW = 10.0
# The skew is measured on the page brought down to this many pixels on its longest side.
SKEW_SIDE = 1000
# One page's OCR may not take longer (seconds); a page that does is reported.
TIMEOUT = 240
# The font of the invisible text layer: its Thai marks have no width, so text
# extracted from the PDF reads as the OCR's text (fonts-thai-tlwg).
TEXT_LAYER_FONT = Path("/usr/share/fonts/truetype/tlwg/Loma.ttf")
JPEG_QUALITY = 85

_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


class OcrError(Exception):
    """A page could not be read; ``message`` says why, in the officer's words (Thai)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PageReading:
    """What OCR read on a page: the text (normalised for Thai), Tesseract's mean word
    confidence (0-100, None for a page without words), the turn applied (degrees,
    clockwise) and the skew corrected (degrees)."""

    text: str
    confidence: float | None
    rotation: int = 0
    skew: float = 0.0


@dataclass(frozen=True)
class SearchablePage:
    """A page read: its reading and the page of the searchable PDF (a one-page PDF)."""

    reading: PageReading
    pdf: bytes


# --- Text --------------------------------------------------------------------------------


_BLANK_LINES = re.compile(r"\n{3,}")


def normalize_text(text: str) -> str:
    """OCR text as it is kept: Thai marks in their standard order and spelling (ํา is ำ,
    a tone mark after the vowel below or above), one space between words, lines kept
    and at most one blank line between paragraphs. Thai digits stay as written (the
    search index turns every digit into an Arabic one, cases.search.normalize)."""
    # pythainlp's normalize also writes ํ + า as ำ, and removes doubled marks.
    lines = (thai_normalize(line.replace("\u0e4d\u0e32", "\u0e33")).strip() for line in text.splitlines())
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


# --- Reading an image --------------------------------------------------------------------


def read_image(image: Image.Image) -> PageReading:
    """Read one page image: turn it upright, straighten it, OCR it."""
    return read_page(image).reading


def read_page(image: Image.Image, *, dpi: int | None = None, pdf_page: bytes | None = None) -> SearchablePage:
    """Read one page image and make its page of the searchable PDF.

    ``pdf_page``, a one-page PDF of the page as the scan had it, is kept as the
    page's picture when the image needed neither turning nor straightening; otherwise
    the page is the straightened image.
    """
    image, dpi = _prepared(image, dpi)
    with tempfile.TemporaryDirectory(prefix="ocr-") as work:
        work = Path(work)
        # Orientation and skew are found on a grey image at half the resolution, in half the time.
        sketch, sketch_dpi = _sketch(image, dpi)
        rotation = _orientation(sketch, work, sketch_dpi)
        if rotation:
            # Tesseract says how far to turn clockwise; Pillow turns counter-clockwise.
            image = image.rotate(-rotation, expand=True)
            sketch = sketch.rotate(-rotation, expand=True)
        skew = _skew(sketch)
        if abs(skew) >= MIN_SKEW:
            image = image.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=_white(image))
        else:
            skew = 0.0
        text, lines, confidence = _recognise(image, work, dpi)
    reading = PageReading(text=normalize_text(text), confidence=confidence, rotation=rotation, skew=round(skew, 2))
    picture = pdf_page if (pdf_page is not None and not rotation and not skew) else None
    return SearchablePage(reading=reading, pdf=_searchable_page(image, dpi, lines, picture))


def _prepared(image: Image.Image, dpi: int | None) -> tuple[Image.Image, int]:
    """The image in a mode Tesseract and JPEG take, no larger than ``MAX_SIDE``, with its resolution."""
    dpi = dpi or _image_dpi(image) or DPI
    if image.mode not in ("1", "L", "RGB"):
        image = image.convert("RGBA").convert("RGB") if "A" in image.getbands() else image.convert("RGB")
    longest = max(image.size)
    if longest > MAX_SIDE:
        scale = MAX_SIDE / longest
        image = image.resize((round(image.width * scale), round(image.height * scale)), Image.Resampling.LANCZOS)
        dpi = max(1, round(dpi * scale))
    return image, dpi


def _sketch(image: Image.Image, dpi: int) -> tuple[Image.Image, int]:
    grey = image.convert("L")
    return (grey.reduce(2), dpi // 2) if dpi >= 300 else (grey, dpi)


def _image_dpi(image: Image.Image) -> int | None:
    value = image.info.get("dpi")
    try:
        dpi = round(float(value[0])) if value else 0
    except (TypeError, ValueError, IndexError):
        return None
    # Phones and some scanners write 72 (or 1) whatever the scan's real resolution.
    return dpi if 100 <= dpi <= 1200 else None


def _white(image: Image.Image):
    return {"1": 1, "L": 255}.get(image.mode, (255, 255, 255))


def _tesseract(image: Image.Image, work: Path, dpi: int, *args: str, name: str = "page") -> str:
    """Run Tesseract on ``image`` and return what it printed (its findings go to stderr)."""
    # Uncompressed TIFF, which carries the resolution: writing a noisy 300-dpi page as PNG
    # took longer than reading it, and from a PNM Tesseract guessed 70 dpi.
    path = work / f"{name}.tif"
    if not path.exists():
        image.save(path, format="TIFF", dpi=(dpi, dpi), compression="raw")
    output, *options = args
    command = ["tesseract", str(path), output, "--dpi", str(dpi), *options]
    try:
        done = subprocess.run(  # noqa: S603 - a fixed program, our own arguments
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=TIMEOUT, env=_ENV, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise OcrError(_("อ่านหน้านี้นานเกินกำหนด (%(seconds)d วินาที)") % {"seconds": TIMEOUT}) from error
    except OSError as error:
        raise OcrError(_("เรียกโปรแกรม Tesseract ไม่ได้ (%(error)s)") % {"error": error.strerror}) from error
    if done.returncode != 0:
        detail = done.stdout.decode("utf-8", "replace").strip().splitlines()
        raise OcrError(
            _("โปรแกรม Tesseract อ่านหน้านี้ไม่ได้ (%(error)s)") % {"error": detail[-1] if detail else done.returncode}
        )
    return done.stdout.decode("utf-8", "replace")


def _fields(output: str) -> dict[str, str]:
    pairs = (line.split(":", 1) for line in output.splitlines() if ":" in line)
    return {key.strip(): value.strip() for key, value in pairs}


def _orientation(image: Image.Image, work: Path, dpi: int) -> int:
    """How far to turn the page clockwise to stand it upright: 0, 90, 180 or 270."""
    try:
        found = _fields(_tesseract(image, work, dpi, "stdout", "--psm", "0", "-l", "osd", name="osd"))
    except OcrError:
        # "Too few characters": a blank or nearly blank page has no orientation to find.
        return 0
    try:
        rotate, confidence = int(found.get("Rotate", 0)), float(found.get("Orientation confidence", 0))
    except ValueError:
        return 0
    return rotate % 360 if confidence >= ROTATE_CONFIDENCE else 0


def _skew(image: Image.Image) -> float:
    """The page's skew in degrees (counter-clockwise positive), by the projection profile: the
    angle at which the rows of ink are sharpest (text lines level, blank space between them).

    Tesseract's own estimate (its layout analysis, ``--psm 2``) missed on short letters: 0
    for a page 5 degrees askew, -2.3 for 3 (tests/documents/test_ocr.py)."""
    small = image.convert("L")
    small.thumbnail((SKEW_SIDE, SKEW_SIDE))
    ink = small.point(lambda value: 255 if value < 160 else 0)
    if not ink.getbbox():
        return 0.0  # a blank page

    def sharpness(angle: float) -> float:
        rows = np.asarray(ink.rotate(angle, resample=Image.Resampling.NEAREST), dtype=np.float32).sum(axis=1)
        return float(np.square(np.diff(rows)).sum())

    best = max(np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.5), key=sharpness)
    best = max(np.arange(best - 0.5, best + 0.51, 0.05), key=sharpness)
    return round(float(best), 2)


@dataclass(frozen=True)
class _Line:
    left: int
    top: int
    width: int
    height: int
    text: str


def _recognise(image: Image.Image, work: Path, dpi: int) -> tuple[str, list[_Line], float | None]:
    """One recognition pass: the page's text, its lines with their boxes, the mean word confidence."""
    base = work / "read"
    _tesseract(image, work, dpi, str(base), "-l", LANGUAGES, "--psm", "3", "txt", "tsv", name="straight")
    text = (base.with_suffix(".txt")).read_text(encoding="utf-8", errors="replace")
    rows = list(csv.DictReader(io.StringIO(base.with_suffix(".tsv").read_text("utf-8", "replace")), delimiter="\t",
                               quoting=csv.QUOTE_NONE))  # fmt: skip
    boxes = [row for row in rows if row.get("level") == "4"]
    scores = [float(row["conf"]) for row in rows if row.get("level") == "5" and (row.get("text") or "").strip()]
    confidence = round(sum(scores) / len(scores), 1) if scores else None
    # Tesseract's words are Thai character clusters (เร ื ่ อ ง): a line's text is
    # taken from the plain-text output, whose lines are the boxes' lines in order.
    written = [line for line in text.splitlines() if line.strip()]
    if len(written) == len(boxes):
        texts = written
    else:  # never seen; the clusters joined still read right in Thai
        texts = [_joined(rows, box) for box in boxes]
    lines = [
        _Line(int(box["left"]), int(box["top"]), int(box["width"]), int(box["height"]), normalize_text(line))
        for box, line in zip(boxes, texts, strict=True)
    ]
    return text, [line for line in lines if line.text], confidence


def _joined(rows: list[dict], box: dict) -> str:
    key = ("block_num", "par_num", "line_num")
    words = [row["text"] for row in rows if row.get("level") == "5" and all(row[k] == box[k] for k in key)]
    return "".join(word if _is_thai(word) else f" {word} " for word in words).strip()


def _is_thai(word: str) -> bool:
    return any("\u0e00" <= ch <= "\u0e7f" for ch in word)


# --- The searchable PDF ------------------------------------------------------------------


def _searchable_page(image: Image.Image, dpi: int, lines: list[_Line], picture: bytes | None) -> bytes:
    """One page of the searchable PDF: the picture (``picture``'s page, else ``image``)
    with the text read laid over it, invisible."""
    points = 72 / dpi
    width, height = image.width * points, image.height * points
    pdf = FPDF(unit="pt", format=(width, height))
    pdf.set_margins(0, 0, 0)
    pdf.set_auto_page_break(False)
    pdf.add_font("textlayer", fname=str(TEXT_LAYER_FONT))
    pdf.add_page()
    if picture is None:
        pdf.image(_encoded(image), x=0, y=0, w=width, h=height)
    pdf.text_mode = TextMode.INVISIBLE
    for line in lines:
        # A Thai line's box runs from the marks above to those below: the letters
        # themselves are about 60 % of it, their baseline about 75 % down.
        size = max(line.height * points * 0.6, 1)
        pdf.set_font("textlayer", size=size)
        pdf.set_stretching(100)  # measured unstretched
        natural = pdf.get_string_width(line.text)
        if natural <= 0:
            continue
        pdf.set_stretching(100 * line.width * points / natural)
        pdf.text(line.left * points, (line.top + line.height * 0.75) * points, line.text)
    layer = bytes(pdf.output())
    if picture is None:
        return layer
    return _overlay(picture, layer)


def _encoded(image: Image.Image) -> io.BytesIO:
    buffer = io.BytesIO()
    if image.mode == "1":
        image.save(buffer, format="PNG", optimize=True)
    else:
        image.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    buffer.seek(0)
    return buffer


def _overlay(picture: bytes, layer: bytes) -> bytes:
    """The one page of ``picture`` with the one page of ``layer`` laid over it, scaled to fit."""
    with pikepdf.open(io.BytesIO(picture)) as base, pikepdf.open(io.BytesIO(layer)) as text:
        page = base.pages[0]
        page.add_overlay(text.pages[0], pikepdf.Rectangle(page.trimbox))
        out = io.BytesIO()
        base.save(out)
    return out.getvalue()


def merge(pages: list[bytes]) -> bytes:
    """The searchable PDF: the pages' one-page PDFs in order."""
    with pikepdf.new() as pdf:
        opened = []
        try:
            for part in pages:
                source = pikepdf.open(io.BytesIO(part))
                opened.append(source)
                pdf.pages.extend(source.pages)
            out = io.BytesIO()
            pdf.save(out, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        finally:
            for source in opened:
                source.close()
    return out.getvalue()


# --- Documents: PDF, TIFF and single images -----------------------------------------------


def page_count(path: Path, content_type: str) -> int:
    """How many pages the scan has. Raises OcrError if it cannot be opened."""
    if content_type == "application/pdf":
        try:
            with pikepdf.open(path) as pdf:
                return len(pdf.pages)
        except (pikepdf.PdfError, pikepdf.PasswordError, OSError, ValueError) as error:
            raise OcrError(_("เปิดไฟล์ PDF ไม่ได้ ไฟล์อาจเสียหรือไม่ครบ")) from error
    with _opened_image(path) as image:
        return getattr(image, "n_frames", 1)


def page_image(path: Path, content_type: str, number: int) -> tuple[Image.Image, int, bytes | None]:
    """Page ``number`` (from 1) of a scan as an image: (image, dpi, the page as a one-page PDF for a PDF)."""
    if content_type == "application/pdf":
        return _pdf_page_image(path, number)
    with _opened_image(path) as image:
        try:
            image.seek(number - 1)
            image.load()
            dpi = _image_dpi(image)
            page = ImageOps.exif_transpose(image) if number == 1 else image.copy()
        except (EOFError, OSError, ValueError, SyntaxError) as error:
            raise OcrError(_("อ่านภาพหน้า %(number)d ของไฟล์ไม่ได้ ไฟล์อาจเสียหรือไม่ครบ") % {"number": number}) from error
    return page, dpi or DPI, None


def _too_many_pixels() -> str:
    return _("ภาพมีจำนวนพิกเซลมากเกินไป (ไม่เกิน %(limit)d ล้านพิกเซล)") % {"limit": MAX_PIXELS // 1_000_000}


class _opened_image:
    """A scan opened with Pillow, decompression bombs refused; OcrError if it cannot be."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self) -> Image.Image:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                self.image = Image.open(self.path)
                if self.image.width * self.image.height > MAX_PIXELS:
                    self.image.close()
                    raise OcrError(_too_many_pixels())
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise OcrError(_too_many_pixels()) from error
        except (OSError, SyntaxError, ValueError) as error:
            raise OcrError(_("เปิดไฟล์ภาพไม่ได้ ไฟล์อาจเสียหรือไม่ครบ")) from error
        return self.image

    def __exit__(self, *exc) -> None:
        self.image.close()


def _pdf_page_image(path: Path, number: int) -> tuple[Image.Image, int, bytes | None]:
    try:
        with pikepdf.open(path) as pdf:
            page = pdf.pages[number - 1]
            box = page.trimbox
            longest = max(abs(float(box[2]) - float(box[0])), abs(float(box[3]) - float(box[1])), 1.0)
            # A page shown turned (/Rotate) is drawn in other co-ordinates than its image's:
            # the text is laid over the image made of it instead.
            turned = int(page.obj.get("/Rotate", 0)) % 360 != 0
            single = None if turned else pikepdf.new()
            if single is not None:
                single.pages.append(page)
                buffer = io.BytesIO()
                single.save(buffer)
                single.close()
    except (pikepdf.PdfError, pikepdf.PasswordError, OSError, ValueError, IndexError) as error:
        raise OcrError(_("เปิดหน้า %(number)d ของไฟล์ PDF ไม่ได้ ไฟล์อาจเสียหรือไม่ครบ") % {"number": number}) from error
    # At DPI, unless the page is so large that its image would pass MAX_SIDE.
    dpi = max(36, min(DPI, int(MAX_SIDE * 72 / longest)))
    with tempfile.TemporaryDirectory(prefix="ocr-") as work:
        out = Path(work) / "page"
        command = ["pdftoppm", "-r", str(dpi), "-f", str(number), "-l", str(number), "-singlefile", str(path), str(out)]
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)  # noqa: S603
        except subprocess.TimeoutExpired as error:
            raise OcrError(_("แปลงหน้า %(number)d ของไฟล์ PDF เป็นภาพนานเกินกำหนด") % {"number": number}) from error
        # Colour pages come as PPM, grey ones as PGM.
        made = [path for path in Path(work).iterdir() if path.stem == "page"]
        if done.returncode != 0 or not made:
            raise OcrError(_("แปลงหน้า %(number)d ของไฟล์ PDF เป็นภาพไม่ได้ ไฟล์อาจเสียหรือไม่ครบ") % {"number": number})
        with Image.open(made[0]) as image:
            image.load()
            return image.copy(), dpi, (None if single is None else buffer.getvalue())


def read_document(path) -> tuple[list[PageReading], bytes]:
    """Read every page of a scan (PDF, TIFF, JPEG, PNG) in turn: the pages' readings and the searchable PDF.

    The workers read a document's pages in parallel, one task a page (documents.tasks);
    this is the same work in one call, for scripts and benchmarks."""
    path = Path(path)
    content_type = _content_type(path)
    pages = []
    for number in range(1, page_count(path, content_type) + 1):
        image, dpi, pdf_page = page_image(path, content_type, number)
        pages.append(read_page(image, dpi=dpi, pdf_page=pdf_page))
    return [page.reading for page in pages], merge([page.pdf for page in pages])


def _content_type(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(5)
    return "application/pdf" if head == b"%PDF-" else "image"
