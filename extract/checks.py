"""Record checks: the last extraction step, turning suspicious records into flags.

Checks never change what was read; they add flags a researcher can filter on, and fill
budgets a table leaves out from the document's own budget table (项目支出预算表), flagging that.
"""
from __future__ import annotations

import re

from extract.records import DocumentRecord, Flag
from extract.text_normalise import compact
from extract.vocabulary import standard_level1


def check_document(doc: DocumentRecord, lines: list[str]) -> None:
    for project in doc.projects:
        if not project.indicators:
            project.flags.append(Flag("no_indicators", "table has no readable indicator rows",
                                      project.span[0] if project.span else None))
        if project.budget_total is None:
            _budget_from_document(project, lines)
        parts = (project.budget_fiscal, project.budget_other)
        if project.budget_total is not None and None not in parts and abs(sum(parts) - project.budget_total) > 0.01:
            project.flags.append(Flag("budget_inconsistent", f"fiscal {parts[0]} + other {parts[1]} "
                                      f"≠ total {project.budget_total} 万元", project.span[0] if project.span else None))
        seen = set()
        for ind in project.indicators:
            key = (ind.level3, ind.value)
            if key in seen:
                ind.flags.append(Flag("duplicate_indicator", "same name and value as an earlier row",
                                      ind.span[0] if ind.span else None))
            seen.add(key)
        for ind in project.indicators:
            if ind.level1 and standard_level1(ind.level1) is None and project.kind == "project":
                ind.flags.append(Flag("level1_nonstandard", f"level-1 name {ind.level1} is not in the national framework",
                                      ind.span[0] if ind.span else None))


_AMOUNT_CELL = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


def _budget_from_document(project, lines: list[str]) -> None:
    """Total and fiscal budget from a budget-table row naming the project (its first two amounts).

    The row's amounts sit in the same line (tab or pipe cells) or, in one-cell-per-line text,
    on the lines that follow the name.
    """
    key = compact(project.name)
    if len(key) < 3:
        return
    for i, line in enumerate(lines):
        cells = [c for c in (compact(c) for c in re.split(r"[|\t]", line)) if c]
        if not cells or cells[0] != key:
            continue
        amounts = _amounts(cells[1:])
        if not amounts and len(cells) == 1:
            following = [compact(x) for x in lines[i + 1:i + 16] if compact(x)][:6]
            amounts = _amounts(following[:next((k for k, c in enumerate(following) if len(c) > 8), 6)])
        if amounts:
            project.budget_total = amounts[0]
            project.budget_fiscal = amounts[1] if len(amounts) > 1 else None
            project.flags.append(Flag("budget_from_budget_table", "budget read from the document's budget table", i + 1))
            return


_AMOUNT = re.compile(r"^(-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(万元|元|万)?$")


def parse_amount(text: str, default_unit: str = "万元") -> float | None:
    """An amount cell in 万元: ``3216万元``, ``9,000.00``, ``32160000元`` (÷10000)."""
    t = compact(text).replace("：", "").replace(":", "").strip("（）()，,；;")
    m = _AMOUNT.match(t)
    if not m:
        return None
    value = float(m.group(1).replace(",", ""))
    unit = m.group(2) or default_unit
    return round(value / 10000, 6) if unit == "元" else value


def _amounts(cells: list[str]) -> list[float]:
    found = [parse_amount(c) for c in cells if _AMOUNT_CELL.match(c)]
    return [a for a in found if a is not None]
