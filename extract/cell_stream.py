"""The cell-stream grammar: text fragments in reading order cut into table rows of cells.

PDF-to-text tools print a table row as its cells in column order, separated by spaces, and
a narrow cell's text wrapped over several lines; a space may also be the tool's own (around
digits and Latin letters), and a cell cut by a page break goes on after the repeated header.
Nothing delimits cells reliably, so the cut is chosen by dynamic programming over the
fragments: every candidate cell is scored for the column it would fill (``extract.cell_roles``:
a level-1 or level-2 name from the vocabulary, a target value, a basis word such as 工作计划 …),
every join and cut for what separates the fragments (a space between two Chinese characters
is a cut; a line the tool left open, without trailing space, goes on; without that hint, a
line break inside a word goes on), every wrap for the column's width (a cell wraps only at a
full line), and rows follow the header's column order with merged label cells optional and
start on a new line. The best-scoring cut wins; the columns' widths it shows feed a next cut.
"""
from __future__ import annotations

import functools
import logging
import re
import unicodedata
from dataclasses import dataclass, field

from extract.cell_roles import basis_strength, carry_score, is_cut_level_name, label_kind, role_score
from extract.target_values import looks_like_value

LABEL_ROLES = ("level1", "level2", "group")
# A line holding only a page number ("23", "- 3 -", "第 3 页").
PAGE_NUMBER = re.compile(r"[-—\s]*\d{1,3}[-—\s]*|第\s*\d{1,3}\s*页(\s*共\s*\d{1,3}\s*页)?")
_NOTE = re.compile(r"^(注|备注|说明)\d?[:：]")
# Latin letters, digits and signs run together are not broken at a line end.
_UNBREAKABLE = re.compile(r"^[A-Za-z0-9\[\]().,%/+\-]+")
MAX_CELL_TOKENS = 30
_NEG = float("-inf")

# Scores (log-odds-like weights); the comments say what each one stands for.
JOIN_WIDE_SPACE = -6.0  # a space between two Chinese characters is almost always a cell cut
JOIN_TOOL_SPACE = 0.3  # spaces around digits and Latin letters are usually the tool's own
CUT_NUMBER_UNIT = -1.5  # "2024 年", "≥30 万人": a number keeps its unit
JOIN_AFTER_PERCENT = -3.0  # "100% 工作计划": a percentage ends its cell
JOIN_OPEN_LINE = 4.0  # the tool leaves a line open (no trailing space) where the cell wraps
JOIN_CLOSED_LINE = -5.0
JOIN_LINE_NO_HINT = -0.5
JOIN_OPEN_BREAK = 2.0  # a cell left open may go on right after the page break
JOIN_BREAK = -1.0
CUT_OPEN_LINE = -4.0  # given back when the cut cell goes on after a page break (a carry)
ROW_COST = -1.0  # against cutting one row into two
CARRY_COST = -0.5
CARRY_MATCH_NO_HINT = 0.5  # without the hint, a carry has only the full lines to go by
MAX_PENDING = 3  # cells of one row a page break can cut that are counted
STRAY_CARRY_COST = -3.0  # text after a page break that no cut cell awaits
JUNK_LINE_COST = -6.0  # a line that fits no row is kept as a flag, at a high price
PAGE_NUMBER_IN_CELL = -3.0
NOTE_LINE_COST = -1.0  # "注：…" under a table
PAGE_NUMBER_COST = -0.5
SKIP_COST = {"description": -3.0, "value": -4.0, "basis": -3.0}  # a row without the cell
SKIP_OTHER = -1.0
# A level-1 label changes the level-2 group too, so a row with a level-1 cell and no level-2
# cell is unlikely; this settles names that are both (成本指标 as a level 2 under 产出指标).
LEVEL1_WITHOUT_LEVEL2 = -3.0
WIDTH_SHORT_WRAP = -5.0  # a cell wraps to a new line only where the line is full
MAX_WIDTH_ROUNDS = 3
WRAP_SHARED_LINE = -4.0  # a cell that shares its line with another cell is a one-line cell
FULL_LINE_JOIN = 1.5  # without the open-line hint, a full line suggests the cell goes on
JOIN_INSIDE_WORD = 2.0  # ... and so does a line break inside a word ("能|力")
CUT_INSIDE_WORD = -2.0


@dataclass
class Token:
    """One whitespace-free fragment of a line."""

    text: str
    line: int  # 1-based
    first_on_line: bool
    last_on_line: bool
    open_end: bool | None = None  # last fragment of a line the tool left open (hint active only)
    after_break: bool = False  # a page break (repeated header) lies between this and the previous token
    page_number: bool = False  # the whole line is a bare page number


@dataclass
class StreamCell:
    role: str
    tokens: list[Token]

    @property
    def text(self) -> str:
        return "".join(t.text for t in self.tokens)

    @property
    def lines(self) -> tuple[int, int]:
        return self.tokens[0].line, self.tokens[-1].line


@dataclass
class StreamRow:
    cells: list[StreamCell] = field(default_factory=list)
    carries: list[StreamCell] = field(default_factory=list)  # fragments after a page break, already rejoined

    def cell(self, role: str) -> StreamCell | None:
        return next((c for c in self.cells if c.role == role), None)


@dataclass
class StreamResult:
    rows: list[StreamRow] = field(default_factory=list)
    junk: list[list[Token]] = field(default_factory=list)  # lines that fit no row


def open_line_hint(lines: list[str]) -> bool:
    """True where the tool marks wrapped lines by leaving them open (no trailing whitespace).

    The hint is used only where the text shows it: some lines end in whitespace and others do not.
    """
    body = [line for line in lines if line.strip()]
    if len(body) < 4:
        return False
    closed = sum(1 for line in body if line != line.rstrip())
    return 0.15 <= closed / len(body) <= 0.97 and len(body) - closed >= 2


def tokenise(numbered_lines: list[tuple[int, str]], breaks: set[int], hint: bool) -> list[Token]:
    """Fragments of the lines in order; ``breaks`` are line numbers of page breaks (skipped)."""
    tokens: list[Token] = []
    pending_break = False
    for line_no, line in numbered_lines:
        if line_no in breaks:
            pending_break = True
            continue
        parts = line.split()
        if not parts:
            continue
        is_page_number = bool(PAGE_NUMBER.fullmatch(line.strip()))
        for k, part in enumerate(parts):
            last = k == len(parts) - 1
            tokens.append(Token(
                text=part, line=line_no, first_on_line=k == 0, last_on_line=last,
                open_end=(line == line.rstrip()) if (hint and last) else None,
                after_break=pending_break and k == 0, page_number=is_page_number,
            ))
        pending_break = False
    return tokens


def _wide(ch: str) -> bool:
    # Ambiguous-width signs (≥ ≤ “ ”) are set full width in Chinese fonts.
    return unicodedata.east_asian_width(ch) in ("W", "F", "A")


@functools.lru_cache(maxsize=1)
def _segmenter():
    import jieba  # loaded only where a document lacks the open-line hint

    jieba.setLogLevel(logging.WARNING)
    return jieba


@functools.lru_cache(maxsize=16384)
def crosses_word(left: str, right: str) -> bool:
    """True where the end of ``left`` and the start of ``right`` form one word (a wrap inside it)."""
    tail = re.search(r"[\u4e00-\u9fff]{1,3}$", left)
    head = re.match(r"[\u4e00-\u9fff]{1,3}", right)
    if not tail or not head:
        return False
    k, pos = len(tail.group(0)), 0
    for word in _segmenter().lcut(tail.group(0) + head.group(0), HMM=False):
        if pos < k < pos + len(word):
            return True
        pos += len(word)
    return False


def _separator(left: Token, right: Token) -> tuple[float, float]:
    """(join score, cut score) of the separator between two consecutive tokens."""
    if not right.first_on_line:
        if _wide(left.text[-1]) and _wide(right.text[0]):
            return JOIN_WIDE_SPACE, 0.0
        if left.text[-1] in "%‰":
            return JOIN_AFTER_PERCENT, 0.0  # a percentage is complete
        if left.text[-1].isalnum() and left.text[-1].isascii() and _wide(right.text[0]):
            return JOIN_TOOL_SPACE, CUT_NUMBER_UNIT  # "2024 年", "≥30 万人", "DIP 结算": one cell
        return JOIN_TOOL_SPACE, 0.0
    if right.after_break:
        return (JOIN_OPEN_BREAK if left.open_end else JOIN_BREAK), 0.0
    if left.open_end is None:
        if crosses_word(left.text, right.text):  # "监督执法能|力": the line break splits a word
            return JOIN_LINE_NO_HINT + JOIN_INSIDE_WORD, CUT_INSIDE_WORD
        return JOIN_LINE_NO_HINT, 0.0
    return (JOIN_OPEN_LINE, CUT_OPEN_LINE) if left.open_end else (JOIN_CLOSED_LINE, 0.0)


def display_width(text: str) -> int:
    """Printed width: Chinese characters count two, digits and Latin letters one."""
    return sum(2 if _wide(ch) else 1 for ch in text)


def column_widths(result: StreamResult) -> dict[str, float]:
    """Each column's width, from the lines of its wrapped cells (a wrapped line is a full line)."""
    samples: dict[str, list[int]] = {}
    for row in result.rows:
        for cell in row.cells:
            by_line: dict[int, str] = {}
            for tok in cell.tokens:
                by_line[tok.line] = by_line.get(tok.line, "") + tok.text
            fragments = list(by_line.values())[:-1]
            samples.setdefault(cell.role, []).extend(display_width(f) for f in fragments)
    return {role: float(sorted(ws)[len(ws) // 2]) for role, ws in samples.items() if len(ws) >= 2}


def segment_rows(tokens: list[Token], roles: list[str | None]) -> StreamResult:
    """The best cut of ``tokens`` into rows of cells whose roles follow ``roles`` (header order).

    A first cut knows only the table's full-line widths; the column widths its wrapped cells
    show then drive the next cut, until they settle: a cell wraps only where its line is full,
    and no line of a cell is wider than its column.
    """
    cols = [r for r in roles if r is not None]
    if "level3" not in cols:
        raise ValueError("the header has no 三级指标 column")
    hinted = any(t.open_end is not None for t in tokens)
    fulls = [] if hinted else full_line_widths(tokens)
    result = _best_cut(tokens, cols, {}, fulls)
    seen: list[dict[str, float]] = [{}]
    for _ in range(MAX_WIDTH_ROUNDS):
        widths = column_widths(result)
        if widths in seen:
            break
        seen.append(widths)
        result = _best_cut(tokens, cols, widths, fulls)
    return result


def full_line_widths(tokens: list[Token]) -> list[int]:
    """Widths shared by several one-cell lines: the full lines of the table's columns."""
    lines: dict[int, list[Token]] = {}
    for tok in tokens:
        lines.setdefault(tok.line, []).append(tok)
    counts: dict[int, int] = {}
    for toks in lines.values():
        if any(_separator(a, b)[0] == JOIN_WIDE_SPACE for a, b in zip(toks, toks[1:])):
            continue  # several cells on the line
        text = "".join(t.text for t in toks)
        if label_kind(text) or basis_strength(text) or looks_like_value(text) or text.endswith(("。", "；", ";")):
            continue  # a whole cell, whatever its width
        w = display_width(text)
        counts[w] = counts.get(w, 0) + 1
    return sorted(w for w, k in counts.items() if k >= 3 and w >= 6)


def _is_full(line_w: int, width: float | None, fulls: list[int]) -> bool:
    """True where a line of ``line_w`` fills its column (the cell may go on)."""
    if width:
        return line_w >= width - 2
    return any(f - 2 <= line_w <= f + 1 for f in fulls)


def _first_unit_width(text: str) -> int:
    """Width of what would have had to fit on the line before: a character, or a run of Latin."""
    m = _UNBREAKABLE.match(text)
    return display_width(m.group(0) if m else text[0])


def _overflows(line_w: int, next_w: int, width: float, exact: bool) -> bool:
    """True where the next unit would not have fitted on the line. Widths of Chinese characters
    are exact; digits, Latin letters and signs vary by font, so those lines get a unit of slack."""
    return line_w + next_w > width if exact else line_w + next_w >= width - 1


class _ColumnFit:
    """Whether a growing cell's lines fit one column: it wraps only at full lines, all full at
    the same width, and no line is wider than that width. The width is the column's where it is
    known, else one of the table's full-line widths (which one is narrowed down wrap by wrap)."""

    def __init__(self, width: float | None, fulls: list[int]):
        self.known = bool(width)
        self.widths: list[float] = [width] if width else [float(f) for f in fulls]
        self.widest = max(self.widths) if self.widths else 0.0
        self.narrowed = False

    def wrap_score(self, line_w: int, next_w: int, exact: bool, hinted: bool) -> float:
        """Score of the cell going on to the next line after a line of ``line_w``; without the
        open-line hint, a full line is also the evidence that the cell goes on."""
        if not self.widths or (not self.known and line_w > self.widest + 1):
            return 0.0  # no column width known for a line this wide
        fitting = [w for w in self.widths if _overflows(line_w, next_w, w, exact) and line_w <= w + 2]
        if not fitting:
            return WIDTH_SHORT_WRAP
        self.widths, self.narrowed = fitting, True
        return 0.0 if hinted else FULL_LINE_JOIN

    def too_wide(self, line_w: int) -> bool:
        return (self.known or self.narrowed) and line_w > max(self.widths) + 2


def _cell_candidates(tokens: list[Token], cols: list[str], widths: dict[str, float], fulls: list[int],
                     joins: list[float], cuts: list[float]) -> list[list[list[tuple[int, float, int]]]]:
    """Every cell the tokens allow: ``[start][column] -> [(end, score, ends_full)]``.

    A cell's score is its role score plus its joins, wrap checks and the cut before it; it does
    not depend on the rows around it, so the row search reuses it from every state.
    """
    n_tok = len(tokens)
    hinted = any(t.open_end is not None for t in tokens)
    tok_w = [display_width(t.text) for t in tokens]
    unit_w = [_first_unit_width(t.text) for t in tokens]
    all_wide = [all(unicodedata.east_asian_width(ch) in ("W", "F") for ch in t.text) for t in tokens]
    out: list[list[list[tuple[int, float, int]]]] = [[[] for _ in cols] for _ in range(n_tok)]
    for p in range(n_tok):
        shared = not tokens[p].first_on_line  # a cell that shares its line with another one does not wrap
        for c, role in enumerate(cols):
            if role not in LABEL_ROLES and label_kind(tokens[p].text) == "full":
                continue  # a level name printed whole is a label cell, never part of a text cell
            width = widths.get(role)
            fit = _ColumnFit(width, fulls)
            text, inner, line_w, wrapped, line_exact = "", cuts[p] if p > 0 else 0.0, 0, False, True
            whole_label_inside = False
            for q in range(p + 1, min(n_tok, p + MAX_CELL_TOKENS) + 1):
                tok = tokens[q - 1]
                if q > p + 1:
                    inner += joins[q - 1]
                    if tok.first_on_line:
                        if not tok.after_break:
                            hinted = tokens[q - 2].open_end is not None
                            exact = line_exact and all_wide[q - 1]
                            inner += fit.wrap_score(line_w, unit_w[q - 1], exact, hinted)
                            inner += WRAP_SHARED_LINE if shared else 0.0
                            wrapped = True
                        line_w, line_exact = 0, True
                line_w += tok_w[q - 1]
                line_exact = line_exact and all_wide[q - 1]
                if fit.too_wide(line_w):
                    break  # wider than the column: no longer cell fits either
                if q > p + 1 and label_kind(tok.text) == "full":
                    if role not in LABEL_ROLES:
                        break  # a level name printed whole is a cell of its own...
                    whole_label_inside = True  # ...unless it ends a longer one ("生态环境|成本指标")
                text += tok.text
                rs = role_score(role, text)
                if rs is None or whole_label_inside and label_kind(text) is None:
                    continue
                # a wrapped cell does not share its last line with the next cell either
                rs += WRAP_SHARED_LINE if wrapped and q < n_tok and not tokens[q].first_on_line else 0.0
                rs += PAGE_NUMBER_IN_CELL if tok.page_number else 0.0
                # a cell that ends its line, left open (or, without the hint, full), may go on after a page break
                goes_on = tok.last_on_line and (bool(tok.open_end) if hinted else _is_full(line_w, width, fulls))
                if not goes_on and is_cut_level_name(role, text):
                    continue  # the first part of a level name stands alone only where a page break cut it
                out[p][c].append((q, inner + rs, int(goes_on)))
    return out


def _best_cut(tokens: list[Token], cols: list[str], widths: dict[str, float], fulls: list[int]) -> StreamResult:
    n_tok, n_col = len(tokens), len(cols)
    l3 = cols.index("level3")
    l1 = cols.index("level1") if "level1" in cols else -1
    l2 = cols.index("level2") if "level2" in cols else -1
    joins = [0.0] * (n_tok + 1)  # joins[p]: score of joining token p-1 with p
    cuts = [0.0] * (n_tok + 1)
    for p in range(1, n_tok):
        joins[p], cuts[p] = _separator(tokens[p - 1], tokens[p])
    skip = [0.0 if c in LABEL_ROLES else SKIP_COST.get(c, SKIP_OTHER) for c in cols]
    skip[l3] = _NEG
    candidates = _cell_candidates(tokens, cols, widths, fulls, joins, cuts)

    # best[p][s+1][pending]: score after p tokens, s the last column filled (-1: between rows),
    # pending: how many cells of the row may go on after a page break (they ended open or full).
    pendings = range(MAX_PENDING + 1)
    best = [[[_NEG] * len(pendings) for _ in range(n_col + 1)] for _ in range(n_tok + 1)]
    hinted = any(t.open_end is not None for t in tokens)
    back: dict[tuple[int, int, int], tuple] = {}
    best[0][0][0] = 0.0

    def relax(state: tuple[int, int, int], score: float, how: tuple) -> None:
        p, si, pend = state
        if score > best[p][si][pend]:
            best[p][si][pend] = score
            back[state] = how

    for p in range(n_tok + 1):
        if p == n_tok or tokens[p].first_on_line:  # rows start on a new line
            for s in range(l3, n_col):  # a row may end once it has its level-3 cell
                for pend in pendings:
                    if best[p][s + 1][pend] > _NEG:
                        relax((p, 0, pend), best[p][s + 1][pend] + sum(skip[s + 1:]) + ROW_COST, ("end", s + 1, pend))
        if p == n_tok:
            break
        for si in range(n_col + 1):
            for pend in pendings:
                v = best[p][si][pend]
                if v == _NEG:
                    continue
                s = si - 1
                if s == -1:
                    _relax_between_rows(tokens, p, pend, v, joins, relax, hinted)
                skipped = 0.0
                row_pend = 0 if s == -1 else pend
                for c in range(s + 1, n_col):
                    if c == l2 + 1 and s == l1 >= 0 and l2 >= 0:
                        skipped += LEVEL1_WITHOUT_LEVEL2
                    for q, score, goes_on in candidates[p][c]:
                        new_pend = min(MAX_PENDING, row_pend + goes_on)
                        relax((q, c + 1, new_pend), v + skipped + score, ("cell", si, pend, c, p))
                    skipped += skip[c]
                    if skipped == _NEG:
                        break
    final = max(pendings, key=lambda pend: best[n_tok][0][pend])
    if best[n_tok][0][final] == _NEG:
        raise ValueError("the table's fragments fit no row structure")
    return _trace(tokens, cols, back, (n_tok, 0, final), lambda cell: _ends_full(cell, widths, fulls))


def _ends_full(cell: StreamCell, widths: dict[str, float], fulls: list[int]) -> bool:
    """True where a page break may have cut the cell: it ends its line, left open or full."""
    if not cell.tokens[-1].last_on_line or label_kind(cell.text) == "full":
        return False
    if cell.tokens[-1].open_end is not None:
        return cell.tokens[-1].open_end
    last = cell.tokens[-1].line
    return _is_full(display_width("".join(t.text for t in cell.tokens if t.line == last)), widths.get(cell.role), fulls)


def _carry_pieces(tokens: list[Token]) -> list[list[Token]]:
    """A carry cut into the pieces of the cells it continues: at a space between Chinese
    characters, and at line ends (with the hint, only those the tool closed)."""
    pieces: list[list[Token]] = [[]]
    for k, tok in enumerate(tokens):
        if k and tok.first_on_line:
            new_piece = not tokens[k - 1].open_end
        else:
            new_piece = k > 0 and _separator(tokens[k - 1], tok)[0] == JOIN_WIDE_SPACE
        if new_piece:
            pieces.append([])
        pieces[-1].append(tok)
    return pieces


def _relax_between_rows(tokens, p, pend, v, joins, relax, hinted: bool) -> None:
    """Between rows: the rest of cells cut by a page break, or a line that fits no row."""
    if tokens[p].after_break:
        # a piece that goes on a cell left open scores as the join the open line asked for (and
        # gets the cut back); pieces beyond the pending cells are strays
        match_gain = JOIN_OPEN_LINE - CUT_OPEN_LINE if hinted else CARRY_MATCH_NO_HINT
        for q in range(p + 1, min(len(tokens), p + MAX_CELL_TOKENS) + 1):
            if label_kind(tokens[q - 1].text) == "full":
                break  # a level name starts the next row
            pieces = _carry_pieces(tokens[p:q])
            if any(carry_score("".join(t.text for t in piece)) is None for piece in pieces):
                continue
            inner = sum(joins[tokens.index(t, p)] for piece in pieces for t in piece[1:])
            gain = sum(match_gain if k < pend else STRAY_CARRY_COST for k in range(len(pieces))) + CARRY_COST
            relax((q, 0, 0), v + inner + gain, ("carry", pend, p))
    if tokens[p].first_on_line:
        q = p + 1
        while q < len(tokens) and not tokens[q].first_on_line:
            q += 1
        if tokens[p].page_number:
            cost = PAGE_NUMBER_COST
        elif _NOTE.match(tokens[p].text):
            cost = NOTE_LINE_COST
        else:
            cost = JUNK_LINE_COST
        relax((q, 0, pend), v + cost, ("junk", pend, p))


def _trace(tokens: list[Token], cols: list[str], back: dict, state: tuple[int, int, int],
           cut_by_break) -> StreamResult:
    steps = []
    while state != (0, 0, 0):
        how = back[state]
        p = state[0]
        kind = how[0]
        if kind == "end":
            steps.append(("end",))
            state = (p, how[1], how[2])
        elif kind == "cell":
            _, si, pend, c, p0 = how
            steps.append(("cell", cols[c], tokens[p0:p]))
            state = (p0, si, pend)
        elif kind == "carry":
            _, pend, p0 = how
            steps.append(("carry", tokens[p0:p]))
            state = (p0, 0, pend)
        else:
            _, pend, p0 = how
            steps.append(("junk", tokens[p0:p]))
            state = (p0, 0, pend)
    result = StreamResult()
    current = StreamRow()
    for step in reversed(steps):
        if step[0] == "cell":
            current.cells.append(StreamCell(step[1], list(step[2])))
        elif step[0] == "end":
            result.rows.append(current)
            current = StreamRow()
        elif step[0] == "carry":
            if result.rows:
                _attach_carry(result.rows[-1], list(step[1]), cut_by_break)
            else:
                result.junk.append(list(step[1]))
        elif not step[1][0].page_number:
            result.junk.append(list(step[1]))
    return result


def _attach_carry(row: StreamRow, tokens: list[Token], cut_by_break) -> None:
    """The carry's pieces go, in column order, on the cells the page break cut (left open or
    full); a piece more than those goes on the last of them, and with none on the level-3 name."""
    row.carries.append(StreamCell("carry", tokens))
    targets = [c for c in row.cells if cut_by_break(c)] or [row.cell("level3")]
    for k, piece in enumerate(_carry_pieces(tokens)):
        target = targets[min(k, len(targets) - 1)]
        target.tokens = target.tokens + piece
