"""2,000 generated documents of every family (seed fixed, recombined from seed gold only, a seed the
content model is not fitted on), read against their gold: the reader on documents it has never seen."""
from __future__ import annotations

from collections import Counter

import pytest

from perfkg.extract.evaluation import evaluate
from perfkg.extract.pipeline import extract_text
from perfkg.extract.records import load_records
from perfkg.extract.synth import generate

DOCUMENTS = 2000


@pytest.fixture(scope="module")
def corpus():
    gold, pred, families = [], [], Counter()
    for name, text, raw in generate(DOCUMENTS, seed=99, sources=("seeds",)):
        record = load_records(raw)[0]
        record.source = name
        gold.append(record)
        pred.append(extract_text(text.split("\n"), name))
        families[raw["synth"]["family"]] += 1
    return evaluate(gold, pred), families


def test_every_family_is_in_the_corpus(corpus):
    _, families = corpus
    assert len(families) >= 14 and min(families.values()) >= 20, families


def test_generated_documents_read_above_the_floor(corpus):
    evaluation, _ = corpus
    f1 = evaluation.overall.indicator_f1
    assert f1 >= 0.955, f"indicator F1 {f1:.3f} on {DOCUMENTS} generated documents (README, Quality)"
