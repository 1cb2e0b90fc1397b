"""Layout family: cells run together with no separator (flattened or OCR text).

Each line is one row. Cells are recovered from content: level names are peeled off the
start (only names ending in 指标, so an indicator called 质量… is not cut), and the target
value is split off the end (a quantity, or a known qualitative word). Header keys such as
项目名称 and 资金总额 are split the same way.
"""
from __future__ import annotations

import functools
import re

from extract.grammar import ColumnRoles, read_indicator_rows
from extract.layouts.base import DocumentContext, LayoutResult, build_project, table_amount_unit
from extract.project_header import read_project_header, split_at_keys
from extract.segment import TableBlock
from extract.target_values import parse_quantity
from extract.text_normalise import compact
from extract.vocabulary import framework, header_role, qualitative_values, standard_level1, standard_level2

NAME = "run_together"
DESCRIPTION = "cells run together without separators; cells recovered from level names, values and keys"
_VALUE_START = re.compile(r"(?:[≥≤><=≧≦＞＜＝]|不低于|不少于|不高于|不超过|大于等于|小于等于)[\d.]")


@functools.lru_cache(maxsize=1)
def _label_pattern() -> re.Pattern:
    fw = framework()
    names = set(fw["level1"]) | set(fw["level2"])
    names |= {v for vs in fw["level1"].values() for v in vs}
    names |= {v for e in fw["level2"].values() for v in e["variants"]}
    names = sorted((n for n in names if n.endswith("指标")), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


@functools.lru_cache(maxsize=1)
def _header_word_pattern() -> re.Pattern:
    words = sorted({w for ws in framework()["header_words"].values() for w in ws if len(w) >= 3}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


def split_header(line: str) -> list[str]:
    return _header_word_pattern().findall(compact(line))


def detect(block: TableBlock) -> float:
    line = block.lines[block.header]
    t = compact(line)
    if "\t" in line or "|" in line or line.strip() != t:
        return 0.0
    return 0.7 if len(split_header(line)) >= 3 else 0.0


def split_value(text: str) -> tuple[str, str | None]:
    """(name, value) from "name+value" text; value None when no value can be told apart."""
    m = _VALUE_START.search(text)
    if m and m.start() > 0:
        return text[:m.start()], text[m.start():]
    for i in range(1, len(text)):
        if text[i].isdigit() and not (text[i - 1].isdigit() or text[i - 1] in ".,"):
            if parse_quantity(text[i:]) is not None:
                return text[:i], text[i:]
    for word in sorted(qualitative_values(), key=len, reverse=True):
        if text.endswith(word) and len(text) > len(word) + 1:
            return text[:-len(word)], word
    return text, None


def split_row(line: str, columns: ColumnRoles) -> list[str]:
    """Positioned cells of one run-together row."""
    t = compact(line)
    row = [""] * len(columns.roles)
    labels = []
    while True:
        m = _label_pattern().match(t)
        if not m:
            break
        labels.append(m.group(0))
        t = t[m.end():]
    if len(labels) == 1 and columns.position("level2") is not None and _is_level2_only(labels[0]):
        labels = ["", labels[0]]
    for role, label in zip(("level1", "level2"), labels):
        if label and columns.position(role) is not None:
            row[columns.position(role)] = label
    if t:
        name, value = split_value(t)
        row[columns.position("level3")] = name
        if value and columns.position("value") is not None:
            row[columns.position("value")] = value
    return row


def _is_level2_only(label: str) -> bool:
    return standard_level2(label) is not None and standard_level1(label) is None


def parse(block: TableBlock, context: DocumentContext) -> LayoutResult:
    columns = ColumnRoles([header_role(w) for w in split_header(block.lines[block.header])])
    above = [(n, split_at_keys(t)) for n, t in block.text_lines() if n <= block.header and compact(t)]
    header = read_project_header(above, table_amount_unit(block) or context.amount_unit)
    project = build_project(block, header, context, NAME)
    rows = [(n, split_row(t, columns)) for n, t in block.text_lines() if n > block.header + 1 and compact(t)]
    grammar = read_indicator_rows(rows, columns)
    project.indicators, project.flags = grammar.indicators, project.flags + grammar.flags
    return LayoutResult([project])
