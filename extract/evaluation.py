"""Evaluation: predicted records scored against gold records by the spec's matching rules.

Documents are paired by source file name; projects by normalised name (with code or budget
deciding between gold projects that share a name); indicators by normalised level-3 name
(with the value deciding among several). An indicator counts as correct for the F1 only where
its value agrees too. Traditional characters are converted to simplified before comparing.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extract.evaluation_scores import (INDICATOR_FIELDS, PROJECT_FIELDS, DocumentEvaluation, Evaluation, Miss,
                                       Scores)
from extract.pipeline import expand_paths, extract_paths
from extract.records import DocumentRecord, Indicator, Project
from extract.serialise import RECORD_SUFFIXES, RecordFileError, read_record_file, record_files
from extract.target_values import clean_value_text
from extract.text_normalise import match_key, to_simplified

BUDGET_FIELDS = ("budget_total", "budget_fiscal", "budget_other")
RELATIVE_TOLERANCE = 1e-6

# Spellings that print the same value differently: the evaluation treats them as equal.
_VALUE_SPELLINGS = (("百分比", "%"), ("≧", "≥"), ("≦", "≤"))


# ---------------------------------------------------------------- normalisation


def name_key(text: str | None) -> str:
    """Key names, levels and codes are compared by: simplified, then ``match_key``."""
    return match_key(to_simplified(text)) if text else ""


def value_key(text: str | None) -> str:
    """Key printed values are compared by: ``name_key`` without 文字描述 and with one spelling per sign."""
    key = name_key(clean_value_text(text))
    for variant, standard in _VALUE_SPELLINGS:
        key = key.replace(variant, standard)
    return key


def numbers_agree(gold: float | None, pred: float | None) -> bool:
    if gold is None or pred is None:
        return gold is None and pred is None
    return math.isclose(gold, pred, rel_tol=RELATIVE_TOLERANCE, abs_tol=1e-12)


def _field_agrees(name: str, gold: Any, pred: Any) -> bool:
    if name in ("num",) + BUDGET_FIELDS:
        return numbers_agree(gold, pred)
    if name == "unit":
        return value_key(gold) == value_key(pred)
    if name == "op":
        return (gold or None) == (pred or None)
    return name_key(gold) == name_key(pred)


def value_agrees(gold: Indicator, pred: Indicator) -> bool:
    """The F1 rule: same normalised printed value, or for a quantitative gold value same op/num/unit."""
    if value_key(gold.value) == value_key(pred.value):
        return True
    return gold.num is not None and all(
        _field_agrees(name, getattr(gold, name), getattr(pred, name)) for name in ("op", "num", "unit"))


# ---------------------------------------------------------------- matching


def _budget_agrees(gold: Project, pred: Project) -> bool:
    return gold.budget_total is not None and numbers_agree(gold.budget_total, pred.budget_total)


def match_projects(gold: list[Project], pred: list[Project]) -> list[tuple[int, int]]:
    """(gold index, pred index) pairs: same name; a name shared by gold projects needs code or budget too."""
    shared = {}
    for g in gold:
        shared[name_key(g.name)] = shared.get(name_key(g.name), 0) + 1
    taken: set[int] = set()
    pairs = []
    for pi, p in enumerate(pred):
        key = name_key(p.name)
        for gi, g in enumerate(gold):
            if gi in taken or name_key(g.name) != key:
                continue
            if shared[key] > 1 and not ((g.code and name_key(g.code) == name_key(p.code)) or _budget_agrees(g, p)):
                continue
            taken.add(gi)
            pairs.append((gi, pi))
            break
    return pairs


def match_indicators(gold: list[Indicator], pred: list[Indicator]) -> list[tuple[int, int]]:
    """(gold index, pred index) pairs: same level3, preferring the gold indicator with the same value."""
    taken_gold: set[int] = set()
    taken_pred: set[int] = set()
    pairs = []
    for same_value in (True, False):
        for pi, p in enumerate(pred):
            if pi in taken_pred:
                continue
            for gi, g in enumerate(gold):
                if gi in taken_gold or name_key(g.level3) != name_key(p.level3):
                    continue
                if same_value and value_key(g.value) != value_key(p.value):
                    continue
                taken_gold.add(gi)
                taken_pred.add(pi)
                pairs.append((gi, pi))
                break
    return sorted(pairs)


def _score_project(source: str, gold: Project, pred: Project, scores: Scores, misses: list[Miss]) -> None:
    scores.projects_matched += 1
    for name in PROJECT_FIELDS:
        g, p = getattr(gold, name), getattr(pred, name)
        if g is None:
            continue  # scored where the gold table prints the field
        ok = _field_agrees(name, g, p)
        scores.tally(name).add(ok)
        if not ok:
            misses.append(Miss(source, "field", gold.name, None, name, g, p))
    matched_gold: set[int] = set()
    matched_pred: set[int] = set()
    for gi, pi in match_indicators(gold.indicators, pred.indicators):
        g, p = gold.indicators[gi], pred.indicators[pi]
        matched_gold.add(gi)
        matched_pred.add(pi)
        scores.indicators_matched += 1
        if value_agrees(g, p):
            scores.indicators_correct += 1
        else:
            misses.append(Miss(source, "field", gold.name, g.level3, "value", g.value, p.value))
        for name in INDICATOR_FIELDS:
            ok = _field_agrees(name, getattr(g, name), getattr(p, name))
            scores.tally(name).add(ok)
            if not ok:
                misses.append(Miss(source, "field", gold.name, g.level3, name, getattr(g, name), getattr(p, name)))
    misses.extend(Miss(source, "missing_indicator", gold.name, g.level3, gold=g.value)
                  for gi, g in enumerate(gold.indicators) if gi not in matched_gold)
    misses.extend(Miss(source, "extra_indicator", gold.name, p.level3, pred=p.value)
                  for pi, p in enumerate(pred.indicators) if pi not in matched_pred)


def _bureau_agrees(gold: str | None, pred: str | None) -> bool:
    g, p = name_key(gold), name_key(pred)
    if not g or not p:
        return g == p
    return g in p or p in g


def evaluate_document(gold: DocumentRecord, pred: DocumentRecord | None, misses: list[Miss]) -> DocumentEvaluation:
    """Scores of one predicted document (None: nothing was predicted) against its gold document."""
    source = gold.source
    predicted = pred or DocumentRecord(source=source)
    doc = DocumentEvaluation(source, pred is not None, _bureau_agrees(gold.bureau, predicted.bureau),
                             gold.year == predicted.year)
    if pred is None:
        misses.append(Miss(source, "document", field="document", gold="present", pred=None))
    if not doc.bureau_ok:
        misses.append(Miss(source, "document", field="bureau", gold=gold.bureau, pred=predicted.bureau))
    if not doc.year_ok:
        misses.append(Miss(source, "document", field="year", gold=gold.year, pred=predicted.year))

    def scores_for(kind: str) -> Scores:
        return doc.by_kind.setdefault(kind, Scores())

    for p in gold.projects:
        s = scores_for(p.kind)
        s.projects_gold += 1
        s.indicators_gold += len(p.indicators)
    pairs = match_projects(gold.projects, predicted.projects)
    gold_of_pred = {pi: gi for gi, pi in pairs}
    for pi, p in enumerate(predicted.projects):
        kind = gold.projects[gold_of_pred[pi]].kind if pi in gold_of_pred else p.kind
        s = scores_for(kind)
        s.projects_pred += 1
        s.indicators_pred += len(p.indicators)
    for gi, g in enumerate(gold.projects):
        pi = next((pi for g2, pi in pairs if g2 == gi), None)
        if pi is None:
            misses.append(Miss(source, "missing_project", g.name))
        else:
            _score_project(source, g, predicted.projects[pi], scores_for(g.kind), misses)
    misses.extend(Miss(source, "extra_project", p.name) for pi, p in enumerate(predicted.projects)
                  if pi not in gold_of_pred)
    doc.traditional_texts = _count_traditional(predicted)
    return doc


def _count_traditional(record: DocumentRecord) -> int:
    """Predicted texts that OpenCC would change: the comparison forgives them, the count shows them."""
    texts = [record.bureau] + [t for p in record.projects for t in (
        [p.name] + [x for i in p.indicators for x in (i.level1, i.level2, i.level3, i.value)])]
    return sum(1 for t in texts if t and to_simplified(t) != t)


def evaluate(gold: Iterable[DocumentRecord], pred: Iterable[DocumentRecord],
             predicted_only: bool = False) -> Evaluation:
    """Score predicted documents against gold documents, paired by source file name.

    A gold document with no prediction counts as entirely missed, unless ``predicted_only``
    restricts the evaluation to the gold documents that have one.
    """
    predicted: dict[str, DocumentRecord] = {}
    for record in pred:
        predicted.setdefault(_source_name(record.source), record)
    misses: list[Miss] = []
    documents = []
    gold_names = set()
    for record in sorted(gold, key=lambda r: _source_name(r.source)):
        name = _source_name(record.source)
        gold_names.add(name)
        if predicted_only and name not in predicted:
            continue
        documents.append(evaluate_document(record, predicted.get(name), misses))
    unscored = sorted(set(predicted) - gold_names)
    return Evaluation(documents, misses, unscored)


def _source_name(source: str) -> str:
    """The file name of a source, whichever path separator the producer used."""
    return re.split(r"[\\/]", source or "")[-1]


# ---------------------------------------------------------------- inputs


@dataclass
class Predictions:
    """Predicted records gathered from record files and documents, with the inputs that failed."""

    records: list[DocumentRecord] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def load_gold(path: Path) -> list[DocumentRecord]:
    """Gold documents from a record file or a directory of them; raises RecordFileError naming the file."""
    files = record_files(path)
    if not files:
        raise RecordFileError(f"{path}: no .json or .jsonl record files")
    return [record for f in files for record in read_record_file(f)]


def load_predictions(paths: Iterable[Path]) -> Predictions:
    """Predicted records: read from record files, or extracted now from document files.

    A directory holding .json/.jsonl files is read as records; any other directory as documents.
    """
    out = Predictions()
    for path in paths:
        files = record_files(path) if path.is_dir() else [path]
        if path.is_dir() and not files:
            documents = expand_paths([path])
        else:
            documents = [f for f in files if f.suffix.lower() not in RECORD_SUFFIXES]
            for f in files:
                if f.suffix.lower() in RECORD_SUFFIXES:
                    try:
                        out.records.extend(read_record_file(f))
                    except RecordFileError as exc:
                        out.errors.append(str(exc))
        for outcome in extract_paths(documents):
            if outcome.error:
                out.errors.append(outcome.error)
            else:
                out.records.append(outcome.record)
    return out
