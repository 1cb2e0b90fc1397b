"""SHACL shapes: the seed graph conforms; crafted breakages are caught and name the offending node, by pyshacl and
by the compiled shapes alike (tests/test_compiled_shapes.py compares the two at length).

The breakages are made in the smallest seed document's graph with the shared graphs (framework, concepts,
units): the shapes are per node and reach at most two steps into the shared graphs, so the other documents
would add only their own (conforming) nodes, and pyshacl checks a quarter of the triples."""
from __future__ import annotations

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from perfkg.kg import iris
from perfkg.kg.framework_scheme import framework_graph
from perfkg.kg.graph_io import union_graph
from perfkg.kg.iris import PKG
from perfkg.kg.store import shared_graphs
from perfkg.kg.validate import ENGINES, validate


@pytest.mark.parametrize("engine", ENGINES)
def test_seed_graph_conforms(seed_dataset, engine):
    report = validate(seed_dataset, engine)
    assert report.conforms, report.text()
    assert report.violations == []
    assert report.engine == engine


@pytest.mark.parametrize("engine", ENGINES)
def test_framework_scheme_alone_conforms(engine):
    assert validate(framework_graph(), engine).conforms


@pytest.fixture(scope="module")
def one_seed_dataset(seed_records, seed_dataset) -> Dataset:
    """The seed dataset's shared graphs and the graph of its smallest document (a new Dataset: read-only)."""
    smallest = iris.graph_iri(min(seed_records, key=lambda r: r.indicator_count()))
    kept = {smallest, *shared_graphs()}
    ds = Dataset(default_union=True)
    for prefix, ns in seed_dataset.namespaces():
        ds.bind(prefix, ns, override=True)
    for graph in seed_dataset.graphs():
        if graph.identifier in kept:
            target = ds.graph(graph.identifier)
            for triple in graph:
                target.add(triple)
    assert len(list(ds.graphs())) >= len(kept)
    return ds


@pytest.fixture
def seed_graph(one_seed_dataset) -> Graph:
    """A mutable copy of the smallest seed document's graph with the shared graphs (one graph, their union)."""
    return union_graph(one_seed_dataset)


def _first(g: Graph, cls: URIRef, having: URIRef | None = None) -> URIRef:
    nodes = sorted(s for s in g.subjects(RDF.type, cls) if having is None or g.value(s, having) is not None)
    assert nodes, f"the seed graph has a {cls} with {having}"
    return nodes[0]


def _assert_violation(g: Graph, node: URIRef, path: URIRef | None = None) -> None:
    report = validate(g, "shacl")
    compiled = validate(g, "compiled")
    assert (compiled.conforms, compiled.violations) == (report.conforms, report.violations)
    assert not report.conforms
    named = [v for v in report.violations if v.focus_node == f"<{node}>"]
    assert named, report.text()
    if path is not None:
        assert any(v.path == f"<{path}>" for v in named), report.text()
    assert f"<{node}>" in str(named[0])


def test_indicator_without_line_span_is_a_violation(seed_graph):
    ind = _first(seed_graph, PKG.Indicator)
    seed_graph.remove((ind, PKG.lineStart, None))
    _assert_violation(seed_graph, ind, PKG.lineStart)


def test_indicator_without_source_document_is_a_violation(seed_graph):
    ind = _first(seed_graph, PKG.Indicator)
    seed_graph.remove((ind, PKG.sourceDocument, None))
    _assert_violation(seed_graph, ind, PKG.sourceDocument)


def test_span_ending_before_it_starts_is_a_violation(seed_graph):
    ind = _first(seed_graph, PKG.Indicator)
    seed_graph.set((ind, PKG.lineEnd, Literal(int(seed_graph.value(ind, PKG.lineStart)) - 1, datatype=XSD.integer)))
    _assert_violation(seed_graph, ind, PKG.lineStart)


def test_unknown_comparator_is_a_violation(seed_graph):
    target = _first(seed_graph, PKG.TargetValue, PKG.comparator)
    seed_graph.set((target, PKG.comparator, Literal("≈")))
    _assert_violation(seed_graph, target, PKG.comparator)


def test_qualitative_target_with_a_number_is_a_violation(seed_graph):
    target = _first(seed_graph, PKG.TargetValue, PKG.numericValue)
    seed_graph.set((target, PKG.isQualitative, Literal(True)))
    _assert_violation(seed_graph, target)


def test_budget_as_plain_string_is_a_violation(seed_graph):
    project = _first(seed_graph, PKG.Project, PKG.budgetTotal)
    seed_graph.set((project, PKG.budgetTotal, Literal("3216万元")))
    _assert_violation(seed_graph, project, PKG.budgetTotal)


def test_bad_division_code_is_a_violation(seed_graph):
    division = _first(seed_graph, PKG.Division)
    seed_graph.set((division, PKG.divisionCode, Literal("37")))
    _assert_violation(seed_graph, division, PKG.divisionCode)


def test_level2_concept_outside_the_framework_is_a_violation(seed_graph):
    ind = _first(seed_graph, PKG.Indicator, PKG.level2)
    stray = URIRef("https://example.org/not-a-framework-concept")
    seed_graph.add((stray, RDF.type, SKOS.Concept))
    seed_graph.add((stray, SKOS.prefLabel, Literal("数量指标", lang="zh")))
    seed_graph.set((ind, PKG.level2, stray))
    _assert_violation(seed_graph, ind, PKG.level2)


def test_level2_concept_without_broader_is_a_violation(seed_graph):
    ind = _first(seed_graph, PKG.Indicator, PKG.level2)
    concept = seed_graph.value(ind, PKG.level2)
    seed_graph.remove((concept, SKOS.broader, None))
    _assert_violation(seed_graph, ind, PKG.level2)


def test_flag_without_code_is_a_violation(seed_graph):
    flag = _first(seed_graph, PKG.Flag)
    seed_graph.remove((flag, PKG.flagCode, None))
    _assert_violation(seed_graph, flag, PKG.flagCode)


def test_indicator_listed_by_two_projects_is_a_violation(seed_graph):
    projects = sorted(seed_graph.subjects(RDF.type, PKG.Project))
    ind = sorted(seed_graph.objects(projects[0], PKG.hasIndicator))[0]
    seed_graph.add((projects[1], PKG.hasIndicator, ind))
    _assert_violation(seed_graph, ind)


def test_document_with_two_file_names_is_a_violation(seed_graph):
    doc = _first(seed_graph, PKG.BudgetDocument)
    seed_graph.add((doc, PKG.fileName, Literal("another.txt")))
    _assert_violation(seed_graph, doc, PKG.fileName)


def test_concept_link_confidence_above_one_is_a_violation(seed_graph):
    link = iris.ID["link/crafted"]
    concept = iris.framework_concept_iri(1, "产出指标")
    ind = _first(seed_graph, PKG.Indicator)
    seed_graph.add((ind, PKG.conceptLink, link))
    seed_graph.add((link, RDF.type, PKG.ConceptLink))
    seed_graph.add((link, PKG.linkedConcept, concept))
    seed_graph.add((link, PKG.confidence, Literal("1.5", datatype=XSD.decimal)))
    _assert_violation(seed_graph, link, PKG.confidence)
