"""Scanned letters made from the set's letters (letters.jsonl): A4 pages in a Thai font at a
resolution, clean or spoiled as scanners spoil them, with the text each page shows.

Pillow draws the text with libraqm (HarfBuzz shaping, so that vowels and tone marks sit
where they belong; ``check_shaping`` refuses to draw without it) and the lines break
between the words the set knows, as Thai typesetting breaks them. The regulation's
margins: 3 cm left, 2 cm right; the body's paragraphs indented 2.5 cm.
"""

from __future__ import annotations

import importlib.resources
import io
import json
import random
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont, features

HERE = Path(__file__).resolve().parent
TLWG = Path("/usr/share/fonts/truetype/tlwg")
SPACE = "_"

# The size each font is set at: about as much on a line as TH Sarabun 16 pt, the size of
# printed official letters (Sarabun 13 pt does, see citizens/notices/letter.py).
FONTS = {"Loma": 12, "Garuda": 12, "Norasi": 15, "Kinnari": 15, "Sarabun": 13}
DEGRADATIONS = ("clean", "skew", "turned90", "turned180", "blur", "noise", "scan")
CM = 1 / 2.54  # inches
LEFT, RIGHT, TOP, BOTTOM, INDENT = 3.0 * CM, 2.0 * CM, 2.5 * CM, 2.0 * CM, 2.5 * CM
A4 = (8.27, 11.69)


def font_path(name: str) -> Path:
    if name == "Sarabun":
        return Path(str(importlib.resources.files("fontpkg_sarabun") / "files" / "Sarabun-Regular.ttf"))
    return TLWG / f"{name}.ttf"


def check_shaping() -> None:
    """Thai needs a shaping engine: without libraqm Pillow would set marks over the wrong letter."""
    if not features.check("raqm"):
        raise SystemExit(
            "Pillow has no libraqm here: Thai would be drawn unshaped. Install libraqm (Debian libraqm0) "
            "or render through chromium."
        )


def read_letters(folder: Path = HERE) -> list[dict]:
    return [json.loads(line) for line in (folder / "letters.jsonl").read_text(encoding="utf-8").splitlines() if line]


@dataclass
class Scan:
    letter: str
    font: str
    dpi: int
    degradation: str
    image: Image.Image
    text: str  # what the page shows, line by line

    @property
    def name(self) -> str:
        return f"{self.letter}-{self.font}-{self.dpi}-{self.degradation}"


def typeset(letter: dict, font_name: str, dpi: int) -> tuple[Image.Image, str]:
    """The letter on a white A4 page (8-bit grey) and the text of its lines."""
    check_shaping()
    width, height = round(A4[0] * dpi), round(A4[1] * dpi)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(
        str(font_path(font_name)), round(FONTS[font_name] * dpi / 72), layout_engine=ImageFont.Layout.RAQM
    )
    ascent, descent = font.getmetrics()
    pitch = round((ascent + descent) * 1.05)
    left, right, indent = round(LEFT * dpi), width - round(RIGHT * dpi), round(INDENT * dpi)
    y, bottom = round(TOP * dpi), height - round(BOTTOM * dpi)
    lines: list[str] = []

    def measure(text: str) -> float:
        return font.getlength(text, language="th")

    for paragraph in letter["paragraphs"]:
        align = paragraph["align"]
        words = [" " if t == SPACE else t for t in paragraph["tokens"]]
        first = True
        while words:
            start = left + (indent if align == "indent" and first else 0)
            line = ""
            while words and (not line or measure(line + words[0]) <= right - start):
                line += words.pop(0)
            while words and words[0] == " ":
                words.pop(0)
            line = line.strip()
            if align == "right":
                x = right - measure(line)
            elif align == "center":
                x = (left + right - measure(line)) / 2
            else:
                x = start
            if y + pitch > bottom:
                raise ValueError(f"{letter['id']} does not fit on one page in {font_name}")
            draw.text((x, y), line, font=font, fill=0, language="th")
            lines.append(line)
            y += pitch
            first = False
        if align != "indent":
            y += pitch // 3
    return page, "\n".join(lines)


def degrade(page: Image.Image, kind: str, dpi: int, seed: int) -> Image.Image:
    """The page as a scanner may give it: turned a little or a quarter or half, blurred, noisy."""
    import numpy as np

    scale = dpi / 300
    rng = np.random.default_rng(seed)

    def noisy(image: Image.Image, sigma: float) -> Image.Image:
        values = np.asarray(image, dtype=np.int16) + rng.normal(0, sigma, (image.height, image.width)).astype(np.int16)
        specks = rng.random((image.height, image.width)) < 0.001
        values[specks] = 0
        return Image.fromarray(values.clip(0, 255).astype(np.uint8))

    if kind == "clean":
        return page
    if kind == "skew":
        return page.rotate(2.0, resample=Image.Resampling.BICUBIC, fillcolor=255)
    if kind == "turned90":
        return page.transpose(Image.Transpose.ROTATE_90)
    if kind == "turned180":
        return page.transpose(Image.Transpose.ROTATE_180)
    if kind == "blur":
        return page.filter(ImageFilter.GaussianBlur(1.2 * scale))
    if kind == "noise":
        return noisy(page, 35)
    if kind == "scan":
        # A cheap flatbed: grey paper, a slight turn, soft focus, sensor noise, JPEG.
        image = page.point(lambda v: 40 + v * 195 // 255).rotate(-1.2, resample=Image.Resampling.BICUBIC, fillcolor=235)
        image = noisy(image.filter(ImageFilter.GaussianBlur(0.8 * scale)), 18)
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=70)
        return Image.open(io.BytesIO(buffer.getvalue())).convert("L")
    raise ValueError(f"unknown degradation {kind}")


def scans(letters: list[dict], fonts, dpis, degradations, *, cache: Path | None = None):
    """Yield a Scan for each letter (one per font, in turn), resolution and degradation; the
    pages are also written to ``cache`` (PNG, with the text beside each) for a look."""
    for n, font_name in enumerate(fonts):
        letter = letters[n % len(letters)]
        for dpi in dpis:
            page, text = typeset(letter, font_name, dpi)
            for kind in degradations:
                seed = random.Random(f"{letter['id']}:{font_name}:{dpi}:{kind}").randrange(2**32)
                scan = Scan(letter["id"], font_name, dpi, kind, degrade(page, kind, dpi, seed), text)
                if cache is not None:
                    cache.mkdir(parents=True, exist_ok=True)
                    scan.image.save(cache / f"{scan.name}.png", dpi=(dpi, dpi))
                    (cache / f"{scan.name}.txt").write_text(text, encoding="utf-8")
                yield scan
