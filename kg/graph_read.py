"""Graph → records: reads DocumentRecords back out of a dataset with SPARQL.

The inverse of ``graph_build``: the round-trip test holds ``read_records(build_dataset(rs)) == rs``.
Documents are read per named graph, so a project disclosed in two documents reads back once
for each. Also the graph summary (bureaus, projects, indicators, triples) the CLI prints.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from rdflib import Dataset, Literal

from perfkg.extract.records import DocumentRecord, Flag, Indicator, Project
from perfkg.kg.iris import PKG

_PREFIXES = f"""PREFIX pkg: <{PKG}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

DOCUMENTS = _PREFIXES + """
SELECT ?g ?doc ?file ?sha ?year ?bureau WHERE { GRAPH ?g {
  ?doc a pkg:BudgetDocument ; pkg:fileName ?file .
  OPTIONAL { ?doc pkg:sha256 ?sha }
  OPTIONAL { ?doc pkg:budgetYear ?year }
  OPTIONAL { ?doc pkg:bureau/rdfs:label ?bureau }
} }"""

PROJECTS = _PREFIXES + """
SELECT ?g ?doc ?p ?pos ?name ?code ?kind ?total ?fiscal ?other ?goal ?start ?end ?layout WHERE { GRAPH ?g {
  ?p a pkg:Project ; pkg:sourceDocument ?doc ; pkg:position ?pos ; rdfs:label ?name ; pkg:projectKind ?kind .
  OPTIONAL { ?p pkg:projectCode ?code }
  OPTIONAL { ?p pkg:budgetTotal ?total }
  OPTIONAL { ?p pkg:budgetFiscal ?fiscal }
  OPTIONAL { ?p pkg:budgetOther ?other }
  OPTIONAL { ?p pkg:goal ?goal }
  OPTIONAL { ?p pkg:lineStart ?start ; pkg:lineEnd ?end }
  OPTIONAL { ?p pkg:layout ?layout }
} }"""

INDICATORS = _PREFIXES + """
SELECT ?g ?p ?i ?pos ?name ?l1 ?l2 ?desc ?basis ?score ?actual ?points ?start ?end ?value ?op ?num ?unit
WHERE { GRAPH ?g {
  ?p pkg:hasIndicator ?i .
  ?i pkg:position ?pos ; rdfs:label ?name .
  OPTIONAL { ?i pkg:level1Label ?l1 }
  OPTIONAL { ?i pkg:level2Label ?l2 }
  OPTIONAL { ?i pkg:description ?desc }
  OPTIONAL { ?i pkg:basis ?basis }
  OPTIONAL { ?i pkg:scoreWeight ?score }
  OPTIONAL { ?i pkg:actualValue ?actual }
  OPTIONAL { ?i pkg:points ?points }
  OPTIONAL { ?i pkg:lineStart ?start ; pkg:lineEnd ?end }
  OPTIONAL { ?i pkg:target ?t .
    OPTIONAL { ?t pkg:printedValue ?value }
    OPTIONAL { ?t pkg:comparator ?op }
    OPTIONAL { ?t pkg:numericValue ?num }
    OPTIONAL { ?t pkg:unitLabel ?unit } }
} }"""

FLAGS = _PREFIXES + """
SELECT ?g ?owner ?pos ?code ?message ?line ?text WHERE { GRAPH ?g {
  ?owner pkg:hasFlag ?f .
  ?f pkg:position ?pos ; pkg:flagCode ?code ; pkg:flagMessage ?message .
  OPTIONAL { ?f pkg:line ?line }
  OPTIONAL { ?f pkg:flagText ?text }
} }"""

SUMMARY = _PREFIXES + """
SELECT (COUNT(DISTINCT ?b) AS ?bureaus) (COUNT(DISTINCT ?p) AS ?projects) (COUNT(DISTINCT ?i) AS ?indicators)
WHERE { { ?b a pkg:Bureau } UNION { ?p a pkg:Project } UNION { ?i a pkg:Indicator } }"""


def _select(ds: Dataset, query: str) -> Iterator[Any]:
    """The rows of a SELECT query; Any, for their attributes are the query's variables."""
    return iter(ds.query(query))


def _str(term: Literal | None) -> str | None:
    return None if term is None else str(term)


def _int(term: Literal | None) -> int | None:
    return None if term is None else int(term.toPython())


def _float(term: Literal | None) -> float | None:
    return None if term is None else float(term.toPython())


def _pos(term: Literal) -> int:
    """A position, start or end: the shapes require them, so they are never missing."""
    return int(term.toPython())


def _span(row: Any) -> tuple[int, int] | None:
    return None if row.start is None else (_pos(row.start), _pos(row.end))


def _flags(ds: Dataset) -> dict[tuple, list[Flag]]:
    found: dict[tuple, list[tuple[int, Flag]]] = defaultdict(list)
    for row in _select(ds, FLAGS):
        found[(row.g, row.owner)].append(
            (_pos(row.pos), Flag.read(str(row.code), str(row.message), _int(row.line), _str(row.text))))
    return {key: [f for _, f in sorted(items, key=lambda x: x[0])] for key, items in found.items()}


def read_records(ds: Dataset) -> list[DocumentRecord]:
    """Every document of the dataset as a DocumentRecord, ordered by file name."""
    flags = _flags(ds)
    indicators: dict[tuple, list[tuple[int, Indicator]]] = defaultdict(list)
    for row in _select(ds, INDICATORS):
        indicators[(row.g, row.p)].append((_pos(row.pos), Indicator(
            level1=_str(row.l1), level2=_str(row.l2), level3=str(row.name),
            value=_str(row.value), op=_str(row.op), num=_float(row.num), unit=_str(row.unit),
            description=_str(row.desc), basis=_str(row.basis), score=_float(row.score), actual=_str(row.actual),
            points=_float(row.points), flags=flags.get((row.g, row.i), []), span=_span(row))))
    projects: dict[tuple, list[tuple[int, Project]]] = defaultdict(list)
    for row in _select(ds, PROJECTS):
        own = sorted(indicators.get((row.g, row.p), []), key=lambda x: x[0])
        projects[(row.g, row.doc)].append((_pos(row.pos), Project(
            name=str(row.name), code=_str(row.code), kind=str(row.kind),
            budget_total=_float(row.total), budget_fiscal=_float(row.fiscal), budget_other=_float(row.other),
            goal=_str(row.goal), indicators=[i for _, i in own], flags=flags.get((row.g, row.p), []),
            span=_span(row), layout=_str(row.layout))))
    records = []
    for row in _select(ds, DOCUMENTS):
        found = sorted(projects.get((row.g, row.doc), []), key=lambda x: x[0])
        records.append(DocumentRecord(
            source=str(row.file), bureau=_str(row.bureau), year=_int(row.year),
            projects=[p for _, p in found], flags=flags.get((row.g, row.doc), []), sha256=_str(row.sha)))
    return sorted(records, key=lambda r: r.source)


def summary(ds: Dataset) -> dict[str, int]:
    """Counts of bureaus, projects, indicators and triples (over the union of all graphs)."""
    row = next(_select(ds, SUMMARY))
    return {"bureaus": int(row.bureaus), "projects": int(row.projects), "indicators": int(row.indicators),
            "triples": triple_count(ds)}


def triple_count(ds: Dataset) -> int:
    """Distinct triples of the union graph (a bureau stated in two document graphs counts once)."""
    return len(set(ds.triples((None, None, None))))
