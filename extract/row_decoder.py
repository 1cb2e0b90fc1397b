"""The row decoder: tagged tokens to projects and indicators, by the table grammar.

The grammar, read left to right over the tag sequence: a project header (name, code, budget,
goal) opens a project; a level-1 name sets the level-1 context and clears level 2; a level-2
name sets level 2; an indicator name opens an indicator under the current levels (merged cells
inherit); a value, comparator, unit, actual result, weight, points or description attaches to
the open indicator. Linear in the number of tokens. What cannot be placed (a value with no
indicator name before it) is kept as a flag with its text and line.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from perfkg.extract.records import Flag, Indicator, Project
from perfkg.extract.target_values import comparator_op, parse_quantity, parse_target_value
from perfkg.extract.text_normalise import compact
from perfkg.extract.tokens import Token, content_words
from perfkg.extract.vocabulary import clean_label, header_role, standard_level1, standard_level2, standard_parent


@dataclass
class Segment:
    role: str
    tokens: list[Token]
    continued: bool = False  # opened by an I- tag after other cells: the rest of a wrapped cell

    @property
    def text(self) -> str:
        """The segment's text as printed, whitespace removed between and inside tokens."""
        return compact("".join(t.text for t in self.tokens))

    @property
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


def clean_level(text: str) -> str:
    """A printed level name: no whitespace, no (必填) suffix, no weight (50分) after it."""
    return _WEIGHT_SUFFIX.sub("", clean_label(text))


def clean_value(text: str) -> str:
    m = _BRACKETS.match(text)
    return m.group(1) if m else text


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
    unit: str | None = None
    last_line: int = 0


@dataclass
class DecodedDocument:
    projects: list[Project] = field(default_factory=list)
    bureaus: list[str] = field(default_factory=list)  # every cell tagged as the bureau, in order
    flags: list[Flag] = field(default_factory=list)


class _Decoder:
    def __init__(self, money_unit: float):
        self.out = DecodedDocument()
        self.money_unit = money_unit  # 1.0 for 万元, 1e-4 for 元
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
        self.under_header = False  # a column header came after the last title or project name
        self.opened_under_header = False

    def stray(self) -> bool:
        """The open project's names were stray cells of a project header block: the document
        prints column headers, this project opened before one, and no name sits under a level."""
        project = self.project
        return (project is not None and self.has_headers and not self.opened_under_header
                and not any(_level_like(i.level1) or _level_like(i.level2) for i in project.indicators))

    def restart_project(self) -> None:
        """Stray name-like cells before a table's column header were no table: the header fields
        they took go to the table that follows; the cells are kept as a flag."""
        self.finish_indicator()
        project = self.project
        if project is None:
            return
        self.out.projects.remove(project)
        self.out.flags.append(Flag("not_a_table", f"{len(project.indicators)} name-like cells before a table "
                                   "header were not read as indicators", project.span[0] if project.span else None,
                                   project.indicators[0].level3[:80] if project.indicators else None))
        self.header = {**self.project_header, **self.header}
        self.project = None
        self.level1 = self.level2 = None

    # project header -------------------------------------------------
    def header_field(self, seg: Segment) -> None:
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
            return
        if key in ("BT", "BF", "BO"):
            a = amount(seg.text)
            if a is None:
                return
            unit = self.money_unit
            if seg.text.endswith("万元") or seg.text.endswith("万"):
                unit = 1.0
            elif seg.text.endswith("元"):
                unit = 1e-4
            self.header[key] = round(a * unit, 6)
        else:
            self.header[key] = seg.text
        self.header.setdefault("_line", seg.lines[0])

    def ensure_project(self, line: int) -> Project:
        if self.project is None:
            h = self.header
            self.project = Project(
                name=str(h.get("PNAME") or self.title or ""), code=h.get("PCODE"),  # type: ignore[arg-type]
                budget_total=h.get("BT"), budget_fiscal=h.get("BF"), budget_other=h.get("BO"),  # type: ignore[arg-type]
                goal=h.get("GOAL"), layout="content-model")  # type: ignore[arg-type]
            self.project.span = (int(h.get("_line", line)), line)  # type: ignore[call-overload]
            self.out.projects.append(self.project)
            self.opened_under_header = self.under_header
            named = {"PNAME": self.project.name} if self.project.name else {}
            self.project_header, self.header = {**self.header, **named}, {}
            self.title = None
        return self.project

    def level_only_row(self) -> None:
        """A level label with no indicator under it (a cut table, a label-only row) is kept as a flag."""
        seg, self.pending_level = self.pending_level, None
        if seg is not None:
            self.out.flags.append(Flag("level_without_indicator", "a level label with no indicator row under it",
                                       seg.lines[0], seg.text[:80]))

    def close_project(self) -> None:
        self.umbrella = None
        self.level_only_row()
        self.finish_indicator()
        self.project = None
        self.level1 = self.level2 = None

    # indicators -----------------------------------------------------
    def finish_indicator(self) -> None:
        if self.open is None:
            return
        o, ind = self.open, self.open.indicator
        value = o.value
        if value is not None and (o.op or o.unit):
            quantity = parse_quantity(value)
            if quantity is not None:  # a number whose comparator or unit has a cell of its own
                printed_op = not _BARE_NUMBER.match(unicodedata.normalize("NFKC", value))
                if o.op and not printed_op:
                    value = _OP_SIGN.get(o.op, "") + value
                if o.unit and quantity[2] is None:
                    value += o.unit
        elif value is None and o.unit is None and o.op is None:
            ind.flags.append(Flag("value_missing", "no target value could be read for this indicator",
                                  ind.span[0] if ind.span else None))
        tv = parse_target_value(value)
        ind.value, ind.op, ind.num, ind.unit = tv.value, tv.op, tv.num, tv.unit
        if ind.span:
            ind.span = (ind.span[0], max(ind.span[1], o.last_line))
        self.open = None

    def indicator(self, seg: Segment) -> None:
        self.finish_indicator()
        project = self.ensure_project(seg.lines[0])
        level1, level2 = self.level1, self.level2
        if self.column_levels:
            # groups printed side by side: the level is the column's, not the row's
            cell = seg.tokens[0].cell - self.row_shifts.get(seg.tokens[0].row, 0)
            left = [c for c in self.column_levels if c <= cell]
            if left:
                level1, level2 = self.column_levels[max(left)], None
        if level1 is None and level2 is not None:
            level1 = standard_parent(level2)
        ind = Indicator(level1=level1, level2=level2, level3=clean_level3(seg.text), span=seg.lines)
        project.indicators.append(ind)
        project.span = (project.span[0], seg.lines[1]) if project.span else seg.lines
        self.open = _Open(ind, last_line=seg.lines[1])

    def attach(self, seg: Segment) -> None:
        if self.open is None:
            if seg.role == "VAL":
                self.out.flags.append(Flag("value_without_name", "a target value with no indicator name before it",
                                           seg.lines[0], seg.text[:80]))
            return
        o, ind = self.open, self.open.indicator
        text = clean_value(seg.text)
        if seg.role == "VAL":
            if o.value is None:
                o.value = text
            else:
                ind.flags.append(Flag("second_value", "a second target value for this indicator was not kept",
                                      seg.lines[0], text[:80]))
        elif seg.role == "OP":
            o.op = o.op or comparator_op(text)
        elif seg.role == "UNIT":
            o.unit = o.unit or text
        elif seg.role == "ACT":
            ind.actual = ind.actual or text
        elif seg.role == "WT":
            if ind.score is None:
                ind.score = amount(text)
        elif seg.role == "DESC":
            ind.description = text if ind.description is None else ind.description
        elif seg.role == "PTS":
            pass  # points of a self-evaluation: not part of the record format yet
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
            target = self.project if self.project is not None and self.open is None else None
            attr = "name" if role == "PNAME" else "goal"
            if target is not None and getattr(target, attr):
                setattr(target, attr, getattr(target, attr) + text)
                return True
            return False
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
        elif role == "L1":
            self.finish_indicator()
            before = self.pending_level
            text = clean_level(seg.text)
            if before is not None and before.role == "L1" and standard_level1(before.text) is None \
                    and standard_level1(text) is not None:
                # an umbrella level printed over the framework's (实施效果指标 over 产出指标, 效益指标):
                # the framework names are its level 2
                self.umbrella = clean_level(before.text)
            if self.umbrella is not None and standard_level1(text) is not None:
                self.level1, self.level2 = self.umbrella, text
                self.pending_level = None
                return
            self.umbrella = None
            same_row = before is not None and before.role == "L2" and before.tokens[0].row == seg.tokens[0].row
            if not same_row:
                self.level_only_row()
            # a level-2 cell printed before its level-1 cell in the same row (a shifted row) stays
            self.level1, self.level2 = text, (self.level2 if same_row else None)
            self.pending_level = seg
        elif role == "L2":
            self.finish_indicator()
            if self.pending_level is not None and self.pending_level.role == "L2":
                self.level_only_row()
            self.level2 = clean_level(seg.text)
            self.pending_level = seg
            if self.level1 is None:
                std = standard_parent(self.level2)
                self.level1 = std if std and standard_level1(std) else None
        elif role == "L3":
            self.pending_level = None
            self.indicator(seg)
        elif role != "O":
            self.attach(seg)


def money_unit(tokens: list[Token]) -> float:
    """How budget amounts without a unit of their own are printed: 万元 (1.0) unless the document says 元."""
    text = "".join(t.text for t in tokens[:4000])
    if re.search(r"(金额)?单位[:：]?元|[（(]元[）)]", text) and not re.search(r"(金额)?单位[:：]?万元", text):
        return 1e-4
    return 1.0


def header_rows(tokens: list[Token]) -> set[int]:
    """Rows that are a table's column header: two or more header words (一级指标, 三级指标, 指标值 …)."""
    count: dict[int, int] = {}
    for t in tokens:
        if header_role(t.text):
            count[t.row] = count.get(t.row, 0) + 1
    return {r for r, n in count.items() if n >= 2}


def level_header_rows(tokens: list[Token], tags: list[str]) -> dict[int, dict[int, str]]:
    """Rows naming two or more level-1 groups side by side (成本指标 | 产出指标 | …) and no indicator:
    each maps the cells where a group's columns start to the group's name."""
    by_row: dict[int, dict[int, str]] = {}
    names_row: set[int] = set()
    for t, tag in zip(tokens, tags):
        if tag.endswith("L3"):
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


def title_names(tokens: list[Token]) -> dict[int, str]:
    """Rows printing a table title (…项目绩效目标表): the name printed before the title word."""
    words = set(content_words()["project_labels"]["title"])
    out: dict[int, str] = {}
    before: list[Token] = []
    for t in tokens:
        if t.sep == "row":
            before = []
        if compact(t.text) in words:
            name = clean_level3("".join(b.text for b in before))
            if len(name) >= 2 and not _GENERIC_TITLE.match(name):
                out[t.row] = name
        before.append(t)
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


def decode(tokens: list[Token], tags: list[str]) -> DecodedDocument:
    """Projects and indicators from a document's tokens and their tags."""
    decoder = _Decoder(money_unit(tokens))
    headers = header_rows(tokens)
    level_rows = level_header_rows(tokens, tags)
    last_header = None
    level_row = -10
    titles = title_names(tokens)
    decoder.has_headers = bool(headers)
    decoder.row_shifts = row_shifts(tokens, tags, level_rows)
    for seg in segments(tokens, tags):
        row = seg.tokens[0].row
        if row in titles and (decoder.project is None or decoder.project.indicators):
            decoder.title = titles[row]
            decoder.under_header = False
        if row in level_rows:
            level_row, decoder.column_levels = row, level_rows[row]
            continue
        if row in headers and row != last_header:
            if row - level_row > 3:
                decoder.column_levels = {}
            last_header = row
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
    out = decoder.out
    kept = [p for p in out.projects if _is_table(p)]
    for p in out.projects:
        if not _is_table(p):
            out.flags.append(Flag("not_a_table", f"{len(p.indicators)} name-like cells with no level or value "
                                  "were not read as indicators", p.span[0] if p.span else None,
                                  (p.indicators[0].level3 if p.indicators else p.name)[:80]))
    out.projects = kept
    return out
