"""SHACL validation of built graphs against ``ontology/shapes.ttl``: compiled checks by default, pyshacl the reference.

Two engines give the same verdicts. ``compiled`` (the default) runs the shapes as translated by
``kg/shape_compiler.py`` into direct checks over the graph's triples; ``shacl`` runs pyshacl. A shape the
compiler cannot translate is named in a warning, and a graph that gives it a focus node is validated
by pyshacl whatever the engine asked for (the report's ``engine`` says which ran).

The union of all named graphs is validated as one graph: pyshacl would otherwise check each
named graph alone, and a document graph refers to framework concepts held in another graph.
Each violation is reported with its focus node, so a failing build names what is wrong.
"""
from __future__ import annotations

import functools
import itertools
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, NamespaceManager

from perfkg import ontology
from perfkg.kg import shape_compiler

ENGINES = ("compiled", "shacl")
DEFAULT_ENGINE = "compiled"


@dataclass(frozen=True)
class Violation:
    focus_node: str
    path: str | None
    message: str
    severity: str
    component: str | None = None  # the constraint component, e.g. MinCountConstraintComponent
    value: str | None = None  # the value node the result is about (sh:value), when it names one

    def __str__(self) -> str:
        where = f" ({self.path})" if self.path else ""
        return f"{self.severity}: {self.focus_node}{where}: {self.message}"


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation]
    engine: str = "shacl"  # which engine gave the verdict: compiled, or shacl (asked for, or as the fallback)

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


@functools.lru_cache(maxsize=1)
def compiled_shapes() -> shape_compiler.CompiledShapes:
    """The project's shapes compiled (once per process); each shape it cannot translate is one warning."""
    compiled = shape_compiler.CompiledShapes(shapes_graph())
    reasons = [compiled.global_reason] if compiled.global_reason else list(compiled.unsupported.values())
    for reason in reasons:
        warnings.warn(f"shapes.ttl: {reason}, which the compiled validator does not translate; graphs it applies "
                      "to are validated with pyshacl", RuntimeWarning, stacklevel=2)
    return compiled


def _engine(engine: str) -> str:
    if engine not in ENGINES:
        raise ValueError(f"unknown validation engine {engine!r}; choose one of {', '.join(ENGINES)}")
    return engine


def validate(data: Dataset | Graph, engine: str = DEFAULT_ENGINE) -> ValidationReport:
    """Validate a dataset (all its graphs together) or a graph against the project's shapes."""
    if _engine(engine) == "compiled":
        if isinstance(data, Dataset):  # pyshacl is given a plain Graph of the union: its prefixes name nodes
            report = _compiled(data.triples((None, None, None)), Graph().namespace_manager)
        else:
            report = _compiled(data, data.namespace_manager)
        if report is not None:
            return report
    import pyshacl  # imported here: its import takes a second and most commands don't need it

    conforms, results, _ = pyshacl.validate(_as_graph(data), shacl_graph=shapes_graph(), advanced=True,
                                            allow_warnings=True)
    return ValidationReport(bool(conforms), _violations(results), _fallback_name(engine))


def _fallback_name(engine: str) -> str:
    return "shacl" if engine == "shacl" else "shacl (fallback: a shape the compiler does not translate)"


def _compiled(triples: Iterable[Any], nsm: NamespaceManager) -> ValidationReport | None:
    """The compiled verdict, or None when a shape that applies must be checked by pyshacl."""
    compiled = compiled_shapes()
    outcome = shape_compiler.check(compiled, shape_compiler.index(compiled, triples, nsm))
    if outcome.fallback:
        return None
    found = [Violation(focus_node=_term_text(r.focus), path=_path_text(compiled.graph, r.path), message=r.text(),
                       severity="Violation", component=_local(r.component),
                       value=_term_text(r.value) if r.value is not None else None) for r in outcome.results]
    return ValidationReport(outcome.conforms, sorted(found, key=_order), "compiled")


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

    def reached(self, graph: Iterable[tuple]) -> list[tuple]:
        """The shared triples within two steps of the objects of ``graph`` (any iterable of triples)."""
        out: list[tuple] = []
        seen: set = set()
        by_subject = self.by_subject
        frontier = {o for _, _, o in graph if o in by_subject}
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


def validate_document(graph: Graph | Any, context: Context | Iterable[tuple] = (),
                      engine: str = DEFAULT_ENGINE) -> ValidationReport:
    """Validate one document's graph together with the shared graphs it refers to (``context``). The shapes
    are per node, so a corpus validated document by document gives the same verdicts as the union
    validated at once, in time proportional to its size.

    The shared triples it reaches are added to ``graph`` for the check and taken out again (only those
    it did not hold), so the document's triples are not copied: a copy cost as much as a third of the check.
    ``graph`` may also be a ``graph_build.DocumentTriples`` (the load path's build); pyshacl gets it as a Graph."""
    reached = context.reached(graph) if isinstance(context, Context) else list(context)
    if _engine(engine) == "compiled":
        report = _compiled(itertools.chain(graph, reached), graph.namespace_manager)
        if report is not None:
            return report
    import pyshacl

    if not isinstance(graph, Graph):  # triples without a store: a Graph with the same prefixes
        copy = Graph(namespace_manager=graph.namespace_manager)
        for triple in graph:
            copy.add(triple)
        graph = copy

    borrowed = [t for t in reached if t not in graph]
    for triple in borrowed:
        graph.add(triple)
    try:
        conforms, results, _ = pyshacl.validate(graph, shacl_graph=shapes_graph(), advanced=True,
                                                allow_warnings=True, inplace=True)
    finally:
        for triple in borrowed:
            graph.remove(triple)
    return ValidationReport(bool(conforms), _violations(results), _fallback_name(engine))


def _violations(results: Graph) -> list[Violation]:
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        severity = results.value(result, SH.resultSeverity)
        component = results.value(result, SH.sourceConstraintComponent)
        value = results.value(result, SH.value)
        found.append(Violation(
            focus_node=_term_text(focus), path=_path_text(results, path),
            message=str(message) if message is not None else "constraint not met",
            severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
            component=_local(component) if component is not None else None,
            value=_term_text(value) if value is not None else None))
    return sorted(found, key=_order)


def _order(v: Violation) -> tuple[str, ...]:
    return (v.focus_node, v.path or "", v.message, v.component or "", v.value or "")


def _local(term: Any) -> str:
    return str(term).rsplit("#", 1)[-1]


def _path_text(graph: Graph, path: Any) -> str | None:
    """A result's path: ``<iri>``, or ``^<iri>`` for an inverse path (whose blank node pyshacl copies anew
    into each report, so its label says nothing)."""
    if path is None:
        return None
    if isinstance(path, BNode):
        inverse = graph.value(path, SH.inversePath)
        if isinstance(inverse, URIRef):
            return f"^<{inverse}>"
    return _term_text(path)


def _term_text(term) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return repr(str(term))
    return str(term)
