"""DOCX reader: a Word document's tables as grids (gridSpan, vMerge as spans), its paragraphs as text rows
(python-docx).

The body is walked in order, content controls included. A horizontally merged cell
(``gridSpan``) spans grid columns; a vertically merged one (``vMerge``) spans the rows whose
cells continue it. A table nested in a cell is a table of its own whose rows follow the row
holding it, so neither the outer row nor any text is lost. Headers, footers and notes are page
furniture and are not read.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from perfkg.extract.containers.grid import DocumentBuilder, PlacedCell, cell_text, grid_rows
from perfkg.extract.reader import ReadError
from perfkg.extract.source_model import SourceDocument

NAME = "docx"
SUFFIXES = (".docx", ".docm", ".dotx")

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_WRAPPERS = (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}smartTag")


def sniff(data: bytes) -> bool:
    """A ZIP package with a document part (word/)."""
    from perfkg.extract.containers.xlsx import _zip_has

    return _zip_has(data, "word/")


def _children(el, tags: tuple[str, ...]):
    """Children of ``el`` with one of ``tags``, looking through content controls and custom XML."""
    for child in el:
        if child.tag in tags:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tags)


def _paragraph_text(p) -> str:
    parts: list[str] = []
    for node in p.iter():
        if node.tag == _MC_FALLBACK:
            continue  # the same drawing again for old readers
        if node.tag == f"{_W}t":
            if not any(a.tag == _MC_FALLBACK for a in node.iterancestors()):
                parts.append(node.text or "")
        elif node.tag == f"{_W}tab":
            parts.append("\t")
        elif node.tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif node.tag == f"{_W}noBreakHyphen":
            parts.append("-")
    return "".join(parts)


def _val(el, path: str) -> str | None:
    found = el.find(path)
    return None if found is None else found.get(f"{_W}val")


def _int(value: str | None, default: int) -> int:
    m = re.match(r"\s*(\d+)", value or "")
    return int(m.group(1)) if m else default


class _Reader:
    def __init__(self, out: DocumentBuilder) -> None:
        self.out = out
        self.paragraphs = 0

    def body(self, el) -> None:
        for child in _children(el, (f"{_W}p", f"{_W}tbl")):
            if child.tag == f"{_W}p":
                self.paragraphs += 1
                self.out.text(_paragraph_text(child), f"paragraph {self.paragraphs}")
            else:
                self.table(child)

    def table(self, tbl) -> None:
        index = self.out.new_table()
        trs = list(_children(tbl, (f"{_W}tr",)))
        placed: list[PlacedCell] = []
        nested: list[list] = []
        above: dict[int, PlacedCell] = {}  # grid column → the cell a vMerge continuation extends
        for r, tr in enumerate(trs):
            col = _int(_val(tr, f"{_W}trPr/{_W}gridBefore"), 0)
            inner: list = []
            row_cells: dict[int, PlacedCell] = {}
            for tc in _children(tr, (f"{_W}tc",)):
                span = max(1, _int(_val(tc, f"{_W}tcPr/{_W}gridSpan"), 1))
                vmerge = tc.find(f"{_W}tcPr/{_W}vMerge")
                parts = []
                for child in _children(tc, (f"{_W}p", f"{_W}tbl")):
                    if child.tag == f"{_W}p":
                        parts.append(_paragraph_text(child))
                    else:
                        inner.append(child)
                text = cell_text("\n".join(parts))
                restart = vmerge is not None and vmerge.get(f"{_W}val") == "restart"
                top = above.get(col)
                if vmerge is not None and not restart and top is not None and top.col_span == span:
                    top.row_span += 1
                    if text:  # Word keeps a continuation's content; so do we
                        top.text = f"{top.text}\n{text}" if top.text else text
                    row_cells[col] = top
                else:
                    cell = PlacedCell(r, col, text, 1, span)
                    placed.append(cell)
                    row_cells[col] = cell
                col += span
            above = row_cells
            nested.append(inner)
        grid = grid_rows(placed, len(trs), index, lambda r, c: f"table {index + 1} r{r + 1}c{c + 1}")
        for row, inner in zip(grid, nested):
            self.out.rows([row])
            for inner_tbl in inner:
                self.table(inner_tbl)


def read(path: Path, data: bytes, sha256: str) -> SourceDocument:
    """The document at ``path``: paragraphs as text rows, every table (nested ones too) as a grid."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ReadError(f"{path}: not a readable DOCX document (truncated or corrupt: "
                        f"{type(exc).__name__}: {exc})") from None
    out = DocumentBuilder(path.name, NAME, sha256)
    try:
        _Reader(out).body(document.element.body)
    except RecursionError:
        raise ReadError(f"{path}: tables nested too deeply to read") from None
    return out.doc
