"""Real documents from other provinces and departments (tests/data/dev): the reader against their hand-checked gold.

The content model is fitted on these documents too, so the figures here are fitted figures;
the README reports the cross-validated ones (each document read by a model fitted without it),
which is what a document the project has never seen can expect.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from perfkg.extract.evaluation import evaluate, load_gold
from perfkg.extract.evaluation_scores import Evaluation
from perfkg.extract.pipeline import extract_document

DEV = Path(__file__).parent / "data" / "dev"
DOCUMENTS = sorted((DEV / "docs").glob("*.txt")) + sorted((DEV / "xlsx").glob("*.xlsx"))


@pytest.fixture(scope="module")
def evaluation() -> Evaluation:
    return evaluate(load_gold(DEV / "gold"), [extract_document(p) for p in DOCUMENTS])


def _misses(evaluation: Evaluation, source: str | None = None) -> str:
    return "\n".join(m.describe() for m in evaluation.misses if source is None or m.source == source)[:3000]


def test_every_dev_document_has_gold():
    assert len(DOCUMENTS) == 23
    assert {p.stem for p in DOCUMENTS} == {p.stem for p in (DEV / "gold").glob("*.json")}


def test_indicator_f1_over_the_dev_set(evaluation):
    f1 = evaluation.overall.indicator_f1
    assert f1 >= 0.95, f"indicator F1 {f1:.3f}\n{_misses(evaluation)}"


# a09 is an OCR'd self-evaluation whose cells ran together with no separator and whose header is
# garbled ("度效标80> 年绩目1分级标"): the reader's known gap (0.80 fitted since the run-together cuts).
GAPS = {"a09": 0.75}


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.stem[:3])
def test_indicator_f1_of_each_dev_document(evaluation, document):
    doc = next(d for d in evaluation.documents if d.source == document.name)
    assert doc.overall.indicator_f1 >= GAPS.get(document.stem[:3], 0.80), _misses(evaluation, document.name)


@pytest.mark.parametrize("field, floor", [("level1", 0.99), ("level2", 0.99), ("project_name", 0.95), ("goal", 0.95)])
def test_field_accuracy_on_the_dev_set(evaluation, field, floor):
    accuracy = evaluation.overall.accuracy(field)
    assert accuracy is not None and accuracy >= floor, f"{field} {accuracy}\n{_misses(evaluation)}"


def test_bureau_accuracy_on_the_dev_set(evaluation):
    assert evaluation.bureau_accuracy >= 0.95, _misses(evaluation)
