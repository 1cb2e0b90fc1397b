"""File names that are not UTF-8: kept as the OS gives them (surrogate escapes) for opening, shown decoded.

Names from an unzipped Chinese archive are often GBK bytes; Python keeps such bytes as lone
surrogates, which no UTF-8 output (JSON, Turtle, a terminal) can hold. :func:`display_name`
gives the text to write instead: the bytes read as GB18030 when they are that, else with each
undecodable byte as ``\\xNN``.
"""
from __future__ import annotations

import os


def is_clean(text: str) -> bool:
    """True when ``text`` holds no lone surrogates (it can be written as UTF-8)."""
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def display_name(text: str) -> str:
    """``text`` (a file name or path) as writable Unicode, the same text when it already is."""
    if is_clean(text):
        return text
    raw = os.fsencode(text)
    for encoding in ("gb18030", "big5"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "backslashreplace")


def shown(path: object) -> str:
    """A path for a message: always printable."""
    return display_name(str(path))
