"""PDF reader: a born-digital PDF's ruled tables as grids, its other text as layout-preserving text rows (pdfplumber).

Tables are found from their ruling lines; pdfplumber marks a cell covered by a merge as
``None``, so spans are rebuilt from the cell boxes: a cell spans the column (row) starts that
fall inside its box. Text outside ruled tables (cover, titles, 单位：万元, tables drawn without
lines) is pdfplumber's layout-preserving text, so aligned columns stay aligned for the text
splitters.

A table printed over a page break keeps its ruling lines open where the page cuts it (a browser
draws a row's border once, on the page before): where the vertical lines of several columns end
(or start) at one height with no line across, a line is added there, so the rows at the cut are
closed cells. The table then continues on the next page when its outer edges are the same and
only page furniture (page numbers, 续表) stands between: it is one table, its columns the
starts of both parts, and a merged cell of the part before (a level cell merged down) reaches
over the leading cells the next part leaves empty in its first row (the merged text is printed
once, on the page where the merge starts).

A line of a cell's text that ends where the next line's first word would not have fitted is a
wrap, not a break: the two lines are one (CJK joined as printed, Latin words with a space). A
PDF without a text layer is a scan: an error, since OCR is out of scope; encrypted or corrupt
files are errors naming the file.
"""
from __future__ import annotations

import logging
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from perfkg.extract.containers.grid import DocumentBuilder, PlacedCell, cell_text, grid_rows
from perfkg.extract.reader import ReadError
from perfkg.extract.source_model import SourceDocument, SourceRow

NAME = "pdf"
SUFFIXES = (".pdf",)

# Lines a printer adds at page breaks: page numbers (- 3 -, 第3页, 3/12) and 续表 marks.
_FURNITURE = re.compile(r"^[\s\-—–_·.第页共/|（）()\d续表]*$")
# Characters a line may not start with (closing punctuation) or end with (opening brackets):
# a wrap moves them with their neighbour, so they count in the width of the next line's first word.
_NO_START = frozenset("，。、；：？！）》」』】〕”’,.;:?!)]}%‰·…")
_NO_END = frozenset("（《「『【〔“‘([{")


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


# ---------------------------------------------------------------- ruling lines cut by a page break


def _closing_lines(edges: list[dict], tolerance: float) -> list[dict]:
    """Horizontal lines where the vertical rulings of two or more columns end (or start) at one
    height: the open top or bottom of a table cut by a page break. Where the line is drawn
    already, the added one is the same line and changes nothing."""
    by_x: list[list[dict]] = []
    for e in sorted((e for e in edges if e["orientation"] == "v"), key=lambda e: e["x0"]):
        if by_x and e["x0"] - by_x[-1][0]["x0"] <= tolerance:
            by_x[-1].append(e)
        else:
            by_x.append([e])
    ends: list[tuple[float, float]] = []  # (y, x) of the ends of each vertical ruling
    for group in by_x:
        x = group[0]["x0"]
        top = bottom = None
        for e in sorted(group, key=lambda e: e["top"]):
            if bottom is not None and e["top"] <= bottom + tolerance:
                bottom = max(bottom, e["bottom"])
                continue
            if top is not None and bottom is not None:
                ends += [(top, x), (bottom, x)]
            top, bottom = e["top"], e["bottom"]
        if top is not None and bottom is not None:
            ends += [(top, x), (bottom, x)]
    lines: list[dict] = []
    run: list[tuple[float, float]] = []

    def close() -> None:
        xs = [x for _, x in run]
        if len(_starts(xs, tolerance)) >= 2:
            y = sum(y for y, _ in run) / len(run)
            lines.append({"object_type": "line", "x0": min(xs), "x1": max(xs), "top": y, "bottom": y,
                          "width": max(xs) - min(xs), "height": 0.0})

    for y, x in sorted(ends):
        if run and y - run[0][0] > tolerance:
            close()
            run = []
        run.append((y, x))
    if run:
        close()
    return lines


# ---------------------------------------------------------------- a cell's text


def _is_wide(ch: str) -> bool:
    """CJK ideographs, kana, full-width forms and CJK punctuation: a line may break around each."""
    o = ord(ch)
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFE30 <= o <= 0xFE4F or 0xFF00 <= o <= 0xFFEF


def _first_word(line: list[dict]) -> float:
    """The width of what a wrap must have carried to this line: its first word (one wide
    character, or a run of narrow ones), with the punctuation that may not start a line after it
    and, after an opening bracket, the word it opens."""
    end = 0
    while True:
        if not _is_wide(line[end]["text"]):
            while (end + 1 < len(line) and not _is_wide(line[end + 1]["text"])
                   and line[end + 1]["x0"] - line[end]["x1"] < 0.2 * (line[end]["size"] or 1)):
                end += 1
        while end + 1 < len(line) and line[end + 1]["text"] in _NO_START:
            end += 1
        if line[end]["text"] in _NO_END and end + 1 < len(line):
            end += 1
            continue
        return line[end]["x1"] - line[0]["x0"]


def _join(before: str, after: str) -> str:
    if not before or not after:
        return before + after
    glue = "" if (_is_wide(before[-1]) or _is_wide(after[0]) or before[-1] in "-/") else " "
    return before + glue + after


def _box_text(lines: list[list[dict]], box: tuple[float, float, float, float]) -> str:
    """The text of a cell from its lines of characters (each sorted left to right): a line that
    ends closer to the cell's right inset than the next line's first word is wide is wrapped. The
    cell's inset is the least left inset of its lines (a wrapped line starts at it), taken as the
    right one too."""
    from pdfplumber.utils.text import extract_text

    ink = [[c for c in line if c["text"].strip()] for line in lines]
    lines, ink = [line for line, i in zip(lines, ink) if i], [i for i in ink if i]
    inset = max(0.0, min((i[0]["x0"] - box[0] for i in ink), default=0.0))
    out = ""
    for n, (line, chars) in enumerate(zip(lines, ink)):
        text = cell_text(extract_text(line))
        if n and out:
            room = (box[2] - inset) - ink[n - 1][-1]["x1"]
            wrapped = _first_word(chars) > room - 0.1 * (chars[0]["size"] or 1)
            out = _join(out, text) if wrapped else out + "\n" + text
        else:
            out = text
    return out


# ---------------------------------------------------------------- tables


@dataclass
class _Part:
    """The part of a table on one page: its cell boxes with their text."""

    page: int
    index: int  # the table's number on its page (0-based)
    bbox: tuple[float, float, float, float]
    boxes: list[tuple[tuple[float, float, float, float], str]]
    tolerance: float
    first_on_page: bool = False
    last_on_page: bool = False
    ys: list[float] = field(default_factory=list)

    @classmethod
    def of(cls, table, chars: list[dict], page: int, index: int, tolerance: float) -> _Part:
        inside = [c for c in chars if _inside(c, table.bbox)]
        texts: list[tuple[tuple[float, float, float, float], str]] = []
        for box in table.cells:
            mine = sorted((c for c in inside if _inside(c, box)), key=lambda c: (c["top"], c["x0"]))
            lines: list[list[dict]] = []
            for c in mine:
                if lines and c["top"] == lines[-1][0]["top"]:
                    lines[-1].append(c)
                else:
                    lines.append([c])
            texts.append((box, _box_text(lines, box)))
        return cls(page, index, table.bbox, texts, tolerance, ys=_starts([b[1] for b in table.cells], tolerance))

    @property
    def xs(self) -> list[float]:
        return _starts([b[0] for b, _ in self.boxes], self.tolerance)

    def continues(self, other: _Part) -> bool:
        """True when ``other`` (the next page's first table) carries this one on: the same outer
        edges, and the column starts of one among the other's."""
        t = self.tolerance
        if abs(self.bbox[0] - other.bbox[0]) > t or abs(self.bbox[2] - other.bbox[2]) > t:
            return False
        few, many = sorted((self.xs, other.xs), key=len)
        return all(abs(many[min(bisect_left(many, x), len(many) - 1)] - x) <= t
                   or abs(many[max(bisect_left(many, x) - 1, 0)] - x) <= t for x in few)

    def cells(self, xs: list[float], first_row: int) -> list[PlacedCell]:
        t = self.tolerance
        out = []
        for box, text in sorted(self.boxes, key=lambda b: (b[0][1], b[0][0])):
            row, row_span = _count(self.ys, box[1], box[3], t)
            col, col_span = _count(xs, box[0], box[2], t)
            out.append(PlacedCell(first_row + row, col, text, row_span, col_span))
        return out


def _carry_merges(before: list[PlacedCell], after: list[PlacedCell], row: int) -> list[PlacedCell]:
    """``after`` (the part of a table on the next page, from ``row``) without the leading empty
    cells of its first row that continue a cell of ``before`` reaching its last row at the same
    columns; those cells of ``before`` span the rows the empty ones did."""
    reaching = {(c.col, c.col_span): c for c in before if c.row + c.row_span == row}
    first = sorted((c for c in after if c.row == row), key=lambda c: c.col)
    dropped: set[int] = set()
    for c in first:
        above = reaching.get((c.col, c.col_span))
        if c.text or above is None:
            break
        above.row_span += c.row_span
        dropped.add(id(c))
    return [c for c in after if id(c) not in dropped]


def _emit(out: DocumentBuilder, parts: list[_Part], index: int) -> list[list[SourceRow]]:
    """The grid rows of one table printed in ``parts`` (one per page), part by part."""
    xs = _starts([x for p in parts for x in p.xs], parts[0].tolerance)
    offsets = [0]
    for p in parts:
        offsets.append(offsets[-1] + len(p.ys))
    cells: list[PlacedCell] = []
    for k, p in enumerate(parts):
        mine = p.cells(xs, offsets[k])
        cells += _carry_merges(cells, mine, offsets[k]) if k else mine

    def where(r: int, c: int) -> str:
        k = bisect_right(offsets, r) - 1
        return f"page {parts[k].page} table {parts[k].index + 1} r{r - offsets[k] + 1}c{c + 1}"

    rows = grid_rows(cells, offsets[-1], index, where)
    return [rows[offsets[k]:offsets[k + 1]] for k in range(len(parts))]


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
    items: list[list[SourceRow] | _Part] = []  # text rows and table parts, in reading order
    tol = DEFAULT_SNAP_TOLERANCE
    try:
        with _open(path) as pdf:
            for number, page in enumerate(pdf.pages, 1):
                chars = _align_lines(page.dedupe_chars().chars)
                any_text = any_text or any(c["text"].strip() for c in chars)
                any_image = any_image or bool(page.images)
                settings = {"explicit_horizontal_lines": _closing_lines(page.edges, tol)}
                found = sorted(page.find_tables(settings), key=lambda t: t.bbox[1])
                tables = [_Part.of(t, chars, number, i, tol) for i, t in enumerate(found)]
                outside = [c for c in chars if not any(_inside(c, t.bbox) for t in tables)]
                edges = [0.0] + [y for t in tables for y in (t.bbox[1], t.bbox[3])] + [float(page.height)]
                line = 1
                # Layout text starts at the page's text margin: indentation within it is kept.
                left = min((c["x0"] for c in outside), default=0.0)
                for i in range(len(tables) + 1):
                    top, bottom = edges[2 * i], edges[2 * i + 1]
                    band = [c for c in outside if top <= (c["top"] + c["bottom"]) / 2 < bottom]
                    mark = len(out.doc.rows)
                    if band:
                        text = extract_text(band, layout=True, layout_bbox=(left, top, page.width, bottom))
                        line = out.layout_text(text, f"page {number}", line)
                    rows = out.doc.rows[mark:]
                    del out.doc.rows[mark:]
                    furniture = all(_FURNITURE.match(r.text) for r in rows)
                    if i < len(tables):
                        tables[i].first_on_page = i == 0 and furniture
                    if i == len(tables) and tables:
                        tables[-1].last_on_page = furniture
                    if rows:
                        items.append(rows)
                    if i < len(tables):
                        items.append(tables[i])
    except ReadError:
        raise
    except Exception as exc:  # pdfminer raises many kinds of error on broken files
        raise ReadError(_explain(path, exc)) from None
    if not any_text:
        if any_image:
            raise ReadError(f"{path}: a scanned PDF (pages are images, no text layer); OCR is out of scope: "
                            "run OCR first (e.g. ocrmypdf) and read the result")
        raise ReadError(f"{path}: the PDF has no text")
    _assemble(out, items)
    return out.doc


def _assemble(out: DocumentBuilder, items: list[list[SourceRow] | _Part]) -> None:
    """Table parts joined into tables (a part continuing the previous page's last table, with only
    furniture between, is the same table), then every row in reading order."""
    tables: list[list[_Part]] = []
    last: _Part | None = None
    for item in items:
        if isinstance(item, _Part):
            if (last is not None and last.last_on_page and item.first_on_page and item.page == last.page + 1
                    and last.continues(item)):
                tables[-1].append(item)
            else:
                tables.append([item])
            last = item
        elif not all(_FURNITURE.match(r.text) for r in item):
            last = None
    rows_of: dict[int, list[SourceRow]] = {}
    for parts in tables:
        for part, rows in zip(parts, _emit(out, parts, out.new_table())):
            rows_of[id(part)] = rows
    for item in items:
        out.rows(rows_of[id(item)] if isinstance(item, _Part) else item)
