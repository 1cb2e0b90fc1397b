"""The cell-role scorer: how well a text fills a column of an indicator table.

Used where nothing delimits cells (``extract.cell_stream``): a level-1 or level-2 cell must be
a name of the framework vocabulary, a value cell reads as a target value, a basis cell is a
word such as 工作计划 or a document number, and a level name never fills a text column.
The basis words and the labels of unrecorded header cells live in ``data/table_words.json``.
"""
from __future__ import annotations

import functools
import json
import re
import unicodedata
from importlib import resources

from extract.target_values import looks_like_value, parse_quantity
from extract.text_normalise import compact
from extract.vocabulary import clean_label, framework, qualitative_values, standard_level1, standard_level2


# The first part of a level name fills a level column only where a page break cut it (its rest
# follows the break): a weak score, well below a whole name.
LABEL_CUT_BY_BREAK = 0.0
_COMPARATOR_START = re.compile(r"^([≥≤><=＞＜＝≧≦]|不低于|不少于|不超过|不高于|不大于|不小于|大于|小于|至少)")


@functools.lru_cache(maxsize=1)
def table_words() -> dict:
    """The anchor vocabulary (basis words, reference pattern, unrecorded header labels)."""
    return json.loads(resources.files("extract").joinpath("data/table_words.json").read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=4096)
def basis_strength(text: str) -> float:
    """How surely a cell is a 指标值确定依据: 2 a listed word, 1.5 a document number, 1 a typical ending."""
    t = clean_label(text)
    words = table_words()
    if t in words["basis_words"]:
        return 2.0
    if re.match(words["reference_pattern"], unicodedata.normalize("NFKC", t).replace("〔", "[").replace("〕", "]")):
        return 1.5
    if len(t) <= 10 and t.endswith(tuple(words["basis_suffixes"])) and not re.search(r"\d", t):
        return 1.0
    return 0.0


@functools.lru_cache(maxsize=2)
def _level_names(level: str) -> tuple[str, ...]:
    data = framework()[level]
    names = [(name, variants if level == "level1" else variants["variants"]) for name, variants in data.items()]
    return tuple(v for name, variants in names for v in [name, *variants])


def is_cut_level_name(role: str, text: str) -> bool:
    """True where ``text`` fills a level column only as the first part of a cut level name."""
    t = compact(text)
    return role in ("level1", "level2") and label_kind(t) is None and _starts_level_name(t, role) and not (
        role == "level2" and t.endswith("指标"))


@functools.lru_cache(maxsize=4096)
def _starts_level_name(text: str, level: str) -> bool:
    """True for the first part of a level name ("社会成本指"), as a page break leaves it."""
    return len(text) >= 2 and any(name.startswith(text) and name != text for name in _level_names(level))


@functools.lru_cache(maxsize=4096)
def _ends_level_name(text: str) -> bool:
    names = _level_names("level1") + _level_names("level2")
    return len(text) >= 2 and any(name.endswith(text) and name != text for name in names)


def label_kind(text: str) -> str | None:
    """"full" for a standard level name ending in 指标, "short" for a bare variant (数量, 满意度)."""
    if standard_level1(text) or standard_level2(text):
        return "full" if clean_label(text).endswith("指标") else "short"
    return None


@functools.lru_cache(maxsize=65536)
def role_score(role: str, text: str) -> float | None:
    """How well ``text`` fills a column of ``role``; None where it cannot."""
    t = compact(text)
    n = len(t)
    label = label_kind(t)
    if role == "level1":
        if standard_level1(t):
            return 5.0 if label == "full" else 3.0
        return LABEL_CUT_BY_BREAK if _starts_level_name(t, "level1") else None
    if role == "level2":
        if standard_level2(t):
            return (3.0 if standard_level1(t) else 5.0) - (0.0 if label == "full" else 2.0)
        if label is None and t.endswith("指标") and 4 <= n <= 10 and not re.search(r"\d", t):
            return 1.0  # a non-standard level-2 name
        return LABEL_CUT_BY_BREAK if _starts_level_name(t, "level2") else None
    if role == "group":
        return 1.0 if t.endswith(("绩效指标", "年度指标")) and n <= 8 else None
    if label == "full" or t in ("指标", "标"):
        return None  # a level name, or the tail of one cut by a wrap
    if re.match(r"[）)】」』，,。、；;：:%‰]", t):
        return None  # closing punctuation only goes on a cell, never starts one
    base = -4.0 if label == "short" else 0.0
    if label is None and _ends_level_name(t):
        base -= 3.0  # "意度指标": the rest of a level name cut by a wrap or a page break
    if role not in ("value", "op") and re.search(r"[≥≤><=＞＜＝≧≦]$", t):
        base -= 3.0  # a comparator ends nothing but a value's sign cell
    if not re.search(r"[\w\u4e00-\u9fff]", t):
        base -= 3.0  # punctuation only: a placeholder or a stray mark
    basis = basis_strength(t)
    quantity = parse_quantity(t) is not None
    if role == "level3":
        if quantity:
            unit = parse_quantity(t)[2] or ""
            if _COMPARATOR_START.match(t) or len(unit) < 2 or "/" in unit or unit[0] in "%万千亿":
                return None  # a target value, not a name
            base -= 1.0  # a name opening with a number ("12345平台诉求…", "2024年度…")
        if _COMPARATOR_START.match(t) or re.search(r"[≥≤＞＜≧≦]\d", t):
            base -= 3.0  # "不超过查实金额的3%", "…≥700元/人" hold a target; a name does not
        s = 1.0 - max(0, n - 25) * 0.3 - 2.0 * basis
        return base + s - (1.0 if re.search(r"[^\d.]\d+$", t) else 0.0)
    if role == "description":
        return base + 1.0 - 2.0 * basis - (1.0 if quantity else 0.0)
    if role == "value":
        if looks_like_value(t):
            if re.fullmatch(r"(19|20)\d\d", t):
                return 0.5  # a bare year is a date, seldom a target
            if parse_quantity(t) is None:
                return 2.0  # "≥90%以上": a value, but less surely
            return 2.0 if re.fullmatch(r"[\d.,]+", t) else 4.0
        if t in qualitative_values():
            return 3.0
        if n == 1:
            return base - 1.0  # one character is a fragment, not a value
        return base + (1.0 if n <= 12 else 1.0 - (n - 12) * 0.4) - 3.0 * basis
    if role == "basis":
        if quantity:
            return None
        return base + (2.0 * basis if basis else (0.5 if n <= 8 else 0.5 - (n - 8) * 0.4))
    if role in ("score", "points"):
        return 3.0 if re.fullmatch(r"\d+(\.\d+)?[分%]?", t) else base - 1.0
    if role == "value_type":
        return 4.0 if re.fullmatch(r"(定量|定性)(指标)?|正向|反向", t) else None
    if role == "actual":
        return base + (2.0 if looks_like_value(t) else (0.5 if n <= 10 else -1.0))
    if role == "op":
        return 4.0 if re.fullmatch(r"[≥≤><=＞＜＝≧≦]+|大于等于|小于等于|大于|小于|等于|定性|定量", t) else None
    if role == "num":
        return 4.0 if re.fullmatch(r"[\d.,]+%?", t) else None
    if role == "unit":
        if re.search(r"[\d≥≤><=＞＜＝≧≦]", t) or n > 6:
            return None
        return base + (3.0 if n <= 3 or "/" in t else 0.5)  # 人次, 元/人; a longer word is seldom a unit
    return base - (0.0 if n <= 20 else 1.0)  # a column the grammar does not know: no evidence either way


def carry_score(text: str) -> float | None:
    return None if label_kind(text) else 0.0
