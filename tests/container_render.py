"""Test helper: a gold record typeset as published tables, written as XLSX, DOCX, HTML (and PDF from the HTML).

Each project becomes one table: a title merged over the width, project name, code and budget
rows, the goal, the indicator header, and indicator rows whose level-1 and level-2 cells are
merged vertically over their run, as published tables do. Styles vary with the project's
position: plain ``指标值``, separate 计算符号 / 指标值 / 度量单位 columns, or extra 指标解释 /
权重 / 备注 columns. :func:`table_specs` gives the grid every reader must give back.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

OPS = {">=": "≥", "<=": "≤", ">": "＞", "<": "＜", "=": "＝"}


@dataclass(frozen=True)
class Cell:
    text: str
    col: int
    row_span: int = 1
    col_span: int = 1


def _number(num: float) -> str:
    return str(int(num)) if float(num).is_integer() else f"{num:g}"


def table_specs(record: dict) -> tuple[list[str], list[list[list[Cell]]]]:
    """(text lines before the tables, one grid per project: rows of cells at their columns)."""
    lines = [f"{record.get('bureau') or ''}{record.get('year') or ''}年部门预算".strip(), "单位：万元"]
    tables = []
    for n, project in enumerate(record["projects"]):
        style = n % 3  # 0 plain, 1 separate comparator/number/unit, 2 extra columns
        head = ["一级指标", "二级指标", "三级指标"] + (
            ["指标值"] if style == 0 else ["计算符号", "指标值", "度量单位"] if style == 1 else
            ["指标值", "指标解释", "权重", "备注"])
        width = len(head)
        kind = "部门整体绩效目标表" if project.get("kind") == "department" else "项目绩效目标表"
        name = project.get("name") or ""
        rows: list[list[Cell]] = [[Cell(f"{name}{kind}", 0, 1, width)],
                                  [Cell("项目名称", 0), Cell(name, 1, 1, width - 1)]]
        if project.get("code"):
            rows.append([Cell("项目编码", 0), Cell(str(project["code"]), 1, 1, width - 1)])
        for label, key in (("资金总额（万元）", "budget_total"), ("财政拨款（万元）", "budget_fiscal"),
                           ("其他资金（万元）", "budget_other")):
            if project.get(key) is not None:
                rows.append([Cell(label, 0), Cell(_number(project[key]), 1, 1, width - 1)])
        if project.get("goal"):
            rows.append([Cell("年度绩效目标", 0), Cell(project["goal"], 1, 1, width - 1)])
        rows.append([Cell(h, c) for c, h in enumerate(head)])
        indicators = project.get("indicators", [])
        for i, ind in enumerate(indicators):
            row: list[Cell] = []
            for col, key in ((0, "level1"), (1, "level2")):
                keys = ("level1",) if key == "level1" else ("level1", "level2")
                same = lambda a, b, keys=keys: all((a.get(k) or "") == (b.get(k) or "") for k in keys)  # noqa: E731
                if i > 0 and same(indicators[i - 1], ind):
                    continue  # covered by the merge above
                run = 1
                while i + run < len(indicators) and same(indicators[i + run], ind):
                    run += 1
                row.append(Cell(ind.get(key) or "", col, run))
            row.append(Cell(ind.get("level3") or "", 2))
            value = ind.get("value") or ""
            if style == 1 and ind.get("num") is not None:
                row += [Cell(OPS.get(ind.get("op") or "", ""), 3), Cell(_number(ind["num"]), 4),
                        Cell(ind.get("unit") or "", 5)]
            elif style == 1:
                row += [Cell("", 3), Cell(value, 4), Cell("", 5)]
            elif style == 2:
                row += [Cell(value, 3), Cell("", 4), Cell(str(10 if i % 2 else 5), 5), Cell("", 6)]
            else:
                row.append(Cell(value, 3))
            rows.append(row)
        tables.append(rows)
    return lines, tables


def write_html(record: dict, path: Path) -> Path:
    lines, tables = table_specs(record)
    parts = [f"<p>{line}</p>" for line in lines]
    for rows in tables:
        parts.append("<table>")
        for row in rows:
            cells = "".join(f"<td rowspan='{c.row_span}' colspan='{c.col_span}'>{_escape(c.text)}</td>" for c in row)
            parts.append(f"<tr>{cells}</tr>")
        parts.append("</table><p>&nbsp;</p>")
    path.write_text("<html><head><meta charset='utf-8'></head><body>" + "\n".join(parts) + "</body></html>",
                    encoding="utf-8")
    return path


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_xlsx(record: dict, path: Path) -> Path:
    import openpyxl

    lines, tables = table_specs(record)
    wb = openpyxl.Workbook()
    ws = wb.active
    r = 1
    for line in lines:
        ws.cell(r, 1, line)
        r += 1
    for rows in tables:
        for row in rows:
            for c in row:
                if c.text:
                    ws.cell(r, c.col + 1, c.text)
                if c.row_span > 1 or c.col_span > 1:
                    ws.merge_cells(start_row=r, start_column=c.col + 1, end_row=r + c.row_span - 1,
                                   end_column=c.col + c.col_span)
            r += 1
        r += 1
    wb.save(path)
    return path


def write_docx(record: dict, path: Path) -> Path:
    import docx

    lines, tables = table_specs(record)
    d = docx.Document()
    for line in lines:
        d.add_paragraph(line)
    for rows in tables:
        width = max(c.col + c.col_span for row in rows for c in row)
        t = d.add_table(rows=len(rows), cols=width)
        grid = t._cells  # Table.cell() rebuilds this list on every call: set texts from one copy
        for r, row in enumerate(rows):
            for c in row:
                grid[r * width + c.col].text = c.text
        for r, row in enumerate(rows):
            for c in row:
                if c.row_span > 1 or c.col_span > 1:
                    cell = t.cell(r, c.col).merge(t.cell(r + c.row_span - 1, c.col + c.col_span - 1))
                    for p in cell.paragraphs[1:]:  # merging joins the merged cells' paragraphs
                        p._element.getparent().remove(p._element)
        d.add_paragraph("")
    d.save(path)
    return path


def expected_grids(record: dict) -> list[list[list[tuple[str, int, int, int]]]]:
    """Per table, rows of (text, column, row span, column span) without blank single cells."""
    _, tables = table_specs(record)
    return [[[(c.text, c.col, c.row_span, c.col_span) for c in row if c.text or c.row_span > 1 or c.col_span > 1]
             for row in rows] for rows in tables]
