"""The content model: how strongly each token reads as a level name, an indicator name, a target
value, an actual result, a weight, a project-header field or furniture — the only place cells are scored.

Its knowledge is data (the framework vocabulary, the value grammar, header and label words in
``extract/data/``); its weights are estimated: a linear-chain CRF (python-crfsuite) fitted on
labelled tokens of the seeds, the dev set and generated documents by
``python -m perfkg.extract.content_training`` (``make model``), stored in
``extract/data/content_model.crfsuite``. The tags are BIO over the roles in :data:`ROLES`. A document is
tagged by :mod:`perfkg.extract.crf_tagger` (crfsuite's Viterbi in numpy over that file's weights: the same
tags, faster than python-crfsuite with its strings), or by python-crfsuite where it cannot read it.
"""
from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from importlib import resources
from typing import Any, NamedTuple

import pycrfsuite

from perfkg.extract import limits
from perfkg.extract.crf_tagger import CrfWeights, ModelFormatError
from perfkg.extract.target_values import looks_like_value, parse_quantity
from perfkg.extract.tokens import DELIMITERS, Token, display_width
from perfkg.extract.vocabulary import (
    content_words,
    header_role,
    qualitative_values,
    standard_level1,
    standard_level2,
    standard_parent,
)

# What a token can be. Indicator rows: L1, L2, L3 (the indicator's name), VAL (target value, or
# its number where comparator and unit have columns of their own), OP, UNIT, ACT (actual result),
# WT (weight), PTS (points), DESC (description, basis, scoring rule, remark, value type).
# Project header: PNAME, PCODE, BT / BF / BO (budget total / fiscal / other), GOAL; BUR: bureau.
ROLES = ("L1", "L2", "L3", "VAL", "OP", "UNIT", "ACT", "WT", "PTS", "DESC",
         "PNAME", "PCODE", "BT", "BF", "BO", "GOAL", "BUR")
MODEL_FILE = "data/content_model.crfsuite"

_NUMBER = re.compile(r"^[+-]?\d+(?:,\d{3})*(?:\.\d+)?$")
_DATE = re.compile(r"\d{4}年|\d{1,2}月\d{1,2}日|\d{4}[-/.]\d{1,2}")
_SENTENCE = re.compile(r"[，。；,;、]")
_SCORING = re.compile(r"[得扣]\d*分|(?<!\d)\d+分")  # the look-behind keeps a long digit run linear
_NAME_END = re.compile(r"(率|性|度|数|量|额|次|面积|时间|时限|比例|比重|成本|标准|费用|人数|户数)$")
_COMPARATOR_ONLY = re.compile(r"^(?:[≥≤><=＝＞＜≧≦⩾⩽]{1,2}|大于|小于|等于|不低于|不高于|不少于|不超过|定性|定量|═)$")
_COMPARATOR_START = re.compile(r"^(?:[≥≤><=＝＞＜≧≦⩾⩽]|不低于|不少于|不超过|不高于|不大于|不小于|大于|小于|达到|≧)")
_MONEY = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+\.\d{2}$")
_AFTER_NUMBER = re.compile(r"[^\d.].*$")
_CJK_CHAR = re.compile("[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
_ORG_END = re.compile(r"(局|委员会|委|中心|政府|医院|学校|协会|联合会|办公室|公司|所|站|队|院)$")
_PROJECT_END = re.compile(r"(项目|资金|经费|补助|补贴|工程|费)$")


@functools.lru_cache(maxsize=1)
def _marker() -> re.Pattern:
    return re.compile(content_words()["marker_pattern"])


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    for e in edges:
        if n <= e:
            return str(e)
    return f">{edges[-1]}"


@functools.lru_cache(maxsize=None)
def _bucket_table(prefix: str, edges: tuple[int, ...]) -> tuple[str, ...]:
    """``prefix`` + the bucket of every n from 0 to one past the last edge (the last entry: beyond it)."""
    return tuple(prefix + _bucket(n, edges) for n in range(edges[-1] + 2))


def _pick(table: tuple[str, ...], n: int) -> str:
    """``table``'s string for ``n``: ``prefix + _bucket(n, edges)`` without making it (edges start at 0 or more)."""
    return table[n] if 0 <= n < len(table) else table[-1 if n > 0 else 0]


_LEN = _bucket_table("len=", (1, 2, 4, 6, 10, 16, 30))
_CJK = _bucket_table("cjk=", (0, 3, 7, 9, 10))
_DIG = _bucket_table("dig=", (0, 3, 7, 9, 10))
_MAG = _bucket_table("mag=", (1, 2, 3, 4, 6, 8))
_UNIT_NO = _bucket_table("unit=", (0, 1, 2, 3))
_UNITS = _bucket_table("units=", (1, 2, 3, 5, 8))
_BLANK = _bucket_table("blank=", (0, 1))
_EMPTY = _bucket_table("empty=", (0, 1))
_WIDTH = _bucket_table("w=", (2, 4, 8, 16, 32, 60))
_NLVL = _bucket_table("nlvl=", (0, 1, 3, 6))
_NQTY = _bucket_table("nqty=", (0, 1, 3, 6))
_NHDR = _bucket_table("nhdr=", (0, 1, 3))
_SINCE = _bucket_table("", (0, 2, 10, 40))


@functools.lru_cache(maxsize=1)
def _label_fields() -> dict[str, str]:
    index: dict[str, str] = {}
    for fld, words in content_words()["project_labels"].items():
        for w in words:
            index.setdefault(_plain(w), fld)
    return index


@functools.lru_cache(maxsize=1)
def _units() -> frozenset[str]:
    return frozenset(content_words()["units"])


_PLAIN_DROP = re.compile(r"[\s:：()（）\[\]【】*]")


def _plain(text: str) -> str:
    return _PLAIN_DROP.sub("", unicodedata.normalize("NFKC", text))


@functools.lru_cache(maxsize=65536)
def label_field(text: str) -> tuple[str | None, str | None]:
    """(field of a label equal to the token, field of a label the token starts with)."""
    plain = _plain(text)
    fields = _label_fields()
    exact = fields.get(plain)
    start = None
    if exact is None:
        for n in range(min(len(plain), 10), 1, -1):
            if plain[:n] in fields:
                start = fields[plain[:n]]
                break
    return exact, start


@functools.lru_cache(maxsize=65536)
def label_suffix_field(text: str) -> str | None:
    """The field of the longest label (four characters or more) a short cell ends with: 年度本级预算金额
    and 项目预算金额 end with 预算金额, 转移(项目)名称 with 项目名称."""
    plain = _plain(text)
    if len(plain) > 16 or re.search(r"\d", plain):
        return None
    for n in range(len(plain) - 1, 3, -1):
        field = _label_fields().get(plain[-n:])
        if field:
            return field
    return None


@functools.lru_cache(maxsize=65536)
def token_shape(text: str) -> tuple[str, ...]:
    """The features of a token's own text (no context)."""
    t = unicodedata.normalize("NFKC", text)
    f: list[str] = [_pick(_LEN, len(t))]
    chars = Counter(t) if len(t) > 256 else None  # a long cell: each distinct character tested once
    if chars is None:
        cjk = len(_CJK_CHAR.findall(t))
        digits = sum(map(str.isdigit, t))
    else:
        cjk = sum(n for c, n in chars.items() if "\u4e00" <= c <= "\u9fff")
        digits = sum(n for c, n in chars.items() if c.isdigit())
    f.append(_pick(_CJK, round(10 * cjk / max(1, len(t)))))
    f.append(_pick(_DIG, round(10 * digits / max(1, len(t)))))
    l1, l2 = standard_level1(text), standard_level2(text)
    if l1:
        f += ["lvl1", f"lvl1={l1}"]
    if l2:
        f += ["lvl2", f"lvl2parent={standard_parent(text)}"]
    if t.endswith(("指标", "目标")):
        f.append("end=指标")
    role = header_role(text)
    if role:
        f += ["hdr", f"hdr={role}"]
    exact, start = label_field(text)
    if exact:
        f += ["label", f"label={exact}"]
    elif start:
        f.append(f"labelstart={start}")
    q = parse_quantity(t)
    if q is not None:
        op, num, unit = q
        unit_kind = 'none' if unit is None else ('%' if unit in '%‰' else ('money' if '元' in unit else 'other'))
        f += ["qty", f"qop={op}", f"qunit={unit_kind}"]
        digits = len(_AFTER_NUMBER.sub("", t.lstrip("≥≤><=＝＞＜≧≦ ")).split(".")[0])  # never int() of a huge number
        f.append(_pick(_MAG, digits))
    elif looks_like_value(text):
        f.append("valuelike")
    if _NUMBER.match(t):
        f.append("number")
        if _MONEY.match(t):
            f.append("money")
    if _DATE.search(t):
        f.append("date")
    if _COMPARATOR_ONLY.match(t):
        f.append("oponly")
    if _COMPARATOR_START.match(t):
        f.append("opstart")
    if t in _units():
        f.append("unitonly")
    quals = qualitative_values()
    if t in quals:
        f.append("qual")
    elif any(t[-n:] in quals for n in range(2, min(len(t), 6) + 1)):
        f.append("qualend")
    if _SENTENCE.search(t):
        f.append("sentence")
    if t.endswith(("。", ".")):
        f.append("period")
    if t.startswith("反映"):
        f.append("reflect")
    if _SCORING.search(t):
        f.append("scoring")
    if t[:1] in "(（" and t[-1:] in ")）":
        f.append("bracketed")
    if _marker().match(t):
        f.append("marker")
    if _NAME_END.search(t):
        f.append("nameend")
    if "满意" in t:
        f.append("satisf")
    if _LATIN.search(t):
        f.append("latin")
    if _ORG_END.search(t):
        f.append("orgend")
    if _PROJECT_END.search(t):
        f.append("projend")
    f += [f"c0={t[:1]}", f"c-1={t[-1:]}", f"c-2={t[-2:]}"]
    return tuple(f)


class _TextFeatures(NamedTuple):
    """What the features need of one token text, made once per distinct text (:func:`_text_features`)."""

    shape: tuple  # token_shape (as text; in the tagger's form, its attribute rows)
    near: tuple[tuple, ...]  # the shape as a neighbour at distance -2, -1, 1, 2 (_near_shape)
    width: Any  # the w= feature
    level: bool  # a level name (lvl1 or lvl2), for the region counts
    quantity: bool  # a quantity or a qualitative value
    header: bool
    label: bool


_NEAR = (-2, -1, 1, 2)
_EDGE = tuple(f"{d}:edge" for d in _NEAR)


@functools.lru_cache(maxsize=65536)
def _as_neighbour(feature: str) -> tuple[str, str, str, str]:
    """A feature of a neighbour's text at distance -2, -1, 1, 2 (one string each, shared by every text)."""
    return f"-2:{feature}", f"-1:{feature}", f"1:{feature}", f"2:{feature}"


@functools.lru_cache(maxsize=65536)
def _text_features(text: str) -> _TextFeatures:
    shape = token_shape(text)
    # a neighbour's features, prefixed by its distance; the far ones without their characters (c…)
    near = list(map(_as_neighbour, shape))
    _, before, after, _ = zip(*near)  # a shape always has its len=, cjk=, dig= … features: never empty
    far_before, _, _, far_after = zip(*(n for s, n in zip(shape, near) if not s.startswith("c")))
    return _TextFeatures(shape, (far_before, before, after, far_after), _pick(_WIDTH, display_width(text)),
                         *_shape_kinds(shape))


def _shape_kinds(shape: tuple[str, ...]) -> tuple[bool, bool, bool, bool]:
    """What the region counts read of a shape (_TextFeatures.level, .quantity, .header, .label)."""
    return "lvl1" in shape or "lvl2" in shape, "qty" in shape or "qual" in shape, "hdr" in shape, "label" in shape


@functools.lru_cache(maxsize=65536)
def _header_cell_role(text: str) -> str | None:
    """What a header cell names: an indicator column (level1, value …) or a project field (p:name …)."""
    role = header_role(text)
    if role:
        return role
    exact, start = label_field(text)
    return f"p:{exact or start}" if (exact or start) else None


def _column_roles(tokens: list[Token]) -> list[tuple[str, str, str, str]]:
    """Each token's column by the header rows above it: (from the left, from the right, by offset,
    by cell index); the cell roles of a header printed over several rows are merged."""
    rows: dict[int, list[int]] = {}
    for i, t in enumerate(tokens):
        rows.setdefault(t.row, []).append(i)
    out: list[tuple[str, str, str, str]] = [("-", "-", "-", "-")] * len(tokens)
    wrapped = _wrapped_header_texts(tokens, rows)
    header: tuple[list[str], list[tuple[int, str]]] | None = None
    cells: dict[int, str] = {}
    last_header_row = -10
    ordered = False  # the header's offsets never decrease: the last one at or before a token is found by bisection
    starts: list[int] = []
    for row in sorted(rows):
        idx = rows[row]
        units = [i for i in idx if tokens[i].sep != "glue"]
        if row in wrapped.skip:
            last_header_row = row  # the rest of the header's words, wrapped under their cells
            continue
        roles = [_header_cell_role(wrapped.texts.get(i, tokens[i].text)) for i in units]
        found = [r for r in roles if r is not None]
        if len(found) >= 3 or (len(found) == 2 and not any(r.startswith("p:") for r in found)):
            header = ([r or "other" for r in roles], [(tokens[i].offset, r or "other") for i, r in zip(units, roles)])
            starts = [off for off, _ in header[1]]
            ordered = all(a <= b for a, b in zip(starts, starts[1:]))
            if row - last_header_row > 2:
                cells = {}
            cells.update({tokens[i].cell: r for i, r in zip(units, roles) if r})
            last_header_row = row
            continue
        if header is None:
            continue
        names, offsets = header
        unit_no = -1
        for i in idx:
            if tokens[i].sep != "glue":
                unit_no += 1
            left = names[unit_no] if 0 <= unit_no < len(names) else "none"
            right_no = len(units) - 1 - unit_no
            right = names[len(names) - 1 - right_no] if 0 <= right_no < len(names) else "none"
            by_offset = "none"
            if ordered:
                at = bisect.bisect_right(starts, tokens[i].offset + 1)
                if at:
                    by_offset = offsets[at - 1][1]
            else:
                for off, r in offsets:
                    if off <= tokens[i].offset + 1:
                        by_offset = r
            out[i] = (left, right, by_offset, cells.get(tokens[i].cell, "none"))
    return out


class _WrappedHeader(NamedTuple):
    texts: dict[int, str]  # a header cell's token -> its text with the wrapped rest under it (一级 + 指标)
    skip: set[int]  # the rows holding only such rests


def _wrapped_header_texts(tokens: list[Token], rows: dict[int, list[int]]) -> _WrappedHeader:
    """A column header wrapped in its cells (一级 | 二级 | 三级 over 指标 | 指标 | 指标): where every cell of a
    row sits under a cell of the row above (the same cell of a delimited row, or the same display
    columns) and joined to it makes a header word the upper piece alone is not, the joined text is the
    cell's header text and the lower row is part of the header."""
    texts: dict[int, str] = {}
    skip: set[int] = set()
    ordered = sorted(rows)
    for upper, lower in zip(ordered, ordered[1:]):
        if lower != upper + 1 or upper in skip:
            continue
        above = [i for i in rows[upper] if tokens[i].sep != "glue"]
        below = [i for i in rows[lower] if tokens[i].sep != "glue"]
        if len(below) < 2 or len(below) > len(above):
            continue
        delimited = any(tokens[k].sep in DELIMITERS for k in (*above, *below))
        pairs = [(_cell_above(tokens, above, j, delimited), j) for j in below]
        if any(i is None for i, _ in pairs):
            continue
        joined = {i: _cell_text(tokens, rows[upper], i) + _cell_text(tokens, rows[lower], j)
                  for i, j in pairs if i is not None}
        if any(header_role(t) and not header_role(tokens[i].text) for i, t in joined.items()) \
                and all(_header_cell_role(t) or not _header_cell_role(tokens[j].text)
                        for (i, j), t in zip(pairs, joined.values())):
            texts.update(joined)
            skip.add(lower)
    return _WrappedHeader(texts, skip)


def _cell_text(tokens: list[Token], row: list[int], i: int) -> str:
    """The text of the cell token ``i`` opens in its row: it and the pieces glued to it."""
    k = row.index(i) + 1
    while k < len(row) and tokens[row[k]].sep == "glue":
        k += 1
    return "".join(tokens[n].text for n in row[row.index(i):k])


def _cell_above(tokens: list[Token], above: list[int], j: int, delimited: bool) -> int | None:
    """The token of ``above`` whose cell the token ``j`` of the next row continues: the same cell index in
    a delimited row, else the piece whose display columns hold j's first column."""
    t = tokens[j]
    if delimited:
        same = [i for i in above if tokens[i].cell == t.cell]
        return same[0] if len(same) == 1 else None
    for i in above:
        start = tokens[i].offset
        if start - 1 <= t.offset < start + max(display_width(tokens[i].text), 2):
            return i
    return None


@functools.lru_cache(maxsize=4096)
def _column_features(roles: tuple[str, str, str, str]) -> tuple[str, str, str, str]:
    left, right, by_offset, by_cell = roles
    return f"colL={left}", f"colR={right}", f"colO={by_offset}", f"colC={by_cell}"


# A grid cell is cut as surely as a tab-separated one: the model sees both alike.
_SEP_FEATURE = {"cell": "tab"}


@functools.lru_cache(maxsize=64)
def _sep_features(sep: str) -> tuple[str, ...]:
    """A separator's features: the token's own (sep=…), then as a neighbour at distance -2, -1, 1, 2."""
    name = _SEP_FEATURE.get(sep, sep)
    return (f"sep={name}", *(f"{d}:sep={name}" for d in _NEAR))


def _document_style(tokens: list[Token]) -> str:
    """The separator most of the document's tokens are cut by; a line the splitters cut at their cell
    limit (``too_many_cells``: ten thousand pieces of junk) has no say in it."""
    limit = limits.current().max_line_cells
    per_row = Counter(t.row for t in tokens)
    seps = Counter(_SEP_FEATURE.get(t.sep, t.sep) for t in tokens if t.sep != "row" and per_row[t.row] <= limit)
    if not seps:
        return "none"
    return seps.most_common(1)[0][0]


def _density(flags: list[bool], reach: int) -> list[int]:
    """For every position, how many flagged positions lie within ``reach`` of it."""
    prefix = [0, *itertools.accumulate(map(int, flags))]
    n = len(flags)
    # position i counts the flags from max(0, i - reach) up to min(n, i + reach + 1)
    high = prefix[reach + 1:] + [prefix[n]] * min(n, reach)
    low = [0] * min(n, reach) + prefix[:max(0, n - reach)]
    return list(map(operator.sub, high[:n], low))


def _bucketed(table: tuple[str, ...], counts: list[int]) -> list[str]:
    """:func:`_pick` of every count (none below zero)."""
    last = len(table) - 1
    return [table[n] if n < last else table[last] for n in counts]


def _rows_since(tokens: list[Token], flags: list[bool], table: tuple, none: str | bytes) -> list:
    """The bucket in ``table`` (:data:`_SINCE` with a prefix) of the rows between each token and the last
    flagged token before it; ``none`` if there is none."""
    last_entry = len(table) - 1
    out, last = [], None
    for t, f in zip(tokens, flags):
        if last is None:
            out.append(none)
        else:
            n = t.row - last
            out.append(table[n] if 0 <= n < last_entry else table[last_entry if n > 0 else 0])
        if f:
            last = t.row
    return out


class _Form(NamedTuple):
    """The feature strings a token's list is made of, in one form: text (what the features are, for
    training, python-crfsuite and the checks) or the model's attribute rows as bytes (what the numpy
    tagger adds up: :func:`_id_form`). The same lists either way, piece for piece in the same order."""

    bias: Any
    rowend: Any
    edge: tuple  # _EDGE
    unit_no: tuple  # the bucket tables, as _UNIT_NO …
    units: tuple
    blank: tuple
    empty: tuple
    nlvl: tuple
    nqty: tuple
    nhdr: tuple
    since: dict[str, tuple[tuple, Any]]  # prefix → (its bucket table, its 'none' string)
    style: Callable[[str], Any]
    text_features: Callable[[str], _TextFeatures]
    column_features: Callable[[tuple[str, str, str, str]], tuple]
    sep_features: Callable[[str], tuple]


_SINCE_PREFIXES = ("shdr=", "slvl=", "slab=")
_TEXT = _Form("bias", "rowend", _EDGE, _UNIT_NO, _UNITS, _BLANK, _EMPTY, _NLVL, _NQTY, _NHDR,
              {p: (_bucket_table(p, (0, 2, 10, 40)), f"{p}none") for p in _SINCE_PREFIXES},
              lambda style: f"style={style}", _text_features, _column_features, _sep_features)
def _region_context(tokens: list[Token], texts: list[_TextFeatures], form: _Form = _TEXT) -> tuple[list, ...]:
    """Where each token stands: among level names and values (a table), or far from any (prose, other
    tables), as counts and buckets: each token's six region feature strings, by kind."""
    level = [x.level for x in texts]
    hdr = [x.header for x in texts]
    since = form.since
    return (_bucketed(form.nlvl, _density(level, 30)), _bucketed(form.nqty, _density([x.quantity for x in texts], 15)),
            _bucketed(form.nhdr, _density(hdr, 60)),
            _rows_since(tokens, hdr, *since["shdr="]), _rows_since(tokens, level, *since["slvl="]),
            _rows_since(tokens, [x.label for x in texts], *since["slab="]))


class _Context:
    """What the features of a token need from the whole document, computed once per document; the
    feature lists themselves (some fifty strings per token) are made only for the chunk being tagged,
    in the form asked for (text, or UTF-8 for the tagger)."""

    def __init__(self, tokens: list[Token], form: _Form = _TEXT):
        self.tokens = tokens
        self.form = form
        self.texts = list(map(form.text_features, [t.text for t in tokens]))
        self.regions = _region_context(tokens, self.texts, form)
        self.columns = _column_roles(tokens)
        self.style = form.style(_document_style(tokens))
        self.rows_units: dict[int, int] = Counter(t.row for t in tokens if t.sep != "glue")

    def features(self, start: int, end: int) -> list[list]:
        """The CRF's feature strings of tokens[start:end]; ``start`` is the first token of a row."""
        tokens, texts, style, rows_units, form = self.tokens, self.texts, self.style, self.rows_units, self.form
        nlvl, nqty, nhdr, shdr, slvl, slab = self.regions
        columns = self.columns
        bias, rowend, edge, unit_table, units_table, blank_table, empty_table = form[:7]
        # the buckets of the counts below (never negative) picked inline: a call a count is a tenth of the time
        last_unit, last_blank, last_empty = len(unit_table) - 1, len(blank_table) - 1, len(empty_table) - 1
        row_units = {row: _pick(units_table, count) for row, count in rows_units.items()}
        no_units = _pick(units_table, 0)  # (a row of glued pieces only, as no splitter makes)
        column_features = form.column_features
        n = len(tokens)
        seps = list(map(form.sep_features, [tokens[j].sep for j in range(max(0, start - 2), min(n, end + 2))]))
        base = max(0, start - 2)  # seps[j - base] is token j's
        feats: list[list] = []
        unit_no = 0
        for i in range(start, end):
            t = tokens[i]
            sep = t.sep
            unit_no = 0 if sep == "row" else unit_no + (sep != "glue")
            own = texts[i]
            blank, empty = t.blank_before, t.empty_before
            head = (bias, seps[i - base][0], style, unit_table[unit_no if unit_no < last_unit else last_unit],
                    row_units.get(t.row, no_units), blank_table[blank if blank < last_blank else last_blank],
                    empty_table[empty if empty < last_empty else last_empty], own.width)
            if 2 <= i < n - 2:  # four neighbours (all but the first and last two tokens): one list display
                f = [*head, *own.shape, nlvl[i], nqty[i], nhdr[i], shdr[i], slvl[i], slab[i],
                     *column_features(columns[i]),
                     *texts[i - 2].near[0], seps[i - 2 - base][1], *texts[i - 1].near[1], seps[i - 1 - base][2],
                     *texts[i + 1].near[2], seps[i + 1 - base][3], *texts[i + 2].near[3], seps[i + 2 - base][4]]
            else:
                f = [*head, *own.shape, nlvl[i], nqty[i], nhdr[i], shdr[i], slvl[i], slab[i],
                     *column_features(columns[i])]
                for k, d in enumerate(_NEAR):
                    j = i + d
                    if 0 <= j < n:
                        f += texts[j].near[k]
                        f.append(seps[j - base][k + 1])
                    else:
                        f.append(edge[k])
            if i + 1 < n and tokens[i + 1].row != t.row:
                f.append(rowend)
            feats.append(f)
        return feats


def document_features(tokens: list[Token]) -> list[list[str]]:
    """The CRF's feature strings for every token of a document, with context."""
    return _Context(tokens).features(0, len(tokens))


# Tokens tagged as one sequence. A document holds a few thousand (the largest seed about 2,500), so
# it is one chunk and tagged exactly as the model was fitted; a far longer one is tagged in chunks cut
# at row starts, so the feature strings in memory at once stay bounded (some 4 KB a token).
CHUNK_TOKENS = 20_000


def _chunks(tokens: list[Token], size: int) -> list[tuple[int, int]]:
    """(start, end) ranges of at least ``size`` tokens (the last may be shorter), each starting a row."""
    out, start = [], 0
    while start < len(tokens):
        end = min(len(tokens), start + size)
        while end < len(tokens) and tokens[end].row == tokens[end - 1].row:
            end += 1  # a row is never split: its tokens read each other's columns and units
        out.append((start, end))
        start = end
    return out


_model_override: list[str] = []


def use_model(path: str | None) -> None:
    """Tag with the model file at ``path`` from now on (None: the packaged model); for cross-validation."""
    _model_override[:] = [path] if path else []
    _tagger.cache_clear()
    _weights.cache_clear()
    _id_form.cache_clear()


@functools.lru_cache(maxsize=1)
def _tagger() -> pycrfsuite.Tagger:
    tagger = pycrfsuite.Tagger()
    if _model_override:
        tagger.open(_model_override[0])
        return tagger
    path = resources.files("perfkg.extract").joinpath(MODEL_FILE)
    with resources.as_file(path) as p:
        tagger.open(str(p))
    return tagger


@functools.lru_cache(maxsize=1)
def _weights() -> CrfWeights | None:
    """The model's weights for the numpy tagger (:mod:`crf_tagger`); None when its file is not in the
    crfsuite format that reader knows (then python-crfsuite tags)."""
    try:
        if _model_override:
            return CrfWeights.read(_model_override[0])
        with resources.as_file(resources.files("perfkg.extract").joinpath(MODEL_FILE)) as p:
            return CrfWeights.read(p)
    except ModelFormatError:
        return None


@functools.lru_cache(maxsize=1)
def _id_form() -> _Form:
    """The feature strings as the model's attribute numbers (:meth:`CrfWeights.attribute`, a few bytes
    each), what the numpy tagger adds up; a text's features found once per distinct text, as one string
    of bytes (so a token's list holds some twenty pieces, not sixty strings)."""
    weights = _weights()
    assert weights is not None
    number = weights.attribute

    def each(strings: tuple[str, ...]) -> tuple[bytes, ...]:
        return tuple(map(number, strings))

    def joined(strings: tuple[str, ...]) -> tuple[bytes]:
        return (b"".join(map(number, strings)),)

    @functools.lru_cache(maxsize=65536)
    def feature_rows(feature: str) -> tuple[bytes, bytes, bytes, bytes, bytes]:
        """A text feature's row, then its rows as a neighbour's at distance -2, -1, 1, 2 (shared by every text)."""
        far_before, before, after, far_after = _as_neighbour(feature)
        return number(feature), number(far_before), number(before), number(after), number(far_after)

    @functools.lru_cache(maxsize=65536)
    def text_features(text: str) -> _TextFeatures:
        # as _text_features: the near features -1 and 1 of all of the shape, -2 and 2 of all but c…
        shape = token_shape(text)
        rows = list(map(feature_rows, shape))
        far = [r for f, r in zip(shape, rows) if not f.startswith("c")]
        near = ((b"".join([r[1] for r in far]),), (b"".join([r[2] for r in rows]),),
                (b"".join([r[3] for r in rows]),), (b"".join([r[4] for r in far]),))
        return _TextFeatures((b"".join([r[0] for r in rows]),), near, number(_pick(_WIDTH, display_width(text))),
                             *_shape_kinds(shape))

    since = {p: (each(table), number(none)) for p, (table, none) in _TEXT.since.items()}
    return _Form(number("bias"), number("rowend"), each(_EDGE), each(_UNIT_NO), each(_UNITS), each(_BLANK),
                 each(_EMPTY), each(_NLVL), each(_NQTY), each(_NHDR), since,
                 lambda style: number(f"style={style}"), text_features,
                 functools.lru_cache(maxsize=4096)(lambda roles: joined(_column_features(roles))),
                 functools.lru_cache(maxsize=64)(lambda sep: each(_sep_features(sep))))


def model_summary() -> str:
    """What the packaged model is: its file, size, labels and number of weighted features."""
    info = _tagger().info()
    size = 0
    if not _model_override:  # as_file: a packaged resource need not be a file on disk (a zip import)
        with resources.as_file(resources.files("perfkg.extract").joinpath(MODEL_FILE)) as path:
            size = path.stat().st_size
    return (f"{MODEL_FILE} ({size // 1024} KiB), {len(info.labels)} tags, "
            f"{len(info.state_features)} state features, {len(info.transitions)} transitions")


def tag_tokens(tokens: list[Token]) -> list[str]:
    """The most likely BIO tag of every token (``B-L3``, ``I-VAL``, ``O`` …)."""
    if not tokens:
        return []
    weights = _weights()
    if weights is None:
        context = _Context(tokens)
        tags: list[str] = []
        for start, end in _chunks(tokens, CHUNK_TOKENS):
            tags += _tagger().tag(context.features(start, end))
        return tags
    context = _Context(tokens, _id_form())
    tags = []
    for start, end in _chunks(tokens, CHUNK_TOKENS):
        tags += weights.tag(context.features(start, end))
    return tags
