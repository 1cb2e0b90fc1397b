"""What the views read from the graph: projects, their indicators and targets, concepts, as plain facts.

The views (``kg/graph_views.py``) never touch RDF themselves; this module walks the shared RDF
model (``pkg:`` namespace, see the README's ontology section) over the union of all named graphs
and returns sorted dataclasses, so the same dataset always gives the same facts in the same order.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS, SKOS

from perfkg.errors import PerfkgError
from perfkg.extract.vocabulary import standard_level1
from perfkg.kg.iris import PKG
from perfkg.kg.query_library import QueryUsageError, resolve_concept

UNCLASSIFIED = "未分级"  # level-1 group of indicators printed without a level-1 name


class ViewSelectionError(PerfkgError, ValueError):
    """A --bureau/--project/--concept selector that names nothing (or several things) in the graph."""


@dataclass(frozen=True)
class IndicatorFacts:
    iri: str
    name: str
    level1: str  # the standard level-1 name where the printed one maps to it; colours go by this
    level1_printed: str
    level2_printed: str
    position: int
    printed_value: str | None
    numeric_value: float | None
    unit: str | None
    normalised_value: float | None
    normalised_unit: str | None
    description: str | None
    source: str | None
    line_start: int | None
    line_end: int | None
    concepts: tuple[str, ...] = ()

    def source_line(self) -> str:
        """``file.txt line 12`` or ``file.txt lines 12–14``; empty when the graph has neither."""
        where = self.source or ""
        if self.line_start is None:
            return where
        if self.line_end is None or self.line_end == self.line_start:
            return f"{where} line {self.line_start}".strip()
        return f"{where} lines {self.line_start}–{self.line_end}".strip()


@dataclass(frozen=True)
class ProjectFacts:
    iri: str
    name: str
    kind: str
    bureau_iri: str
    bureau_name: str
    year: int | None
    budget_total: float | None
    source: str | None
    indicators: tuple[IndicatorFacts, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ConceptFacts:
    iri: str
    label: str


def union_graph(graph: Graph) -> Graph:
    """All triples of a Dataset's named graphs (and its default graph) as one plain Graph."""
    contexts = getattr(graph, "contexts", None)
    if contexts is None or getattr(graph, "default_union", False):
        return graph  # a plain graph, or a dataset whose default graph already is the union
    merged = Graph()
    for context in contexts():
        merged += context
    return merged


def _text(graph: Graph, subject, predicate) -> str | None:
    """One literal value, chosen deterministically (Chinese first, then by text) when there are several."""
    values = [o for o in graph.objects(subject, predicate) if isinstance(o, Literal)]
    if not values:
        return None
    values.sort(key=lambda lit: (lit.language not in ("zh", None), str(lit)))
    return str(values[0])


def _number(graph: Graph, subject, predicate) -> float | None:
    value = graph.value(subject, predicate)
    if value is None:
        return None
    python = value.toPython() if isinstance(value, Literal) else None
    if isinstance(python, (int, float, Decimal)) and not isinstance(python, bool):
        return float(python)
    try:
        return float(str(value))
    except ValueError:
        return None


def _integer(graph: Graph, subject, predicate) -> int | None:
    number = _number(graph, subject, predicate)
    return None if number is None else int(number)


def _label(graph: Graph, node) -> str | None:
    return _text(graph, node, SKOS.prefLabel) or _text(graph, node, RDFS.label)


def _file_name(graph: Graph, document) -> str | None:
    if document is None:
        return None
    return _text(graph, document, PKG.fileName) or str(document).rsplit("/", 1)[-1]


def _indicator(graph: Graph, node, project_source: str | None) -> IndicatorFacts:
    level1_printed = _text(graph, node, PKG.level1Label) or ""
    level1_concept = graph.value(node, PKG.level1)
    level1 = (_label(graph, level1_concept) if level1_concept is not None else None) \
        or standard_level1(level1_printed) or level1_printed or UNCLASSIFIED
    target = graph.value(node, PKG.target)
    has_target = target is not None
    return IndicatorFacts(
        iri=str(node),
        name=_text(graph, node, RDFS.label) or "",
        level1=level1,
        level1_printed=level1_printed or level1,
        level2_printed=_text(graph, node, PKG.level2Label) or "",
        position=_integer(graph, node, PKG.position) or 0,
        printed_value=_text(graph, target, PKG.printedValue) if has_target else None,
        numeric_value=_number(graph, target, PKG.numericValue) if has_target else None,
        unit=_text(graph, target, PKG.unitLabel) if has_target else None,
        normalised_value=_number(graph, target, PKG.normalisedValue) if has_target else None,
        normalised_unit=_text(graph, target, PKG.normalisedUnitLabel) if has_target else None,
        description=_text(graph, node, PKG.description),
        source=_file_name(graph, graph.value(node, PKG.sourceDocument)) or project_source,
        line_start=_integer(graph, node, PKG.lineStart),
        line_end=_integer(graph, node, PKG.lineEnd),
        concepts=tuple(sorted(str(c) for c in graph.objects(node, PKG.concept))),
    )


def read_projects(graph: Graph) -> list[ProjectFacts]:
    """Every project of the graph with its indicators (in printed order), sorted by bureau, source and line."""
    union = union_graph(graph)
    projects = []
    for node in set(union.subjects(RDF.type, PKG.Project)):
        bureau = union.value(node, PKG.bureau)
        source = _file_name(union, union.value(node, PKG.sourceDocument))
        indicator_nodes = set(union.objects(node, PKG.hasIndicator)) | set(union.subjects(PKG.inProject, node))
        indicators = sorted((_indicator(union, i, source) for i in indicator_nodes),
                            key=lambda i: (i.position, i.line_start or 0, i.iri))
        projects.append(ProjectFacts(
            iri=str(node),
            name=_text(union, node, RDFS.label) or "",
            kind=_text(union, node, PKG.projectKind) or "project",
            bureau_iri=str(bureau) if bureau is not None else "",
            bureau_name=(_label(union, bureau) if bureau is not None else None) or "",
            year=_integer(union, node, PKG.budgetYear),
            budget_total=_number(union, node, PKG.budgetTotal),
            source=source,
            indicators=tuple(indicators),
        ))
    projects.sort(key=lambda p: (p.bureau_name, p.source or "", _first_line(p), p.name, p.iri))
    return projects


def _first_line(project: ProjectFacts) -> int:
    lines = [i.line_start for i in project.indicators if i.line_start is not None]
    return min(lines) if lines else 0


def _pick(kind: str, key: str, candidates: list[tuple[str, str]]) -> str:
    """The IRI a selector names: an exact IRI, else an exact label; ambiguity and absence are errors."""
    key = key.strip()
    iris = sorted({iri for iri, _ in candidates})
    if key in iris:
        return key
    named = sorted({iri for iri, label in candidates if label == key})
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        raise ViewSelectionError(f"{len(named)} {kind}s are labelled {key!r}; give one by IRI: "
                                 + ", ".join(named[:5]))
    labels = sorted({label for _, label in candidates if label})
    hint = "; known: " + ", ".join(labels[:8]) + (" …" if len(labels) > 8 else "") if labels else ""
    raise ViewSelectionError(f"no {kind} labelled or identified as {key!r} in the graph{hint}")


def select_project(projects: list[ProjectFacts], key: str) -> ProjectFacts:
    iri = _pick("project", key, [(p.iri, p.name) for p in projects])
    return next(p for p in projects if p.iri == iri)


def select_bureau(projects: list[ProjectFacts], key: str) -> str:
    """The bureau IRI a label or IRI stands for."""
    return _pick("bureau", key, [(p.bureau_iri, p.bureau_name) for p in projects if p.bureau_iri])


def select_concept(graph: Graph, key: str) -> ConceptFacts:
    """The concept a slug, label (pref or alt, any language) or IRI stands for (the query library's rules)."""
    union = union_graph(graph)
    try:
        iri = resolve_concept(union, key.strip())
    except QueryUsageError as err:
        raise ViewSelectionError(str(err)) from None
    return ConceptFacts(iri=str(iri), label=_label(union, iri) or str(iri).rsplit("/", 1)[-1])
