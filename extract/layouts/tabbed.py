"""Layout family: tab-separated tables (cells split on tabs, merged cells blank or shifted)."""
from __future__ import annotations

from extract.layouts.base import DocumentContext, LayoutResult, parse_rows
from extract.segment import TableBlock

NAME = "tabbed"
DESCRIPTION = "tab-separated cells; blank or shifted merged cells and lost values are repaired by the row grammar"


def split_cells(line: str) -> list[str]:
    return line.split("\t")


def detect(block: TableBlock) -> float:
    header = block.lines[block.header]
    if "\t" not in header or header.lstrip().startswith("|"):
        return 0.0
    return 0.6 + 0.1 * min(header.count("\t"), 4)


def parse(block: TableBlock, context: DocumentContext) -> LayoutResult:
    rows = [(n, split_cells(t)) for n, t in block.text_lines()]
    return parse_rows(block, rows, split_cells(block.lines[block.header]), context, NAME)
