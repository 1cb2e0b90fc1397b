"""SHACL validation of built graphs against ``ontology/shapes.ttl`` (pyshacl).

The union of all named graphs is validated as one graph: pyshacl would otherwise check each
named graph alone, and a document graph refers to framework concepts held in another graph.
Each violation is reported with its focus node, so a failing build names what is wrong.
"""
from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from perfkg import ontology


@dataclass(frozen=True)
class Violation:
    focus_node: str
    path: str | None
    message: str
    severity: str

    def __str__(self) -> str:
        where = f" ({self.path})" if self.path else ""
        return f"{self.severity}: {self.focus_node}{where}: {self.message}"


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation]

    def text(self, limit: int = 20) -> str:
        lines = [str(v) for v in self.violations[:limit]]
        if len(self.violations) > limit:
            lines.append(f"… and {len(self.violations) - limit} more")
        return "\n".join(lines)


@functools.lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    g = Graph()
    g.parse(data=ontology.path("shapes.ttl").read_text(encoding="utf-8"), format="turtle")
    return g


def _as_graph(data: Dataset | Graph) -> Graph:
    if isinstance(data, Dataset):
        g = Graph()
        for triple in data.triples((None, None, None)):
            g.add(triple)
        return g
    return data


def validate(data: Dataset | Graph) -> ValidationReport:
    """Validate a dataset (all its graphs together) or a graph against the project's shapes."""
    import pyshacl  # imported here: its import takes a second and most commands don't need it

    conforms, results, _ = pyshacl.validate(_as_graph(data), shacl_graph=shapes_graph(), advanced=True,
                                            allow_warnings=True)
    return ValidationReport(bool(conforms), _violations(results))


class Context:
    """The shared graphs a document graph refers to (framework, indicator concepts, units), indexed by
    subject, so each document is validated with only the shared nodes it reaches.

    The shapes follow at most two steps from a document's node into the shared graphs (an indicator's
    level-2 concept, its skos:broader level 1), so the triples of shared nodes within two steps of the
    document's objects decide the same verdicts as the whole shared graphs. ``skos:hasTopConcept`` is left
    out: it makes the schemes' top concepts focus nodes of their own, which are shared, not the document's.
    """

    DEPTH = 2

    def __init__(self, triples: Iterable[tuple]):
        from rdflib.namespace import SKOS

        self.by_subject: dict = {}
        for s, p, o in triples:
            if p != SKOS.hasTopConcept:
                self.by_subject.setdefault(s, []).append((s, p, o))

    def reached(self, graph: Graph) -> list[tuple]:
        out: list[tuple] = []
        seen: set = set()
        frontier = {o for o in graph.objects() if o in self.by_subject}
        for _ in range(self.DEPTH):
            nxt = set()
            for node in frontier - seen:
                seen.add(node)
                for triple in self.by_subject[node]:
                    out.append(triple)
                    if triple[2] in self.by_subject:
                        nxt.add(triple[2])
            frontier = nxt
        return out


def validate_document(graph: Graph, context: Context | Iterable[tuple] = ()) -> ValidationReport:
    """Validate one document's graph together with the shared graphs it refers to (``context``). The shapes
    are per node, so a corpus validated document by document gives the same verdicts as the union
    validated at once, in time proportional to its size.

    The shared triples it reaches are added to ``graph`` for the check and taken out again (only those
    it did not hold), so the document's triples are not copied: a copy cost as much as a third of the check."""
    import pyshacl

    borrowed = [t for t in (context.reached(graph) if isinstance(context, Context) else context) if t not in graph]
    for triple in borrowed:
        graph.add(triple)
    try:
        conforms, results, _ = pyshacl.validate(graph, shacl_graph=shapes_graph(), advanced=True,
                                                allow_warnings=True, inplace=True)
    finally:
        for triple in borrowed:
            graph.remove(triple)
    return ValidationReport(bool(conforms), _violations(results))


def _violations(results: Graph) -> list[Violation]:
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        severity = results.value(result, SH.resultSeverity)
        found.append(Violation(
            focus_node=_term_text(focus), path=_term_text(path) if path is not None else None,
            message=str(message) if message is not None else "constraint not met",
            severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation"))
    return sorted(found, key=lambda v: (v.focus_node, v.path or "", v.message))


def _term_text(term) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return repr(str(term))
    return str(term)
