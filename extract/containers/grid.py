"""Grid assembly shared by the container readers: cells with spans to ``SourceRow`` lists, in reading order.

Readers describe each table either with explicit positions (workbooks, PDF boxes, DOCX grid
columns: :class:`PlacedCell`) or as rows of cells that fill the next free columns (HTML:
:func:`place_flowing`). :func:`grid_rows` turns either into grid rows: spans are clipped to the
table, and columns where no cell starts are folded away, so a ``colspan=100000`` costs nothing
and a table is exactly as wide as its cells make it. :class:`DocumentBuilder` collects text rows
and tables in reading order and numbers the tables.
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from perfkg.extract.source_model import SourceCell, SourceDocument, SourceRow


@dataclass
class PlacedCell:
    row: int  # 0-based row in the table
    col: int  # 0-based column (any scale: columns where nothing starts are folded away)
    text: str
    row_span: int = 1
    col_span: int = 1
    where: str | None = None  # the container's own position, if it has one (Sheet1!B4)


@dataclass
class FlowCell:
    text: str
    row_span: int = 1  # 0 = to the end of the table (HTML rowspan="0")
    col_span: int = 1


def place_flowing(rows: list[list[FlowCell]]) -> list[PlacedCell]:
    """Positions of cells that each take the next column not covered from a row above (HTML tables).

    Coverage is kept as column intervals, never as a dense grid, so the work is bounded by the
    number of cells whatever the spans claim.
    """
    placed: list[PlacedCell] = []
    covering: list[tuple[int, int, int]] = []  # (first col, end col, last row covered)
    n_rows = len(rows)
    for r, cells in enumerate(rows):
        covering = [c for c in covering if c[2] >= r]
        col = 0
        for cell in cells:
            col = _next_free(covering, col)
            row_span = n_rows - r if cell.row_span <= 0 else min(cell.row_span, n_rows - r)
            col_span = max(1, cell.col_span)
            placed.append(PlacedCell(r, col, cell.text, row_span, col_span))
            if row_span > 1:
                covering.append((col, col + col_span, r + row_span - 1))
            col += col_span
    return placed


def _next_free(covering: list[tuple[int, int, int]], col: int) -> int:
    moved = True
    while moved:
        moved = False
        for start, end, _ in covering:
            if start <= col < end:
                col, moved = end, True
    return col


def grid_rows(cells: Iterable[PlacedCell], n_rows: int, table: int,
              where: Callable[[int, int], str], fold: bool = True) -> list[SourceRow]:
    """``n_rows`` grid rows of the table numbered ``table``; ``where(row, col)`` names a position
    for cells without their own. ``fold=False`` keeps columns and spans as given (a sheet's
    columns are real even where no cell starts)."""
    cells = sorted(cells, key=lambda c: (c.row, c.col))
    starts = sorted({c.col for c in cells})
    rank = {col: i for i, col in enumerate(starts)}
    rows: list[list[SourceCell]] = [[] for _ in range(n_rows)]
    seen: set[tuple[int, int]] = set()
    for c in cells:
        if not 0 <= c.row < n_rows or (c.row, c.col) in seen:
            continue
        seen.add((c.row, c.col))
        if fold:
            # The columns a cell spans are the cell starts inside it; bisect keeps this O(log n).
            col = rank[c.col]
            col_span = max(1, bisect_left(starts, c.col + c.col_span) - col)
        else:
            col, col_span = c.col, max(1, c.col_span)
        row_span = max(1, min(c.row_span, n_rows - c.row))
        rows[c.row].append(SourceCell(c.text, c.where or where(c.row, col), col, row_span, col_span))
    return [SourceRow(r, grid=True, table=table) for r in rows]


class DocumentBuilder:
    """Text rows and tables of one document, in reading order."""

    def __init__(self, name: str, container: str, sha256: str | None = None) -> None:
        self.doc = SourceDocument(name=name, sha256=sha256, container=container)
        self.tables = 0

    def text(self, text: str, where: str) -> None:
        """Text outside tables: one row per non-blank line."""
        lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
        nonblank = [line for line in lines if line.strip()]
        for n, line in enumerate(nonblank, 1):
            label = where if len(nonblank) == 1 else f"{where} line {n}"
            self.doc.rows.append(SourceRow([SourceCell(line, label)]))

    def layout_text(self, text: str, where: str, first: int = 1) -> int:
        """Layout-preserving text (spaces keep the columns): every line but leading and trailing
        blank ones, numbered from ``first``; returns the next number."""
        lines = text.split("\n")
        while lines and not lines[0].strip():
            lines.pop(0)
        while lines and not lines[-1].strip():
            lines.pop()
        for n, line in enumerate(lines, first):
            self.doc.rows.append(SourceRow([SourceCell(line.rstrip(), f"{where} line {n}")]))
        return first + len(lines)

    def new_table(self) -> int:
        """The index of a new table (0-based; positions print it 1-based)."""
        self.tables += 1
        return self.tables - 1

    def rows(self, rows: list[SourceRow]) -> None:
        self.doc.rows.extend(rows)


def cell_text(text: str) -> str:
    """A cell's printed text: each line's whitespace collapsed, blank lines dropped."""
    lines = (" ".join(line.split()) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def sheet_cells(texts: dict[tuple[int, int], str], merges: Iterable[tuple[int, int, int, int]],
                where: Callable[[int, int], str]) -> tuple[list[PlacedCell], int]:
    """A worksheet's grid: its non-blank cells (``(row, col) → text``) and merged ranges
    (``(first row, first col, last row, last col)``, inclusive) as placed cells, and the row count.

    The table is the box of the sheet's text, widened (lengthened) to an edge that merged ranges
    reach past the text when at least two of them end there (a table's right border shared by
    its rows); a lone merge reaching further (a title merged over all 16384 columns) is clipped.
    Text under a merge but not at its top-left is hidden in the sheet and is left out here too.
    Only cells that exist are visited.
    """
    if not texts:
        return [], 0
    merges = list(merges)
    top, bottom = min(r for r, _ in texts), max(r for r, _ in texts)
    left, right = min(c for _, c in texts), max(c for _, c in texts)
    inside = [m for m in merges if top <= m[0] <= bottom and left <= m[1] <= right]
    right = max([right] + _shared_edges([m[3] for m in inside]))
    bottom = max([bottom] + _shared_edges([m[2] for m in inside]))
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covering: dict[int, list[tuple[int, int]]] = {}  # row → column intervals covered by merges
    for r0, c0, r1, c1 in merges:
        r0, c0, r1, c1 = max(r0, top), max(c0, left), min(r1, bottom), min(c1, right)
        if r0 > r1 or c0 > c1:
            continue
        spans[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
        for r in range(r0, r1 + 1):
            covering.setdefault(r, []).append((c0 + 1 if r == r0 else c0, c1))
    placed: list[PlacedCell] = []
    for (r, c) in sorted(set(texts) | set(spans)):
        if (r, c) not in spans and any(a <= c <= b for a, b in covering.get(r, ())):
            continue
        row_span, col_span = spans.get((r, c), (1, 1))
        placed.append(PlacedCell(r - top, c - left, texts.get((r, c), ""), row_span, col_span, where(r, c)))
    return placed, bottom - top + 1


def _shared_edges(edges: list[int]) -> list[int]:
    """Edges that at least two merged ranges end on."""
    seen: set[int] = set()
    shared = []
    for e in edges:
        if e in seen:
            shared.append(e)
        seen.add(e)
    return shared
