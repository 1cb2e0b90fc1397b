"""The cell splitters: source rows to one flat sequence of tokens (candidate cells) with positions.

A text line is cut at pipes or tabs, then at runs of spaces; every piece is cut again where
cells run together with nothing between them: around framework level names and header words,
after a name marker (★, 指标1:), before a comparator, before a bracketed group that ends the
piece, and around a quantity (number, unit, 以上 …). Grid rows from containers are already cut;
their cells are only cut where cells run together. Each token keeps what cut it (``sep``), so the
content model can tell a tab from a guessed boundary, and where it came from.

>>> [t.text for t in tokenise_lines(["产出指标数量指标培训人数≥100人次反映培训规模"])]
['产出指标', '数量指标', '培训人数', '≥100人次', '反映培训规模']
>>> [(t.text, t.sep) for t in tokenise_lines(["| 质量指标 | 合格率 | ≥95% |"])]
[('质量指标', 'row'), ('合格率', 'pipe'), ('≥95%', 'pipe')]
"""
from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace

import ahocorasick

from perfkg.extract import glue_model, limits as _limits
from perfkg.extract.records import Flag
from perfkg.extract.source_model import SourceRow
from perfkg.extract.value_grammar import patterns
from perfkg.extract.vocabulary import (
    content_words,
    header_role,
    qualitative_values,
    standard_level1,
    standard_level2,
    standard_parent,
    vocabulary_entries,
)

# What separates a token from the one before it, from strongest to weakest.
SEPARATORS = ("row", "cell", "pipe", "tab", "sp2", "sp1", "glue")
DELIMITERS = frozenset({"cell", "pipe", "tab"})  # the separators that delimit cells (the rest are spaces)


@dataclass(frozen=True, init=False)
class Token:
    text: str
    row: int  # index of the source row (0-based)
    where: str  # position of the source cell ("line 12", "Sheet1!B4")
    sep: str  # one of SEPARATORS
    cell: int  # index of the cell in its row, empty cells counted (delimited rows and grids)
    offset: int  # display column where the token starts (text lines), grid column (grids)
    blank_before: int  # blank rows just before this token's row (first token of a row only)
    empty_before: int  # empty cells just before this token

    def __init__(self, text: str, row: int, where: str, sep: str, cell: int, offset: int, blank_before: int,
                 empty_before: int) -> None:
        # what the generated __init__ of a frozen dataclass does (one object.__setattr__ a field) in half
        # the time: a document is tens of thousands of tokens
        self.__dict__.update(text=text, row=row, where=where, sep=sep, cell=cell, offset=offset,
                             blank_before=blank_before, empty_before=empty_before)


@functools.lru_cache(maxsize=1)
def split_vocabulary() -> tuple[str, ...]:
    """Words that are cells of their own wherever they stand: level names, header words, labels (≥ 4
    chars; a twin group's value header too: 实施期目标值 is one header, not 实施期目标 and 值)."""
    return tuple(sorted({w for w, kind, printed in vocabulary_entries()
                         if printed and kind in _SPLIT_KINDS and len(w) >= 4}))


_SPLIT_KINDS = frozenset({"l1", "l2", "hd", "lb", "tw"})


@functools.lru_cache(maxsize=1)
def _vocabulary_set() -> frozenset[str]:
    return frozenset(split_vocabulary())


@functools.lru_cache(maxsize=1)
def _automaton() -> ahocorasick.Automaton:
    auto = ahocorasick.Automaton()
    for w in split_vocabulary():
        auto.add_word(w, w)
    auto.make_automaton()
    return auto


_YEAR = re.compile(r"^(?:19|20)\d\d$")


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


@functools.lru_cache(maxsize=65536)
def display_width(text: str) -> int:
    """Columns a text takes in a monospaced rendering (wide characters count two)."""
    if text.isascii():
        return len(text)
    if len(text) > 256:  # a long line: each distinct character looked up once, not every occurrence
        return sum((2 if unicodedata.east_asian_width(c) in "WF" else 1) * n for c, n in Counter(text).items())
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# ---------------------------------------------------------------- run-together cuts


_DOTTED_RUN = re.compile(r"(?<![\d.])\d++(?:\.\d++){2,}")  # possessive: a long digit run is read once
_MOST_DECIMALS = 4


def _amount_seams(run: str) -> list[int]:
    """Where amounts of the same number of decimals run together in ``run`` (digits and two dots or
    more) end: the number of decimals that reads the run as amounts of one size (budget, adjusted budget,
    spent: their integer parts of equal length, give or take a digit), each with no leading zero, then
    perhaps digits with no dot (a weight glued on); none where no number of decimals reads it so (a date
    2024.01.01, a version 1.2.3)."""
    readings = []
    for places in range(1, _MOST_DECIMALS + 1):
        piece = re.compile(rf"(?:0|[1-9]\d*?)\.\d{{{places}}}")
        seams, sizes, at = [], [], 0
        while (m := piece.match(run, at)) is not None:
            sizes.append(m.group().index("."))
            at = m.end()
            seams.append(at)
        rest = run[at:]
        if len(seams) >= 2 and "." not in rest and not rest.startswith("0"):
            spread = max(sizes) - min(sizes)
            if spread <= 1:
                readings.append(((spread, bool(rest), places), [c for c in seams if c < len(run)]))
    return min(readings)[1] if readings else []


_GLUED_YEAR = re.compile(r"(?<=\d)(?=(?:19|20)\d\d年度)")
_NOT_ETC = ("等于", "等级", "等同", "等次")
_CLOSERS = ")）]】》」』"


@functools.lru_cache(maxsize=65536)
def glue_cuts(text: str) -> tuple[int, ...]:
    """Positions inside ``text`` where two cells printed without a separator meet."""
    pats = patterns()
    cuts: set[int] = set()
    covered: list[tuple[int, int]] = []
    # Vocabulary: leftmost-longest non-overlapping matches.
    matches = sorted(((end - len(w) + 1, end + 1) for end, w in _automaton().iter(text)),
                     key=lambda m: (m[0], -(m[1] - m[0])))
    last_end = 0
    for start, end in matches:
        if start >= last_end:
            # 服务对象满意度指标等: "etc." closes the word it follows (not 等于 / 等级 opening the next cell)
            end += text.startswith("等", end) and not text.startswith(_NOT_ETC, end)
            while end < len(text) and text[end] in _CLOSERS:  # 【项目概况】:… the bracket closes the word
                end += 1
            cuts.update((start, end))
            covered.append((start, end))
            last_end = end

    def inside_word(i: int) -> bool:
        return any(s < i < e for s, e in covered)

    m = pats["marker"].match(text)
    if m and m.end() < len(text):
        cuts.add(m.end())
        covered.append((0, m.end()))
    m = pats["trailing_group"].search(text)
    if m and m.start() >= 2:
        cuts.add(m.start())
        covered.append((m.start(), m.end()))
    # the standard a value is set by (计划标准 …) between the value and the scoring rule or description;
    # at the end of a piece it may close a value (符合行业标准), so it is cut out only when text follows
    for m in pats["basis"].finditer(text):
        s, e = m.span()
        if e < len(text) and not inside_word(s) and not inside_word(e - 1):
            cuts.update((s, e))
            covered.append((s, e))
    # a scoring rule (完成得10分，未完成酌情扣分) is one cell: the numbers in it are no values
    for m in pats["score_rule"].finditer(text):
        s, e = m.span()
        if not inside_word(s):
            cuts.update((s, e))
            covered.append((s, e))
    # amounts printed with the same decimals and run together (5662.905662.905662.90: budget, adjusted
    # budget, spent): each ends where its decimals do; a date (2024.01.01) or a version cuts no amounts
    for m in _DOTTED_RUN.finditer(text):
        cuts.update(m.start() + c for c in _amount_seams(m.group()))
    # a budget year glued after a number (…长期发挥19 | 2024年度…项目绩效自评表: points, then the next
    # table's title): the year opens a cell, and the number before it is read on its own
    years = [m.start() for m in _GLUED_YEAR.finditer(text)]
    cuts.update(years)
    quantities = (m for a, b in zip([0, *years], [*years, len(text)]) for m in pats["quantity"].finditer(text, a, b))
    for m in quantities:
        s, e = m.span()
        if not any(ch.isdigit() for ch in m.group()) or inside_word(s) or inside_word(e):
            continue
        before = text[s - 1] if s and s not in years else ""
        if before and (before.isdigit() or before in ".,:/-~～至到"):
            continue
        after = text[e] if e < len(text) else ""
        if e == len(text) and s and _is_cjk(before) and _YEAR.match(m.group()):
            continue  # 医保基金监管专项2023: a bare year closing a name is part of it, not a value
        starts_sign = bool(pats["comparator_sign"].match(m.group()))
        if s and (starts_sign or _is_cjk(before) or before in ")）%‰"):
            cuts.add(s)
        if e < len(text) and (_is_cjk(after) or after in "(（") and not after.isdigit():
            cuts.add(e)
    m = pats["closing_comparator"].search(text)
    if m and m.start() and _is_cjk(text[m.start() - 1]) and not inside_word(m.start()):
        cuts.add(m.start())
    for m in pats["opener"].finditer(text):
        if m.start() and _is_cjk(text[m.start() - 1]) and not inside_word(m.start()):
            cuts.add(m.start())
        if not m.start() or m.start() in cuts:
            # a description is one sentence: what follows its full stop is the next cell (the next row's
            # name, 用于反映培训规模。参保人员检查户数)
            stop = text.find("。", m.end())
            if 0 < stop < len(text) - 1:
                cuts.add(stop + 1)
    for m in pats["weight_group"].finditer(text):
        cuts.update(i for i in m.span() if 0 < i < len(text))
    # a phrase printed twice before a number or the end (成本控制不超过预算不超过预算10): a self-evaluation's
    # target and actual result run together after the name; printed three times, the first closes
    # the name (保证财政建设补助专款专用 | 专款专用 | 专款专用)
    for m in _REPEATED.finditer(text) if len(text) <= _REPEAT_REACH else ():
        step = len(m.group("y"))
        if not inside_word(m.start()):
            first = m.start() + (step if m.end() - m.start() >= 3 * step else 0)
            cuts.update(range(first, m.end() + 1, step))
    if len(cuts) >= _RUN_OF_CELLS:
        _cut_closing_qualities(text, cuts, covered)
        _cut_bare_levels(text, cuts, covered)
    # a name marker also opens a cell that starts inside the piece (产出指标1.雾炮车射程: the level
    # cell, 1., the name)
    for c in sorted(c for c in cuts if 0 < c < len(text)):
        m = pats["marker_at"].match(text, c)
        if m and m.end() < len(text):
            cuts.add(m.end())
    return tuple(sorted(c for c in cuts if 0 < c < len(text)))


_SENTENCE = re.compile(r"[，。；;]|,(?!\d)")
_RUN_OF_CELLS = 3  # cuts in a piece that make it a run of cells (a table row or more) printed together


def cell_cuts(text: str) -> tuple[int, ...]:
    """Where cells meet inside ``text``: :func:`glue_cuts`, and in a run of cells (a row or a table
    printed with no separator) the run-together cell model's seams (:mod:`perfkg.extract.glue_model`)."""
    cuts = glue_cuts(text)
    if len(cuts) < _RUN_OF_CELLS:
        return cuts
    found = _model_seams(text, cuts)
    if found is None:
        return cuts
    marker = patterns()["marker_at"]
    # the model adds seams; it removes none of the rules', and it leaves a sentence whole (a goal, a
    # description: what lies between two rule cuts and holds a comma or a full stop is prose)
    bounds = [0, *cuts, len(text)]
    prose = [(a, b) for a, b in zip(bounds, bounds[1:]) if _SENTENCE.search(text, a, b)]
    opens = patterns()["comparator_end"]
    out = set(cuts) | {c for c in found if not any(a < c < b for a, b in prose)
                       and not (text[c].isdigit() and opens.search(text, max(0, c - 4), c))
                       and not _inside_number(text, c)}
    for c in sorted(out):  # a name marker opens a cell of its own (1.雾炮车射程), as the rules cut it
        m = marker.match(text, c)
        if m and m.end() < len(text):
            out.add(m.end())
    return tuple(sorted(out))


def _inside_number(text: str, c: int) -> bool:
    """A seam at a decimal point, or inside the integer part of a bare decimal number (850 | 1.78 of
    8501.78, a budget): inside one printed amount. Between digits elsewhere a seam may part a weight
    from its target (10 | 2764元/人/年, 10 | 96.7%), and a decimal opening with 0 is a number of its own."""
    if text[c - 1] == "." or text[c] == ".":
        return text[c - 1].isdigit() or text[c].isdigit()
    if not text[c - 1].isdigit() or not _DECIMAL_AHEAD.match(text, c):
        return False
    quantity = patterns()["quantity"].match(text, c)
    return quantity is not None and _DECIMAL_AHEAD.fullmatch(quantity.group()) is not None


_DECIMAL_AHEAD = re.compile(r"[1-9]\d*\.\d+")


def _model_seams(text: str, cuts: tuple[int, ...]) -> set[int] | None:
    """The model's seams in each stretch of cell-sized pieces of ``text`` (None: no model file).

    A piece between two rule cuts longer than any cell the model was fitted on is not cells run
    together and gets no seams; a long stretch is read in windows that end at a rule cut, so the
    work stays linear in the line and bounded per window (a page-long line of garbage costs little)."""
    bounds = [0, *cuts, len(text)]
    stretches: list[list[int]] = [[0]]
    for a, b in zip(bounds, bounds[1:]):
        if b - a > glue_model.LONGEST_PIECE:
            stretches.append([b])  # the long piece stands alone: the next stretch starts after it
        elif b - stretches[-1][0] > glue_model.WINDOW and len(stretches[-1]) > 1:
            stretches.append([a, b])
        else:
            stretches[-1].append(b)
    found: set[int] = set()
    for stretch in stretches:
        if len(stretch) - 2 < _RUN_OF_CELLS:  # fewer inner rule cuts than a run of cells has
            continue
        start, end = stretch[0], stretch[-1]
        seams = glue_model.model_cuts(text[start:end], tuple(c - start for c in stretch[1:-1]))
        if seams is None:
            return None
        found.update(start + c for c in seams)
    return found


@functools.lru_cache(maxsize=1)
def _project_label_set() -> frozenset[str]:
    return frozenset(w for keys in content_words()["project_labels"].values() for w in keys)


@functools.lru_cache(maxsize=1)
def _qualities_by_length() -> tuple[str, ...]:
    """Qualitative target words long enough not to end a name by chance (稳步提升, 符合要求), longest first."""
    return tuple(sorted((w for w in qualitative_values() if len(w) >= _QUALITY_MIN), key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def _long_qualities() -> tuple[str, ...]:
    return tuple(w for w in _qualities_by_length() if len(w) >= _INNER_QUALITY_MIN)


_INNER_QUALITY_MIN = 4
_CLOSING_QUALITIES = 2  # qualitative words cut off the end of one piece: a target, then an actual result
_QUALITY_MIN = 2  # 有效, 及时, 合格 close names too often (资金拨付及时) to be cut off one


@functools.lru_cache(maxsize=1)
def _bare_levels() -> tuple[tuple[str, str], ...]:
    """Level names printed without 指标 too short to be cut wherever they stand (成本, 时效, 效益, 满意度),
    with the framework level each names; longest first."""
    out = {}
    for word, kind, _ in vocabulary_entries():
        level = _level_of(word) if kind in ("l1", "l2") else None
        if level and len(word) < 4 and not word.endswith("指标"):
            out[word] = level
    return tuple(sorted(out.items(), key=lambda kv: -len(kv[0])))


def _cut_bare_levels(text: str, cuts: set[int], covered: list[tuple[int, int]]) -> None:
    """In a run of cells, a row that opens with a level printed bare and glued to its first name
    (…1000万元10成本每年财政补助…, …大于83%成本校舍维修支出…): where a cell starts with a bare level
    name of another level than the last one printed, after a cell that is no level, the level is a cell
    of its own. Right after a level (数量指标成本控制) the word opens a name; so it does under its own level."""
    words = _bare_levels()
    spans = sorted(covered)
    levels = [_level_of(text[a:b]) for a, b in spans]
    level_ends = {b for (a, b), level in zip(spans, levels) if level}
    last_level, k = None, 0
    for c in sorted(cuts):
        while k < len(spans) and spans[k][0] < c:
            last_level = levels[k] or last_level
            k += 1
        if c in level_ends or (k and spans[k - 1][1] > c) or (k < len(spans) and spans[k][0] == c):
            continue  # right after a level (数量指标成本控制: a name), inside a word, or a word's start
        for word, level in words:
            end = c + len(word)
            if text.startswith(word, c) and end < len(text) and end not in cuts and _is_cjk(text[end]) \
                    and not _same_branch(level, last_level):
                cuts.add(end)
                covered.append((c, end))
                last_level = level
                break


def _level_of(word: str) -> str | None:
    return standard_level2(word) or standard_level1(word)


def _same_branch(a: str, b: str | None) -> bool:
    """One framework level, or a level and its parent (满意度指标 over 服务对象满意度指标)."""
    return b is not None and (a == b or standard_parent(a) == b or standard_parent(b) == a)


def _cut_closing_qualities(text: str, cuts: set[int], covered: list[tuple[int, int]]) -> None:
    """In a run of cells, a piece that ends in a qualitative target (医疗救助对生态环境的促进作用稳步提升)
    is a name and its value run together: the value is cut off. Only in a run of cells: in a delimited
    cell the words may close the name itself, and after a project label (项目名称) the piece is a
    project's name (办公大楼运行保障)."""
    bounds = sorted({0, len(text), *cuts})
    labels = _project_label_set()
    for before, a, b in zip([0, *bounds], bounds, bounds[1:]):
        piece = text[a:b]
        if text[before:a].rstrip(":：") in labels:
            continue
        end = b  # a target and an actual result may both close it (环境改善有所提升已完成)
        for _ in range(_CLOSING_QUALITIES):
            word = next((w for w in _qualities_by_length() if text.endswith(w, a, end) and end - a - len(w) >= 4
                         and _is_cjk(text[end - len(w) - 1]) and not any(s < end - len(w) < e for s, e in covered)),
                        None)
            if word is None:
                break
            end -= len(word)
            cuts.add(end)
        # a long one between two names (交通安全设施长效机制长期发挥交通安全设施可持续发展): a name, its
        # value and the next name; short words stand inside names too (资金使用合规率)
        for word in _long_qualities():
            at = piece.find(word, 4)
            while at > 0 and len(piece) - at - len(word) >= 4:
                if _is_cjk(piece[at - 1]) and _is_cjk(piece[at + len(word)]):
                    cuts.update((a + at, a + at + len(word)))
                at = piece.find(word, at + len(word) + 4)


_REPEATED = re.compile(r"(?P<y>[\u4e00-\u9fff]{2,12})(?P=y){1,2}(?![\u4e00-\u9fff])")  # target, actual (name)
_REPEAT_REACH = 20_000  # a page of glued text; a longer line is not searched for repeats (seconds on a megabyte)
_PUNCTUATION_ONLY = re.compile(r"^[^\w≥≤><=＝＞＜≧≦⩾⩽%‰]+$")


_CLOSING = re.compile(r"^[)）\]】》」』”]+$")
# "etc." closing a vocabulary word (服务对象满意度指标等) is part of the cell it closes, not a cell
_TRAILING_ETC = re.compile(r"^等+$")


def cut_glued(text: str, undelimited: bool = False) -> list[str]:
    """``text`` cut at :func:`glue_cuts` (at :func:`cell_cuts` when ``undelimited``: a line that may
    be cells whose separators were lost); a piece of punctuation only is not a cell of its own:
    a closing bracket goes back to the piece before it, other punctuation is dropped."""
    return list(_cut_glued(text, undelimited))


@functools.lru_cache(maxsize=65536)
def _cut_glued(text: str, undelimited: bool = False) -> tuple[str, ...]:
    cuts = [0, *(cell_cuts(text) if undelimited else glue_cuts(text)), len(text)]
    out: list[str] = []
    for piece in (text[a:b].strip() for a, b in zip(cuts, cuts[1:])):
        if not piece:
            continue
        if _PUNCTUATION_ONLY.match(piece):
            if out and _CLOSING.match(piece):
                out[-1] += piece
            continue
        if out and _TRAILING_ETC.match(piece):
            out[-1] += piece
            continue
        if out and piece[0] in ":：":
            out[-1] += piece[0]  # the colon after a label belongs to the label
            piece = piece[1:].strip()
            if not piece:
                continue
        out.append(piece)
    return tuple(out)


# ---------------------------------------------------------------- text lines

_PIPES = re.compile(r"[|｜]")
_RULE = re.compile(r"^[\s|｜:：\-—–=_+]*$")  # markdown rules, box lines, pipe-only lines
_LOST_SPACES = re.compile(r"\?{2,}|？{2,}")  # full-width spaces lost to "?" by a converter
_SPACES = re.compile(r"[ \u3000\u00a0]+")
_NOT_SPACES = re.compile(r"[^ \u3000\u00a0]+")
# a piece of these only is filler (rules, dot leaders); a lone "=" is a comparator (运算符号 | = | 49)
_PAGE_NUMBER = re.compile(r"^\s*[-—–]\s*\d{1,4}\s*[-—–]\s*$")
_FILLER = re.compile(r"^(?!\s*=\s*$)[\s\-—–=_·.…:：|｜?？~～]+$")


def _line_cells(line: str, bare: bool = False) -> tuple[str, list[str]]:
    """How a line is delimited ('pipe', 'tab' or 'space') and its cells (empty ones kept). In a document
    printed with bare pipes (``a | b``, no outer pipes: ``bare``), what comes before a line's first pipe
    is its first cell, empty or not (`` |  | 合格率 | ≥95%``: two empty cells, then the name)."""
    if len(_PIPES.findall(line)) >= 2 or line.strip().endswith(("|", "｜")):
        cells = _PIPES.split(line)
        if cells and not cells[0].strip() and not bare:
            cells = cells[1:]
        if cells and not cells[-1].strip():
            cells = cells[:-1]
        return "pipe", cells
    if "\t" in line:
        return "tab", line.split("\t")
    return "space", [line]


def _space_pieces(cell: str) -> list[tuple[str, str, int]]:
    """A cell cut at runs of spaces: (text, separator, character offset in the cell); a piece after two
    spaces or more, or after a full-width space, is ``sp2``."""
    if _SPACES.search(cell) is None:  # one piece: nothing to join (what the general case gives, faster)
        return [(cell, "sp1", 0)] if cell else []
    pieces: list[tuple[str, str, int]] = []
    end = 0  # where the piece before ended: the spaces run from there to this piece
    for m in _NOT_SPACES.finditer(cell):
        start = m.start()
        gap = start - end
        pieces.append((m.group(), "sp2" if gap >= 2 or (gap == 1 and cell[end] == "\u3000") else "sp1", start))
        end = m.end()
    return _join_open_brackets(_join_split_words(_join_letter_spacing(_join_glued_letter_spacing(pieces))))


_OPEN_BRACKETS, _CLOSE_BRACKETS = "(（[【", ")）]】"
_BRACKET_REACH = 3  # pieces a bracket opened at a piece's end may close in (数量( ≥**个 ))


def _open_brackets(text: str) -> int:
    return sum(text.count(c) for c in _OPEN_BRACKETS) - sum(text.count(c) for c in _CLOSE_BRACKETS)


def _join_open_brackets(pieces: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """A bracket opened in a piece and closed a single space or two later (开发数量( ≥**个 ), a name's
    placeholder printed with spaces inside its brackets) is one piece: a space inside brackets cuts no cell."""
    if len(pieces) < 2 or not any(_open_brackets(p[0]) > 0 for p in pieces[:-1]):
        return pieces
    out: list[tuple[str, str, int]] = []
    k = 0
    while k < len(pieces):
        piece = pieces[k]
        if _open_brackets(piece[0]) > 0:
            end = k + 1
            depth = _open_brackets(piece[0])
            while end < len(pieces) and end - k <= _BRACKET_REACH and pieces[end][1] == "sp1" and depth > 0:
                depth += _open_brackets(pieces[end][0])
                end += 1
            if depth == 0:
                out.append(("".join(p[0] for p in pieces[k:end]), piece[1], piece[2]))
                k = end
                continue
        out.append(piece)
        k += 1
    return out


@functools.lru_cache(maxsize=65536)
def _piece_parts(piece: str, undelimited: bool = False) -> tuple[bool, bool, tuple[str, ...]]:
    """What a space piece of a text line is: (a closing bracket only, filler only, its cells when neither)."""
    closing, filler = bool(_CLOSING.match(piece)), bool(_FILLER.match(piece))
    return closing, filler, () if closing or filler else _cut_glued(piece, undelimited)


_PIECES_KEPT = 4096  # cells up to this long keep their pieces (a cell of a line run on for pages is cut anew)


def _cell_pieces(cell: str, undelimited: bool = False
                 ) -> tuple[tuple[str, str, int, int, bool, bool, tuple[str, ...]], ...]:
    """What the splitters make of a text cell's space pieces, all from its text: each piece with its
    separator, its character offset, the display width of the cell before it and :func:`_piece_parts`."""
    if len(cell) <= _PIECES_KEPT:
        return _kept_cell_pieces(cell, undelimited)
    return _make_cell_pieces(cell, undelimited)


@functools.lru_cache(maxsize=65536)
def _kept_cell_pieces(cell: str, undelimited: bool
                      ) -> tuple[tuple[str, str, int, int, bool, bool, tuple[str, ...]], ...]:
    return _make_cell_pieces(cell, undelimited)


def _make_cell_pieces(cell: str, undelimited: bool
                      ) -> tuple[tuple[str, str, int, int, bool, bool, tuple[str, ...]], ...]:
    out = []
    done, width = 0, 0  # display width of cell[:done], kept as pieces advance (linear in the line)
    for piece, space_sep, pos in _space_pieces(cell):
        width += display_width(cell[done:pos])
        done = pos
        out.append((piece, space_sep, pos, width, *_piece_parts(piece, undelimited)))
    return tuple(out)


def _join_split_words(pieces: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """``服务对象满意度 指标``: two pieces a single space apart that make one vocabulary word are one; so
    are a 指标 / 目标 and its number (指标 1：…)."""
    if not any(p[1] == "sp1" for p in pieces[1:]):
        return pieces  # only a piece one space after another can be joined to it
    words = _vocabulary_set()
    out: list[tuple[str, str, int]] = []
    for piece in pieces:
        if piece[1] == "sp1" and out:
            # the word may have been broken in three (年度 绩效 指标): the two pieces before, then the one
            if len(out) >= 2 and out[-1][1] == "sp1":
                word = out[-2][0] + out[-1][0] + piece[0]
                if word in words:
                    out[-2:] = [(word, out[-2][1], out[-2][2])]
                    continue
            word = out[-1][0] + piece[0]
            if word in words or (out[-1][0] in _NUMBERED_WORDS and _NUMBERING.match(piece[0])):
                # 指标 1：城乡居民参保: a name's number printed a space after its word is one marker
                out[-1] = (word, out[-1][1], out[-1][2])
                continue
        out.append(piece)
    return out


_NUMBERED_WORDS = frozenset({"指标", "目标"})
_NUMBERING = re.compile(r"^\d{1,2}[:：.、]")


def _join_glued_letter_spacing(pieces: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """A word printed letter-spaced in cells run together (…办结时限。成 本 指 标经济成本…): its first
    and last characters are glued to the cells around it, so only a run of single characters is left
    between them. Where a vocabulary word spans the run from the piece before into the piece after,
    the three pieces are one (the run-together cuts then cut the word out of it). A piece that is a
    word or a header of its own is a cell: 三级指标 | 目标值 are two headers, not 指标目标值."""
    out: list[tuple[str, str, int]] = []
    k = 0
    while k < len(pieces):
        if not out or pieces[k][1] != "sp1" or not _is_cjk(out[-1][0][-1]):
            out.append(pieces[k])
            k += 1
            continue
        nxt = k  # the piece after the run of single characters (the run may be empty: 效 益经济效益指标)
        while nxt < len(pieces) and len(pieces[nxt][0]) == 1 and _is_cjk(pieces[nxt][0]) and pieces[nxt][1] == "sp1":
            nxt += 1
        if nxt < len(pieces) and pieces[nxt][1] == "sp1" and _is_cjk(pieces[nxt][0][0]) \
                and not _whole_word(out[-1][0]) and not _whole_word(pieces[nxt][0]):
            tail, head = out[-1][0][-_SPACED_REACH:], pieces[nxt][0][:_SPACED_REACH]
            joined = tail + "".join(p[0] for p in pieces[k:nxt]) + head
            inner = len(joined) - len(head)
            # the word crosses into the piece after; with fewer than two single characters between (产出 指标)
            # the piece before must be glued text ending in the word's head, not the head alone (三级 指标值内容)
            glued_before = len(out[-1][0]) > len(tail) or nxt - k >= 2
            if any(end - len(w) + 1 < len(tail) and end >= inner and (glued_before or end - len(w) + 1 > 0)
                   for end, w in _automaton().iter(joined)):
                out[-1] = (out[-1][0] + joined[len(tail):] + pieces[nxt][0][len(head):], out[-1][1], out[-1][2])
                k = nxt + 1
                continue
        out.append(pieces[k])
        k += 1
    return out


def _whole_word(piece: str) -> bool:
    """A piece that is a vocabulary word or a column header of its own (三级指标 | 目标值): a cell, not the
    glued end of a letter-spaced word."""
    return piece in _vocabulary_set() or header_role(piece) is not None


_SPACED_REACH = 4  # characters of a letter-spaced word glued to the cell before or after it


def _join_letter_spacing(pieces: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """``产 出 指 标`` (one character a piece, single spaces) is one word printed letter-spaced."""
    if not any(len(p[0]) == 1 and _is_cjk(p[0]) for p in pieces):
        return pieces  # no single character: no run to join
    out: list[tuple[str, str, int]] = []
    run: list[tuple[str, str, int]] = []

    def flush() -> None:
        if len(run) >= 3:
            out.append(("".join(p[0] for p in run), run[0][1], run[0][2]))
        else:
            out.extend(run)
        run.clear()

    for piece in pieces:
        single = len(piece[0]) == 1 and _is_cjk(piece[0])
        if single and (not run or piece[1] == "sp1"):
            run.append(piece)
        else:
            flush()
            if single:
                run.append(piece)
            else:
                out.append(piece)
    flush()
    return out


MAX_FLAGS = 10  # too_many_cells flags of one document; the last one counts the rest


def tokenise_rows(rows: list[SourceRow], flags: list[Flag] | None = None,
                  max_cells: int | None = None) -> list[Token]:
    """Every source row's tokens, in reading order.

    A row is cut into at most ``max_cells`` tokens (default ``extract.limits``, PERFKG_MAX_LINE_CELLS):
    past that the rest of the row is one more token, its last, so the work of the splitters and the content
    model per line is bounded, and a ``too_many_cells`` flag is appended to ``flags`` when given.
    """
    limit = max(1, max_cells if max_cells is not None else _limits.current().max_line_cells)
    bare = bare_pipes(rows)
    tokens: list[Token] = []
    blank = 0
    cut_rows = 0
    for r, row in enumerate(rows):
        before = len(tokens)
        if row.grid:
            rest = _grid_tokens(row, r, blank, tokens, limit)
        else:
            rest = _text_tokens(row, r, blank, tokens, limit, bare)
        blank = 0 if len(tokens) > before else blank + 1
        if rest is not None:
            cut_rows += 1
            if flags is not None and cut_rows <= MAX_FLAGS:
                flags.append(Flag("too_many_cells", f"{row.cells[0].where}: more than {limit} cells; the rest "
                                  f"of the line ({len(rest)} characters) read as one cell (PERFKG_MAX_LINE_CELLS)",
                                  r + 1, rest[:40]))
    if flags is not None and cut_rows > MAX_FLAGS:
        flags[-1].message += f" ({cut_rows - MAX_FLAGS} more such lines not listed)"
    return tokens


def tokenise_lines(lines: list[str]) -> list[Token]:
    """Tokens of plain text lines (a convenience for tests and doctests)."""
    from perfkg.extract.source_model import SourceCell

    return tokenise_rows([SourceRow([SourceCell(line, f"line {n}")]) for n, line in enumerate(lines, 1)])


def _bounded_head(cell: str, room: int) -> int:
    """Where to stop cutting ``cell`` into space pieces so that it gives at most ``room`` + 1 of them:
    a piece is a character and a space at least, so a short cell is never cut; in a longer one, at
    the space run after the ``room``-th (the regex finds it without splitting the rest)."""
    if len(cell) <= 2 * room:
        return len(cell)
    m = next(itertools.islice(_SPACES.finditer(cell), room, None), None)
    return m.start() if m else len(cell)


def bare_pipes(rows: list[SourceRow]) -> bool:
    """Whether a document prints its pipe tables with bare pipes (``a | b``): most of its lines of two
    pipes or more (and some text) do not both start and end with one. A line that opens with spaces
    and then a pipe does not count either way: it is a bare row whose first cell is empty
    (`` |  | 合格率 |``) as often as an indented row with outer pipes."""
    bare = outer = 0
    for row in rows:
        if row.grid or not row.cells:
            continue
        raw = row.cells[0].text.rstrip()
        text = raw.lstrip()
        if len(_PIPES.findall(text)) >= 2 and not _RULE.match(text):
            if text.startswith(("|", "｜")) and text.endswith(("|", "｜")):
                outer += raw == text
            else:
                bare += 1
    return bare > outer


def _text_tokens(row: SourceRow, r: int, blank: int, out: list[Token], limit: int,
                 bare: bool = False) -> str | None:
    """The tokens of a text line, appended to ``out``; the rest of the line when it was cut at ``limit``
    (``bare``: the document's pipes are bare, :func:`bare_pipes`)."""
    cell0 = row.cells[0]
    line = cell0.text.replace("\r", "")
    if "?" in line or "？" in line:
        line = _LOST_SPACES.sub("  ", line)
    if _RULE.match(line):
        return None
    if _PAGE_NUMBER.match(line):  # - 30 -: one cell of page furniture, not a number between fillers
        out.append(Token(line.strip(), r, cell0.where, "row", 0, 0, blank, 0))
        return None
    kind, cells = _line_cells(line, bare)
    delimiter = {"tab": "\t", "pipe": "|"}.get(kind, "")
    # a line with neither tabs nor pipes may be cells whose separators a converter lost: only there
    # does the run-together cell model look for seams (a tab, pipe or grid cell is a cell)
    undelimited = kind == "space"
    state = {"first": True, "empty": 0, "count": 0}  # count: tokens of this line so far
    where = cell0.where

    def rest_token(c: int, text: str, sep: str, col: int) -> str:
        rest = (text + "".join(delimiter + other for other in cells[c + 1:])).strip()
        first = state["first"]
        out.append(Token(rest, r, cell0.where, "row" if first else sep, c, col, blank if first else 0,
                         state["empty"]))
        return rest

    def cell_tokens(c: int, cell: str, base: int, head: int) -> str | bool:
        """Tokens of cell[:head]: the rest of the line when the limit was reached, else whether all fit."""
        first, empty, count = state["first"], state["empty"], state["count"]  # (kept in locals: a call a piece)
        pieces = _cell_pieces(cell[:head], undelimited)
        for k, (piece, space_sep, pos, width, closing, filler, parts) in enumerate(pieces):
            if closing and out and not first:
                out[-1] = replace(out[-1], text=out[-1].text + piece)  # "( ≥**个 )": the bracket closes the cell before
                continue
            if filler:
                continue
            sep = space_sep if k else (kind if kind != "space" else space_sep)
            col = base + width
            if count + len(parts) > limit:  # past the limit: the rest of the line is one more token
                state["first"], state["empty"], state["count"] = first, empty, count
                return rest_token(c, cell[pos:], sep, col)
            for j, part in enumerate(parts):
                out.append(Token(part, r, where, "row" if first else (sep if j == 0 else "glue"),
                                 c, col, blank if first else 0, empty))
                first, empty = False, 0
            count += len(parts)
        state["first"], state["empty"], state["count"] = first, empty, count
        return head == len(cell)

    offset = 0
    for c, cell in enumerate(cells):
        base = offset
        offset += display_width(cell) + 1
        if not cell.strip() or _FILLER.match(cell):
            state["empty"] += 1
            continue
        head = _bounded_head(cell, limit - state["count"])
        before, saved = len(out), (dict(state), out[-1] if out else None)
        done = cell_tokens(c, cell, base, head)
        if isinstance(done, str):
            return done
        if not done:
            # the head gave fewer tokens than the room (letter-spaced words joined, fillers): cut the whole
            # cell after all, so a line under the limit reads exactly as without one
            del out[before:]
            if saved[1] is not None:
                out[before - 1] = saved[1]  # a closing bracket may have been added to the token before
            state.update(saved[0])
            done = cell_tokens(c, cell, base, len(cell))
            if isinstance(done, str):
                return done
    return None


def _grid_tokens(row: SourceRow, r: int, blank: int, out: list[Token], limit: int) -> str | None:
    """The tokens of a grid row, appended to ``out``; the rest of the row when it was cut at ``limit``."""
    first = True
    empty = 0
    last_col = -1
    count = 0
    for n, cell in enumerate(row.cells):
        empty += max(0, cell.col - last_col - 1)
        last_col = cell.col + cell.col_span - 1
        text = _SPACES.sub(" ", cell.text.replace("\n", " ")).strip()
        if not text or _FILLER.match(text):
            empty += 1
            continue
        pieces = [p for p, _, _ in _space_pieces(text)]  # 指标\n性质 wrapped in its cell is one word
        for k, piece in enumerate(pieces):
            parts = _cut_glued(piece)
            if count + len(parts) > limit:  # past the limit: the rest of the row is one more token
                rest = " ".join([*pieces[k:], *(other.text for other in row.cells[n + 1:])]).strip()
                out.append(Token(rest, r, cell.where, "row" if first else ("sp1" if k else "cell"),
                                 cell.col, cell.col, blank if first else 0, empty))
                return rest
            for j, part in enumerate(parts):
                sep = "glue" if j else ("sp1" if k else "cell")
                out.append(Token(part, r, cell.where, "row" if first else sep,
                                 cell.col, cell.col, blank if first else 0, empty))
                first = False
                empty = 0
            count += len(parts)
    return None
