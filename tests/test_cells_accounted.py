"""Every cell accounted for: each non-empty cell of a table ends up in a record field, in a flag, or is
recognised furniture (a column header, a level label, a page number, a unit line), on the seeds, the
dev set and generated documents."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from perfkg.extract.pipeline import extract_rows, source_rows
from perfkg.extract.records import DocumentRecord
from perfkg.extract.row_decoder import clean_level, is_furniture
from perfkg.extract.source_model import SourceDocument
from perfkg.extract.synth import generate
from perfkg.extract.target_values import comparator_op
from perfkg.extract.text_normalise import compact, simplify_if_traditional
from perfkg.extract.tokens import tokenise_rows

ROOT = Path(__file__).resolve().parents[1]
REAL = sorted([*ROOT.glob("examples/documents/*.txt"), *ROOT.glob("tests/data/dev/docs/*.txt"),
               *ROOT.glob("tests/data/dev/xlsx/*.xlsx")])
_NUMBER = re.compile(r"^[+-]?\d+(?:,\d{3})*(?:\.\d+)?$")
_BRACKETS = re.compile(r"^[（(](.*)[）)]$")
_CODE = re.compile(r"^\d+[-—]")  # 820001-井研县马踏镇人民政府: the bureau after its code


def _kept_texts(record: DocumentRecord) -> tuple[str, set[float]]:
    """Everything the record keeps, as one text, and the numbers it keeps."""
    texts: list[str] = [record.bureau or ""]
    numbers: set[float] = set()
    for flag in record.flags:
        texts.append(flag.text or "")
    for p in record.projects:
        texts += [p.name, p.code or "", p.goal or ""] + [f.text or "" for f in p.flags]
        numbers |= {x for x in (p.budget_total, p.budget_fiscal, p.budget_other) if x is not None}
        for i in p.indicators:
            texts += [i.level1 or "", i.level2 or "", i.level3, i.value or "", i.op or "", i.unit or "",
                      i.description or "", i.basis or "", i.actual or ""] + [f.text or "" for f in i.flags]
            numbers |= {x for x in (i.num, i.score, i.points) if x is not None}
    return compact("\n".join(texts)), numbers


def unaccounted(rows, record: DocumentRecord) -> list[str]:
    """Cells of the record's table regions (first indicator to the table's last line) that are kept nowhere."""
    kept, numbers = _kept_texts(record)
    ops = {i.op for p in record.projects for i in p.indicators if i.op}
    regions = [(p.indicators[0].span[0], p.span[1]) for p in record.projects
               if p.indicators and p.indicators[0].span and p.span]
    tokens = tokenise_rows(rows)
    # a table starts at its first indicator's name, also where a header block shares that line
    starts = {p.indicators[0].span[0]: p.indicators[0].level3 for p in record.projects
              if p.indicators and p.indicators[0].span}
    skip: set[int] = set()
    for line, name in starts.items():
        on_line = [i for i, t in enumerate(tokens) if t.row + 1 == line]
        first = next((i for i in on_line if len(piece := compact(tokens[i].text)) >= 2 and name.startswith(piece)),
                     None)
        skip |= {i for i in on_line if first is not None and i < first}
    missing = []
    for i, token in enumerate(tokens):
        line = token.row + 1
        if i in skip or not any(a <= line <= b for a, b in regions):
            continue
        text = _BRACKETS.sub(r"\1", compact(token.text))
        if not text or text in kept or is_furniture(text) or _CODE.sub("", text) in kept \
                or clean_level(text) in kept:  # a level name is kept without the heading's dash and bracket
            continue
        op = comparator_op(text)
        if op is not None and (op in ops or op in kept):
            continue  # comparators are kept normalised (不少于 → >=)
        if _NUMBER.match(text) and {(x := float(text.replace(",", ""))), round(x / 1e4, 6)} & numbers:
            continue  # budgets are kept in 万元
        missing.append(f"line {line}: {token.text}")
    return missing


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_every_cell_of_a_real_document_is_kept_or_flagged(path: Path) -> None:
    rows = source_rows(path)
    record = extract_rows(rows, path.name)
    assert unaccounted(rows, record) == []


def test_every_cell_of_generated_documents_is_kept_or_flagged() -> None:
    lost = {}
    for name, text, _gold in generate(1000, 7):
        rows = SourceDocument.from_text(name, simplify_if_traditional(text)).rows
        missing = unaccounted(rows, extract_rows(rows, name))
        if missing:
            lost[name] = missing[:3]
    assert not lost, f"{len(lost)} of 1000 documents lose cells, e.g. {list(lost.items())[:3]}"
