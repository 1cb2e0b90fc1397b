"""Record checks: the last extraction step, turning suspicious records into flags.

Checks never change what was read; they add flags a researcher can filter on, and fill
budgets a table leaves out from the document's own budget table (项目支出预算表), flagging that.
"""
from __future__ import annotations

import re

from perfkg.extract.records import DocumentRecord, Flag
from perfkg.extract.target_values import SANE_LIMIT
from perfkg.extract.text_normalise import compact
from perfkg.extract.vocabulary import standard_level1


def check_document(doc: DocumentRecord, lines: list[str]) -> None:
    _numbers_in_range(doc, lines)
    rows_by_name: dict[str, list[int]] | None = None  # made for the first project without a budget
    for project in doc.projects:
        if not project.indicators:
            project.flags.append(Flag("no_indicators", "table has no readable indicator rows",
                                      project.span[0] if project.span else None))
        if project.budget_total is None:
            if rows_by_name is None:
                rows_by_name = _rows_by_first_cell(lines)
            _budget_from_document(project, lines, rows_by_name)
        fiscal, other = project.budget_fiscal, project.budget_other
        if project.budget_total is not None and fiscal is not None and other is not None \
                and abs(fiscal + other - project.budget_total) > 0.01:
            project.flags.append(Flag("budget_inconsistent", f"fiscal {fiscal} + other {other} "
                                      f"≠ total {project.budget_total} 万元",
                                      project.span[0] if project.span else None))
        seen = set()
        for ind in project.indicators:
            key = (ind.level3, ind.value)
            if key in seen:
                ind.flags.append(Flag("duplicate_indicator", "same name and value as an earlier row",
                                      ind.span[0] if ind.span else None))
            seen.add(key)
        for ind in project.indicators:
            if ind.level1 and standard_level1(ind.level1) is None and project.kind == "project":
                ind.flags.append(Flag("level1_nonstandard",
                                      f"level-1 name {ind.level1} is not in the national framework",
                                      ind.span[0] if ind.span else None))


_LONG_NUMBER = re.compile(r"\d{16,}")
_NO_CODE_NUMBER = re.compile(r"\d{25,}")  # longer than any code (project codes run to ~22 digits)
_CODE_LABEL = re.compile(r"编码|编号|代码|信用代码|文号")


def _numbers_in_range(doc: DocumentRecord, lines: list[str]) -> None:
    """Numbers that are not finite or not below SANE_LIMIT are left empty and flagged (never inf);
    an indicator's printed value keeps the digits."""
    def bad(value: float | None) -> bool:
        return value is not None and not abs(value) < SANE_LIMIT

    for project in doc.projects:
        line = project.span[0] if project.span else None
        for key in ("budget_total", "budget_fiscal", "budget_other"):
            if bad(getattr(project, key)):
                setattr(project, key, None)
                project.flags.append(Flag("number_out_of_range", f"{key} is beyond {SANE_LIMIT:g}; left empty", line))
        for ind in project.indicators:
            where = ind.span[0] if ind.span else None
            for key in ("num", "score"):
                if bad(getattr(ind, key)):
                    setattr(ind, key, None)
            if ind.num is None and ind.op is not None and ind.value and _LONG_NUMBER.search(ind.value):
                ind.op, ind.unit = None, None  # no number, so no comparison: the value is text
            long_number = _LONG_NUMBER.search(ind.value) if ind.value else None
            if long_number and not any(f.code == "number_out_of_range" for f in ind.flags):
                ind.flags.append(Flag("number_out_of_range", f"a number of {len(long_number.group())}"
                                      " digits is no quantity; the value is kept as printed", where))
    flagged = {f.line for p in doc.projects for i in p.indicators for f in i.flags if f.code == "number_out_of_range"}
    codes = [p.code for p in doc.projects if p.code]
    for n, text in enumerate(lines, 1):  # `line` above is a project's line number
        m = _NO_CODE_NUMBER.search(text)
        # long digit runs are often codes (项目编码 35060021000000000001), which are no numbers
        if m and n not in flagged and not _CODE_LABEL.search(text) and not any(m.group() in c for c in codes):
            doc.flags.append(Flag("number_out_of_range", f"a number of {len(m.group())} digits is no quantity or "
                                  "budget; not read as a number", n, text.strip()[:80]))


_AMOUNT_CELL = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


_CELL_SPLIT = re.compile(r"[|\t]")


def _line_cells(line: str) -> list[str]:
    return [c for c in (compact(c) for c in _CELL_SPLIT.split(line)) if c]


def _rows_by_first_cell(lines: list[str]) -> dict[str, list[int]]:
    """The lines (0-based, in order) whose first cell is each text."""
    rows: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        first = next((c for c in (compact(c) for c in _CELL_SPLIT.split(line)) if c), None)
        if first is not None:
            rows.setdefault(first, []).append(i)
    return rows


def _budget_from_document(project, lines: list[str], rows_by_name: dict[str, list[int]] | None = None) -> None:
    """Total and fiscal budget from a budget-table row naming the project (its first two amounts).

    The row's amounts sit in the same line (tab or pipe cells) or, in one-cell-per-line text,
    on the lines that follow the name. ``rows_by_name``: :func:`_rows_by_first_cell` of the lines.
    """
    key = compact(project.name)
    if len(key) < 3:
        return
    if rows_by_name is None:
        rows_by_name = _rows_by_first_cell(lines)
    for i in rows_by_name.get(key, ()):
        cells = _line_cells(lines[i])
        amounts = _amounts(cells[1:])
        if not amounts and len(cells) == 1:
            following = [compact(x) for x in lines[i + 1:i + 16] if compact(x)][:6]
            amounts = _amounts(following[:next((k for k, c in enumerate(following) if len(c) > 8), 6)])
        if amounts:
            project.budget_total = amounts[0]
            project.budget_fiscal = amounts[1] if len(amounts) > 1 else None
            project.flags.append(Flag("budget_from_budget_table", "budget read from the document's budget table",
                                      i + 1))
            return


_AMOUNT = re.compile(r"^(-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(万元|元|万)?$")


def parse_amount(text: str, default_unit: str = "万元") -> float | None:
    """An amount cell in 万元: ``3216万元``, ``9,000.00``, ``32160000元`` (÷10000)."""
    t = compact(text).replace("：", "").replace(":", "").strip("（）()，,；;")
    m = _AMOUNT.match(t)
    if not m:
        return None
    value = float(m.group(1).replace(",", ""))
    if not abs(value) < SANE_LIMIT:
        return None
    unit = m.group(2) or default_unit
    return round(value / 10000, 6) if unit == "元" else value


def _amounts(cells: list[str]) -> list[float]:
    found = [parse_amount(c) for c in cells if _AMOUNT_CELL.match(c)]
    return [a for a in found if a is not None]
