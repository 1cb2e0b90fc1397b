"""Layout family: the wide project summary table (项目绩效目标汇总表), many projects in one table.

Each project row starts with a code, a name and budget columns, then one (三级指标, 指标值)
column pair per level-1 group (the column model comes from ``extract.summary_header``);
further indicators of a project continue on the lines below with blank leading cells.
Converters shift cells (mostly one column left) and insert blank lines at page breaks, so a
line's cells are not read by position alone: they are aligned to the header's group columns
by the best monotone assignment, weighing what a cell says (a value, a name, a level-2 label)
against where it sits relative to the shift of the project's first line, and the rule that
a group's cells fill its column from the top (a group that has stopped does not restart
further down). Rows without indicators (unit subtotals) are flagged, not made projects.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from extract.grammar import clean_level3
from extract.layouts.base import DocumentContext, LayoutResult
from extract.project_header import parse_amount
from extract.records import Flag, Indicator, Project
from extract.segment import TableBlock
from extract.summary_header import SummaryHeader, column_role, group_label, read_summary_header
from extract.target_values import looks_like_value, parse_target_value
from extract.text_normalise import compact
from extract.vocabulary import clean_label, header_role, standard_level1, standard_level2, standard_parent

NAME = "wide_summary"
DESCRIPTION = ("wide summary table (项目绩效目标汇总表): rows of projects, a (三级指标, 指标值) column "
               "pair per level-1 group; shifted cells, page breaks and wrapped names repaired")

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{2,}$")
_SEPARATOR_CELL = re.compile(r"^[-:=—|]+$")
_PLACEHOLDER = re.compile(r"^[-—/／]+$")  # an empty budget figure
_ROW_NUMBER = re.compile(r"^\d{1,3}[.、]?$")  # a 序号 cell, not part of a name
# Alignment weights: what a cell says against where it sits (see module docstring).
_COLUMN_MISS = 1.5     # per column between a cell and its slot's column (after the line's shift)
_SHIFT_AWAY = 0.6      # per column of line shift away from the shift of the project's first line
_SHIFTED = 0.4         # per column of line shift away from the header
_RIGHT_SHIFT = 0.3     # converters drop cells, so right shifts are rarer than left ones
_SKIP_CELL = -5.0      # a cell left out of every slot (flagged)
_STOPPED_GROUP = -6.0  # a cell in a group that had cells above but none on the previous line
_NEW_GROUP = -1.0      # a cell in a group first seen below the project's first line
_SHIFTS = (-2, -1, 0, 1, 2)
_GOAL = -1  # the group number of the goal column's slot


def detect(block: TableBlock) -> float:
    header = read_summary_header(block)
    if header is None:
        return 0.0
    # Several 三级指标 columns beat any single-table layout (tabbed scores at most 1.0).
    return 1.5 if any(g.level1 for g in header.groups) else 1.2


@dataclass
class _Entry:
    group: int
    line: int
    name: str
    value: str
    level2: str | None


@dataclass
class _Draft:
    """A project while its lines are read."""

    line: int
    code: str | None
    name: list[str]
    amounts: dict[str, list[float]]
    last_line: int
    goal: list[str] = field(default_factory=list)
    shift: int = 0
    entries: list[_Entry] = field(default_factory=list)
    seen: set[int] = field(default_factory=set)  # groups with cells so far
    previous: set[int] = field(default_factory=set)  # groups with cells on the previous content line
    level2: dict[int, str] = field(default_factory=dict)  # level-2 label in force per group (merged cells)
    content_lines: int = 0
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
            _read_groups(draft, _first_line_cells(cells, header), header, line_no)
            continue
        if not drafts:
            result.flags.append(Flag("unplaced_row", "summary-table line before the first project", line_no,
                                     " | ".join(compact(c) for _, c in cells)))
            continue
        current = drafts[-1]
        ident = _identity_cells(cells, header)
        if ident and current.content_lines <= 1 and current.last_line == line_no - 1:
            current.name.extend(c for _, c in ident)  # the project name wrapped onto this line
            current.last_line = line_no
        elif ident:
            current.flags.append(Flag("unplaced_cell", "text in the code/name columns below a project", line_no,
                                      " | ".join(compact(c) for _, c in ident)))
        _read_groups(current, [(i, c) for i, c in cells if i > header.identity_end], header, line_no)
    for draft in drafts:
        if draft.entries:
            result.projects.append(_build(draft, header))
        else:
            result.flags.append(Flag("summary_row_skipped", "summary row without indicators (a subtotal or unit "
                                     "row) is not a project", draft.line, " ".join(filter(None, [draft.code, *draft.name]))))
    return result


def _is_header_repeat(cells: list[tuple[int, str]]) -> bool:
    """A header line repeated after a page break: header words only, no value."""
    if any(looks_like_value(c) for _, c in cells):
        return False
    words = sum(1 for _, c in cells if header_role(c) is not None or group_label(c)
                or (len(compact(c)) <= 12 and column_role(c)))
    return words >= 2 and words * 2 >= len(cells)


def _start_project(cells: list[tuple[int, str]], header: SummaryHeader, line_no: int, unit: str) -> _Draft | None:
    """A new project where the identity columns print a code, or a name beside budget amounts."""
    ident = _identity_cells(cells, header)
    if not ident:
        return None
    code_cols = header.columns("code")
    # The code: a code-like cell, preferably in a code column (a shifted row puts it next to it).
    codes = sorted((i not in code_cols, i, compact(c)) for i, c in ident
                   if code_cols and _CODE.match(compact(c)) and sum(ch.isdigit() for ch in compact(c)) >= 3)
    _, code_at, code = codes[0] if codes else (None, None, None)
    budget = [(i, t) for i, t in _budget_cells(cells, header) if not _PLACEHOLDER.match(compact(t))]
    no_budget_columns = not any(r.startswith("budget") for r in header.roles.values())
    if code is None and not budget and not (no_budget_columns and not code_cols):
        return None
    names = [c for i, c in ident if i != code_at and not _ROW_NUMBER.match(compact(c))]
    amounts: dict[str, list[float]] = {}
    budget_cols = [c for c in sorted(header.roles) if header.roles[c].startswith("budget")]
    by_position = all(header.roles.get(i, "").startswith("budget") for i, _ in budget)
    for k, (i, text) in enumerate(budget):
        col = i if by_position else (budget_cols[k] if k < len(budget_cols) else None)
        if col is not None:
            amounts.setdefault(header.roles[col], []).append(parse_amount(text, unit))
    return _Draft(line_no, code, names, amounts, last_line=line_no)


def _identity_cells(cells: list[tuple[int, str]], header: SummaryHeader) -> list[tuple[int, str]]:
    """The cells in the code and name columns (a 序号 column left out)."""
    index_cols = set(header.columns("index"))
    return [(i, c) for i, c in cells if i <= header.identity_end and i not in index_cols]


def _budget_cells(cells: list[tuple[int, str]], header: SummaryHeader) -> list[tuple[int, str]]:
    """Amount (or placeholder) cells right of the identity columns, left of the first group."""
    out = []
    for i, text in cells:
        if i <= header.identity_end:
            continue
        if i >= header.first_group_col or (parse_amount(text) is None and not _PLACEHOLDER.match(compact(text))):
            break
        out.append((i, text))
    return out


def _first_line_cells(cells: list[tuple[int, str]], header: SummaryHeader) -> list[tuple[int, str]]:
    """The goal and group cells of a project's first line (identity and budget cells taken out)."""
    budget = {i for i, _ in _budget_cells(cells, header)}
    return [(i, text) for i, text in cells if i > header.identity_end and i not in budget]


def _content_fit(text: str, role: str) -> float:
    """How well a cell's text fits a column role, whatever its position."""
    t = compact(text)
    if role == "value":
        return 3.0 if looks_like_value(t) else (1.0 if len(t) <= 4 else (-2.0 if len(t) > 10 else 0.0))
    if role == "goal":  # a sentence, not a name or a value
        return -5.0 if looks_like_value(t) else (2.0 if len(t) >= 12 or re.search(r"[，。；,;]", t) else -2.0)
    if role == "level2":
        return 4.0 if standard_level2(t) else (-5.0 if looks_like_value(t) or standard_level1(t) else -1.0)
    if looks_like_value(t):
        return -4.0
    return -2.0 if standard_level2(t) else (-1.0 if len(t) <= 2 else 1.0)


def _read_groups(draft: _Draft, cells: list[tuple[int, str]], header: SummaryHeader, line_no: int) -> None:
    """Align a line's group cells to the header's slots and record the indicators it holds."""
    if not cells:
        return
    first_line = draft.content_lines == 0
    slots = [(col, role, g) for g, group in enumerate(header.groups) for col, role in group.slots()]
    slots[:0] = [(col, "goal", _GOAL) for col in header.columns("goal")[:1]]

    def group_fit(group: int) -> float:
        if first_line or group == _GOAL:
            return 0.0
        if group in draft.seen and group not in draft.previous:
            return _STOPPED_GROUP
        return 0.0 if group in draft.seen else _NEW_GROUP

    best: tuple[float, int, tuple[int | None, ...]] | None = None
    for shift in _SHIFTS:
        prior = (-_SHIFT_AWAY * abs(shift - draft.shift) - _SHIFTED * abs(shift)
                 - (_RIGHT_SHIFT if shift > 0 else 0.0))

        @functools.lru_cache(maxsize=None)
        def place(i: int, first_slot: int) -> tuple[float, tuple[int | None, ...]]:
            """Best score and slots for cells i.. using slots first_slot.. (None: cell left out)."""
            if i == len(cells):
                return 0.0, ()
            pos, text = cells[i]
            tail, rest = place(i + 1, first_slot)
            options = [(tail + _SKIP_CELL, (None, *rest))]
            for k in range(first_slot, len(slots)):
                col, role, group = slots[k]
                score = _content_fit(text, role) - _COLUMN_MISS * abs(col + shift - pos) + group_fit(group)
                tail, rest = place(i + 1, k + 1)
                options.append((score + tail, (k, *rest)))
            return max(options, key=lambda o: o[0])

        score, placed = place(0, 0)
        if best is None or score + prior > best[0]:
            best = (score + prior, shift, placed)
    assert best is not None
    _, shift, placed = best
    if first_line:
        draft.shift = shift
    found: dict[int, dict[str, str]] = {}
    for (_, text), k in zip(cells, placed):
        if k is None:
            draft.flags.append(Flag("unplaced_cell", "cell fits no indicator column of the summary table", line_no,
                                    compact(text)))
            continue
        _, role, group = slots[k]
        if group == _GOAL:
            draft.goal.append(text)
            continue
        found.setdefault(group, {})[role] = text
    for group, parts in sorted(found.items()):
        if "level2" in parts:
            draft.level2[group] = clean_label(parts["level2"])
        if not compact(parts.get("name")):
            if "value" in parts:
                draft.flags.append(Flag("value_without_name", "a value with no indicator name beside it", line_no,
                                        compact(parts["value"])))
            continue
        draft.entries.append(_Entry(group, line_no, parts["name"], parts.get("value", ""), draft.level2.get(group)))
    draft.previous = set(found)
    draft.seen |= set(found)
    draft.content_lines += 1
    draft.last_line = line_no


def _build(draft: _Draft, header: SummaryHeader) -> Project:
    def amount(role: str) -> float | None:
        values = [v for v in draft.amounts.get(role, []) if v is not None]
        return round(sum(values), 6) if values else None

    name = compact("".join(draft.name))
    project = Project(
        name=name or f"(unnamed project at line {draft.line})", code=draft.code, kind="project",
        budget_total=amount("budget_total"), budget_fiscal=amount("budget_fiscal"),
        budget_other=amount("budget_other"), goal=compact("".join(draft.goal)) or None,
        flags=draft.flags, span=(draft.line, draft.last_line), layout=NAME,
    )
    if not name:
        project.flags.append(Flag("name_missing", "no project name printed on the project's row", draft.line))
    for entry in sorted(draft.entries, key=lambda e: (e.group, e.line)):
        group = header.groups[entry.group]
        level2 = entry.level2 or group.level2
        level1 = group.level1 or (standard_parent(level2) if level2 else None)
        target = parse_target_value(entry.value or None)
        ind = Indicator(level1=level1, level2=level2, level3=clean_level3(entry.name), value=target.value,
                        op=target.op, num=target.num, unit=target.unit, span=(entry.line, entry.line))
        if target.value is None:
            ind.flags.append(Flag("value_missing", "no target value beside this indicator", entry.line))
        if level1 is None:
            ind.flags.append(Flag("level1_missing", "no level-1 group named above this column group", entry.line))
        project.indicators.append(ind)
    return project
