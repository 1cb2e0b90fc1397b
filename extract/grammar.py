"""The indicator-row grammar: rows of cells under a header to indicators.

Shared by every delimited layout (tabs, pipes, one cell per line…). Converters shift cells,
blank merged cells and drop values, so a row is not read by position alone: its non-empty
cells are aligned to the header's column roles by the best-scoring monotone assignment,
where a score weighs what a cell says (a level-1 name, a level-2 name, a target value, a
name) against where it sits. Blank level cells inherit from the rows above (merged cells);
a level-2 label with no level-1 beside it takes its framework parent. A row that cannot be
placed becomes a flag, never silently dropped.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from extract.records import Flag, Indicator
from extract.target_values import looks_like_value, parse_quantity, parse_target_value
from extract.text_normalise import compact
from extract.vocabulary import (
    clean_label, framework, header_role, qualitative_values, standard_level1, standard_level2, standard_parent,
)

Row = tuple[int, list[str]]
# Roles a header column can have; "extra" absorbs cells with no column of their own.
TEXT_ROLES = ("description", "basis", "score")
# How indicator names end (…率, …性, …人数): such a cell is a name, not a qualitative value.
_NAME_END = re.compile(r".{3,}(率|性|度|人数|次数|个数|户数|数量|金额|成本|标准|时间|时限|面积|比例|比重|覆盖面)$")
# A sentence that opens like a target ("不超过…", "达到…", "≥…") is a value, not a name.
_TARGET_WORDING = re.compile(r"^(不超过|不低于|不少于|不高于|不大于|不小于|达到|大于|小于|≥|≤|>|<|=)")
_NUMBERING = re.compile(r"^(指标\d+[:：.、]|\d{1,2}[.、．](?!\d)|[（(]\d{1,2}[）)])")


@dataclass
class ColumnRoles:
    """The role of each header column, by position (None for columns the grammar ignores)."""

    roles: list[str | None]

    @classmethod
    def from_cells(cls, cells: list[str], above: list[list[str]] | None = None) -> ColumnRoles:
        """Roles from the header cells; ``above`` (the rows over the header) tells which of two
        twin column groups (中长期 / 年度) is the annual one, which the records hold."""
        roles: list[str | None] = [header_role(c) for c in cells]
        if "level3" not in roles and "level3_fallback" in roles:
            roles[roles.index("level3_fallback")] = "level3"  # 指标内容 names the indicator here
        roles = [None if r == "level3_fallback" else r for r in roles]
        starts = [i for i, r in enumerate(roles) if r is not None and r == next(x for x in roles if x)]
        if len(starts) >= 2:
            annual = _annual_group(starts, above or [])
            groups = list(zip(starts, starts[1:] + [len(roles)]))
            for k, (a, b) in enumerate(groups):
                if k != annual:
                    roles[a:b] = [("twin_" + r) if r else None for r in roles[a:b]]
        return cls(roles)

    def position(self, role: str) -> int | None:
        return self.roles.index(role) if role in self.roles else None

    @property
    def usable(self) -> bool:
        return "level3" in self.roles


def _annual_group(starts: list[int], above: list[list[str]]) -> int:
    """Index of the column group headed 年度 in the rows above; default the last group."""
    for cells in reversed(above):
        for pos, cell in enumerate(cells):
            t = compact(cell)
            if t.startswith("年度") and not re.search(r"中期|长期|实施期", t):
                return max(k for k, s in enumerate(starts) if s <= pos) if pos >= starts[0] else 0
    return len(starts) - 1


@dataclass
class GrammarResult:
    indicators: list[Indicator] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)


def _is_group_label(text: str) -> bool:
    t = clean_label(text)
    return t in framework()["header_words"]["group"] or t in ("年度绩效指标", "年度指标", "绩效指标") or (
        len(t) <= 8 and t.endswith(("绩效指标", "绩效目标")))


def _cell_score(text: str, role: str, pos: int, col: int | None) -> float:
    """How well a cell fits a role; position agreement adds a little."""
    l1, l2 = standard_level1(text), standard_level2(text)
    t = clean_label(text)
    value_like = looks_like_value(text)
    n = len(t)
    if role == "group":
        s = 3.0 if _is_group_label(text) else -8.0
    elif role == "level1":
        # A bare variant (满意度, 效益) outside the level-1 column is weak evidence: department
        # templates use such words as level-2 names.
        full = t.endswith("指标") or pos == col
        s = (6.0 if full else 1.0) if l1 else (-3.0 if l2 else (-4.0 if value_like or n > 12 else 0.0))
    elif role == "level2":
        s = 6.0 if l2 else ((-2.0 if t.endswith("指标") else 0.0) if l1 else (-4.0 if value_like or n > 16 else 0.0))
    elif role == "level3":
        s = -3.0 if (l1 or l2) else (-6.0 if value_like else (3.0 if _NAME_END.search(t) else 2.0))
        if _TARGET_WORDING.match(t):
            s -= 3.0
    elif role == "value":
        s = 5.0 if value_like else (-4.0 if (l1 or l2) else (
            3.0 if t in qualitative_values() else (-2.0 if _NAME_END.search(t) else (1.0 if n <= 10 else -1.0))))
        if not value_like and _TARGET_WORDING.match(t):
            s += 3.0  # "不超过查实金额的3%": a target written as a sentence
    elif role == "op":
        s = 4.0 if re.fullmatch(r"[≥≤><=＞＜＝≧≦]+|大于等于|小于等于|大于|小于|等于|定性|定量", t) else -3.0
    elif role == "actual":
        s = 2.0 if value_like else (0.0 if n <= 10 else -1.0)
    elif role == "value_type":
        s = 4.0 if re.fullmatch(r"(定量|定性)(指标)?", t) else -3.0
    elif role == "num":
        s = 4.0 if re.fullmatch(r"[\d.,]+%?", t) else -2.0
    elif role == "unit":
        unit_like = n <= 5 and not re.search(r"\d", t) and not (l1 or l2) and t not in qualitative_values()
        s = 3.0 if unit_like else -3.0
    elif role == "score":
        s = 3.0 if re.match(r"^\d+(\.\d+)?", t) else 0.0
    elif role in TEXT_ROLES:
        s = -2.0 if (l1 or l2) else (0.5 if n > 4 else 0.0)
    elif role == "extra":
        s = -3.0
    else:  # twin columns and unknown roles
        s = -0.5
    if col is not None:
        s += 1.5 if pos == col else -0.3 * abs(pos - col)
    return s


def align_row(cells: list[tuple[int, str]], columns: ColumnRoles) -> dict[str, list[str]] | None:
    """Assign each non-empty (position, text) cell to a role; None when no assignment is allowed."""
    # Columns the grammar does not use still hold cells: they are slots of their own.
    roles = [(r or "other", i) for i, r in enumerate(columns.roles)]
    if "group" not in columns.roles:
        # A group label (年度绩效指标) printed in the rows under a header that does not name it.
        roles.insert(0, ("group", None))
    n, m = len(cells), len(roles)
    best, best_score = None, float("-inf")
    extra_slots = max(0, n - m) + 1
    slots = roles + [("extra", None)] * extra_slots
    for combo in itertools.combinations(range(len(slots)), n):
        assigned = [slots[k][0] for k in combo]
        if "value" in assigned and "level3" not in assigned:
            continue
        if "level3" in assigned and looks_like_value(cells[assigned.index("level3")][1]):
            continue
        score = sum(_cell_score(text, slots[k][0], pos, slots[k][1]) for (pos, text), k in zip(cells, combo))
        if score > best_score:
            best, best_score = combo, score
    if best is None:
        return None
    out: dict[str, list[str]] = {}
    for (pos, text), k in zip(cells, best):
        out.setdefault(slots[k][0], []).append(text)
    return out


def clean_level3(text: str) -> str:
    """An indicator name as records keep it: no whitespace, no numbering prefix."""
    return _NUMBERING.sub("", compact(text))


def _compose_value(parts: dict[str, list[str]]) -> str | None:
    """The printed value, rebuilt where comparator, number and unit sit in separate columns."""
    value = "".join(parts.get("value", [])) or None
    op = "".join(parts.get("op", []))
    num = "".join(parts.get("num", []))
    unit = "".join(parts.get("unit", []))
    if num and not value:
        value = num
    if value and op and re.fullmatch(r"[≥≤><=＞＜＝≧≦]+|大于等于|小于等于|大于|小于|等于", compact(op)):
        value = compact(op) + value if parse_quantity(value) and not re.match(r"^[≥≤><=＞＜＝≧≦]", value) else value
    if value and unit and re.fullmatch(r"[≥≤><=＞＜＝≧≦]?[\d.,]+", compact(value)):
        value = compact(value) + compact(unit)
    return value


@dataclass
class LevelContext:
    """The level-1/level-2 labels in force: merged cells inherit from the rows above."""

    level1: str | None = None
    level2: str | None = None

    def update(self, parts: dict[str, list[str]], line_no: int, flags: list[Flag]) -> None:
        l1 = clean_label(parts["level1"][0]) if "level1" in parts else None
        l2 = clean_label(parts["level2"][0]) if "level2" in parts else None
        if l1:
            if l1 != self.level1:
                self.level2 = None
            self.level1 = l1
        if l2:
            self.level2 = l2
            parent = standard_parent(l2)
            if not l1 and parent and standard_level1(self.level1) != parent and standard_level1(l2) is None:
                flags.append(Flag("level1_from_level2", f"level-1 taken from the framework parent of {l2}", line_no))
                self.level1 = parent


def indicator_from_parts(parts: dict[str, list[str]], ctx: LevelContext, line_no: int,
                         last_line: int | None = None) -> Indicator:
    """An indicator from one row's cells by role (level3 required), its levels those in force."""
    value = parse_target_value(_compose_value(parts))
    ind = Indicator(
        level1=ctx.level1, level2=ctx.level2, level3=clean_level3("".join(parts["level3"])),
        value=value.value, op=value.op, num=value.num, unit=value.unit,
        description=compact("".join(parts.get("description", []))) or None,
        basis=compact("".join(parts.get("basis", []))) or None,
        span=(line_no, last_line or line_no),
    )
    if parts.get("actual"):
        ind.actual = compact("".join(parts["actual"]))
    score_text = compact("".join(parts.get("score", [])))
    m = re.match(r"^(\d+(?:\.\d+)?)", score_text)
    if m:
        ind.score = float(m.group(1))
    if value.value is None:
        ind.flags.append(Flag("value_missing", "no target value could be read", line_no))
    if ctx.level1 is None:
        ind.flags.append(Flag("level1_missing", "no level-1 name above this row", line_no))
    return ind


def read_indicator_rows(rows: list[Row], columns: ColumnRoles) -> GrammarResult:
    """Indicators from body rows (header excluded), in document order."""
    result = GrammarResult()
    ctx = LevelContext()
    last: Indicator | None = None
    value_col = columns.position("value")
    for line_no, raw_cells in rows:
        cells = _dedupe_adjacent([(i, c) for i, c in enumerate(raw_cells) if compact(c)])
        if not cells:
            continue
        if "unit" not in columns.roles:
            cells = _join_split_units(cells)
        if _is_header_repeat(cells) or all(re.fullmatch(r"[-:=—]+", compact(t)) for _, t in cells):
            continue  # a header repeated after a page break, or a stray separator row
        if len(cells) == 1 and _PAGE_FURNITURE.match(compact(cells[0][1])):
            continue  # a page number or a 续表 line between two pages of the table
        if last is not None and _is_continuation(cells, columns, value_col):
            _append_continuation(last, cells[0], columns, line_no)
            continue
        parts = align_row(cells, columns)
        if parts is None:
            result.flags.append(Flag("unplaced_row", "row could not be aligned to the table's columns", line_no,
                                     " | ".join(t for _, t in cells)))
            continue
        _split_merged_value(parts, columns)
        ctx.update(parts, line_no, result.flags)
        if "level3" not in parts:
            leftovers = [t for r, ts in parts.items() if r not in ("level1", "level2", "group") for t in ts]
            if leftovers:
                result.flags.append(Flag("unplaced_row", "cells with no indicator name", line_no, " | ".join(leftovers)))
            elif "level1" in parts and "level2" in parts:
                # Both labels and nothing else: a row whose indicator was lost (or cut at the table's end).
                result.flags.append(Flag("labels_only_row", "level labels with no indicator name or value", line_no,
                                         " | ".join(parts["level1"] + parts["level2"])))
            continue
        ind = indicator_from_parts(parts, ctx, line_no)
        if "extra" in parts:
            ind.flags.append(Flag("extra_cells", "cells beyond the table's columns", line_no, " | ".join(parts["extra"])))
        result.indicators.append(ind)
        last = ind
    return result


def _split_merged_value(parts: dict[str, list[str]], columns: ColumnRoles) -> None:
    """A value cell holding "value description" (two cells merged by the converter) is split
    at its first space when the table has a description column that the row left empty."""
    values = parts.get("value")
    free = [r for r in ("description", "basis") if r in columns.roles and r not in parts]
    if not values or len(values) != 1 or not free:
        return
    head, _, tail = values[0].strip().partition(" ")
    if tail.strip() and (looks_like_value(head) or len(compact(head)) <= 6) and len(compact(tail)) > len(compact(head)):
        parts["value"] = [head]
        parts[free[0]] = [tail]


_PAGE_FURNITURE = re.compile(r"^(续表\d*|续上表|[（(]续[）)]|[-—–]?\d{1,3}[-—–]?|第\d+页(共\d+页)?|\d+/\d+)$")
_BARE_NUMBER = re.compile(r"^[≥≤><=＞＜＝≧≦]{0,2}\d[\d,.]*$")


def _join_split_units(cells: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A number whose unit the converter pushed into the next cell (``≥48 | 万人``) is one value."""
    out: list[tuple[int, str]] = []
    for pos, text in cells:
        t = compact(text)
        if out and out[-1][0] == pos - 1 and _BARE_NUMBER.match(compact(out[-1][1])) and _is_unit(t):
            out[-1] = (out[-1][0], compact(out[-1][1]) + t)
            continue
        out.append((pos, text))
    return out


def _is_unit(text: str) -> bool:
    if not text or len(text) > 6 or re.search(r"\d", text) or text in qualitative_values():
        return False
    if standard_level1(text) or standard_level2(text):
        return False
    quantity = parse_quantity("1" + text)
    return quantity is not None and quantity[2] in (text, "%" if text == "百分比" else text)


def _dedupe_adjacent(cells: list[tuple[int, str]]) -> list[tuple[int, str]]:
    # Merged cells repeated by the converter ("重点工作任务完成 | 重点工作任务完成") count once.
    # A value equal to its name ("监督执法能力明显提升" twice, the last cell) is kept.
    out: list[tuple[int, str]] = []
    for k, (pos, text) in enumerate(cells):
        repeated = bool(out) and compact(out[-1][1]) == compact(text)
        if repeated and (standard_level1(text) or standard_level2(text) or (len(out) < 3 and k + 1 < len(cells))):
            continue
        out.append((pos, text))
    return out


def _is_header_repeat(cells: list[tuple[int, str]]) -> bool:
    roles = [header_role(t) for _, t in cells]
    return sum(r in ("level1", "level2", "level3", "value") for r in roles) >= 2


def _is_continuation(cells: list[tuple[int, str]], columns: ColumnRoles, value_col: int | None) -> bool:
    """A lone cell right of the value column that is neither a value nor a label: wrapped text."""
    if len(cells) != 1 or value_col is None:
        return False
    pos, text = cells[0]
    if looks_like_value(text) or standard_level1(text) or standard_level2(text):
        return False
    return pos >= value_col and any(r in TEXT_ROLES for r in columns.roles)


def _append_continuation(ind: Indicator, cell: tuple[int, str], columns: ColumnRoles, line_no: int) -> None:
    text = compact(cell[1])
    if ind.description is not None or "description" in columns.roles:
        ind.description = (ind.description or "") + text
    elif ind.basis is not None or "basis" in columns.roles:
        ind.basis = (ind.basis or "") + text
    if ind.span:
        ind.span = (ind.span[0], line_no)
