"""Concept links in the graph: the indicator concept scheme graph and the per-document link triples.

``add_concept_scheme`` puts ``ontology/concepts.ttl`` into its own named graph; ``link_document``
is the graph-build enricher that writes, into a document's named graph, what the concept linker
says about each of its indicators: ``pkg:concept`` (what is measured) and ``pkg:about`` (the
population, object or service: the object facet), a ``pkg:ConceptLink`` node (concept, confidence,
evidence) per link of either, ``pkg:underConcept`` (each linked concept and every broader one: a shortcut
for the named queries), ``pkg:population`` and ``pkg:measureType``.
"""
from __future__ import annotations

import functools
from typing import Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF as _RDF, SKOS, XSD as _XSD
from rdflib.term import Node

from perfkg import ontology
from perfkg.extract.records import DocumentRecord
from perfkg.kg import iris
from perfkg.kg.concept_linker import CONCEPT_NS, default_linker
from perfkg.kg.iris import PKG as _PKG, Terms

PKG: Any = Terms(_PKG)  # terms made once (iris.Terms): the links are written per indicator
RDF: Any = Terms(_RDF)
XSD: Any = Terms(_XSD)

CONCEPT_GRAPH = iris.GRAPH["concepts"]
CONCEPT_PREFIX = "pkc"


def concept_scheme_graph() -> Graph:
    """The indicator concept scheme (ontology/concepts.ttl) as a graph."""
    return Graph().parse(data=ontology.path("concepts.ttl").read_text(encoding="utf-8"), format="turtle")


@functools.lru_cache(maxsize=None)
def broader_or_self(iri: str) -> tuple[URIRef, ...]:
    """A concept of the scheme and every concept it is narrower than (skos:broader*), itself first."""
    broader = _broader_map()
    out: list[URIRef] = []
    todo = [URIRef(iri)]
    while todo:
        concept = todo.pop(0)
        if concept not in out:
            out.append(concept)
            todo += broader.get(concept, [])
    return tuple(out)


@functools.lru_cache(maxsize=1)
def _broader_map() -> dict[URIRef, list[URIRef]]:
    out: dict[URIRef, list[URIRef]] = {}
    for s, o in concept_scheme_graph().subject_objects(SKOS.broader):
        out.setdefault(URIRef(s), []).append(URIRef(o))  # type: ignore[arg-type]
    for parents in out.values():
        parents.sort()
    return out


def add_concept_scheme(ds: Dataset) -> None:
    """Put the indicator concept scheme into its own named graph of the dataset."""
    ds.bind(CONCEPT_PREFIX, CONCEPT_NS)
    g = ds.graph(CONCEPT_GRAPH)
    for triple in concept_scheme_graph():
        g.add(triple)


def link_iri(indicator: URIRef, concept_slug: str) -> URIRef:
    """The ConceptLink node of one indicator and one concept (slugs are ASCII, so no raw text)."""
    return URIRef(f"{indicator}/concept/{concept_slug}")


def _position(g: Graph, node: Node) -> int | None:
    """A node's pkg:position, an xsd:integer literal (its lexical form is the number)."""
    value = g.value(node, PKG.position)
    return None if value is None else int(str(value))


def link_document(ds: Dataset, record: DocumentRecord) -> None:
    """Enricher: concept links, populations and measure types of a document's indicators."""
    g = ds.graph(iris.graph_iri(record))
    linker = default_linker()
    # Indicator IRIs are read back from the graph (project and indicator positions), so the IRI
    # minting rules stay in graph_build alone.
    for project in sorted(g.subjects(RDF.type, PKG.Project), key=str):  # IRIs: their text order
        p_pos = _position(g, project)
        if p_pos is None or p_pos >= len(record.projects):
            continue
        indicators = record.projects[p_pos].indicators
        for indicator in sorted(g.objects(project, PKG.hasIndicator), key=str):
            i_pos = _position(g, indicator)
            if i_pos is None or i_pos >= len(indicators):
                continue
            tags = linker.tag_indicator(indicators[i_pos])
            for link, prop in [(x, PKG.concept) for x in tags.links] + [(x, PKG.about) for x in tags.about]:
                node = link_iri(URIRef(str(indicator)), link.concept)
                g.add((indicator, prop, URIRef(link.iri)))
                g.add((indicator, PKG.conceptLink, node))
                g.add((node, RDF.type, PKG.ConceptLink))
                g.add((node, PKG.linkedConcept, URIRef(link.iri)))
                g.add((node, PKG.confidence, Literal(f"{link.confidence:.3f}", datatype=XSD.decimal)))
                g.add((node, PKG.evidence, Literal(link.evidence)))
                # a shortcut for the named queries: the linked concept and every broader one, so "indicators
                # under a concept" is one look-up instead of skos:broader* from every link
                for concept in broader_or_self(link.iri):
                    g.add((indicator, PKG.underConcept, concept))
            for population in tags.populations:
                g.add((indicator, PKG.population, Literal(population)))
            if tags.measure_type:
                g.add((indicator, PKG.measureType, Literal(tags.measure_type)))
