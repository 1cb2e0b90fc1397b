"""The Oxigraph store of ``perfkg load``: documents in, one graph each, re-loads skip or replace, and every
command that reads a graph reads the store to the same answers as the graph file of ``perfkg build``."""
from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib.namespace import RDF

import perfkg
from perfkg.kg import graph_build, iris
from perfkg.kg.cli import cli
from perfkg.kg.graph_io import load_dataset
from perfkg.kg.graph_read import read_records
from perfkg.kg.iris import PKG
from perfkg.kg.query_library import list_queries, load_query, run_query
from perfkg.kg.store import CATALOGUE_GRAPH, OxigraphStore

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "documents"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory):
    """The seeds loaded once into a store, and the same seeds built into a TriG file."""
    where = tmp_path_factory.mktemp("store")
    result = run("load", SEEDS, "--store", where / "ox", "-j", "2")
    assert result.exit_code == 0, result.output
    built = where / "seeds.trig"
    assert run("build", SEEDS, "-o", built).exit_code == 0
    return where / "ox", built


def test_load_puts_one_graph_per_document_and_the_shared_graphs(seed_store, seed_records):
    store_dir, _ = seed_store
    store = OxigraphStore(store_dir, read_only=True)
    names = set(store.graph_names())
    documents = store.documents()
    assert len(documents) == len(SEED_FILES)
    assert {d.path for d in documents.values()} == {str(p.resolve()) for p in SEED_FILES}
    assert {d.graph for d in documents.values()} <= names
    assert {str(iris.FRAMEWORK_GRAPH), str(iris.GRAPH["concepts"]), str(iris.GRAPH["units"]),
            str(CATALOGUE_GRAPH)} <= names
    count = store.query("PREFIX pkg: <https://w3id.org/perfkg/ns#> "
                        "SELECT (COUNT(?i) AS ?n) WHERE { ?i a pkg:Indicator }")
    assert count == [(str(sum(r.indicator_count() for r in seed_records)),)]
    # the records read back from the store are the extractor's (the round trip of graph_read)
    assert read_records(store.dataset()) == sorted(seed_records, key=lambda r: r.source)


def test_every_named_query_reads_the_same_rows_from_the_store_as_from_the_built_file(seed_store):
    store_dir, built = seed_store
    store, ds = OxigraphStore(store_dir, read_only=True), load_dataset(built)
    for query in list_queries():
        # as multisets of values (Oxigraph keeps decimals in canonical form: 90.0 is read back as 90)
        assert Counter(run_query(query, store).rows) == Counter(run_query(query, ds).rows), query.name
    both = [run("query", "satisfaction_targets", "--param", "bureau_name=漳州", flag, path, "--format", "csv")
            for flag, path in (("--store", store_dir), ("--data", built))]
    assert both[0].exit_code == both[1].exit_code == 0
    assert sorted(both[0].stdout.splitlines()) == sorted(both[1].stdout.splitlines())
    assert len(both[0].stdout.splitlines()) > 5


def test_compare_viz_and_export_read_the_store(seed_store, tmp_path):
    store_dir, built = seed_store
    via_store = run("compare", "政策知晓率", "--store", store_dir, "--format", "csv", "--html", tmp_path / "c.html")
    via_file = run("compare", "政策知晓率", "--data", built, "--format", "csv")
    assert via_store.exit_code == 0 and sorted(via_store.stdout.splitlines()) == sorted(via_file.stdout.splitlines())
    assert "政策知晓率" in (tmp_path / "c.html").read_text(encoding="utf-8")
    for flag, path, out in (("--store", store_dir, "s.html"), ("--data", built, "f.html")):
        assert run("viz", flag, path, "--bureau", "漳州市医疗保障局", "-o", tmp_path / out).exit_code == 0
    assert (tmp_path / "s.html").read_text(encoding="utf-8") == (tmp_path / "f.html").read_text(encoding="utf-8")
    missing = run("viz", "--store", store_dir, "--bureau", "漳州", "-o", tmp_path / "x.html")
    assert missing.exit_code == 2 and "known: 临沂市罗庄区医疗保障局" in missing.output
    triples_built = len(set(load_dataset(built).triples((None, None, None))))
    for fmt in ("trig", "nq", "ttl", "nt", "jsonld"):
        out = tmp_path / f"all.{fmt}"
        assert run("export", "--store", store_dir, "-o", out).exit_code == 0
        assert len(set(load_dataset(out).triples((None, None, None)))) == triples_built, fmt
    for flag, path, out in (("--store", store_dir, "s.csv"), ("--data", built, "f.csv")):
        assert run("export", flag, path, "--table", tmp_path / out).exit_code == 0
    rows = [sorted((tmp_path / out).read_text(encoding="utf-8").splitlines()) for out in ("s.csv", "f.csv")]
    assert rows[0] == rows[1] and len(rows[0]) > 300
    assert run("query", "concepts", "--store", tmp_path / "nothing").exit_code == 1


def test_reload_skips_unchanged_replaces_changed_and_keeps_same_names_in_other_folders(tmp_path):
    docs = tmp_path / "docs"
    (docs / "a").mkdir(parents=True)
    (docs / "b").mkdir()
    shutil.copy(SEED_FILES[0], docs / "a" / "budget.txt")
    shutil.copy(SEED_FILES[1], docs / "b" / "budget.txt")
    store_dir = tmp_path / "ox"
    first = run("load", docs, "--store", store_dir, "-j", "2")
    assert first.exit_code == 0 and "2 loaded, 0 replaced, 0 unchanged" in first.output
    again = run("load", docs, docs / "a" / "budget.txt", "--store", store_dir)
    assert again.exit_code == 0 and "0 loaded, 0 replaced, 2 unchanged" in again.output
    before = OxigraphStore(store_dir).documents()
    # a revised copy of a: its other seed's text at the same path replaces its graph
    shutil.copy(SEED_FILES[2], docs / "a" / "budget.txt")
    changed = run("load", docs, "--store", store_dir)
    assert changed.exit_code == 0 and "0 loaded, 1 replaced, 1 unchanged" in changed.output
    store = OxigraphStore(store_dir)
    after = store.documents()
    key_a, key_b = str((docs / "a" / "budget.txt").resolve()), str((docs / "b" / "budget.txt").resolve())
    assert after[key_b] == before[key_b] and after[key_a].graph != before[key_a].graph
    assert before[key_a].graph not in store.graph_names() and after[key_a].graph in store.graph_names()
    bureaus = {r[0] for r in store.query("PREFIX pkg: <https://w3id.org/perfkg/ns#> "
                                         "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
                                         "SELECT DISTINCT ?n WHERE { ?d a pkg:BudgetDocument ; "
                                         "pkg:bureau/rdfs:label ?n }")}
    expected = {r.bureau for r in perfkg.extract([SEED_FILES[1], SEED_FILES[2]])}
    assert bureaus == expected
    # the two budget.txt have their own document, run and project nodes
    runs = store.query("PREFIX prov: <http://www.w3.org/ns/prov#> SELECT DISTINCT ?r WHERE { ?r prov:used ?d }")
    assert len(runs) == 2


def test_a_bad_document_is_one_error_line_and_the_others_are_loaded(tmp_path, monkeypatch):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        shutil.copy(SEED_FILES[3], docs / name)
    (docs / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    real = graph_build.write_document

    def breaking(g, record, provenance, ds):  # b.txt's indicators lose their source document
        real(g, record, provenance, ds)
        if record.source == "b.txt":
            for s in list(g.subjects(RDF.type, PKG.Indicator)):
                g.remove((s, PKG.sourceDocument, None))

    monkeypatch.setattr(graph_build, "write_document", breaking)  # the workers fork after this
    result = run("load", docs, "--store", tmp_path / "ox", "-j", "2")
    assert result.exit_code == 1 and "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 2
    assert any("broken.pdf" in e for e in errors)
    assert any("b.txt: its graph violates the SHACL shapes" in e and "(line " in e for e in errors)
    assert "2 loaded" in result.output
    assert sorted(Path(d.path).name for d in OxigraphStore(tmp_path / "ox").documents().values()) == ["a.txt", "c.txt"]


def test_the_python_api_opens_loads_and_queries_a_store(tmp_path):
    store = perfkg.open_store(tmp_path / "ox")
    result = store.load([SEED_FILES[1], SEED_FILES[0]])
    assert (result.loaded, result.errors) == (2, [])
    table = perfkg.query("project_budgets", store)
    assert set(table["bureau"]) == {r.bureau for r in perfkg.extract([SEED_FILES[1], SEED_FILES[0]])}
    assert len(perfkg.query("satisfaction_targets", store, bureau_name="漳州")) > 0
    assert len(perfkg.compare("service-recipient-satisfaction", store)) > 0
    bureau = perfkg.query("project_budgets", store)["bureau"].iloc[0]
    assert perfkg.view(store, "bureau", bureau).number_of_nodes() > 5
    assert run_query(load_query("shared_concepts"), store, {"min_bureaus": "3"}).rows == ()


def test_plain_rows_of_the_store_are_the_values_of_its_rdflib_terms():
    """``to_plain`` (the query library's rows from a store) gives what ``_plain(to_rdflib(term))`` gives, type
    included, for every kind of term a query returns, ill-typed literals too."""
    import pyoxigraph as ox

    from perfkg.kg.query_library import _plain
    from perfkg.kg.store import to_plain, to_rdflib

    xsd = "http://www.w3.org/2001/XMLSchema#"
    terms = [None, ox.NamedNode("https://w3id.org/perfkg/id/x"), ox.BlankNode("b0"), ox.Literal("临沂"),
             ox.Literal("临沂市医疗保障局", language="zh"), ox.Literal("15", datatype=ox.NamedNode(xsd + "integer")),
             ox.Literal("-3", datatype=ox.NamedNode(xsd + "integer")),
             ox.Literal("32160000.0", datatype=ox.NamedNode(xsd + "decimal")),
             ox.Literal("0.95", datatype=ox.NamedNode(xsd + "decimal")),
             ox.Literal("90", datatype=ox.NamedNode(xsd + "decimal")),
             ox.Literal("true", datatype=ox.NamedNode(xsd + "boolean")),
             ox.Literal("false", datatype=ox.NamedNode(xsd + "boolean")),
             ox.Literal("1.5E0", datatype=ox.NamedNode(xsd + "double")),
             ox.Literal("2026-12-01T00:00:00Z", datatype=ox.NamedNode(xsd + "dateTime")),
             ox.Literal("x", datatype=ox.NamedNode("https://example.org/datatype")),
             ox.Literal("abc", datatype=ox.NamedNode(xsd + "integer")),
             ox.Literal("abc", datatype=ox.NamedNode(xsd + "decimal")),
             ox.Literal("yes", datatype=ox.NamedNode(xsd + "boolean"))]
    for term in terms:
        expected, got = _plain(to_rdflib(term)), to_plain(term)
        assert (type(got), got) == (type(expected), expected), term
