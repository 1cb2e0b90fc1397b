"""The source model: what every reader hands to the cell splitters, whatever the container.

A document is a list of :class:`SourceRow`. A row of a text file is one printed line, still to
be cut into cells by the text splitters (``grid=False``, a single cell). A row of a container's
table (XLSX, XLS, DOCX, HTML, PDF) is already cut: its cells are the grid's cells, in column
order, each with the position it came from (``grid=True``). A merged cell appears once, at its
top-left position, with its spans; the positions it covers are not repeated, exactly as a
text rendering prints a merged cell once.

>>> doc = SourceDocument.from_text("t.txt", "一级指标\\t三级指标\\n产出指标\\t培训人数")
>>> [r.cells[0].where for r in doc.rows]
['line 1', 'line 2']
>>> doc.as_lines()
['一级指标\\t三级指标', '产出指标\\t培训人数']
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SourceCell:
    text: str
    where: str  # "line 12", "Sheet1!B4", "table 2 r3c1", "page 2 table 1 r3c4"
    col: int = 0  # grid column (0 for a text line)
    row_span: int = 1
    col_span: int = 1


@dataclass
class SourceRow:
    cells: list[SourceCell]
    grid: bool = False  # True: cells come from a container's table grid (already cut)
    table: int | None = None  # index of the grid table in the document, for grid rows

    @property
    def text(self) -> str:
        """The row as one text line: grid cells joined by tabs (tabs and breaks inside a cell become spaces)."""
        if not self.grid:
            return self.cells[0].text if self.cells else ""
        return "\t".join(c.text.replace("\t", " ").replace("\n", " ") for c in self.cells)


@dataclass
class SourceDocument:
    name: str
    rows: list[SourceRow] = field(default_factory=list)
    sha256: str | None = None
    container: str = "text"  # "text", "html", "xlsx", "xls", "docx", "pdf"
    flags: list = field(default_factory=list)  # the reader's ``Flag``s: replaced bytes, cut lines, clamped spans

    @classmethod
    def from_text(cls, name: str, text: str, sha256: str | None = None, container: str = "text") -> SourceDocument:
        rows = [SourceRow([SourceCell(line, f"line {n}")]) for n, line in enumerate(text.split("\n"), 1)]
        return cls(name=name, rows=rows, sha256=sha256, container=container)

    def as_lines(self) -> list[str]:
        """Every row as one text line (grid cells joined by tabs)."""
        return [row.text for row in self.rows]
