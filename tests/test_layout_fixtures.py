"""Invented documents of every layout family, read against hand-written records: a held-out set.

Fixtures live in tests/data/layouts as NAME.txt (or .html) with NAME.expected.json, written
by hand for the layout parsers this reader replaced. The content model is never fitted on
them, so they measure how the reader carries over to documents it has not seen; the
thresholds are floors under the figures in the README.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from perfkg.extract.evaluation import evaluate
from perfkg.extract.evaluation_scores import Evaluation
from perfkg.extract.pipeline import extract_document
from perfkg.extract.records import load_records

DATA = Path(__file__).parent / "data" / "layouts"
EXPECTED = sorted(DATA.glob("*.expected.json"))


def _document_of(expected_file: Path) -> Path:
    """The fixture document beside an expectation (``NAME.txt``, ``NAME.html`` …)."""
    stem = expected_file.name.removesuffix(".expected.json")
    return next(p for p in sorted(DATA.glob(stem + ".*")) if not p.name.endswith(".expected.json"))


@pytest.fixture(scope="module")
def evaluation() -> Evaluation:
    gold, pred = [], []
    for expected in EXPECTED:
        document = _document_of(expected)
        record = load_records(__import__("json").loads(expected.read_text(encoding="utf-8")))[0]
        record.source = document.name
        gold.append(record)
        pred.append(extract_document(document))
    return evaluate(gold, pred)


def test_the_fixtures_cover_every_family():
    names = {e.name.removesuffix(".expected.json") for e in EXPECTED}
    assert {"cell_per_line", "outline", "run_together", "self_evaluation", "separate_columns", "space_columns",
            "traditional", "twin_groups", "wide_summary", "wrapped_space", "html_page"} <= names


def test_held_out_fixtures_read_well_overall(evaluation):
    f1 = evaluation.overall.indicator_f1
    misses = "\n".join(m.describe() for m in evaluation.misses[:20])
    assert f1 >= 0.65, f"indicator F1 {f1:.3f} on the held-out fixtures\n{misses}"


@pytest.mark.parametrize("expected_file", EXPECTED, ids=lambda p: p.name.removesuffix(".expected.json"))
def test_every_fixture_yields_its_tables(evaluation, expected_file):
    name = _document_of(expected_file).name
    doc = next(d for d in evaluation.documents if d.source == name)
    assert doc.overall.indicators_pred > 0, f"{name}: nothing read"
