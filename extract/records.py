"""The record model: documents, projects, indicators and flags, with JSON round trip.

Every layout parser ends in these dataclasses; ``to_dict`` writes the interchange format of
``docs/records.md`` (the spec's keys always, optional keys only where they carry something).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from perfkg.extract.flags import check_code


@dataclass
class Flag:
    """A data-quality issue found while reading a table: what, where, and the text involved.

    ``code`` is one of ``perfkg.extract.flags.FLAG_CODES`` (an unknown one raises ValueError here,
    where the flag is made); ``Flag.read`` keeps a stored flag as it was written."""

    code: str
    message: str
    line: int | None = None
    text: str | None = None

    def __post_init__(self) -> None:
        check_code(self.code)

    @classmethod
    def read(cls, code: str, message: str, line: int | None = None, text: str | None = None) -> Flag:
        """A flag as a record file or a graph stored it, its code kept even when this version does not
        emit it (gold files and graphs written by other versions)."""
        flag = cls.__new__(cls)  # no __post_init__: what was stored is data, not an emitter's bug
        flag.code, flag.message, flag.line, flag.text = code, message, line, text
        return flag

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.line is not None:
            d["line"] = self.line
        if self.text is not None:
            d["text"] = self.text
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any] | str) -> Flag:
        if isinstance(d, str):  # tolerate hand-written flags
            return Flag("note", d)
        return cls.read(d.get("code", "note"), d.get("message", ""), d.get("line"), d.get("text"))


@dataclass
class Indicator:
    level1: str | None
    level2: str | None
    level3: str
    value: str | None = None
    op: str | None = None
    num: float | None = None
    unit: str | None = None
    description: str | None = None
    basis: str | None = None
    score: float | None = None
    actual: str | None = None  # 实际完成值 of a self-evaluation table (绩效自评表)
    points: float | None = None  # 得分 of a self-evaluation table
    flags: list[Flag] = field(default_factory=list)
    span: tuple[int, int] | None = None  # first and last source line (1-based)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "level1": self.level1, "level2": self.level2, "level3": self.level3,
            "value": self.value, "op": self.op, "num": self.num, "unit": self.unit,
        }
        for key in ("description", "basis", "score", "actual", "points"):
            if getattr(self, key) is not None:
                d[key] = getattr(self, key)
        if self.flags:
            d["flags"] = [f.to_dict() for f in self.flags]
        if self.span is not None:
            d["span"] = list(self.span)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Indicator:
        span = d.get("span")
        return cls(
            level1=d.get("level1"), level2=d.get("level2"), level3=d.get("level3") or "",
            value=d.get("value"), op=d.get("op"),
            num=None if d.get("num") is None else float(d["num"]), unit=d.get("unit"),
            description=d.get("description"), basis=d.get("basis"),
            score=None if d.get("score") is None else float(d["score"]),
            actual=d.get("actual"),
            points=None if d.get("points") is None else float(d["points"]),
            flags=[Flag.from_dict(f) for f in d.get("flags") or []],
            span=(int(span[0]), int(span[-1])) if span else None,
        )


@dataclass
class Project:
    name: str
    code: str | None = None
    kind: str = "project"  # "project" or "department"
    budget_total: float | None = None
    budget_fiscal: float | None = None
    budget_other: float | None = None
    goal: str | None = None
    indicators: list[Indicator] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    span: tuple[int, int] | None = None
    layout: str | None = None  # name of the layout parser that read the table

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "name": self.name, "code": self.code, "kind": self.kind,
            "budget_total": self.budget_total, "budget_fiscal": self.budget_fiscal,
            "budget_other": self.budget_other, "goal": self.goal,
            "indicators": [i.to_dict() for i in self.indicators],
        }
        if self.flags:
            d["flags"] = [f.to_dict() for f in self.flags]
        if self.span is not None:
            d["span"] = list(self.span)
        if self.layout:
            d["layout"] = self.layout
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Project:
        span = d.get("span")

        def num(key: str) -> float | None:
            return None if d.get(key) is None else float(d[key])

        return cls(
            name=d.get("name") or "", code=d.get("code"), kind=d.get("kind") or "project",
            budget_total=num("budget_total"), budget_fiscal=num("budget_fiscal"),
            budget_other=num("budget_other"), goal=d.get("goal"),
            indicators=[Indicator.from_dict(i) for i in d.get("indicators") or []],
            flags=[Flag.from_dict(f) for f in d.get("flags") or []],
            span=(int(span[0]), int(span[-1])) if span else None,
            layout=d.get("layout"),
        )


@dataclass
class DocumentRecord:
    source: str
    bureau: str | None = None
    year: int | None = None
    projects: list[Project] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    sha256: str | None = None
    # The path the document was read from, as given: with ``sha256`` it tells documents of the same
    # name apart (kg/iris.document_key). Not part of the interchange format, nor of equality.
    path: str | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "source": self.source, "bureau": self.bureau, "year": self.year,
            "projects": [p.to_dict() for p in self.projects],
        }
        if self.flags:
            d["flags"] = [f.to_dict() for f in self.flags]
        if self.sha256:
            d["sha256"] = self.sha256
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DocumentRecord:
        return cls(
            source=d.get("source") or "", bureau=d.get("bureau"),
            year=None if d.get("year") is None else int(d["year"]),
            projects=[Project.from_dict(p) for p in d.get("projects") or []],
            flags=[Flag.from_dict(f) for f in d.get("flags") or []],
            sha256=d.get("sha256"),
        )

    def indicator_count(self) -> int:
        return sum(len(p.indicators) for p in self.projects)


def load_records(data: Any) -> list[DocumentRecord]:
    """Documents from parsed JSON: one document object or an array of them."""
    items = data if isinstance(data, list) else [data]
    return [DocumentRecord.from_dict(d) for d in items]
