"""Layout family: markdown pipe tables (``| a | b |`` rows, ``|---|`` separators)."""
from __future__ import annotations

import re

from extract.layouts.base import DocumentContext, LayoutResult, parse_rows
from extract.segment import TableBlock

NAME = "pipe"
DESCRIPTION = "markdown pipe tables; separator rows skipped, an optional score (评分标准) column"
_SEPARATOR = re.compile(r"^\s*\|?(\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*\|?\s*$|^\s*-{2,}(\s*[|\t]\s*-{2,})+\s*$")


def split_cells(line: str) -> list[str]:
    s = line.strip()
    if not s.startswith("|"):
        return [line] if s else []
    s = s[1:-1] if s.endswith("|") and len(s) > 1 else s[1:]
    return s.split("|")


def detect(block: TableBlock) -> float:
    return 0.9 if block.lines[block.header].lstrip().startswith("|") else 0.0


def parse(block: TableBlock, context: DocumentContext) -> LayoutResult:
    rows = [(n, split_cells(t)) for n, t in block.text_lines() if not _SEPARATOR.match(t)]
    return parse_rows(block, rows, split_cells(block.lines[block.header]), context, NAME)
