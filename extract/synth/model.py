"""The generator's document model: what a synthetic document prints, from which its gold is read.

A :class:`Row` holds an indicator as it will be printed (level labels, name, value or its
comparator / number / unit parts, extras). Garbling changes these fields; decorations the
record format ignores (markers before names, weights after level-1 labels, whitespace,
line wraps) are added only when rendering. :func:`gold_record` turns the model into the
record format of ``docs/records.md``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from perfkg.extract.target_values import parse_target_value
from perfkg.extract.text_normalise import compact


@dataclass
class Row:
    level1: str | None          # printed level-1 label (no weight suffix)
    level2: str | None          # printed level-2 label
    level3: str                 # indicator name (no marker)
    value: str | None           # printed value, joined; None when lost
    parts: tuple[str, str, str] | None = None  # (comparator, number, unit) for split columns
    qualitative: bool = False
    description: str | None = None
    basis: str | None = None
    weight: float | None = None
    actual: str | None = None
    points: float | None = None
    midterm: str | None = None  # the 中长期 side of a twin table
    gold_level1: str | None = None  # level1 the gold records when it differs from the printed one
    marker: str = ""            # printed before level3, not part of the gold


@dataclass
class Proj:
    name: str
    kind: str = "project"
    code: str | None = None
    total: float | None = None   # 万元
    fiscal: float | None = None
    other: float | None = None
    goal: str | None = None
    midterm_goal: str | None = None
    unit: str | None = None      # 实施单位 (printed only)
    rows: list[Row] = field(default_factory=list)
    budget_printed: bool = True
    budget_parts_printed: bool = True  # 财政拨款 / 其他资金 printed beside the total
    other_printed: bool = True   # 其他资金 printed (a blank cell is no figure)
    goal_printed: bool = True
    code_printed: bool = True
    title_suffix: str = ""       # 项目绩效目标表 / 绩效目标表 when the name is printed only in the title


@dataclass
class Doc:
    bureau: str
    year: int
    topic: str
    projects: list[Proj] = field(default_factory=list)
    bureau_printed: bool = True
    year_printed: bool = True


def _num(x: float | None) -> float | None:
    return None if x is None else round(float(x), 6)


def gold_record(doc: Doc, source: str, tags: dict[str, Any],
                convert: Callable[[str], str] = lambda s: s) -> dict[str, Any]:
    """The record of ``doc`` in the interchange format; ``convert`` maps printed text to the
    simplified text the gold holds (identity, or traditional→simplified round trip)."""

    def text(s: str | None) -> str | None:
        if s is None:
            return None
        t = compact(convert(s))
        return t or None

    projects = []
    for p in doc.projects:
        indicators = []
        for r in p.rows:
            tv = parse_target_value(convert(r.value) if r.value is not None else None)
            ind: dict[str, Any] = {
                "level1": text(r.gold_level1 if r.gold_level1 is not None else r.level1),
                "level2": text(r.level2), "level3": text(r.level3),
                "value": tv.value, "op": tv.op, "num": tv.num, "unit": tv.unit,
            }
            if r.description:
                ind["description"] = text(r.description)
            if r.basis:
                ind["basis"] = text(r.basis)
            if r.weight is not None:
                ind["score"] = float(r.weight)
            if r.actual is not None:
                ind["actual"] = text(r.actual)
            if r.points is not None:
                ind["points"] = float(r.points)
            indicators.append(ind)
        projects.append({
            "name": text(p.name), "code": p.code if p.code_printed else None, "kind": p.kind,
            "budget_total": _num(p.total) if p.budget_printed else None,
            "budget_fiscal": _num(p.fiscal) if p.budget_printed and p.budget_parts_printed else None,
            "budget_other": _num(p.other) if p.budget_printed and p.budget_parts_printed and p.other_printed else None,
            "goal": text(p.goal) if p.goal_printed else None,
            "indicators": indicators,
        })
    return {
        "source": source,
        "bureau": text(doc.bureau) if doc.bureau_printed else None,
        "year": doc.year if doc.year_printed else None,
        "projects": projects,
        "synth": tags,
    }
