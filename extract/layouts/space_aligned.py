"""Layout family: cells aligned by runs of spaces (``pdftotext -layout``), including outline trees.

Cells are runs of text separated by two or more spaces. Where the header names the level
columns, a cell belongs to the header column nearest its start offset. Where it does not
(an outline tree under "绩效指标  指标值"), the indentation depth gives the level: the
shallowest labels are level 1, the next level 2, and the deepest lines are indicators.
"""
from __future__ import annotations

import re
import unicodedata

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


def split_cells(line: str, display: bool = False) -> list[Cell]:
    """Cells with their start offset, in characters or (``display``) in display columns, where a
    Chinese character is two: converters align by one or the other."""
    line = line.replace("\t", "  ")
    cells = [(m.start(), m.group(0)) for m in _CELL.finditer(line)]
    if display:
        cells = [(_display_width(line[:start]), text) for start, text in cells]
    return cells


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def column_measure(header_lines: list[str], body: list[str]) -> tuple[list[int], bool] | None:
    """Column starts and the offset measure (characters or display columns) under which the body
    cells line up with the header cells; None when they line up under neither."""
    best = None
    for display in (False, True):
        offsets = sorted({o for line in header_lines for o, _ in split_cells(line, display)})
        starts = [o for k, o in enumerate(offsets) if k == 0 or o - offsets[k - 1] > 2]
        distances = sorted(min(abs(s - o) for s in starts) for line in body for o, _ in split_cells(line, display))
        median = distances[len(distances) // 2] if distances else 99
        if median <= 2 and (best is None or median < best[0]):
            best = (median, starts, display)
    return None if best is None else (best[1], best[2])


def place_cells(line: str, starts: list[int], display: bool) -> list[str]:
    """The line's cells under the nearest column start; a second cell under one column goes right of it."""
    placed: dict[int, str] = {}
    for offset, text in split_cells(line, display):
        col = min(range(len(starts)), key=lambda k: abs(starts[k] - offset))
        while col in placed:
            col += 1
        placed[col] = text
    return [placed.get(k, "") for k in range(max(placed, default=-1) + 1)]


def detect(block: TableBlock) -> float:
    line = block.lines[block.header]
    if "\t" in line or "|" in line:
        return 0.0
    cells = split_cells(line)
    roles = [header_role(t) for _, t in cells]
    return 0.75 if len(cells) >= 2 and all(roles) else 0.0


def _column_rows(body: list[tuple[int, str]], header_line: str) -> list[tuple[int, list[str]]]:
    """Rows of cells placed under the header column nearest their start offset.

    Where the text is not aligned at all (cells merely separated by runs of spaces), offsets say
    nothing and cells keep their order instead; the row grammar places them by content.
    """
    measure = column_measure([header_line], [line for _, line in body])
    if measure is None:
        return [(n, [text for _, text in split_cells(line)]) for n, line in body]
    starts, display = measure
    return [(n, place_cells(line, starts, display)) for n, line in body]


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
        columns, rows = roles, _column_rows(body, block.lines[block.header])
    else:
        columns, rows = ColumnRoles(["level1", "level2", "level3", "value"]), _outline_rows(body)
        project.flags.append(Flag("levels_from_indentation", "levels read from the outline's indentation",
                                  block.header + 1))
    grammar = read_indicator_rows(rows, columns)
    project.indicators, project.flags = grammar.indicators, project.flags + grammar.flags
    return LayoutResult([project])
