"""Records → RDF: one named graph per source document in an ``rdflib.Dataset``.

Every indicator carries its provenance (source document, line span). ``add_document`` replaces
the document's named graph whole, so re-ingesting a document changes exactly its triples.
After a document is written each function in ``ENRICHERS`` is called with ``(ds, record)``;
other steps (concept linking) register there by adding one entry.

``document_triples`` writes the same triples without an rdflib store (``DocumentTriples``: a list of
triples with the few look-ups the writers use), and ``nquads_text`` writes them as N-Quads: the load
path's build, a third of the rdflib one (tests/test_graph_build.py holds the two to the same triples).
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any, Protocol

from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import ORG as _ORG, PROV as _PROV, RDF as _RDF, RDFS as _RDFS, XSD as _XSD, NamespaceManager
from rdflib.term import Node

from perfkg.extract.records import DocumentRecord, Flag, Indicator, Project
from perfkg.extract.vocabulary import standard_level1, standard_level2
from perfkg.kg import concept_graph, divisions, iris, unit_graph, units
from perfkg.kg.framework_scheme import dimensions, framework_graph
from perfkg.kg.iris import PKG as _PKG, Terms
from perfkg.kg.provenance import DocumentProvenance, add_provenance

# the terms the writers use, made once (see iris.Terms)
PKG: Any = Terms(_PKG)
ORG: Any = Terms(_ORG)
PROV: Any = Terms(_PROV)
RDF: Any = Terms(_RDF)
RDFS: Any = Terms(_RDFS)
XSD: Any = Terms(_XSD)

Enricher = Callable[[Any, DocumentRecord], None]  # (a Dataset or DocumentTriples: its .graph(id), the record)
ENRICHERS: tuple[Enricher, ...] = (concept_graph.link_document,)


class TripleSink(Protocol):
    """What the writers need of a graph: an rdflib Graph, or ``DocumentTriples``."""

    def add(self, triple: tuple[Node, Node, Node]) -> Any: ...

    def subjects(self, predicate: Node, object: Node) -> Any: ...

    def objects(self, subject: Node, predicate: Node) -> Any: ...

    def value(self, subject: Node, predicate: Node) -> Any: ...


def _bind(ds: Dataset) -> Dataset:
    for prefix, ns in iris.PREFIXES.items():
        ds.bind(prefix, ns)
    ds.bind(concept_graph.CONCEPT_PREFIX, concept_graph.CONCEPT_NS)
    return ds


def new_dataset() -> Dataset:
    """An empty dataset (union default graph) holding the framework and indicator concept schemes."""
    ds = _bind(Dataset(default_union=True))
    fw = ds.graph(iris.FRAMEWORK_GRAPH)
    for triple in framework_graph():
        fw.add(triple)
    concept_graph.add_concept_scheme(ds)
    ug = ds.graph(unit_graph.UNITS_GRAPH)
    for triple in unit_graph.units_graph():
        ug.add(triple)
    return ds


def build_dataset(records: list[DocumentRecord],
                  provenance: Mapping[str, DocumentProvenance] | None = None) -> Dataset:
    """The dataset of the given documents (a later document with the same source replaces the earlier);
    ``provenance`` gives, by source, how and from where each was read (reader, time, URL, licence)."""
    ds = new_dataset()
    for record in records:
        add_document(ds, record, (provenance or {}).get(record.source))
    return ds


def add_document(ds: Dataset, record: DocumentRecord, provenance: DocumentProvenance | None = None) -> URIRef:
    """Put one document's triples in its named graph, replacing what that graph held; returns the graph IRI."""
    graph_id = iris.graph_iri(record)
    remove_document(ds, record)
    write_document(ds.graph(graph_id), record, provenance, ds)
    return graph_id


def write_document(g: TripleSink, record: DocumentRecord, provenance: DocumentProvenance | None,
                   ds: Any) -> None:
    """Write one document's triples into ``g``: the record, its provenance, then each enricher (given ``ds``,
    whose ``.graph(graph IRI)`` is ``g``). Both builds, rdflib's and ``document_triples``, go through here."""
    _DocumentWriter(g, record).write()
    add_provenance(g, record, provenance)
    for enrich in ENRICHERS:
        enrich(ds, record)


class DocumentTriples:
    """One document's graph as a list of distinct triples, with the look-ups the writers and enrichers make
    (an rdflib Graph's ``add``, ``subjects``, ``objects``, ``value``, ``remove``, ``set``) and ``graph(iri)``
    giving itself, as a dataset of this one graph would. No store: adding is a dict insert."""

    def __init__(self, identifier: URIRef, namespace_manager: NamespaceManager | None = None):
        self.identifier = identifier
        self._triples: dict[tuple[Node, Node, Node], None] = {}
        self._sp: dict[tuple[Node, Node], list[Node]] = {}
        self._po: dict[tuple[Node, Node], list[Node]] = {}
        self.namespace_manager = namespace_manager if namespace_manager is not None else namespaces()

    def graph(self, identifier: Node) -> "DocumentTriples":
        if identifier != self.identifier:
            raise KeyError(f"{identifier}: not this document's graph ({self.identifier})")
        return self

    def add(self, triple: tuple[Node, Node, Node]) -> "DocumentTriples":
        if triple not in self._triples:
            s, p, o = triple
            self._triples[triple] = None
            self._sp.setdefault((s, p), []).append(o)
            self._po.setdefault((p, o), []).append(s)
        return self

    def remove(self, pattern: tuple[Node | None, Node | None, Node | None]) -> "DocumentTriples":
        s, p, o = pattern
        for triple in [t for t in self._triples if (s is None or t[0] == s) and (p is None or t[1] == p)
                       and (o is None or t[2] == o)]:
            del self._triples[triple]
            self._sp[(triple[0], triple[1])].remove(triple[2])
            self._po[(triple[1], triple[2])].remove(triple[0])
        return self

    def set(self, triple: tuple[Node, Node, Node]) -> "DocumentTriples":
        self.remove((triple[0], triple[1], None))
        return self.add(triple)

    def subjects(self, predicate: Node, object: Node) -> Iterator[Node]:
        return iter(list(self._po.get((predicate, object), ())))

    def objects(self, subject: Node, predicate: Node) -> Iterator[Node]:
        return iter(list(self._sp.get((subject, predicate), ())))

    def value(self, subject: Node, predicate: Node) -> Node | None:
        found = self._sp.get((subject, predicate))
        return found[0] if found else None

    def __iter__(self) -> Iterator[tuple[Node, Node, Node]]:
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)

    def __contains__(self, triple: object) -> bool:
        return triple in self._triples


@functools.lru_cache(maxsize=1)
def namespaces() -> NamespaceManager:
    """The prefixes of ``new_dataset``'s graphs (validation messages name nodes with them)."""
    return _bind(Dataset(default_union=True)).namespace_manager


def document_triples(record: DocumentRecord, provenance: DocumentProvenance | None = None) -> DocumentTriples:
    """The triples ``add_document`` puts in the document's graph, without an rdflib store."""
    triples = DocumentTriples(iris.graph_iri(record))
    write_document(triples, record, provenance, triples)
    return triples


_IRI_BAD = re.compile(r'[<>" {}|\\^`]')


def _nt(term: Node) -> str:
    """A term in N-Triples, as rdflib's nt serialiser writes it (IRIs it would refuse are refused)."""
    if isinstance(term, Literal):
        lexical = str(term).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')
        text = '"%s"' % lexical.replace("\r", "\\r")
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype:
            return f"{text}^^<{term.datatype}>"
        return text
    if isinstance(term, URIRef):
        if _IRI_BAD.search(term):
            raise ValueError(f'"{term}" does not look like a valid URI, it cannot be written as N-Quads')
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    raise TypeError(f"not an RDF term: {term!r}")


def nquads_text(triples: Iterator[tuple[Node, Node, Node]] | DocumentTriples, graph: URIRef | str) -> str:
    """Triples as N-Quads lines in graph ``graph``."""
    tail = f" <{graph}> .\n"
    known: dict[Node, str] = {}  # the document's IRIs recur: written once each
    out = []
    for s, p, o in triples:
        st = known.get(s)
        if st is None:
            st = known[s] = _nt(s)
        pt = known.get(p)
        if pt is None:
            pt = known[p] = _nt(p)
        if isinstance(o, Literal):
            ot = _nt(o)
        else:
            ot = known.get(o)  # type: ignore[assignment]
            if ot is None:
                ot = known[o] = _nt(o)
        out.append(f"{st} {pt} {ot}{tail}")
    return "".join(out)


def remove_document(ds: Dataset, doc: DocumentRecord | str) -> None:
    """Drop the named graph of a document (a record, or a bare file name; no-op when it is absent)."""
    graph_id = iris.graph_iri(doc)
    if any(True for _ in ds.graph(graph_id).triples((None, None, None))):
        ds.remove_graph(graph_id)


def decimal_literal(value: float | Decimal) -> Literal:
    """An xsd:decimal in XSD 1.0 canonical form: no exponent, no trailing zeros, at least one digit
    after the point (3216 → "3216.0", 0.950 → "0.95"). Turtle's decimal shorthand prints exactly
    this form, so literals survive a Turtle round trip unchanged."""
    d = value if isinstance(value, Decimal) else units.exact_decimal(value)
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0")
    else:
        text += "."
    if text.endswith("."):
        text += "0"
    if text.startswith("-") and not text.strip("-0."):
        text = "0.0"
    return Literal(text, datatype=XSD.decimal)


@functools.lru_cache(maxsize=4096)
def _integer(value: int) -> Literal:
    """An xsd:integer literal (positions, years, lines recur: each made once)."""
    return Literal(value, datatype=XSD.integer)


def _text(value: str) -> Literal:
    return Literal(value)


def _label(value: str) -> Literal:
    return Literal(value, lang="zh")


class _DocumentWriter:
    """Writes one DocumentRecord into one graph."""

    def __init__(self, g: TripleSink, record: DocumentRecord):
        self.g = g
        self.record = record
        self.doc = iris.document_iri(record)
        self.key = iris.document_key(record)
        self.bureau = iris.bureau_iri(record.bureau) if record.bureau else None

    def add(self, s: URIRef, p: URIRef, o) -> None:
        if o is not None:
            self.g.add((s, p, o))

    def write(self) -> None:
        r, doc = self.record, self.doc
        self.add(doc, RDF.type, PKG.BudgetDocument)
        self.add(doc, RDF.type, PROV.Entity)
        self.add(doc, PKG.fileName, _text(r.source))
        if r.sha256:
            self.add(doc, PKG.sha256, _text(r.sha256))
        if r.year is not None:
            self.add(doc, PKG.budgetYear, _integer(r.year))
        if r.bureau:
            self.add(doc, PKG.bureau, self.bureau)
            self._bureau(r.bureau)
        self._flags(doc, r.flags)
        seen: dict[URIRef, int] = {}
        for position, project in enumerate(r.projects):
            base = iris.project_iri(r.bureau, r.year, project.code, project.name, document=self.key)
            occurrence = seen.get(base, 0)
            seen[base] = occurrence + 1
            iri = base if occurrence == 0 else iris.project_iri(r.bureau, r.year, project.code, project.name,
                                                                 occurrence, document=self.key)
            self._project(iri, position, project)

    def _bureau(self, name: str) -> None:
        b = self.bureau
        assert b is not None  # a record's bureau is written only when it names one
        self.add(b, RDF.type, PKG.Bureau)
        self.add(b, RDF.type, ORG.Organization)
        self.add(b, RDFS.label, _label(name))
        resolution = divisions.resolve(name)
        parent = None
        for division in resolution.divisions:
            d = iris.division_iri(division.code)
            self.add(d, RDF.type, PKG.Division)
            self.add(d, RDFS.label, _label(division.name))
            self.add(d, PKG.divisionCode, _text(division.code))
            self.add(d, PKG.divisionLevel, _text(division.level))
            if parent is not None:
                self.add(d, PKG.withinDivision, parent)
            parent = d
        if parent is not None:
            self.add(b, PKG.division, parent)
        if resolution.flag is not None:
            self._flags(b, [resolution.flag])

    def _project(self, p: URIRef, position: int, project: Project) -> None:
        r = self.record
        self.add(p, RDF.type, PKG.Project)
        self.add(p, RDFS.label, _label(project.name))
        self.add(p, PKG.position, _integer(position))
        self.add(p, PKG.projectKind, _text(project.kind))
        self.add(p, PKG.sourceDocument, self.doc)
        self.add(p, PROV.wasDerivedFrom, self.doc)
        if self.bureau is not None:
            self.add(p, PKG.bureau, self.bureau)
        if r.year is not None:
            self.add(p, PKG.budgetYear, _integer(r.year))
        if project.code:
            self.add(p, PKG.projectCode, _text(project.code))
        for prop, value in ((PKG.budgetTotal, project.budget_total), (PKG.budgetFiscal, project.budget_fiscal),
                            (PKG.budgetOther, project.budget_other)):
            if value is not None:
                self.add(p, prop, decimal_literal(value))
        if any(v is not None for v in (project.budget_total, project.budget_fiscal, project.budget_other)):
            self.add(p, PKG.budgetUnit, URIRef(unit_graph.budget_unit().iri))
        if project.goal is not None:
            self.add(p, PKG.goal, _text(project.goal))
        if project.layout:
            self.add(p, PKG.layout, _text(project.layout))
        self._span(p, project.span)
        self._flags(p, project.flags)
        for i_pos, indicator in enumerate(project.indicators):
            i = iris.indicator_iri(p, i_pos)
            self.add(p, PKG.hasIndicator, i)
            self._indicator(i, i_pos, p, indicator)

    def _indicator(self, i: URIRef, position: int, p: URIRef, ind: Indicator) -> None:
        self.add(i, RDF.type, PKG.Indicator)
        self.add(i, RDFS.label, _label(ind.level3))
        self.add(i, PKG.position, _integer(position))
        self.add(i, PKG.inProject, p)
        self.add(i, PKG.sourceDocument, self.doc)
        self.add(i, PROV.wasDerivedFrom, self.doc)
        self._span(i, ind.span)
        framework_concepts = []
        if ind.level1 is not None:
            self.add(i, PKG.level1Label, _text(ind.level1))
            std = standard_level1(ind.level1)
            if std:
                framework_concepts.append(iris.framework_concept_iri(1, std))
                self.add(i, PKG.level1, framework_concepts[-1])
        if ind.level2 is not None:
            self.add(i, PKG.level2Label, _text(ind.level2))
            std = standard_level2(ind.level2)
            if std:
                framework_concepts.append(iris.framework_concept_iri(2, std))
                self.add(i, PKG.level2, framework_concepts[-1])
        # a shortcut for the named queries (a fact of this document alone, so the build stays linear): the
        # level-1 dimensions the indicator measures (pkg:level1 / pkg:level2, then the framework's pkg:dimension)
        for framework_concept in framework_concepts:
            self.add(i, PKG.measuresDimension, dimensions()[framework_concept])
        if ind.description is not None:
            self.add(i, PKG.description, _text(ind.description))
        if ind.basis is not None:
            self.add(i, PKG.basis, _text(ind.basis))
        if ind.score is not None:
            self.add(i, PKG.scoreWeight, decimal_literal(ind.score))
        if ind.actual is not None:
            self.add(i, PKG.actualValue, _text(ind.actual))
        if ind.points is not None:
            self.add(i, PKG.points, decimal_literal(ind.points))
        if any(v is not None for v in (ind.value, ind.op, ind.num, ind.unit)):
            self._target(i, ind)
        self._flags(i, ind.flags)

    def _target(self, i: URIRef, ind: Indicator) -> None:
        t = iris.target_iri(i)
        self.add(i, PKG.target, t)
        self.add(t, RDF.type, PKG.TargetValue)
        if ind.value is not None:
            self.add(t, PKG.printedValue, _text(ind.value))
        if ind.op is not None:
            self.add(t, PKG.comparator, _text(ind.op))
        if ind.num is not None:
            self.add(t, PKG.numericValue, decimal_literal(ind.num))
        unit = units.parse_unit(ind.unit)
        if ind.unit is not None:
            self.add(t, PKG.unitLabel, _text(ind.unit))
            if unit is not None:
                self.add(t, PKG.unit, URIRef(unit.iri))
                self._describe_unit(unit)
        period = units.unit_period(ind.unit) or units.text_period(ind.level3, ind.description)
        if period is not None:
            self.add(t, PKG.period, _text(period))
        normalised = units.normalise(ind.num, ind.unit)
        base = units.base_unit(ind.unit)
        if normalised is not None and base is not None:
            self.add(t, PKG.normalisedValue, decimal_literal(normalised[0]))
            self.add(t, PKG.normalisedUnitLabel, _text(normalised[1]))
            self.add(t, PKG.normalisedUnit, URIRef(base.iri))
            q = URIRef(f"{t}/normalised")
            self.add(t, PKG.normalisedQuantity, q)
            for triple in unit_graph.quantity_triples(q, normalised[0], base):
                self.g.add(triple)
        self.add(t, PKG.isQualitative, Literal(ind.num is None and ind.value is not None))

    def _describe_unit(self, unit: units.UnitInfo) -> None:
        """A compound unit (元/人/年) is described in the document graph; atoms live in the units graph."""
        if unit.compound or not unit_graph.is_atom(unit.iri):
            for triple in unit_graph.unit_triples(unit):
                if not unit_graph.is_atom(str(triple[0])):
                    self.g.add(triple)

    def _span(self, s: URIRef, span: tuple[int, int] | None) -> None:
        if span is not None:
            self.add(s, PKG.lineStart, _integer(span[0]))
            self.add(s, PKG.lineEnd, _integer(span[1]))

    def _flags(self, owner: URIRef, flags: list[Flag]) -> None:
        for position, flag in enumerate(flags):
            f = iris.flag_iri(owner, position)
            self.add(owner, PKG.hasFlag, f)
            self.add(f, RDF.type, PKG.Flag)
            self.add(f, PKG.position, _integer(position))
            self.add(f, PKG.flagCode, _text(flag.code))
            self.add(f, PKG.flagMessage, _text(flag.message))
            if flag.line is not None:
                self.add(f, PKG.line, _integer(flag.line))
            if flag.text is not None:
                self.add(f, PKG.flagText, _text(flag.text))
