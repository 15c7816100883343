"""PDF in Thai: A4 pages in Sarabun, shaped with HarfBuzz, wrapped between Thai words.

fpdf2 draws the text and, with text shaping on, hands each line to HarfBuzz
(uharfbuzz) so that Thai vowels and tone marks sit where they belong. Thai is
written without spaces between words and fpdf2 wraps lines only at spaces, so
``breakable`` marks the word boundaries (pythainlp) with zero-width spaces.
The auditors' case record (auditing/exports.py), the progress letter to a
complainant (citizens/notices/letter.py) and the certified registration form of an
officer (accounts/form_pdf.py) are all made with ``ThaiPDF``.
"""

from __future__ import annotations

import importlib.resources
import re
from functools import cache

from fpdf import FPDF
from pythainlp.tokenize import word_tokenize

FONT = "Sarabun"
ZWSP = "\u200b"
_THAI_RUN = re.compile(r"[\u0e00-\u0e7f]+")


@cache
def font_paths() -> tuple[str, str]:
    """Sarabun regular and bold, as the fontpkg-sarabun package installs them."""
    files = importlib.resources.files("fontpkg_sarabun") / "files"
    return str(files / "Sarabun-Regular.ttf"), str(files / "Sarabun-Bold.ttf")


def breakable(text: str) -> str:
    """Mark the word boundaries of Thai runs with zero-width spaces: Thai is written
    without spaces between words, and fpdf2 wraps lines only at spaces."""

    def split(match):
        return ZWSP.join(word_tokenize(match.group(0), engine="newmm", keep_whitespace=True))

    return _THAI_RUN.sub(split, str(text or ""))


class ThaiPDF(FPDF):
    """An A4 portrait document in millimetres with Sarabun (regular and bold) and text shaping on."""

    def __init__(self):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        regular, bold = font_paths()
        self.add_font(FONT, "", regular)
        self.add_font(FONT, "B", bold)
        self.set_text_shaping(True)

    def paragraph(self, text, *, size=10, style="", height=None, indent=0.0, align="L") -> None:
        """Write ``text`` from the left margin (plus ``indent``) to the right one, wrapped
        between words, and move below it."""
        self.set_font(FONT, style, size)
        self.set_x(self.l_margin + indent)
        width, height, text = self.epw - indent, height or size * 0.5, str(text or "")
        if "\n" not in text and self.get_string_width(text) <= width - 2 * self.c_margin:
            # One line: a cell, shaped once. fpdf2's line breaker shapes the line again
            # at every character it adds (160,000 HarfBuzz calls for a case with 400
            # audit rows, 2.7 s), a cost only the lines that do wrap need to pay.
            self.cell(width, height, text, align=align, new_x="LMARGIN", new_y="NEXT")
        else:
            self.multi_cell(width, height, breakable(text), align=align, new_x="LMARGIN", new_y="NEXT")
