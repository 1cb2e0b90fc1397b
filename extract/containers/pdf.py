"""PDF reader: a born-digital PDF's ruled tables as grids, its other text as layout-preserving text rows (pdfplumber).

Tables are found from their ruling lines; pdfplumber marks a cell covered by a merge as
``None``, so spans are rebuilt from the cell boxes: a cell spans the column (row) starts that
fall inside its box. Text outside ruled tables (cover, titles, 单位：万元, tables drawn without
lines) is pdfplumber's layout-preserving text, so aligned columns stay aligned for the text
splitters. A table whose columns continue on the next page, with only page furniture (page
numbers, 续表) between, stays one table. A PDF without a text layer is a scan: an error, since
OCR is out of scope; encrypted or corrupt files are errors naming the file.
"""
from __future__ import annotations

import logging
import re
from bisect import bisect_left
from pathlib import Path

from perfkg.extract.containers.grid import DocumentBuilder, PlacedCell, cell_text, grid_rows
from perfkg.extract.reader import ReadError
from perfkg.extract.source_model import SourceDocument, SourceRow

NAME = "pdf"
SUFFIXES = (".pdf",)

# Lines a printer adds at page breaks: page numbers (- 3 -, 第3页, 3/12) and 续表 marks.
_FURNITURE = re.compile(r"^[\s\-—–_·.第页共/|（）()\d续表]*$")


def sniff(data: bytes) -> bool:
    """The PDF header, which may follow a little junk (the format allows 1 KiB)."""
    return b"%PDF-" in data[:1024]


def _align_lines(chars: list[dict]) -> list[dict]:
    """Copies of ``chars`` where glyphs on one visual line share its top and bottom.

    Fonts of one line (CJK and Latin, or a font without a bounding box) can sit a few points
    apart; grouping by vertical overlap keeps 2025年 on one line where a fixed tolerance splits it.
    """
    out: list[dict] = []
    line: list[dict] = []
    top = bottom = 0.0

    def close() -> None:
        for c in line:
            shift = top - c["top"]
            out.append({**c, "top": top, "bottom": bottom, "doctop": c.get("doctop", c["top"]) + shift})

    for c in sorted(chars, key=lambda c: (c["top"] + c["bottom"]) / 2):
        mid = (c["top"] + c["bottom"]) / 2
        if line and top <= mid <= bottom:
            line.append(c)
            top, bottom = min(top, c["top"]), max(bottom, c["bottom"])
        else:
            close()
            line, top, bottom = [c], c["top"], c["bottom"]
    close()
    return out


def _inside(c: dict, box: tuple[float, float, float, float]) -> bool:
    x, y = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _starts(values: list[float], tolerance: float) -> list[float]:
    """Distinct coordinates, those closer than ``tolerance`` taken as one."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tolerance:
            out.append(v)
    return out


def _count(starts: list[float], low: float, high: float, tolerance: float) -> tuple[int, int]:
    """(index of the first start at ``low``, how many starts lie in [low, high))."""
    first = bisect_left(starts, low - tolerance)
    end = bisect_left(starts, high - tolerance)
    return first, max(1, end - first)


class _Table:
    def __init__(self, table, chars: list[dict], tolerance: float) -> None:
        from pdfplumber.utils.text import extract_text

        boxes = [c for c in table.cells]
        self.bbox = table.bbox
        self.xs = _starts([b[0] for b in boxes], tolerance)
        ys = _starts([b[1] for b in boxes], tolerance)
        self.n_rows = len(ys)
        self.cells: list[PlacedCell] = []
        inside = [c for c in chars if _inside(c, self.bbox)]
        for box in sorted(boxes, key=lambda b: (b[1], b[0])):
            row, row_span = _count(ys, box[1], box[3], tolerance)
            col, col_span = _count(self.xs, box[0], box[2], tolerance)
            text = cell_text(extract_text([c for c in inside if _inside(c, box)]))
            self.cells.append(PlacedCell(row, col, text, row_span, col_span))

    def continues(self, other: _Table, tolerance: float) -> bool:
        """True when ``other`` has the same columns (a table carried over a page break)."""
        return len(self.xs) == len(other.xs) and all(abs(a - b) <= tolerance for a, b in zip(self.xs, other.xs))


def _open(path: Path):
    import pdfplumber

    try:
        return pdfplumber.open(str(path))
    except Exception as exc:
        raise ReadError(_explain(path, exc)) from None


def _explain(path: Path, exc: Exception) -> str:
    kind = type(exc).__name__
    if "Password" in kind or "Encrypt" in kind or "password" in str(exc).lower():
        return f"{path}: the PDF is encrypted (password-protected); save an unprotected copy first"
    return f"{path}: not a readable PDF (corrupt or truncated: {kind}{': ' + str(exc) if str(exc) else ''})"


def read(path: Path, data: bytes, sha256: str) -> SourceDocument:
    """Every page: text bands and ruled tables, top to bottom."""
    from pdfplumber.table import DEFAULT_SNAP_TOLERANCE
    from pdfplumber.utils.text import extract_text

    # pdfminer logs a warning for every font without a bounding box; they are harmless here.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    out = DocumentBuilder(path.name, NAME, sha256)
    any_text = any_image = False
    last: tuple[_Table, int] | None = None  # the previous page's closing table and its index
    try:
        with _open(path) as pdf:
            for number, page in enumerate(pdf.pages, 1):
                chars = _align_lines(page.dedupe_chars().chars)
                any_text = any_text or any(c["text"].strip() for c in chars)
                any_image = any_image or bool(page.images)
                tables = sorted((_Table(t, chars, DEFAULT_SNAP_TOLERANCE) for t in page.find_tables()),
                                key=lambda t: t.bbox[1])
                outside = [c for c in chars if not any(_inside(c, t.bbox) for t in tables)]
                edges = [0.0] + [y for t in tables for y in (t.bbox[1], t.bbox[3])] + [float(page.height)]
                line = 1
                # Layout text starts at the page's text margin: indentation within it is kept.
                left = min((c["x0"] for c in outside), default=0.0)
                between: list[SourceRow] = []
                for i in range(len(tables) + 1):
                    top, bottom = edges[2 * i], edges[2 * i + 1]
                    band = [c for c in outside if top <= (c["top"] + c["bottom"]) / 2 < bottom]
                    mark = len(out.doc.rows)
                    if band:
                        text = extract_text(band, layout=True, layout_bbox=(left, top, page.width, bottom))
                        line = out.layout_text(text, f"page {number}", line)
                    between += out.doc.rows[mark:]
                    if i == len(tables):
                        break
                    table = tables[i]
                    furniture_only = all(_FURNITURE.match(r.text) for r in between)
                    if (i == 0 and last is not None and furniture_only
                            and last[0].continues(table, DEFAULT_SNAP_TOLERANCE)):
                        index = last[1]
                    else:
                        index = out.new_table()
                    out.rows(grid_rows(table.cells, table.n_rows, index,
                                       lambda r, c, n=number, t=i: f"page {n} table {t + 1} r{r + 1}c{c + 1}"))  # type: ignore[misc]
                    between = []
                    last = (table, index)
                if between and not all(_FURNITURE.match(r.text) for r in between):
                    last = None  # text after the page's last table: the next page starts afresh
    except ReadError:
        raise
    except Exception as exc:  # pdfminer raises many kinds of error on broken files
        raise ReadError(_explain(path, exc)) from None
    if not any_text:
        if any_image:
            raise ReadError(f"{path}: a scanned PDF (pages are images, no text layer); OCR is out of scope: "
                            "run OCR first (e.g. ocrmypdf) and read the result")
        raise ReadError(f"{path}: the PDF has no text")
    return out.doc
