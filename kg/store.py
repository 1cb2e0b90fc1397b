"""Where graphs live: the ``GraphStore`` interface, an rdflib in-memory store, a pyoxigraph on-disk store and (in
``kg/endpoint_store.py``) a SPARQL 1.1 store on the network.

All keep one named graph per source document; ``add_document`` replaces that graph whole.
``query`` runs SPARQL SELECT over the union of all graphs and gives rows of plain strings
(lexical forms, None for unbound), so callers do not depend on either library's term types.

The Oxigraph store is the one that scales (``perfkg load``, ``perfkg serve``): besides the document
graphs it holds the shared graphs (framework, indicator concepts, units) once, and a catalogue
graph (``graph/catalogue``) saying which file each document graph was loaded from and the file's
SHA-256, so a re-load skips unchanged files and replaces the graph of a changed one.
``execute`` runs any query form and gives rdflib terms, so the query library turns its rows into
the same values as on rdflib. Loading many documents is ``kg/load_job.py``'s job.

The union default graph of Oxigraph keeps a triple once per graph that states it (rdflib's merges
them): a bureau named by two documents has its label twice. The named queries count and list
distinct nodes for that reason (see README, "The store").

``SparqlStore`` is what both stores of the query library share (queries, the catalogue, views, export,
``load``); ``OxigraphStore`` is it over pyoxigraph, ``kg.endpoint_store.EndpointStore`` over any SPARQL 1.1
store on the network (the Graph Store HTTP Protocol to write, SPARQL Update as the fallback).
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD

from perfkg.errors import PerfkgError
from perfkg.extract.records import DocumentRecord
from perfkg.kg import graph_build, graph_io, iris, query_guard

Row = tuple[str | None, ...]

CATALOGUE_GRAPH = iris.GRAPH["catalogue"]
# what the catalogue says of each document graph: the file it came from (resolved path) and its SHA-256
STORED_PATH = iris.PKG.storedPath
STORED_SHA256 = iris.PKG.storedSha256
LOADED_AT = iris.PKG.loadedAt
_XSD_STRING = str(XSD.string)
CONTENT_DIGEST = iris.PKG.contentDigest  # of a shared graph, so a changed framework or scheme is reloaded


class StoreError(PerfkgError):
    """A store that cannot be opened or written; the message names the folder."""


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
        result = self.ds.query(sparql)
        return [tuple(None if v is None else str(v) for v in row) for row in result
                if isinstance(row, tuple)]

    def serialise(self, fmt: str = "ttl") -> str:
        return graph_io.serialise(self.ds, fmt)


@dataclass
class StoreResult:
    """A query's answer in rdflib terms: ``type`` SELECT, ASK, CONSTRUCT or DESCRIBE."""

    type: str
    vars: list[str] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    ask: bool | None = None
    triples: list[tuple[Any, Any, Any]] = field(default_factory=list)
    truncated: bool = False  # more rows than the row cap asked for


@dataclass(frozen=True)
class StoredDocument:
    graph: str
    path: str
    sha256: str


def shared_graphs() -> dict[URIRef, Graph]:
    """The graphs every document refers to: the framework, the indicator concepts, the units."""
    ds = graph_build.new_dataset()
    return {URIRef(g.identifier): g for g in ds.graphs() if len(g) and str(g.identifier) != graph_io._DEFAULT_GRAPH}


def nquads(graph: Graph, name: URIRef | str) -> str:
    """A graph's triples as N-Quads lines in graph ``name`` (N-Triples lines with the graph before the dot)."""
    tail = f" <{name}> .\n"
    lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").split("\n")  # not splitlines: U+2028
    return "".join(line[:-2] + tail for line in lines if line.endswith(" ."))


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class SparqlStore:
    """What a store of the query library does on top of a few primitives (``raw_query``, ``select``,
    ``dataset``, ``graph_names``, ``remove_graph``, ``ensure_shared_graphs``, ``begin_load``, ``_quads``):
    the catalogue, queries in rdflib terms, views, export and ``load``."""

    def raw_query(self, sparql: str) -> Any:  # pragma: no cover - each store's own
        """The store's answer over the union default graph: pyoxigraph ``QuerySolutions``, ``QueryBoolean`` or an
        iterable of triples."""
        raise NotImplementedError

    def select(self, sparql: str, union: bool = True) -> Any:  # pragma: no cover - each store's own
        raise NotImplementedError

    def _add_graph(self, ds: Dataset, name: str) -> None:  # pragma: no cover - each store's own
        """Put the store's named graph ``name`` into ``ds`` (nothing where the store has no such graph)."""
        raise NotImplementedError

    def graph_names(self) -> list[str]:  # pragma: no cover - each store's own
        raise NotImplementedError

    def remove_graph(self, graph: str) -> None:  # pragma: no cover - each store's own
        raise NotImplementedError

    def ensure_shared_graphs(self) -> list[str]:  # pragma: no cover - each store's own
        raise NotImplementedError

    def begin_load(self) -> Any:  # pragma: no cover - each store's own
        """A writer for ``load_job``: ``add(graph, nquads, catalogue_nquads, old_graph)``, ``flush()``, ``close()``
        and ``loaded`` (whether anything reached the store)."""
        raise NotImplementedError

    def _quads(self) -> Iterator[Any]:  # pragma: no cover - each store's own
        """Every pyoxigraph quad of the store but the catalogue's, streamed."""
        raise NotImplementedError

    def flush(self) -> None:
        pass

    def optimize(self) -> None:
        pass

    def documents(self) -> dict[str, StoredDocument]:
        """The loaded document graphs by the resolved path of their file."""
        text = (f"SELECT ?g ?path ?sha WHERE {{ GRAPH <{CATALOGUE_GRAPH}> {{ ?g <{STORED_PATH}> ?path ; "
                f"<{STORED_SHA256}> ?sha }} }}")
        return {s["path"].value: StoredDocument(s["g"].value, s["path"].value, s["sha"].value)
                for s in self.select(text, union=False)}

    @staticmethod
    def catalogue_nquads(graph: str, path: str, sha256: str, loaded: datetime | None = None) -> str:
        """The catalogue entry of one document graph, as N-Quads."""
        loaded = loaded or datetime.now(timezone.utc).replace(microsecond=0)
        lit = Literal(path).n3()
        return (f"<{graph}> <{STORED_PATH}> {lit} <{CATALOGUE_GRAPH}> .\n"
                f'<{graph}> <{STORED_SHA256}> "{sha256}" <{CATALOGUE_GRAPH}> .\n'
                f'<{graph}> <{LOADED_AT}> "{loaded.isoformat()}"^^<{XSD.dateTime}> <{CATALOGUE_GRAPH}> .\n')

    def remove_document(self, doc: DocumentRecord | str) -> None:
        self.remove_graph(str(iris.graph_iri(doc)))

    # -- queries -----------------------------------------------------------------------------------

    def query(self, sparql: str) -> list[Row]:
        query_guard.refuse_remote(sparql, "query")  # pyoxigraph would answer SERVICE over HTTP
        solutions = self.select(sparql)
        names = [v.value for v in solutions.variables]
        return [tuple(None if s[n] is None else s[n].value for n in names) for s in solutions]

    def execute(self, sparql: str, max_rows: int | None = None, plain: bool = False) -> StoreResult:
        """Any query form, rows as rdflib terms, or with ``plain`` as the plain values of the query library's
        rows (``to_plain``); SELECT stops after ``max_rows`` rows when given.
        (Parameters are written into the text as VALUES by the query library: ``query_library.inlined``.)"""
        import pyoxigraph as ox

        answer = self.raw_query(sparql)
        if isinstance(answer, ox.QueryBoolean):
            return StoreResult("ASK", ["ask"], ask=bool(answer))
        if not isinstance(answer, ox.QuerySolutions):
            kind = "DESCRIBE" if _form(sparql) == "DESCRIBE" else "CONSTRUCT"
            return StoreResult(kind, triples=[(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object))
                                              for t in answer])
        names = [v.value for v in answer.variables]
        rows: list[tuple[Any, ...]] = []
        truncated = False
        convert = to_plain if plain else to_rdflib
        for solution in answer:
            if max_rows is not None and len(rows) >= max_rows:
                truncated = True
                break
            rows.append(tuple(convert(term) for term in solution))  # a solution iterates its values in order
        return StoreResult("SELECT", names, rows, truncated=truncated)

    # -- views, load and export (every store alike) ---------------------------------------------------

    def dataset(self, graphs: Iterable[str] | None = None, shared: bool = True) -> Dataset:
        """The given named graphs (all when None) and, with ``shared``, the shared graphs, as an rdflib Dataset
        (for the views, which walk an rdflib graph: a view reads only the documents it draws)."""
        ds = Dataset(default_union=True)
        for prefix, ns in iris.PREFIXES.items():
            ds.bind(prefix, ns)
        names = list(graphs) if graphs is not None else [g for g in self.graph_names() if g != str(CATALOGUE_GRAPH)]
        if shared:
            names += [str(n) for n in shared_graphs() if str(n) not in names]
        for name in names:
            self._add_graph(ds, name)
        return ds

    def view_dataset(self, kind: str, key: str | Sequence[str]) -> Dataset:
        """The documents a view of ``kind`` (bureau, project, concept) named by ``key`` draws, with the shared
        graphs: a bureau's or a project's documents, or those linking the concept or a narrower one. A key
        that names nothing raises the views' own ViewSelectionError, listing what the store holds."""
        from perfkg.kg.query_library import QueryUsageError, resolve_concept
        from perfkg.kg.view_facts import ViewSelectionError, _pick

        if not isinstance(key, str):  # several bureaus on one page: the union of their documents
            merged = Dataset()
            for one in key:
                for graph in self.view_dataset(kind, one).graphs():
                    target = merged.graph(graph.identifier)
                    for triple in graph:
                        target.add(triple)
            return merged
        key = key.strip()
        if kind == "concept":
            try:
                iri = resolve_concept(self, key)
            except QueryUsageError as err:
                raise ViewSelectionError(str(err)) from None
            text = (f"SELECT DISTINCT ?g WHERE {{ ?c <http://www.w3.org/2004/02/skos/core#broader>* <{iri}> . "
                    f"GRAPH ?g {{ ?i <{iris.PKG.concept}> ?c }} }}")
            return self.dataset([s["g"].value for s in self.select(text, union=False)])
        cls = {"bureau": iris.PKG.Bureau, "project": iris.PKG.Project}.get(kind)
        if cls is None:
            raise ValueError(f"unknown view {kind!r}; choose one of bureau, project, concept")
        term = sparql_term(Literal(key))
        text = (f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?x a <{cls}> ; <{iris.RDFS.label}> ?l }} "
                f"FILTER(STR(?x) = {term} || STR(?l) = {term}) }}")
        graphs = [s["g"].value for s in self.select(text, union=False)]
        if not graphs:  # the views' message, with the names the store has
            names = f"SELECT DISTINCT ?x ?l WHERE {{ ?x a <{cls}> ; <{iris.RDFS.label}> ?l }} LIMIT 1000"
            _pick(kind, key, [(s["x"].value, s["l"].value) for s in self.raw_query(names)])
        return self.dataset(graphs)

    def load(self, paths: Iterable[str | Path] | str | Path, jobs: int = 1, source_url: str | None = None,
             licence: str | None = None, progress: Any = None, validation: str = "compiled",
             scheduler: str | None = None) -> Any:
        """Extract, build, validate and load documents (files or folders); a ``kg.load_job.LoadResult``.
        ``validation``: ``compiled`` (the shapes translated into direct checks) or ``shacl`` (pyshacl);
        ``scheduler``: a Dask scheduler's address (``tcp://host:8786``) to run the documents on its cluster
        instead of ``jobs`` local worker processes."""
        from perfkg.kg.load_job import load_paths

        if isinstance(paths, (str, Path)):
            paths = [paths]
        return load_paths(self, [Path(p) for p in paths], jobs, source_url, licence, progress, validation,
                          scheduler=scheduler)

    def serialise(self, fmt: str = "ttl") -> str:
        ds = self.dataset()
        return graph_io.serialise(ds, fmt)

    def export(self, path: Path, fmt: str | None = None) -> tuple[str, int]:
        """Write the store (without its catalogue) to a file, streaming: N-Quads and TriG keep the named
        graphs, JSON-LD keep the named graphs, N-Triples and Turtle the union (a triple stated by several documents
        is written once per document; readers merge them). Returns
        (format, statements written)."""
        import pyoxigraph as ox

        fmt = fmt or graph_io.format_for(path)
        quads = self._quads()
        counted = _Counter()
        target = {"nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD,
                  "nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE}[fmt]
        items: Iterator = counted.through(quads if fmt in ("nq", "trig", "jsonld") else (q.triple for q in quads))
        tmp = path.with_name(f".{path.name}.tmp")
        try:
            prefixes = {k: str(v) for k, v in iris.PREFIXES.items()} if fmt in ("ttl", "trig") else None
            path.parent.mkdir(parents=True, exist_ok=True)
            ox.serialize(items, str(tmp), target, prefixes=prefixes)
            tmp.replace(path)
        finally:
            tmp.unlink(missing_ok=True)
        return fmt, counted.n


class OxigraphStore(SparqlStore):
    """A pyoxigraph store, on disk when given a directory (it persists between runs), else in memory.

    ``read_only`` opens an existing store for reading alone, which several processes may do at
    once (the endpoint's query workers); a store being loaded must not be read that way meanwhile.
    """

    def __init__(self, path: Path | str | None = None, read_only: bool = False):
        import pyoxigraph

        self._ox = pyoxigraph
        self.path = Path(path) if path is not None else None
        try:
            if self.path is None:
                self.store = pyoxigraph.Store()
            elif read_only:
                if not self.path.is_dir():
                    raise StoreError(f"{self.path}: no store there (create one with perfkg load PATH --store "
                                     f"{self.path})")
                self.store = pyoxigraph.Store.read_only(str(self.path))
            else:
                if self.path.exists() and not self.path.is_dir():
                    raise StoreError(f"{self.path}: is a file, not a store folder")
                self.store = pyoxigraph.Store(str(self.path))
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot open the store ({exc}); another perfkg load or serve may "
                             "have it open for writing") from exc

    # -- documents one by one (records already extracted) ------------------------------------------

    def add_document(self, record: DocumentRecord) -> str:
        # Built with rdflib exactly as in memory (enrichers included); only the document's own graph
        # moves over, the shared graphs are loaded once.
        self.ensure_shared_graphs()
        scratch = graph_build.new_dataset()
        graph_id = graph_build.add_document(scratch, record)
        self.remove_document(record)
        data = nquads(scratch.graph(graph_id), graph_id)
        self.store.load(data.encode("utf-8"), format=self._ox.RdfFormat.N_QUADS)
        self.store.flush()
        return str(graph_id)

    def remove_graph(self, graph: str) -> None:
        """Drop a document graph and what the catalogue says of it."""
        name = self._ox.NamedNode(graph)
        if self.store.contains_named_graph(name):
            self.store.remove_graph(name)
        catalogue = self._ox.NamedNode(str(CATALOGUE_GRAPH))
        for quad in list(self.store.quads_for_pattern(name, None, None, catalogue)):
            self.store.remove(quad)

    # -- the shared graphs and the catalogue -------------------------------------------------------

    def ensure_shared_graphs(self) -> list[str]:
        """Load the framework, concept and unit graphs when absent or changed; the names (re)loaded."""
        reloaded = []
        catalogue = self._ox.NamedNode(str(CATALOGUE_GRAPH))
        for name, graph in shared_graphs().items():
            data = "".join(sorted(nquads(graph, name).splitlines(keepends=True)))
            digest = hashlib.sha256(data.encode("utf-8")).hexdigest()
            node = self._ox.NamedNode(str(name))
            digests = self.store.quads_for_pattern(node, self._ox.NamedNode(str(CONTENT_DIGEST)), None, catalogue)
            stored = [q.object.value for q in digests if isinstance(q.object, self._ox.Literal)]
            if stored == [digest]:
                continue
            if self.store.contains_named_graph(node):
                self.store.remove_graph(node)
            for quad in list(self.store.quads_for_pattern(node, None, None, catalogue)):
                self.store.remove(quad)
            data += f'<{name}> <{CONTENT_DIGEST}> "{digest}" <{CATALOGUE_GRAPH}> .\n'
            self.store.load(data.encode("utf-8"), format=self._ox.RdfFormat.N_QUADS)
            reloaded.append(str(name))
        if reloaded:
            self.store.flush()
        return reloaded

    def bulk_load_nquads(self, path: Path) -> None:
        """Load an N-Quads file with Oxigraph's bulk loader (no transaction, no copy in memory)."""
        self.store.bulk_load(path=str(path), format=self._ox.RdfFormat.N_QUADS)

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs())

    def __len__(self) -> int:
        return len(self.store)

    def flush(self) -> None:
        self.store.flush()

    def optimize(self) -> None:
        self.store.optimize()

    def begin_load(self) -> Any:
        from perfkg.kg.load_job import _Batch

        return _Batch(self)

    # -- queries -----------------------------------------------------------------------------------

    def raw_query(self, sparql: str) -> Any:
        """pyoxigraph's own answer (solutions, boolean or triples) over the union default graph."""
        return self.store.query(sparql, use_default_graph_as_union=True)

    def select(self, sparql: str, union: bool = True) -> Any:
        """The solutions of a SELECT (over the union default graph unless ``union`` is False); another query
        form is a ValueError."""
        answer = self.store.query(sparql, use_default_graph_as_union=union)
        if not isinstance(answer, self._ox.QuerySolutions):
            raise ValueError(f"not a SELECT query: {sparql[:80]}")
        return answer

    # -- reading parts back into rdflib --------------------------------------------------------------

    def _add_graph(self, ds: Dataset, name: str) -> None:
        node = self._ox.NamedNode(name)
        if not self.store.contains_named_graph(node):
            return
        data = self.store.dump(format=self._ox.RdfFormat.N_TRIPLES, from_graph=node) or b""
        ds.graph(URIRef(name)).parse(data=data.decode("utf-8"), format="nt")

    def _quads(self) -> Iterator[Any]:
        catalogue = self._ox.NamedNode(str(CATALOGUE_GRAPH))
        return (q for q in self.store.quads_for_pattern(None, None, None) if q.graph_name != catalogue)


class _Counter:
    def __init__(self) -> None:
        self.n = 0

    def through(self, items: Iterable) -> Iterator:
        for item in items:
            self.n += 1
            yield item


def _form(sparql: str) -> str:
    import re

    from perfkg.kg.query_guard import _COMMENT, _STRINGS

    bare = _COMMENT.sub("", _STRINGS.sub('""', sparql))
    m = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", bare, re.I)
    return m.group(1).upper() if m else "SELECT"


def to_rdflib(term: Any) -> Any:
    """A pyoxigraph term as the rdflib term rdflib itself would give (plain strings without datatype)."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == str(XSD.string) else URIRef(datatype))
    return URIRef(str(term))


def _boolean(lexical: str) -> bool:
    return {"true": True, "false": False, "1": True, "0": False}[lexical]


# the datatypes of the named queries' cells, converted as rdflib's Literal.toPython converts them
_PLAIN_DATATYPES: dict[str, Callable[[str], Any]] = {str(XSD.integer): int, str(XSD.decimal): Decimal,
                                                    str(XSD.boolean): _boolean}


def to_plain(term: Any) -> Any:
    """A pyoxigraph term as the plain value the query library gives for it (``query_library._plain`` of
    ``to_rdflib``: str, int, Decimal, bool or None), without making the rdflib term for IRIs, strings, integers,
    decimals and booleans; a handover of a few microseconds per cell less (tests/test_store.py holds the two
    conversions equal)."""
    import pyoxigraph as ox

    if term is None:
        return None
    kind = type(term)
    if kind is ox.Literal:
        if term.language:
            return term.value
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return term.value
        convert = _PLAIN_DATATYPES.get(datatype)
        if convert is not None:
            try:
                return convert(term.value)
            except (ValueError, KeyError, ArithmeticError):
                pass  # an ill-typed lexical form: as rdflib reads it
    elif kind is ox.NamedNode or kind is ox.BlankNode:
        return term.value
    from perfkg.kg.query_library import _plain

    return _plain(to_rdflib(term))


def to_oxigraph(term: Any) -> Any:
    """An rdflib term as a pyoxigraph term."""
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def sparql_term(term: Any) -> str:
    """An rdflib term in SPARQL syntax, written (and escaped) by Oxigraph's serialiser."""
    return str(to_oxigraph(term))


def is_store(data: Any) -> bool:
    """True for a store the query library runs on through ``execute`` (Oxigraph, an endpoint), not an rdflib
    graph."""
    return isinstance(data, SparqlStore)


def open_store(kind: str = "memory", path: Path | None = None) -> GraphStore:
    """A store by kind: "memory" (rdflib) or "oxigraph" (on disk at ``path``, or in memory)."""
    if kind == "memory":
        return MemoryStore()
    if kind == "oxigraph":
        return OxigraphStore(path)
    raise ValueError(f"unknown store kind {kind!r}; choose memory or oxigraph")
