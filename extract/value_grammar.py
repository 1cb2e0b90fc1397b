"""The value grammar: how a target is printed (comparator, number or date, unit, suffix), and the
other patterns the splitters cut cells by (markers, description openers, score rules), compiled
once from ``extract/data/content_words.json``. The splitters (:mod:`perfkg.extract.tokens`) and the
run-together cell model (:mod:`perfkg.extract.glue_model`) both read cells by it.
"""
from __future__ import annotations

import functools
import re

from perfkg.extract.vocabulary import content_words


@functools.lru_cache(maxsize=1)
def patterns() -> dict[str, re.Pattern]:
    cw = content_words()
    units = sorted(cw["units"], key=len, reverse=True)
    unit = "|".join(re.escape(u) for u in units)
    suffix = "|".join(re.escape(s) for s in sorted(cw["value_suffixes"], key=len, reverse=True))
    number = r"\d+(?:,\d{3})*(?:\.\d+)?"
    bound = r"[≥≤><=＝＞＜≧≦⩾⩽]{1,2}|不低于|不少于|不超过|不高于|不大于|不小于|大于等于|小于等于|大于|小于"
    comparator = rf"(?:{bound}|达到)"
    date = r"\d{4}年度?(?:\d{1,2}月(?:\d{1,2}日)?)?(?:前|底|以前|之前|末)?"
    return {
        # A quantity: optional comparator, a date or a number with an optional unit, optional 以上.
        "quantity": re.compile(rf"{comparator}?\s?(?:{date}|{number}(?:{unit})?)(?:{suffix})?"),
        # a comparator closing a piece: its number was printed after a space (新增点位大于等于 185件); not
        # 达到, which closes sentences wrapped before their number (满意度达到 / 95%以上)
        "closing_comparator": re.compile(rf"(?:{bound})$"),
        "comparator_sign": re.compile(r"[≥≤><＝＞＜≧≦⩾⩽]"),
        "date": re.compile(date),  # a deadline target (2023年12月31日, 2024年底前)
        "comparator_end": re.compile(rf"(?:{comparator})$"),  # a comparator its number follows
        "marker": re.compile(cw["marker_pattern"]),
        "marker_at": re.compile(cw["marker_pattern"].removeprefix("^")),  # match(text, pos): a marker at pos
        "opener": re.compile("|".join(re.escape(w) for w in cw["description_openers"])),
        "score_rule": re.compile(cw["score_rule_pattern"]),
        "basis": re.compile("|".join(re.escape(w) for w in sorted(cw["basis_words"], key=len, reverse=True))),
        "trailing_group": re.compile(r"[（(][^（()）]{1,30}[）)]$"),
        "weight_group": re.compile(r"[（(]\d+(?:\.\d+)?分[）)]"),
    }
