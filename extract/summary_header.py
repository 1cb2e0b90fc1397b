"""The column model of a wide summary table (项目绩效目标汇总表) read from its header lines.

The header spreads over two or three lines: the lowest names the sub-columns (资金总额 /
政府预算资金 … and one 三级指标 + 指标值 pair per group, optionally with a 二级指标 column in
front), the lines above name the groups (成本指标 / 产出指标 …, or level-2 names) and the
project columns (编码, 名称, 项目金额, 绩效目标). Whatever groups, order and budget columns the
header prints are read from it; the words for project columns are data
(``extract/data/summary_columns.json``).
"""
from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

from extract.layouts import pipe, space_aligned, tabbed
from extract.segment import TableBlock
from extract.text_normalise import compact
from extract.vocabulary import clean_label, framework, header_role, standard_level1, standard_level2, standard_parent

_MAX_HEADER_LINES_ABOVE = 3
_UNIT_IN_HEADER = re.compile(r"[（(](万元|元)[）)]")
_COLUMN_ROLE_ORDER = ("index", "code", "name", "budget_other", "budget_fiscal", "budget_total", "goal")


@functools.lru_cache(maxsize=1)
def _column_words() -> dict[str, list[str]]:
    text = resources.files("extract").joinpath("data/summary_columns.json").read_text(encoding="utf-8")
    return {k: v for k, v in json.loads(text).items() if not k.startswith("_")}


def column_role(text: str) -> str | None:
    """code / name / budget_* / goal for a header cell, by the words of summary_columns.json."""
    t = _UNIT_IN_HEADER.sub("", clean_label(text))
    for role in _COLUMN_ROLE_ORDER:
        if any(w in t for w in _column_words()[role]):
            return role
    return None


def group_label(text: str) -> tuple[str | None, str | None] | None:
    """(level1, level2) named by a header cell above a column group, or None for other cells."""
    t = clean_label(text)
    if not t or header_role(t) is not None or t in framework()["header_words"]["group"]:
        return None
    if standard_level1(t):
        return t, None
    if standard_level2(t):
        return standard_parent(t), t
    if t.endswith("指标") and len(t) <= 10:
        return t, None  # a non-standard level-1 name printed as a group (flagged by checks)
    return None


@dataclass
class ColumnGroup:
    """One group of indicator columns (三级指标, 指标值, maybe 二级指标) and the level names above it."""

    name_col: int
    value_col: int
    level2_col: int | None = None
    level1: str | None = None
    level2: str | None = None

    def slots(self) -> list[tuple[int, str]]:
        """(column, role) of the group's columns, left to right."""
        out = [(self.level2_col, "level2")] if self.level2_col is not None else []
        return out + [(self.name_col, "name"), (self.value_col, "value")]


@dataclass
class SummaryHeader:
    groups: list[ColumnGroup]
    roles: dict[int, str]  # column -> index / code / name / budget_total / budget_fiscal / budget_other / goal
    split: Callable[[str], list[str]]
    delimiter: str
    amount_unit: str | None = None

    def columns(self, role: str) -> list[int]:
        return sorted(c for c, r in self.roles.items() if r == role)

    @property
    def first_group_col(self) -> int:
        return self.groups[0].slots()[0][0]

    @property
    def identity_end(self) -> int:
        """The last column holding the row number, code or name (left of budgets and groups)."""
        ids = self.columns("index") + self.columns("code") + self.columns("name")
        return max(ids) if ids else self.first_group_col - 2


def _splitter(block: TableBlock) -> tuple[Callable[[str], list[str]], str] | None:
    header_line = block.lines[block.header]
    if header_line.lstrip().startswith("|"):
        return pipe.split_cells, "|"
    if "\t" in header_line:
        return tabbed.split_cells, "\t"
    cells = space_aligned.split_cells(header_line)
    if len(cells) >= 4 and sum(header_role(t) == "level3" for _, t in cells) >= 2:
        # Columns aligned by spaces (pdftotext -layout): the header lines' cell starts are the columns.
        top = max(block.start, block.header - _MAX_HEADER_LINES_ABOVE)
        measure = space_aligned.column_measure(block.lines[top:block.header + 1],
                                               block.lines[block.header + 1:block.end])
        if measure is not None:
            starts, display = measure
            return functools.partial(space_aligned.place_cells, starts=starts, display=display), "  "
    return None


def read_summary_header(block: TableBlock) -> SummaryHeader | None:
    """The summary table's column model from its header lines; None when the block is not one."""
    found = _splitter(block)
    if found is None:
        return None
    split, delimiter = found
    cells = split(block.lines[block.header])
    name_cols = [i for i, c in enumerate(cells) if header_role(c) == "level3"]
    if len(name_cols) < 2:
        return None
    groups = []
    for k, col in enumerate(name_cols):
        stop = name_cols[k + 1] if k + 1 < len(name_cols) else len(cells)
        values = [i for i in range(col + 1, stop) if header_role(cells[i]) == "value"]
        level2 = col - 1 if col >= 1 and header_role(cells[col - 1]) == "level2" else None
        groups.append(ColumnGroup(col, values[0] if values else col + 1, level2))
    above = _header_lines_above(block, split)
    header_rows = [split(block.lines[i]) for i in above] + [cells]
    if any(header_role(c) == "level1" for row in header_rows for c in row):
        return None  # an 一级指标 column: an ordinary indicator table (twin 中期/年度 groups)
    _name_groups(groups, header_rows[:-1])
    header = SummaryHeader(groups, {}, split, delimiter)
    for row in header_rows:  # lower lines (sub-columns) overwrite the group cells above them
        for col, text in enumerate(row):
            # Left of the groups only: a 绩效目标 heading over the groups is not a goal column.
            role = column_role(text) if compact(text) and col < header.first_group_col else None
            if role:
                header.roles[col] = role
                m = _UNIT_IN_HEADER.search(compact(text))
                if m and role.startswith("budget"):
                    header.amount_unit = m.group(1)
    return header


def _header_lines_above(block: TableBlock, split: Callable[[str], list[str]]) -> list[int]:
    """The header lines above the 三级指标 line (blank lines skipped), top first."""
    out: list[int] = []
    i = block.header - 1
    while i >= block.start and len(out) < _MAX_HEADER_LINES_ABOVE:
        if not compact(block.lines[i]):
            i -= 1
            continue
        if sum(1 for c in split(block.lines[i]) if compact(c)) < 2:
            break
        out.insert(0, i)
        i -= 1
    return out


def _name_groups(groups: list[ColumnGroup], rows: list[list[str]]) -> None:
    """Level names over the groups: in order when one per group, else by the nearest column."""
    for row in rows:
        labels = [(col, lab) for col, text in enumerate(row) if (lab := group_label(text))]
        if not labels:
            continue
        if len(labels) == len(groups):
            chosen: list[tuple[str | None, str | None] | None] = [lab for _, lab in labels]
        else:
            chosen = [None] * len(groups)
            for col, lab in labels:
                k = min(range(len(groups)), key=lambda g: (_distance(groups[g], col), g))
                chosen[k] = chosen[k] or lab
        for group, lab in zip(groups, chosen):
            if lab:
                group.level1 = lab[0] or group.level1
                group.level2 = lab[1] or group.level2


def _distance(group: ColumnGroup, col: int) -> int:
    first, last = group.slots()[0][0], group.value_col
    return 0 if first <= col <= last else min(abs(first - col), abs(last - col))
