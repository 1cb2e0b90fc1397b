"""Layout family: markdown pipe tables (``| a | b |`` rows, ``|---|`` separators)."""
from __future__ import annotations

import re

from extract.layouts.base import DocumentContext, LayoutResult, parse_rows
from extract.segment import TableBlock

NAME = "pipe"
DESCRIPTION = "markdown pipe tables; separator rows skipped, an optional score (评分标准) column"
_SEPARATOR = re.compile(r"^\s*\|?(\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*\|?\s*$|^\s*-{2,}(\s*[|\t]\s*-{2,})+\s*$")


def split_cells(line: str) -> list[str]:
    """Cells of a pipe row; outer pipes are optional (``a | b`` as well as ``| a | b |``)."""
    s = line.strip().replace("｜", "|")
    if s.count("|") < 2 and not s.startswith("|"):
        return [line] if s else []
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    return s.split("|")


def detect(block: TableBlock) -> float:
    header = block.lines[block.header].strip().replace("｜", "|")
    return 0.9 if header.startswith("|") or header.count("|") >= 2 else 0.0


def parse(block: TableBlock, context: DocumentContext) -> LayoutResult:
    rows = [(n, split_cells(t)) for n, t in block.text_lines() if not _SEPARATOR.match(t)]
    return parse_rows(block, rows, split_cells(block.lines[block.header]), context, NAME)
