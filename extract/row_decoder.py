"""The row decoder: tagged tokens to projects and indicators, by the table grammar.

The grammar, read left to right over the tag sequence: a project header (name, code, budget,
goal) opens a project; a level-1 name sets the level-1 context and clears level 2; a level-2
name sets level 2; an indicator name opens an indicator under the current levels (merged cells
inherit); a value, comparator, unit, actual result, weight, points or description attaches to
the open indicator. Linear in the number of tokens. What cannot be placed (a value with no
indicator name before it, a cell inside a table that no field takes) is kept as a flag with its
text and line; only furniture (column headers, level labels, page numbers, unit lines) is not.
"""
from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from perfkg.extract.content_model import label_field, label_suffix_field, token_shape
from perfkg.extract.records import Flag, Indicator, Project
from perfkg.extract.target_values import (
    clean_value_text,
    comparator_op,
    looks_like_value,
    number_first,
    ocr_comparator,
    parse_quantity,
    parse_target_value,
)
from perfkg.extract.text_normalise import compact
from perfkg.extract.tokens import DELIMITERS, Token, display_width
from perfkg.extract.value_grammar import patterns as value_patterns
from perfkg.extract.vocabulary import (
    clean_label,
    content_words,
    framework,
    header_role,
    level2_parents,
    qualitative_values,
    standard_level1,
    standard_level2,
    standard_parent,
)


@dataclass
class Segment:
    role: str
    tokens: list[Token]
    continued: bool = False  # opened by an I- tag after other cells: the rest of a wrapped cell

    # (worked out when first asked for: the decoder asks again and again; a segment's tokens are all
    # in it by then, :func:`segments` being done with it)
    @functools.cached_property
    def text(self) -> str:
        """The segment's text as printed, whitespace removed between and inside tokens."""
        return compact("".join(t.text for t in self.tokens))

    @functools.cached_property
    def lines(self) -> tuple[int, int]:
        return self.tokens[0].row + 1, self.tokens[-1].row + 1


def segments(tokens: list[Token], tags: list[str]) -> list[Segment]:
    """Runs of tokens with one role: a B- tag (or an I- tag after another role) opens a run."""
    out: list[Segment] = []
    for tok, tag in zip(tokens, tags):
        if tag == "O":
            out.append(Segment("O", [tok]))
            continue
        kind, role = tag.split("-", 1)
        if kind == "I" and out and out[-1].role == role:
            out[-1].tokens.append(tok)
        else:
            out.append(Segment(role, [tok], continued=kind == "I"))
    for seg in out:  # their text and lines, which the decoder asks for: at once (cached_property locks)
        run = seg.tokens
        seg.__dict__["lines"] = run[0].row + 1, run[-1].row + 1
        seg.__dict__["text"] = compact(run[0].text if len(run) == 1 else "".join(t.text for t in run))
    return out


_BRACKETS = re.compile(r"^[（(](.*)[）)]$")
_WEIGHT_SUFFIX = re.compile(r"[（(]\d+(?:\.\d+)?分[）)]$")
_AMOUNT = re.compile(r"^[+-]?\d+(?:,\d{3})*(?:\.\d+)?$")
_BARE_NUMBER = re.compile(r"^[+-]?[\d,.]")
_OP_SIGN = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}


def clean_level3(text: str) -> str:
    """An indicator name as records keep it: no whitespace, no marker or numbering before it."""
    t = compact(text)
    marker = re.compile(content_words()["marker_pattern"])
    for _ in range(3):
        stripped = marker.sub("", t)
        if stripped == t:
            break
        t = stripped
    return t


_OPENERS, _CLOSERS = "【[〔(（", "】]〕)）"
_DASHES = "-—－–"


def clean_level(text: str) -> str:
    """A printed level name: no whitespace, no (必填) suffix, no weight (50分) after it, no bracket
    left over from a heading cut in two (【产出指标-数量指标】 -> 产出指标, 数量指标)."""
    t = _WEIGHT_SUFFIX.sub("", clean_label(text))
    if t[:1] in _DASHES and len(t) > 1:
        t = t[1:]  # the level 2 of a heading cut at its dash (【产出指标 | -数量指标】)
    if not t:
        return t  # (nothing left: no bracket to look at)
    if t[:1] in _OPENERS and not any(c in t for c in _CLOSERS):
        t = t[1:]
    if t[-1:] in _CLOSERS and not any(c in t for c in _OPENERS):
        t = t[:-1]
    if t[:1] in _OPENERS and t[-1:] in _CLOSERS and _OPENERS.index(t[0]) == _CLOSERS.index(t[-1]) \
            and not any(c in t[1:-1] for c in _OPENERS + _CLOSERS):
        t = t[1:-1]
    return t


def clean_value(text: str) -> str:
    m = _BRACKETS.match(text)
    return m.group(1) if m else text


_PARTS_OUT_OF_ORDER = re.compile(r"^([≥≤><=＝＞＜≧≦]{1,2}|不低于|不少于|不超过|不高于|大于等于|小于等于|大于|小于)"
                                 r"([^\d.]{1,6}?)(\d+(?:\.\d+)?)$")


def _parts_in_order(value: str) -> str:
    """A target whose comparator, unit and number columns ran together in that order (≤% | 0.6, 符号 |
    单位 | 指标值) as the target is printed: comparator, number, unit (≤0.6%). Any other text as it is."""
    m = _PARTS_OUT_OF_ORDER.match(compact(value))
    if m is None or not (_unit_words(m.group(2)) or m.group(2) in _VALUE_UNIT_WORDS):
        return value
    fixed = m.group(1) + m.group(3) + m.group(2)
    quantity = parse_quantity(fixed)
    return fixed if quantity is not None and quantity[2] is not None else value


def amount(text: str) -> float | None:
    t = unicodedata.normalize("NFKC", compact(text)).replace(",", "")
    t = re.sub(r"(万元|元|万)$", "", t)
    return float(t) if _AMOUNT.match(t) else None


@dataclass
class _Open:
    """The indicator being read and the printed parts of its target."""

    indicator: Indicator
    value: str | None = None
    op: str | None = None
    op_text: str | None = None  # the comparator cell as printed (≦ for <=)
    unit: str | None = None
    last_line: int = 0
    weight_first: bool = False  # a weight was read before the target (权重 | 指标值 columns)


_WRAP_LINES = 3  # lines a project header's wrapped name or goal may go on below it
_INDICATOR_ROLES = frozenset({"L3", "VAL", "OP", "UNIT", "ACT", "WT", "PTS", "DESC"})
_ROLE_NAMES = {"OP": "comparator", "UNIT": "unit", "ACT": "actual-result", "WT": "weight", "PTS": "points",
               "DESC": "description", "VAL": "value"}


@dataclass
class DecodedDocument:
    projects: list[Project] = field(default_factory=list)
    bureaus: list[str] = field(default_factory=list)  # every cell tagged as the bureau, in order
    flags: list[Flag] = field(default_factory=list)


class _Decoder:
    def __init__(self, money_unit: float):
        self.out = DecodedDocument()
        self.money_unit = money_unit  # 1.0 for 万元, 1e-4 for 元
        # where the document states its money unit again (单位：元 over one table, 预算金额（元） in a header):
        # the rows of the statements and their units; before the first, ``money_unit``
        self.unit_rows: list[int] = []
        self.units: list[float] = []
        self.header: dict[str, object] = {}
        self.project: Project | None = None
        self.level1: str | None = None
        self.level2: str | None = None
        self.open: _Open | None = None
        self.project_header: dict[str, object] = {}
        self.title: str | None = None  # the name a table title prints, for a table without 项目名称
        self.column_levels: dict[int, str] = {}  # cell → level-1 name, for side-by-side groups
        self.row_shifts: dict[int, int] = {}  # rows under side-by-side groups: cells shifted against the header
        self.has_headers = False  # the document prints column headers (一级指标 … 指标值)
        self.pending_level: Segment | None = None  # the last level label no indicator has followed yet
        self.umbrella: str | None = None  # a level printed over the framework's level-1 names
        self.name_row: int | None = None  # the row of the last indicator name read
        # indicators whose level 1 came from the framework (their level 2's parent), since the last printed
        # level 1: a merged level-1 cell prints its name on a middle row of its block, below them
        self.level1_inferred = False
        self.inferred_level1: list[Indicator] = []
        # the printed level 1 a level 2 of another framework level left (时效指标 under 成本指标), until a
        # printed level 1 says whether that level 2 began a new block (shifted) or belongs to this one
        self.switched_from: str | None = None
        self.under_header = False  # a column header came after the last title or project name
        self.opened_under_header = False
        # cells no field takes, with their table (and whether they were read in its project header)
        self.unplaced_cells: list[tuple[Project, Segment, bool]] = []
        self.header_lines: dict[str, int] = {}  # the line each project-header field was read on
        self.header_cells: list[Segment] = []  # cells no field takes since the last table closed
        self.budget_text: dict[str, str] = {}  # the budget cells of the header as printed (BT → 4,130.10)
        self.project_budget_text: dict[str, str] = {}
        self.printed: dict[int, str] = {}  # id(project) → its budget cells as printed
        self.budget_cells: dict[int, dict[str, str]] = {}  # id(project) → BT/BF/BO → its cell as printed
        self.unit_code: str | None = None  # the unit code a summary table's unit column printed last
        self.header_row: dict[int, int] = {}  # id(project) → the line of its first indicator, when its header is on it
        self.weights_first: dict[int, list[float]] = {}  # id(project) → the weights read before their targets

    def stray(self) -> bool:
        """The open project's names were stray cells of a project header block: the document
        prints column headers, this project opened before one, and no name sits under a level. A
        project whose header is printed on the row of an indicator and its value (a summary table's
        row: code | name | budget | name | value …) is a table's row, not stray cells."""
        project = self.project
        if project is None or not self.has_headers or self.opened_under_header:
            return False
        line = self.header_row.get(id(project))
        if line is not None and any(i.span and i.span[0] == line and i.value for i in project.indicators):
            return False
        return not any(_level_like(i.level1) or _level_like(i.level2) for i in project.indicators)

    def restart_project(self) -> None:
        """Stray name-like cells before a table's column header were no table: the header fields
        they took go to the table that follows; the cells are kept as a flag."""
        self.finish_indicator()
        project = self.project
        if project is None:
            return
        self.out.projects.remove(project)
        # the cells no field took among its names (the last ones listed: it is the last table) are kept with them
        own: list[str] = []
        while self.unplaced_cells and self.unplaced_cells[-1][0] is project:
            own.append(self.unplaced_cells.pop()[1].text)
        own.reverse()
        self.out.flags.append(Flag("not_a_table", f"{len(project.indicators)} name-like cells before a table "
                                   "header were not read as indicators", project.span[0] if project.span else None,
                                   " ".join([project_cells(project), *own]).strip()))
        self.header = {**self.project_header, **self.header}
        self.budget_text = {**self.project_budget_text, **self.budget_text}
        start = project.span[0] if project.span else None
        for key in self.project_header:  # a name taken from a title has no header line: it is where the table began
            if start is not None:
                self.header_lines.setdefault(key, start)
        self.project = None
        self.level1 = self.level2 = None

    # project header -------------------------------------------------
    def header_field(self, seg: Segment) -> None:
        if seg.role in ("BT", "BF", "BO") and amount(seg.text) is None:
            # no amount (内 of 在预算金额内 inside a row): no budget, so no project header either
            self.out.flags.append(Flag("header_value_not_kept", f"a {seg.role} cell of the project header that "
                                       "does not read as an amount was not kept", seg.lines[0], seg.text[:200]))
            return
        self.finish_indicator()
        if self.project is not None and self.project.indicators:
            if self.stray():
                self.restart_project()
            else:
                self.close_project()
        if seg.role == "PNAME":
            self.under_header = False
        key = seg.role
        if key in self.header:
            if key == "PNAME":
                self.superseded_header(seg.lines[0])  # a second name: the first one opened no table
            else:
                self.out.flags.append(Flag("header_value_not_kept", f"a second {key} cell of the project header "
                                           "was not kept", seg.lines[0], seg.text[:200]))
                return
        if key in ("BT", "BF", "BO"):
            a = amount(seg.text)
            assert a is not None  # (checked above)
            self.budget_text[key] = seg.text
            unit = self.unit_at(seg.tokens[0].row)
            if seg.text.endswith("万元") or seg.text.endswith("万"):
                unit = 1.0
            elif seg.text.endswith("元"):
                unit = 1e-4
            self.header[key] = round(a * unit, 6)
        elif key == "PCODE" and (coded := _CODED_UNIT.match(seg.text)):
            self.header[key] = self.unit_code = coded.group(1)  # the code of a unit printed with its name
        else:
            enclosed = _ENCLOSED.fullmatch(seg.text) if key == "PNAME" else None
            self.header[key] = enclosed.group(1) if enclosed else seg.text  # a name printed in brackets
        self.header_lines[key] = seg.lines[0]
        self.header.setdefault("_line", seg.lines[0])

    def unit_at(self, row: int) -> float:
        """The money unit of an amount without its own, at token row ``row``: the last one stated before."""
        k = bisect.bisect_right(self.unit_rows, row)
        return self.units[k - 1] if k else self.money_unit

    def superseded_header(self, line: int) -> None:
        """A second project name before any indicator: the first name, and the fields read up to its
        line, had no table (flagged, dropped); fields read after it belong to the second name."""
        lines = self.header_lines
        first = lines.get("PNAME", line)
        # a field with no line of its own counts as read here, the line of the second name
        gone = [k for k in self.header if not k.startswith("_") and lines.get(k, line) <= first]
        if gone:
            self.out.flags.append(Flag("header_without_table", "project-header cells followed by another project "
                                       "name before any indicator", min(lines.get(k, line) for k in gone),
                                       " ".join(self.budget_text.get(k, str(self.header[k])) for k in gone)[:200]))
        for k in gone:
            del self.header[k]
            self.budget_text.pop(k, None)
        self.header.pop("_line", None)
        if self.header:
            self.header["_line"] = min(lines.get(k, line) for k in self.header)

    def ensure_project(self, line: int) -> Project:
        if self.project is None:
            h = self.header
            # a summary row whose unit cell is merged with the row above's: that row's unit code
            code = h.get("PCODE") or (self.unit_code if h.get("PNAME") else None)
            self.project = Project(
                name=str(h.get("PNAME") or self.title or ""), code=code,  # type: ignore[arg-type]
                budget_total=h.get("BT"), budget_fiscal=h.get("BF"), budget_other=h.get("BO"),  # type: ignore[arg-type]
                goal=h.get("GOAL"), layout="content-model")  # type: ignore[arg-type]
            self.project.span = (int(h.get("_line", line)), line)  # type: ignore[call-overload]
            if h.get("_line") == line:
                self.header_row[id(self.project)] = line
            self.out.projects.append(self.project)
            self.opened_under_header = self.under_header
            named = {"PNAME": self.project.name} if self.project.name else {}
            self.project_header, self.header = {**self.header, **named}, {}
            self.project_budget_text, self.budget_text = self.budget_text, {}
            self.printed[id(self.project)] = " ".join(self.project_budget_text.values())
            self.budget_cells[id(self.project)] = dict(self.project_budget_text)
            # the row of the first indicator is a table row: cells before it on that row are the table's
            # (in a table printed on one line: its whole project header)
            self.unplaced_cells += [(self.project, seg, True) for seg in self.header_cells
                                    if seg.lines[1] >= line and not is_furniture(seg.text)]
            self.header_cells = []
            self.title = None
        return self.project

    def level_only_row(self) -> None:
        """A level label with no indicator under it (a cut table, a label-only row) is kept as a flag."""
        seg, self.pending_level = self.pending_level, None
        if seg is not None:
            self.out.flags.append(Flag("level_without_indicator", "a level label with no indicator row under it",
                                       seg.lines[0], seg.text[:80]))

    def printed_level1(self, text: str) -> None:
        """A level 1 printed under indicators that took theirs from the framework: where it is the same
        framework level (产出类指标 for 产出指标), it is their merged cell's name, printed on a middle row."""
        std = standard_level1(text)
        if std is not None and self.inferred_level1 and all(
                standard_level1(ind.level1) == std for ind in self.inferred_level1):
            for ind in self.inferred_level1:
                ind.level1 = text
        else:
            self.keep_printed_level1()
        self.inferred_level1 = []
        self.level1_inferred = False
        self.switched_from = None

    def keep_printed_level1(self) -> None:
        """A level 2 of another framework level turned out to belong to the printed level 1's block
        (质量指标 printed under 效益指标): its indicators keep that level 1."""
        if self.switched_from is not None:
            for ind in self.inferred_level1:
                ind.level1 = self.switched_from
            self.level1, self.level1_inferred = self.switched_from, False
        self.switched_from = None

    def close_project(self) -> None:
        self.umbrella = None
        self.keep_printed_level1()
        self.inferred_level1 = []
        self.level_only_row()
        self.finish_indicator()
        self.project = None
        self.level1 = self.level2 = None

    # indicators -----------------------------------------------------
    def weight_glued(self, ind: Indicator, value: str, line: int) -> str:
        """A target with no weight, in a table that prints each weight before its target, whose digits
        open with a weight of the table (5 | 184个 run together as 5184个; 10 | 构建…网络): the weight
        and the target, where what is left reads as a target (a number not opening with 0, or words)."""
        seen = self.weights_first.get(id(self.project), [])
        if len(seen) < 2:
            return value
        t = compact(value)
        for w in sorted({f"{x:g}" for x in seen}, key=len, reverse=True):
            rest = t[len(w):]
            if not t.startswith(w) or not rest or (rest[0] == "0" and not rest.startswith("0.")):
                continue
            q = parse_quantity(rest)
            # words after the weight: where the whole reads as no quantity (12月底前 is a date, not 1 | 2月底前)
            words = _is_cjk_char(rest[0]) and parse_quantity(t) is None and not looks_like_value(t)
            if (q is not None and q[1] is not None) or words or ocr_comparator(rest) is not None:
                ind.score = float(w)
                ind.flags.append(Flag("weight_glued", "a weight run together with the target after it, read apart",
                                      line, value))
                return rest
        return value

    def finish_indicator(self) -> None:
        if self.open is None:
            return
        o, ind = self.open, self.open.indicator
        value = o.value
        if o.weight_first and ind.score is not None and self.project is not None:
            self.weights_first.setdefault(id(self.project), []).append(ind.score)
        elif ind.score is None and value is not None and self.project is not None:
            value = self.weight_glued(ind, value, o.last_line)
        if value is not None and (o.op or o.unit):
            quantity = parse_quantity(value)
            if quantity is not None:  # a number whose comparator or unit has a cell of its own
                printed_op = not _BARE_NUMBER.match(unicodedata.normalize("NFKC", value))
                if o.op and not printed_op:
                    value = _OP_SIGN.get(o.op, "") + value
                if o.unit and quantity[2] is None:
                    value += o.unit
                elif o.unit and o.unit not in value:
                    value += o.unit  # 不超过21个 | 工作日: the rest of a unit wrapped into the next cell
            else:
                ind.flags.append(Flag("cell_not_kept", "a comparator or unit cell beside a target that is not a "
                                      "number was not kept", o.last_line,
                                      " ".join(x for x in (o.op_text or o.op, o.unit) if x)))
        elif value is None and (o.unit or o.op):
            ind.flags.append(Flag("cell_not_kept", "a comparator or unit cell with no target number was not kept",
                                  o.last_line, " ".join(x for x in (o.op_text or o.op, o.unit) if x)))
        elif value is None:
            ind.flags.append(Flag("value_missing", "no target value could be read for this indicator",
                                  ind.span[0] if ind.span else None))
        reordered = None
        if value is not None and parse_quantity(value) is None:
            # 92≥% or ≤%0.6: the value, comparator and unit columns run together in another order
            reordered = number_first(value) or (_parts_in_order(value) if _parts_in_order(value) != value else None)
        if reordered is not None:
            ind.flags.append(Flag("value_reordered", "a target printed number, comparator, unit (or comparator, "
                                  "unit, number) read as comparator, number, unit", o.last_line, value))
            value = reordered
        if value is not None and ocr_comparator(value) is not None:
            ind.flags.append(Flag("comparator_ocr", "a comparator misread by OCR (工90%, 二2367元, 292%) read as the "
                                  "comparator it stood for", o.last_line, value))
        tv = parse_target_value(value)
        ind.value, ind.op, ind.num, ind.unit = tv.value, tv.op, tv.num, tv.unit
        if ind.span:
            ind.span = (ind.span[0], max(ind.span[1], o.last_line))
        self.open = None

    def indicator(self, seg: Segment) -> None:
        self.finish_indicator()
        self.name_row = seg.tokens[0].row
        project = self.ensure_project(seg.lines[0])
        level1, level2 = self.level1, self.level2
        if self.column_levels:
            # groups printed side by side: the level is the column's, not the row's
            cell = seg.tokens[0].cell - self.row_shifts.get(seg.tokens[0].row, 0)
            left = [c for c in self.column_levels if c <= cell]
            if left:
                level1, level2 = self.column_levels[max(left)], None
        inferred = self.level1_inferred and level1 == self.level1
        if level1 is None and level2 is not None:
            level1, inferred = standard_parent(level2), True
        ind = Indicator(level1=level1, level2=level2, level3=clean_level3(seg.text), span=seg.lines)
        project.indicators.append(ind)
        if inferred:
            self.inferred_level1.append(ind)
        project.span = (project.span[0], seg.lines[1]) if project.span else seg.lines
        self.open = _Open(ind, last_line=seg.lines[1])

    def attach(self, seg: Segment) -> None:
        if self.open is None:
            if seg.role == "VAL":
                self.out.flags.append(Flag("value_without_name", "a target value with no indicator name before it",
                                           seg.lines[0], seg.text[:80]))
            else:
                self.unplaced(seg)
            return
        o, ind = self.open, self.open.indicator
        text, role = clean_value(seg.text), seg.role
        kept = True
        if role == "VAL":
            if o.value is None:
                o.value = text
            else:
                ind.flags.append(Flag("second_value", "a second target value for this indicator was not kept",
                                      seg.lines[0], text[:80]))
        elif role in ("OP", "WT", "PTS"):
            if role == "WT" and o.value is None:
                o.weight_first = True
            holder, attr = {"OP": (o, "op"), "WT": (ind, "score"), "PTS": (ind, "points")}[role]
            read = comparator_op(text) if role == "OP" else amount(text)
            kept = getattr(holder, attr) is None and read is not None
            if kept:
                setattr(holder, attr, read)
                if role == "OP":
                    o.op_text = text
        elif role in ("UNIT", "ACT"):
            holder, attr = (o, "unit") if role == "UNIT" else (ind, "actual")
            kept = getattr(holder, attr) is None
            if kept:
                setattr(holder, attr, text)
        elif role == "DESC":
            # the framework prints 指标解释 before the value and 指标值确定依据 after it
            if ind.description is None:
                ind.description = text
            elif ind.basis is None:
                ind.basis = text
            else:
                kept = False
        if not kept:
            ind.flags.append(Flag("cell_not_kept", f"a {_ROLE_NAMES[role]} cell this indicator already has (or that "
                                  "does not read as one) was not kept", seg.lines[0], text[:200]))
        o.last_line = max(o.last_line, seg.lines[1])
        if self.project is not None and self.project.span:
            self.project.span = (self.project.span[0], max(self.project.span[1], seg.lines[1]))

    def continue_cell(self, seg: Segment) -> bool:
        """The rest of a cell wrapped onto a later line (after other cells) joins the cell it continues."""
        role, text = seg.role, seg.text
        if role in ("PNAME", "GOAL"):
            if role in self.header:
                self.header[role] = f"{self.header[role]}{text}"
                return True
            # the project opened by the header the cell belongs to: no indicator read yet, or the cell is on
            # the lines of its first rows (a summary's row: name | budget | name | value, the name wrapped)
            project = self.project
            near = project is not None and project.span is not None and seg.lines[0] - project.span[0] <= _WRAP_LINES
            target = project if project is not None and (self.open is None or near) else None
            attr = "name" if role == "PNAME" else "goal"
            if target is not None and getattr(target, attr):
                setattr(target, attr, getattr(target, attr) + text)
                return True
            return False
        if role in ("L1", "L2"):  # a level name wrapped in its cell (经济成本指 / 标)
            attr = "level1" if role == "L1" else "level2"
            before = getattr(self, attr)
            if before is None:
                return False
            setattr(self, attr, clean_level(before + text))
            if self.open is not None and getattr(self.open.indicator, attr) == before:
                setattr(self.open.indicator, attr, getattr(self, attr))
            if role == "L2" and (self.level1 is None or self.level1_inferred):
                # only the whole name says its framework parent (社会成 / 本指标: 成本指标)
                std = standard_parent(self.level2)
                if std and standard_level1(std):
                    inferred_before, self.level1, self.level1_inferred = self.level1, std, True
                    if self.open is not None and self.open.indicator.level1 == inferred_before:
                        self.open.indicator.level1 = std
            return True
        if self.open is None:
            return False
        o, ind = self.open, self.open.indicator
        if role == "L3":
            ind.level3 += text
        elif role == "VAL" and o.value is not None:
            o.value += text
        elif role == "ACT" and ind.actual is not None:
            ind.actual += text
        elif role == "DESC" and ind.description is not None:
            ind.description += text
        else:
            return False
        o.last_line = max(o.last_line, seg.lines[1])
        return True

    def feed(self, seg: Segment) -> None:
        role = seg.role
        if seg.continued and self.continue_cell(seg):
            return
        if role in ("PNAME", "PCODE", "BT", "BF", "BO", "GOAL"):
            self.header_field(seg)
        elif role == "BUR":
            self.out.bureaus.append(seg.text)
            if self.project is not None:  # inside a table, a cell that may be no bureau: kept there too
                self.unplaced(seg)
        elif role == "L1":
            self.finish_indicator()
            before = self.pending_level
            text = clean_level(seg.text)
            if before is not None and before.role == "L1" and standard_level1(before.text) is None \
                    and standard_level1(text) is not None and before.tokens[0].row != self.name_row:
                # an umbrella level printed over the framework's (实施效果指标 over 产出指标, 效益指标):
                # the framework names are its level 2 (not a cell trailing an indicator's row: 正向指标)
                self.umbrella = clean_level(before.text)
            if self.umbrella is not None and standard_level1(text) is not None:
                self.level1, self.level2 = self.umbrella, text
                self.pending_level = None
                return
            self.umbrella = None
            self.printed_level1(text)
            same_row = before is not None and before.role == "L2" and before.tokens[0].row == seg.tokens[0].row
            if not same_row:
                self.level_only_row()
            # a level-2 cell printed before its level-1 cell in the same row (a shifted row) stays
            self.level1, self.level2 = text, (self.level2 if same_row else None)
            self.pending_level = seg
        elif role == "L2":
            self.finish_indicator()
            before = self.pending_level
            if before is not None and before.role == "L1" and standard_level1(before.text) is None \
                    and standard_level1(clean_level(seg.text)) is not None and before.tokens[0].row != self.name_row:
                # a framework level-1 name read as a level 2 under a level of the table's own (实施效果指标 |
                # 产出指标): that level is an umbrella, and the framework names after it are its level 2s
                self.umbrella = clean_level(before.text)
            if self.pending_level is not None and self.pending_level.role == "L2":
                self.level_only_row()
            self.level2 = clean_level(seg.text)
            self.pending_level = seg
            parents = level2_parents(self.level2)
            if self.switched_from is not None and standard_level1(self.switched_from) in parents:
                self.keep_printed_level1()  # the printed level 1's block goes on: the switch was wrong
            crossed = bool(parents) and not self.level1_inferred and self.level1 is not None \
                and standard_level1(self.level1) not in (None, *parents)
            if self.level1 is None or self.level1_inferred or crossed:
                # no level 1 printed (a table without that column): each level 2 names its own parent; so,
                # for now, does one of another framework level under a printed level 1 (时效指标 under 成本指标:
                # a row shifted, its merged level-1 cell printed lower down), until a printed level 1 or the
                # next level 2 says which (printed_level1, keep_printed_level1)
                if crossed:
                    self.switched_from = self.level1
                    self.inferred_level1 = []
                std = standard_parent(self.level2)
                self.level1 = std if std and standard_level1(std) else None
                self.level1_inferred = self.level1 is not None
        elif role == "L3":
            self.pending_level = None
            self.indicator(seg)
        elif role != "O":
            self.attach(seg)
        else:
            self.unplaced(seg)

    def unplaced(self, seg: Segment) -> None:
        """A cell no field takes, in a table's project header or while a table is open: kept for
        :meth:`flag_unplaced`."""
        # a closed table still owns the cells up to its last line (flag_unplaced checks the span)
        project = self.project or (self.out.projects[-1] if self.out.projects else None)
        if self.project is None and not (project is not None and project.span and seg.lines[0] <= project.span[1]):
            if not (self.title and seg.text in self.title):  # the title's own cells name the table
                # before a table: its cells if they share its first row (ensure_project); rows before are not
                if self.header_cells and self.header_cells[-1].lines[1] < seg.lines[0]:
                    # none of them shares its row: segments come in reading order, so the last lines
                    # of those before never exceed the last one's
                    self.header_cells = []
                self.header_cells.append(seg)
            return
        if project is not None and project.indicators and not is_furniture(seg.text):
            self.unplaced_cells.append((project, seg, False))

    def header_left(self) -> None:
        """A project header no indicator followed (the document ends first): its cells are kept as a flag."""
        fields = [self.budget_text.get(k, str(v)) for k, v in self.header.items() if not k.startswith("_")]
        if fields:
            line = min(self.header_lines.get(k, 0) for k in self.header if not k.startswith("_")) or None
            self.out.flags.append(Flag("header_without_table", "project-header cells with no indicator after them",
                                       line, " ".join(fields)[:200]))
        self.header, self.budget_text = {}, {}

    def flag_unplaced(self) -> None:
        """Cells no field took in a table's project header, or between its first indicator and its last
        read cell, are kept as a flag on the project (one per line); those after the table (prose, the
        next title) are not its."""
        for project, seg, in_header in self.unplaced_cells:
            line = seg.lines[0]
            first = project.indicators[0].span[0] if project.indicators[0].span else line
            if not (project.span and (in_header or first <= line) and line <= project.span[1]):
                continue
            flags = project.flags
            if flags and flags[-1].code == "unplaced_cells" and flags[-1].line == line:
                flags[-1].text = f"{flags[-1].text} {seg.text}"
            else:
                flags.append(Flag("unplaced_cells", "cells inside the table that were read as no field", line,
                                  seg.text))


@functools.lru_cache(maxsize=4096)
def is_furniture(text: str) -> bool:
    """Table furniture: column headers, level labels, page numbers and unit lines (``content_words.json``),
    and a value's label alone (文字描述:, which values are read without)."""
    t = _BRACKET_CHARS.sub("", clean_label(text))
    return (not t or clean_value_text(t) is None or header_role(t) is not None or standard_level1(t) is not None
            or standard_level2(t) is not None or _FURNITURE.match(t) is not None or _MARKER.fullmatch(t) is not None
            or t.rstrip(":：") in _labels() or t in _level_pieces())


_FURNITURE = re.compile(content_words()["furniture_pattern"])
_BRACKET_CHARS = re.compile(r"[（()）【】\[\]]")
_MARKER = re.compile(content_words()["marker_pattern"])


@functools.lru_cache(maxsize=1)
def _level_pieces() -> frozenset[str]:
    """Pieces of level names a wrapped header or merged cell leaves on lines of their own (指 / 标, 服务对象满)."""
    fw = framework()
    words = [*fw["level1"], *(v for vs in fw["level1"].values() for v in vs),
             *fw["level2"], *(v for d in fw["level2"].values() for v in d.get("variants", []))]
    return frozenset(w[i:j] for w in words for i in range(len(w)) for j in range(i + 1, len(w) + 1))


@functools.lru_cache(maxsize=1)
def _labels() -> frozenset[str]:
    """The project-header labels (项目名称 …): their value is the field, the label itself furniture."""
    return frozenset(_BRACKET_CHARS.sub("", clean_label(w)) for words in content_words()["project_labels"].values()
                     for w in words)


def money_unit(tokens: list[Token]) -> float:
    """How budget amounts without a unit of their own are printed: 万元 (1.0) unless the document says 元."""
    # the unit line is printed above the tables: the first tokens, and of them at most 400,000
    # characters (a document of a few lines of a million characters each is not searched whole)
    text = "".join(t.text for t in tokens[:4000])[:400_000]
    if _UNIT_YUAN.search(text) and not _UNIT_WAN_YUAN.search(text) and _yuan_label(tokens[:4000]):
        return 1e-4
    return 1.0


def money_unit_statements(tokens: list[Token]) -> tuple[list[int], list[float]]:
    """Where the money unit is stated (a unit line 单位：元 / 单位：万元, or a budget label or column header
    printing its unit, 预算金额（元）): the rows, in order, and the unit each states (1.0 万元, 1e-4 元)."""
    rows: list[int] = []
    units: list[float] = []
    by_row: dict[int, list[int]] = {}
    for k, t in enumerate(tokens):
        by_row.setdefault(t.row, []).append(k)
    for row, idx in by_row.items():
        raw = "".join(tokens[k].text for k in idx)
        if "元" not in raw:
            continue  # no unit stated on this row (most rows)
        line = compact(raw)
        unit = 1.0 if _UNIT_WAN_YUAN.search(line) else 1e-4 if _UNIT_LINE_YUAN.search(line) else None
        if unit is None:
            for k in idx:
                text = compact(tokens[k].text)
                m = _UNIT_AFTER.search(text)
                if not m:
                    continue
                before = text[:m.start()] or (compact(tokens[k - 1].text) if k and tokens[k - 1].row == row else "")
                if before and (_is_label(before) or before.endswith(_MONEY_WORDS)):
                    unit = 1.0 if m.group(1) == "万元" else 1e-4
                    break
        if unit is not None:
            rows.append(row)
            units.append(unit)
    return rows, units


_UNIT_AFTER = re.compile(r"[（(](万元|元)[）)]$")


def _yuan_label(tokens: list[Token]) -> bool:
    """Whether 元 is printed as the money unit: a unit line (单位：元), or (元) after a budget label or a
    column header (项目资金（元）, 预算数（元）), not after an indicator's name (市级财政补助标准(元))."""
    rows: dict[int, list[str]] = {}
    for t in tokens:
        rows.setdefault(t.row, []).append(t.text)
    if any(_UNIT_LINE_YUAN.search(compact("".join(texts))) for texts in rows.values()):
        return True
    for k, t in enumerate(tokens):
        text = compact(t.text)
        m = _YUAN_AFTER.search(text)
        if m:
            before = text[:m.start()] or (compact(tokens[k - 1].text) if k and tokens[k - 1].row == t.row else "")
            if before and (_is_label(before) or before.endswith(_MONEY_WORDS)):
                return True
    return False


_MONEY_WORDS = ("资金", "金额", "预算", "预算数", "经费", "拨款")  # what a budget label ends with (项目资金（元）)


# (金额)单位：元, (元): only whether the text has one matters, so the optional 金额 is not searched for
_UNIT_YUAN = re.compile(r"单位[:：]?元|[（(]元[）)]")
_UNIT_WAN_YUAN = re.compile(r"单位[:：]?万元")
_UNIT_LINE_YUAN = re.compile(r"单位[:：]?元")
_YUAN_AFTER = re.compile(r"[（(]元[）)]$")


def header_rows(tokens: list[Token]) -> set[int]:
    """Rows that are a table's column header: two or more header words (一级指标, 三级指标, 指标值 …). A row
    of the bare group word only (指标 | 指标) is the rest of header cells wrapped onto a line under a row of
    header words (一级 | 二级 | 三级 | 绩效指标值); under an indicator's row it is the rest of its level cells."""
    count: dict[int, int] = {}
    named: set[int] = set()  # rows with a header word other than the group word, or a level's head (一级)
    for t in tokens:
        role = header_role(t.text)
        if role:
            count[t.row] = count.get(t.row, 0) + 1
        if role not in (None, "group") or header_role(f"{t.text}指标") in ("level1", "level2", "level3"):
            named.add(t.row)
    return {r for r, n in count.items() if n >= 2 and (r in named or r - 1 in named)}


def level_header_rows(tokens: list[Token], tags: list[str]) -> dict[int, dict[int, str]]:
    """Rows naming two or more level-1 groups side by side (成本指标 | 产出指标 | …) and no indicator cell:
    each maps the cells where a group's columns start to the group's name."""
    by_row: dict[int, dict[int, str]] = {}
    names_row: set[int] = set()
    for t, tag in zip(tokens, tags):
        if tag != "O" and tag.split("-", 1)[1] in _INDICATOR_ROLES:
            names_row.add(t.row)
        if t.sep != "glue" and standard_level1(t.text):
            by_row.setdefault(t.row, {})[t.cell] = clean_level(t.text)
    return {r: m for r, m in by_row.items() if len(set(m.values())) >= 2 and r not in names_row}


def row_shifts(tokens: list[Token], tags: list[str], level_rows: dict[int, dict[int, str]]) -> dict[int, int]:
    """How far each row under side-by-side groups is shifted against its header (a merged cell lost):
    the shift that puts most of the row's indicator names on a group's first column, else the row
    above's (a continuation row follows its first row)."""
    names: dict[int, list[int]] = {}
    for t, tag in zip(tokens, tags):
        if tag == "B-L3":
            names.setdefault(t.row, []).append(t.cell)
    shifts: dict[int, int] = {}
    starts: set[int] = set()
    last = 0
    for row in sorted(set(names) | set(level_rows)):
        if row in level_rows:
            starts, last = set(level_rows[row]), 0
            continue
        if not starts:
            continue
        hits = {d: sum((c - d) in starts for c in names[row]) for d in range(-2, 3)}
        best = max(hits.values())
        last = last if hits[last] == best else max((d for d in hits if hits[d] == best), key=lambda d: -abs(d))
        shifts[row] = last
    return shifts


# A title that names no project: a year, 部门/单位, 预算, 项目, 支出, 整体 and nothing else.
_GENERIC_TITLE = re.compile(r"^[（(]?(\d{4}年度?)?[）)]?(市|县|区|省)?(本级)?(部门|单位)?"
                            r"(整体)?(预算)?(项目)?(支出)?(预算)?[（(]?(\d{4}年度?)?[）)]?$")


# the number of a table among the document's tables (1、…项目绩效自评表, 二、…, (3)…): no part of its name
_TITLE_NUMBER = re.compile(r"^(?:\d{1,2}|[一二三四五六七八九十]{1,3})[、.．](?!\d)|^\d{1,2}、"
                           r"|^[（(](?:\d{1,2}|[一二三四五六七八九十]{1,3})[）)]")
_TITLE_PROSE = re.compile(r"[。，；,;]")  # text before a title word that holds a sentence is no project's name
# what an indicator row's cells are read as: a title after one of them, in its row, opens the next table
_TABLE_ROW_ROLES = frozenset({"L1", "L2", "L3", "VAL", "OP", "UNIT", "ACT", "WT", "PTS", "DESC"})


def title_names(tokens: list[Token], tags: list[str]) -> dict[int, str]:
    """Table titles (…项目绩效目标表): the index of the token where the name printed before the title word
    begins → that name. The name runs from its row's start, or, in a row that prints tables run together
    (a document converted to one line), from the cell after the last one read as an indicator row's."""
    words = set(content_words()["project_labels"]["title"])
    out: dict[int, str] = {}
    before: list[int] = []
    for i, (t, text) in enumerate(zip(tokens, _compact_texts(tokens))):
        if t.sep == "row":
            before = []
        if text in words:
            name = clean_level3(_TITLE_NUMBER.sub("", compact("".join(tokens[b].text for b in before))))
            if len(name) >= 2 and not _GENERIC_TITLE.match(name) and not _TITLE_PROSE.search(name):
                out[before[0]] = name
            before = []  # a title word ends its title (项目支出绩效目标 | 2024年…项目绩效自评表: a heading, a title)
            continue
        before.append(i)
        if _role(tags[i]) in _TABLE_ROW_ROLES:
            before = []
    return out




def _level_like(text: str | None) -> bool:
    """A level label by the vocabulary or by how level names end (…指标, …目标)."""
    if not text:
        return False
    return (standard_level1(text) is not None or standard_level2(text) is not None
                           or text.endswith(("指标", "目标")))


def _is_table(project: Project) -> bool:
    """A run of names with no level and no value anywhere is not a performance-target table."""
    return any(i.level1 or i.level2 or i.value for i in project.indicators)


def project_cells(project: Project, budgets: str = "") -> str:
    """Every cell a set-aside project was read with (name, code, budgets as printed, goal, then each name
    and its cells), so none is lost."""
    parts = [project.name, project.code or "", budgets, project.goal or ""]
    for i in project.indicators:
        parts += [i.level3, i.value or "", i.actual or "", i.description or "", i.basis or ""]
        parts += [f"{x:g}" for x in (i.score, i.points) if x is not None]
        parts += [f.text or "" for f in i.flags]
    parts += [f.text or "" for f in project.flags]
    return " ".join(p for p in parts if p)


_LABELLED_ROLES = {"name": "PNAME", "code": "PCODE", "total": "BT", "fiscal": "BF", "other": "BO", "goal": "GOAL"}
_BUDGET_TAGS = {"BT", "BF", "BO"}
_MONEY_UNIT = re.compile(r"[（(](?:万元|元|万)[）)]$")
_SUM_WORDS = frozenset({"合计", "总计"})
# the labels that name the project itself (not a fund, 专项名称, or a unit, 单位(项目)名称): their value is the
# name even where a subtitle printed a name before them
_PROJECT_NAME_LABELS = frozenset({"项目名称", "项目支出名称", "项目全称"})
_CODE = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]{2,}")
_T = TypeVar("_T")


_WORKED_OUT: list = [None, {}]  # the last token list asked about and what was worked out of it (by function)


def _of_tokens(tokens: list[Token], work_out: Callable[[list[Token]], _T]) -> _T:
    """``work_out(tokens)``, found once per token list: the grammar passes ask in turn about the same
    tokens (tokens are never changed; the passes change tags). The value is shared: never changed."""
    if _WORKED_OUT[0] is not tokens:
        _WORKED_OUT[0], _WORKED_OUT[1] = tokens, {}
    found = _WORKED_OUT[1]
    if work_out not in found:
        found[work_out] = work_out(tokens)
    return found[work_out]


def _cells(tokens: list[Token]) -> list[list[int]]:
    """Token indices of every cell, in reading order: in a row cut by delimiters (pipes, tabs, a
    grid) a cell is one cell index; in a row cut by spaces, one run of tokens between spaces.
    Found once per token list."""
    return _of_tokens(tokens, _cut_cells)


def _compact_texts(tokens: list[Token]) -> list[str]:
    """Every token's text compacted (:func:`compact`), once per token list."""
    return _of_tokens(tokens, _compact_each)


def _compact_each(tokens: list[Token]) -> list[str]:
    return [compact(t.text) for t in tokens]


def _token_rows(tokens: list[Token]) -> dict[int, list[int]]:
    """The token indices of every row, once per token list."""
    return _of_tokens(tokens, _rows_of_tokens)


def _rows_of_tokens(tokens: list[Token]) -> dict[int, list[int]]:
    rows: dict[int, list[int]] = {}
    for i, t in enumerate(tokens):
        rows.setdefault(t.row, []).append(i)
    return rows


def _delimited_rows(tokens: list[Token]) -> frozenset[int]:
    """Rows cut by delimiters (pipes, tabs, a grid), where a cell is a cell index; once per token list."""
    return _of_tokens(tokens, _rows_with_delimiters)


def _rows_with_delimiters(tokens: list[Token]) -> frozenset[int]:
    return frozenset(t.row for t in tokens if t.sep in DELIMITERS)


def _prints_level2_column(tokens: list[Token]) -> bool:
    """Whether a column header names a level-2 column (二级指标)."""
    return any(header_role(t.text) == "level2" for t in tokens)


def _header_rows(tokens: list[Token]) -> set[int]:
    """:func:`header_rows`, once per token list."""
    return _of_tokens(tokens, header_rows)


def _cut_cells(tokens: list[Token]) -> list[list[int]]:
    delimited = _delimited_rows(tokens)
    out: list[list[int]] = []
    row: int | None = None  # the cell being collected
    cell: int | None = None
    for i, t in enumerate(tokens):
        if t.row == row and t.cell == cell and (t.row in delimited or t.sep == "glue"):
            out[-1].append(i)
        else:
            out.append([i])
            row, cell = t.row, t.cell
    return out


def _label_value_fits(role: str, text: str) -> bool:
    """Whether a cell's text can be the value of a project-header label of this role."""
    if not text or label_field(text)[0] is not None or label_field(_label_text(text))[0] is not None \
            or label_suffix_field(text) or header_role(text) or standard_level1(text) or standard_level2(text):
        # another label (预算数（元）: with its money unit), a column header or a level name: the label's
        # value is missing
        return False
    if role in _BUDGET_TAGS:
        return amount(text) is not None
    if role == "PCODE":
        return bool(_CODE.fullmatch(text)) and any(c.isdigit() for c in text)
    if amount(text) is not None or not re.search(r"[^\W\d_]", text):
        return False  # a name or a goal has letters (of any script)
    return len(text) >= (6 if role == "GOAL" else 2)


_OF_WHICH = re.compile(r"^其中[:：]?")


@functools.lru_cache(maxsize=65536)
def _label_text(text: str) -> str:
    """A label cell as the label lists spell it: no marker (1.), no 其中 (of which) before it, no
    money unit (（万元）) after it."""
    t = re.sub(content_words()["marker_pattern"], "", compact(text))
    return _MONEY_UNIT.sub("", _OF_WHICH.sub("", t))


@functools.lru_cache(maxsize=65536)
def _is_label(text: str) -> bool:
    """A cell's text (compacted) is a project-header label or a column header."""
    return label_field(_MONEY_UNIT.sub("", text))[0] is not None or header_role(text) is not None


def _cell_texts(tokens: list[Token]) -> list[str]:
    """The text (:func:`_cell_text`) of every cell (:func:`_cells`), once per token list."""
    return _of_tokens(tokens, _texts_of_cells)


def _texts_of_cells(tokens: list[Token]) -> list[str]:
    return [_cell_text(tokens, c) for c in _cells(tokens)]


def _cell_text(tokens: list[Token], cell: list[int]) -> str:
    return compact(tokens[cell[0]].text if len(cell) == 1 else "".join(tokens[i].text for i in cell))


class _TagPositions:
    """Where the tags of a role are, found once for each role asked about (sorted positions)."""

    def __init__(self, tags: list[str]):
        self.tags = tags
        self.found: dict[str, list[int]] = {}

    def of(self, role: str) -> list[int]:
        if role not in self.found:
            suffix = f"-{role}"
            self.found[role] = [i for i, t in enumerate(self.tags) if t.endswith(suffix)]
        return self.found[role]

    def in_header_block(self, role: str, i: int, before: int | None = None) -> bool:
        """Whether a tag of ``role`` lies in the project header around position ``i`` (between the
        indicator names before and after it), and before position ``before`` when given."""
        return bool(self.header_block_hits(role, i, before))

    def header_block_hits(self, role: str, i: int, before: int | None = None) -> list[int]:
        """The positions tagged ``role`` in the project header around position ``i``, before ``before``."""
        names = self.of("L3")
        at = bisect.bisect_left(names, i)
        start = names[at - 1] + 1 if at else 0
        end = names[at] if at < len(names) else len(self.tags)
        if before is not None:
            end = min(end, before)
        hits = self.of(role)
        return hits[bisect.bisect_left(hits, start):bisect.bisect_left(hits, end)]


def goal_cells(tokens: list[Token], tags: list[str]) -> list[str]:
    """A goal is a sentence and its cell is one field: the pieces the splitters cut out of a goal cell
    (a date, a number: 服务周期 | 2023.07-2024.01,全市空气质量达到优良) that were read as nothing
    belong to the goal."""
    out = list(tags)
    delimited = _delimited_rows(tokens)
    for cell in _cells(tokens):
        first = next((n for n, i in enumerate(cell) if out[i] == "B-GOAL"), None)
        if first is None:
            continue
        rest = cell[first + 1:]
        if tokens[cell[0]].row not in delimited:
            # a line of glued text may run on past the goal into the table (…机关。绩效指标一级指标…):
            # there the goal takes the rest of the line only when it holds no table words
            text = "".join(tokens[i].text for i in rest)
            if any(out[i] not in ("O", "I-GOAL") for i in rest) or "指标" in text or _is_label(compact(text)):
                continue
        for i in rest:
            if out[i] != "O" and out[i] != "I-GOAL":
                break
            out[i] = "I-GOAL"
    return out


_PERIOD_WORDS = ("实施期", "中长期", "中期", "长期")


def annual_goals(tokens: list[Token], tags: list[str]) -> list[str]:
    """Twin goals (实施期目标 and 年度目标) in one project header: the record holds the annual one, so
    a goal under another period's label yields to a goal under an annual label (年度, 本年度)."""
    out = list(tags)
    if "B-GOAL" not in tags:
        return out
    cells = _cells(tokens)
    goals: list[tuple[bool, list[int]]] = []  # (annual?, the goal's token positions)
    for k in range(len(cells) - 1):
        if out[cells[k + 1][0]] != "B-GOAL":
            continue
        label = _label_text(_cell_text(tokens, cells[k]))
        if (label_field(label)[0] or label_suffix_field(label)) != "goal":
            continue
        before = _cell_text(tokens, cells[k - 1]) if k else ""
        printed = before + label if len(before) <= 3 else label  # 本 | 年度绩效目标, 实施期 | 绩效目标
        annual = "年度" in printed and not any(w in printed for w in _PERIOD_WORDS)
        period = any(w in printed for w in _PERIOD_WORDS)
        span = [cells[k + 1][0]]
        while span[-1] + 1 < len(tokens) and out[span[-1] + 1] == "I-GOAL":
            span.append(span[-1] + 1)
        if annual or period:
            goals.append((annual, span))
    names = [i for i, t in enumerate(out) if t.endswith("-L3")]
    for (a_annual, a), (b_annual, b) in zip(goals, goals[1:]):
        between = bisect.bisect_left(names, b[0]) - bisect.bisect_left(names, a[0])
        if between == 0 and a_annual != b_annual:  # the same header: no indicator name between them
            for i in (b if a_annual else a):
                out[i] = "O"
    return out


def names_after_name_labels(tokens: list[Token], tags: list[str]) -> list[str]:
    """A project name printed after its label (项目名称 东津院区建设补助, in cells run together as well)
    is the header's name: a later name the model found in the same header with no label before it
    (延续性项目, a tick box's option) is no name. Cells are the token pieces here, so a line of glued
    text is read the same way as a row of cells."""
    out = list(tags)
    labelled = False
    for i, t in enumerate(out):
        role = _role(t)
        if role == "L3":
            labelled = False
        elif t == "B-PNAME":
            label = _label_text(compact(tokens[i - 1].text)) if i else ""
            if label and label_field(label)[0] == "name":
                labelled = True
            elif labelled:
                j = i
                while j < len(out) and (j == i or out[j] == "I-PNAME"):
                    out[j] = "O"
                    j += 1
    return out


def names_whole_lines(tokens: list[Token], tags: list[str]) -> list[str]:
    """A line that is one cell (one cell per line, its pieces cut only where a number or a word met)
    holding a project or indicator name and nothing else read is that name whole: the pieces before it
    are its beginning (黄山市雪亮工程市本级机房租赁 | 2024 | 至2027服务采购项目)."""
    out = list(tags)
    delimited = _delimited_rows(tokens)
    for row in _rows_of_cells(tokens):
        if len(row) != 1 or len(row[0]) < 2 or tokens[row[0][0]].row in delimited:
            continue
        cell = row[0]
        roles = {_role(out[i]) for i in cell} - {"O"}
        if len(roles) != 1 or not roles <= {"PNAME", "L3"} or out[cell[0]] != "O":
            continue
        (role,) = roles
        if sum(out[i] == f"B-{role}" for i in cell) != 1 or _is_label(_cell_text(tokens, cell)):
            continue
        first = next(n for n, i in enumerate(cell) if out[i] == f"B-{role}")
        if any(out[i] != f"I-{role}" for i in cell[first + 1:]):
            continue  # the name ends before the line does: the rest is other cells run together
        if first == len(cell) - 1 and looks_like_value(tokens[cell[first]].text):
            continue  # a quantity read as a name, after a name read as nothing (quantities_read_as_names)
        if any(_marker_piece(tokens[i].text) or _is_label(compact(tokens[i].text)) or amount(tokens[i].text) is not None
               for i in cell[:first]):
            continue  # 指标1: | 机柜数量, 项目名称 | …: a marker, a label or an amount is no part of a name
        _mark(out, cell, role)
    return out


def _marker_piece(text: str) -> bool:
    return bool(re.match(content_words()["marker_pattern"], compact(text)))


def goals_end_at_labels(tokens: list[Token], tags: list[str]) -> list[str]:
    """A goal read on into a later row stops at a row that prints a label or a column header (本年度 |
    绩效指标 under the goal): that row opens the next part of the table, it continues no sentence."""
    out = list(tags)
    for row in _rows_of_cells(tokens):
        first = row[0][0]
        if out[first] != "I-GOAL" or (first and tokens[first - 1].row == tokens[first].row):
            continue
        if any(_is_label(_cell_text(tokens, c)) for c in row):
            for c in row:
                for i in c:
                    if out[i] == "I-GOAL":
                        out[i] = "O"
    return out


def goals_of_goal_labels(tokens: list[Token], tags: list[str]) -> list[str]:
    """A goal read under a label of something else (项目概况, the project's overview) yields to the text
    under a goal label of the same project header (总体目标) that was read as nothing."""
    out = list(tags)
    if "B-GOAL" not in out:
        return out
    cells = _cells(tokens)
    cell_of = {i: n for n, c in enumerate(cells) for i in c}
    for i in [i for i, t in enumerate(out) if t == "B-GOAL"]:
        if not i or label_field(_label_text(compact(tokens[i - 1].text)))[0] != "other_label":
            continue
        span = [i]
        while span[-1] + 1 < len(out) and out[span[-1] + 1] == "I-GOAL":
            span.append(span[-1] + 1)
        after = cell_of[span[-1]] + 1
        for j in range(after, min(len(cells) - 1, after + 4)):  # the goal label close after the overview
            label, value = cells[j], cells[j + 1]
            if any(out[m] != "O" for m in label + value):
                break
            if label_field(_label_text(_cell_text(tokens, label)))[0] == "goal" \
                    and _label_value_fits("GOAL", _cell_text(tokens, value)):
                for m in span:
                    out[m] = "O"
                _mark(out, value, "GOAL")
                break
    return out


@functools.lru_cache(maxsize=1)
def _completion_headers() -> tuple[str, ...]:
    return tuple(content_words()["goal_completion_headers"])


def expected_goals(tokens: list[Token], tags: list[str]) -> list[str]:
    """A self-evaluation prints its goal under two column headers, the expected goal (预期目标) and its
    completion (实际完成情况): the cells under them pair up, one pair a row, or one cell a line in
    turn (expected, completion, expected …); the goal is the expected cells, the completion is no
    goal, and a bare number among them (the goal's weight) neither. One cell alone under them is the
    expected goal, its completion left blank."""
    out = list(tags)
    cells = _cells(tokens)
    completion = _completion_headers()
    for k in range(len(cells) - 2):
        if not tokens[cells[k + 1][-1]].text.endswith(completion) \
                or not _cell_text(tokens, cells[k + 1]).endswith(completion):
            continue
        label = _label_text(_cell_text(tokens, cells[k]))
        if not ((label_field(label)[0] or label_suffix_field(label)) == "goal" or label.endswith("目标")):
            continue  # the expected goal's header (预期目标, 年初设定目标) before its completion's
        if any(_role(out[i]) not in ("O", "GOAL") for i in cells[k] + cells[k + 1]):
            continue  # a level and an indicator's name (质量目标 | 工作完成情况) are no such headers
        under: list[list[int]] = []
        for cell in cells[k + 2:]:
            text = _cell_text(tokens, cell)
            if any(out[i] not in ("O", "B-GOAL", "I-GOAL", "B-DESC", "I-DESC") for i in cell) or _is_label(text) \
                    or "指标" in text:  # the indicator table's title or header: the goal rows are over
                break
            if amount(text) is None:
                under.append(cell)
        if not under:
            continue
        per_row = Counter(tokens[c[0]].row for c in under)
        if len(under) == 1:  # the completion left blank (a declaration printing the self-evaluation's form)
            expected = under
        elif all(n == 2 for n in per_row.values()):  # a pair a row: the expected goal first
            expected = [c for n, c in enumerate(under) if n == 0 or tokens[c[0]].row != tokens[under[n - 1][0]].row]
        elif all(n == 1 for n in per_row.values()) and len(under) % 2 == 0:
            expected = under[::2]
        else:
            continue
        keep = {i for c in expected for i in c}
        first = expected[0][0]
        for i in cells[k] + cells[k + 1]:  # the headers are no goal
            if _role(out[i]) == "GOAL":
                out[i] = "O"
        for c in under:
            for i in c:
                out[i] = ("B-GOAL" if i == first else "I-GOAL") if i in keep else "O"
        for c in cells[k + 2:]:  # the weight between the headers and the goal
            if c[0] >= under[-1][-1]:
                break
            if amount(_cell_text(tokens, c)) is not None:
                for i in c:
                    out[i] = "O"
    return out


def umbrella_levels(tokens: list[Token], tags: list[str]) -> list[str]:
    """A level name of the table's own printed first under the column header and over a framework
    level-1 name (一级指标 … 指标值 | 实施效果指标 | 产出指标 …) is the level 1 over the framework's names,
    which the decoder then keeps as level 2: the model, never having seen the template, may read it as
    nothing."""
    out = list(tags)
    cells = _cells(tokens)
    for k in range(1, len(cells) - 1):
        cell, after = cells[k], cells[k + 1]
        if out[after[0]] != "B-L1" or any(out[i] != "O" for i in cell):
            continue
        text = _cell_text(tokens, cell)
        if not text.endswith("指标") or standard_level1(text) or standard_level2(text) or header_role(text):
            continue
        if out[after[0]] == "B-L1" and standard_level1(_cell_text(tokens, after)) \
                and header_role(_cell_text(tokens, cells[k - 1])):
            out[cell[0]] = "B-L1"
            for i in cell[1:]:
                out[i] = "I-L1"
    return out


def names_between_levels(tokens: list[Token], tags: list[str]) -> list[str]:
    """Two cells left unread by every other pass between a level and an indicator read as a name and its
    target (产出指标 | 建设项目个数(含续建) | 1 | 竣工验收合格率 | 100%) are an indicator of
    the same shape: a name, then its target. Not in a document of twin groups, where the unread pair
    before an annual one is the other period's indicator (left unread on purpose)."""
    out = list(tags)
    midterm = frozenset(content_words().get("twin_groups", {}).get("midterm", ()))
    if any(compact(t.text) in midterm for t in tokens):
        return out
    cells = _cells(tokens)
    for k in range(1, len(cells) - 3):
        name, value, nxt, nxt_value = cells[k:k + 4]
        if _role(out[cells[k - 1][-1]]) not in ("L1", "L2") or any(out[i] != "O" for i in name + value):
            continue
        if out[nxt[0]] != "B-L3" or any(_role(out[i]) != "L3" for i in nxt) \
                or any(_role(out[i]) != "VAL" for i in nxt_value):
            continue
        name_text, value_text = _cell_text(tokens, name), _cell_text(tokens, value)
        if not _CJK_TEXT.search(name_text) or parse_quantity(name_text) is not None or _is_label(name_text) \
                or standard_level1(name_text) or standard_level2(name_text) \
                or parse_quantity(value_text) is None or _is_label(value_text):
            continue
        for cell, role in ((name, "L3"), (value, "VAL")):
            out[cell[0]] = f"B-{role}"
            for i in cell[1:]:
                out[i] = f"I-{role}"
    return out


_CJK_TEXT = re.compile(r"[\u4e00-\u9fff]")


def bracketed_subtitles(tokens: list[Token], tags: list[str]) -> list[str]:
    """A line in brackets of its own right under a table's title ((天津市宝坻区畜禽粪污资源化利用整区推进项目))
    names the table's project, and a name read later in its header names the fund; a year or a unit
    note in brackets ((2021年度), (单位：万元)) names nothing."""
    out = list(tags)
    rows = _token_rows(tokens)
    order = sorted(rows)
    titles = _title_words()
    for before, row in zip(order, order[1:]):
        text = compact("".join(tokens[i].text for i in rows[row]))
        m = _ENCLOSED.fullmatch(text)
        if not m or re.search(r"\d", m.group(1)) or len(m.group(1)) < 4 or _is_label(m.group(1)) \
                or not any(w in compact("".join(tokens[i].text for i in rows[before])) for w in titles):
            continue
        if all(out[i] == "O" for i in rows[row]):
            out[rows[row][0]] = "B-PNAME"
            for i in rows[row][1:]:
                out[i] = "I-PNAME"
            # a name read further on in the same header (专项名称 | 农业绿色发展专项) is the fund's
            for i in range(rows[row][-1] + 1, len(tokens)):
                if _role(out[i]) in ("L1", "L2", "L3"):
                    break
                if _role(out[i]) == "PNAME":
                    out[i] = "O"
    return out


_ENCLOSED = re.compile(r"[(（]([^()（）]*)[)）]")


@functools.lru_cache(maxsize=1)
def _title_words() -> tuple[str, ...]:
    return tuple(content_words()["project_labels"]["title"])


_LABEL_PIECES = 4  # a label cut at spaces is a few pieces; a row of more cells is a row of cells


def labelled_fields(tokens: list[Token], tags: list[str]) -> list[str]:
    """The table grammar's label → value pair in a project header: the cell right after a label
    cell (项目名称 | 雾炮车降尘抑尘服务, 资金总额 | 9000.00, 财政拨款（万元） | 2205, or a label on
    a line of its own and its value on the next, as pages printed one cell per line do) is that
    field, whatever role the model gave it, when its content fits the field (an amount for a
    budget, letters for a name or a goal). Once a name is read from its label, a later name the
    model found in the same header (before the next indicator) is not a name; a name the model
    found before the label (a table's subtitle) stays the name."""
    out = list(tags)
    cells = _cells(tokens)
    row_cells: dict[int, int] = {}
    for c in cells:
        row_cells[tokens[c[0]].row] = row_cells.get(tokens[c[0]].row, 0) + 1
    labelled_names: list[list[int]] = []
    texts = _cell_texts(tokens)
    column_headers = _header_rows(tokens)
    label_rows: dict[int, int] = {}  # how many cells of each row label a field (预算数, not 执行数 or 得分)
    for c, text in zip(cells, texts):
        if label_field(_MONEY_UNIT.sub("", text))[0] not in (None, "other_label"):
            label_rows[tokens[c[0]].row] = label_rows.get(tokens[c[0]].row, 0) + 1

    def _same_line(k: int) -> bool:
        """Cell k and the next are in one row of cells, or both alone on their lines (one cell per line)."""
        a, b = tokens[cells[k][0]].row, tokens[cells[k + 1][0]].row
        return a == b or row_cells[a] == row_cells[b] == 1
    positions = _TagPositions(tags)
    for k in range(len(cells) - 1):
        label, value = cells[k], cells[k + 1]
        lrow, vrow = tokens[label[0]].row, tokens[value[0]].row
        # a label printed in pieces: wrapped onto two lines of their own (年度 / 目标), or cut at a space
        # into cells of a row of its own (年度本级 预算金额 over 250万)
        pieces = None
        if k and row_cells[lrow] == 1 and row_cells[tokens[cells[k - 1][0]].row] == 1 and not _is_label(texts[k - 1]):
            pieces = texts[k - 1] + texts[k]
        elif 1 < row_cells[lrow] <= _LABEL_PIECES and lrow != vrow and row_cells[vrow] == 1:
            pieces = "".join(texts[k - row_cells[lrow] + 1:k + 1])  # the label cell is its row's last
        # the value beside its label, or both alone on their lines, one after the other
        if lrow != vrow and (row_cells[lrow] != 1 or row_cells[vrow] != 1) and pieces is None:
            continue
        label_text = _label_text(texts[k])
        exact = label_field(label_text)[0]
        role = _LABELLED_ROLES.get(exact or label_suffix_field(label_text) or "")
        if pieces is not None and (role is None or lrow != vrow and row_cells[lrow] != 1):
            exact = label_field(_label_text(pieces))[0]
            role = _LABELLED_ROLES.get(exact or label_suffix_field(_label_text(pieces)) or "")
        if role is None:
            continue
        text = texts[k + 1]
        if not _label_value_fits(role, text) or lrow in column_headers or (k and _is_label(texts[k - 1]) and (
                _same_line(k - 1) or label_rows.get(tokens[cells[k - 1][0]].row, 0) >= 2)):
            # a label after a label, in a row of column headers or right under a row of labels (项目 |
            # 预算数 | 项目 | 预算数 above 一、财政拨款 | 6,640.20: a table of budget lines): no label's value
            continue
        if exact is None and role in _BUDGET_TAGS and _role(tags[value[0]]) in _BUDGET_TAGS:
            continue  # a label known only by its ending (年度本级预算金额) leaves the model's budget role
        if exact is None and _role(tags[label[0]]) == "L3":
            continue  # a name that only ends like a label (市级配套资金总额 | 15, a weight): the model's name
        if role == "GOAL":
            found = positions.header_block_hits("GOAL", value[0])
            others = all(_under_other_label(tokens, i) for i in found)
            if found and not (others and _GOAL_SENTENCE.search(texts[k + 1])):
                if any(i in value for i in found):  # the model read this label's text as the goal too: what
                    for i in found:  # it read so under another label (项目概况 | 该项目为…) is that label's text
                        if i not in value and _under_other_label(tokens, i):
                            out[i] = "O"
                continue  # the model found the goal in this header: a goal is a sentence, which it reads better
            for i in found:  # the model's goal is another label's text (立项依据 | 依据…), the label's a sentence
                out[i] = "O"
        subtitle = positions.header_block_hits("PNAME", value[0], before=label[0]) if role == "PNAME" else []
        if subtitle and label_text in _PROJECT_NAME_LABELS and \
                compact("".join(tokens[i].text for i in subtitle)) != texts[k + 1]:
            for i in subtitle:  # the title names the fund (抗疫特别国债项目绩效目标表); the label, the project
                out[i] = "O"
        elif subtitle:
            for i in value:  # a name printed before the label (a subtitle): the label names a fund (专项名称)
                if _role(out[i]) == "PNAME":
                    out[i] = "O"
            continue
        if role in _BUDGET_TAGS and label_text.strip(":：") in _SUM_WORDS:
            after = cells[k + 2] if k + 2 < len(cells) else None
            if after is not None and tokens[after[0]].row == vrow and amount(tokens[after[0]].text) is not None:
                continue  # a row of sums (合计 | 16506.19 | 15954.19 …) is a budget table, not a label's value
        for n, i in enumerate(value):
            out[i] = f"{'B' if n == 0 else 'I'}-{role}"
        if role == "PNAME":
            labelled_names.append(value)
    named = {i for value in labelled_names for i in value}
    for value in labelled_names:
        clearing = False  # inside a later name (B-PNAME and its I-PNAME); an I-PNAME after other cells is
        for i in range(value[-1] + 1, len(tokens)):  # the rest of the labelled name wrapped onto the next line
            if out[i].endswith("-L3") or i in named:
                break
            if out[i] == "B-PNAME" or (clearing and out[i] == "I-PNAME"):
                out[i], clearing = "O", True
            else:
                clearing = False
    return out


_HEADER_DROP = re.compile(r"[\s:：()（）\[\]【】*]")  # what a header's words are compared without


@functools.lru_cache(maxsize=4096)
def _budget_column(text: str) -> str | None:
    """The budget field (BT, BF, BO) a column header's amounts are; "" for a known header of no field
    (全年执行数, 得分); None for any other text."""
    plain = _HEADER_DROP.sub("", unicodedata.normalize("NFKC", _label_text(text)))
    for field_name, words in content_words()["budget_columns"].items():
        if field_name in _LABELLED_ROLES and any(plain.startswith(w) for w in words):
            return _LABELLED_ROLES[field_name]
    exact, start = label_field(plain)
    fields = {"total": "BT", "fiscal": "BF", "other": "BO"}
    if (exact or start) in fields:
        return fields[exact or start or ""]
    return "" if "other_label" in (exact, start) or header_role(plain) else None


def budget_columns(tokens: list[Token], tags: list[str]) -> list[str]:
    """A row of amounts the model read as nothing, right under a row of column headers over budget
    fields (全年预算数（A） | 全年执行数（B） over 7574 | 6643), is read by column: each amount is its column's
    field. Columns are counted from the right (a row label printed once on the left has no amount), and
    every column must have a known header. A header with a row of sub-columns under it (财政资金 over 中央 |
    省级 | 市级资金 | 本级) spans them: its amount is their sum, read where only one of them is not zero.
    A field already read near the row is not read again."""
    out = list(tags)
    rows = _rows_of_cells(tokens)
    read: set[tuple[int, str]] | None = None  # (row, budget role) the model read, worked out when needed
    for k, row in enumerate(rows):
        first = tokens[row[0][0]].text.lstrip()[:1]
        if k == 0 or not first or not (first.isdigit() or unicodedata.normalize("NFKC", first).isdigit()) \
                or any(out[i] != "O" for c in row for i in c):
            continue  # most rows open with no amount
        values = []
        for c in row:  # a row of amounts only: most rows stop at their first cell, most at its first character
            first = unicodedata.normalize("NFKC", tokens[c[0]].text.lstrip()[:1])
            v = amount(_cell_text(tokens, c)) if first and (first.isdigit() or first in "+-") else None
            if v is None:
                break
            values.append(v)
        if len(values) != len(row):
            continue
        r = tokens[row[0][0]].row
        if read is None:
            read = {(tokens[i].row, _role(t)) for i, t in enumerate(tags) if _role(t) in _BUDGET_TAGS}
        for h, with_sub in ((k - 1, False), (k - 2, True)):
            if h < 0 or tokens[rows[h][0][0]].row != r - (k - h):
                continue
            head = [_budget_column(_cell_text(tokens, c)) for c in rows[h]]
            width = len(values)
            if with_sub:
                sub = [_cell_text(tokens, c) for c in rows[k - 1]]
                if any(amount(t) is not None or _budget_column(t) is not None for t in sub):
                    continue
                width = len(values) - len(sub) + 1
            if not 1 <= width <= len(head) or any(f is None for f in head[len(head) - width:]):
                continue
            fields = head[len(head) - width:]
            if with_sub and fields.count("BF") != 1:
                continue
            cells: list[tuple[str, list[list[int]]]] = []
            at = 0
            for f in fields:
                n = len(values) - width + 1 if with_sub and f == "BF" else 1
                cells.append((f or "", row[at:at + n]))
                at += n
            for f, group in cells:
                if not f or any(abs(rr - r) <= 8 for rr, role in read if role == f):
                    continue
                nonzero = [c for c in group if amount(_cell_text(tokens, c))]
                if len(group) == 1 or len(nonzero) == 1:
                    _mark(out, (nonzero or group)[0], f)
            break
    return out


_GOAL_SENTENCE = re.compile(r"[，,。；;]")  # a goal's punctuation: a sentence, not a name


def _under_other_label(tokens: list[Token], i: int) -> bool:
    """Whether token ``i`` is the text of the label of something other than the goal opening its row
    (立项依据 | 依据…)."""
    row = tokens[i].row
    k = i
    while k > 0 and tokens[k - 1].row == row:
        k -= 1
    if k == i or any(_is_label(compact(tokens[j].text)) for j in range(k + 1, i)):
        return False  # a row of labels run together (项目名称 项目编码 … 年度目标 …) is no one label's text
    field_name = label_field(_label_text(tokens[k].text))[0]
    return field_name is not None and field_name != "goal"


def labelled_pieces(tokens: list[Token], tags: list[str]) -> list[str]:
    """:func:`labelled_fields` inside a cell run together (年度财政资金总额1000 cut by the glue model into
    pieces of one cell): a piece that is a budget label, followed in the same run by an amount the model
    read as nothing, gives the amount the label's role, unless a column header word is beside them (a
    header printed in the same run). Only budgets: an amount's extent is its digits, a name's is not."""
    out = list(tags)
    for i in range(len(tokens) - 1):
        label, value = tokens[i], tokens[i + 1]
        if value.sep != "glue" or value.row != label.row or out[i + 1] != "O":
            continue
        exact = label_field(_label_text(label.text))[0]
        role = _LABELLED_ROLES.get(exact or "")
        if role not in _BUDGET_TAGS or amount(value.text) is None:
            continue
        near = [j for j in (i - 1, i + 2) if 0 <= j < len(tokens) and tokens[j].row == label.row]
        if any(header_role(tokens[j].text) for j in near):
            continue
        out[i + 1] = f"B-{role}"
    return out


_HEADER_ROLES = ("PCODE", "PNAME", "BT", "BF", "BO")


def summary_columns(tokens: list[Token], tags: list[str]) -> list[str]:
    """Rows of a multi-project summary (one project per row: code | name | budgets | indicators)
    read alike: where the model tagged a project-header field in some indicator rows, an untagged
    cell in the same column of another indicator row is that field too. Only columns that hold
    nothing but that field (or nothing) in indicator rows are used; only cut cells (tab, pipe, grid)."""
    out = list(tags)
    rows = _token_rows(tokens)
    # only rows cut into cells (tabs, pipes, a grid): there a cell index is a column
    rows = {r: idx for r, idx in rows.items() if len({tokens[i].cell for i in idx}) >= 3}
    indicator_rows = {r for r, idx in rows.items() if any(tags[i].endswith("-L3") for i in idx)}
    # columns are a table's own: a table runs from one column-header row to the next
    starts = sorted(_header_rows(tokens))
    table = {r: bisect.bisect_right(starts, r) for r in indicator_rows}
    column: dict[tuple[int, int], set[str]] = {}
    for r in indicator_rows:
        for i in rows[r]:
            column.setdefault((table[r], tokens[i].cell), set()).add(tags[i].split("-", 1)[-1])
    fields = {c: next(iter(roles - {"O"})) for c, roles in column.items()
              if len(roles - {"O"}) == 1 and (roles - {"O"}) <= set(_HEADER_ROLES)}
    for r in indicator_rows:
        cells: dict[int, list[int]] = {}
        for i in rows[r]:
            cells.setdefault(tokens[i].cell, []).append(i)
        for c, idx in cells.items():
            role = fields.get((table[r], c))
            if not role:
                continue
            roles = {tags[i].split("-", 1)[-1] for i in idx}
            # the whole cell takes the column's field when it holds nothing else (a name cut in pieces too)
            if roles <= {"O", role} and "O" in roles and \
                    not any(tags[i].endswith(f"-{role}") for i in rows[r] if tokens[i].cell != c):
                for n, i in enumerate(idx):
                    out[i] = f"{'B' if n == 0 else 'I'}-{role}"
    return out


def header_columns(tokens: list[Token], tags: list[str]) -> list[str]:
    """A multi-project summary's rows read by its column header: where one header row names both
    project columns (项目名称, 预算数, 年度目标 …) and indicator columns (三级指标 …), a cell of
    an indicator row that sits under a project column (rows aligned on the right, since a merged
    cell printed once leaves the later rows of its project shorter on the left) and that the model
    read as nothing is that project field. Only rows cut into cells (pipes, tabs, a grid)."""
    out = list(tags)
    cells = _cells(tokens)
    by_row: dict[int, list[list[int]]] = {}
    for c in cells:
        by_row.setdefault(tokens[c[0]].row, []).append(c)
    heads = sorted(_header_rows(tokens))
    for h, next_h in zip(heads, [*heads[1:], None]):
        columns = [_header_cell_role(_cell_text(tokens, c)) for c in by_row.get(h, [])]
        if "PNAME" not in columns or "level3" not in columns:
            continue
        for r in sorted(by_row):
            if r <= h or (next_h is not None and r >= next_h):
                continue
            row = by_row[r]
            if len(row) > len(columns) or len(row) < 3 or any(tokens[c[0]].sep not in DELIMITERS for c in row[1:]) \
                    or not any(out[i].endswith("-L3") for c in row for i in c):
                continue  # not an indicator row of cut cells
            offset = len(columns) - len(row)
            for j, c in enumerate(row):
                role = columns[offset + j]
                if role == "UNIT" and all(out[i] == "O" for i in c) and _CODED_UNIT.match(_cell_text(tokens, c)):
                    _mark(out, c, "PCODE")  # 820001-井研县马踏镇人民政府: the unit's code is the project's
                    continue
                if role is not None and role in _LABELLED_ROLES.values() and all(out[i] == "O" for i in c):
                    text = _cell_text(tokens, c)
                    if _label_value_fits(role, text):
                        for n, i in enumerate(c):
                            out[i] = f"{'B' if n == 0 else 'I'}-{role}"
    return out


def _header_cell_role(text: str) -> str | None:
    """The role a column header's cell names: a project field (PNAME, PCODE, BT … GOAL), an indicator
    column (level1 … value), UNIT for a unit column, or None."""
    exact, _ = label_field(_MONEY_UNIT.sub("", text))
    unit = "UNIT" if compact(text) in _unit_label_set() else None
    return _LABELLED_ROLES.get(exact or "") or header_role(text) or unit


def summary_rows_by_header(tokens: list[Token], tags: list[str]) -> list[str]:
    """A summary's project row opens with the project's cells in the header's order (项目名称 | 项目编码 |
    预算金额 | 年度目标 before 一级指标 …), some of them lost or merged away: after a column header naming a
    name column before its indicator columns, the cells before a level or indicator name that opens a row's
    indicators (on its row, after no other field) are aligned with those columns in order, each where its
    text can be that column's value (:func:`_header_fit`; a name or goal cut in pieces is joined); a
    row aligned whole, its name included, reads as its project's fields. Cells are cut cells, space runs or,
    in text run together, the model's pieces; the header may share the row (a table on one line). Where
    the header names no actual result, points or weight, a cell read as one of those can be a project's."""
    out = list(tags)
    columns: list[str | None] = []
    free = {"O", "GOAL"}  # what a project's cell may have been read as
    opening = ""
    name_rows: set[int] = set()
    for row in _lines_of_cells(tokens):
        units = [u for c in row for u in _model_pieces(c, out)]
        window: list[list[int]] | None = []
        k = 0
        while k < len(units):
            unit = units[k]
            header = _header_run(tokens, out, units, k)
            if header:
                roles, k = header
                first_level = next(j for j, role in enumerate(roles) if role in _LEVEL_COLUMNS)
                opening = _LEVEL_TAGS[str(roles[first_level])]  # a project's row opens the first level column
                if first_level and roles[first_level - 1] is None and opening == "B-L2":
                    first_level, opening = first_level - 1, "B-L1"  # 一级 | 二级指标: the level-1 head cut short
                columns = roles[:first_level] if "PNAME" in roles[:first_level] else []
                scored = {_SCORE_COLUMNS.get(str(role)) for role in roles}
                free = {"O", "GOAL"} | {"ACT", "PTS", "WT"} - scored
                window = []
                continue
            read = {_role(out[i]) for i in unit}
            if columns and out[unit[0]] == opening and window:
                fields = _align_with_columns([compact(_cell_text(tokens, u)) for u in window], columns) or []
                name = compact(_cell_text(tokens, window[fields.index("PNAME")])) if "PNAME" in fields else ""
                # a name and another field at least (a lone cell may be a target the model missed: 高质量完成);
                # no level's wrapped piece (益指标) or target for a name
                if len(name) >= 4 and len(set(fields)) >= 2 and _could_be_name(name) \
                        and not looks_like_value(name) and name not in qualitative_values() \
                        and not _unit_words(name):
                    for n, (u, role) in enumerate(zip(window, fields)):
                        joined = n and fields[n - 1] == role  # a piece of the same name or goal
                        for m, i in enumerate(u):
                            out[i] = f"{'I' if joined or m else 'B'}-{role}"
                    name_rows.add(tokens[window[0][0]].row)
            # a window opens after an indicator's cells; a project's field the model read closes it till
            # the next indicators (the model read that project)
            if read <= free or (read == {"PNAME"} and window == []):
                # a name the model read opens a window (its code and budget may be unread after it)
                window = [*window, unit] if window is not None else None
            else:
                window = None if read & _PROJECT_CELL_ROLES or (window is None and not read & {"L1", "L2", "L3"}) \
                    else []
            k += 1
    # the name wrapped onto the next line, read there as a name of its own, with no project field
    # or level 1 after it: the rest of the name
    for row in _rows_of_cells(tokens):
        first = row[0]
        if tokens[first[0]].row - 1 in name_rows and out[first[0]] == "B-PNAME" \
                and not any(_role(out[i]) in _PROJECT_CELL_ROLES | {"L1"} for c in row[1:] for i in c):
            for i in first:
                out[i] = "I-PNAME"
    return out


_LEVEL_TAGS = {"level1": "B-L1", "level2": "B-L2", "level3": "B-L3"}
_SCORE_COLUMNS = {"actual": "ACT", "points": "PTS", "score": "PTS", "weight": "WT"}


def _model_pieces(cell: list[int], tags: list[str]) -> list[list[int]]:
    """A cell as the model read it: a cell of text run together is cut where the model began a field or
    read a piece as nothing; any other cell is one piece."""
    if len(cell) == 1:
        return [cell]
    pieces: list[list[int]] = []
    for i in cell:
        if not pieces or tags[i] == "O" or tags[i].startswith("B-") or tags[pieces[-1][-1]] == "O":
            pieces.append([i])
        else:
            pieces[-1].append(i)
    return pieces


def _header_run(tokens: list[Token], tags: list[str], units: list[list[int]],
                k: int) -> tuple[list[str | None], int] | None:
    """The column roles of a run of header cells starting at ``units[k]`` (read as nothing, each
    naming a column), when it names a project's name before an indicator column; with the index after it."""
    roles: list[str | None] = []
    j = k
    while j < len(units) and all(tags[i] == "O" for i in units[j]):
        text = _cell_text(tokens, units[j])
        role = _header_cell_role(text)
        if role is None and len(text) <= 4 and j + 1 < len(units) and all(tags[i] == "O" for i in units[j + 1]):
            # a header word wrapped onto two lines (一级 / 指标): one column
            joined = _header_cell_role(text + _cell_text(tokens, units[j + 1]))
            if joined in _LEVEL_COLUMNS:
                roles.append(joined)
                j += 2
                continue
        if role is None and not (roles and len(compact(text)) <= 4):
            break  # a short unnamed header cell (二级) goes on; anything else ends the run
        roles.append(role)
        j += 1
    if "PNAME" not in roles or not any(r in _LEVEL_COLUMNS for r in roles[roles.index("PNAME"):]):
        return None
    return roles, j


_LEVEL_COLUMNS = frozenset({"level1", "level2", "level3"})
_PROJECT_CELL_ROLES = frozenset(_LABELLED_ROLES.values())


_LETTER = re.compile(r"[^\W\d_]")


def _unit_words(text: str) -> bool:
    """Whether a text is a unit of the value grammar (人次, 元/人·月), which names no project."""
    units = _unit_set()
    return all(part in units for part in re.split("[/·]", text))


@functools.lru_cache(maxsize=1)
def _unit_set() -> frozenset[str]:
    return frozenset(content_words()["units"])


def _header_fit(role: str | None, text: str) -> int:
    """How well a cell's text reads as the value of a project column: 0 where it cannot be
    (:func:`_label_value_fits`), 2 where it reads as nothing else, 1 where another column fits as well
    (a short number is an amount before a code, a long digit run a code; a sentence a goal, not a name)."""
    if role not in _PROJECT_CELL_ROLES or not _label_value_fits(role, text):
        return 0
    if role == "PCODE":
        return 2 if len(text) >= 6 and "." not in text or not text.isdigit() else 1
    if role in _BUDGET_TAGS:
        return 2 if "." in text or len(text) < 6 else 1
    sentence = bool(re.search("[，。；,;]", text)) or len(text) > 40
    return 2 if sentence == (role == "GOAL") else 1


def _align_with_columns(texts: list[str], columns: list[str | None]) -> list[str] | None:
    """The column (in order, some skipped) each text best fits, a name's or a goal's pieces joined in
    one column (dynamic programming over texts × columns); None when no alignment fits every text."""
    n, m = len(texts), len(columns)
    best: dict[tuple[int, int], tuple[int, list[str]]] = {(0, 0): (0, [])}
    for j in range(m):
        role = columns[j]
        for i in range(n + 1):
            if (i, j) not in best:
                continue
            score, path = best[(i, j)]
            options = [((i, j + 1), score, path)]  # column j left empty (its cell lost or merged)
            # pieces i..e-1 in column j: one piece, or several of a name or a goal the glue cut apart
            for e in range(i + 1, n + 1 if role in ("PNAME", "GOAL") else min(n, i + 1) + 1):
                if e - i > 1 and not _LETTER.search(texts[e - 1]):
                    break  # a name or goal goes on with words, not a bare number
                fit = _header_fit(role, "".join(texts[i:e]))
                if fit:
                    options.append(((e, j + 1), score + fit - (e - i - 1), [*path, *[str(role)] * (e - i)]))
            for key, s, p in options:
                if key not in best or s > best[key][0]:
                    best[key] = (s, p)
    return best[(n, m)][1] if (n, m) in best else None


# a unit printed after its code in a summary table's unit column (820001-井研县马踏镇人民政府)
_CODED_UNIT = re.compile(r"^\s*(\d{3,})\s*[-－—_]\s*\D")


@functools.lru_cache(maxsize=1)
def _unit_label_set() -> frozenset[str]:
    return frozenset(content_words()["unit_labels"])


def stacked_header_columns(tokens: list[Token], tags: list[str]) -> list[str]:
    """A multi-project summary whose column header is printed over several rows (项目名称 | 项目金额 |
    绩效指标 on one row, 三级指标 | 目标值 under the indicator groups a row or two below) read by the
    header block as a whole: the cell index of a delimited row is its column, and each column takes the
    role one row of the block names for it. A cell under a project column (项目名称, 项目金额 …) of an
    indicator row whose own names sit under 三级指标 is that project field, whatever the model read it
    as (a project's first row reads like an indicator row: name, then an amount). Only pipe and tab
    rows that print their empty cells, so that a cell's index is its column."""
    out = list(tags)
    by_row: dict[int, list[list[int]]] = {}
    for c in _cells(tokens):
        by_row.setdefault(tokens[c[0]].row, []).append(c)
    heads = sorted(_header_rows(tokens))
    blocks: list[list[int]] = []
    for h in heads:  # a header row and the rows just above it, up to one that prints an indicator name
        block = [h]
        for r in range(h - 1, h - 4, -1):
            if any(_role(out[i]) == "L3" for c in by_row.get(r, []) for i in c):
                break
            if r in by_row:
                block.insert(0, r)
        blocks.append(block)
    ends = [b[-1] for b in blocks[1:]] + [None]
    for block, end in zip(blocks, ends):
        if len(block) < 2:
            continue  # one header row: header_columns reads it
        columns: dict[int, str] = {}
        for h in reversed(block):  # the row nearest the data names its column (三级指标 under 绩效目标)
            for c in by_row.get(h, []):
                if tokens[c[0]].sep not in DELIMITERS and c is not by_row[h][0]:
                    break
                text = _cell_text(tokens, c)
                exact, _ = label_field(_MONEY_UNIT.sub("", text))
                role = _LABELLED_ROLES.get(exact or "") or header_role(text)
                if role is not None:
                    columns.setdefault(tokens[c[0]].cell, role)
        project_columns = {k: r for k, r in columns.items() if r in _LABELLED_ROLES.values()}
        name_columns = {k for k, r in columns.items() if r == "level3"}
        if "PNAME" not in project_columns.values() or not name_columns or \
                max(project_columns) >= min(name_columns):
            continue  # the project columns come first in a summary row
        for r in sorted(by_row):
            if r <= block[-1] or (end is not None and r >= end):
                continue
            row = by_row[r]
            if any(tokens[c[0]].sep not in DELIMITERS for c in row[1:]) or not any(
                    tokens[c[0]].cell in name_columns and any(_role(out[i]) == "L3" for i in c) for c in row):
                continue  # not a delimited indicator row with a name under 三级指标
            for c in row:
                role = project_columns.get(tokens[c[0]].cell)
                if role is None or all(_role(out[i]) == role for i in c):
                    continue
                if _label_value_fits(role, _cell_text(tokens, c)):
                    for n, i in enumerate(c):
                        out[i] = f"{'B' if n == 0 else 'I'}-{role}"
    return out


def _target_cells(tokens: list[Token], row: list[list[int]], j: int, out: list[str]) -> list[int] | None:
    """The tokens of a target printed from cell ``j`` of a row, in cells the model read as nothing: a
    quantity or a qualitative value, optionally after a comparator cell of its own, a number optionally
    before its unit cell (≥ | 230 | 个, 470 | 人/天); None when the cells there are no target."""
    units = frozenset(content_words()["units"])

    def free(k: int) -> bool:
        return k < len(row) and all(out[i] == "O" for i in row[k])

    op = free(j) and free(j + 1) and comparator_op(_cell_text(tokens, row[j])) is not None
    v = j + 1 if op else j
    if not free(v):
        return None
    value_text = _cell_text(tokens, row[v])
    unit_text = _cell_text(tokens, row[v + 1]) if free(v + 1) else ""
    # a unit cell: a word of the unit list, or what reads as the unit of the number before it (人/天)
    read_unit = (parse_quantity(value_text + unit_text) or (None, None, None))[2] if unit_text else None
    unit = bool(unit_text) and amount(value_text) is not None \
        and (unit_text in units or (len(unit_text) <= 6 and not re.search(r"\d", unit_text) and read_unit == unit_text))
    if not (looks_like_value(value_text) or value_text in qualitative_values() or unit):
        return None
    return [*(row[j] if op else []), *row[v], *(row[v + 1] if unit else [])]


def _mark(out: list[str], positions: list[int], role: str) -> None:
    for n, i in enumerate(positions):
        out[i] = f"{'B' if n == 0 else 'I'}-{role}"


def _rows_of_cells(tokens: list[Token]) -> list[list[list[int]]]:
    """The cells (:func:`_cells`) of every row, once per token list."""
    return _of_tokens(tokens, _cells_by_row)


_ONE_CELL_A_LINE = 0.9  # share of one-cell lines in a document printed one cell per line


def _lines_of_cells(tokens: list[Token]) -> list[list[list[int]]]:
    """The cells of every row, where lines of one cell each, one after the other, are one row in a
    document printed one cell per line (most of its lines one cell): its table reads as a table run
    together on one line. Elsewhere a run of one-cell lines is a cell wrapped (a goal), left as rows."""
    rows = _rows_of_cells(tokens)
    if sum(len(row) == 1 for row in rows) < _ONE_CELL_A_LINE * len(rows):
        return rows
    out: list[list[list[int]]] = []
    alone = False
    for row in rows:
        lone = len(row) == 1
        if lone and alone:
            out[-1].append(row[0])
        else:
            out.append(list(row))
        alone = lone
    return out


def _cells_by_row(tokens: list[Token]) -> list[list[list[int]]]:
    by_row: dict[int, list[list[int]]] = {}
    for c in _cells(tokens):
        by_row.setdefault(tokens[c[0]].row, []).append(c)
    return list(by_row.values())


def level_rows_read(tokens: list[Token], tags: list[str]) -> list[str]:
    """The table grammar finishes a row the model began: a row that opens with level names (read as
    levels, or printed as the framework's level names) and has no indicator name reads on as name,
    then target (``_target_cells``): 产出指标 | 成本指标 | 检查差旅费 | 470 | 人/天 | 2. Cells the
    model gave another role are left as they are."""
    out = list(tags)
    for row in _rows_of_cells(tokens):
        if any(_role(out[i]) in ("L3", "PNAME", "GOAL") for c in row for i in c):
            continue
        k = 0
        levels = []
        while k < len(row):
            text, roles = _cell_text(tokens, row[k]), {_role(out[i]) for i in row[k]}
            if roles <= {"L1", "L2"} and "O" not in roles:
                levels.append(k)
            elif roles == {"O"} and (standard_level1(text) or standard_level2(text)) and (levels or k == 0):
                levels.append(k)
            else:
                break
            k += 1
        if not levels or k + 1 >= len(row):
            continue
        if any(_role(out[i]) == "O" for i in row[levels[0]]) and not _framework_pair(
                [_cell_text(tokens, row[k2]) for k2 in levels]):
            continue  # a row begins with a level the model read (or a level 1 and its level 2), else it is no row
        read_first = _role(out[row[levels[0]][0]])
        name_text = _cell_text(tokens, row[k])
        if not all(out[i] == "O" for i in row[k]) or not _label_value_fits("PNAME", name_text) \
                or looks_like_value(name_text):
            continue
        target = _target_cells(tokens, row, k + 1, out)
        if target is None:
            continue
        if read_first == "O":  # the model read none of the pair: the framework names them
            _mark(out, row[levels[0]], "L1")
            read_first = "L1"
        if read_first == "L1":
            for k2 in levels[1:]:  # after the row's first level, the levels printed (or read as level 1) are level 2
                _mark(out, row[k2], "L2")
        _mark(out, row[k], "L3")
        _mark(out, target, "VAL")
    return out


def names_of_lone_values(tokens: list[Token], tags: list[str]) -> list[str]:
    """A delimited row of a table under way whose target the model read but whose name it did not
    (生活垃圾运输车辆 | 283辆 under 清扫保洁道路条数 | 485条): the cell before the target, after nothing but
    level cells, is the name. The row above must be an indicator's (its name read), so a project
    header's label | value row is never taken for one."""
    out = list(tags)
    delimited = _delimited_rows(tokens)
    rows = _rows_of_cells(tokens)
    for above, row in zip(rows, rows[1:]):
        if tokens[row[0][0]].row not in delimited or not any(_role(out[i]) == "L3" for c in above for i in c):
            continue
        if any(_role(out[i]) in ("L3", "PNAME", "GOAL") for c in row for i in c):
            continue
        k = 0
        while k < len(row) and {_role(out[i]) for i in row[k]} <= {"L1", "L2"} and out[row[k][0]] != "O":
            k += 1
        if k + 1 >= len(row) or out[row[k + 1][0]] != "B-VAL" or any(out[i] != "O" for i in row[k]):
            continue
        text = _cell_text(tokens, row[k])
        if _CJK_TEXT.search(text) and parse_quantity(text) is None and not _is_label(text) \
                and not standard_level1(text) and not standard_level2(text):
            _mark(out, row[k], "L3")
    return out


def quantities_closing_names(tokens: list[Token], tags: list[str]) -> list[str]:
    """A name never runs on into the next delimited cell when that cell is a quantity (其中露天蔬菜 | 20亩 |
    20亩, the model reading the first 20亩 as more name): the quantity is the target, and the target read
    after it in the row is the next column's (the actual result where the table has that column)."""
    out = list(tags)
    delimited = _delimited_rows(tokens)
    has_actual = any(header_role(t.text) == "actual" for t in tokens)
    for row in _rows_of_cells(tokens):
        if tokens[row[0][0]].row not in delimited:
            continue
        for k in range(1, len(row)):
            cell = row[k]
            if out[cell[0]] != "I-L3" or parse_quantity(_cell_text(tokens, cell)) is None:
                continue
            _mark(out, cell, "VAL")
            later = next((c for c in row[k + 1:] if _role(out[c[0]]) == "VAL"), None)
            if later is not None and out[later[0]] == "B-VAL":
                _mark(out, later, "ACT" if has_actual else "VAL")
                if not has_actual:
                    out[later[0]] = "O"
            break
    return out


def units_after_numbers(tokens: list[Token], tags: list[str]) -> list[str]:
    """A target read as a bare number whose unit stands in the next cell of its row, read as nothing
    (检查差旅费 | 470 | 人/天: a 度量单位 column), takes the unit: a unit of the units list, or units of it
    joined by / (人/天), never another word (定量, a 指标性质 column's)."""
    out = list(tags)
    units = frozenset(content_words()["units"])
    for i in range(len(tokens) - 1):
        if out[i] != "B-VAL" or out[i + 1] != "O" or tokens[i + 1].row != tokens[i].row:
            continue
        q = parse_quantity(tokens[i].text)
        unit = compact(tokens[i + 1].text)
        if q is None or q[2] is not None or q[0] != "=" or not unit or unit[0].isdigit():
            continue
        with_unit = parse_quantity(f"1{unit}")
        if with_unit is not None and with_unit[2] == unit and all(p in units for p in re.split(r"[/.·]", unit)):
            out[i + 1] = "I-VAL"
    return out


def level2_between(tokens: list[Token], tags: list[str]) -> list[str]:
    """In a table whose header names a level-2 column (二级指标), one cell read as nothing between a
    row's level 1 and its indicator name (满意度指标 | 服务对象 | 群众满意度) is the level 2, printed
    however the table prints it."""
    out = list(tags)
    if not _of_tokens(tokens, _prints_level2_column):
        return out
    delimited = _delimited_rows(tokens)
    for row in _rows_of_cells(tokens):
        if tokens[row[0][0]].row not in delimited:
            continue
        for k in range(1, len(row) - 1):
            before, cell, after = row[k - 1], row[k], row[k + 1]
            if _role(out[before[0]]) != "L1" or any(out[i] != "O" for i in cell) or out[after[0]] != "B-L3":
                continue
            text = _cell_text(tokens, cell)
            if _CJK_TEXT.search(text) and not re.search(r"\d", text) and not _is_label(text) \
                    and not standard_level1(text) and len(text) <= _longest_level2():
                _mark(out, cell, "L2")
    return out


@functools.lru_cache(maxsize=1)
def _longest_level2() -> int:
    """The length of the framework's longest level-2 name or variant: a longer cell is no level name."""
    return max(len(v) for name, entry in framework()["level2"].items() for v in (name, *entry["variants"]))


def wrapped_level_names(tokens: list[Token], tags: list[str]) -> list[str]:
    """A framework level name wrapped onto the next lines of its cell (社会效益 | 指 | 标, 可持续影响 | 指标 in a
    PDF's text) and read as nothing: the pieces that together spell the name are that level, when an
    indicator name follows them."""
    out = list(tags)
    prefixes = _level_name_prefixes()
    n = len(tokens)
    i = 0
    while i < n:
        if out[i] != "O" or compact(tokens[i].text) not in prefixes:
            i += 1
            continue
        text, found, role = "", None, "L2"
        for j in range(i, min(n, i + _WRAP_PIECES)):
            if out[j] != "O" or tokens[j].row - tokens[i].row > _WRAP_PIECES:
                break
            text += compact(tokens[j].text)
            if text not in prefixes:
                break
            if j > i and (standard_level2(text) or standard_level1(text)):
                found, role = j, "L2" if standard_level2(text) else "L1"
        if found is not None and found + 1 < n and out[found + 1] == "B-L3":
            _mark(out, list(range(i, found + 1)), role)
            i = found + 1
        else:
            i += 1
    return out


def wrapped_level_columns(tokens: list[Token], tags: list[str]) -> list[str]:
    """Columns printed with spaces wrap a level name in its column too (社会成 / 本指标, 服务对象满意 / 度
    on the next line, at the same offset): where a row's first cell and the cell under it on the next
    row spell a framework level name, the two are that level, and the next row is the rest of the
    row above: each of its cells continues the name or target it sits under (离休干部资金成本 / 控制)."""
    out = list(tags)
    prefixes = _level_name_prefixes()
    rows: list[list[int]] = []
    for i, t in enumerate(tokens):
        if rows and tokens[rows[-1][0]].row == t.row:
            rows[-1].append(i)
        else:
            rows.append([i])
    for above, below in zip(rows, rows[1:]):
        a, b = above[0], below[0]
        if tokens[b].row != tokens[a].row + 1 or abs(tokens[a].offset - tokens[b].offset) > 1 \
                or any(tokens[i].sep not in ("row", "sp2", "sp1", "glue") for i in (*above, *below)):
            continue
        first, rest = compact(tokens[a].text), compact(tokens[b].text)
        if first not in prefixes or standard_level1(first) or standard_level2(first) \
                or _role(out[b]) not in ("O", "L2", "L1", "L3"):
            continue
        level = "L2" if standard_level2(first + rest) else "L1" if standard_level1(first + rest) else None
        if level is None or out[a] not in ("O", f"B-{level}"):
            continue
        starts = {tokens[i].offset: _role(out[i]) for i in above[1:] if out[i].startswith("B-")}
        if not all(tokens[i].offset in starts or tokens[i].sep in ("sp1", "glue") for i in below[1:]):
            continue  # the next row opens cells of its own: a row, not the rest of this one
        out[a], out[b] = f"B-{level}", f"I-{level}"
        role = None
        for i in below[1:]:
            role = starts.get(tokens[i].offset, role) if tokens[i].sep not in ("sp1", "glue") else role
            if role in ("L3", "VAL") and out[i] in ("O", "B-L3", "I-L3", "I-VAL"):
                out[i] = f"I-{role}"
    return out


@functools.lru_cache(maxsize=1)
def _level_name_prefixes() -> frozenset[str]:
    """Every beginning of a framework level name or variant (社会效益 of 社会效益指标), the names included."""
    fw = framework()
    names = [*fw["level1"], *(v for vs in fw["level1"].values() for v in vs)]
    names += [v for name, entry in fw["level2"].items() for v in (name, *entry["variants"])]
    return frozenset(name[:k] for name in names for k in range(1, len(name) + 1))


_WRAP_PIECES = 4  # a level name wraps onto two or three lines of a narrow column, a piece each


def continuations_inside_cells(tokens: list[Token], tags: list[str]) -> list[str]:
    """A delimited cell is one field: a piece the model read as the rest of a name (I-L3) inside a cell
    whose first piece it read as nothing (说明 | 请在此处…绩效指标 | 简要说明原因…), with no name opened before
    it in the cell, continues no name."""
    out = list(tags)
    delimited = _delimited_rows(tokens)
    for cell in _cells(tokens):
        if len(cell) > 1 and tokens[cell[0]].row in delimited and out[cell[0]] == "O":
            for i in cell[1:]:
                if out[i] == "B-L3":
                    break  # a name opened inside the cell (指标2： | 公益性岗 | 位支出): its rest is its own
                if out[i] == "I-L3":
                    out[i] = "O"
    return out


def level2_names_read_as_level1(tokens: list[Token], tags: list[str]) -> list[str]:
    """In a table with a level-2 column, a framework level-2 name that is no level-1 name (可持续影响指标,
    数量指标) is a level 2 wherever the model read it as a level 1; names of both levels (成本指标), and a
    name over a level 2 of its own framework level (社会公众或服务对象满意度指标 | 服务对象满意度, a
    template's level 1), keep the model's reading. Before a level 2 of another framework level
    (可持续影响指标 | 社会公众或服务对象满意度指标) it is that level 2's sibling."""
    out = list(tags)
    if not _of_tokens(tokens, _prints_level2_column):
        return out  # no level-2 column: the table's level-1 cells are what it prints there
    cells = _cells(tokens)
    for k, cell in enumerate(cells):
        if out[cell[0]] != "B-L1" or any(out[i] != "I-L1" for i in cell[1:]):
            continue
        text = _cell_text(tokens, cell)
        after = _cell_text(tokens, cells[k + 1]) if k + 1 < len(cells) else ""
        if after and _role(out[cells[k + 1][0]]) in ("L1", "L2") \
                and (standard_parent(after) or standard_level1(after)) in (None, standard_parent(text)):
            continue  # a level 2 of its own framework level under it: the template prints the name as a level 1
        if standard_level2(text) and not standard_level1(text):
            _mark(out, cell, "L2")
    return out


def level_only_rows(tokens: list[Token], tags: list[str]) -> list[str]:
    """A row of a table under way that prints only framework level names, read as nothing (效益指标 |
    经济效益指标 over an empty indicator cell), is a row of levels: the merged level cell it opens holds
    for the rows under it."""
    out = list(tags)
    delimited = _delimited_rows(tokens)
    started = False
    for row in _rows_of_cells(tokens):
        started = started or any(_role(out[i]) == "L3" for c in row for i in c)
        if not started or tokens[row[0][0]].row not in delimited or len(row) > 2:
            continue
        if any(out[i] != "O" for c in row for i in c):
            continue
        texts = [_cell_text(tokens, c) for c in row]
        if len(texts) == 2 and _framework_pair(texts):
            _mark(out, row[0], "L1")
            _mark(out, row[1], "L2")
        elif len(texts) == 1 and standard_level1(texts[0]) and not standard_level2(texts[0]):
            _mark(out, row[0], "L1")
    return out


def _framework_pair(texts: list[str]) -> bool:
    """Two level names printed as the framework's level 1 and one of its level 2s (产出指标 | 成本指标)."""
    return len(texts) == 2 and standard_level1(texts[0]) is not None \
        and standard_parent(texts[1]) == standard_level1(texts[0])


def values_inside_names(tokens: list[Token], tags: list[str]) -> list[str]:
    """A delimited cell opened by an indicator name holds the whole name: where the model read a piece
    of it as the value (服务期满考核合格率 | （%） in one cell) and the next cells, read as nothing, hold
    a target (| ≥90% |, or | ≥ | 230 | 个 after 村组干部 | 230人), the piece is the end of the name and
    those cells are the value."""
    out = list(tags)
    delimited = _delimited_rows(tokens)
    for row in _rows_of_cells(tokens):
        if tokens[row[0][0]].row not in delimited:
            continue
        for k, cell in enumerate(row[:-1]):
            roles = [_role(out[i]) for i in cell]
            if out[cell[0]] != "B-L3" or "VAL" not in roles or not set(roles) <= {"L3", "VAL", "O"}:
                continue
            target = _target_cells(tokens, row, k + 1, out)
            glued = compact("".join(tokens[i].text for i, r in zip(cell, roles) if r == "VAL"))
            # the next cells beat the piece when the piece reads as no target ((%)), or they are a target
            # printed in cells of its own (≥ | 230 | 个); a bare number after a read value is a weight
            if target is not None and (not looks_like_value(glued) or len(target) > len(row[k + 1])):
                _mark(out, cell, "L3")
                _mark(out, target, "VAL")
    return out


def quantities_read_as_names(tokens: list[Token], tags: list[str]) -> list[str]:
    """A target with its comparator (>=28次) is never an indicator's name: where the model read one as
    a name, right after a name-like cell it read as nothing (当年人才驿站组织活动数量 >=28次), that cell
    is the name and the quantity its value."""
    out = list(tags)
    for i in range(1, len(tokens)):
        if out[i] != "B-L3" or (i + 1 < len(tokens) and out[i + 1] == "I-L3") or out[i - 1] != "O":
            continue
        q = parse_quantity(tokens[i].text)
        before = compact(tokens[i - 1].text)
        if q is not None and q[0] is not None and _label_value_fits("PNAME", before) \
                and not looks_like_value(before):
            out[i - 1], out[i] = "B-L3", "B-VAL"
    return out


def quantities_read_as_levels(tokens: list[Token], tags: list[str]) -> list[str]:
    """A quantity with its unit or comparator (2280次) is never a level: where the model read one as a
    level 1 or 2 (a cell of one token), it is read as nothing, for the row grammar to place (the target
    of the name before it, in cells run together)."""
    out = list(tags)
    for i, tag in enumerate(tags):
        if tag in ("B-L1", "B-L2") and (i + 1 >= len(tags) or not tags[i + 1].startswith("I-")) \
                and not _level_like(tokens[i].text) and _quantity_with_unit_or_comparator(tokens[i].text):
            out[i] = "O"
    return out


def _could_be_name(text: str) -> bool:
    """An unread cell the row grammar may read as an indicator's name: words, not a label, a level or a
    quantity (``text`` compacted)."""
    return bool(_CJK_TEXT.search(text)) and not (_level_like(text) or _is_label(text)
                                                 or parse_quantity(text) is not None)


def _could_be_target(text: str) -> bool:
    """An unread cell the row grammar may read as a target: not a label or a level (``text`` compacted)."""
    return not (_level_like(text) or _is_label(text))


def levels_closing_rows(tokens: list[Token], tags: list[str]) -> list[str]:
    """A level's row holds a name and its target: where a level is followed, to the end of its row, by
    exactly two pieces run together the model read as nothing (成本指标 | 成本控制率 | 不超预算, the last cells
    of a table run together), they are that name and target; a label, a level or a number is no name. So
    is the last piece after a name read right after its level."""
    out = list(tags)
    rows = _token_rows(tokens)
    for idx in rows.values():
        if len(idx) < 3:
            continue
        level, name, value = idx[-3:]
        if _role(out[level]) in ("L1", "L2") and out[name] == "B-L3" and out[value] == "O" \
                and tokens[value].sep == "glue" and _could_be_target(compact(tokens[value].text)):
            out[value] = "B-VAL"  # the name read, its target the row's last piece
            continue
        if _role(out[level]) not in ("L1", "L2") or out[name] != "O" or out[value] != "O" \
                or tokens[name].sep != "glue" or tokens[value].sep != "glue":
            continue  # only pieces run together: two cut cells may be one name wrapped, its target lost
        name_text, value_text = compact(tokens[name].text), compact(tokens[value].text)
        if not (_could_be_name(name_text) and _could_be_target(value_text)):
            continue
        out[name], out[value] = "B-L3", "B-VAL"
    return out


def _opens_with_name(tokens: list[Token], tags: list[str], idx: list[int]) -> bool:
    """Whether a row reads as an indicator opening it: levels perhaps, then a name, then its target."""
    roles = [_role(tags[i]) for i in idx]
    k = next((n for n, r in enumerate(roles) if r not in ("L1", "L2")), len(roles))
    return k < len(roles) and roles[k] == "L3" and "VAL" in roles[k + 1:]


def lines_alike(tokens: list[Token], tags: list[str]) -> list[str]:
    """Rows of cells run together, one indicator a line: a line the model read as nothing at all, between
    two lines each opened by an indicator's name and its target, is one too — the pieces before its first
    target (a quantity with a unit, a comparator or a bound: 90%以上) are the name, that quantity the target."""
    out = list(tags)
    rows = _token_rows(tokens)
    order = sorted(rows)
    delimited = _delimited_rows(tokens)
    for n in range(1, len(order) - 1):
        idx = rows[order[n]]
        if order[n] in delimited or any(out[i] != "O" for i in idx) or order[n - 1] != order[n] - 1 \
                or order[n + 1] != order[n] + 1:
            continue
        if not all(_opens_with_name(tokens, out, rows[order[m]]) for m in (n - 1, n + 1)):
            continue
        q = next((m for m, i in enumerate(idx) if _quantity_with_unit_or_comparator(tokens[i].text)), None)
        if not q:
            continue
        name = "".join(compact(tokens[i].text) for i in idx[:q])
        if _level_like(name) or _is_label(name) or not _CJK_TEXT.search(name) \
                or any(parse_quantity(compact(tokens[i].text)) is not None for i in idx[:q]):
            continue
        _mark(out, idx[:q], "L3")
        out[idx[q]] = "B-VAL"
    return out


_CLOSES_ROW = frozenset({"DESC", "VAL", "ACT", "WT", "PTS"})  # the cells an indicator's row may end in


def _is_cjk_char(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


_TRAILING_QUANTITY = re.compile(r"\d[\d,.]*\D*$")


def _same_quantity(a: str, b: str) -> bool:
    """Two printed quantities of the same number and unit (the comparator aside)."""
    qa, qb = parse_quantity(compact(a)), parse_quantity(compact(b))
    return qa is not None and qb is not None and qa[1] is not None and qa[1:] == qb[1:]


def targets_printed_in_names(tokens: list[Token], tags: list[str]) -> list[str]:
    """A self-evaluation's name may print its own target (医疗收入达到5亿元 | 5亿元 | 6.47亿元, 每年财政补助
    1000万元 | 1000万元 | 1000万元): in glued text, a quantity after a name that the target after it repeats
    closes the name: after words (达到5亿元), or bare when the actual result repeats it too."""
    out = list(tags)
    delimited = _delimited_rows(tokens)
    for i in range(len(tokens) - 2):
        if _role(out[i]) != "L3" or out[i + 1].startswith("I-") or tokens[i].row in delimited \
                or any(tokens[k].sep != "glue" or tokens[k].row != tokens[i].row for k in (i + 1, i + 2)):
            continue
        piece, target = compact(tokens[i + 1].text), tokens[i + 2].text
        tail = _TRAILING_QUANTITY.search(piece)
        if tail is None or not _same_quantity(tail.group(), target):
            continue
        # a third quantity after the repeat (达到5亿元 | 5亿元 | 6.47亿元): target and actual are the last two,
        # so the first, comparator word and all, closes the name
        third = i + 3 < len(tokens) and tokens[i + 3].sep == "glue" and tokens[i + 3].row == tokens[i].row \
            and _quantity_with_unit(tokens[i + 3].text)
        if tail.start() > 0 and (parse_quantity(piece) is None or third) and out[i + 2] in ("B-VAL", "O", "I-VAL"):
            out[i + 1], out[i + 2] = "I-L3", "B-VAL"  # 达到5亿元: words and the target, in the name
        elif tail.start() == 0 and i + 3 < len(tokens) and tokens[i + 3].sep == "glue" \
                and tokens[i + 3].row == tokens[i].row and _same_quantity(piece, tokens[i + 3].text):
            out[i + 1], out[i + 2], out[i + 3] = "I-L3", "B-VAL", "B-ACT"
    return out


def level_names_opening_names(tokens: list[Token], tags: list[str]) -> list[str]:
    """A framework level printed bare (时效, 经济效益: no 指标) and glued to the name after it, read as the
    name's first piece (时效 | 1年 | 1年 | 1年 | 10): a level name is no piece of an indicator's name, so it
    is the level, and the name opens after it. Only where the cells run together: a delimited cell of
    its own is read by its column. Read as nothing before a name, it is the level too; a word that names
    a level 1 and an older table's level 2 (成本) is a level 2 among level 2s."""
    out = list(tags)
    last_level = ""
    for i in range(len(tokens) - 1):
        if out[i] in ("B-L1", "B-L2"):
            last_level = out[i]
        if not (out[i] == "B-L3" and out[i + 1] == "I-L3" or out[i] == "O" and out[i + 1] == "B-L3") \
                or tokens[i + 1].sep != "glue" or tokens[i + 1].row != tokens[i].row:
            continue
        text = compact(tokens[i].text)
        if standard_level2(text) is not None or standard_level1(text) is not None and last_level == "B-L2":
            out[i], out[i + 1] = "B-L2", "B-L3"
        elif standard_level1(text) is not None:
            out[i], out[i + 1] = "B-L1", "B-L3"
        else:
            continue
        last_level = out[i]
    return out


def _quantity_with_unit(text: str) -> bool:
    q = parse_quantity(compact(text))
    return q is not None and q[1] is not None and q[2] is not None


def values_run_together(tokens: list[Token], tags: list[str]) -> list[str]:
    """A value is one quantity: where the model read quantities run together as one value
    (>=500人 | 1700人 | 340%, target, actual and rate of a self-evaluation), the value ends at the
    first quantity; the next is the actual result when the model read none, the rest no field."""
    out = list(tags)
    i = 0
    while i < len(tokens):
        if out[i] != "B-VAL":
            i += 1
            continue
        j = _span_end(out, i)
        if value_patterns()["date"].fullmatch(compact("".join(tokens[k].text for k in range(i, j)))):
            i = j  # a date is one value (2026年 | 6月30日前: its year and day are no two quantities)
            continue
        whole = 0
        for k in range(i, j):
            text = compact(tokens[k].text)
            q = parse_quantity(text)
            if q is not None and q[2] is not None and re.search(r"\d", text):
                whole += 1  # a number with its unit: a quantity of its own
                if whole == 2 and k > i:
                    row_has_actual = any(out[m].endswith("-ACT") for m in range(j, len(tokens))
                                         if tokens[m].row == tokens[k].row)
                    out[k] = "O" if row_has_actual else "B-ACT"
                elif whole > 2:
                    out[k] = "O"
            elif whole >= 2:
                out[k] = "O"
        i = j
    return out


def _quantity_with_unit_or_comparator(text: str) -> bool:
    """A number printed as a target: with a unit or a comparator (≥92%, 200次, 90%以上, or its columns
    run together number first, 1811<=元), or a date (2023年12月31日), not bare."""
    t = compact(text).rstrip("。；;，,")
    q = parse_quantity(t)
    return q is not None and (q[2] is not None or q[0] not in (None, "=")) or number_first(text) is not None \
        or value_patterns()["date"].fullmatch(t) is not None


_CLOSES_INDICATOR = frozenset({"L1", "L2", "L3", "PNAME", "PCODE", "GOAL", "BT", "BF", "BO"})


def values_of_open_names(tokens: list[Token], tags: list[str]) -> list[str]:
    """An indicator name the model read with no value after it takes the first quantity after it
    that the model read as nothing (≥92%, 2280次 — a comparator or a unit, never a bare number,
    which may be a weight), before the next name or level: in cells run together the value can
    stand after a description (大楼安检巡察次数 反映大楼保卫巡检情况 200次). A name whose value the model
    read further on (中期指标值 | 年度指标值: ≥4家 | ≥2家, the second read) has its value: the quantity
    before it is another column's."""
    out = list(tags)
    # for every position: whether the model read a value after it before the next name, level or header field
    value_ahead = [False] * (len(tags) + 1)
    for i in range(len(tags) - 1, -1, -1):
        role = _role(tags[i])
        value_ahead[i] = role == "VAL" or (role not in _CLOSES_INDICATOR and value_ahead[i + 1])
    open_name = False
    for i, (tok, tag) in enumerate(zip(tokens, tags)):
        role = _role(tag)
        if role in _CLOSES_INDICATOR:
            open_name = role == "L3"
        elif role == "VAL":
            open_name = False
        elif open_name and tag == "O" and (i + 1 >= len(tokens) or not tags[i + 1].startswith("I-")) \
                and not value_ahead[i + 1] and _quantity_with_unit_or_comparator(tok.text):
            start = _sentence_start(tokens, tags, i)
            out[start:i + 1] = ["B-VAL", *(["I-VAL"] * (i - start))]
            open_name = False
    return out


def repeated_results(tokens: list[Token], tags: list[str]) -> list[str]:
    """A self-evaluation run together prints the target and the actual result alike when the target
    was met (成本控制 | 不超过预算 | 不超过预算): in glued text, a piece printed twice in a row after
    a name-like piece, all three read as nothing or as a name (the first repeat perhaps as the target), are
    name, target and actual result."""
    out = list(tags)
    delimited = _delimited_rows(tokens)
    for i in range(1, len(tokens) - 1):
        a, b = tokens[i], tokens[i + 1]
        if b.sep != "glue" or a.sep != "glue" or a.row in delimited or a.row != b.row or a.row != tokens[i - 1].row:
            continue
        piece = compact(a.text)
        if out[i] == "I-L3" and piece == compact(b.text) and (i + 2 >= len(out) or _role(out[i + 2]) != "VAL") \
                and (out[i + 1] == "B-ACT" and len(piece) >= 2 or out[i + 1] == "O" and looks_like_value(piece)):
            # the name's last piece printed again as the actual result, no target read (保证…专款专用 | 专款
            # 专用 | 专款专用): the repeat is the target met, the piece the name took is the target
            out[i], out[i + 1] = "B-VAL", "B-ACT"
            continue
        if compact(a.text) != compact(b.text) or len(compact(a.text)) < 2 or _level_like(tokens[i - 1].text) \
                or any(out[k] not in ("O", "B-L3") for k in (i - 1, i + 1)) or out[i] not in ("O", "B-L3", "B-VAL"):
            continue
        if parse_quantity(compact(tokens[i - 1].text)) is not None:
            continue  # a number before them is no name
        if label_field(_label_text(tokens[i - 1].text))[0] is not None or header_role(tokens[i - 1].text):
            continue  # a label before them (其中:财政拨款 | 15.00 | 15.00: a budget printed twice) is no name
        out[i - 1], out[i], out[i + 1] = "B-L3", "B-VAL", "B-ACT"
    return _repeated_results_in_cells(tokens, out)


_OUTPUT, _COST = "产出指标", "成本指标"  # the framework's level 1s under which older tables print 成本指标
_RESULT_COLUMNS = frozenset({"actual", "score", "points"})  # header roles of a self-evaluation's extra columns


def glued_pieces_of_names(tokens: list[Token], tags: list[str]) -> list[str]:
    """In a row cut at spaces, a piece printed without a space after a name (达标率100%, 完成率(≥**%)), read
    as nothing or as a value, and followed after a space by a target, is part of the name: the space
    cuts the cells. Only under a column header printing no actual result or points (where a target glued
    to its name would be followed by the result, not by another target)."""
    out = list(tags)
    heads = sorted(_header_rows(tokens))
    results_at = {h: any(header_role(t.text) in _RESULT_COLUMNS for t in tokens if t.row == h) for h in heads}
    for i in range(1, len(tokens) - 1):
        t, nxt = tokens[i], tokens[i + 1]
        if t.sep != "glue" or tokens[i - 1].row != t.row or nxt.row != t.row or nxt.sep not in ("sp1", "sp2") \
                or _role(out[i - 1]) != "L3" or out[i] not in ("O", "B-VAL") \
                or _role(out[i + 1]) not in ("O", "VAL", "ACT") or not _quantity_with_unit_or_comparator(nxt.text):
            continue
        piece = compact(t.text)
        if comparator_op(piece) or _bare_number(piece) or piece in content_words()["units"]:
            continue  # a target's part (= | 255万亩, 90 | %): the target printed in pieces
        at = bisect.bisect_right(heads, t.row)
        if not at or results_at[heads[at - 1]]:
            continue  # no column header, or one with a result column: the glued piece may be the target
        out[i], out[i + 1] = "I-L3", "B-VAL"
    return out


def name_value_rows(tokens: list[Token], tags: list[str]) -> list[str]:
    """A table under way reads on: a row of two cells the model read as nothing, between a row that ends
    in a name and its target and a row that goes on with the table (a name or a level), is a name and its
    target (各项费用使用周期 | 2020年1月--2020年11月 between 环境卫生专项考核 | 1次/月 and 成本指标 | …). Only
    rows cut into cells; a label, a level or a number is no name."""
    out = list(tags)
    delimited = _delimited_rows(tokens)
    rows = _rows_of_cells(tokens)
    for k in range(1, len(rows) - 1):
        row = rows[k]
        if len(row) != 2 or tokens[row[0][0]].row not in delimited or any(out[i] != "O" for c in row for i in c):
            continue
        above = [{_role(out[i]) for i in c} for c in rows[k - 1]]
        below = {_role(out[i]) for c in rows[k + 1] for i in c}
        if len(above) < 2 or above[-2] != {"L3"} or above[-1] != {"VAL"} or not below & {"L1", "L2", "L3"}:
            continue
        name, value = (compact(_cell_text(tokens, c)) for c in row)
        if not (_could_be_name(name) and _could_be_target(value)) or len(value) < 2:
            continue
        _mark(out, row[0], "L3")
        _mark(out, row[1], "VAL")
    return out


def cost_level2_under_output(tokens: list[Token], tags: list[str]) -> list[str]:
    """Older tables put 成本指标 under 产出指标: where the model read it as a level 1, right after level-2 rows
    of 产出指标 and right before a name (no level 2 of its own, no blank cell between), it is a level 2."""
    out = list(tags)
    last_level1: str | None = None
    level2_since = False
    i = 0
    while i < len(tokens):
        tag = out[i]
        if tag == "B-L2":
            level2_since = True
        if tag != "B-L1":
            i += 1
            continue
        j = i + 1
        while j < len(tokens) and out[j] == "I-L1":
            j += 1
        text = clean_level("".join(tokens[k].text for k in range(i, j)))
        std = standard_level1(text)
        if std == _COST and standard_level2(text) is not None and last_level1 == _OUTPUT and level2_since \
                and j < len(tokens) and tokens[j].row == tokens[i].row and out[j] == "B-L3" \
                and not tokens[j].empty_before:
            out[i:j] = ["B-L2", *(["I-L2"] * (j - i - 1))]
        else:
            last_level1, level2_since = std, False
        i = j
    return out


@functools.lru_cache(maxsize=1)
def _name_labels() -> tuple[str, ...]:
    """The project-name labels as compared inside a header's text: no brackets, no spaces."""
    return tuple(_HEADER_DROP.sub("", w) for w in content_words()["project_labels"]["name"])


def summary_project_rows(tokens: list[Token], tags: list[str]) -> list[str]:
    """A summary's project row (单位代码 | 单位(专项)名称 | 资金总额 over 505006 | 学生伙食费 | 30.00): right
    before the table's first level, a row of a code, a name and an amount, all read as nothing, under a
    row (up to a few above) labelling a name, is the project's code, name and budget; the rows of that
    shape above it are the units it belongs to, left as they were read."""
    out = list(tags)
    rows = _token_rows(tokens)
    order = sorted(rows)
    for n in range(1, len(order) - 1):
        idx, after = rows[order[n]], rows[order[n + 1]]
        if len(idx) != 3 or any(out[i] != "O" for i in idx) or _role(out[after[0]]) not in ("L1", "L2"):
            continue
        code, name, budget = (compact(tokens[i].text) for i in idx)
        if not (_CODE.fullmatch(code) and any(c.isdigit() for c in code)) or amount(budget) is None \
                or not _label_value_fits("PNAME", name) or _level_like(name):
            continue
        above = _HEADER_DROP.sub("", "".join(tokens[i].text for m in order[max(0, n - 4):n] for i in rows[m]))
        if not any(w in above for w in _name_labels()):
            continue  # no column header naming a name column above (its words may be cut: 单位 | (专项) | 名称)
        out[idx[0]], out[idx[1]], out[idx[2]] = "B-PCODE", "B-PNAME", "B-BT"
    return out


def names_read_as_results(tokens: list[Token], tags: list[str]) -> list[str]:
    """A result comes after its target: a row cut into cells that opens with text (no quantity) the model
    read as an actual result, points or a weight, holds no name and reads a target further on (补助鱼塘面积
    | 10 | 3亩 | 3亩 | 10), opens with that indicator's name."""
    out = list(tags)
    delimited = _delimited_rows(tokens)
    for row in _rows_of_cells(tokens):
        first = row[0]
        if tokens[first[0]].row not in delimited or len(row) < 3:
            continue
        roles = [{_role(out[i]) for i in c} for c in row]
        text = compact(_cell_text(tokens, first))
        if not roles[0] <= {"ACT", "PTS", "WT"} or any("L3" in r for r in roles) \
                or not any("VAL" in r for r in roles[1:]) or parse_quantity(text) is not None \
                or _level_like(text) or not _label_value_fits("PNAME", text):
            continue
        _mark(out, first, "L3")
    return out


def _repeated_results_in_cells(tokens: list[Token], out: list[str]) -> list[str]:
    """The same in a table cut into cells under a column header naming the actual result (全年实际值):
    a row of a name-like cell and then one cell printed twice (其中桃树种植面积 | 1.5亩 | 1.5亩), read as
    nothing or one of them as a target, is name, target and actual result."""
    delimited = _delimited_rows(tokens)
    heads = _header_rows(tokens)
    actual_column = False
    for row in _rows_of_cells(tokens):
        r = tokens[row[0][0]].row
        if r in heads:
            actual_column = any(header_role(_cell_text(tokens, c)) == "actual" for c in row)
            continue
        if not actual_column or r not in delimited or len(row) < 3:
            continue
        name, target, actual = row[0], row[1], row[2]
        texts = [compact(_cell_text(tokens, c)) for c in (name, target, actual)]
        if texts[1] != texts[2] or len(texts[1]) < 2 or not looks_like_value(texts[1]) \
                or any(out[i] != "O" for i in name) \
                or any(_role(out[i]) not in ("O", "VAL", "ACT") for i in target + actual) \
                or any(_role(out[i]) == "L3" for c in row for i in c):
            continue
        if _level_like(texts[0]) or parse_quantity(texts[0]) is not None or not _label_value_fits("PNAME", texts[0]):
            continue  # a level, a number or a label is no indicator's name
        _mark(out, name, "L3")
        _mark(out, target, "VAL")
        _mark(out, actual, "ACT")
    return out


def indicators_alike(tokens: list[Token], tags: list[str]) -> list[str]:
    """In cells run together, indicators repeat one shape (name, description, target): after an
    indicator read in that shape (a name and its target alone are too common a pair to repeat on),
    the same number of pieces the model read as nothing, ending in a quantity with a unit or a
    comparator and opened by no quantity, are the next indicator in the same shape
    (…验收情况 292% | 重.要设备维修维保验收合格率 | 反映设备设施维保质量情况 | 95%)."""
    out = list(tags)
    delimited = _delimited_rows(tokens)  # cut rows are read by their columns instead
    i = 0
    while i < len(out):
        if out[i] != "B-L3" or tokens[i].row in delimited:
            i += 1
            continue
        shape, j = [], i  # the roles of the pieces from the name to its value, one per piece
        while j < len(out) and tokens[j].row == tokens[i].row:
            role = _role(out[j])
            if out[j].startswith("I-"):
                j += 1
                continue
            shape.append(role)
            j += 1
            if role == "VAL" or len(shape) > 3:
                break
        if len(shape) < 3 or shape[-1] != "VAL" or any(r not in ("O", "DESC") for r in shape[1:-1]):
            i += 1
            continue
        while j < len(out) and out[j - 1].endswith("VAL") and out[j].startswith("I-"):
            j += 1
        k = j + len(shape)
        nxt = list(range(j, k))
        if k <= len(out) and all(out[n] == "O" and tokens[n].sep == "glue" and tokens[n].row == tokens[i].row
                                 for n in nxt) \
                and _quantity_with_unit_or_comparator(tokens[nxt[-1]].text) \
                and parse_quantity(compact(tokens[nxt[0]].text)) is None and not _level_like(tokens[nxt[0]].text):
            for n, role in zip(nxt, shape):
                out[n] = f"B-{role}" if role != "O" else "O"
            i = j
            continue
        i += 1
    return out


def values_continued_by_words(tokens: list[Token], tags: list[str]) -> list[str]:
    """A target opening its cell and continued in the same cell by words (37个基层医疗机构): the
    words are the target's, even where the model read them as a name. A cell is one field; only a
    target that opens its cell is read so, because in cells run together (满意度≥90%满意度≥95%) a
    name glued to the value before it is a name of its own."""
    out = list(tags)
    for i, tag in enumerate(tags):
        if tag != "B-VAL" or tokens[i].sep == "glue":
            continue
        j = i + 1
        while j < len(tokens) and tokens[j].sep == "glue" and tokens[j].row == tokens[i].row \
                and (tags[j] == "O" or _role(tags[j]) == "L3"):
            j += 1
        if j > i + 1 and (j == len(tokens) or tokens[j].sep != "glue" or tokens[j].row != tokens[i].row):
            out[i + 1:j] = ["I-VAL"] * (j - i - 1)
    return out


def _sentence_start(tokens: list[Token], tags: list[str], i: int) -> int:
    """Where the cell of a quantity begins when the quantity ends a cell of words the model read as
    nothing (实施乡镇社区基层医疗机构37个。): a target written as a sentence is that whole cell."""
    def glued(k: int) -> bool:
        return k < len(tokens) and tokens[k].sep == "glue" and tokens[k].row == tokens[i].row
    if glued(i + 1):
        return i  # the quantity does not end its cell
    k = i
    while glued(k) and tags[k - 1] == "O":
        k -= 1
    return k if not glued(k) else i  # a cell that begins with a name or another field: the quantity alone


_HEADER_FIELDS = ("name", "code", "budget_total", "budget_fiscal", "budget_other", "goal")


def inherit_header_fields(projects: list[Project]) -> None:
    """A project header whose block held stray name-like cells (a budget line read as an indicator)
    opened a project that is no table; the table right after it is that header's project: it takes
    the header fields it did not read itself."""
    for before, after in zip(projects, projects[1:]):
        if _is_table(before) or not _is_table(after):
            continue
        taken = False
        for name in _HEADER_FIELDS:
            if getattr(before, name) and not getattr(after, name):
                setattr(after, name, getattr(before, name))
                taken = True
        if taken and before.span and after.span:
            after.span = (before.span[0], after.span[1])


_BUDGET_FIELDS = {"BT": "budget_total", "BF": "budget_fiscal", "BO": "budget_other"}


def budgets_printed_in_yuan(projects: list[Project], cells: dict[int, dict[str, str]]) -> None:
    """A budget printed with no unit in a document that names none is read in 万元; but where one of
    the project's own targets prints the same amount in 元 (维护成本 <1681680元 under a budget of
    1681680), the table prints its budget in 元 too: its amounts are converted (and flagged)."""
    for p in projects:
        printed = {k: t for k, t in cells.get(id(p), {}).items() if not t.endswith(("元", "万"))}
        amounts = {k: a for k, t in printed.items() if (a := amount(t)) is not None}
        in_yuan = {ind.num for ind in p.indicators if ind.unit == "元" and ind.num}
        if not amounts or not in_yuan.intersection(amounts.values()):
            continue
        for key, a in amounts.items():
            setattr(p, _BUDGET_FIELDS[key], round(a * 1e-4, 6))
        p.flags.append(Flag("budget_unit_from_target", "budget amounts printed with no unit read in 元: "
                            "a target of the project prints the same amount in 元", p.span[0] if p.span else None,
                            " ".join(printed.values())[:200]))


_PROJECT_ROLES = frozenset({*_HEADER_ROLES, "GOAL", "BUR"})


@functools.lru_cache(maxsize=1024)  # (a few dozen tags, asked about tens of thousands of times a document)
def _role(tag: str) -> str:
    return tag.split("-", 1)[-1]


def grid_columns(tokens: list[Token], tags: list[str]) -> list[str]:
    """Rows of a container's table read by its columns: a grid's cells are its columns, so where the
    model read the names of a table's indicator rows in one column and their values in another (in two
    rows, or in one where the column header names those columns 三级指标 and 指标值), a row
    of that table it left unread (no name anywhere) with cells in both columns is read the same way,
    its name cell as the name and its value cell as the value (a note under the table, 说明 | 请在此处…,
    has no value cell); so is the value cell of a row whose name was read and whose value was not.
    Only grid rows (cells cut by the container, not by the splitters) of the table under a column
    header, up to the next header or the next project's header cells."""
    out = list(tags)
    rows = _token_rows(tokens)
    grid = sorted(r for r, idx in rows.items() if any(tokens[i].sep == "cell" for i in idx))
    starts = sorted(_header_rows(tokens))
    tables: dict[int, list[int]] = {}
    closed: set[int] = set()
    for r in grid:
        table = bisect.bisect_right(starts, r)
        if table == 0 or table in closed or r in starts:
            continue
        if any(_role(tags[i]) in _PROJECT_ROLES for i in rows[r]):
            closed.add(table)  # the next project's header: this table is over
            continue
        tables.setdefault(table, []).append(r)
    for table, table_rows in tables.items():
        heading: dict[str, int] = {}  # the column each header cell names (level3, value …)
        part_columns: set[int] = set()  # the columns of a comparator, a unit or a value type
        for i in rows[starts[table - 1]]:
            if i == rows[starts[table - 1]][0] or tokens[i].cell != tokens[i - 1].cell:
                text = "".join(tokens[k].text for k in rows[starts[table - 1]] if tokens[k].cell == tokens[i].cell)
                role = header_role(text)
                if role:
                    heading.setdefault(role, tokens[i].cell)
                if role in _VALUE_PART_HEADERS:
                    part_columns.add(tokens[i].cell)
        cells_of = {}
        # a comparator, unit or value-type column's "none" (无, /) is an empty cell, neither name nor value
        for r in table_rows:
            cells: dict[int, list[int]] = {}
            for i in rows[r]:
                cells.setdefault(tokens[i].cell, []).append(i)
            cells_of[r] = cells
            for c in part_columns & cells.keys():
                if "".join(tokens[i].text for i in cells[c]).strip() in _none_words():
                    for i in cells[c]:
                        out[i] = "O"
        names: dict[int, int] = {}
        values: dict[int, int] = {}
        for cells in cells_of.values():
            for c, idx in cells.items():
                roles = {_role(out[i]) for i in idx} - {"O"}
                if roles == {"L3"}:
                    names[c] = names.get(c, 0) + 1
                elif roles == {"VAL"}:
                    values[c] = values.get(c, 0) + 1
        if not names or not values:
            continue
        name_col = max(names, key=lambda c: names[c])
        value_col = max(values, key=lambda c: values[c])
        if heading.get("value") in values:
            # comparator and unit columns are read as values too: the header says which column is the value
            value_col = heading["value"]
        # two rows read alike, or one where the column header names the same columns
        named = heading.get("level3") == name_col and heading.get("value") == value_col
        if min(names[name_col], values[value_col]) < (1 if named else 2) or value_col <= name_col:
            continue
        for r, cells in cells_of.items():
            has_name = any(_role(out[i]) == "L3" for i in rows[r])
            has_value = any(_role(out[i]) == "VAL" for i in rows[r])
            name_cell, value_cell = cells.get(name_col), cells.get(value_col)
            if name_cell is None:
                continue
            if not has_name and value_cell is not None and all(out[i] == "O" for i in name_cell):
                for n, i in enumerate(name_cell):
                    out[i] = f"{'B' if n == 0 else 'I'}-L3"
                has_name = True
            elif not has_name or not all(_role(out[i]) == "L3" for i in name_cell):
                continue
            # the value cell read as nothing, or as a second name of the row (管理制度健全性 | 无 | 健全)
            if not has_value and value_cell is not None and all(_role(out[i]) in ("O", "L3") for i in value_cell):
                for n, i in enumerate(value_cell):
                    out[i] = f"{'B' if n == 0 else 'I'}-VAL"
    return out


def level_columns(tokens: list[Token], tags: list[str]) -> list[str]:
    """A grid column is one level: in a container's table, a level cell the model read as level 2 in
    a column where it read others as level 1 (产出类指标 above 效益类指标, 满意度类指标 above
    管理类指标) is a level 1, unless the framework names it a level 2 (数量指标)."""
    out = list(tags)
    starts = sorted(_header_rows(tokens))
    columns: dict[tuple[int, int], list[int]] = {}
    for i, t in enumerate(tokens):
        if t.sep in ("cell", "row") and tags[i] in ("B-L1", "B-L2") and (i == 0 or tokens[i - 1].row != t.row
                                                                      or tokens[i - 1].cell != t.cell):
            columns.setdefault((bisect.bisect_right(starts, t.row), t.offset), []).append(i)
    grid_rows = {t.row for t in tokens if t.sep == "cell"}
    for idx in columns.values():
        idx = [i for i in idx if tokens[i].row in grid_rows]
        if not any(tags[i] == "B-L1" for i in idx):
            continue
        for i in idx:
            j = i + 1
            while j < len(tokens) and tags[j] == "I-L2" and tokens[j].row == tokens[i].row:
                j += 1
            text = "".join(tokens[k].text for k in range(i, j))
            if tags[i] == "B-L2" and standard_level2(text) is None:
                out[i:j] = ["B-L1", *(["I-L1"] * (j - i - 1))]
    return out


def level_column_names(tokens: list[Token], tags: list[str]) -> list[str]:
    """A container's column of level 1s (产出类指标, 效益类指标, 满意度类指标 …): a row's first cell in that
    column, read as nothing, right before a name, and ending as the column's level 1s end (管理类指标
    after …类指标) is a level 1 too, whether or not the framework knows it."""
    out = list(tags)
    grid_rows = {t.row for t in tokens if t.sep == "cell"}
    firsts = [i for i, t in enumerate(tokens) if t.row in grid_rows and (i == 0 or tokens[i - 1].row != t.row)]
    level1s: dict[int, list[str]] = {}
    for i in firsts:
        if tags[i] == "B-L1":
            level1s.setdefault(tokens[i].offset, []).append(compact(tokens[i].text))
    for i in firsts:
        names = level1s.get(tokens[i].offset, [])
        if len(names) < 2 or tags[i] != "O" or i + 1 >= len(tokens) or tokens[i + 1].row != tokens[i].row \
                or tags[i + 1] != "B-L3":
            continue
        text = compact(tokens[i].text)
        ending = _common_ending(names)
        if len(ending) >= 2 and text.endswith(ending) and len(ending) < len(text) <= max(map(len, names)) + 2:
            out[i] = "B-L1"
    return out


def _common_ending(texts: list[str]) -> str:
    """The longest ending all the texts share."""
    end = texts[0]
    for t in texts[1:]:
        n = 0
        while n < min(len(end), len(t)) and end[-1 - n] == t[-1 - n]:
            n += 1
        end = end[len(end) - n:] if n else ""
    return end


_VALUE_PART_HEADERS = ("op", "unit", "value_type")


@functools.lru_cache(maxsize=1)
def _none_words() -> frozenset[str]:
    return frozenset(content_words()["none_words"])


# What the rest of a grid cell opened by a name may have been read as: nothing, or a header field
# the splitters cut out of the name (城乡居民医疗保险 | 70 | 岁及以上老年人代缴 read 70 as the budget).
_NAME_REST = {"PNAME": frozenset({"O", "PCODE", "BT", "BF", "BO"}), "L3": frozenset({"O"}), "L2": frozenset({"O"}),
              "L1": frozenset({"O"})}
_LEVEL_AND_NAME = frozenset({"L1", "L2", "L3"})  # in a row cut by pipes or tabs too, a cell is one level or name


def _wordy_group(text: str) -> bool:
    """A bracketed group of words, no number (（总收入）, (含续建)): a name's own ending, never a weight or target."""
    t = compact(text)
    return bool(value_patterns()["trailing_group"].fullmatch(t)) and not re.search(r"\d", t)


def whole_cells(tokens: list[Token], tags: list[str]) -> list[str]:
    """A grid cell is one field: in a container's table, the pieces the splitters cut out of a cell whose
    first piece is a project name (or an indicator name) and that were read as nothing else (or, in a
    project-name cell, as a header field) belong to that name (奖励金标准 | 1, 冀财社〔2023〕208 | 号提前下达 …);
    so in a row cut by pipes or tabs do those of a level or indicator name (城市道路以克论净量化 | 考核,
    服务对象满意度指标 | 等), and a bracketed group of words after a name whatever it was read as (（总收入）)."""
    out = list(tags)
    grid_rows = {t.row for t in tokens if t.sep == "cell"}
    delimited = _delimited_rows(tokens)
    i = 0
    while i < len(tokens):
        t = tokens[i]
        j = i + 1
        while j < len(tokens) and tokens[j].row == t.row and tokens[j].cell == t.cell:
            j += 1
        role = _role(out[i])
        rest = _NAME_REST.get(role) if out[i].startswith("B-") and (
            t.row in grid_rows or (t.row in delimited and role in _LEVEL_AND_NAME)) else None
        if rest is not None and role in ("L1", "L2") and any(re.search(r"\d", tokens[k].text) for k in range(i + 1, j)):
            rest = None  # a level's weight (产出指标 | （50分）) is a field of its own, not part of the name
        if rest is not None and j - i > 1 and all(_role(out[k]) in rest or out[k] == f"I-{role}"
                                                  or role == "L3" and _wordy_group(tokens[k].text)
                                                  for k in range(i + 1, j)):
            for k in range(i + 1, j):
                out[k] = f"I-{role}"
        elif out[i] == "O" and t.row in grid_rows and j - i > 1 and not _MARKER.fullmatch(compact(t.text)):
            # a name cell whose head the model read as nothing (绩效目标 | 明确性): the whole cell is the name
            roles = [out[k] for k in range(i, j)]
            first = next((k for k in range(i, j) if out[k] == "B-L3"), None)
            if first is not None and set(roles) <= {"O", "B-L3", "I-L3"} and roles.count("B-L3") == 1 \
                    and all(out[k] == "O" for k in range(i, first)):
                out[i:j] = ["B-L3", *(["I-L3"] * (j - i - 1))]
        i = j
    return out


def names_before_budgets(tokens: list[Token], tags: list[str]) -> list[str]:
    """The table grammar's project header: a name cell followed in its row by a budget cell (城乡低保补助资金 |
    61 | 48.8) names a project, whatever the model took it for; an indicator name is followed by its value."""
    out = list(tags)
    for i in range(1, len(tokens)):
        if tokens[i].row != tokens[i - 1].row or out[i] not in ("B-BT", "B-BF", "B-BO") or out[i - 1][-3:] != "-L3":
            continue
        j = i - 1
        while j > 0 and out[j] == "I-L3" and tokens[j - 1].row == tokens[i].row:
            j -= 1
        if out[j] == "B-L3":
            out[j:i] = ["B-PNAME", *(["I-PNAME"] * (i - j - 1))]
    return out


def _is_code(text: str) -> bool:
    """A cell that is a code and no amount: letters and digits, or digits opening with a zero (037001)."""
    return bool(_CODE.fullmatch(text)) and any(c.isdigit() for c in text) \
        and (amount(text) is None or text.startswith("0") and not text.startswith("0."))


def coded_names_before_amounts(tokens: list[Token], tags: list[str]) -> list[str]:
    """A summary's project row cut into cells one after the other: code | name | amount (037001 |
    …服务采购项目 | 1681680), read as nothing or in part as the project's, is that project's code, name
    and budget. A unit's row of the same shape names its unit where the model read a bureau there, and
    is left; read as a project, the project row under it supersedes it."""
    out = list(tags)
    cells, texts = _cells(tokens), _cell_texts(tokens)
    for k in range(len(cells) - 2):
        code, name, money = cells[k], cells[k + 1], cells[k + 2]
        if any(out[i] not in ("O", "B-PCODE") for i in code) or any(_role(out[i]) not in ("O", "PNAME") for i in name) \
                or any(out[i] not in ("O", "B-BT") for i in money):
            continue
        if not _is_code(texts[k]) or amount(texts[k + 2]) is None or not _label_value_fits("PNAME", texts[k + 1]) \
                or len(texts[k + 1]) < 4 or not _could_be_name(texts[k + 1]) or looks_like_value(texts[k + 1]):
            continue
        if _is_label(texts[k + 1]) or _is_label(_MONEY_UNIT.sub("", texts[k + 1])) or (k and _is_label(texts[k - 1])):
            continue  # a label's value (项目编码 | 2290… | 项目资金（万元） | 316.23): the labels read them
        # a code or budget read above it, since the last table, is a row of the unit over the project
        # (037001 | 某局 | 27955180): the project's own row gives its fields
        i = code[0] - 1
        while i >= 0 and _role(out[i]) not in _TABLE_ROW_ROLES:
            if _role(out[i]) in ("PCODE", "BT"):
                out[i] = "O"
            i -= 1
        _mark(out, code, "PCODE")
        _mark(out, name, "PNAME")
        _mark(out, money, "BT")
    return out


def names_before_levels(tokens: list[Token], tags: list[str]) -> list[str]:
    """A summary table prints a project per row before its first indicator's levels (公益性岗位专项 | 55 |
    按照相关政策要求… | 产出指标 | 数量指标 | …): a name that opens a row before a level cell of the same row
    is no indicator's (an indicator's levels come before its name) but the project's, the bare number
    after it its budget and the text after that its goal, whatever the model took them for. Only where
    the row opens with that one name, number and text, not in cells run together (a table on one line);
    or where the row opens with the bare number alone and the name, wrapped, fills the lines above it."""
    out = list(tags)
    rows = _token_rows(tokens)

    def bare_number_opens(i: int) -> bool:
        return tokens[i].sep == "row" and _role(out[i]) in ("VAL", "O", "BT") and _bare_number(tokens[i].text)

    def wrapped_name_above(i: int) -> list[int]:
        """The name's pieces on the lines right above ``i``, each line of name pieces only, after a
        finished row (not after a level: names under their levels are indicators')."""
        k = i - 1
        while k >= 0 and _role(out[k]) == "L3" and all(_role(out[m]) == "L3" for m in rows[tokens[k].row]):
            if out[k] == "B-L3" and tokens[k].sep == "row":
                break
            k -= 1
        if k < 0 or out[k] != "B-L3" or tokens[k].sep != "row" or tokens[i - 1].row == tokens[i].row:
            return []
        if k and _role(out[k - 1]) in ("L1", "L2", "L3", "PNAME"):
            return []
        return list(range(k, i))

    i = 0
    while i < len(tokens):
        j = i
        while j < len(tokens) and tokens[j].row == tokens[i].row:
            j += 1
        cells: list[list[int]] = []  # the row's cells up to its first level cell
        for k in range(i, j):
            if _role(out[k]) in ("L1", "L2") and out[k].startswith("B-"):
                break
            if out[k].startswith("I-") and cells:
                cells[-1].append(k)
            else:
                cells.append([k])
        else:
            cells = []  # no level cell in the row
        roles = [_role(out[c[0]]) for c in cells]
        budget = compact(tokens[cells[1][0]].text) if len(cells) >= 2 else ""
        bare_number = _bare_number(budget)
        if len(cells) in (2, 3) and roles[0] == "L3" and roles[1] in ("VAL", "O") and len(cells[1]) == 1 \
                and bare_number and all(tokens[c[0]].sep != "glue" for c in cells[1:]) \
                and (len(cells) == 2 or roles[2] in ("DESC", "GOAL", "O")):
            _mark(out, cells[0], "PNAME")
            _mark(out, cells[1], "BT")
            if len(cells) == 3:
                _mark(out, cells[2], "GOAL")
        elif len(cells) == 1 and len(cells[0]) == 1 and bare_number_opens(i):
            # the name wrapped onto lines of its own above the row (道路清扫保洁运行 / 保障经费 / 32.6 |
            # 产出指标 | …): those lines, a name with no value of its own, are the project's
            name = wrapped_name_above(i)
            if name:
                _mark(out, name, "PNAME")
                _mark(out, cells[0], "BT")
        i = j
    return out


def projects_restarting_levels(tokens: list[Token], tags: list[str]) -> list[str]:
    """A multi-project table printed as one run of cells (家庭医生签约专项资金 | 8501.78 | 产出指标 |
    数量指标 | …) starts each project again from the level 1 its first project began with: where a
    level 1 that opened the table comes back after other level 1s, a name and a bare number just
    before it, in its row, are the next project's name and budget, whatever the model took them for
    (an indicator's value is a quantity or a word, and the level blocks of one table do not repeat)."""
    out = list(tags)
    first: str | None = None  # the level 1 the current project's table opened with
    last: str | None = None
    for k, t in enumerate(tokens):
        role = _role(out[k])
        if role == "PNAME":
            first = last = None
            continue
        if role != "L1" or not out[k].startswith("B-"):
            continue
        level = standard_level1(t.text) or compact(t.text)
        if first is None:
            first = last = level
            continue
        if level == first and last != first and k >= 2 and tokens[k - 2].row == t.row \
                and not out[k - 1].startswith("I-") and not out[k - 2].startswith("I-"):
            if _opens_next_project(tokens, out, k - 2):
                out[k - 2], out[k - 1] = "B-PNAME", "B-BT"
        elif level == first and last != first:
            _header_over_goal_lines(tokens, out, k)
        last = level
    return out


_GOAL_LINES = 8  # lines a project's goal may wrap over between its name and budget and its first level 1
_PROSE_ROLES = frozenset({"O", "GOAL", "DESC"})


def _header_over_goal_lines(tokens: list[Token], out: list[str], k: int) -> None:
    """The same restart where the project's goal wrapped over lines of their own (小型水库维修配套资金 147,
    then the goal's lines, then 产出指标 …): a line of just a name and a bare number, followed by lines of
    text only (no level, name or target begins there), before the level 1 at ``k``: the name, the budget
    and the goal of the next project."""
    row = tokens[k].row
    j = k - 1
    while j >= 0 and tokens[j].row >= row - _GOAL_LINES and tokens[j].row < row:
        if not (_role(out[j]) in _PROSE_ROLES or out[j].startswith("I-")):
            break
        j -= 1
    # j is the last token of the line before the prose: it must be the budget, its name alone before it
    if j < 1 or j + 1 >= k or tokens[j].row == row or tokens[j - 1].row != tokens[j].row \
            or (j >= 2 and tokens[j - 2].row == tokens[j].row) or tokens[j + 1].row == tokens[j].row:
        return
    if not _opens_next_project(tokens, out, j - 1):
        return
    out[j - 1], out[j] = "B-PNAME", "B-BT"
    _mark(out, list(range(j + 1, k)), "GOAL")


def _opens_next_project(tokens: list[Token], out: list[str], i: int) -> bool:
    """Whether token ``i`` and the one after it can be a project's name and budget: a name-like piece the
    model read as a name or nothing, then a bare number it read as a target, a budget or nothing."""
    name = compact(tokens[i].text)
    return _bare_number(tokens[i + 1].text) and _role(out[i + 1]) in ("O", "VAL", "BT") \
        and _role(out[i]) in ("L3", "O") and _label_value_fits("PNAME", name) and name not in qualitative_values()


_SPACE_CUT = frozenset({"row", "sp1", "sp2", "glue"})
_FULL_SLACK = 2  # display columns a wrapped piece may fall short of its column's width (a wide character)


def _layout_rows(tokens: list[Token]) -> list[list[list[int]]]:
    """The rows of text lines cut by spaces, each as its layout cells (a cell opens at the line's start or
    after two spaces or more; single spaces and glue cuts stay inside it): token indices. A row cut by
    pipes, tabs or a grid is an empty list (it breaks the layout). Once per token list."""
    return _of_tokens(tokens, _layout_cells)


def _layout_extents(tokens: list[Token]) -> list[list[tuple[int, int]]]:
    """(offset, display width) of every layout cell of :func:`_layout_rows` (its pieces, one space between
    those a space cut), once per token list."""
    return _of_tokens(tokens, _extents_of_layout_cells)


def _extents_of_layout_cells(tokens: list[Token]) -> list[list[tuple[int, int]]]:
    return [[(tokens[cell[0]].offset, sum(display_width(tokens[i].text) + (tokens[i].sep == "sp1") for i in cell))
             for cell in row] for row in _layout_rows(tokens)]


def _layout_cells(tokens: list[Token]) -> list[list[list[int]]]:
    rows: list[list[list[int]]] = []
    last_row = None
    for i, t in enumerate(tokens):
        if t.row != last_row:
            rows.append([])
            last_row = t.row
        if t.sep not in _SPACE_CUT:
            rows[-1] = []
            last_row = t.row
            continue
        if rows[-1] == [] and t.sep != "row" and i and tokens[i - 1].row == t.row:
            continue  # a row already broken by a delimiter
        if t.sep in ("row", "sp2") or not rows[-1]:
            rows[-1].append([i])
        else:
            rows[-1][-1].append(i)
    return rows


def _new_cell(tokens: list[Token], tags: list[str], cell: list[int], anchor_role: str) -> bool:
    """A cell that opens a row of its own rather than going on with the cell above: a quantity (a target
    with its number: 29631名, ≥189场), a target the model read under a cell that is none, a label, a
    column header, a level name or a page number."""
    text = _cell_text(tokens, cell)
    q = parse_quantity(text)
    # (one character the model read as a target is the rest of a word: 公益性岗位覆盖 / 率)
    return (q is not None and q[1] is not None) \
        or (tags[cell[0]] == "B-VAL" and anchor_role != "VAL" and (len(compact(text)) > 1 or looks_like_value(text))) \
        or _is_label(text) or standard_level1(text) is not None or standard_level2(text) is not None \
        or _FURNITURE.match(text) is not None


_WRAP_ROLES = frozenset({"L3", "VAL"})
# a line that is a word of its own (定性, 人, 达标, 三级指标, 产出指标, 98%) is a cell of its own
_WHOLE_WORD = frozenset({"oponly", "unitonly", "qual", "end=指标", "hdr", "label", "qty"})


def wrapped_cell_lines(tokens: list[Token], tags: list[str]) -> list[str]:
    """A document that prints one cell per line and wraps a long cell at a fixed width (a PDF's text)
    prints the cell as lines of that width and a last, shorter one (医保制度改革、 / 医改政策落实、 /
    … / 转保障经费): such a group of one-piece lines is one cell. The width is the document's own:
    the commonest width of a one-piece line followed by another. Where the model read one piece of
    the group as a name or a target and the others as nothing or as the rest of some cell, the
    whole group is that name or target; a group holding two cells the model told apart is left."""
    out = list(tags)
    rows: list[list[int]] = []
    for i, t in enumerate(tokens):
        if rows and tokens[rows[-1][0]].row == t.row:
            rows[-1].append(i)
        else:
            rows.append([i])
    # a page's furniture (— 20 —, 第3页) on a line of its own wraps no cell
    lone = [len(r) == 1 and tokens[r[0]].sep == "row" and not _FURNITURE.match(compact(tokens[r[0]].text))
            for r in rows]
    follows = [k + 1 < len(rows) and lone[k] and lone[k + 1]
               and tokens[rows[k + 1][0]].row == tokens[rows[k][0]].row + 1 for k in range(len(rows))]
    widths = Counter(display_width(tokens[rows[k][0]].text) for k in range(len(rows)) if follows[k])
    if not widths:
        return out
    wrap = widths.most_common(1)[0][0]
    if wrap < 8:
        return out  # a column of four characters or fewer wraps nothing the grammar cannot read
    group: list[int] = []
    for k in range(len(rows)):
        if not lone[k] or (group and tokens[rows[k][0]].row != tokens[group[-1]].row + 1):
            group = []
            if not lone[k]:
                continue
        i = rows[k][0]
        group.append(i)
        if display_width(tokens[i].text) >= wrap - 1:
            continue  # a full line: the cell goes on
        if len(group) >= 2 and not any(_WHOLE_WORD.intersection(token_shape(tokens[j].text)) for j in group):
            opened = [j for j in group if out[j].startswith("B-")]
            # the pieces before the one the model opened are the cell's first lines, read as nothing
            if len(opened) == 1 and _role(out[opened[0]]) in _WRAP_ROLES \
                    and all(out[j] == "O" for j in group[:group.index(opened[0])]) \
                    and all(display_width(tokens[j].text) >= wrap - 1 for j in group[:-1]):
                _mark(out, group, _role(out[opened[0]]))
        group = []
    return out


def wrapped_name_lines(tokens: list[Token], tags: list[str]) -> list[str]:
    """Rows cut at single spaces keep no column offsets (runs of spaces do: :func:`wrapped_continuations`
    reads those), so a name wrapped in its cell prints its rest as a line of its own under the row
    (异地就医结 15 不少于11302份 … / 算宣传资料发放): a line of one piece read as nothing, words and no
    label, level, header, target or sentence, right under a row of cells cut at single spaces holding one
    name and no description, above a whole row (its name and target on its line), is the rest of that name."""
    out = list(tags)
    rows = _token_rows(tokens)
    order = sorted(rows)
    for n, r in enumerate(order):
        idx = rows[r]
        if len(idx) != 1 or out[idx[0]] != "O" or n == 0 or order[n - 1] != r - 1 or tokens[idx[0]].blank_before:
            continue
        text = compact(tokens[idx[0]].text)
        if not any(_is_cjk_char(c) for c in text) or _GOAL_SENTENCE.search(text) or _is_label(text) \
                or header_role(text) or standard_level1(text) or standard_level2(text) or looks_like_value(text) \
                or text in qualitative_values() or _FURNITURE.match(text) or text in _level_pieces() \
                or value_patterns()["weight_group"].fullmatch(text):  # a level's weight wrapped: (90分)
            continue
        above = rows[r - 1]
        roles = [_role(out[i]) for i in above]
        names = [k for k, i in enumerate(above) if out[i] == "B-L3"]
        if len(names) != 1 or "DESC" in roles or names[0] == len(above) - 1 \
                or not any(tokens[i].sep == "sp1" for i in above) \
                or any(tokens[i].sep in DELIMITERS or tokens[i].sep == "sp2" for i in above):
            continue
        below = rows[order[n + 1]] if n + 1 < len(order) else []
        if not below or tokens[below[0]].blank_before or out[below[0]] not in ("B-L1", "B-L2", "B-L3") \
                or not {"L3", "VAL"} <= {_role(out[i]) for i in below}:
            # the last line of a table may be the page's furniture (扫一扫在手机打开当前页); where the next row
            # is no whole row on its line, rows wrap over lines and the line may open the next name
            continue
        out[idx[0]] = "I-L3"
    return out


def wrapped_continuations(tokens: list[Token], tags: list[str]) -> list[str]:
    """Space-aligned columns (a PDF printed with its layout) wrap a long cell onto the next lines at its
    column's offset: a line whose cells all start where cells of the row above start, cells that filled
    their column's width (so they went on), and that holds fewer cells than that row, is the rest of
    those cells. Each piece takes the role of the cell it continues (I-L3 after a name, I-GOAL after a
    goal; nothing after a cell read as nothing, such as a second name column), whatever the model
    read it as. Only rows of two cells or more open columns."""
    out = list(tags)
    rows = _layout_rows(tokens)
    extents = _layout_extents(tokens)

    # the widest cell starting at each offset, over the rows of each run of consecutive layout rows
    width: dict[tuple[int, int], int] = {}
    gaps: dict[int, int] = {}  # the narrowest space between two cells of a row, in each run
    starts: dict[tuple[int, int], int] = {}  # cells starting at each offset: a column when several rows do
    run, prev_row = 0, None
    runs: list[int] = []
    for row, spans in zip(rows, extents):
        t = tokens[row[0][0]] if row else None
        if t is None or prev_row is None or t.row != prev_row + 1 or t.blank_before:
            run += 1
        prev_row = t.row if t is not None else None
        runs.append(run)
        for (off, w), (after, _) in zip(spans, spans[1:]):
            gaps[run] = min(gaps.get(run, after), after - off - w)
        for off, w in spans:
            width[(run, off)] = max(width.get((run, off), 0), w)
            starts[(run, off)] = starts.get((run, off), 0) + 1
    # offset → (role of the cell there, its width if it filled its column (so it may go on), else 0)
    anchors: dict[int, tuple[str, int]] = {}
    anchor_cells = 0
    last_run = None
    for row, spans, run in zip(rows, extents, runs):
        if run != last_run or not row:
            anchors, anchor_cells, last_run = {}, 0, run
            if not row:
                continue
        cells = list(zip(spans, row))
        # a piece of a wrapped cell is no wider than the piece before it (the column's width)
        continued = (anchors and len(cells) < anchor_cells
                     and all(anchors.get(off, ("", 0))[1] and 0 < w <= anchors[off][1] + _FULL_SLACK
                             for (off, w), _ in cells)
                     and not any(_new_cell(tokens, out, cell, anchors[off][0]) for (off, _), cell in cells))
        if continued:
            # a cell wraps onto consecutive lines: a column with no piece on this line has ended
            pieces = {off for (off, _), _ in cells}
            anchors = {off: (role, w) if off in pieces else (role, 0) for off, (role, w) in anchors.items()}
            for (off, w), cell in cells:
                role = anchors[off][0]
                for i in cell:
                    out[i] = f"I-{role}" if role != "O" else "O"
                anchors[off] = (role, w if w >= width[(run, off)] - _FULL_SLACK else 0)
            continue
        anchors = {}
        if len(cells) >= 2:
            for k, ((off, w), cell) in enumerate(cells):
                last = out[cell[-1]]
                # a cell fills its column when it is about as wide as the column's widest cell, or when it
                # reaches as near the next column as the closest cells of the table do
                next_off = cells[k + 1][0][0] if k + 1 < len(cells) else None
                full = w >= 6 and (w >= width[(run, off)] - _FULL_SLACK or (
                    next_off is not None and starts[(run, next_off)] >= 3
                    and next_off - off - w <= gaps.get(run, 0) + _FULL_SLACK))
                anchors[off] = (_role(last) if last != "O" else "O", w if full else 0)
        anchor_cells = len(cells)
    return out


_TWIN_ROLES = frozenset({"L1", "L2", "L3", "VAL", "OP", "UNIT", "ACT", "WT", "PTS", "DESC"})
_HEADER_FIELD_ROLES = frozenset({"PNAME", "PCODE", "BT", "BF", "BO", "GOAL"})


def _group_places(tokens: list[Token], idx: list[int], texts: list[str], midterm: frozenset[str],
                  annual: frozenset[str]) -> tuple[bool, dict[int, int], list[int], list[int]]:
    """A row's places for the twin-group passes: whether it is cut into cells (then a place is a cell index,
    else a display offset), each token's place, and the places of the midterm and annual words in it."""
    by_cell = any(tokens[i].sep in DELIMITERS for i in idx)
    where = {i: tokens[i].cell if by_cell else tokens[i].offset for i in idx}
    return (by_cell, where, [where[i] for i in idx if texts[i] in midterm],
            [where[i] for i in idx if texts[i] in annual])


def twin_groups(tokens: list[Token], tags: list[str]) -> list[str]:
    """Twin indicator groups side by side under a row naming them (中长期指标 | 年度指标, either order):
    the table's indicators are the annual group's; the cells under the midterm group (its levels, names
    and targets) are read as nothing (kept as the table's unplaced cells), up to the next project header.
    A group spans from its name's cell (pipes, tabs, a grid) or display offset (space-aligned text) to
    the other group's."""
    words = content_words().get("twin_groups", {})
    midterm, annual = frozenset(words.get("midterm", ())), frozenset(words.get("annual", ()))
    out = list(tags)
    texts = _compact_texts(tokens)
    if midterm.isdisjoint(texts) or annual.isdisjoint(texts):
        return out  # no row names both groups
    rows = _token_rows(tokens)
    span: tuple[bool, int, float] | None = None  # (by cell, start, end) of the midterm group
    ann_start = 0  # where the annual group starts
    by_order = False
    for row in sorted(rows):
        idx = rows[row]
        by_cell, where, mid, ann = _group_places(tokens, idx, texts, midterm, annual)
        if len(mid) == 1 and len(ann) == 1:
            start, ann_start = mid[0], ann[0]
            span = (by_cell, start, ann_start if ann_start > start else float("inf"))
            # groups named a single space apart print no columns: their rows are read by order
            by_order = not by_cell and all(tokens[i].sep in ("sp1", "row") for i in idx)
            continue
        if span is None:
            continue
        if any(_role(out[i]) in _HEADER_FIELD_ROLES for i in idx):
            span = None  # the next project's header: its table is its own
            continue
        if by_order and not by_cell:
            _twin_groups_by_order(idx, out, midterm_first=span[1] < ann_start)
            continue
        if by_cell != span[0]:
            continue
        if by_cell:
            # the groups have the same columns: a cell the model read in the midterm group tells what the
            # annual group's cell at the same place is, where the model read that one as nothing
            shift = ann_start - span[1]
            cells: dict[int, list[int]] = {}
            for i in idx:
                cells.setdefault(tokens[i].cell, []).append(i)
            for c, ids in cells.items():
                roles = {_role(out[i]) for i in ids} - {"O"}
                twin = cells.get(c + shift)
                if span[1] <= c < span[2] and len(roles) == 1 and roles <= _TWIN_ROLES and twin \
                        and all(out[i] == "O" for i in twin):
                    _mark(out, twin, roles.pop())
        else:
            _twin_cells_by_order(tokens, idx, out, span, ann_start)
        for i in idx:
            if span[1] <= where[i] < span[2] and _role(out[i]) in _TWIN_ROLES:
                out[i] = "O"
    return out


def _twin_groups_by_order(idx: list[int], out: list[str], midterm_first: bool) -> None:
    """A row of twin groups printed a single space apart (no columns): where it holds two names, the
    group that starts at the second name is the second group; the midterm group's cells are read as
    nothing (the levels before the first name are the row's)."""
    names = [i for i in idx if out[i] == "B-L3"]
    if len(names) != 2:
        return
    first, second = names
    group = [i for i in idx if first <= i < second] if midterm_first else [i for i in idx if i >= second]
    for i in group:
        if _role(out[i]) in _TWIN_ROLES - {"L1", "L2"}:
            out[i] = "O"


def _twin_cells_by_order(tokens: list[Token], idx: list[int], out: list[str], span: tuple[bool, int, float],
                         ann_start: int) -> None:
    """Space-aligned twin groups: the groups' columns need not be the same widths, so a row's cells are
    paired by order, the k-th under the midterm group with the k-th under the annual one, where both
    groups hold as many cells; an annual cell the model read as nothing takes the role of its midterm
    twin (the model, fitted on gold matched to the first of two equal names, often reads the midterm)."""
    annual_end = float("inf") if ann_start > span[1] else span[1]
    cells: list[list[int]] = []
    for i in idx:
        if tokens[i].sep in ("sp1", "glue") and cells:
            cells[-1].append(i)
        else:
            cells.append([i])
    mid = [c for c in cells if span[1] <= tokens[c[0]].offset < span[2]]
    ann = [c for c in cells if ann_start <= tokens[c[0]].offset < annual_end]
    if not mid or len(mid) != len(ann):
        return
    for m, a in zip(mid, ann):
        roles = {_role(out[i]) for i in m} - {"O"}
        if len(roles) != 1 or not roles <= _TWIN_ROLES or any(out[i] != "O" for i in a):
            continue
        role = roles.pop()
        first = next(out[i] for i in m if out[i] != "O")
        out[a[0]] = f"{first.split('-', 1)[0]}-{role}"
        for i in a[1:]:
            out[i] = f"I-{role}"


def _span_end(tags: list[str], i: int) -> int:
    """The position after the field opened at ``i`` (its B- tag and the I- tags of its role after it)."""
    inside = f"I-{_role(tags[i])}"
    j = i + 1
    while j < len(tags) and tags[j] == inside:
        j += 1
    return j


def _spans(tags: list[str], positions: list[int]) -> list[list[int]]:
    """``positions`` cut where a tag opens a field (B-…) or reads nothing: the fields among them."""
    spans: list[list[int]] = []
    for i in positions:
        if spans and tags[i].startswith("I-"):
            spans[-1].append(i)
        else:
            spans.append([i])
    return spans


def twin_value_columns(tokens: list[Token], tags: list[str]) -> list[str]:
    """One group of names with two value columns (中期指标值 | 年度指标值, either order): the target is the
    annual column's. Where the model read the midterm column's cell as a value, it is read as nothing,
    and the annual column's cell, where the model read that as nothing, is the value; up to the next
    project header. A column is a cell index (pipes, tabs, a grid) or the nearest header's display offset."""
    words = content_words().get("twin_groups", {})
    midterm, annual = frozenset(words.get("midterm_value", ())), frozenset(words.get("annual_value", ()))
    out = list(tags)
    rows = _token_rows(tokens)
    columns: tuple[bool, int, int, list[int]] | None = None  # by cell, midterm's place, annual's, header places
    for row in sorted(rows):
        idx = rows[row]
        by_cell, where, mid, ann = _group_places(tokens, idx, _compact_texts(tokens), midterm, annual)
        if len(mid) == 1 and len(ann) == 1:
            columns = (by_cell, mid[0], ann[0], sorted(where.values()))
            continue
        if columns is None:
            continue
        if any(_role(out[i]) in _HEADER_FIELD_ROLES for i in idx):
            columns = None  # the next project's header: its table is its own
            continue
        if by_cell != columns[0]:
            continue
        places = columns[3]
        column = {i: where[i] if by_cell else min(places, key=lambda p: abs(p - where[i])) for i in idx}
        in_mid = [i for i in idx if column[i] == columns[1]]
        in_ann = [i for i in idx if column[i] == columns[2]]
        if not in_mid or not in_ann or not any(_role(out[i]) == "VAL" for i in in_mid):
            values = [[i for i in span if _role(out[i]) == "VAL"] for span in _spans(out, idx)]
            values = [v for v in values if v]
            if len(values) == 2:
                # the two targets off their header places (a row whose wider cells pushed them right):
                # the annual one is the one in the annual column's order
                for i in values[0] if columns[2] > columns[1] else values[1]:
                    out[i] = "O"
            continue
        if all(out[i] == "O" for i in in_ann):
            _mark(out, in_ann, "VAL")
        if any(_role(out[i]) == "VAL" for i in in_ann):
            for i in in_mid:
                if _role(out[i]) == "VAL":
                    out[i] = "O"
    return out


def twin_values_in_sequence(tokens: list[Token], tags: list[str]) -> list[str]:
    """Twin value columns printed without columns (中期指标值 and 年度指标值 each a line of its own, one
    cell a line): a name followed by two targets, one straight after the other, sets the annual one (the
    second when the midterm header comes first); the other is read as nothing (kept as the table's
    unplaced cells)."""
    midterm_first = _twin_order(tokens, "midterm_value", "annual_value")
    if midterm_first is None:
        return tags
    out = list(tags)
    # where the model read one of the two and nothing the other, the other is still a target
    cells = _spans(out, list(range(len(out))))
    for n in range(len(cells) - 2):
        name, first, second = cells[n], cells[n + 1], cells[n + 2]
        if out[name[0]] != "B-L3" or {_role(out[first[0]]), _role(out[second[0]])} != {"VAL", "O"}:
            continue
        unread = first if out[first[0]] == "O" else second
        if len(unread) == 1 and _could_be_twin_target(tokens[unread[0]].text) \
                and (n + 3 >= len(cells) or _role(out[cells[n + 3][0]]) != "VAL"):
            _mark(out, unread, "VAL")
    order = _twin_orders_at(tokens, midterm_first)
    starts = [i for i, tag in enumerate(out) if tag != "O" and not tag.startswith("I-")]
    for a, b, c in zip(starts, starts[1:], starts[2:]):
        if _role(out[a]) == "L3" and _role(out[b]) == "VAL" and _role(out[c]) == "VAL":
            end = _span_end(out, c)
            for i in range(b, c) if order[a] else range(c, end):
                out[i] = "O"
    return out


def _twin_orders_at(tokens: list[Token], midterm_first: bool, midterm_part: str = "midterm_value",
                    annual_part: str = "annual_value") -> list[bool]:
    """For each token, whether the twin value columns' (or, with the group parts, twin groups') header
    last printed before it puts the midterm column first (each table of a document prints its own
    header, in its own order); before any, the document's order."""
    words = content_words().get("twin_groups", {})
    midterm, annual = frozenset(words.get(midterm_part, ())), frozenset(words.get(annual_part, ()))
    out: list[bool] = []
    current, last_mid, last_ann = midterm_first, None, None
    for i, text in enumerate(_compact_texts(tokens)):
        if text in midterm:
            last_mid = i
        elif text in annual:
            last_ann = i
        if last_mid is not None and last_ann is not None and abs(last_mid - last_ann) <= _TWIN_HEADER_REACH:
            current = last_mid < last_ann
        out.append(current)
    return out


_TWIN_HEADER_REACH = 3  # the two value columns' header words are next to each other (a header cell apart)


def _could_be_twin_target(text: str) -> bool:
    """An unread cell beside a target of twin value columns that is the other target: a quantity
    printed as a target, or a qualitative target word."""
    t = compact(text)
    return _quantity_with_unit_or_comparator(t) or t in qualitative_values()


_PART_ROLES = frozenset({"O", "VAL", "OP", "UNIT"})


def split_value_columns(tokens: list[Token], tags: list[str]) -> list[str]:
    """A target printed in columns of its own (计算符号 | 度量单位 | 目标值, in any order) read by the column
    header: in an indicator row of cut cells (pipes, tabs, a grid; or space-aligned, by display offset)
    whose name stands under the header's name column, a comparator under the comparator column (or
    指标性质) is the comparator, a unit under the unit column the unit, a number or a qualitative target
    under the value column the value, whatever the model read them as among those parts (大于等于 | % | 94)."""
    out = list(tags)
    rows: dict[int, dict[int, list[int]]] = {}  # row → cell → tokens (rows cut into cells)
    for i, t in enumerate(tokens):
        rows.setdefault(t.row, {}).setdefault(t.cell, []).append(i)
    # rows cut by spaces: their layout cells by display offset (a space-aligned table's columns)
    spaced = {tokens[layout[0][0]].row: {tokens[c[0]].offset: c for c in layout}
              for layout in _layout_rows(tokens) if layout}
    heads = sorted(_header_rows(tokens))
    for h, next_h in zip(heads, [*heads[1:], None]):
        by_offset = h in spaced
        head = spaced[h] if by_offset else rows[h]
        columns = {c: header_role(_cell_text(tokens, idx)) for c, idx in head.items()}
        if not {"op", "unit"} & set(columns.values()) or "level3" not in columns.values():
            continue
        name_col = next(c for c, role in columns.items() if role == "level3")
        starts = sorted(columns)
        for r in sorted(rows):
            if r <= h or (next_h is not None and r >= next_h):
                continue
            if by_offset:
                if r not in spaced:
                    continue
                # a cell stands in the header column that starts at or just before it
                cells: dict[int, list[int]] = {}
                for off, idx in spaced[r].items():
                    at = bisect.bisect_right(starts, off + 1)
                    if at:
                        cells.setdefault(starts[at - 1], []).extend(idx)
            else:
                cells = rows[r]
                if not any(tokens[i].sep in DELIMITERS for idx in cells.values() for i in idx):
                    continue
            shift = 0
            if not any(_role(out[i]) == "L3" for i in cells.get(name_col, [])) and not by_offset:
                # a row whose merged level cells were dropped (cells shifted left): it starts at a later
                # column, its name where the name column is, if only levels come before the name
                name_at = next((c for c in sorted(cells) if any(out[i] == "B-L3" for i in cells[c])), None)
                if name_at is not None and name_at < name_col and all(
                        {_role(out[i]) for i in cells[c]} <= {"L1", "L2"} for c in cells if c < name_at):
                    shift = name_col - name_at
            if not any(_role(out[i]) == "L3" for i in cells.get(name_col - shift, [])):
                unread_shift = _unread_target_row(tokens, out, cells, columns, name_col)
                if unread_shift is None:
                    continue  # not a row of this table's grammar (a shifted row, the next project's header)
                shift = unread_shift
                _mark(out, cells[name_col - shift], "L3")
            for c, idx in cells.items():
                role, text = columns.get(c + shift), _cell_text(tokens, idx)
                if role is None or not {_role(out[i]) for i in idx} <= _PART_ROLES:
                    continue
                if role in ("op", "value_type") and comparator_op(text) is not None and amount(text) is None:
                    _mark(out, idx, "OP")
                elif role == "unit" and text and len(text) <= 8 and not re.search(r"\d", text):
                    _mark(out, idx, "UNIT")
                elif role in ("value", "num") and (amount(text) is not None or looks_like_value(text)
                                                   or text in qualitative_values()):
                    _mark(out, idx, "VAL")
    return out


_PART_COLUMN = {"UNIT": "unit", "OP": "op", "VAL": "value"}


def split_targets_alike(tokens: list[Token], tags: list[str]) -> list[str]:
    """Rows cut at single spaces that print a target in parts of their own (户籍管理面积 万平方米 大于等于
    153.5 under 度量单位 | 指标性质 | 指标值) print them in one order on every row: the order of the rows the
    model read so (a name, then two parts or more to the row's end, at least twice). A row the model read
    none of, whose last cells fit that order (each part its own: a unit, a comparator, a number; the
    comparator may be left blank) after a cell that can be a name, is an indicator's row in that order;
    a level name opening it is its level."""
    out = list(tags)
    rows = _rows_of_cells(tokens)
    orders: Counter[tuple[str, ...]] = Counter()
    for row in rows:
        roles = [_role(out[c[0]]) for c in row]
        if "L3" in roles:
            parts = tuple(roles[len(roles) - 1 - roles[::-1].index("L3") + 1:])
            if len(parts) >= 2 and set(parts) <= set(_PART_COLUMN) and len(set(parts)) == len(parts) and "VAL" in parts:
                orders[parts] += 1
    if not orders:
        return out
    order, seen = orders.most_common(1)[0]
    if seen < 2:
        return out
    shapes = [order, tuple(r for r in order if r != "OP")] if "OP" in order else [order]
    for row in rows:
        if any(out[i] != "O" for c in row for i in c) or any(tokens[i].sep not in ("row", "sp1", "glue")
                                                              for c in row for i in c):
            continue  # (runs of spaces keep columns: split_value_columns reads those)
        texts = [compact(_cell_text(tokens, c)) for c in row]
        for shape in shapes:
            k = len(texts) - len(shape)
            if k < 1 or not all(_target_part_fits(_PART_COLUMN[r], t) for r, t in zip(shape, texts[k:])):
                continue
            if not _could_be_name(texts[k - 1]) or len(texts[k - 1]) < 2:
                continue
            _mark(out, row[k - 1], "L3")
            for role, cell in zip(shape, row[k:]):
                _mark(out, cell, role)
            for cell, text in zip(row[:k - 1], texts[:k - 1]):
                level = "L2" if standard_level2(text) and not standard_level1(text) else \
                    "L1" if standard_level1(text) else None
                if level:
                    _mark(out, cell, level)
            break
    return out


def _target_part_fits(role: str | None, text: str) -> bool:
    """Whether a cell's text is what its split-target column holds (a comparator, a number, a unit)."""
    if role == "op":
        return comparator_op(text) is not None and amount(text) is None
    if role in ("value", "num"):
        return _bare_number(text)
    if role == "unit":  # a unit of the value grammar, or one with a magnitude before it (万平方米)
        return _unit_words(text) or _unit_words(text.lstrip("万亿千百")) or text in _VALUE_UNIT_WORDS
    return False


def _unread_target_row(tokens: list[Token], out: list[str], cells: dict[int, list[int]], columns: dict[int, str | None],
                       name_col: int) -> int | None:
    """A row of the table the model read none of (交通安全设施 | 等于 | 2686 | 户): where its cells, all
    unread, stand under the name column and the target parts' columns after it, at their own columns
    or shifted left by merged level cells, and the comparator, the number and the unit each fit their
    column, the row is an indicator's: the shift (0 for cells at their columns, level cells before the
    name left unread), or None."""
    if any(out[i] != "O" for idx in cells.values() for i in idx):
        return None
    order = sorted(cells)
    after = sorted(c for c in columns if c >= name_col)
    for shift in (0, name_col - order[0]):
        at = [c + shift for c in order if c + shift >= name_col]
        if shift < 0 or not at or at[0] != name_col or not set(at) <= set(after) or len(at) < 3:
            continue  # a column left blank (no comparator) has no cell
        name = compact(_cell_text(tokens, cells[name_col - shift]))
        parts = [(columns[c + shift], compact(_cell_text(tokens, cells[c]))) for c in order if c + shift > name_col]
        fitting = [role for role, text in parts if _target_part_fits(role, text)]
        if _could_be_name(name) and len(name) >= 4 and len(fitting) == len(parts) \
                and any(role in ("value", "num") for role in fitting):
            return shift
    return None


_VALUE_UNIT_WORDS = frozenset({"百分比"})  # units printed as a word (≥ | 95 | 百分比)


def value_parts_after_names(tokens: list[Token], tags: list[str]) -> list[str]:
    """A target printed as its parts in cells of their own with no columns to say so (one cell per line:
    name, then ≥, 个, 195 in any order): right after an indicator name the model read with no value, a run
    of up to three cells each a comparator alone, a unit alone or a bare number, with a number and a
    comparator or a unit among them (one of each at most), is the name's comparator, unit and value. A
    指标值类型 cell (定量) among them is a column of its own, stepped over."""
    out = list(tags)
    units = frozenset(content_words()["units"]) | _VALUE_UNIT_WORDS
    value_types = frozenset(content_words()["value_types"]["words"])
    n = len(tokens)
    i = 0
    while i < n:
        if out[i] != "B-L3":
            i += 1
            continue
        j = i + 1
        while j < n and out[j] == "I-L3":
            j += 1
        parts: dict[str, int] = {}
        k = j
        typed = False  # a value-type cell stepped over
        while k < n and k < j + 3 + typed and tokens[k].sep != "glue":
            text = compact(tokens[k].text)
            if text in value_types and not typed and out[k] == "O":
                typed = True
                k += 1
                continue
            if _role(out[k]) not in _PART_ROLES and not (_role(out[k]) in _BUDGET_TAGS and parts):
                break  # (a bare number after a comparator or unit the model read as a budget: the value)
            kind = ("OP" if comparator_op(text) is not None and not re.search(r"\d", text)
                    else "UNIT" if text in units else "VAL" if _AMOUNT.match(text) else None)
            if kind is None or kind in parts:
                break
            parts[kind] = k
            k += 1
        already = any(_role(out[m]) == "VAL" for m in range(k, min(n, k + 1)))
        if "VAL" in parts and len(parts) >= 2 and not already:
            for kind, m in parts.items():
                out[m] = f"B-{kind}"
        i = max(j, k)
    return out


def dates_read_as_names(tokens: list[Token], tags: list[str]) -> list[str]:
    """A deadline the model read as a project's name (文字描述：2026年 / 6月30日前 inside an indicator
    row) is a target: no name is a date. It is the value of the indicator whose name comes before it
    with no value yet, its actual result where it has its value and no result, else nothing."""
    out = list(tags)
    date = value_patterns()["date"]
    i = 0
    while i < len(out):
        if out[i] != "B-PNAME":
            i += 1
            continue
        j = _span_end(out, i)
        text = compact("".join(tokens[k].text for k in range(i, j)))
        if date.fullmatch(text) or date.fullmatch(_LABEL_PREFIX.sub("", text)):
            since: set[str] = set()  # the fields read since the last name
            for k in range(i - 1, -1, -1):
                if out[k].startswith("B-"):
                    if _role(out[k]) in _CLOSES_INDICATOR:
                        since.add(_role(out[k]))
                        break
                    since.add(_role(out[k]))
            role = None if "L3" not in since else "VAL" if "VAL" not in since else "ACT" if "ACT" not in since \
                else None
            if role:
                _mark(out, list(range(i, j)), role)
            else:
                out[i:j] = ["O"] * (j - i)
        i = j
    return out


_LABEL_PREFIX = re.compile(r"^[^：:]{1,6}[：:]")  # 文字描述：
_OWN_FIELDS = frozenset({"WT", "VAL", "OP", "UNIT", "ACT", "PTS"})  # what an indicator's row holds after its name


def project_fields_inside_rows(tokens: list[Token], tags: list[str]) -> list[str]:
    """A project's field the model read inside a table's indicator rows: a name (农产品质量安全 / 节约资金)
    between a finished indicator row and a weight, target or actual result is an indicator's name; an
    amount between an indicator's weight or target and its unit or actual result (20 | 0.30 | 万元 |
    0.30万元 | 20) is no budget (a table's budget is printed above its rows): the target where the
    indicator has none yet, else nothing; a goal that opens as a description (用于反映…) among the rows
    is a description. A budget among the rows that reads as no amount is no budget."""
    out = list(tags)
    fields: list[list[int]] = []  # the fields read, each its positions (an I- piece after nothing is none)
    for i, tag in enumerate(out):
        if tag.startswith("B-"):
            fields.append([i])
        elif tag != "O" and i and out[i - 1] != "O" and fields and fields[-1][-1] == i - 1:
            fields[-1].append(i)
    roles = [_role(out[c[0]]) for c in fields]
    for n, field_ in enumerate(fields):
        if roles[n] in ("BT", "BF", "BO") and n and roles[n - 1] in _OWN_FIELDS | {"L1", "L2", "L3", "DESC"} \
                and amount(compact(_cell_text(tokens, field_))) is None:
            out[field_[0]:field_[-1] + 1] = ["O"] * len(field_)  # 内 of 在预算金额内: no amount, no budget
            roles[n] = "O"
    for n in range(1, len(fields) - 1):
        before, role, after = roles[n - 1], roles[n], roles[n + 1]
        if role == "PNAME" and before in _OWN_FIELDS and after in {"WT", "ACT", "PTS"} | (
                {"VAL"} if n + 2 < len(fields) and roles[n + 2] in {"ACT", "PTS", "WT"} else set()):
            between = range(fields[n][-1] + 1, fields[n + 1][0])  # a title word after it: a table's title
            if not any(_is_label(compact(tokens[i].text)) for i in range(fields[n - 1][-1] + 1, fields[n][0])) \
                    and len(between) <= 1 and tokens[fields[n + 1][0]].row - tokens[fields[n][-1]].row <= 2:
                _mark(out, fields[n], "L3")
        elif role in ("BT", "BF", "BO") and len(fields[n]) == 1 and before in {"WT", "VAL", "PTS"} \
                and after in {"UNIT", "ACT", "PTS"} and tokens[fields[n][0]].row == tokens[fields[n + 1][0]].row:
            since = set()
            for k in range(n - 1, -1, -1):
                since.add(roles[k])
                if roles[k] in _CLOSES_INDICATOR:
                    break
            _mark(out, fields[n], "VAL") if "VAL" not in since else _mark(out, fields[n], "O")
        elif role == "GOAL" and before in _OWN_FIELDS | {"DESC", "L3"} and after in ("L1", "L2", "L3", "VAL") \
                and value_patterns()["opener"].match(compact(_cell_text(tokens, fields[n]))):
            _mark(out, fields[n], "DESC")  # 用于反映…覆盖率。 between two rows: a description, not a goal
    return out


def grammar_tags(tokens: list[Token], tags: list[str]) -> list[str]:
    """The model's tags after the table grammar's rules, each a pass over the tagged tokens."""
    tags = project_fields_inside_rows(tokens, dates_read_as_names(tokens, tags))
    tags = budget_columns(tokens, labelled_pieces(tokens, labelled_fields(tokens, bracketed_subtitles(tokens, tags))))
    tags = wrapped_continuations(tokens, tags)
    tags = wrapped_cell_lines(tokens, tags)
    tags = goals_of_goal_labels(tokens, expected_goals(tokens, annual_goals(tokens, goal_cells(tokens, tags))))
    tags = names_after_name_labels(tokens, goals_end_at_labels(tokens, tags))
    tags = names_whole_lines(tokens, tags)
    tags = values_inside_names(tokens, level_rows_read(tokens, umbrella_levels(tokens, tags)))
    tags = level2_between(tokens, names_of_lone_values(tokens, quantities_closing_names(tokens, tags)))
    tags = continuations_inside_cells(tokens, wrapped_level_columns(tokens, wrapped_level_names(tokens, tags)))
    tags = level_only_rows(tokens, level2_names_read_as_level1(tokens, tags))
    tags = values_run_together(tokens, quantities_read_as_names(tokens, quantities_read_as_levels(tokens, tags)))
    tags = stacked_header_columns(tokens, header_columns(tokens, tags))
    tags = coded_names_before_amounts(tokens, names_before_budgets(tokens, summary_columns(tokens, tags)))
    tags = projects_restarting_levels(tokens, names_before_levels(tokens, tags))
    tags = value_parts_after_names(tokens, split_value_columns(tokens, whole_cells(tokens, tags)))
    tags = split_targets_alike(tokens, tags)
    tags = values_of_open_names(tokens, names_read_as_results(tokens, repeated_results(tokens,
                                                                                      grid_columns(tokens, tags))))
    tags = cost_level2_under_output(tokens, name_value_rows(tokens, glued_pieces_of_names(tokens, tags)))
    tags = summary_project_rows(tokens, lines_alike(tokens, levels_closing_rows(tokens, tags)))
    by_header = summary_rows_by_header(tokens, tags)
    if by_header != tags:  # the names' wrapped pieces on the next lines go with them
        tags = wrapped_continuations(tokens, by_header)
    tags = wrapped_name_lines(tokens, level_names_opening_names(tokens, targets_printed_in_names(tokens, tags)))
    tags = level_columns(tokens, level_column_names(tokens, values_continued_by_words(tokens,
                                                                                     indicators_alike(tokens, tags))))
    twins = twin_groups(tokens, tags)
    if twins != tags:  # the annual group's names the model missed: their wrapped pieces go with them
        twins = wrapped_continuations(tokens, twins)
    tags = names_between_levels(tokens, twin_values_in_sequence(tokens, twin_value_columns(tokens, twins)))
    tags = targets_before_weights(tokens, one_indicator_a_row(tokens, tags))
    tags = heading_level2(tokens, names_inside_sentences(tokens, tags))
    tags = lone_number_targets(tokens, value_type_cells(tokens, level2_names_after_level1(tokens, tags)))
    read = project_fields_inside_rows(tokens, bracketed_name_ends(tokens, marked_rows_alike(tokens, tags)))
    if read != tags:  # cells the last passes read: their wrapped pieces on the next lines go with them
        read = wrapped_continuations(tokens, read)
    return units_after_numbers(tokens, read)


def one_indicator_a_row(tokens: list[Token], tags: list[str]) -> list[str]:
    """A document whose rows print one indicator each (most of the rows holding a name hold just one):
    a second name in a row, after the first name's target with no level between (学生对学校伙食得满意度 |
    95%以上 | 学生对学校伙食满意程度 | 95%以上 | 得10分…), is a column describing the indicator, not another
    indicator; it is read as the first one's description and the target after it as nothing (kept as
    the table's unplaced cells). A table printed as one run, or groups side by side, holds several names
    in most of its rows and is left as read; so is a row cut into columns (cells, runs of spaces)."""
    rows = _token_rows(tokens)
    names = {r: [i for i in idx if tags[i] == "B-L3"] for r, idx in rows.items()}
    counts = [len(n) for n in names.values() if n]
    if not counts or 2 * sum(c == 1 for c in counts) <= len(counts):
        return tags
    out = list(tags)
    for r, found in names.items():
        idx = rows[r]
        if len(found) != 2 or any(tokens[i].sep in _COLUMN_CUTS for i in idx):
            continue  # a row cut into columns (tabs, pipes, a grid, runs of spaces) is read by its columns
        first, second = idx.index(found[0]), idx.index(found[1])
        between = {_role(out[i]) for i in idx[first + 1:second]} - {"O", "L3"}
        if between != {"VAL"}:
            continue  # no target read between the names, or a level: another indicator
        k = second + 1
        out[idx[second]] = "B-DESC"
        while k < len(idx) and out[idx[k]] == "I-L3":
            out[idx[k]] = "I-DESC"
            k += 1
        while k < len(idx) and _role(out[idx[k]]) in ("VAL", "OP", "UNIT"):
            out[idx[k]] = "O"
            k += 1
    return out


def heading_level2(tokens: list[Token], tags: list[str]) -> list[str]:
    """An outline heading names both levels (【产出指标-履职目标实现】): the piece after a level 1, in its row,
    that opens with the heading's dash and closes its bracket is the level 2, whatever the model took it for."""
    out = list(tags)
    for i in range(1, len(tokens)):
        t = compact(tokens[i].text)
        if out[i - 1] == "B-L1" and tokens[i].row == tokens[i - 1].row and out[i] in ("O", "B-L3") \
                and len(t) > 2 and t[0] in _DASHES and t[-1] in _CLOSERS:
            out[i] = "B-L2"
    return out


def level2_names_after_level1(tokens: list[Token], tags: list[str]) -> list[str]:
    """A framework level-2 name (可持续影响指标) right after a level 1 in its row, read as nothing, is the
    row's level 2."""
    out = list(tags)
    for i in range(1, len(tokens)):
        if out[i] == "O" and _role(out[i - 1]) == "L1" and tokens[i].row == tokens[i - 1].row \
                and standard_level2(compact(tokens[i].text)) is not None:
            out[i] = "B-L2"
    return out


def value_type_cells(tokens: list[Token], tags: list[str]) -> list[str]:
    """A 指标值类型 cell (定性 | 定量) stands between an indicator's name and its target: in its row, the piece
    after it read as nothing is the target, and the piece before it read as nothing, right after the
    row's level cells, the name."""
    out = list(tags)
    words = frozenset(content_words()["value_types"]["words"])
    for i in range(1, len(tokens) - 1):
        before, after = i - 1, i + 1
        if compact(tokens[i].text) not in words or out[i] not in ("O", "B-DESC") \
                or tokens[before].row != tokens[i].row or tokens[after].row != tokens[i].row \
                or out[after] not in ("O", "B-VAL"):
            continue
        if _is_label(tokens[after].text) or header_role(tokens[after].text):
            continue
        if out[before] == "O" and before and _role(out[before - 1]) in ("L1", "L2") \
                and tokens[before - 1].row == tokens[i].row and _CJK_TEXT.search(tokens[before].text) \
                and parse_quantity(compact(tokens[before].text)) is None:
            out[before] = "B-L3"
        if _role(out[before]) == "L3" and out[after] == "O":
            out[after] = "B-VAL"
    return out


def marked_rows_alike(tokens: list[Token], tags: list[str]) -> list[str]:
    """Rows numbered by markers (指标1: | 名称 | 目标 …) print their indicators in one shape: where every row
    whose marker the model followed with a name has the same shape (the name's and the target's pieces),
    a marked row it read as nothing after the marker is read in that shape (cut at single spaces, a cell's
    pieces cannot be told from the next cell's; the rows that were read say how many each takes)."""
    rows = _token_rows(tokens)
    marked: list[list[int]] = []  # each marked row's pieces after its marker
    for idx in rows.values():
        k = next((n for n, i in enumerate(idx) if _MARKER.fullmatch(compact(tokens[i].text))), None)
        if k is not None and k + 1 < len(idx):
            marked.append(idx[k + 1:])
    shapes = set()
    for rest in marked:
        if tags[rest[0]] == "B-L3":  # the shape: the name's pieces, then the first target's
            n = next((m for m, i in enumerate(rest) if _role(tags[i]) != "L3"), len(rest))
            if n < len(rest) and tags[rest[n]] == "B-VAL":
                n = next((m for m in range(n + 1, len(rest)) if tags[rest[m]] != "I-VAL"), len(rest))
            shapes.add(tuple(tags[i] for i in rest[:n]))
    if len(shapes) != 1:
        return tags
    (shape,) = shapes
    if "B-VAL" not in shape:
        return tags
    out = list(tags)
    for rest in marked:
        if len(rest) >= len(shape) and all(out[i] == "O" for i in rest) \
                and _CJK_TEXT.search(tokens[rest[0]].text) and parse_quantity(compact(tokens[rest[0]].text)) is None:
            for i, tag in zip(rest, shape):
                out[i] = tag
    return out




def bracketed_name_ends(tokens: list[Token], tags: list[str]) -> list[str]:
    """A name's bracketed ending read as its target (建设项目个数 | (含续建) over 1): a piece in brackets, in
    the name's cell, that reads as no target, while the piece after it (its row's next, or the next line's
    first) reads as one and was read as nothing (or as a budget: a bare amount): the bracket ends the name,
    the next piece is the target."""
    out = list(tags)
    for i in range(1, len(tokens) - 1):
        t = compact(tokens[i].text)
        if out[i] != "B-VAL" or _role(out[i - 1]) != "L3" or tokens[i].row != tokens[i - 1].row \
                or tokens[i].sep not in ("glue", "sp1") or not value_patterns()["trailing_group"].fullmatch(t) \
                or looks_like_value(t[1:-1]) or t[1:-1] in qualitative_values():
            # (an outline's 名称(＝88%) or 名称(良好) prints the target in the bracket)
            continue
        # a bare amount after a name's bracket is its target, not a budget the model took it for
        if out[i + 1] in ("O", "B-BT", "B-BF", "B-BO") and looks_like_value(tokens[i + 1].text) \
                and (i + 2 >= len(out) or not out[i + 2].startswith("I-")):
            out[i], out[i + 1] = "I-L3", "B-VAL"
    return out


_SENTENCE = re.compile(r"[，。、；《》“”]")


def names_inside_sentences(tokens: list[Token], tags: list[str]) -> list[str]:
    """A project name is a cell of its own: pieces read as a name in the middle of a sentence, the text
    going on before and after them within one layout cell of a text line, cut from it at a single space
    (…列入 2024年 及以后年度部门 专项预算的请示》（…), are part of that sentence and read as nothing; not
    where a label comes just before them (项目名称 东津院区建设补助: its value)."""
    out = list(tags)
    for row in _layout_rows(tokens):
        for cell in row:
            starts = [k for k, i in enumerate(cell) if out[i] == "B-PNAME"]
            for k in starts:
                end = k + 1
                while end < len(cell) and out[cell[end]] == "I-PNAME":
                    end += 1
                if k == 0 or end == len(cell) or tokens[cell[k]].sep != "sp1" or _is_label(tokens[cell[k - 1]].text):
                    continue  # cells run together (glue cuts) hold names and sentences alike: their labels read them
                around = "".join(tokens[i].text for i in cell[:k] + cell[end:])
                if _SENTENCE.search(around):
                    for i in cell[k:end]:
                        out[i] = "O"
    return out


_COLUMN_CUTS = DELIMITERS | {"sp2"}
_WEIGHT_COLUMNS = {"score": "WT", "points": "PTS"}


def targets_before_weights(tokens: list[Token], tags: list[str]) -> list[str]:
    """A column header that prints the target's column before the weight's (指标值 | 度量单位 | 权重): in a row
    below it whose name is followed by nothing but bare numbers (召开全体会议 2 15: its unit column empty),
    read with no target, the first number is the target and the rest the weight (or points) column's,
    whatever the model took them for; the header's order is the row's. Rows with a target, an actual result
    or a single number after the name (its target may be the one lost) are left as read."""
    out = list(tags)
    heads = _header_rows(tokens)
    rows = _token_rows(tokens)
    weights: list[str] = []  # the weight and points columns' tags after the target's, in the header's order
    for r in sorted(rows):
        idx = rows[r]
        if r in heads:
            weights = _weight_columns(tokens, idx)[1]
            continue
        if not weights:
            continue
        names = [k for k, i in enumerate(idx) if out[i] == "B-L3"]
        if len(names) != 1 or any(_role(out[i]) in ("VAL", "OP", "UNIT", "ACT") for i in idx):
            continue
        k = names[0] + 1
        while k < len(idx) and out[idx[k]] == "I-L3":
            k += 1
        rest = idx[k:]
        if not 2 <= len(rest) <= len(weights) + 1 or not all(
                _bare_number(tokens[i].text) and _role(out[i]) in ("O", "WT", "PTS") for i in rest):
            continue
        out[rest[0]] = "B-VAL"
        for i, role in zip(rest[1:], weights):
            out[i] = f"B-{role}"
    return out


def lone_number_targets(tokens: list[Token], tags: list[str]) -> list[str]:
    """A row whose name was read and whose target was not (补助学生数量 | 168 | 反映补助学生人数…): a quantity
    right after the name, read as nothing, is the target, unless the column header prints a weight or
    points column before the target's (there the number after a name is its weight)."""
    out = list(tags)
    heads = _header_rows(tokens)
    rows = _token_rows(tokens)
    weight_first = False
    for r in sorted(rows):
        idx = rows[r]
        if r in heads:
            weight_first = bool(_weight_columns(tokens, idx)[0])
            continue
        names = [k for k, i in enumerate(idx) if out[i] == "B-L3"]
        if weight_first or len(names) != 1 or any(_role(out[i]) in ("VAL", "OP", "UNIT", "ACT", "WT", "PTS")
                                                  for i in idx):
            continue
        k = names[0] + 1
        while k < len(idx) and out[idx[k]] == "I-L3":
            k += 1
        if k < len(idx) and out[idx[k]] == "O" and parse_quantity(compact(tokens[idx[k]].text)) is not None \
                and amount(compact(tokens[idx[k]].text)) is not None:
            out[idx[k]] = "B-VAL"
    return out


def _weight_columns(tokens: list[Token], header: list[int]) -> tuple[list[str], list[str]]:
    """The weight and points columns (their tags) a column-header row prints before the target's column and
    after it, in its order; both empty where it names no target column."""
    roles = [header_role(tokens[i].text) for i in header]
    value = next((k for k, role in enumerate(roles) if role == "value"), None)
    if value is None:
        return [], []
    return ([_WEIGHT_COLUMNS[role] for role in roles[:value] if role in _WEIGHT_COLUMNS],
            [_WEIGHT_COLUMNS[role] for role in roles[value:] if role in _WEIGHT_COLUMNS])


def _bare_number(text: str) -> bool:
    """A number printed with no comparator and no unit (2, 15, 4887.6)."""
    q = parse_quantity(compact(text))
    return q is not None and q[0] == "=" and q[2] is None and amount(compact(text)) is not None


def _twin_order(tokens: list[Token], midterm_part: str = "midterm", annual_part: str = "annual") -> bool | None:
    """Whether a document of twin indicator groups (or twin value columns, with the ``_value`` parts)
    printed without columns (the group names on lines of their own) prints the midterm group first; None
    when it has no such groups (or they name columns of a row, which :func:`twin_groups` reads)."""
    words = content_words().get("twin_groups", {})
    midterm, annual = frozenset(words.get(midterm_part, ())), frozenset(words.get(annual_part, ()))
    texts = _compact_texts(tokens)
    if midterm.isdisjoint(texts) or annual.isdisjoint(texts):
        return None  # (what the search below finds then)
    first_mid = first_ann = None
    for i, (t, text) in enumerate(zip(tokens, texts)):
        if text in midterm:
            first_mid = i if first_mid is None else first_mid
            if any(texts[k] in annual for k in range(max(0, i - 40), min(len(tokens), i + 40))
                   if tokens[k].row == t.row):
                return None  # a row naming both groups: columns
        elif text in annual and first_ann is None:
            first_ann = i
    if first_mid is None or first_ann is None:
        return None
    return first_mid < first_ann


def twin_pairs(projects: list[Project], midterm_first: bool | None, tokens: list[Token] | None = None) -> None:
    """In a document of twin indicator groups whose columns could not be told apart (one cell per line),
    each indicator is printed twice, in the midterm group and in the annual one (the midterm name the same,
    or with 累计, 实施期 … before it): of two neighbours so printed, the annual one is the indicator; the
    midterm one is kept as a flag on the project. Each table's order is that of the group header printed
    last before its first indicator (given ``tokens``), else the document's."""
    if midterm_first is None:
        return
    orders = _twin_orders_at(tokens, midterm_first, "midterm", "annual") if tokens else []
    row_order = {t.row: o for t, o in zip(tokens or [], orders)}
    for project in projects:
        first = project.indicators[0].span[0] - 1 if project.indicators and project.indicators[0].span else None
        order = row_order.get(first, midterm_first) if first is not None else midterm_first
        kept: list[Indicator] = []
        inds = project.indicators
        k = 0
        while k < len(inds):
            if k + 1 < len(inds):
                a, b = compact(inds[k].level3), compact(inds[k + 1].level3)
                mid, ann = (a, b) if order else (b, a)
                if ann and mid.endswith(ann) and len(mid) - len(ann) <= 4:
                    gone = inds[k] if order else inds[k + 1]
                    kept.append(inds[k + 1] if order else inds[k])
                    project.flags.append(Flag("unplaced_cells", "a midterm-group indicator of twin groups, not "
                                              "read as an indicator", gone.span[0] if gone.span else None,
                                              " ".join(x for x in (gone.level3, gone.value, gone.actual,
                                                                   gone.description, gone.basis,
                                                                   *(f.text for f in gone.flags)) if x)))
                    k += 2
                    continue
            kept.append(inds[k])
            k += 1
        project.indicators = kept


def decode(tokens: list[Token], tags: list[str]) -> DecodedDocument:
    """Projects and indicators from a document's tokens and their tags."""
    tags = grammar_tags(tokens, tags)
    decoder = _Decoder(money_unit(tokens))
    decoder.unit_rows, decoder.units = money_unit_statements(tokens)
    headers = _header_rows(tokens)
    level_rows = level_header_rows(tokens, tags)
    last_header = None
    level_row = -10
    # a title's name by its first token; one that opens its row names the table of the whole row
    titles = {id(tokens[i]): name for i, name in title_names(tokens, tags).items()}
    inside = {t.row for t in tokens if id(t) in titles and t.sep != "row"}  # rows of tables run together
    row_titles = {t.row: titles[id(t)] for t in tokens if id(t) in titles and t.sep == "row" and t.row not in inside}
    decoder.has_headers = bool(headers)
    decoder.row_shifts = row_shifts(tokens, tags, level_rows)
    for seg in segments(tokens, tags):
        row = seg.tokens[0].row
        if row in row_titles and (decoder.project is None or decoder.project.indicators):
            decoder.title = row_titles[row]
            decoder.under_header = False
        elif id(seg.tokens[0]) in titles and seg.tokens[0].sep != "row":
            # a title inside a row of tables run together: the table before it ends here
            if decoder.project is not None and decoder.project.indicators:
                decoder.finish_indicator()
                if decoder.stray():
                    decoder.restart_project()  # stray names before a column header: no table
                else:
                    decoder.close_project()
            if decoder.project is None:
                decoder.title = titles[id(seg.tokens[0])]
                decoder.under_header = False
        if row in level_rows:
            level_row, decoder.column_levels = row, level_rows[row]
            if standard_level1(seg.text) is None:
                # a cell beside the group names (产出指标 | 成本目标 | 河长制经费 | 不超过19772元: a row whose
                # name the model missed) is read as no field: kept as the open table's
                decoder.unplaced(seg)
            continue
        if row in headers and row != last_header:
            if row - level_row > 3:
                decoder.column_levels = {}
            last_header = row
            decoder.unit_code = None  # a new table: its own unit column
            decoder.finish_indicator()
            if decoder.project is not None and decoder.project.indicators:
                if decoder.stray():
                    decoder.restart_project()
                elif decoder.header or decoder.title:
                    decoder.close_project()  # a titled column header starts a new table
                # else: the header repeated after a page break; the table goes on
            decoder.under_header = True
        decoder.feed(seg)
    decoder.finish_indicator()
    decoder.level_only_row()
    decoder.header_left()
    decoder.flag_unplaced()
    out = decoder.out
    inherit_header_fields(out.projects)
    if decoder.money_unit == 1.0:
        budgets_printed_in_yuan(out.projects, decoder.budget_cells)
    twin_pairs(out.projects, _twin_order(tokens), tokens)
    kept = [p for p in out.projects if _is_table(p)]
    for p in out.projects:
        if not _is_table(p):
            out.flags.append(Flag("not_a_table", f"{len(p.indicators)} name-like cells with no level or value "
                                  "were not read as indicators", p.span[0] if p.span else None,
                                  project_cells(p, decoder.printed.get(id(p), ""))))
    out.projects = kept
    return out
