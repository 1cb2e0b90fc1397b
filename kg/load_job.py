"""The load job behind ``perfkg load``: documents → validated document graphs → a store (an on-disk Oxigraph
store, or a SPARQL 1.1 store on the network: ``kg.endpoint_store``).

Work in proportion to the corpus: each document is extracted, built into its own graph and validated
against the shapes (with the shared framework, concept and unit graphs beside it) in the worker process
that extracted it (a local worker process, or a Dask worker: ``kg.dask_load``; the same ``load_task``);
the worker hands back the graph as N-Quads text, and the parent gives it to the store's writer
(``begin_load``): for Oxigraph a batch file its bulk loader reads, for an endpoint one Graph Store
Protocol PUT per document graph. No process ever holds the union of the documents in rdflib.

Identity: a document is its file's resolved path and its content (SHA-256), never its bare file name,
so two ``budget.txt`` in different folders both stay. A file whose path is in the store's catalogue
with the same SHA-256 is skipped before it is read; a file whose content changed replaces the graph it
had; a document that cannot be read, or whose graph violates the shapes, is one error line naming the
file and leaves what the store held of it untouched.
"""
from __future__ import annotations

import functools
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from rdflib import Dataset, Graph

from perfkg.extract.file_names import shown
from perfkg.extract.pipeline import expand_paths, extract_one
from perfkg.kg import graph_build
from perfkg.kg.concept_linker import CONCEPT_NS
from perfkg.kg.iris import PKG
from perfkg.kg.provenance import build_time, document_provenance
from perfkg.kg.store import OxigraphStore, SparqlStore, file_sha256, shared_graphs
from perfkg.kg.validate import Context

BATCH_BYTES = 64 * 2**20  # N-Quads text gathered before one bulk load: few large loads, bounded memory


@dataclass
class LoadOutcome:
    path: Path
    key: str  # the resolved path: the document's place in the catalogue
    sha256: str
    graph: str | None = None
    nquads: str = ""
    triples: int = 0
    projects: int = 0
    indicators: int = 0
    error: str | None = None


@dataclass
class LoadResult:
    loaded: int = 0  # documents new to the store
    replaced: int = 0  # documents whose file changed: their graph replaced
    skipped: int = 0  # unchanged since the last load
    triples: int = 0  # triples of the documents loaded now
    projects: int = 0
    indicators: int = 0
    errors: list[str] = field(default_factory=list)
    documents: int = 0  # document graphs in the store afterwards

    def summary(self) -> str:
        failed = f", {len(self.errors)} failed" if self.errors else ""
        return (f"{self.loaded} loaded, {self.replaced} replaced, {self.skipped} unchanged{failed}; "
                f"{self.projects} projects, {self.indicators} indicators, {self.triples} triples loaded; "
                f"{self.documents} documents in the store")


# A worker's scratch dataset and the shared triples it validates against; made once per process
# (before the workers fork, so they share the parent's copy).
_SCRATCH: Dataset | None = None
_CONTEXT: Context | None = None  # the shared graphs, indexed for validation


def _prepare(engine: str = "compiled") -> None:
    global _SCRATCH, _CONTEXT
    from perfkg.kg import validate

    if _SCRATCH is None:
        from perfkg.kg.concept_linker import default_linker

        _SCRATCH = graph_build.new_dataset()
        _CONTEXT = validate.Context(t for g in shared_graphs().values() for t in g)
        validate.shapes_graph()
        # the concept linker (spaCy, jieba's dictionary: seconds) made once, before the workers fork
        default_linker().tag("服务对象满意度", "满意度指标", "服务对象满意度指标", "≥90%", 90.0, "%")
        # the tables behind the shortcut triples (the concept scheme's skos:broader, the framework's dimensions)
        from perfkg.kg.concept_graph import broader_or_self
        from perfkg.kg.framework_scheme import dimensions

        broader_or_self(CONCEPT_NS + "satisfaction")
        dimensions()
    validate.compiled_shapes()  # compiled once, before forking (its warnings said once)
    if engine == "shacl" or validate.compiled_shapes().unsupported or validate.compiled_shapes().global_reason:
        import pyshacl  # noqa: F401  (a second to import: once, before forking)


def load_task(path: Path, key: str, sha256: str, started: datetime, url: str | None,
              licence: str | None, engine: str = "compiled") -> LoadOutcome:
    """Extract, build and validate one document (in a worker); its graph as N-Quads, or the error.
    ``engine``: the validator, ``compiled`` (the shapes translated, the default) or ``shacl`` (pyshacl)."""
    from perfkg.kg.validate import validate_document

    _prepare(engine)
    scratch_ds, context = _SCRATCH, _CONTEXT
    assert scratch_ds is not None and context is not None  # made by _prepare
    outcome = LoadOutcome(path, key, sha256)
    extracted = extract_one(path)
    if extracted.error or extracted.record is None:
        outcome.error = extracted.error or f"{shown(path)}: nothing was read"
        return outcome
    record = extracted.record
    # the store's identity of a document: resolved path and content, whatever the path was given as
    record.path = key
    provenance = document_provenance(path, started, url, licence)
    scratch = engine != "compiled"  # pyshacl reads an rdflib graph; the compiled shapes read the triples
    graph: graph_build.DocumentTriples | Graph
    try:
        if scratch:
            graph_id = graph_build.add_document(scratch_ds, record, provenance)
            graph = scratch_ds.graph(graph_id)
        else:
            graph = graph_build.document_triples(record, provenance)
            graph_id = graph.identifier
    except Exception as exc:  # noqa: BLE001 (one document that makes the builder raise is that document's error)
        graph_build.remove_document(scratch_ds, record)
        outcome.error = f"{shown(path)}: its graph could not be built ({type(exc).__name__}: {exc}); not loaded"
        return outcome
    try:
        report = validate_document(graph, context, engine)
        if not report.conforms:
            first = report.violations[0]
            line = graph.value(_node(first.focus_node), PKG.lineStart)
            where = f" (line {line})" if line is not None else ""
            outcome.error = (f"{shown(path)}: its graph violates the SHACL shapes ({first.focus_node}{where}: "
                             f"{first.message}; {len(report.violations)} violations); not loaded")
            return outcome
        try:
            outcome.nquads = graph_build.nquads_text(iter(graph), graph_id)
        except ValueError as exc:
            outcome.error = f"{shown(path)}: its graph could not be written ({exc}); not loaded"
            return outcome
        outcome.graph = str(graph_id)
        outcome.triples = len(graph)
        outcome.projects = len(record.projects)
        outcome.indicators = sum(len(p.indicators) for p in record.projects)
        return outcome
    finally:
        if scratch:
            graph_build.remove_document(scratch_ds, record)


def _node(text: str):
    from rdflib import URIRef

    return URIRef(text.strip("<>")) if text.startswith("<") else None


def _error(path: Path, message: str) -> LoadOutcome:
    return LoadOutcome(path, "", "", error=message)


def load_paths(store: SparqlStore, paths: list[Path], jobs: int = 1, source_url: str | None = None,
               licence: str | None = None, progress: Callable[[int, int], None] | None = None,
               validation: str = "compiled", scheduler: str | None = None) -> LoadResult:
    """Load documents (files or folders) into the store (Oxigraph on disk, or an endpoint); see the module
    docstring for what is skipped, replaced and reported. ``progress(done, total)`` is called after each
    document read; ``validation`` names the validator (``compiled`` or ``shacl``, see ``kg.validate``);
    ``scheduler`` a Dask scheduler to run the documents on (``kg.dask_load``) instead of ``jobs`` processes."""
    result = LoadResult()
    files = expand_paths(paths, result.errors)
    store.ensure_shared_graphs()
    stored = store.documents()
    todo: list[tuple[Path, str, str]] = []
    seen: set[str] = set()
    for path in files:
        key = str(path.resolve())
        if key in seen:  # the same file named twice (a folder and a file in it)
            continue
        seen.add(key)
        try:
            sha = file_sha256(path)
        except OSError as exc:
            result.errors.append(f"{shown(path)}: cannot read: {exc.strerror or exc}")
            continue
        previous = stored.get(key)
        if previous is not None and previous.sha256 == sha:
            result.skipped += 1
            continue
        todo.append((path, key, sha))
    if not todo:
        result.documents = len(store.documents())
        return result

    started = build_time()
    batch = store.begin_load()
    try:
        done = 0
        for outcome in outcomes(todo, started, source_url, licence, validation, jobs, scheduler):
            done += 1
            if progress is not None:
                progress(done, len(todo))
            if outcome.error:
                result.errors.append(shown(outcome.error))
                continue
            assert outcome.graph is not None  # set whenever there is no error
            previous = stored.get(outcome.key)
            if previous is not None:
                result.replaced += 1
            else:
                result.loaded += 1
            batch.add(outcome.graph, outcome.nquads,
                      store.catalogue_nquads(outcome.graph, outcome.key, outcome.sha256, started),
                      previous.graph if previous is not None else None)
            result.triples += outcome.triples
            result.projects += outcome.projects
            result.indicators += outcome.indicators
        batch.flush()
    finally:
        batch.close()
    store.flush()
    if batch.loaded:
        # compact what the bulk loader wrote: the named queries then run in about half the time (a
        # 1,000-document store: 2.4 s once, and e.g. population_targets 6.4 -> 2.9 s)
        store.optimize()
    result.documents = len(store.documents())
    return result


def outcomes(todo: list[tuple[Path, str, str]], started: datetime, url: str | None, licence: str | None,
             engine: str, jobs: int, scheduler: str | None = None) -> Iterator[LoadOutcome]:
    """``load_task`` of each (path, key, sha256): in ``jobs`` local worker processes within the per-document
    limits (``extract.workers``), or on the Dask cluster of ``scheduler``; as they finish."""
    if scheduler is not None:
        from perfkg.kg.dask_load import dask_outcomes

        yield from dask_outcomes(scheduler, todo, started, url, licence, engine)
        return
    from perfkg.extract.workers import run_isolated

    _prepare(engine)
    by_path = {path: (key, sha) for path, key, sha in todo}
    task = functools.partial(_run_task, by_path=by_path, started=started, url=url, licence=licence, engine=engine)
    yield from run_isolated([p for p, _, _ in todo], task, _error, jobs)


def _run_task(path: Path, by_path: dict, started: datetime, url: str | None, licence: str | None,
              engine: str = "compiled") -> LoadOutcome:
    key, sha = by_path[path]
    return load_task(path, key, sha, started, url, licence, engine)


class _Batch:
    """N-Quads text gathered in a temporary file and bulk-loaded into an Oxigraph store when it is large, and at
    the end (the Oxigraph store's ``begin_load``)."""

    def __init__(self, store: OxigraphStore):
        self.store = store
        fd, name = tempfile.mkstemp(prefix="perfkg-load-", suffix=".nq")
        self.path = Path(name)
        self.file = os.fdopen(fd, "w", encoding="utf-8")
        self.size = 0
        self.loaded = False  # whether anything reached the store

    def add(self, graph: str, nquads: str, catalogue: str, old_graph: str | None = None) -> None:
        """A document's graph (N-Quads) and its catalogue entry, replacing ``old_graph`` (the graph of the file's
        earlier content) and a graph of the same identity left by an interrupted load."""
        if old_graph is not None:
            self.store.remove_graph(old_graph)
        self.store.remove_graph(graph)
        text = nquads + catalogue
        self.file.write(text)
        self.size += len(text)
        if self.size >= BATCH_BYTES:
            self.flush()

    def flush(self) -> None:
        self.file.flush()
        if self.size:
            self.store.bulk_load_nquads(self.path)
            self.loaded = True
        self.file.seek(0)
        self.file.truncate()
        self.size = 0

    def close(self) -> None:
        self.file.close()
        self.path.unlink(missing_ok=True)
