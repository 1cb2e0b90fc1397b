"""Extraction of every bundled seed document, evaluated against its bundled gold record.

The thresholds are floors under the measured figures (README, "Quality"): the content model is
fitted on the seeds too, so these are fitted figures. Seed 002's wide summary table (groups side
by side, eleven projects) is the reader's weakest family and has a floor of its own.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from perfkg.extract.evaluation import evaluate, load_gold
from perfkg.extract.evaluation_scores import Evaluation
from perfkg.extract.pipeline import extract_document

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "examples" / "documents").glob("*.txt"))
GOLD_DIR = Path(__file__).resolve().parent / "data" / "gold"


@pytest.fixture(scope="module")
def evaluation() -> Evaluation:
    gold = load_gold(GOLD_DIR)
    return evaluate(gold, [extract_document(path) for path in SEEDS])


def _misses(evaluation: Evaluation, source: str | None = None, limit: int = 15) -> str:
    chosen = [m.describe() for m in evaluation.misses if source is None or m.source == source]
    return "\n".join(chosen[:limit]) + (f"\n… {len(chosen) - limit} more" if len(chosen) > limit else "")


def test_every_seed_has_gold_and_every_gold_a_seed(evaluation):
    assert len(SEEDS) == 5
    assert [d.source for d in evaluation.documents] == [p.name for p in SEEDS]
    assert evaluation.unscored == []


def test_overall_indicator_f1(evaluation):
    f1 = evaluation.overall.indicator_f1
    assert f1 >= 0.99, f"indicator F1 {f1:.4f}\n{_misses(evaluation)}"


@pytest.mark.parametrize("seed", [p.name for p in SEEDS])
def test_indicator_f1_per_seed(evaluation, seed):
    doc = next(d for d in evaluation.documents if d.source == seed)
    f1 = doc.overall.indicator_f1
    floor = 0.97  # every seed (002, the wide department table, 0.98)
    assert f1 >= floor, f"{seed}: indicator F1 {f1:.4f}\n{_misses(evaluation, seed)}"


@pytest.mark.parametrize("field, threshold", [
    ("level1", 0.98), ("level2", 0.92), ("op", 0.98), ("num", 0.98), ("unit", 0.98),
    ("code", 0.95), ("budget_total", 0.95), ("budget_fiscal", 0.95), ("budget_other", 0.93),
])
def test_field_accuracy(evaluation, field, threshold):
    accuracy = evaluation.overall.accuracy(field)
    assert accuracy is not None, f"no {field} compared: no project or indicator matched"
    assert accuracy >= threshold, f"{field} accuracy {accuracy:.4f}\n" + "\n".join(
        m.describe() for m in evaluation.misses if m.field == field)


def test_every_project_is_found(evaluation):
    s = evaluation.overall
    assert s.project_f1 >= 0.99, "\n".join(
        m.describe() for m in evaluation.misses if m.kind in ("missing_project", "extra_project"))


def test_bureau_and_year_of_every_seed(evaluation):
    assert evaluation.bureau_accuracy == 1.0 and evaluation.year_accuracy == 1.0, "\n".join(
        m.describe() for m in evaluation.misses if m.kind == "document")
