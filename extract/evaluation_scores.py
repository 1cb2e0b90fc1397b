"""The evaluation's result model: counts per document and kind, the rates derived from them, and misses."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KINDS = ("project", "department")
# Fields scored as accuracies: over matched indicators, and over matched projects.
INDICATOR_FIELDS = ("level1", "level2", "op", "num", "unit")
PROJECT_FIELDS = ("code", "budget_total", "budget_fiscal", "budget_other", "goal")
# Every accuracy, in the reference scorer's order; project_name is over matched projects (same name).
ACCURACY_FIELDS = ("project_name",) + INDICATOR_FIELDS + PROJECT_FIELDS


@dataclass
class Tally:
    """Correct out of compared, for one accuracy."""

    correct: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.correct += ok
        self.total += 1

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.total if self.total else None


def _f1(matched: int, predicted: int, gold: int) -> tuple[float, float, float]:
    """Precision, recall, F1; a rate with nothing to divide by is 0 (as in the reference scorer)."""
    precision = matched / predicted if predicted else 0.0
    recall = matched / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


@dataclass
class Scores:
    """Counts for one document and kind (or summed over several); rates are derived."""

    projects_gold: int = 0
    projects_pred: int = 0
    projects_matched: int = 0
    indicators_gold: int = 0
    indicators_pred: int = 0
    indicators_matched: int = 0  # same level3 in a matched project
    indicators_correct: int = 0  # matched and the value agrees
    fields: dict[str, Tally] = field(default_factory=dict)

    def tally(self, name: str) -> Tally:
        return self.fields.setdefault(name, Tally())

    def merge(self, other: Scores) -> None:
        for name in ("projects_gold", "projects_pred", "projects_matched", "indicators_gold",
                     "indicators_pred", "indicators_matched", "indicators_correct"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name, t in other.fields.items():
            mine = self.tally(name)
            mine.correct += t.correct
            mine.total += t.total

    @property
    def project_prf(self) -> tuple[float, float, float]:
        return _f1(self.projects_matched, self.projects_pred, self.projects_gold)

    @property
    def name_prf(self) -> tuple[float, float, float]:
        return _f1(self.indicators_matched, self.indicators_pred, self.indicators_gold)

    @property
    def indicator_prf(self) -> tuple[float, float, float]:
        return _f1(self.indicators_correct, self.indicators_pred, self.indicators_gold)

    @property
    def indicator_f1(self) -> float:
        return self.indicator_prf[2]

    @property
    def project_f1(self) -> float:
        return self.project_prf[2]

    @property
    def name_f1(self) -> float:
        return self.name_prf[2]

    def accuracy(self, name: str) -> float | None:
        """Accuracy of one field (project_name, level1 … goal); None where nothing was compared."""
        return self.fields[name].accuracy if name in self.fields else None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {k: getattr(self, k) for k in (
            "projects_gold", "projects_pred", "projects_matched", "indicators_gold", "indicators_pred",
            "indicators_matched", "indicators_correct")}
        for prefix, prf in (("project", self.project_prf), ("name", self.name_prf), ("indicator", self.indicator_prf)):
            d[f"{prefix}_p"], d[f"{prefix}_r"], d[f"{prefix}_f1"] = prf
        for name in ACCURACY_FIELDS:
            if name in self.fields and self.fields[name].total:
                d[f"{name}_acc"] = self.fields[name].accuracy
        return d


def _unnamed(name: Any) -> Any:
    return None if name == "" else name


@dataclass
class Miss:
    """One disagreement: a missing or extra project/indicator, or a field that differs."""

    source: str
    kind: str  # missing_project, extra_project, project_name, missing_indicator, extra_indicator, field, document
    project: str | None = None
    level3: str | None = None
    field: str | None = None
    gold: Any = None
    pred: Any = None

    def describe(self) -> str:
        """The miss as one line, worded as the reference scorer's ``--verbose`` lists it where it lists it.

        An empty project name or level3 (null in the record file) is shown as None, as the scorer shows it.
        """
        project, level3 = _unnamed(self.project), _unnamed(self.level3)
        where = self.source + (f": {project}" if self.project is not None else "")
        if self.kind == "project_name":
            return f"{self.source}: project name gold={_unnamed(self.gold)!r} pred={_unnamed(self.pred)!r}"
        if self.kind == "document" and self.field == "document":
            return f"{self.source}: no predicted document"
        if self.kind in ("missing_project", "extra_project"):
            return f"{self.source}: {self.kind.replace('_', ' ')} {project!r}"
        if self.kind in ("missing_indicator", "extra_indicator"):
            shown = self.gold if self.kind == "missing_indicator" else self.pred
            return f"{where}: {self.kind.replace('_', ' ')} {level3!r}={shown!r}"
        if self.kind == "document":
            return f"{self.source}: {self.field} gold={self.gold!r} pred={self.pred!r}"
        label = f"{level3!r} " if self.level3 is not None else ""
        return f"{where}: {label}{self.field} gold={self.gold!r} pred={self.pred!r}"

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class DocumentEvaluation:
    """Scores of one document, per kind, with bureau and year agreement."""

    source: str
    has_prediction: bool
    bureau_ok: bool
    year_ok: bool
    by_kind: dict[str, Scores] = field(default_factory=dict)
    traditional_texts: int = 0  # predicted names/values in traditional characters (they do not match)

    @property
    def overall(self) -> Scores:
        total = Scores()
        for scores in self.by_kind.values():
            total.merge(scores)
        return total

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "has_prediction": self.has_prediction, "bureau_ok": self.bureau_ok,
                "year_ok": self.year_ok, "traditional_texts": self.traditional_texts, "all": self.overall.to_dict(),
                **{kind: s.to_dict() for kind, s in sorted(self.by_kind.items())}}


@dataclass
class Evaluation:
    """The whole evaluation: per-document breakdown, totals per kind and overall, and every miss."""

    documents: list[DocumentEvaluation]
    misses: list[Miss]
    unscored: list[str]  # predicted documents with no gold document

    def by_kind(self, kind: str) -> Scores:
        total = Scores()
        for doc in self.documents:
            if kind in doc.by_kind:
                total.merge(doc.by_kind[kind])
        return total

    @property
    def overall(self) -> Scores:
        total = Scores()
        for doc in self.documents:
            total.merge(doc.overall)
        return total

    @property
    def bureau_accuracy(self) -> float:
        """Share of gold documents whose bureau agrees (0 where there are none, as in the reference scorer)."""
        return sum(d.bureau_ok for d in self.documents) / max(1, len(self.documents))

    @property
    def year_accuracy(self) -> float:
        return sum(d.year_ok for d in self.documents) / max(1, len(self.documents))

    @property
    def traditional_texts(self) -> int:
        return sum(d.traditional_texts for d in self.documents)

    def kinds(self) -> list[str]:
        present = {k for d in self.documents for k in d.by_kind}
        return [k for k in KINDS if k in present] + sorted(present - set(KINDS))

    def to_dict(self) -> dict[str, Any]:
        return {"bureau_acc": self.bureau_accuracy, "year_acc": self.year_accuracy,
                "traditional_texts": self.traditional_texts,
                **{kind: self.by_kind(kind).to_dict() for kind in self.kinds()},
                "all": self.overall.to_dict(),
                "documents": [d.to_dict() for d in self.documents],
                "unscored": self.unscored,
                "misses": [m.to_dict() for m in self.misses]}
