"""The kinds of export, each registered by the app that knows how to make its file.

This app sits below the cases and auditing apps (DESIGN.md, "Apps"): they register
their renderers here when they load, and ``exports.services.render`` finds them by
the kind's name stored on the ``Export``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

# render(export, out) writes the file to ``out`` and returns how many rows it holds.
Render = Callable[[object, BinaryIO], int]
# may_download(export): whether its owner may still take the file (still sees its case, say).
MayDownload = Callable[[object], bool]
# label(export): what the export is called, in the language of the moment it is shown in.
Label = Callable[[object], str]

_RENDERERS: dict[str, Render] = {}
_MAY_DOWNLOAD: dict[str, MayDownload] = {}
_LABELS: dict[str, Label] = {}


class ExportRefused(Exception):
    """The file may not be made for its owner (no longer in their scope, say): the
    message, in the officer's language, is what their page of exports shows."""


def register(kind: str, render: Render, *, label: Label | None = None, may_download: MayDownload | None = None) -> None:
    """Make ``kind`` known; ``may_download`` is asked again at every download (the file
    is kept for hours, and who may read a case can change meanwhile)."""
    if _RENDERERS.get(kind, render) is not render:
        raise ValueError(f"export kind {kind!r} is registered twice")
    _RENDERERS[kind] = render
    if may_download is not None:
        _MAY_DOWNLOAD[kind] = may_download
    if label is not None:
        _LABELS[kind] = label


def label(export) -> str:
    """The export's name for the reader: its kind's label, else the title stored when asked."""
    name = _LABELS.get(export.kind)
    return name(export) if name else export.title


def renderer(kind: str) -> Render:
    return _RENDERERS[kind]


def may_download(export) -> bool:
    check = _MAY_DOWNLOAD.get(export.kind)
    return check is None or check(export)


def write_text(out: BinaryIO, lines) -> None:
    """Write text ``lines`` (``core.csv.csv_lines``, say) to ``out`` as UTF-8, in blocks."""
    block: list[str] = []
    for line in lines:
        block.append(line)
        if len(block) >= 1000:
            out.write("".join(block).encode("utf-8"))
            block.clear()
    out.write("".join(block).encode("utf-8"))
