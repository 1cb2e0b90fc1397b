"""Evaluation: predicted records scored against gold records by the spec's matching rules.

The rules are those of the reference scorer (docs/records.md; the scorer itself is vendored as
tests/reference/score.py, and tests/test_evaluation_agreement.py checks that every figure agrees).
Documents are paired by source file name; projects by normalised name (code, then budget,
choosing among several predictions of that name), then by one name containing the other (both
at least four characters), then the one gold project left over with the one prediction left over;
indicators by normalised level-3 name (the one whose value agrees chosen among several). An
indicator counts as correct for the F1 only where its value agrees too. Names are compared after
NFKC and the removal of whitespace and of a few brackets, quotes and colons, nothing else:
traditional characters or a marker kept before a level3 do not match simplified gold.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from perfkg.extract.evaluation_scores import (
    INDICATOR_FIELDS,
    PROJECT_FIELDS,
    DocumentEvaluation,
    Evaluation,
    Miss,
    Scores,
)
from perfkg.extract.pipeline import expand_paths, extract_paths
from perfkg.extract.records import DocumentRecord, Indicator, Project
from perfkg.extract.serialise import RECORD_SUFFIXES, RecordFileError, read_record_file, record_files
from perfkg.extract.text_normalise import to_simplified

BUDGET_FIELDS = ("budget_total", "budget_fiscal", "budget_other")
RELATIVE_TOLERANCE = 1e-6
MIN_CONTAINED_NAME = 4  # characters (normalised) both names need for a match by containment

# Removed before names, levels, codes and values are compared (after NFKC).
_KEY_PUNCT = re.compile(r"[\s（）()“”\"「」:：]+")
# Spellings that print the same value differently: the evaluation treats them as equal.
_VALUE_SPELLINGS = (("百分比", "%"), ("≧", "≥"), ("≦", "≤"))


# ---------------------------------------------------------------- normalisation


def name_key(text: Any) -> str:
    """Key names, levels, codes and comparators are compared by: NFKC, no whitespace, brackets, quotes, colons."""
    if text is None:
        return ""
    return _KEY_PUNCT.sub("", unicodedata.normalize("NFKC", str(text)))


def value_key(text: Any) -> str:
    """Key printed values, units and levels are compared by: ``name_key`` without a leading 文字描述,
    with one spelling per sign."""
    key = re.sub(r"^文字描述", "", name_key(text))
    for variant, standard in _VALUE_SPELLINGS:
        key = key.replace(variant, standard)
    return key


def numbers_agree(gold: Any, pred: Any) -> bool:
    """Both absent, or within a relative 1e-6 (absolute below 1)."""
    if gold is None or pred is None:
        return gold is None and pred is None
    try:
        a, b = float(gold), float(pred)
    except (TypeError, ValueError):
        return False
    return abs(a - b) <= RELATIVE_TOLERANCE * max(1.0, abs(a), abs(b))


def _field_agrees(name: str, gold: Any, pred: Any) -> bool:
    if name in ("num",) + BUDGET_FIELDS:
        return numbers_agree(gold, pred)
    if name in INDICATOR_FIELDS:  # level1, level2, op, unit
        return value_key(gold) == value_key(pred)
    return name_key(gold) == name_key(pred)  # code, goal


def value_agrees(gold: Indicator, pred: Indicator) -> bool:
    """The F1 rule: same normalised printed value, or for a quantitative gold value same op/num/unit."""
    if value_key(gold.value) == value_key(pred.value):
        return True
    return (gold.num is not None and numbers_agree(gold.num, pred.num)
            and name_key(gold.op) == name_key(pred.op) and value_key(gold.unit) == value_key(pred.unit))


# ---------------------------------------------------------------- matching


def match_projects(gold: list[Project], pred: list[Project]) -> list[tuple[int, int, bool]]:
    """(gold index, pred index, same name) for every matched gold project, in gold order.

    First by the same name (among several predictions of that name the one with the gold's code,
    else its total budget, else the first); then, for the gold projects left, the first prediction
    left whose name contains the gold name or is contained in it (both at least four characters);
    then, where exactly one gold and one prediction are left, those two.
    """
    matched: dict[int, tuple[int, bool]] = {}
    taken: set[int] = set()
    for gi, g in enumerate(gold):
        key = name_key(g.name)
        candidates = [pi for pi, p in enumerate(pred) if pi not in taken and name_key(p.name) == key]
        if len(candidates) > 1:
            by_code = [pi for pi in candidates if name_key(pred[pi].code) == name_key(g.code)]
            by_budget = [pi for pi in candidates if numbers_agree(pred[pi].budget_total, g.budget_total)]
            candidates = by_code or by_budget or candidates
        if candidates:
            taken.add(candidates[0])
            matched[gi] = (candidates[0], True)
    for gi, g in enumerate(gold):
        if gi in matched:
            continue
        gk = name_key(g.name)
        for pi, p in enumerate(pred):
            pk = name_key(p.name)
            if (pi not in taken and len(gk) >= MIN_CONTAINED_NAME and len(pk) >= MIN_CONTAINED_NAME
                    and (gk in pk or pk in gk)):
                taken.add(pi)
                matched[gi] = (pi, False)
                break
    left_gold = [gi for gi in range(len(gold)) if gi not in matched]
    left_pred = [pi for pi in range(len(pred)) if pi not in taken]
    if len(left_gold) == 1 and len(left_pred) == 1:
        matched[left_gold[0]] = (left_pred[0], False)
    return [(gi, *matched[gi]) for gi in sorted(matched)]


def match_indicators(gold: list[Indicator], pred: list[Indicator]) -> list[tuple[int, int]]:
    """(gold index, pred index) pairs, in gold order: the first prediction left with the same level3,
    preferring one whose value agrees."""
    taken: set[int] = set()
    pairs = []
    for gi, g in enumerate(gold):
        key = name_key(g.level3)
        same_name = [pi for pi, p in enumerate(pred) if pi not in taken and name_key(p.level3) == key]
        same_value = [pi for pi in same_name if value_agrees(g, pred[pi])]
        chosen = same_value or same_name
        if chosen:
            taken.add(chosen[0])
            pairs.append((gi, chosen[0]))
    return pairs


def _score_project(source: str, gold: Project, pred: Project, same_name: bool, scores: Scores,
                   misses: list[Miss]) -> None:
    scores.projects_matched += 1
    scores.tally("project_name").add(same_name)
    if not same_name:
        misses.append(Miss(source, "project_name", gold.name, gold=gold.name, pred=pred.name))
    for name in PROJECT_FIELDS:
        g, p = getattr(gold, name), getattr(pred, name)
        if g is None or (name == "goal" and not g):
            continue  # scored where the gold table prints the field
        ok = _field_agrees(name, g, p)
        scores.tally(name).add(ok)
        if not ok:
            misses.append(Miss(source, "field", gold.name, None, name, g, p))
    pairs = match_indicators(gold.indicators, pred.indicators)
    matched_pred = {pi for _, pi in pairs}
    misses.extend(Miss(source, "extra_indicator", gold.name, p.level3, pred=p.value)
                  for pi, p in enumerate(pred.indicators) if pi not in matched_pred)
    pred_of_gold = dict(pairs)
    for gi, g in enumerate(gold.indicators):
        if gi not in pred_of_gold:
            misses.append(Miss(source, "missing_indicator", gold.name, g.level3, gold=g.value))
            continue
        p = pred.indicators[pred_of_gold[gi]]
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


def _bureau_agrees(gold: str | None, pred: str | None) -> bool:
    g, p = name_key(gold), name_key(pred)
    if not g or not p:
        return g == p
    return g in p or p in g


def evaluate_document(gold: DocumentRecord, pred: DocumentRecord | None, misses: list[Miss]) -> DocumentEvaluation:
    """Scores of one predicted document (None: nothing was predicted) against its gold document."""
    source = _source_name(gold.source)
    predicted = pred or DocumentRecord(source=source)
    doc = DocumentEvaluation(source, pred is not None, _bureau_agrees(gold.bureau, predicted.bureau),
                             name_key(gold.year) == name_key(predicted.year))
    if pred is None:
        misses.append(Miss(source, "document", field="document", gold="present", pred=None))
    if not doc.bureau_ok:
        misses.append(Miss(source, "document", field="bureau", gold=gold.bureau, pred=predicted.bureau))
    if not doc.year_ok:
        misses.append(Miss(source, "document", field="year", gold=gold.year, pred=predicted.year))

    def scores_for(kind: str | None) -> Scores:
        return doc.by_kind.setdefault(kind or "project", Scores())

    pairs = match_projects(gold.projects, predicted.projects)
    gold_of_pred = {pi: gi for gi, pi, _ in pairs}
    for pi, p in enumerate(predicted.projects):
        if pi not in gold_of_pred:  # an extra prediction counts under its own kind
            s = scores_for(p.kind)
            s.projects_pred += 1
            s.indicators_pred += len(p.indicators)
            misses.append(Miss(source, "extra_project", p.name))
    matched = {gi: (pi, same_name) for gi, pi, same_name in pairs}
    for gi, g in enumerate(gold.projects):
        s = scores_for(g.kind)
        s.projects_gold += 1
        s.indicators_gold += len(g.indicators)
        if gi not in matched:
            misses.append(Miss(source, "missing_project", g.name))
            continue
        pi, same_name = matched[gi]
        p = predicted.projects[pi]
        s.projects_pred += 1  # a matched prediction counts under the gold project's kind
        s.indicators_pred += len(p.indicators)
        _score_project(source, g, p, same_name, s, misses)
    doc.traditional_texts = _count_traditional(predicted)
    return doc


def _count_traditional(record: DocumentRecord) -> int:
    """Predicted texts that OpenCC would change: they do not match simplified gold, the count says why."""
    texts = [record.bureau] + [t for p in record.projects for t in (
        [p.name] + [x for i in p.indicators for x in (i.level1, i.level2, i.level3, i.value)])]
    return sum(1 for t in texts if isinstance(t, str) and t and to_simplified(t) != t)


def evaluate(gold: Iterable[DocumentRecord], pred: Iterable[DocumentRecord],
             predicted_only: bool = False) -> Evaluation:
    """Score predicted documents against gold documents, paired by source file name.

    Where several documents (gold or predicted) have the same file name, the last one counts.
    A gold document with no prediction counts as entirely missed, unless ``predicted_only``
    restricts the evaluation to the gold documents that have one.
    """
    predicted = {_source_name(record.source): record for record in pred}
    gold_by_name = {_source_name(record.source): record for record in gold}
    misses: list[Miss] = []
    documents = []
    for name, record in sorted(gold_by_name.items()):
        if predicted_only and name not in predicted:
            continue
        documents.append(evaluate_document(record, predicted.get(name), misses))
    unscored = sorted(set(predicted) - set(gold_by_name))
    return Evaluation(documents, misses, unscored)


def _source_name(source: Any) -> str:
    """The file name of a source (what follows the last "/", as ``os.path.basename`` on POSIX)."""
    return str(source or "").rsplit("/", 1)[-1]


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
            elif outcome.record is not None:
                out.records.append(outcome.record)
    return out
