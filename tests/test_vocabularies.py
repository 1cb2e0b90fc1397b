"""Vocabularies of the built graph: units (QUDT or described), quantity values, budgets with a unit, unique
framework labels, no skos:notation, PROV-O of the run and of the source, every term declared, owlrl clean."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from perfkg import ontology
from perfkg.kg import units
from perfkg.kg.cli import cli
from perfkg.kg.graph_io import load_dataset, union_graph
from perfkg.kg.iris import FRAMEWORK_SCHEME, PKG
from perfkg.kg.unit_graph import QUDT
from tests.conftest import SEED_DIR

UNIT_NS = "http://qudt.org/vocab/unit/"
PKU = "https://w3id.org/perfkg/unit/"
EXTERNAL = {str(SKOS): SKOS, str(PROV): PROV, str(DCTERMS): DCTERMS, "http://www.w3.org/ns/org#": None}


@pytest.fixture(scope="module")
def union(seed_dataset) -> Graph:
    return union_graph(seed_dataset)


def unit_iris(g: Graph) -> set[URIRef]:
    return {o for p in (PKG.unit, PKG.normalisedUnit, PKG.budgetUnit, QUDT.unit, PKG.baseUnit, PKG.perUnit,
                        PKG.numeratorUnit) for o in g.objects(None, p)}


def test_every_unit_used_is_qudt_or_a_described_project_unit(union):
    used = unit_iris(union)
    assert URIRef(UNIT_NS + "PERCENT") in used and URIRef(UNIT_NS + "CCY_CNY") in used
    for u in used:
        assert str(u).startswith((UNIT_NS, PKU)), u
        assert (u, RDF.type, QUDT.Unit) in union, u
        labels = {lit.language for lit in union.objects(u, RDFS.label)}
        assert {"zh", "en"} <= labels, u
        assert union.value(u, QUDT.symbol) is not None and union.value(u, PKG.unitKind) is not None, u
        assert union.value(u, QUDT.conversionMultiplier) is not None and union.value(u, PKG.baseUnit) is not None, u
    own = {u for u in used if str(u).startswith(PKU)}
    assert len(own) >= 10  # the project's own units are all described, not just named


def test_units_convert_by_their_multiplier_to_the_base_unit(union):
    wan = URIRef(PKU + "CNY-10K")
    assert union.value(wan, QUDT.conversionMultiplier) == Literal(Decimal("10000.0"))
    assert union.value(wan, PKG.baseUnit) == URIRef(UNIT_NS + "CCY_CNY")
    per_year = URIRef(PKU + "CNY-PER-Person-PER-YR")
    assert union.value(per_year, PKG.numeratorUnit) == URIRef(UNIT_NS + "CCY_CNY")
    assert set(union.objects(per_year, PKG.perUnit)) == {URIRef(PKU + "Person"), URIRef(UNIT_NS + "YR")}


def test_normalised_values_are_quantity_values_with_unit_iris(union):
    targets = set(union.subjects(PKG.normalisedValue, None))
    assert targets
    for t in targets:
        q = union.value(t, PKG.normalisedQuantity)
        assert (q, RDF.type, QUDT.QuantityValue) in union
        assert union.value(q, QUDT.numericValue) == union.value(t, PKG.normalisedValue)
        assert union.value(q, QUDT.unit) == union.value(t, PKG.normalisedUnit)
        assert isinstance(union.value(t, PKG.normalisedUnit), URIRef)
    ratio = {union.value(t, PKG.normalisedUnit) for t in targets if str(union.value(t, PKG.unitLabel)) == "%"}
    assert ratio == {URIRef(UNIT_NS + "UNITLESS")}


def test_budgets_carry_their_unit(union):
    projects = set(union.subjects(PKG.budgetTotal, None))
    assert projects
    assert {union.value(p, PKG.budgetUnit) for p in projects} == {URIRef(PKU + "CNY-10K")}


def test_framework_labels_are_unique_and_no_notation_is_misused(union):
    labels = [(str(lit), lit.language) for c in union.subjects(SKOS.inScheme, FRAMEWORK_SCHEME)
              for lit in union.objects(c, SKOS.prefLabel)]
    assert len(labels) == len(set(labels)), sorted(lab for lab in labels if labels.count(lab) > 1)
    assert not list(union.triples((None, SKOS.notation, None)))
    levels = {int(o) for o in union.objects(None, PKG.frameworkLevel)}
    assert levels == {1, 2}


@pytest.mark.parametrize("label, kinds, period", [("元/人/年", ("person", "time"), "year"),
                                                  ("元/村", ("village",), None),
                                                  ("元每人每月", ("person", "time"), "month"), ("万人次", (), None)])
def test_the_unit_grammar_reads_denominators(label, kinds, period):
    info = units.parse_unit(label)
    assert info is not None and info.per_kinds == kinds and info.per_period == period


def test_every_term_used_in_a_built_graph_is_declared(union):
    onto = Graph().parse(data=ontology.path("perfkg.ttl").read_text(encoding="utf-8"), format="turtle")
    declared = {s for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
                for s in onto.subjects(RDF.type, kind)}
    terms = {p for _, p, _ in union} | set(union.objects(None, RDF.type))
    skos_terms = {SKOS[t] for t in ("Concept", "ConceptScheme", "prefLabel", "altLabel", "hiddenLabel", "definition",
                                    "broader", "narrower", "inScheme", "hasTopConcept", "topConceptOf", "scopeNote",
                                    "note", "example", "related", "exactMatch", "closeMatch", "Collection", "member")}
    prov_terms = {PROV[t] for t in ("Entity", "Activity", "SoftwareAgent", "used", "wasAssociatedWith",
                                    "wasGeneratedBy", "wasDerivedFrom", "startedAtTime")}
    standard = skos_terms | prov_terms | {RDF.type, RDFS.label, RDFS.comment, DCTERMS.source, DCTERMS.license,
                                          DCTERMS.title, URIRef("http://www.w3.org/ns/org#Organization")}
    undeclared = {t for t in terms if t not in declared and t not in standard}
    assert not undeclared, sorted(undeclared)


def test_owl_rl_closure_finds_no_inconsistency(seed_records):
    import owlrl

    from perfkg.kg.graph_build import build_dataset
    g = union_graph(build_dataset(seed_records[:1]))
    g += Graph().parse(data=ontology.path("perfkg.ttl").read_text(encoding="utf-8"), format="turtle")
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(g)
    assert not list(g.subjects(RDF.type, OWL.Nothing))
    errors = [o for o in g.objects(None, URIRef("http://www.daml.org/2002/03/agents/agent-ont#error"))]
    assert not errors, errors[:3]


def test_build_records_the_run_and_the_source(tmp_path):
    doc = tmp_path / "edu.txt"
    doc.write_bytes(sorted(SEED_DIR.iterdir())[1].read_bytes())
    (tmp_path / "edu.txt.json").write_text(json.dumps({"url": "https://example.gov.cn/2024/edu.html",
                                                       "licence": "https://creativecommons.org/licenses/by/4.0/"}))
    out = tmp_path / "g.ttl"
    result = CliRunner().invoke(cli, ["build", str(tmp_path), "-o", str(out)], env={"SOURCE_DATE_EPOCH": "1735689600"})
    assert result.exit_code == 0, result.output
    g = union_graph(load_dataset(out))
    run = next(g.subjects(RDF.type, PKG.ExtractionRun))
    assert (run, RDF.type, PROV.Activity) in g
    assert str(g.value(run, PROV.startedAtTime)).startswith("2025-01-01T00:00:00")
    assert str(g.value(run, PKG.reader)) == "text"
    layouts = {str(x) for x in g.objects(run, PKG.layoutUsed)}
    assert layouts and layouts == {str(x) for x in g.objects(None, PKG.layout)}
    agent = g.value(run, PROV.wasAssociatedWith)
    assert (agent, RDF.type, PROV.SoftwareAgent) in g and g.value(agent, PKG.softwareVersion) is not None
    doc_iri = g.value(run, PROV.used)
    assert g.value(doc_iri, DCTERMS.source) == URIRef("https://example.gov.cn/2024/edu.html")
    assert g.value(doc_iri, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    for project in g.subjects(RDF.type, PKG.Project):
        assert g.value(project, PROV.wasGeneratedBy) == run and g.value(project, PKG.layout) is not None
    assert "conforms" in CliRunner().invoke(cli, ["validate", str(out)]).output
