"""Layout family: one cell per line (web pages saved as text), cells blank-line separated or not.

Rows are not delimited, so they are rebuilt from the cell stream: level names open rows,
the first other cell is the indicator name, and the following cells fill the header's
remaining columns in order while they fit (a value must read as a value).
"""
from __future__ import annotations

from extract.grammar import ColumnRoles, read_indicator_rows
from extract.layouts.base import DocumentContext, LayoutResult, build_project, table_amount_unit
from extract.project_header import key_of, read_project_header
from extract.records import Flag
from extract.segment import TableBlock
from extract.target_values import looks_like_value
from extract.text_normalise import compact
from extract.vocabulary import clean_label, header_role, qualitative_values, standard_level1, standard_level2

NAME = "cell_per_line"
DESCRIPTION = "one cell per line (saved web pages); rows rebuilt from the cell stream"


def _header_lines(block: TableBlock) -> list[int]:
    """Indexes of the consecutive header-word lines starting at the block header."""
    out, i = [], block.header
    while i < block.end:
        t = compact(block.lines[i])
        if not t:
            i += 1
            continue
        if header_role(t) is None:
            break
        out.append(i)
        i += 1
    return out


def detect(block: TableBlock) -> float:
    line = block.lines[block.header]
    if "\t" in line or "|" in line or header_role(compact(line)) is None:
        return 0.0
    return 0.8 if len(_header_lines(block)) >= 3 else 0.0


def _is_value_text(text: str) -> bool:
    t = clean_label(text)
    return looks_like_value(text) or t in qualitative_values() or t.startswith("文字描述")


def _accepts(role: str, text: str, following: str) -> bool:
    """Whether a cell fills ``role``; ``following`` (the next cell) settles long values: a long
    cell followed by a value is the next indicator's name, not this one's value."""
    t = clean_label(text)
    if role == "value":
        if _is_value_text(text) or len(t) <= 8:
            return True
        return not _is_value_text(following) and not standard_level2(text)
    if role in ("description",):
        return not _is_value_text(text)
    if role in ("basis", "unit", "op", "value_type"):
        return len(t) <= 12 and not looks_like_value(text)
    if role == "score":
        return t[:1].isdigit()
    return False


def build_rows(cells: list[tuple[int, str]], columns: ColumnRoles) -> list[tuple[int, list[str]]]:
    """Rows of positioned cells (blank where a column has no cell) from a stream of cells."""
    roles = columns.roles
    after_name = [r for r in roles[roles.index("level3") + 1:] if r and not r.startswith("twin_")]
    rows: list[tuple[int, list[str]]] = []
    current: dict[str, str] = {}
    line_of = 0
    pending = 0  # index into after_name

    def flush() -> None:
        if "level3" in current or len(current) >= 2:
            rows.append((line_of, [current.get(r, "") if r else "" for r in roles]))
        current.clear()

    for k, (line_no, text) in enumerate(cells):
        following = cells[k + 1][1] if k + 1 < len(cells) else ""
        # After a level-2 label a name must follow: a short variant such as 满意度 is that name,
        # a full level name (…指标) still opens a new row.
        naming = "level2" in current and "level3" not in current and not clean_label(text).endswith("指标")
        # 成本指标 and 满意度指标 are both level-1 and level-2 names: a level-2 name next decides.
        is_level1 = bool(standard_level1(text)) and (not standard_level2(text) or bool(standard_level2(following)))
        if is_level1 and not naming:
            flush()
            current["level1"], line_of, pending = text, line_no, 0
            continue
        if standard_level2(text) and not naming:
            if "level3" in current or "level2" in current:
                flush()
            if not current:
                line_of = line_no
            current["level2"] = text
            continue
        if "level3" not in current:
            if not current:
                line_of = line_no
            current["level3"], pending = text, 0
            continue
        while pending < len(after_name) and not _accepts(after_name[pending], text, following):
            pending += 1
        if pending < len(after_name):
            current[after_name[pending]] = text
            pending += 1
            continue
        flush()
        current["level3"], line_of, pending = text, line_no, 0
    flush()
    return rows


def parse(block: TableBlock, context: DocumentContext) -> LayoutResult:
    header_idx = _header_lines(block)
    columns = ColumnRoles([header_role(compact(block.lines[i])) for i in header_idx])
    above = _key_rows([(n, t) for n, t in block.text_lines() if n <= block.header and compact(t)])
    header = read_project_header(above, table_amount_unit(block) or context.amount_unit)
    project = build_project(block, header, context, NAME)
    body_start = header_idx[-1] + 1
    cells = [(i + 1, block.lines[i].strip()) for i in range(body_start, block.end) if compact(block.lines[i])]
    if not columns.usable:
        project.flags.append(Flag("header_unreadable", "indicator header has no 三级指标 column", block.header + 1))
        return LayoutResult([project])
    grammar = read_indicator_rows(build_rows(cells, columns), columns)
    project.indicators, project.flags = grammar.indicators, project.flags + grammar.flags
    return LayoutResult([project])


def _key_rows(lines: list[tuple[int, str]]) -> list[tuple[int, list[str]]]:
    """Header rows from one-cell lines: a key line opens a row, value lines join it."""
    rows: list[tuple[int, list[str]]] = []
    for n, t in lines:
        if header_role(compact(t)) is not None:
            continue  # a header word such as 绩效指标 opening the indicator columns
        if key_of(t) is not None or not rows:
            rows.append((n, [t]))
        else:
            rows[-1][1].append(t)
    return rows
