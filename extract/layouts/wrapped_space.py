"""Layout family: space-separated cells with text wrapped over lines (PDF layout-tool text).

The header row's words are split on spaces; the body is cut into rows of cells by the
cell-stream grammar (``extract.cell_stream``), which rejoins wrapped cells, level names cut
over lines ("社会效益指|标") and cells cut by a page break (the repeated header is skipped).
The project header above the table is read from the same fragments: keys (项目名称, 预算数 …)
are recognised even when wrapped ("其中：财政|资金"), a key's value runs to the next key.
"""
from __future__ import annotations

from extract.cell_roles import table_words
from extract.cell_stream import PAGE_NUMBER, StreamRow, Token, open_line_hint, segment_rows, tokenise
from extract.grammar import ColumnRoles, LevelContext, indicator_from_parts
from extract.layouts.base import DocumentContext, LayoutResult, build_project, table_amount_unit
from extract.project_header import key_of, read_project_header
from extract.records import Flag, Project
from extract.segment import TableBlock
from extract.text_normalise import compact, to_simplified
from extract.vocabulary import header_role, standard_level1, standard_parent

NAME = "wrapped_space"
DESCRIPTION = ("space-separated cells, wrapped cell text over several lines, headers repeated at page "
               "breaks (PDF layout-tool text); cells are cut by the cell-stream grammar")
_JOINED_FIELDS = ("name", "unit_name")
_AMOUNT_FIELDS = ("total", "fiscal", "other")


def _header_words(line: str) -> list[str]:
    """Header cells of a space-separated header line; a header word split by a space is rejoined."""
    words = line.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        if header_role(words[i]) is None and i + 1 < len(words) and header_role(words[i] + words[i + 1]):
            out.append(words[i] + words[i + 1])
            i += 2
            continue
        out.append(words[i])
        i += 1
    return out


def header_columns(lines: list[str], index: int) -> tuple[list[str], list[int]]:
    """The header cells starting at line ``index`` (0-based), and the lines (0-based) that only
    finish header words wrapped onto them ("指标值确定|依据")."""
    words = _header_words(lines[index])
    continued: list[int] = []
    j = index + 1
    while j < len(lines) and j <= index + 4:
        parts = lines[j].split()
        if not parts:
            j += 1
            continue
        merged = list(words)
        for part in parts:
            k = _completed_word(merged, part)
            if k is None:
                return words, continued
            merged[k] += part
        words = merged
        continued.append(j)
        j += 1
    return words, continued


def _completed_word(words: list[str], part: str) -> int | None:
    """Which header word ``part`` finishes: one that names no column yet, else the second of two
    words naming the same column (指标值 … 指标值|确定依据)."""
    roles = [header_role(w) for w in words]
    unnamed = [k for k, w in enumerate(words) if roles[k] is None and header_role(w + part)]
    if unnamed:
        return unnamed[0]
    twins = [k for k, w in enumerate(words) if roles[k] is not None and roles.count(roles[k]) > 1
             and header_role(w + part) not in (None, roles[k])]
    return twins[-1] if twins else None


def detect(block: TableBlock) -> float:
    header = block.lines[block.header]
    if "\t" in header or "|" in header:
        return 0.0
    roles = [header_role(w) for w in header_columns(block.lines, block.header)[0]]
    known = sum(r is not None for r in roles)
    if known < 3 or "level3" not in roles:
        return 0.0
    return 0.5 if known == len(roles) else 0.4


def parse(block: TableBlock, context: DocumentContext) -> LayoutResult:
    lines = block.text_lines()
    hint = open_line_hint([t for _, t in lines])
    header_line = block.header + 1
    above = [(n, t) for n, t in lines if n < header_line]
    header = read_project_header(_header_rows(tokenise(above, set(), hint)),
                                 table_amount_unit(block) or context.amount_unit)
    project = build_project(block, header, context, NAME)
    words, _ = header_columns(block.lines, block.header)
    columns = ColumnRoles.from_cells(words)
    if not columns.usable:
        project.flags.append(Flag("header_unreadable", "indicator header has no 三级指标 column", header_line))
        return LayoutResult([project])
    body = [(n, t) for n, t in lines if n > header_line]
    breaks = _page_break_lines(block, header_line)
    tokens = tokenise(body, breaks, hint)
    if not tokens:
        return LayoutResult([project])
    try:
        stream = segment_rows(tokens, columns.roles)
    except ValueError as exc:
        project.flags.append(Flag("unplaced_row", f"table body could not be cut into rows: {exc}", tokens[0].line))
        return LayoutResult([project])
    _fill_indicators(project, stream.rows)
    for junk in stream.junk:
        project.flags.append(Flag("unplaced_row", "text that fits no indicator row", junk[0].line,
                                  " ".join(t.text for t in junk)))
    return LayoutResult([project])


def _page_break_lines(block: TableBlock, header_line: int) -> set[int]:
    """Line numbers (1-based) printed at the table's page breaks: the repeated header, the rest
    of its words wrapped onto the next lines, and a page number or footer line just above it."""
    breaks: set[int] = set()
    for h in block.headers:
        breaks.update(j + 1 for j in header_columns(block.lines, h)[1])
        if h + 1 <= header_line:
            continue
        breaks.add(h + 1)
        j = h - 1
        while j > block.header and not block.lines[j].strip():
            j -= 1
        if j > block.header and PAGE_NUMBER.fullmatch(block.lines[j].strip()):
            breaks.add(j + 1)
    return breaks


# ---------------------------------------------------------------- project header


def _is_stop_label(text: str) -> bool:
    """True for a header label whose cells are not recorded (资金用途 …): a key's value stops there."""
    t = to_simplified(compact(text)).replace("（", "(").replace("）", ")")
    return t in table_words()["unrecorded_header_labels"]


def _is_stop_prefix(text: str) -> bool:
    """True where ``text`` is the start of an unrecorded label, cut by a wrap ("预算规模及")."""
    t = to_simplified(compact(text)).replace("（", "(").replace("）", ")")
    labels = table_words()["unrecorded_header_labels"]
    return len(t) >= 2 and any(label.startswith(t) and label != t for label in labels)


def _header_cells(tokens: list[Token]) -> list[tuple[int, str]]:
    """(line, text) cells of the header area: wrapped keys, open lines and "2024 年" rejoined."""
    cells: list[tuple[int, str]] = []
    prev_tok: Token | None = None
    for tok in tokens:
        if cells:
            prev_line, prev = cells[-1]
            continues = tok.first_on_line and bool(prev_tok and prev_tok.open_end)
            joined = prev + tok.text  # a key or label wrapped onto the next line: "其中：财政|资金"
            completes = (tok.first_on_line and key_of(prev) is None and not _is_stop_label(prev)
                         and (key_of(joined) is not None
                              or _is_stop_prefix(prev) and (_is_stop_label(joined) or _is_stop_prefix(joined))))
            number_unit = (not tok.first_on_line and prev[-1].isdigit() and not tok.text[0].isascii()
                           and key_of(tok.text) is None and not _is_stop_label(tok.text))  # "2024 年"
            if continues or completes or number_unit:
                cells[-1] = (prev_line, prev + tok.text)
                prev_tok = tok
                continue
        cells.append((tok.line, tok.text))
        prev_tok = tok
    return cells


def _header_rows(tokens: list[Token]) -> list[tuple[int, list[str]]]:
    """Rows for ``read_project_header``: one per key, its value running to the next key or label.

    The cells of a wrapped name are one value, so they are joined; an amount is one cell.
    """
    rows: list[tuple[int, list[str]]] = []
    for line, text in _header_cells(tokens):
        found = key_of(text)
        if found is not None or _is_stop_label(text):
            rows.append((line, [text]))
        elif rows:
            rows[-1][1].append(text)
    for _, cells in rows:
        found = key_of(cells[0])
        if found is not None and found[0] in _JOINED_FIELDS and len(cells) > 2:
            cells[1:] = ["".join(cells[1:])]
        elif found is not None and found[0] in _AMOUNT_FIELDS:
            del cells[2:]  # an amount is the key's next cell; a number in text after it is not one
    return rows


# ---------------------------------------------------------------- indicators


def _settle_ambiguous_label(parts: dict[str, list[str]], ctx: LevelContext) -> None:
    """A lone name that is both a level 1 and a level 2 (满意度指标, 成本指标) is read as the
    level 2 of the group in force only where the framework puts it there; else (and on a
    table's first row) it opens a group."""
    if "level1" in parts or "level2" not in parts:
        return
    text = parts["level2"][0]
    if standard_level1(text) and (ctx.level1 is None or standard_parent(text) != standard_level1(ctx.level1)):
        parts["level1"] = parts.pop("level2")


def _fill_indicators(project: Project, rows: list[StreamRow]) -> None:
    """Indicators from the rows of cells; merged level cells inherit from the rows above."""
    ctx = LevelContext()
    for row in rows:
        parts: dict[str, list[str]] = {}
        for cell in row.cells:
            parts.setdefault(cell.role, []).append(cell.text)
        first_line = row.cells[0].lines[0]
        last_line = max(c.lines[1] for c in row.cells + row.carries)
        _settle_ambiguous_label(parts, ctx)
        ctx.update(parts, first_line, project.flags)
        ind = indicator_from_parts(parts, ctx, first_line, last_line)
        if row.carries:
            ind.flags.append(Flag("page_break_carry", "a cell cut by a page break was rejoined", first_line,
                                  " ".join(c.text for c in row.carries)))
        project.indicators.append(ind)
