"""Where graphs live: the ``GraphStore`` interface, an rdflib in-memory store and a pyoxigraph on-disk store.

Both keep one named graph per source document; ``add_document`` replaces that graph whole.
``query`` runs SPARQL SELECT over the union of all graphs and gives rows of plain strings
(lexical forms, None for unbound), so callers do not depend on either library's term types.

Seam, not built: a remote SPARQL 1.1 endpoint store would implement the same methods with
``DROP SILENT GRAPH <g>; INSERT DATA { GRAPH <g> { … } }`` for ``add_document`` and the
endpoint's query URL for ``query``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Protocol

from rdflib import Dataset

from perfkg.extract.records import DocumentRecord
from perfkg.kg import graph_build, graph_io, iris, query_guard

Row = tuple[str | None, ...]


class GraphStore(Protocol):
    def add_document(self, record: DocumentRecord) -> str:
        """Add a document's graph, replacing the graph of an earlier document with the same source."""

    def remove_document(self, doc: DocumentRecord | str) -> None:
        """Drop the graph of a document (a record, or a bare file name)."""

    def query(self, sparql: str) -> list[Row]:
        """Rows of a SPARQL SELECT over the union of all graphs."""

    def serialise(self, fmt: str = "ttl") -> str:
        """All graphs as text in one of ``graph_io.FORMATS``."""


class MemoryStore:
    """An rdflib Dataset in memory."""

    def __init__(self, ds: Dataset | None = None):
        self.ds = ds if ds is not None else graph_build.new_dataset()

    def add_document(self, record: DocumentRecord) -> str:
        return str(graph_build.add_document(self.ds, record))

    def remove_document(self, doc: DocumentRecord | str) -> None:
        graph_build.remove_document(self.ds, doc)

    def query(self, sparql: str) -> list[Row]:
        query_guard.refuse_remote(sparql, "query")
        return [tuple(None if v is None else str(v) for v in row) for row in self.ds.query(sparql)]

    def serialise(self, fmt: str = "ttl") -> str:
        return graph_io.serialise(self.ds, fmt)


class OxigraphStore:
    """A pyoxigraph store, on disk when given a directory (it persists between runs), else in memory."""

    def __init__(self, path: Path | None = None):
        import pyoxigraph

        self._ox = pyoxigraph
        self.store = pyoxigraph.Store(str(path)) if path is not None else pyoxigraph.Store()

    def add_document(self, record: DocumentRecord) -> str:
        # Built with rdflib exactly as in memory (enrichers included), then moved over graph by graph.
        scratch = graph_build.new_dataset()
        graph_id = graph_build.add_document(scratch, record)
        self.remove_document(record)
        for graph in scratch.graphs():
            if str(graph.identifier) == "urn:x-rdflib:default" or len(graph) == 0:
                continue
            name = self._ox.NamedNode(str(graph.identifier))
            data = graph.serialize(format="nt", encoding="utf-8")
            self.store.load(data, format=self._ox.RdfFormat.N_TRIPLES, to_graph=name)
        self.store.flush()
        return str(graph_id)

    def remove_document(self, doc: DocumentRecord | str) -> None:
        name = self._ox.NamedNode(str(iris.graph_iri(doc)))
        if self.store.contains_named_graph(name):
            self.store.remove_graph(name)

    def query(self, sparql: str) -> list[Row]:
        query_guard.refuse_remote(sparql, "query")  # pyoxigraph would answer SERVICE over HTTP
        solutions = self.store.query(sparql, use_default_graph_as_union=True)
        names = [v.value for v in solutions.variables]
        return [tuple(None if s[n] is None else s[n].value for n in names) for s in solutions]

    def serialise(self, fmt: str = "ttl") -> str:
        ds = Dataset(default_union=True)
        for prefix, ns in iris.PREFIXES.items():
            ds.bind(prefix, ns)
        data = self.store.dump(format=self._ox.RdfFormat.N_QUADS)
        ds.parse(data=data.decode("utf-8"), format="nquads")
        return graph_io.serialise(ds, fmt)

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs())


def open_store(kind: str = "memory", path: Path | None = None) -> GraphStore:
    """A store by kind: "memory" (rdflib) or "oxigraph" (on disk at ``path``, or in memory)."""
    if kind == "memory":
        return MemoryStore()
    if kind == "oxigraph":
        return OxigraphStore(path)
    raise ValueError(f"unknown store kind {kind!r}; choose memory or oxigraph")
