"""Layout family: the wide project summary table (项目绩效目标汇总表), many projects in one table.

Each project row starts with a code, a name and budget columns, then one (三级指标, 指标值) pair of
columns per level-1 group (成本指标 / 产出指标 / …, named on a header line above the pairs);
further indicators of a project continue on the lines below with blank leading cells. The
header spreads over two or three lines and is read for whatever groups, order and budget
columns it prints. Converters shift cells (mostly one column left) and insert blank lines at
page breaks, so a line's cells are not read by position alone: they are aligned to the
header's pair slots by the best monotone assignment, weighing what a cell says (a value or
a name) against where it sits relative to the shift of the project's first line, and the
rule that a group's cells fill its column from the top (a group that has stopped does not
restart further down).
"""
from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources

from extract.grammar import clean_level3
from extract.layouts import pipe, tabbed
from extract.layouts.base import DocumentContext, LayoutResult
from extract.project_header import parse_amount
from extract.records import Flag, Indicator, Project
from extract.segment import TableBlock
from extract.target_values import looks_like_value, parse_target_value
from extract.text_normalise import compact
from extract.vocabulary import clean_label, framework, header_role, standard_level1, standard_level2, standard_parent

NAME = "wide_summary"
DESCRIPTION = ("wide summary table (项目绩效目标汇总表): one row block per project, a (三级指标, 指标值) "
               "column pair per level-1 group; shifted cells and wrapped names repaired")

_MAX_HEADER_LINES_ABOVE = 2
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{2,}$")
_SEPARATOR_CELL = re.compile(r"^[-:=—|]+$")
_UNIT_IN_HEADER = re.compile(r"[（(](万元|元)[）)]")
_COLUMN_ROLE_ORDER = ("code", "name", "budget_other", "budget_fiscal", "budget_total", "goal")
# Alignment weights: what a cell says against where it sits (see module docstring).
_COLUMN_MISS = 1.5     # per column between a cell and its slot's column (after the line's shift)
_SHIFT_AWAY = 0.6      # per column of line shift away from the shift of the project's first line
_SHIFTED = 0.4         # per column of line shift away from the header
_RIGHT_SHIFT = 0.3     # converters drop cells, so right shifts are rarer than left ones
_SKIP_CELL = -5.0      # a cell left out of every slot (flagged)
_STOPPED_GROUP = -6.0  # a cell in a group that had cells above but none on the previous line
_NEW_GROUP = -1.0      # a cell in a group first seen below the project's first line
_SHIFTS = (-2, -1, 0, 1, 2)


@functools.lru_cache(maxsize=1)
def _column_words() -> dict[str, list[str]]:
    text = resources.files("extract").joinpath("data/summary_columns.json").read_text(encoding="utf-8")
    return {k: v for k, v in json.loads(text).items() if not k.startswith("_")}


def _column_role(text: str) -> str | None:
    """code / name / budget_* / goal for a header cell, by the words of summary_columns.json."""
    t = _UNIT_IN_HEADER.sub("", clean_label(text))
    for role in _COLUMN_ROLE_ORDER:
        if any(w in t for w in _column_words()[role]):
            return role
    return None


def _group_label(text: str) -> tuple[str, str | None] | None:
    """(level1, level2) named by a header cell above a pair, or None for other cells."""
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
    """One (三级指标, 指标值) pair of header columns and the level names printed above it."""

    name_col: int
    value_col: int
    level1: str | None = None
    level2: str | None = None


@dataclass
class SummaryHeader:
    groups: list[ColumnGroup]
    roles: dict[int, str]  # column -> code / name / budget_total / budget_fiscal / budget_other / goal
    split: Callable[[str], list[str]]
    delimiter: str
    amount_unit: str | None = None

    def columns(self, role: str) -> list[int]:
        return sorted(c for c, r in self.roles.items() if r == role)

    @property
    def identity_end(self) -> int:
        """The last column holding the code or the name (left of budgets and pairs)."""
        ids = self.columns("code") + self.columns("name")
        return max(ids) if ids else self.groups[0].name_col - 2


def _splitter(header_line: str) -> tuple[Callable[[str], list[str]], str] | None:
    if header_line.lstrip().startswith("|"):
        return pipe.split_cells, "|"
    if "\t" in header_line:
        return tabbed.split_cells, "\t"
    return None


def read_summary_header(block: TableBlock) -> SummaryHeader | None:
    """The summary table's column model from its header lines; None when the block is not one."""
    found = _splitter(block.lines[block.header])
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
        groups.append(ColumnGroup(col, values[0] if values else col + 1))
    above = _header_lines_above(block, split)
    header_rows = [split(block.lines[i]) for i in above] + [cells]
    if any(header_role(c) in ("level1", "level2") for row in header_rows for c in row):
        return None  # 一级指标 / 二级指标 columns: an ordinary indicator table with twin groups
    _name_groups(groups, [split(block.lines[i]) for i in above])
    roles: dict[int, str] = {}
    unit = None
    for row in header_rows:  # lower lines (sub-columns) overwrite the group cells above them
        for col, text in enumerate(row):
            role = _column_role(text) if compact(text) and col < groups[0].name_col else None
            if role:
                roles[col] = role
                m = _UNIT_IN_HEADER.search(compact(text))
                unit = m.group(1) if m and role.startswith("budget") else unit
    return SummaryHeader(groups, roles, split, delimiter, unit)


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
    """Level names over the pairs: in order when one per pair, else by the nearest column."""
    for row in rows:
        labels = [(col, lab) for col, text in enumerate(row) if (lab := _group_label(text))]
        if not labels:
            continue
        if len(labels) == len(groups):
            chosen = [lab for _, lab in labels]
        else:
            chosen = [None] * len(groups)
            for col, lab in labels:
                k = min(range(len(groups)), key=lambda g: (0 if groups[g].name_col <= col <= groups[g].value_col
                                                           else abs(groups[g].name_col - col), g))
                chosen[k] = chosen[k] or lab
        for group, lab in zip(groups, chosen):
            if lab:
                group.level1, group.level2 = lab


def detect(block: TableBlock) -> float:
    header = read_summary_header(block)
    if header is None:
        return 0.0
    # Several 三级指标 columns beat any single-table layout (tabbed scores at most 1.0).
    return 1.5 if any(g.level1 for g in header.groups) else 1.2


@dataclass
class _Draft:
    """A project while its lines are read."""

    line: int
    code: str | None
    name: list[str]
    amounts: dict[str, list[float]]
    goal: list[str] = field(default_factory=list)
    shift: int = 0
    entries: list[tuple[int, int, str, str]] = field(default_factory=list)  # (group, line, name, value)
    seen: set[int] = field(default_factory=set)  # groups with cells so far
    previous: set[int] = field(default_factory=set)  # groups with cells on the previous content line
    content_lines: int = 0
    last_line: int = 0
    flags: list[Flag] = field(default_factory=list)


def parse(block: TableBlock, context: DocumentContext) -> LayoutResult:
    header = read_summary_header(block)
    result = LayoutResult()
    if header is None:
        result.flags.append(Flag("header_unreadable", "summary table header could not be read", block.header + 1))
        return result
    unit = header.amount_unit or context.amount_unit
    drafts: list[_Draft] = []
    for line_no, text in block.text_lines():
        if line_no <= block.header + 1:
            continue
        cells = [(i, c) for i, c in enumerate(header.split(text)) if compact(c)]
        if not cells or all(_SEPARATOR_CELL.match(compact(c)) for _, c in cells) or _is_header_repeat(cells):
            continue
        if header.delimiter not in text:
            break  # prose after the table
        draft = _start_project(cells, header, line_no, unit)
        if draft is not None:
            drafts.append(draft)
            _read_pairs(draft, draft_cells(cells, header, draft), header, line_no)
            continue
        if not drafts:
            result.flags.append(Flag("unplaced_row", "summary-table line before the first project", line_no,
                                     " | ".join(compact(c) for _, c in cells)))
            continue
        current = drafts[-1]
        ident = [(i, c) for i, c in cells if i <= header.identity_end]
        if ident and current.content_lines <= 1 and current.last_line == line_no - 1:
            current.name.extend(c for _, c in ident)  # the project name wrapped onto this line
            current.last_line = line_no
        elif ident:
            current.flags.append(Flag("unplaced_cell", "text in the code/name columns below a project", line_no,
                                      " | ".join(compact(c) for _, c in ident)))
        pairs = [(i, c) for i, c in cells if i > header.identity_end]
        if pairs:
            _read_pairs(current, pairs, header, line_no)
    for draft in drafts:
        if draft.entries:
            result.projects.append(_build(draft, header.groups))
        else:
            result.flags.append(Flag("summary_row_skipped", "summary row without indicators (a subtotal or unit "
                                     "row) is not a project", draft.line, " ".join(filter(None, [draft.code, *draft.name]))))
    return result


def _is_header_repeat(cells: list[tuple[int, str]]) -> bool:
    if any(looks_like_value(c) for _, c in cells):
        return False
    words = sum(1 for _, c in cells if header_role(c) is not None or _group_label(c)
                or (len(compact(c)) <= 12 and _column_role(c)))
    return words >= 2 and words * 2 >= len(cells)


def _start_project(cells: list[tuple[int, str]], header: SummaryHeader, line_no: int, unit: str) -> _Draft | None:
    """A new project where the line prints a code (or a name with budget amounts) in the identity columns."""
    ident = [(i, c) for i, c in cells if i <= header.identity_end]
    if not ident:
        return None
    code_cols = header.columns("code")
    first = compact(ident[0][1])
    code = first if code_cols and _CODE.match(first) and sum(ch.isdigit() for ch in first) >= 3 else None
    budget = _budget_cells(cells, header)
    if code is None and not (budget and not code_cols):
        return None
    names = [c for i, c in ident if not (code is not None and i == ident[0][0])]
    amounts: dict[str, list[float]] = {}
    budget_cols = [c for c in sorted(header.roles) if header.roles[c].startswith("budget")]
    by_position = all(i in header.roles for i, _ in budget)
    for k, (i, text) in enumerate(budget):
        col = i if by_position else (budget_cols[k] if k < len(budget_cols) else None)
        if col is not None and header.roles.get(col, "").startswith("budget"):
            amounts.setdefault(header.roles[col], []).append(parse_amount(text, unit))
    return _Draft(line_no, code, names, amounts, last_line=line_no)


def _budget_cells(cells: list[tuple[int, str]], header: SummaryHeader) -> list[tuple[int, str]]:
    """The amount cells right of the identity columns, left of the first pair."""
    out = []
    for i, text in cells:
        if i <= header.identity_end:
            continue
        if i >= header.groups[0].name_col or parse_amount(text) is None:
            break
        out.append((i, text))
    return out


def draft_cells(cells: list[tuple[int, str]], header: SummaryHeader, draft: _Draft) -> list[tuple[int, str]]:
    """The cells of a project's first line that belong to the pairs (goal text taken out)."""
    budget = {i for i, _ in _budget_cells(cells, header)}
    goal_cols = header.columns("goal")
    out = []
    for i, text in cells:
        if i <= header.identity_end or i in budget:
            continue
        if goal_cols and abs(i - goal_cols[0]) <= 1 and i < header.groups[0].name_col and not looks_like_value(text):
            draft.goal.append(text)
            continue
        out.append((i, text))
    return out


def _content_fit(text: str, is_value: bool) -> float:
    t = compact(text)
    if is_value:
        return 3.0 if looks_like_value(t) else (1.0 if len(t) <= 4 else (-2.0 if len(t) > 10 else 0.0))
    return -4.0 if looks_like_value(t) else (-1.0 if len(t) <= 2 else 1.0)


def _read_pairs(draft: _Draft, cells: list[tuple[int, str]], header: SummaryHeader, line_no: int) -> None:
    """Align a line's pair cells to the group slots and record the indicators it holds."""
    if not cells:
        return
    first_line = draft.content_lines == 0
    slot_cols = [c for g in header.groups for c in (g.name_col, g.value_col)]

    def group_fit(group: int) -> float:
        if first_line:
            return 0.0
        if group in draft.seen and group not in draft.previous:
            return _STOPPED_GROUP
        return 0.0 if group in draft.seen else _NEW_GROUP

    best: tuple[float, int, list[int | None]] | None = None
    for shift in _SHIFTS:
        prior = (-_SHIFT_AWAY * abs(shift - draft.shift) - _SHIFTED * abs(shift)
                 - (_RIGHT_SHIFT if shift > 0 else 0.0))

        @functools.lru_cache(maxsize=None)
        def place(i: int, slot: int) -> tuple[float, tuple[int | None, ...]]:
            if i == len(cells):
                return 0.0, ()
            pos, text = cells[i]
            skip, rest = place(i + 1, slot)
            options = [(skip + _SKIP_CELL, (None, *rest))]
            for k in range(slot, len(slot_cols)):
                score = (_content_fit(text, k % 2 == 1) - _COLUMN_MISS * abs(slot_cols[k] + shift - pos)
                         + group_fit(k // 2))
                tail, rest = place(i + 1, k + 1)
                options.append((score + tail, (k, *rest)))
            return max(options, key=lambda o: o[0])

        score, slots = place(0, 0)
        if best is None or score + prior > best[0]:
            best = (score + prior, shift, list(slots))
    assert best is not None
    _, shift, slots = best
    if first_line:
        draft.shift = shift
    found: dict[int, list[str]] = {}
    for (pos, text), slot in zip(cells, slots):
        if slot is None:
            draft.flags.append(Flag("unplaced_cell", "cell fits no indicator column of the summary table", line_no,
                                    compact(text)))
            continue
        found.setdefault(slot // 2, ["", ""])[slot % 2] = text
    for group, (name, value) in sorted(found.items()):
        if not compact(name):
            draft.flags.append(Flag("value_without_name", "a value with no indicator name beside it", line_no,
                                    compact(value)))
            continue
        draft.entries.append((group, line_no, name, value))
    draft.previous = set(found)
    draft.seen |= set(found)
    draft.content_lines += 1
    draft.last_line = line_no


def _build(draft: _Draft, groups: list[ColumnGroup]) -> Project:
    def amount(role: str) -> float | None:
        values = [v for v in draft.amounts.get(role, []) if v is not None]
        return round(sum(values), 6) if values else None

    project = Project(
        name=compact("".join(draft.name)) or f"(unnamed project at line {draft.line})", code=draft.code,
        kind="project", budget_total=amount("budget_total"), budget_fiscal=amount("budget_fiscal"),
        budget_other=amount("budget_other"), goal=compact("".join(draft.goal)) or None,
        flags=draft.flags, span=(draft.line, draft.last_line), layout=NAME,
    )
    if not compact("".join(draft.name)):
        project.flags.append(Flag("name_missing", "no project name printed on the project's row", draft.line))
    for group, line_no, name, value in sorted(draft.entries, key=lambda e: (e[0], e[1])):
        target = parse_target_value(value or None)
        ind = Indicator(level1=groups[group].level1, level2=groups[group].level2, level3=clean_level3(name),
                        value=target.value, op=target.op, num=target.num, unit=target.unit, span=(line_no, line_no))
        if target.value is None:
            ind.flags.append(Flag("value_missing", "no target value beside this indicator", line_no))
        if ind.level1 is None:
            ind.flags.append(Flag("level1_missing", "no level-1 group named above this column pair", line_no))
        project.indicators.append(ind)
    return project

