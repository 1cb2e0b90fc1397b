"""Graph files and stores: every format loads back, in rdflib and pyoxigraph, with the extractor's counts."""
from __future__ import annotations

import pyoxigraph
import pytest
from rdflib.compare import isomorphic

from perfkg.kg import iris
from perfkg.kg.graph_build import build_dataset
from perfkg.kg.graph_io import FORMATS, GraphFileError, load_dataset, load_oxigraph, serialise, union_graph, write_graph
from perfkg.kg.graph_read import read_records
from perfkg.kg.store import MemoryStore, OxigraphStore, open_store

COUNT_INDICATORS = """PREFIX pkg: <https://w3id.org/perfkg/ns#>
SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i a pkg:Indicator }"""


def _expected_indicators(records) -> int:
    return sum(r.indicator_count() for r in records)


class _Texts(dict):
    """A dataset's text in each format, serialised on first use (the seed graph's serialisation is a second or
    more per format; several tests read the same text)."""

    def __init__(self, build):
        super().__init__()
        self.build = build

    def __missing__(self, fmt: str) -> str:
        if not hasattr(self, "ds"):
            self.ds = self.build()
        self[fmt] = text = serialise(self.ds, fmt)
        return text


@pytest.fixture(scope="module")
def seed_texts(seed_dataset) -> _Texts:
    """``serialise(seed_dataset, fmt)`` for each format (the files the tests write hold these bytes)."""
    return _Texts(lambda: seed_dataset)


@pytest.fixture(scope="module")
def rebuilt_texts(seed_records) -> _Texts:
    """A second build of the seed records (``build_dataset`` again), serialised in each format."""
    return _Texts(lambda: build_dataset(seed_records))


@pytest.fixture(scope="module")
def seed_union(seed_dataset):
    """``union_graph(seed_dataset)``, made once for the module (read-only)."""
    return union_graph(seed_dataset)


def _written(texts: _Texts, path):
    path.write_text(texts[path.suffix[1:]], encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_loads_back_to_the_same_graph(seed_dataset, seed_union, tmp_path, fmt):
    path = tmp_path / f"graph.{fmt}"
    assert write_graph(seed_dataset, path) == fmt
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")], "atomic write leaves no temp file"
    loaded = load_dataset(path)
    assert isomorphic(union_graph(loaded), seed_union)


def test_seed_turtle_loads_in_rdflib_and_pyoxigraph_with_the_extractors_count(seed_records, seed_union, seed_texts,
                                                                              tmp_path):
    path = _written(seed_texts, tmp_path / "graph.ttl")
    expected = _expected_indicators(seed_records)
    rdflib_rows = list(load_dataset(path).query(COUNT_INDICATORS))
    assert int(rdflib_rows[0][0]) == expected
    store = load_oxigraph(path)
    ox_rows = list(store.query(COUNT_INDICATORS))
    assert int(ox_rows[0]["n"].value) == expected
    assert len(store) == len(seed_union)


@pytest.mark.parametrize("fmt", ["nt", "trig"])
def test_other_formats_load_in_pyoxigraph(seed_records, seed_texts, tmp_path, fmt):
    path = _written(seed_texts, tmp_path / f"graph.{fmt}")
    store = load_oxigraph(path)
    rows = list(store.query(COUNT_INDICATORS, use_default_graph_as_union=True))
    assert int(rows[0]["n"].value) == _expected_indicators(seed_records)


def test_trig_and_jsonld_keep_one_named_graph_per_document(seed_records, seed_texts, tmp_path):
    for fmt in ("trig", "jsonld"):
        path = _written(seed_texts, tmp_path / f"graph.{fmt}")
        loaded = load_dataset(path)
        names = {str(g.identifier) for g in loaded.graphs() if len(g)}
        assert {str(iris.graph_iri(r)) for r in seed_records} <= names
        assert read_records(loaded) == sorted(seed_records, key=lambda r: r.source), fmt


@pytest.mark.parametrize("fmt", FORMATS)
def test_two_builds_serialise_byte_identically(rebuilt_texts, seed_texts, fmt):
    assert rebuilt_texts[fmt] == seed_texts[fmt]


def test_unknown_suffix_and_broken_files_are_reported_naming_the_file(tmp_path):
    with pytest.raises(GraphFileError, match="graph.xyz"):
        load_dataset(tmp_path / "graph.xyz")
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix pkg: <https://w3id.org/perfkg/ns#> .\npkg:a pkg:b \n", encoding="utf-8")
    with pytest.raises(GraphFileError, match="broken.ttl"):
        load_dataset(broken)
    with pytest.raises(GraphFileError, match="broken.ttl"):
        load_oxigraph(broken)
    with pytest.raises(ValueError, match="unknown graph format"):
        serialise(build_dataset([]), "rdfxml")


def test_memory_and_oxigraph_stores_agree(seed_records, tmp_path):
    stores = [MemoryStore(), OxigraphStore(tmp_path / "ox")]
    for store in stores:
        for record in seed_records:
            store.add_document(record)
        store.add_document(seed_records[0])  # re-adding replaces, never duplicates
    counts = [store.query(COUNT_INDICATORS) for store in stores]
    assert counts[0] == counts[1] == [(str(_expected_indicators(seed_records)),)]
    for store in stores:
        ds = load_dataset_from_text(store.serialise("trig"), tmp_path / f"{type(store).__name__}.trig")
        assert read_records(ds) == sorted(seed_records, key=lambda r: r.source)


def load_dataset_from_text(text: str, path):
    path.write_text(text, encoding="utf-8")
    return load_dataset(path)


def test_oxigraph_store_persists_on_disk_and_removes_documents(seed_records, tmp_path):
    where = tmp_path / "ox"
    store = OxigraphStore(where)
    for record in seed_records:
        store.add_document(record)
    removed = seed_records[0]
    store.remove_document(removed)
    del store
    reopened = open_store("oxigraph", where)
    expected = _expected_indicators(seed_records) - removed.indicator_count()
    assert reopened.query(COUNT_INDICATORS) == [(str(expected),)]
    assert str(iris.graph_iri(removed)) not in reopened.graph_names()
    assert isinstance(reopened.store, pyoxigraph.Store)
