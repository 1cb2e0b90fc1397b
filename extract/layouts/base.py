"""What every layout parser shares: its input context and result types, and the project builder."""
from __future__ import annotations

from dataclasses import dataclass, field

from extract.grammar import ColumnRoles, read_indicator_rows
from extract.project_header import ProjectHeader, document_amount_unit, name_from_title, read_project_header
from extract.records import Flag, Project
from extract.segment import TableBlock

Row = tuple[int, list[str]]


@dataclass
class DocumentContext:
    """Document-level facts a layout may need (never the file name: layouts read text)."""

    bureau: str | None = None
    year: int | None = None
    amount_unit: str = "万元"


@dataclass
class LayoutResult:
    projects: list[Project] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)


def table_amount_unit(block: TableBlock) -> str | None:
    """The amount unit the table itself states (``单位：元`` above or in its header rows)."""
    return document_amount_unit(block.lines[max(0, block.start - 3):block.header], default=None)


def build_project(block: TableBlock, header: ProjectHeader, context: DocumentContext, layout: str) -> Project:
    """A project from its header fields; the name falls back to the title, then the unit name."""
    kind = block.kind
    name = header.name or name_from_title(block.title)
    if kind == "department":
        name = header.unit_name or header.name or context.bureau
    flags = []
    if not name:
        name = f"(unnamed table at line {block.start + 1})"
        flags.append(Flag("name_missing", "no project name printed for this table", block.start + 1))
    return Project(
        name=name, code=header.code, kind=kind,
        budget_total=header.budget_total, budget_fiscal=header.budget_fiscal, budget_other=header.budget_other,
        goal=header.goal, flags=flags, span=(block.start + 1, block.end), layout=layout,
    )


def parse_rows(block: TableBlock, rows: list[Row], header_cells: list[str], context: DocumentContext,
               layout: str) -> LayoutResult:
    """The common path of delimited layouts: header rows, column roles, indicator rows."""
    header_line = block.header + 1
    above = [r for r in rows if r[0] < header_line]
    below = [r for r in rows if r[0] > header_line]
    header = read_project_header(above, table_amount_unit(block) or context.amount_unit)
    project = build_project(block, header, context, layout)
    columns = ColumnRoles.from_cells(header_cells, [cells for _, cells in above[-2:]])
    if not columns.usable:
        project.flags.append(Flag("header_unreadable", "indicator header has no 三级指标 column", header_line))
        return LayoutResult([project])
    grammar = read_indicator_rows(below, columns)
    project.indicators = grammar.indicators
    project.flags.extend(grammar.flags)
    return LayoutResult([project])
