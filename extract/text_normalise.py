"""The name normaliser: whitespace, traditional characters and comparison keys.

Records are simplified Chinese with whitespace removed; ``compact`` does the first,
``to_simplified`` (OpenCC) the second and ``match_key`` builds the key names are compared by
(the same rules the evaluation uses).
"""
from __future__ import annotations

import functools
import operator
import re
import unicodedata
from typing import Any

_WHITESPACE = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
_KEY_PUNCT = re.compile(r"[\s（）()“”\"「」:：]+")
_CJK_CHAR = re.compile("[\u4e00-\u9fff]")
_HTML_TAG = re.compile(r"</?(?:p|br|span|div|b|i|strong|em)\s*/?>", re.I)


def compact(text: str | None) -> str:
    """Text with all whitespace (and stray conversion tags such as ``<p>``) removed."""
    if not text:
        return ""
    if len(text) <= 256:  # a cell: the same texts come back cell after cell (a whole line is not kept)
        return _compact_cell(text)
    return _WHITESPACE.sub("", _HTML_TAG.sub("", text))


@functools.lru_cache(maxsize=65536)
def _compact_cell(text: str) -> str:
    return _WHITESPACE.sub("", _HTML_TAG.sub("", text))


@functools.lru_cache(maxsize=1)
def _converter():
    import opencc  # opencc-python-reimplemented: pure Python, ships its dictionaries

    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=1)
def _character_table() -> tuple[Any, dict[int, str]] | None:
    """OpenCC's t2s as (its phrases, a str.translate table of its characters), for texts in which none of
    its phrases occurs: there its phrase pass matches nothing and its character pass, whose keys are single
    characters, none of them a separator, puts each character's entry (the first of its spellings) in its
    place, so the conversion is the table's. None when the converter is not the chain of those two
    dictionaries as this version of opencc-python-reimplemented builds it."""
    import ahocorasick

    converter = _converter()
    try:
        [[(_, _, phrases), (_, _, characters)]] = converter._dict_chain_data
        table = {ord(k): v.split(" ")[0] for k, v in characters.items()}  # OpenCC keeps the first spelling
        if converter.conversion != "t2s" or not phrases or "" in phrases or "" in table.values() or \
                any(len(k) != 1 or converter.split_chars_re.fullmatch(k) for k in characters):
            return None  # (an empty spelling is no match to OpenCC: the characters after it are not converted)
    except (AttributeError, TypeError, ValueError):
        return None
    automaton = ahocorasick.Automaton()
    for key in phrases:
        automaton.add_word(key, key)
    automaton.make_automaton()
    return automaton, table


def _t2s(text: str) -> str:
    """OpenCC's t2s conversion of ``text`` (the same string), by its character table where no phrase occurs:
    OpenCC's phrase search (pure Python) costs some 7 ms on the 4,000-character sample of every document."""
    fast = _character_table()
    if fast is not None:
        phrases, table = fast
        if next(phrases.iter(text), None) is None:
            return text.translate(table)
    return _converter().convert(text)


@functools.lru_cache(maxsize=65536)
def to_simplified(text: str) -> str:
    """Traditional characters converted to simplified (OpenCC t2s); simplified text unchanged."""
    if not text or text.isascii():
        return text
    return _t2s(text)


def simplify_if_traditional(text: str, sample: int = 4000) -> str:
    """The whole text in simplified characters when it is printed in traditional ones.

    A simplified document keeps every character (OpenCC also maps a few rare simplified
    characters), so the switch is by the share of CJK characters a sample would change.
    """
    head = "".join(_CJK_CHAR.findall(text, 0, sample * 3))[:sample]
    if not head:
        return text
    converted = to_simplified(head)
    changed = sum(map(operator.ne, head, converted))  # (as zip: up to the shorter)
    return _t2s(text) if changed / len(head) > 0.03 else text


def match_key(text: str | None) -> str:
    """Comparison key: NFKC, no whitespace and no brackets, quotes or colons."""
    if text is None:
        return ""
    return _KEY_PUNCT.sub("", unicodedata.normalize("NFKC", str(text)))
