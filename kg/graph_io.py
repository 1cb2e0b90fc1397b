"""Graph files: serialising a dataset (ttl, nt, jsonld, trig), writing atomically, loading back.

Turtle and N-Triples hold the union of all named graphs (what researchers load); TriG, N-Quads and JSON-LD
keep one named graph per source document. N-Triples lines are sorted, so every format is
byte-identical across builds of the same input.
"""
from __future__ import annotations

import json
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from perfkg.errors import PerfkgError
from perfkg.extract.serialise import write_atomic
from perfkg.kg import iris

FORMATS = ("ttl", "nt", "jsonld", "trig", "nq")
_RDFLIB_FORMAT = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig", "nq": "nquads"}
_SUFFIX_FORMAT = {".ttl": "ttl", ".turtle": "ttl", ".nt": "nt", ".jsonld": "jsonld", ".json": "jsonld",
                  ".trig": "trig", ".nq": "nq"}


class GraphFileError(PerfkgError):
    """A graph file that cannot be read; the message names the file."""


def union_graph(ds: Dataset) -> Graph:
    """All triples of all named graphs in one graph, with the dataset's prefixes."""
    g = Graph()
    for prefix, ns in ds.namespaces():
        g.bind(prefix, ns, override=True)
    for triple in ds.triples((None, None, None)):
        g.add(triple)
    return g


def serialise(ds: Dataset, fmt: str = "ttl") -> str:
    """The dataset as text in one of ``FORMATS``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown graph format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "nt":
        lines = union_graph(ds).serialize(format="nt").splitlines()
        return "".join(line + "\n" for line in sorted(set(filter(None, lines))))
    if fmt == "ttl":
        return union_graph(ds).serialize(format="turtle")
    if fmt == "nq":  # one named graph per document, as TriG; lines sorted for reproducible files
        lines = ds.serialize(format="nquads").splitlines()
        return "".join(line + "\n" for line in sorted(set(filter(None, lines))))
    if fmt == "jsonld":
        # JSON-LD arrays here are unordered sets; sorting them makes the text reproducible.
        data = json.loads(ds.serialize(format="json-ld"))
        data = [node for node in _sorted_json(data) if node.get("@id") != _DEFAULT_GRAPH]
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    return _trig(ds)


_DEFAULT_GRAPH = "urn:x-rdflib:default"


def _sorted_json(value):
    if isinstance(value, list):
        items = [_sorted_json(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    if isinstance(value, dict):
        return {k: _sorted_json(v) for k, v in value.items()}
    return value


def _named_graphs(ds: Dataset) -> list[Graph]:
    return sorted((g for g in ds.graphs() if str(g.identifier) != _DEFAULT_GRAPH), key=lambda g: str(g.identifier))


def _trig(ds: Dataset) -> str:
    """TriG written graph by graph in IRI order (rdflib's own TriG order varies between runs)."""
    prefixes: set[str] = set()
    blocks = []
    for graph in _named_graphs(ds):
        g = Graph()
        for prefix, ns in ds.namespaces():
            g.bind(prefix, ns, override=True)
        for triple in graph:
            g.add(triple)
        # The prefix block leads the Turtle text; everything after it is copied verbatim, since
        # multi-line literals must not be re-indented.
        lines = g.serialize(format="turtle").split("\n")
        n = 0
        while n < len(lines) and lines[n].startswith("@prefix"):
            prefixes.add(lines[n])
            n += 1
        body = "\n".join(lines[n:]).strip("\n")
        blocks.append(f"<{graph.identifier}> {{\n{body}\n}}\n")
    return "\n".join(sorted(prefixes)) + "\n\n" + "\n".join(blocks)


def write_graph(ds: Dataset, path: Path, fmt: str | None = None) -> str:
    """Serialise and write atomically (format from ``fmt`` or the file suffix); returns the format used."""
    fmt = fmt or format_for(path)
    write_atomic(serialise(ds, fmt), path)
    return fmt


def format_for(path: Path) -> str:
    fmt = _SUFFIX_FORMAT.get(path.suffix.lower())
    if fmt is None:
        raise GraphFileError(f"{path}: cannot tell the graph format from the suffix {path.suffix!r}")
    return fmt


def load_dataset(path: Path) -> Dataset:
    """A graph file as a Dataset. Turtle and N-Triples land in one named graph named after the file."""
    path = Path(path)
    fmt = format_for(path)
    ds = Dataset(default_union=True)
    for prefix, ns in iris.PREFIXES.items():
        ds.bind(prefix, ns)
    try:
        data = path.read_text(encoding="utf-8")
        if fmt in ("ttl", "nt"):
            ds.graph(URIRef(path.resolve().as_uri())).parse(data=data, format=_RDFLIB_FORMAT[fmt])
        else:
            ds.parse(data=data, format=_RDFLIB_FORMAT[fmt])
    except (OSError, UnicodeDecodeError) as exc:
        raise GraphFileError(f"{path}: cannot read: {exc}") from exc
    except Exception as exc:  # rdflib raises parser-specific exception types
        raise GraphFileError(f"{path}: not valid {fmt}: {exc}") from exc
    return ds


def load_oxigraph(path: Path, store=None):
    """A graph file loaded into a pyoxigraph Store (in memory unless ``store`` is given)."""
    import pyoxigraph

    path = Path(path)
    fmt = format_for(path)
    mime = {"ttl": pyoxigraph.RdfFormat.TURTLE, "nt": pyoxigraph.RdfFormat.N_TRIPLES,
            "trig": pyoxigraph.RdfFormat.TRIG, "nq": pyoxigraph.RdfFormat.N_QUADS}.get(fmt)
    if mime is None:
        raise GraphFileError(f"{path}: pyoxigraph cannot load {fmt}; use ttl, nt, trig or nq")
    store = store if store is not None else pyoxigraph.Store()
    try:
        store.bulk_load(path=str(path), format=mime)
    except (OSError, SyntaxError, ValueError) as exc:
        raise GraphFileError(f"{path}: not valid {fmt}: {exc}") from exc
    return store
