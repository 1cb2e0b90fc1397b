"""Document facts outside the tables: the publishing bureau and the budget year, from labelled cells and the cover.

The bureau is read from the document's lines cut into cells: the label words (单位名称, 主管部门,
实施单位, 来源 …) are data in ``content_words.json``; the cells the content model tagged as the
bureau come in where no label names the unit itself (``choose_bureau`` gives the order).
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter

from perfkg.extract.text_normalise import compact
from perfkg.extract.vocabulary import content_words

# Greedy up to the last unit suffix: "某某市人力资源和社会保障局" must not stop at 社会.
_ORG = re.compile(
    r"([\u4e00-\u9fff（）()]{2,40}(?:局|委员会|办公室|中心|厅|院|所|站|委|馆|队|处|联合会|协会|政府|学校|中学|小学|医院|部(?!门)))"
)


def choose_bureau(candidates: list[str], lines: list[str]) -> str | None:
    """The publishing unit, from the most to the least direct evidence:

    1. a cell labelling the unit itself (单位名称, 预算单位 …: ``unit_labels``);
    2. a cell the content model tagged as the bureau, that reads as a unit's name (…局, …委员会) and
       follows none of the labels below (a unit column of a summary table); or the one unit a table
       lists under the department's code (部门:505_… over 505006 州民族特殊教育学校: ``_coded_subunits``);
    3. a page header naming the unit with a colon (部门: …: ``unit_colon_labels``);
    4. a project header's unit cells (主管部门, 实施单位 …: the ``bureau`` and ``implementer`` labels),
       the unit printed first where two are printed; a label qualified as a higher level's
       (中央主管部门, 省级主管部门: ``higher_unit_qualifiers``) names no candidate;
    5. the unit named by the document's title lines;
    6. the page's publisher (来源:, 发布机构: ``publisher_labels``), which may be the finance bureau
       publishing for every unit;
    7. the first tagged cell that is no higher level's unit."""
    cells = _LineCells([line for line in lines if line.strip()])
    own = _labelled_units(cells, _unit_labels())
    if own:
        return own.most_common(1)[0][0]
    higher: set[str] = set()
    colon = _labelled_units(cells, (), colon_keys=_colon_labels())
    table = _labelled_units(cells, _table_unit_labels(), higher=higher)
    publisher = _labelled_units(cells, (), colon_keys=_publisher_labels())
    explained = higher | set(colon) | set(table) | set(publisher)
    for text in candidates:
        t = _LEADING_CODE.sub("", re.sub(r"^.{0,8}[:：]", "", text))
        if (_ORG.fullmatch(t) or _ORG.fullmatch(_UNIT_TAIL.sub("", t))) and _UNIT_TAIL.sub("", t) not in explained \
                and t not in explained:
            return t
    coded = _coded_subunits(lines)
    if len(coded) == 1:
        return coded.pop()
    for votes in (colon, table):
        if votes:
            return votes.most_common(1)[0][0]  # a tie goes to the unit printed first
    return _cover_unit(lines) or (publisher.most_common(1)[0][0] if publisher else None) or \
        next((c for c in candidates if c not in higher), None)


def _coded_subunits(lines: list[str]) -> set[str]:
    """Units a table lists by a code that extends the code of the department its colon label names
    (部门:505_湘西州教育和体育局, then 505006州民族特殊教育学校30.00): a document listing one such unit is
    that unit's, published under its department."""
    codes = {m.group(1) for line in lines[:_HEADER_LINES] for m in _colon_code_pattern().finditer(line)}
    units: set[str] = set()
    for code in codes:
        row = re.compile(rf"^\s*{code}\d{{2,4}}[\s_|\t]*([\u4e00-\u9fff（）()]{{2,40}}?)(?=[\d\s|\t]|$)")
        for line in lines:
            m = row.match(unicodedata.normalize("NFKC", line))
            if m and _ORG.fullmatch(m.group(1)):
                units.add(m.group(1))
    return units


@functools.lru_cache(maxsize=1)
def _colon_code_pattern() -> re.Pattern:
    keys = "|".join(re.escape(k) for k in _colon_labels())
    return re.compile(rf"(?:{keys})[:：]\s*(\d{{2,8}})[_\-\s]")


_HEADER_LINES = 40  # the page header naming the department stands above the tables


_UNIT_TAIL = re.compile(r"(本级|机关|[（(]汇总[）)])$")
# a unit's name (up to 40 characters) with its code before it lies within this reach of its label
_NAME_REACH = 64
# a header row run together holds a few labels; a cell with more is no header (and is not searched on)
_LABELS_PER_CELL = 32
_CELLS_SEARCHED = 256  # a header row has a few dozen cells; a line of thousands is data
_LEADING_CODE = re.compile(r"^[\d_\-\[\]［］]+")
# cells of a line: tabs, pipes and runs of spaces delimit them (a unit's name has no space inside)
_CELL_BREAK = re.compile(r"[\t|｜]+|\s+")


def _line_cells(line: str) -> tuple[str, ...]:
    if len(line) <= _LINE_KEPT:
        return _kept_line_cells(line)
    return _cut_line(line)


_LINE_KEPT = 512  # lines up to this long keep their cells (a header line comes back document after document)


@functools.lru_cache(maxsize=16384)
def _kept_line_cells(line: str) -> tuple[str, ...]:
    return _cut_line(line)


def _cut_line(line: str) -> tuple[str, ...]:
    return tuple(c for c in (_plain(x) for x in _CELL_BREAK.split(unicodedata.normalize("NFKC", line))) if c)


class _LineCells:
    """The cells of each line, cut when first asked for: only lines holding a label's first
    character, and the lines after them, are ever cut."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        self.cut: dict[int, tuple[str, ...]] = {}

    def __len__(self) -> int:
        return len(self.lines)

    def __getitem__(self, n: int) -> tuple[str, ...]:
        if n not in self.cut:
            self.cut[n] = _line_cells(self.lines[n])
        return self.cut[n]

    def may_hold(self, n: int, chars: frozenset[str]) -> bool:
        return not chars.isdisjoint(self.lines[n])


@functools.lru_cache(maxsize=1)
def _unit_labels() -> tuple[str, ...]:
    """Labels naming the publishing unit itself, longest first (``content_words.json``)."""
    return _longest_first(content_words()["unit_labels"])


@functools.lru_cache(maxsize=1)
def _colon_labels() -> tuple[str, ...]:
    """Words that label the unit only when a colon follows them (部门: …), longest first."""
    return _longest_first(content_words()["unit_colon_labels"])


@functools.lru_cache(maxsize=1)
def _table_unit_labels() -> tuple[str, ...]:
    """Labels of a unit in a project header (主管部门, 实施单位 …), the unit's own labels excepted."""
    own = set(_unit_labels())
    words = content_words()["project_labels"]["bureau"] + content_words()["project_labels"]["implementer"]
    return tuple(w for w in _longest_first(words) if w not in own)


@functools.lru_cache(maxsize=1)
def _publisher_labels() -> tuple[str, ...]:
    return _longest_first(content_words()["publisher_labels"])


@functools.lru_cache(maxsize=1)
def _every_label() -> tuple[str, ...]:
    """Every project-header label of three characters or more: where one starts inside a value, the value ends."""
    words = [w for ws in content_words()["project_labels"].values() for w in ws]
    return tuple(w for w in _longest_first(words) if len(w) >= 3)


def _longest_first(words: list[str]) -> tuple[str, ...]:
    return tuple(sorted({_plain(w) for w in words}, key=len, reverse=True))


def _plain(text: str) -> str:
    return compact(unicodedata.normalize("NFKC", text))


def _labelled_units(cells: _LineCells, keys: tuple[str, ...], colon_keys: tuple[str, ...] = (),
                    higher: set[str] | None = None) -> Counter[str]:
    """How often each unit name follows one of ``keys``: a cell that is the label (the value is the
    next cell, or the next line when the label is alone on its line), ends with it (项目主管部门), or
    begins with it (cells run together: 主管部门襄阳市卫生健康委…); ``colon_keys`` count only with a
    colon after them (部门:…). A label qualified as a higher level's (中央主管部门) is no vote: its
    value goes into ``higher``. A leading unit code (324001-) is not part of the name."""
    votes: Counter[str] = Counter()
    qualifiers = tuple(content_words()["higher_unit_qualifiers"])
    any_label = re.compile("|".join([re.escape(k) for k in keys] + [re.escape(k) + ":" for k in colon_keys]))
    first_chars = frozenset(k[0] for k in keys + colon_keys)
    for n in range(len(cells)):
        if not cells.may_hold(n, first_chars):
            continue  # no label can begin in this line: it is not cut into cells
        row = cells[n]
        if not any_label.search("".join(row[:_CELLS_SEARCHED])):
            continue
        for k, cell in enumerate(row[:_CELLS_SEARCHED]):
            for at, key in _labels_in(cell, keys, colon_keys):
                rest = cell[at + len(key):].lstrip(":")
                if not rest:
                    if k + 1 < len(row):
                        rest = row[k + 1]
                    elif len(row) == 1 and n + 1 < len(cells):
                        rest = next(iter(cells[n + 1]), "")
                unit = _unit_name(rest[:_NAME_REACH])
                if unit is None:
                    continue
                if cell[:at].endswith(qualifiers):
                    if higher is not None:
                        higher.add(unit)
                    continue
                votes[unit] += 1
    return votes


def _labels_in(cell: str, keys: tuple[str, ...], colon_keys: tuple[str, ...]) -> list[tuple[int, str]]:
    """Where labels are in a cell, in reading order: the whole cell, its beginning (a value run on)
    and, for keys of three characters or more, its ending (a longer label: 项目主管部门) or anywhere
    inside (cells run together); ``colon_keys`` only at the beginning with a colon after them."""
    found = [(0, key) for key in colon_keys if cell.startswith(key + ":")][:1]
    for key in keys:  # longest first: a shorter label inside a longer one found already is not read
        at = cell.find(key)
        while at >= 0:
            if (at == 0 or len(key) >= 3) and not any(a <= at < a + len(k) for a, k in found):
                found.append((at, key))
                if len(found) >= _LABELS_PER_CELL:
                    return sorted(found)
            at = cell.find(key, at + len(key))
    return sorted(found)


def _unit_name(text: str) -> str | None:
    """The unit's name a value cell begins with, up to the next label run into it."""
    text = _LEADING_CODE.sub("", text)
    cut = min((at for at in (text.find(w) for w in _every_label()) if at > 0), default=len(text))
    m = _ORG.match(_UNIT_TAIL.sub("", text[:cut]))
    return m.group(1) if m else None


@functools.lru_cache(maxsize=1)
def _bureau_keys() -> tuple[str, ...]:
    """Every label a unit's name may follow, of three characters or more (a bare 部门 in a line is
    any "部门预算"), longest first."""
    return tuple(w for w in _unit_labels() + _table_unit_labels() if len(w) >= 3)


_TITLE_CHARS = 400  # the part of a head line searched for the unit's name
_SENTENCE_MARK = re.compile(r"[，。；;！!？?]|,(?!\d)")  # a comma between digits is a thousands separator


def _cover_unit(lines: list[str]) -> str | None:
    """The unit named by the document's title lines (a title may wrap onto the next line)."""
    head = [compact(x) for x in lines[:20] if compact(x)][:8]
    for i, line in enumerate(head):
        if _SENTENCE_MARK.search(line[:_TITLE_CHARS]):
            continue  # a sentence (人才驿站补助资金到位率…为100%，如下图), not a title
        for text in (line + (head[i + 1] if i + 1 < len(head) else ""), line):
            if "\t" in text or any(key in text for key in _bureau_keys() + ("目录", "项目名称")):
                continue
            # a title names its unit near its start; on a line of a million characters the search
            # for a unit name (up to 40 characters before each suffix) would take seconds
            text = text[:_TITLE_CHARS]
            text = re.sub(r"(部门|单位)?(预算|决算).*$", "", text)  # the title ends "…局部门预算"
            text = re.sub(r"\d{4}\s*年(度)?", "", text)
            m = _ORG.search(text)
            if m and len(m.group(1)) >= 4:
                return m.group(1)
    return None


def find_year(lines: list[str]) -> int | None:
    """The budget year: the first 20xx in the document head, else the most frequent 20xx年."""
    for line in lines[:40]:
        m = re.search(r"(20\d{2})\s*年|预算年度[:：]?\s*(20\d{2})", line)
        if m:
            return int(m.group(1) or m.group(2))
    years = Counter(int(y) for y in re.findall(r"(20\d{2})\s*年", "\n".join(lines)))
    return years.most_common(1)[0][0] if years else None
