"""The content model: how strongly each token reads as a level name, an indicator name, a target
value, an actual result, a weight, a project-header field or furniture — the only place cells are scored.

Its knowledge is data (the framework vocabulary, the value grammar, header and label words in
``extract/data/``); its weights are estimated: a linear-chain CRF (python-crfsuite) fitted on
labelled tokens of the seeds, the dev set and generated documents by
``python -m perfkg.extract.content_training`` (``make model``), stored in
``extract/data/content_model.crfsuite``. The tags are BIO over the roles in :data:`ROLES`.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from importlib import resources

import pycrfsuite

from perfkg.extract.target_values import looks_like_value, parse_quantity
from perfkg.extract.tokens import Token, content_words, display_width
from perfkg.extract.vocabulary import header_role, qualitative_values, standard_level1, standard_level2, standard_parent

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


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    for e in edges:
        if n <= e:
            return str(e)
    return f">{edges[-1]}"


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


def _plain(text: str) -> str:
    t = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s:：()（）\[\]【】*]", "", t)


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
    f: list[str] = [f"len={_bucket(len(t), (1, 2, 4, 6, 10, 16, 30))}"]
    chars = Counter(t) if len(t) > 256 else None  # a long cell: each distinct character tested once
    if chars is None:
        cjk = sum(1 for c in t if "\u4e00" <= c <= "\u9fff")
        digits = sum(c.isdigit() for c in t)
    else:
        cjk = sum(n for c, n in chars.items() if "\u4e00" <= c <= "\u9fff")
        digits = sum(n for c, n in chars.items() if c.isdigit())
    f.append(f"cjk={_bucket(round(10 * cjk / max(1, len(t))), (0, 3, 7, 9, 10))}")
    f.append(f"dig={_bucket(round(10 * digits / max(1, len(t))), (0, 3, 7, 9, 10))}")
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
        digits = len(re.sub(r"[^\d.].*$", "", t.lstrip("≥≤><=＝＞＜≧≦ ")).split(".")[0])  # never int() of a huge number
        f.append(f"mag={_bucket(digits, (1, 2, 3, 4, 6, 8))}")
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
    if re.match(content_words()["marker_pattern"], t):
        f.append("marker")
    if _NAME_END.search(t):
        f.append("nameend")
    if "满意" in t:
        f.append("satisf")
    if re.search(r"[A-Za-z]", t):
        f.append("latin")
    if re.search(r"(局|委员会|委|中心|政府|医院|学校|协会|联合会|办公室|公司|所|站|队|院)$", t):
        f.append("orgend")
    if re.search(r"(项目|资金|经费|补助|补贴|工程|费)$", t):
        f.append("projend")
    f += [f"c0={t[:1]}", f"c-1={t[-1:]}", f"c-2={t[-2:]}"]
    return tuple(f)


@functools.lru_cache(maxsize=262144)
def _near_shape(d: int, text: str) -> tuple[str, ...]:
    """A neighbour's features, prefixed by its distance; the far ones without their characters."""
    return tuple(f"{d}:{s}" for s in token_shape(text) if abs(d) == 1 or not s.startswith("c"))


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
    header: tuple[list[str], list[tuple[int, str]]] | None = None
    cells: dict[int, str] = {}
    last_header_row = -10
    for row in sorted(rows):
        idx = rows[row]
        units = [i for i in idx if tokens[i].sep != "glue"]
        roles = [_header_cell_role(tokens[i].text) for i in units]
        if sum(r is not None and not r.startswith("p:") for r in roles) >= 2 or sum(r is not None for r in roles) >= 3:
            header = ([r or "other" for r in roles], [(tokens[i].offset, r or "other") for i, r in zip(units, roles)])
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
            for off, r in offsets:
                if off <= tokens[i].offset + 1:
                    by_offset = r
            out[i] = (left, right, by_offset, cells.get(tokens[i].cell, "none"))
    return out


# A grid cell is cut as surely as a tab-separated one: the model sees both alike.
_SEP_FEATURE = {"cell": "tab"}


def _document_style(tokens: list[Token]) -> str:
    seps = Counter(_SEP_FEATURE.get(t.sep, t.sep) for t in tokens if t.sep != "row")
    if not seps:
        return "none"
    return seps.most_common(1)[0][0]


def _density(flags: list[bool], reach: int) -> list[int]:
    """For every position, how many flagged positions lie within ``reach`` of it."""
    prefix = [0]
    for f in flags:
        prefix.append(prefix[-1] + f)
    n = len(flags)
    return [prefix[min(n, i + reach + 1)] - prefix[max(0, i - reach)] for i in range(n)]


def _rows_since(tokens: list[Token], flags: list[bool]) -> list[str]:
    """Rows between each token and the last flagged token before it (bucketed; 'none' if there is none)."""
    out, last = [], None
    for t, f in zip(tokens, flags):
        out.append("none" if last is None else _bucket(t.row - last, (0, 2, 10, 40)))
        if f:
            last = t.row
    return out


def _region_context(tokens: list[Token], shapes: list[tuple[str, ...]]) -> tuple[list, ...]:
    """Where each token stands: among level names and values (a table), or far from any (prose, other
    tables), as counts and buckets; the feature strings are made per chunk (``_Context.features``)."""
    level = ["lvl1" in s or "lvl2" in s for s in shapes]
    qty = ["qty" in s or "qual" in s for s in shapes]
    hdr = ["hdr" in s for s in shapes]
    label = ["label" in s for s in shapes]
    return (_density(level, 30), _density(qty, 15), _density(hdr, 60),
            _rows_since(tokens, hdr), _rows_since(tokens, level), _rows_since(tokens, label))


def _region_features(context: tuple[list, ...], i: int) -> list[str]:
    lv, qv, hv, since_hdr, since_lvl, since_label = (values[i] for values in context)
    return [f"nlvl={_bucket(lv, (0, 1, 3, 6))}", f"nqty={_bucket(qv, (0, 1, 3, 6))}", f"nhdr={_bucket(hv, (0, 1, 3))}",
            f"shdr={since_hdr}", f"slvl={since_lvl}", f"slab={since_label}"]


class _Context:
    """What the features of a token need from the whole document, computed once per document; the
    feature strings themselves (some fifty per token) are made only for the chunk being tagged."""

    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.shapes = [token_shape(t.text) for t in tokens]
        self.regions = _region_context(tokens, self.shapes)
        self.columns = _column_roles(tokens)
        self.style = _document_style(tokens)
        self.rows_units: dict[int, int] = Counter(t.row for t in tokens if t.sep != "glue")

    def features(self, start: int, end: int) -> list[list[str]]:
        """The CRF's feature strings of tokens[start:end]; ``start`` is the first token of a row."""
        tokens, style = self.tokens, self.style
        feats: list[list[str]] = []
        unit_no = 0
        for i in range(start, end):
            t = tokens[i]
            unit_no = 0 if t.sep == "row" else unit_no + (t.sep != "glue")
            f = ["bias", f"sep={_SEP_FEATURE.get(t.sep, t.sep)}", f"style={style}",
                 f"unit={_bucket(unit_no, (0, 1, 2, 3))}", f"units={_bucket(self.rows_units[t.row], (1, 2, 3, 5, 8))}",
                 f"blank={_bucket(t.blank_before, (0, 1))}", f"empty={_bucket(t.empty_before, (0, 1))}",
                 f"w={_bucket(display_width(t.text), (2, 4, 8, 16, 32, 60))}"]
            f += self.shapes[i]
            f += _region_features(self.regions, i)
            left, right, by_offset, by_cell = self.columns[i]
            f += [f"colL={left}", f"colR={right}", f"colO={by_offset}", f"colC={by_cell}"]
            for d in (-2, -1, 1, 2):
                j = i + d
                if 0 <= j < len(tokens):
                    f += _near_shape(d, tokens[j].text)
                    f.append(f"{d}:sep={_SEP_FEATURE.get(tokens[j].sep, tokens[j].sep)}")
                else:
                    f.append(f"{d}:edge")
            if i + 1 < len(tokens) and tokens[i + 1].row != t.row:
                f.append("rowend")
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
    context = _Context(tokens)
    tags: list[str] = []
    for start, end in _chunks(tokens, CHUNK_TOKENS):
        tags += _tagger().tag(context.features(start, end))
    return tags
