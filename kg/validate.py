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


def validate_document(graph: Graph, context: Iterable[tuple] = ()) -> ValidationReport:
    """Validate one document's graph together with the graphs it refers to (``context``: the triples of
    the framework, concept and unit graphs). The shapes are per node, so a corpus validated document by
    document gives the same verdicts as the union validated at once, in time proportional to its size."""
    import pyshacl

    g = Graph()
    for triple in context:
        g.add(triple)
    for triple in graph:
        g.add(triple)
    # inplace: the graph is this call's own copy, so pyshacl need not clone it again
    conforms, results, _ = pyshacl.validate(g, shacl_graph=shapes_graph(), advanced=True, allow_warnings=True,
                                            inplace=True)
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
