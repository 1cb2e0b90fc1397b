"""The 指标值 parser: one printed target value to (value, op, num, unit).

The single place where comparators, numbers and units are read; layout parsers, the
graph builder and the evaluator all call :func:`parse_target_value`.

>>> parse_target_value("≥ 67282 人")
TargetValue(value='≥67282人', op='>=', num=67282.0, unit='人')
>>> parse_target_value("文字描述: 减轻")
TargetValue(value='减轻', op=None, num=None, unit=None)
"""
from __future__ import annotations

import functools
import re
import unicodedata
from typing import NamedTuple

from perfkg.extract.text_normalise import compact

# Comparator spellings, longest first so that ">=" wins over ">".
_COMPARATORS: list[tuple[str, str]] = [
    (">=", ">="), ("<=", "<="), ("≥", ">="), ("≤", "<="), ("≧", ">="), ("≦", "<="),
    ("⩾", ">="), ("⩽", "<="), ("不低于", ">="), ("不少于", ">="), ("不小于", ">="),
    ("大于等于", ">="), ("至少", ">="), ("不高于", "<="), ("不超过", "<="), ("不大于", "<="),
    ("不多于", "<="), ("小于等于", "<="), ("大于", ">"), ("小于", "<"), ("等于", "="),
    (">", ">"), ("<", "<"), ("=", "="), ("═", "="),
    # an approximate figure (约5.5万人次) is a target like a bare number
    ("大约", "="), ("约为", "="), ("约", "="),
]
# Bounds written after the quantity (90%以上, 5天以内), longest first.
_BOUND_SUFFIXES: list[tuple[str, str]] = [
    ("及以上", ">="), ("或以上", ">="), ("以上", ">="), ("及以下", "<="), ("或以下", "<="), ("以下", "<="),
    ("以内", "<="),
]
# A unit is a short run of letters, CJK and '/', never sentence text: at most 6 characters. A dot
# between two words of a compound unit (户/人.月, 元/人.每天) is part of it; a final one is not.
_NUMBER = r"(?P<num>[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)"
_UNIT_WORD = r"[A-Za-z\u4e00-\u9fff](?:[A-Za-z\u4e00-\u9fff/·²³]|\.(?=[\u4e00-\u9fff])){0,5}"
_UNIT = rf"(?P<unit>(?:[%‰℃]|{_UNIT_WORD}|/[A-Za-z\u4e00-\u9fff/]{{1,5}})?)"
_QUANTITY = re.compile(rf"^{_NUMBER}{_UNIT}$")
# Words that make a "number + word" cell a sentence or a date rather than a quantity.
_NOT_UNITS = ("月底", "月前", "日前", "年底", "以前", "之前", "以内", "以上", "以下", "左右")
# Numbers at or beyond this size are no target or budget (and lose digits as floats): they stay
# printed text, flagged number_out_of_range by extract/checks.
SANE_LIMIT = 1e15
_DESCRIPTION_PREFIX = re.compile(r"^文字描述[:：]?")


class TargetValue(NamedTuple):
    value: str | None
    op: str | None
    num: float | None
    unit: str | None


def clean_value_text(text: str | None) -> str | None:
    """The value as the record prints it: whitespace and a leading 文字描述: removed."""
    if text is None:
        return None
    t = _DESCRIPTION_PREFIX.sub("", compact(text))
    return t or None


_COMPARATOR_RE = re.compile("|".join(re.escape(s) for s, _ in _COMPARATORS))
_COMPARATOR_OP = dict(_COMPARATORS)


def _split_comparator(t: str) -> tuple[str | None, str]:
    m = _COMPARATOR_RE.match(t)  # alternatives are longest first, so ">=" wins over ">"
    return (_COMPARATOR_OP[m.group(0)], t[m.end():]) if m else (None, t)


def comparator_op(text: str) -> str | None:
    """The op a cell holding only a comparator means (``≥`` → ``>=``, ``不超过`` → ``<=``), else None."""
    op, rest = _split_comparator(unicodedata.normalize("NFKC", compact(text)))
    return op if not rest else None


@functools.lru_cache(maxsize=65536)
def parse_quantity(text: str) -> tuple[str | None, float, str | None] | None:
    """(op, num, unit) where ``text`` is a comparator, a number and a short unit; else None."""
    t = unicodedata.normalize("NFKC", compact(text))
    op, rest = _split_comparator(t)  # NFKC has already turned ＞＝ into >=
    for suffix, bound in _BOUND_SUFFIXES:
        if rest.endswith(suffix) and rest[:-len(suffix)][-1:].strip():
            rest = rest[:-len(suffix)]
            op = op or bound
            break
    m = _QUANTITY.match(rest)
    if not m:
        return None
    unit = m.group("unit") or None
    if unit == "百分比":
        unit = "%"
    if unit and any(unit.startswith(w) or w in unit for w in _NOT_UNITS):
        return None
    num = float(m.group("num").replace(",", ""))
    if not abs(num) < SANE_LIMIT:  # a 309-digit "number" is not a quantity (and float() makes it inf)
        return None
    return (op or "="), num, unit


_NUMBER_FIRST = re.compile(r"^(\d[\d,]*(?:\.\d+)?)(.+)$")


def number_first(text: str) -> str | None:
    """A target whose columns were printed number | comparator | unit and run together (92≥%,
    22106.00>=平方米) as the record prints a target: comparator, number, unit (≥92%); else None."""
    t = compact(text)
    m = _NUMBER_FIRST.match(t)
    if not m:
        return None
    op_text = _COMPARATOR_RE.match(unicodedata.normalize("NFKC", m.group(2)))
    if not op_text:
        return None
    # the comparator as printed: as many characters of the original as NFKC turned into the match
    for k in range(1, len(m.group(2)) + 1):
        if unicodedata.normalize("NFKC", m.group(2)[:k]) == op_text.group(0):
            printed, unit = m.group(2)[:k], m.group(2)[k:]
            if any(c.isdigit() for c in unit):
                return None  # a second number (3大于等于5): no unit, no target of this shape
            candidate = printed + m.group(1) + unit
            return candidate if parse_quantity(candidate) is not None else None
    return None


@functools.lru_cache(maxsize=1)
def _ocr_comparators() -> dict[str, str]:
    from perfkg.extract.vocabulary import content_words

    return {k: v for k, v in content_words()["ocr_comparators"].items() if not k.startswith("_")}


@functools.lru_cache(maxsize=65536)
def ocr_comparator(text: str) -> str | None:
    """The target a comparator misread by OCR stood for (工90% → ≥90%, 二2367元 → ＝2367元, and 292% → ≥92%:
    a 2 for ≥ only where it makes a rate over 100 %), else None."""
    t = compact(text)
    if len(t) < 2 or not t[1].isdigit():
        return None
    read = _ocr_comparators().get(t[0])
    if read is not None:
        fixed = read + t[1:]
        q = parse_quantity(fixed)
        return fixed if q is not None and parse_quantity(t[1:]) is not None else None
    q = parse_quantity(t)
    if t[0] == "2" and q is not None and q[0] == "=" and q[2] == "%" and q[1] > 100 and t[1] != "0":
        rest = parse_quantity(t[1:])
        if rest is not None and rest[0] == "=" and rest[1] <= 100:
            return "≥" + t[1:]
    return None


def parse_target_value(text: str | None) -> TargetValue:
    """Read a printed 指标值: a quantity gives op/num/unit, anything else is qualitative. A comparator misread
    by OCR (:func:`ocr_comparator`) is read as the comparator it stood for; the value stays as printed."""
    value = clean_value_text(text)
    if value is None:
        return TargetValue(None, None, None, None)
    fixed = ocr_comparator(value)
    quantity = parse_quantity(fixed if fixed is not None else value)
    if quantity is None:
        return TargetValue(value, None, None, None)
    op, num, unit = quantity
    return TargetValue(value, op, num, unit)


@functools.lru_cache(maxsize=65536)
def looks_like_value(text: str) -> bool:
    """True for a cell that reads as a target value: a quantity (after any 文字描述: prefix)."""
    t = clean_value_text(text) or ""
    if not t:
        return False
    if parse_quantity(t) is not None:
        return True
    op, rest = _split_comparator(unicodedata.normalize("NFKC", t))
    if op is not None and re.match(r"^[\d.]", rest):
        return True  # "≥90%以上" and similar still read as values
    return False
