"""Layout family: cells aligned by runs of spaces (``pdftotext -layout``), including outline trees.

Cells are runs of text separated by two or more spaces. Where the header names the level
columns, a cell belongs to the header column nearest its start offset. Where it does not
(an outline tree under "绩效指标  指标值"), the indentation depth gives the level: the
shallowest labels are level 1, the next level 2, and the deepest lines are indicators.
"""
from __future__ import annotations

import re

from extract.grammar import ColumnRoles, read_indicator_rows
from extract.layouts.base import DocumentContext, LayoutResult, build_project, table_amount_unit
from extract.project_header import read_project_header, split_at_keys
from extract.records import Flag
from extract.segment import TableBlock
from extract.text_normalise import compact
from extract.vocabulary import header_role

NAME = "space_aligned"
DESCRIPTION = "cells separated by runs of spaces; header columns by offset, outline trees by indentation"
_CELL = re.compile(r"\S+(?: \S+)*")

Cell = tuple[int, str]  # (start offset, text)


def split_cells(line: str) -> list[Cell]:
    return [(m.start(), m.group(0)) for m in _CELL.finditer(line.replace("\t", "  "))]


def detect(block: TableBlock) -> float:
    line = block.lines[block.header]
    if "\t" in line or "|" in line:
        return 0.0
    cells = split_cells(line)
    roles = [header_role(t) for _, t in cells]
    return 0.75 if len(cells) >= 2 and all(roles) else 0.0


def _column_rows(body: list[tuple[int, str]], header: list[Cell]) -> list[tuple[int, list[str]]]:
    """Rows of cells placed under the header column nearest their start offset.

    Where the text is not aligned at all (cells merely separated by runs of spaces), offsets say
    nothing and cells keep their order instead; the row grammar places them by content.
    """
    starts = [s for s, _ in header]
    split = [(n, split_cells(line)) for n, line in body]
    distances = [min(abs(s - offset) for s in starts) for _, cells in split for offset, _ in cells]
    aligned = bool(distances) and sorted(distances)[len(distances) // 2] <= 2
    rows = []
    for n, cells in split:
        if not aligned:
            rows.append((n, [text for _, text in cells]))
            continue
        placed: dict[int, str] = {}
        for offset, text in cells:
            col = min(range(len(starts)), key=lambda k: abs(starts[k] - offset))
            while col in placed:  # two cells under one column: the later one sits right of it
                col += 1
            placed[col] = text
        rows.append((n, [placed.get(k, "") for k in range(max(placed, default=-1) + 1)]))
    return rows


def _outline_rows(body: list[tuple[int, str]]) -> list[tuple[int, list[str]]]:
    """Rows [level1, level2, level3, value] from indentation depth."""
    indents = sorted({len(line) - len(line.lstrip(" ")) for _, line in body})
    rows = []
    for n, line in body:
        cells = [t for _, t in split_cells(line)]
        depth = indents.index(len(line) - len(line.lstrip(" ")))
        row = ["", "", "", ""]
        if len(cells) >= 2:
            row[2], row[3] = cells[0], cells[-1]
        elif depth < min(2, len(indents) - 1):
            row[depth] = cells[0]
        else:
            row[2] = cells[0]
        rows.append((n, row))
    return rows


def parse(block: TableBlock, context: DocumentContext) -> LayoutResult:
    header_cells = split_cells(block.lines[block.header])
    roles = ColumnRoles([header_role(t) for _, t in header_cells])
    above = [(n, [c for part in re.split(r"\s{2,}|\t", t.strip()) for c in split_at_keys(part)])
             for n, t in block.text_lines() if n <= block.header and compact(t)]
    header = read_project_header(above, table_amount_unit(block) or context.amount_unit)
    project = build_project(block, header, context, NAME)
    body = [(n, t.rstrip()) for n, t in block.text_lines() if n > block.header + 1 and compact(t)]
    if "level1" in roles.roles or "level2" in roles.roles:
        columns, rows = roles, _column_rows(body, header_cells)
    else:
        columns, rows = ColumnRoles(["level1", "level2", "level3", "value"]), _outline_rows(body)
        project.flags.append(Flag("levels_from_indentation", "levels read from the outline's indentation",
                                  block.header + 1))
    grammar = read_indicator_rows(rows, columns)
    project.indicators, project.flags = grammar.indicators, project.flags + grammar.flags
    return LayoutResult([project])
