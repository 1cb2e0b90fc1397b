"""Units in the graph: the description of every unit IRI (QUDT's and the project's own) and quantity values.

Every unit IRI a built graph uses is described where it is used: the atoms of ``kg/data/units.json``
in the units named graph (``graph/units``), compound units (元/人/年) minted by the unit grammar in
the document graph that uses them. A description is ``qudt:Unit`` with Chinese and English labels,
``qudt:symbol``, ``qudt:hasQuantityKind`` (where QUDT has one), ``qudt:conversionMultiplier`` and
``pkg:baseUnit`` (the unit values are normalised to), ``pkg:unitKind`` (what it counts) and, for a
compound, ``pkg:numeratorUnit`` and one ``pkg:perUnit`` per denominator.
"""
from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from perfkg.kg import iris, units
from perfkg.kg.iris import PKG

QUDT = Namespace("http://qudt.org/schema/qudt/")
UNITS_GRAPH = iris.GRAPH["units"]
BUDGET_UNIT = "万元"  # budgets (预算, 资金总额) are printed in 万元

Triple = tuple[URIRef, URIRef, Node]


def _decimal(value: Decimal) -> Literal:
    from perfkg.kg.graph_build import decimal_literal

    return decimal_literal(value)


def unit_triples(info: units.UnitInfo) -> Iterator[Triple]:
    """The description of one unit (and of the atoms a compound is made of)."""
    u = URIRef(info.iri)
    yield u, RDF.type, QUDT.Unit
    yield u, RDFS.label, Literal(info.label, lang="zh")
    yield u, RDFS.label, Literal(info.en, lang="en")
    yield u, QUDT.symbol, Literal(info.label)
    yield u, PKG.unitKind, Literal(info.kind)
    if info.quantity_kind:
        yield u, QUDT.hasQuantityKind, URIRef(info.quantity_kind)
    if info.period:
        yield u, PKG.period, Literal(info.period)
    base = units.parse_unit(info.base)
    if base is not None:
        yield u, QUDT.conversionMultiplier, _decimal(info.factor)
        yield u, PKG.baseUnit, URIRef(base.iri)
        if base.iri != info.iri:
            yield from unit_triples(base)
    if info.numerator is not None:
        yield u, PKG.numeratorUnit, URIRef(info.numerator.iri)
        yield from unit_triples(info.numerator)
        for part in info.per:
            yield u, PKG.perUnit, URIRef(part.iri)
            yield from unit_triples(part)


def units_graph() -> Graph:
    """Every atom unit of the vocabulary, described (the units named graph)."""
    g = Graph()
    for info in units.atoms():
        for triple in unit_triples(info):
            g.add(triple)
    return g


@lru_cache(maxsize=1)
def _atom_iris() -> frozenset[str]:
    return frozenset(u.iri for u in units.atoms())


def is_atom(iri: str) -> bool:
    """True for a unit of the vocabulary's atom table (described in the units graph)."""
    return iri in _atom_iris()


def quantity_triples(node: URIRef, value: Decimal, unit: units.UnitInfo) -> Iterator[Triple]:
    """A ``qudt:QuantityValue`` node: number and unit IRI."""
    yield node, RDF.type, QUDT.QuantityValue
    yield node, QUDT.numericValue, _decimal(value)
    yield node, QUDT.unit, URIRef(unit.iri)


def budget_unit() -> units.UnitInfo:
    info = units.parse_unit(BUDGET_UNIT)
    assert info is not None
    return info

