"""Re-typeset seed documents as other converters would print them (for robustness tests).

Each function takes a document's text and returns the same tables in another container:
pipe tables, one cell per line, traditional characters. The gold records stay valid.
"""
from __future__ import annotations

import random
import re
import unicodedata

import opencc

from perfkg.extract.vocabulary import header_role


def _table_cells(line: str) -> list[str] | None:
    s = line.strip()
    if s.startswith("|"):
        return s.strip("|").split("|")
    if "\t" in line:
        return line.split("\t")
    return None


def as_pipe_tables(text: str, outer: bool = True) -> str:
    """Tab-separated rows become pipe rows (cells and blanks kept in place); ``outer=False``
    leaves out the pipes at both ends, as some converters do."""
    out = []
    for line in text.split("\n"):
        cells = line.split("\t") if "\t" in line else None
        row = " | ".join(cells) if cells else None
        out.append(line if row is None else (f"| {row} |" if outer else row))
    return "\n".join(out)


def as_bare_pipe_tables(text: str) -> str:
    return as_pipe_tables(text, outer=False)


def as_cell_per_line(text: str) -> str:
    """Every non-empty table cell on a line of its own, blank-line separated (saved web pages)."""
    out = []
    for line in text.split("\n"):
        cells = _table_cells(line)
        if cells is None:
            out.append(line)
            continue
        for cell in cells:
            if cell.strip() and not set(cell.strip()) <= set("-:"):
                out += [cell.strip(), ""]
    return "\n".join(out)


def as_traditional(text: str) -> str:
    """The document printed in traditional characters (OpenCC s2t)."""
    return opencc.OpenCC("s2t").convert(text)


def with_shifted_rows(text: str, seed: int, share: float = 0.3) -> str:
    """Tab table rows shifted one cell right or left at random, as badly converted tables are."""
    rnd = random.Random(seed)
    out, in_table = [], False
    for line in text.split("\n"):
        if "\t" in line and sum(1 for c in line.split("\t") if header_role(c)) >= 3:
            in_table = True  # a header row: the rows below are indicator rows
        elif in_table and "\t" in line and rnd.random() < share:
            line = "\t" + line if rnd.random() < 0.5 or not line.startswith("\t") else line[1:]
        elif not line.strip():
            in_table = False
        out.append(line)
    return "\n".join(out)


def without_group_header(text: str) -> str:
    """Header rows lose their leading group cell (绩效指标) while the rows below keep the group
    label (年度绩效指标): a header printed one column narrower than its table."""
    out = []
    for line in text.split("\n"):
        cells = line.split("\t")
        if len(cells) > 2 and header_role(cells[0]) == "group" and header_role(cells[1]) == "level1":
            line = "\t".join(cells[1:])
        out.append(line)
    return "\n".join(out)


_QUANTITY_CELL = re.compile(r"([≥≤<>=]?\d+(?:\.\d+)?)\s*(%|[\u4e00-\u9fff/]{1,5})")


def with_units_in_own_cell(text: str) -> str:
    """Tab rows whose quantity cells are split into number and unit (``≥48 | 万人``)."""
    out = []
    for line in text.split("\n"):
        if "\t" in line:
            cells = []
            for cell in line.split("\t"):
                m = _QUANTITY_CELL.fullmatch(cell.strip())
                cells += [m.group(1), m.group(2)] if m else [cell]
            line = "\t".join(cells)
        out.append(line)
    return "\n".join(out)


def with_page_breaks(text: str, every: int = 3) -> str:
    """A page break inside every tab table: page number, 续表 and the header repeated."""
    out, header, rows = [], None, 0
    for line in text.split("\n"):
        out.append(line)
        cells = line.split("\t")
        if "\t" in line and sum(1 for c in cells if header_role(c)) >= 3:
            header, rows = line, 0
        elif header and "\t" in line:
            rows += 1
            if rows == every:
                out += ["", "- 12 -", "", "续表", header]
        elif not line.strip():
            continue
        else:
            header = None
    return "\n".join(out)


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def as_space_aligned(text: str, width: int = 30) -> str:
    """Tab rows printed as aligned columns of spaces (``pdftotext -layout``)."""
    out = []
    for line in text.split("\n"):
        if "\t" in line:
            cells = [c.strip() for c in line.split("\t")]
            line = "".join(c + " " * max(2, width - _display_width(c)) for c in cells).rstrip()
        out.append(line)
    return "\n".join(out)


def as_space_separated(text: str) -> str:
    """Tab rows printed as their non-empty cells separated by two spaces, not aligned at all."""
    return "\n".join("  ".join(c.strip() for c in line.split("\t") if c.strip()) if "\t" in line else line
                     for line in text.split("\n"))


def as_wide_space_aligned(text: str) -> str:
    """Space-aligned columns wide enough for the longest cells (wide summary tables)."""
    return as_space_aligned(text, width=60)


def typeset_gold(gold: dict, pipe: bool = False) -> str:
    """A document printing the gold's project tables as clean tab (or pipe) tables, merged level
    cells blank: the gold's names and values in another bureau's layout (a corpus generator)."""
    out = [f"{gold['year']}年{gold['bureau']}部门预算", ""]
    for project in gold["projects"]:
        if project["kind"] != "project":
            continue
        rows = [["项目名称", project["name"]]]
        for key, label in (("code", "项目编码"), ("budget_total", "资金总额"), ("budget_fiscal", "财政拨款"),
                           ("budget_other", "其他资金"), ("goal", "年度绩效目标")):
            if project.get(key) is not None:
                rows.append([label, f"{project[key]}万元" if key.startswith("budget") else str(project[key])])
        rows.append(["一级指标", "二级指标", "三级指标", "指标值"])
        previous: tuple = (None, None)
        for ind in project["indicators"]:
            level1 = ind["level1"] if ind["level1"] != previous[0] else ""
            level2 = (ind["level2"] or "") if (ind["level2"] != previous[1] or level1) else ""
            previous = (ind["level1"], ind["level2"])
            rows.append([level1, level2, ind["level3"], ind["value"] or ""])
        out += [f"{project['name']}项目绩效目标表", ""]
        out += [("| " + " | ".join(r) + " |") if pipe else "\t".join(r) for r in rows]
        out.append("")
    return "\n".join(out)
