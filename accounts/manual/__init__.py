"""The user manual (คู่มือการใช้งาน): a Markdown source per role, read as HTML pages in
the app and downloaded as PDF, with screenshots of the pages as they are.

A source names a screenshot as ``![caption](screen:NAME)``; the picture is
``accounts/static/accounts/manual/NAME.png``, taken by the browser test
``tests/browser/test_manual_browser.py`` (``make manual`` writes them here, and they are
committed so that a fresh checkout serves the manual without Chromium). The browser test
fails when a page a source shows cannot be opened, and ``tests/accounts/test_manual.py``
when a screenshot a source names is missing: the manual cannot drift from the pages.

A line ``{{ include common.md }}`` in a source stands for that file (the sign-in, the
account and the menu, the same for every role); the whole manual (``build_pdf(None)``)
has it once, as a chapter of its own.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.templatetags.static import static
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from markdown_it import MarkdownIt
from markdown_it.token import Token
from PIL import Image

from core.pdf import FONT, ThaiPDF, breakable
from core.roles import Role
from core.thai import format_date

SOURCES = Path(__file__).resolve().parent
SCREENS = SOURCES.parent / "static" / "accounts" / "manual"
SCREENS_URL = "accounts/manual"

TITLE = _("คู่มือการใช้งานระบบรับเรื่องร้องเรียนร้องทุกข์ของศูนย์ดำรงธรรม")
COMMON = "common"
COMMON_TITLE = _("เริ่มต้นใช้งาน: บัญชี การเข้าสู่ระบบ และเมนู")

# The manuals, in the order the index and the whole manual give them: code -> whom it is for.
ROLES = {
    "district_officer": _("เจ้าหน้าที่ศูนย์ดำรงธรรมอำเภอ"),
    "district_head": _("นายอำเภอ (หัวหน้าศูนย์ดำรงธรรมอำเภอ)"),
    "team_member": _("ชุดปฏิบัติการประจำตำบล (ชปต.)"),
    "province": _("ศูนย์ดำรงธรรมจังหวัด (เจ้าหน้าที่และหัวหน้าศูนย์)"),
    "central_officer": _("เจ้าหน้าที่ส่วนกลาง กรมการปกครอง"),
    "auditor": _("ผู้ตรวจสอบ"),
    "administrator": _("ผู้ดูแลระบบ"),
}
# The manual of each role an account holds.
MANUAL_OF_ROLE = {
    Role.DISTRICT_OFFICER: "district_officer",
    Role.DISTRICT_HEAD: "district_head",
    Role.TEAM_MEMBER: "team_member",
    Role.PROVINCE_OFFICER: "province",
    Role.PROVINCE_HEAD: "province",
    Role.CENTRAL_OFFICER: "central_officer",
    Role.AUDITOR: "auditor",
    Role.ADMINISTRATOR: "administrator",
}

SCREEN = re.compile(r"^screen:([a-z0-9_]+)$")
INCLUDE = re.compile(r"^\{\{\s*include\s+([a-z_]+)\.md\s*\}\}[ \t]*$", re.MULTILINE)
_markdown = MarkdownIt("commonmark", {"html": False, "typographer": False})


class ManualError(ValueError):
    """A source that the manual cannot be built from (an image that is no screenshot, an unknown include)."""


# --- The sources ---------------------------------------------------------------------------------


def source_path(name: str) -> Path:
    return SOURCES / f"{name}.md"


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise KeyError(f"no manual for {role!r}: one of {', '.join(ROLES)}")


def source(role: str, *, include_common: bool = True) -> str:
    """The Markdown of ``role``'s manual, with its includes put in (or left out)."""
    _check_role(role)

    def include(match: re.Match) -> str:
        name = match.group(1)
        if name != COMMON:
            raise ManualError(f"{role}.md includes {name}.md: only {COMMON}.md may be included")
        return source_path(name).read_text(encoding="utf-8") if include_common else ""

    return INCLUDE.sub(include, source_path(role).read_text(encoding="utf-8"))


@cache
def _parsed(text: str) -> tuple[Token, ...]:
    stream = _markdown.parse(text)
    for token in stream:
        for child in token.children or ():
            if child.type == "image" and not SCREEN.match(child.attrGet("src") or ""):
                raise ManualError(f"image {child.attrGet('src')!r}: a manual shows screenshots only, as screen:NAME")
    return tuple(stream)


def tokens(role: str, *, include_common: bool = True) -> tuple[Token, ...]:
    return _parsed(source(role, include_common=include_common))


def _screens_in(stream) -> list[str]:
    names = []
    for token in stream:
        for child in token.children or ():
            if child.type == "image":
                name = SCREEN.match(child.attrGet("src")).group(1)
                if name not in names:
                    names.append(name)
    return names


def screens_named(role: str) -> list[str]:
    """The screenshots ``role``'s manual shows, in the order it shows them."""
    return _screens_in(tokens(role))


def all_screens() -> list[str]:
    """Every screenshot some manual shows."""
    names: list[str] = []
    for role in ROLES:
        names += [name for name in screens_named(role) if name not in names]
    return names


def screen_path(name: str) -> Path:
    return SCREENS / f"{name}.png"


def missing_screens() -> dict[str, list[str]]:
    """The screenshots each manual names that are not in ``SCREENS``, by role (none: {})."""
    missing = {role: [name for name in screens_named(role) if not screen_path(name).is_file()] for role in ROLES}
    return {role: names for role, names in missing.items() if names}


def headings(role: str, *, include_common: bool = True) -> list[tuple[int, str]]:
    """(level, text) of each heading of ``role``'s manual."""
    stream = tokens(role, include_common=include_common)
    return [
        (int(token.tag[1]), _plain(stream[index + 1].children))
        for index, token in enumerate(stream)
        if token.type == "heading_open"
    ]


def summary(role: str) -> str:
    """The first paragraph of ``role``'s manual: whom it is for and what they do."""
    stream = tokens(role, include_common=False)
    for index, token in enumerate(stream):
        if token.type == "paragraph_open":
            return _plain(stream[index + 1].children)
    return ""


def _plain(children) -> str:
    """Inline Markdown as plain text."""
    parts = []
    for child in children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def manuals_for(user) -> list[str]:
    """The manuals of the roles ``user`` holds, in ``ROLES`` order."""
    if not user.is_authenticated:
        return []
    mine = {MANUAL_OF_ROLE.get(code) for code in user.roles.values_list("code", flat=True)}
    return [role for role in ROLES if role in mine]


# --- HTML --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str


HEADING_CLASSES = {"h1": "h3 mb-3", "h2": "h4 mt-5 mb-3 pb-1 border-bottom", "h3": "h5 mt-4"}


def _render_image(renderer, stream, index, options, env) -> str:
    token = stream[index]
    name = SCREEN.match(token.attrGet("src")).group(1)
    caption = renderer.renderInlineAsText(token.children, options, env)
    path = screen_path(name)
    if not path.is_file():
        return str(
            format_html(
                '<div class="alert alert-warning" role="note" data-screen="{}">{} <code>{}</code> — {}</div>',
                name, _("ยังไม่มีภาพหน้าจอ"), name, caption,
            )
        )  # fmt: skip
    with Image.open(path) as image:
        width, height = image.size
    return str(
        format_html(
            '<figure class="figure d-block my-3" data-screen="{}"><img class="figure-img img-fluid border rounded '
            'shadow-sm" src="{}" alt="{}" width="{}" height="{}" loading="lazy"><figcaption class="figure-caption">{}'
            "</figcaption></figure>",
            name, static(f"{SCREENS_URL}/{name}.png"), caption, width, height, caption,
        )
    )  # fmt: skip


def _html_renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.add_render_rule("image", _render_image)
    return md


def render_html(role: str) -> SafeString:
    """``role``'s manual as an HTML fragment: headings with anchors (``contents``), the
    screenshots as figures from the static files."""
    md = _html_renderer()
    stream = md.parse(source(role))
    section = 0
    for index, token in enumerate(stream):
        if token.type == "heading_open":
            token.attrSet("class", HEADING_CLASSES.get(token.tag, ""))
            if token.tag == "h2":
                section += 1
                token.attrSet("id", f"section-{section}")
        elif token.type == "paragraph_open" and _lone_image(stream[index + 1]):
            # A figure is a block of its own: not inside a <p>.
            token.hidden = stream[index + 2].hidden = True
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            token.attrSet("class", "mb-3")
    # Markdown's own escaping (html off) is what makes this safe: no raw HTML passes.
    return mark_safe(md.renderer.render(stream, md.options, {}))  # noqa: S308


def contents(role: str) -> list[Section]:
    """The sections (second-level headings) of ``role``'s manual, as ``render_html`` anchors them."""
    return [
        Section(f"section-{number}", text)
        for number, text in enumerate((text for level, text in headings(role) if level == 2), start=1)
    ]


def _lone_image(token: Token) -> bool:
    return token.type == "inline" and [child.type for child in token.children or ()] == ["image"]


# --- PDF ---------------------------------------------------------------------------------------------

BODY_SIZE = 11
LINE = 6.0
INDENT = 7.0  # a list level
GREY = (100, 100, 100)
BRAND = (18, 52, 86)


class ManualPDF(ThaiPDF):
    """A4 pages with the manual's name and the page number at the foot (not on the cover)."""

    def __init__(self, running_title: str):
        super().__init__()
        self.running_title = running_title
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(True, margin=18)
        self.figures = 0

    def footer(self):
        if self.page_no() == 1:
            return
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(*GREY)
        # gettext outside the f-strings: xgettext does not read calls inside them.
        page = _("หน้า")
        self.cell(0, 5, f"{self.running_title} · {page} {self.page_no()}", align="C")
        self.set_text_color(0)


def _escape_markdown(text: str) -> str:
    # fpdf2's markdown reads **, __, ~~ and -- as styles: a doubled character in the text is not one.
    return re.sub(r"([*_~\-])(?=\1)", "\\1\u200b", text)


def _pdf_inline(children) -> str:
    """Inline Markdown as fpdf2's markdown: strong text bold, the rest plain."""
    parts = []
    for child in children or ():
        if child.type in ("text", "code_inline"):
            parts.append(_escape_markdown(child.content))
        elif child.type in ("strong_open", "strong_close"):
            parts.append("**")
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def _write_text(pdf: ManualPDF, text: str, *, indent: float = 0.0, marker: str = "", size=BODY_SIZE) -> None:
    pdf.set_font(FONT, "", size)
    if pdf.will_page_break(LINE):
        pdf.add_page()
    if marker:
        pdf.set_x(pdf.l_margin + indent - INDENT + 1)
        pdf.cell(INDENT - 1, LINE, marker)
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(pdf.epw - indent, LINE, breakable(text), markdown=True, new_x="LMARGIN", new_y="NEXT", align="L")


def _write_heading(pdf: ManualPDF, level: int, text: str, *, outline_base: int) -> None:
    if level == 1:
        if pdf.get_y() > pdf.t_margin + 1:  # a chapter starts a page (the contents leave a blank one)
            pdf.add_page()
        size, before, after = 20, 0, 4
    elif level == 2:
        size, before, after = 15, 5, 2
        if pdf.will_page_break(60):  # a heading with nothing under it at a page's foot
            pdf.add_page()
            before = 0
    else:
        size, before, after = 12.5, 3, 1
        if pdf.will_page_break(40):
            pdf.add_page()
            before = 0
    pdf.ln(before)
    if level <= 3:
        pdf.start_section(text, level=outline_base + level - 1, strict=False)
    pdf.set_text_color(*BRAND)
    pdf.paragraph(text, size=size, style="B", height=size * 0.55)
    pdf.set_text_color(0)
    if level == 1:
        pdf.set_draw_color(*BRAND)
        pdf.set_line_width(0.5)
        pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.l_margin + pdf.epw, pdf.get_y() + 1)
        pdf.set_line_width(0.2)
    pdf.ln(after)


def _write_image(pdf: ManualPDF, name: str, caption: str, *, indent: float) -> None:
    path = screen_path(name)
    width = min(pdf.epw - indent, 165.0)
    x = pdf.l_margin + indent + (pdf.epw - indent - width) / 2
    pdf.figures += 1
    figure = _("ภาพที่")
    label = f"{figure} {pdf.figures} {caption}"
    if not path.is_file():
        if pdf.will_page_break(20):
            pdf.add_page()
        pdf.set_draw_color(200, 120, 0)
        pdf.rect(x, pdf.get_y(), width, 14)
        pdf.set_xy(x, pdf.get_y() + 4)
        pdf.set_font(FONT, "", 9)
        missing = _("ยังไม่มีภาพหน้าจอ")
        pdf.cell(width, 6, f"{missing} {name}", align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6)
        return
    with Image.open(path) as image:
        pixels_wide, pixels_high = image.size
    height = width * pixels_high / pixels_wide
    room = pdf.page_break_trigger - pdf.get_y() - 10  # the caption below
    if height > room >= height * 0.7:
        # Nearly fits: a little smaller, rather than half a page left blank.
        width, height = room * pixels_wide / pixels_high, room
        x = pdf.l_margin + indent + (pdf.epw - indent - width) / 2
    elif height > room:
        pdf.add_page()
    top = pdf.get_y() + 1
    pdf.image(str(path), x=x, y=top, w=width, h=height, alt_text=caption)
    pdf.set_draw_color(170)
    pdf.rect(x, top, width, height)
    pdf.set_y(top + height + 1.5)
    pdf.set_text_color(*GREY)
    pdf.paragraph(label, size=9, height=4.5, align="C")
    pdf.set_text_color(0)
    pdf.ln(3)


def _write_chapter(pdf: ManualPDF, stream, *, outline_base: int = 0) -> None:
    """Draw one source's tokens: headings, paragraphs, lists (numbered or not, nested), screenshots."""
    lists: list[list] = []  # [ordered, number] per open list
    marker = ""
    skip = set()
    for index, token in enumerate(stream):
        if index in skip:
            continue
        kind = token.type
        if kind == "heading_open":
            skip.add(index + 1)
            _write_heading(pdf, int(token.tag[1]), _plain(stream[index + 1].children), outline_base=outline_base)
        elif kind == "bullet_list_open":
            lists.append([False, 0])
        elif kind == "ordered_list_open":
            lists.append([True, int(token.attrGet("start") or 1) - 1])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            if not lists:
                pdf.ln(1.5)
        elif kind == "list_item_open":
            lists[-1][1] += 1
            marker = f"{lists[-1][1]}." if lists[-1][0] else "•"
        elif kind == "inline":
            indent = INDENT * len(lists)
            if _lone_image(token):
                image = token.children[0]
                name = SCREEN.match(image.attrGet("src")).group(1)
                _write_image(pdf, name, _plain(image.children), indent=indent)
            else:
                _write_text(pdf, _pdf_inline(token.children), indent=indent, marker=marker)
            marker = ""
        elif kind == "paragraph_close" and not token.hidden:
            pdf.ln(2 if not lists else 0.5)


CONTENTS_TITLE = 11.0  # the heading "สารบัญ" and the space under it
CONTENTS_LINE = 6.2
CONTENTS_GAP = 0.8  # under a chapter's line


def _render_contents(pdf: ManualPDF, outline) -> None:
    pdf.set_text_color(*BRAND)
    pdf.paragraph(_("สารบัญ"), size=16, style="B", height=CONTENTS_TITLE - 2)
    pdf.set_text_color(0)
    pdf.ln(2)
    for section in outline:
        if section.level > 1:
            continue
        size, style, indent = (11.5, "B", 0.0) if section.level == 0 else (10.5, "", 6.0)
        pdf.set_font(FONT, style, size)
        pdf.set_x(pdf.l_margin + indent)
        width = pdf.epw - indent - 12
        name = section.name
        while pdf.get_string_width(name) > width - 2 and len(name) > 4:  # one line each: _contents_pages counts so
            name = name[:-2] + "…"
        pdf.cell(width, CONTENTS_LINE, name, link=pdf.add_link(page=section.page_number))
        pdf.cell(12, CONTENTS_LINE, str(section.page_number), align="R", new_x="LMARGIN", new_y="NEXT")
        if section.level == 0:
            pdf.ln(CONTENTS_GAP)


def _contents_pages(pdf: ManualPDF, chapters) -> int:
    """The pages ``_render_contents`` will fill: fpdf2 reserves them before the chapters
    are drawn, and renumbers nothing if the contents take more."""
    pages, y = 1, pdf.t_margin + CONTENTS_TITLE
    for stream in chapters:
        for token in stream:
            if token.type == "heading_open" and token.tag in ("h1", "h2"):
                if y + CONTENTS_LINE > pdf.page_break_trigger:
                    pages, y = pages + 1, pdf.t_margin
                y += CONTENTS_LINE + (CONTENTS_GAP if token.tag == "h1" else 0)
    return pages


def _cover(pdf: ManualPDF, subtitle: str, moment: dt.date) -> None:
    pdf.add_page()
    pdf.set_y(70)
    pdf.set_text_color(*BRAND)
    pdf.paragraph(TITLE, size=24, style="B", height=12, align="C")
    pdf.ln(8)
    pdf.set_text_color(0)
    pdf.paragraph(subtitle, size=18, height=10, align="C")
    pdf.ln(30)
    pdf.set_text_color(*GREY)
    pdf.paragraph(_("ศูนย์ดำรงธรรม กรมการปกครอง กระทรวงมหาดไทย"), size=13, height=7, align="C")
    dated = _("ฉบับวันที่")
    pdf.paragraph(f"{dated} {format_date(moment, long=True)}", size=12, height=7, align="C")
    pdf.ln(4)
    pdf.paragraph(
        _("ภาพหน้าจอในคู่มือนี้ถ่ายจากหน้าจอจริงของระบบโดยการทดสอบอัตโนมัติ ข้อมูลในภาพเป็นข้อมูลสาธิต"),
        size=10, height=5.5, align="C",
    )  # fmt: skip
    pdf.set_text_color(0)


def _inputs(role: str | None) -> list[Path]:
    roles = list(ROLES) if role is None else [role]
    paths = [source_path(COMMON), Path(__file__).resolve()] + [source_path(name) for name in roles]
    names = {screen for name in roles for screen in screens_named(name)}
    return paths + [path for name in sorted(names) if (path := screen_path(name)).is_file()]


def edition(role: str | None) -> dt.date:
    """The date of the manual: its newest source or screenshot."""
    newest = max(path.stat().st_mtime for path in _inputs(role))
    return timezone.localtime(dt.datetime.fromtimestamp(newest, tz=dt.UTC)).date()


def build_pdf(role: str | None = None) -> bytes:
    """``role``'s manual as a PDF (``None``: every role's, with the common chapter once):
    a cover, the contents, the chapters."""
    if role is not None:
        _check_role(role)
    with translation.override("th"):
        subtitle = str(_("สำหรับ{role}").format(role=ROLES[role])) if role else str(_("ทุกบทบาท"))
        pdf = ManualPDF(f"{TITLE} · {subtitle}")
        pdf.set_title(f"{TITLE} {subtitle}")
        pdf.set_author(str(_("ศูนย์ดำรงธรรม กรมการปกครอง")))
        pdf.set_lang("th")
        _cover(pdf, subtitle, edition(role))
        chapters = (
            [tokens(role)] if role else [_common_chapter(), *(tokens(name, include_common=False) for name in ROLES)]
        )
        pdf.add_page()
        pdf.insert_toc_placeholder(_render_contents, pages=_contents_pages(pdf, chapters))
        for stream in chapters:
            _write_chapter(pdf, stream)
        return bytes(pdf.output())


def _common_chapter() -> tuple[Token, ...]:
    return _parsed(f"# {COMMON_TITLE}\n\n" + source_path(COMMON).read_text(encoding="utf-8"))


def build_dir() -> Path:
    return Path(getattr(settings, "MANUAL_BUILD_DIR", settings.VAR_DIR / "manual"))


def pdf_name(role: str | None) -> str:
    return f"{role or 'all'}.pdf"


def pdf_file(role: str | None) -> Path:
    """The PDF of ``role``'s manual in ``build_dir()``, built again when a source or a
    screenshot is newer than it. Written under a temporary name and renamed, so that a
    reader never gets half a file and two processes building at once both end well."""
    path = build_dir() / pdf_name(role)
    newest = max(source.stat().st_mtime_ns for source in _inputs(role))
    if path.is_file() and path.stat().st_mtime_ns >= newest:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_bytes(build_pdf(role))
    os.replace(temporary, path)
    return path


# --- Screenshots ----------------------------------------------------------------------------------


def optimise_png(data: bytes, *, colours: int = 256) -> bytes:
    """A screenshot with a palette of ``colours`` and no dithering: a page is flat colours
    and anti-aliased text, which a palette keeps readable at a fraction of the size."""
    with Image.open(io.BytesIO(data)) as image:
        palette = image.convert("RGB").quantize(colors=colours, dither=Image.Dither.NONE)
    out = io.BytesIO()
    palette.save(out, "PNG", optimize=True)
    return out.getvalue()
