"""Typeset gold records as a PDF layout tool prints tables (for robustness tests).

The tool's habits, as seen in seed 003: cells in column order separated by spaces, a cell
wider than its column wrapped over several lines with blank lines between, a space put
around digits and Latin letters ("2024 年"), and a line left open (no trailing space) where
a cell goes on. Each project becomes a 项目编码/项目名称/预算数 header and an indicator table.
"""
from __future__ import annotations

import re
import unicodedata

# Column widths in half-width units (a Chinese character is two).
WIDTHS = {"level1": 10, "level2": 10, "level3": 10, "description": 24, "value": 10, "basis": 12}
HEADER_WORDS = {"level1": "一级指标", "level2": "二级指标", "level3": "三级指标", "description": "绩效指标描述",
                "value": "指标值", "basis": "指标值确定依据"}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F", "A") else 1 for c in text)


def _units(text: str) -> list[str]:
    """Characters, with runs of Latin letters and digits kept whole (they do not break)."""
    return re.findall(r"[A-Za-z0-9.\[\]%/+\-]+|.", text)


def wrap(text: str, width: int) -> list[str]:
    """Lines of a cell: as many units as fit, then the next line."""
    lines, line = [], ""
    for unit in _units(text):
        if line and _width(line + unit) > width:
            lines.append(line)
            line = ""
        line += unit
    return lines + [line] if line else lines


def tool_spaces(text: str) -> str:
    """The tool's spaces between Chinese characters and digits or Latin letters."""
    text = re.sub(r"([\u4e00-\u9fff])([A-Za-z0-9])", r"\1 \2", text)
    return re.sub(r"([A-Za-z0-9])([\u4e00-\u9fff])", r"\1 \2", text)


def _cell_lines(fragment_lists: list[list[str]], goes_on: list[bool]) -> list[str]:
    """Lines of the cells' fragments; "~" starts a line the tool leaves open."""
    out: list[str] = []
    pending: list[str] = []  # one-line cells share a line
    for fragments, cut in zip(fragment_lists, goes_on):
        if not fragments:
            continue
        if len(fragments) == 1 and not cut:
            pending.append(tool_spaces(fragments[0]))
            continue
        if pending:
            out.append(" ".join(pending))
            pending = []
        for k, fragment in enumerate(fragments):
            last = k == len(fragments) - 1
            out.append(("~" if not last or cut else "") + tool_spaces(fragment))
            if not last:
                out.append("")
    if pending:
        out.append(" ".join(pending))
    return out + [""]


def _row_lines(cells: list[tuple[str, str]], page_break: list[str] | None = None) -> list[str]:
    """Lines of one row. With ``page_break`` (the lines printed at a page break), the row is cut
    after its first line: each cell's first line, the break, then what remains of each cell."""
    fragments = [wrap(text, WIDTHS[role]) for role, text in cells]
    if page_break is None or max(len(f) for f in fragments) < 2:
        return _cell_lines(fragments, [False] * len(fragments))
    first = [f[:1] for f in fragments]
    rest = [f[1:] for f in fragments]
    return _cell_lines(first, [bool(r) for r in rest])[:-1] + page_break + _cell_lines(rest, [False] * len(rest))


def typeset_project(number: int, project: dict, break_every: int = 0) -> list[str]:
    """A project's header and table; with ``break_every`` = n, a page break cuts every n-th row."""
    columns = ["level1", "level2", "level3", "value"]
    for optional in ("description", "basis"):
        if any(ind.get(optional) for ind in project["indicators"]):
            columns.insert(columns.index("value") + (optional == "basis"), optional)
    amount = "" if project.get("budget_total") is None else f"{project['budget_total']:.2f}"
    lines = [f" {number}、{project['name']}绩效目标表", "", "单位：万元", "",
             tool_spaces(f"项目编码 {project.get('code') or ''} 项目名称 {project['name']}"), "",
             f"预算数 {amount}", "", "绩效目标", tool_spaces(project.get("goal") or "无"), "",
             " ".join(HEADER_WORDS[c] for c in columns), ""]
    level1 = None
    header = " " + " ".join(HEADER_WORDS[c] for c in columns)
    for k, ind in enumerate(project["indicators"], start=1):
        cells = []
        for role in columns:
            text = ind.get(role) or ""
            if role == "level1" and text == level1:
                continue  # a merged level-1 cell is printed once, on its first row
            if text:
                cells.append((role, text))
        level1 = ind.get("level1")
        cut = break_every and k % break_every == 0
        lines += _row_lines(cells, ["", str(number + k), header, ""] if cut else None)
    return lines


def typeset_document(record: dict, break_every: int = 0) -> str:
    """The document's projects as wrapped tables, with the tool's line ends."""
    lines = [f"{record.get('bureau') or ''}{record.get('year') or ''}年部门预算", "五、项目绩效目标"]
    for number, project in enumerate(record["projects"], start=1):
        if project.get("kind") == "project" and project["indicators"]:
            lines += typeset_project(number, project, break_every)
    lines.append(" 六、政府采购预算情况")
    out = []
    for line in lines:
        if line.startswith("~"):
            out.append(line[1:])
        else:
            out.append(line + " " if line.strip() else "")
    return "\n".join(out) + "\n"
