"""Garbling of the generator, the damage real documents show.

Row level (changes what is printed, so the gold follows): lost values, OCR confusions of
comparators (≥ as 2 or 工, ＝ as 二) and of characters (a character confused or missing).
Item level (layout only, the gold is unchanged): cells wrapped over two lines, page breaks
with page numbers, 续表 and repeated headers, portal furniture; a long budget document around the
tables (``extract.synth.longdoc``). Text level: traditional
characters (the gold is the simplified round trip) with pinyin inserted in the furniture.
"""
from __future__ import annotations

import functools
import random
import re

from perfkg.extract.synth.compose import pick, vocabulary
from perfkg.extract.synth.model import Doc
from perfkg.extract.synth.tables import Item
from perfkg.extract.target_values import looks_like_value
from perfkg.extract.vocabulary import content_words

GARBLINGS = ("merged_blank", "merged_shift", "wrapped_cells", "page_breaks", "lost_values", "ocr_comparators",
             "ocr_characters", "markers", "traditional", "header_wrap", "portal_furniture", "budget_yuan",
             "no_title", "title_name", "long_document")


def lose_values(rng: random.Random, doc: Doc) -> bool:
    rows = [r for p in doc.projects for r in p.rows if r.value]
    if len(rows) < 3:
        return False
    for r in rng.sample(rows, max(1, len(rows) // 8)):
        r.value, r.parts = None, None
    return True


def _misread(comparator: str) -> list[str]:
    """The characters OCR prints for ``comparator`` (the reader's list, content_words.json ocr_comparators)."""
    return [k for k, v in content_words()["ocr_comparators"].items() if v == comparator]


def ocr_comparators(rng: random.Random, doc: Doc) -> bool:
    done = False
    for p in doc.projects:
        for r in p.rows:
            if not r.value or rng.random() < 0.5:
                continue
            if r.value.startswith("≥"):
                r.value = pick(rng, ["2", "2", *_misread("≥")]) + r.value[1:]
            elif r.value.startswith("＝") or r.value.startswith("="):
                r.value = _misread("＝")[0] + r.value[1:]
            else:
                continue
            r.parts = None
            done = True
    return done


def ocr_characters(rng: random.Random, doc: Doc) -> bool:
    confusions = vocabulary()["ocr_char_confusions"]
    done = False
    for p in doc.projects:
        for r in p.rows:
            if len(r.level3) < 5 or rng.random() < 0.7:
                continue
            hits = [k for k, c in enumerate(r.level3) if c in confusions and confusions[c] != c]
            if hits and rng.random() < 0.6:
                k = pick(rng, hits)
                r.level3 = r.level3[:k] + confusions[r.level3[k]] + r.level3[k + 1:]
            else:
                k = rng.randrange(1, len(r.level3) - 1)
                r.level3 = r.level3[:k] + r.level3[k + 1:]
            done = True
    return done


def wrap_cells(rng: random.Random, items: list[Item]) -> bool:
    """Long cells (names, goals, level labels) wrapped over two lines."""
    done = False
    for it in items:
        if it.role not in ("ind", "meta"):
            continue
        for k, c in enumerate(it.cells):
            if "\n" in c or len(c) < 4:
                continue
            if looks_like_value(c) or re.fullmatch(r"[\d,.\s]+", c):
                continue  # numbers and values are not wrapped
            if (len(c) >= 9 and rng.random() < 0.35) or (c.endswith("指标") and len(c) <= 6 and rng.random() < 0.3):
                cut = len(c) // 2 if c.endswith("指标") else rng.randint(4, min(len(c) - 2, 14))
                if c[cut - 1].isdigit() or c[cut].isdigit() or not c[cut].strip():
                    continue
                it.cells[k] = c[:cut] + "\n" + c[cut:]
                done = True
    return done


def page_breaks(rng: random.Random, items: list[Item]) -> bool:
    """Page numbers, 续表 and the indicator header repeated every few rows."""
    v = vocabulary()
    out: list[Item] = []
    header: list[Item] = []
    since = 0
    page = rng.randint(1, 30)
    every = rng.randint(4, 9)
    done = False
    prev_role = None
    for it in items:
        if it.role == "header":
            header = header + [it] if prev_role == "header" else [it]
            since = 0
        if it.role == "ind":
            since += 1
            if since > every and header:
                page += 1
                out.append(Item("page", [pick(rng, v["page_number_forms"]).format(n=page, m=page + 3)]))
                if rng.random() < 0.5:
                    out.append(Item("page", [pick(rng, v["continued"])]))
                if rng.random() < 0.8:
                    out += [Item("header", list(h.cells)) for h in header]
                since = 0
                done = True
        out.append(it)
        prev_role = it.role
    items[:] = out
    return done


def furniture(rng: random.Random, doc: Doc, source: str) -> tuple[list[str], list[str]]:
    """Portal lines before and after the table (publication date, source, navigation)."""
    v = vocabulary()
    fill = {"date": f"{doc.year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "time": f"{rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}", "bureau": source, "source": source,
            "n": str(rng.randint(10, 9000)), "code": f"{rng.randint(10**9, 10**10 - 1)}",
            "author": pick(rng, v["authors"]), "year": str(doc.year)}
    before = [pick(rng, v["portal_before"]).format(**fill) for _ in range(rng.randint(1, 3))]
    after = [pick(rng, v["portal_after"]).format(**fill) for _ in range(rng.randint(0, 2))]
    return before, after


@functools.lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def to_traditional(text: str) -> str:
    return _s2t().convert(text)


def insert_pinyin(rng: random.Random, line: str) -> str:
    """A furniture line with pinyin syllables inserted after a few characters (mirror-site spam)."""
    syllables = vocabulary()["pinyin"]
    out = []
    for c in line:
        out.append(c)
        if "\u4e00" <= c <= "\u9fff" and rng.random() < 0.2:
            out.append(pick(rng, syllables))
    return "".join(out)
