"""A SPARQL 1.1 store on the network as the store of ``perfkg load``, ``query``, ``compare``, ``viz`` and ``export``
(``--endpoint URL``): Oxigraph's server, Fuseki, Virtuoso, GraphDB or any other that speaks the protocols.

The same contents as the Oxigraph store on disk (``kg.store``): one named graph per document, replaced when its
file changed, skipped when its SHA-256 is unchanged (the catalogue graph says which file and which SHA-256 each
graph came from), the shared framework, concept and unit graphs once (reloaded when their content changes).

**Writing.** A document graph is written with the SPARQL 1.1 Graph Store HTTP Protocol: ``PUT`` of its
N-Triples to ``GSP_URL?graph=<g>``, which replaces the graph whole. A store that refuses it (403, 404, 405,
406, 415, 501: no GSP there, or not for us) is written with SPARQL Update instead: ``DROP SILENT GRAPH <g>``
and ``INSERT DATA { GRAPH <g> { … } }`` in batches of ``UPDATE_TRIPLES`` triples. The catalogue, which is one
graph for all documents, is changed with one SPARQL Update per batch of documents (``DELETE … WHERE`` of the
replaced entries, ``INSERT DATA`` of the new ones); a store that takes GSP but refuses updates gets the whole
catalogue read (``GET``), changed and written back (``PUT``). The order keeps an interrupted load safe to
run again: the graphs of replaced files are dropped first, the new graphs written, the catalogue last.

**Reading.** Queries go by the SPARQL 1.1 Protocol (``POST`` of a form, JSON results for SELECT and ASK,
N-Triples or Turtle for CONSTRUCT and DESCRIBE), parsed by pyoxigraph, so the query library sees the same
terms as from the Oxigraph store. The named queries read the *union* of the graphs as their default graph,
as on the Oxigraph store. How an endpoint gives it is found out once (``union="auto"``), by asking whether a
catalogue triple is in its default graph: ``store`` when it already is the union (Virtuoso, GraphDB, Oxigraph
started with ``--union-default-graph``, Fuseki with ``tdb2:unionDefaultGraph``); ``oxigraph`` when Oxigraph's
``union-default-graph`` request parameter makes it so; else ``list``, the standard way: every graph of the
catalogue (documents, shared graphs, the catalogue) named as ``default-graph-uri`` and ``named-graph-uri``
(fine for hundreds of documents; for more, make the store's default graph the union).

**URLs.** ``url`` is the query endpoint. The update endpoint defaults to ``…/update`` beside a ``…/query``
URL (Oxigraph, Fuseki), else the same URL (Virtuoso's ``/sparql``); the GSP endpoint to the first of
``…/store`` (Oxigraph), ``…/data`` (Fuseki) and ``/sparql-graph-crud`` (Virtuoso, beside ``/sparql``) that
takes the first write. Either can be given. HTTP basic authentication comes from the environment variable
``PERFKG_ENDPOINT_AUTH`` (``user:password``; never on a command line); a server that asks for digest
authentication (Virtuoso's ``/sparql-auth``) gets it with the same credentials.

Every failure is an ``EndpointError`` (a ``StoreError``, so a ``PerfkgError``) of one line naming the URL:
connection refused, no answer in time, or the status and the first line of what the server said.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from rdflib import Dataset, URIRef

from perfkg.kg.store import CATALOGUE_GRAPH, CONTENT_DIGEST, STORED_PATH, SparqlStore, StoreError, _form, shared_graphs

AUTH_ENV = "PERFKG_ENDPOINT_AUTH"
REFUSED = {403, 404, 405, 406, 415, 501}  # "not here, not this way": try the other protocol
UPDATE_TRIPLES = 2000  # triples per INSERT DATA request of the SPARQL Update fallback
BATCH_DOCUMENTS = 200  # documents written before the catalogue is brought up to date
BATCH_BYTES = 16 * 2**20
PAGE = 5000  # catalogue rows per request (Virtuoso cuts a result at 10,000 rows by default)
UNION_MODES = ("auto", "store", "oxigraph", "list")
_SELECT_MEDIA = "application/sparql-results+json"
_GRAPH_MEDIA = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"


class EndpointError(StoreError):
    """An endpoint that cannot be reached, or refused a request; the message names the URL."""


def _sibling(url: str, name: str) -> str:
    """The URL with its last path segment replaced by ``name``."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    head = path.rsplit("/", 1)[0] if "/" in path else ""
    return urlunsplit((parts.scheme, parts.netloc, f"{head}/{name}", "", ""))


def default_update_url(url: str) -> str:
    return _sibling(url, "update") if urlsplit(url).path.rstrip("/").endswith("/query") else url


def default_gsp_urls(url: str) -> list[str]:
    path = urlsplit(url).path.rstrip("/")
    if path.endswith("/sparql"):
        return [_sibling(url, "sparql-graph-crud"), _sibling(url, "data"), _sibling(url, "store")]
    if path.endswith("/query"):
        return [_sibling(url, "store"), _sibling(url, "data")]
    parts = urlsplit(url)
    base = urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    return [f"{base}/store", f"{base}/data"]


def _reason(exc: Exception) -> str:
    text = str(exc)
    m = re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", text)
    if m:
        return m.group(1).strip().lower()
    return type(exc).__name__


def _first_line(text: str) -> str:
    bare = re.sub(r"<[^>]+>", " ", text)
    for line in bare.splitlines():
        line = " ".join(line.split())
        if line:
            return line[:200]
    return ""


def _lines(text: str) -> list[str]:
    """The lines of N-Triples or N-Quads text, each with its newline: split at newlines only (a literal may hold
    U+2028 or U+0085 as it is, which ``str.splitlines`` would cut at)."""
    return [line + "\n" for line in text.split("\n") if line.strip()]


def _ntriples(nquads: str, graph: str) -> str:
    """N-Quads lines of one graph as N-Triples lines (the graph term dropped)."""
    tail = f" <{graph}> .\n"
    out = []
    for line in _lines(nquads):
        if line.endswith(tail):
            out.append(line[: -len(tail)] + " .\n")
        elif line.strip():
            raise ValueError(f"not a quad of graph {graph}: {line[:80]}")
    return "".join(out)


class EndpointStore(SparqlStore):
    """A store on a SPARQL 1.1 endpoint (see the module docstring)."""

    def __init__(self, url: str, update_url: str | None = None, gsp_url: str | None = None,
                 union: str = "auto", timeout: float = 120.0, auth_env: str = AUTH_ENV):
        import requests

        if not re.match(r"^https?://", url or ""):
            raise EndpointError(f"{url}: not an http(s) URL of a SPARQL endpoint")
        if union not in UNION_MODES:
            raise ValueError(f"union must be one of {', '.join(UNION_MODES)}")
        self.url = url
        self.update_url = update_url or default_update_url(url)
        self.gsp_urls = [gsp_url] if gsp_url else default_gsp_urls(url)
        self.gsp_url: str | None = gsp_url  # the one that took a write (or the one given)
        self._gsp_ok = False  # a GSP write went through
        self.timeout = timeout
        self._requests = requests
        self.session = requests.Session()
        self._credentials: tuple[str, str] | None = None
        secret = os.environ.get(auth_env)
        if secret:
            user, sep, password = secret.partition(":")
            if not sep:
                raise EndpointError(f"{url}: {auth_env} must be user:password")
            self._credentials = (user, password)
            self.session.auth = requests.auth.HTTPBasicAuth(user, password)
        self._gsp_refused: str | None = None  # why GSP is not used (then SPARQL Update is)
        self._update_refused: str | None = None
        self._union = None if union == "auto" else union
        self._listed: list[str] | None = None  # the graphs of the "list" dataset, until a write changes them

    # -- HTTP ----------------------------------------------------------------------------------------

    def _request(self, method: str, url: str, **kwargs: Any) -> Any:
        requests = self._requests
        try:
            response = self.session.request(method, url, timeout=self.timeout, **kwargs)
            if (response.status_code == 401 and self._credentials is not None
                    and not isinstance(self.session.auth, requests.auth.HTTPDigestAuth)):
                # basic refused: the same credentials by digest (Virtuoso's /sparql-auth asks for it)
                self.session.auth = requests.auth.HTTPDigestAuth(*self._credentials)
                response = self.session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.Timeout:
            raise EndpointError(f"{url}: no answer within {self.timeout:g} s") from None
        except requests.RequestException as exc:
            raise EndpointError(f"{url}: cannot connect ({_reason(exc)})") from None
        return response

    def _fail(self, response: Any, what: str) -> EndpointError:
        said = _first_line(response.text)
        if response.status_code == 401:
            said = (said + "; " if said else "") + (f"check the credentials in {AUTH_ENV}" if self._credentials
                                                    else f"set {AUTH_ENV}=user:password")
        return EndpointError(f"{response.url.split('?')[0]}: {what} refused: HTTP {response.status_code} "
                             f"{response.reason}" + (f": {said}" if said else ""))

    # -- reading -------------------------------------------------------------------------------------

    def _dataset_params(self) -> tuple[dict[str, str], list[tuple[str, str]]]:
        """(URL parameters, form fields) that make the default graph the union of the graphs."""
        mode = self._union or self._probe_union()
        if mode == "oxigraph":
            return {"union-default-graph": ""}, []
        if mode == "list":
            if self._listed is None:
                self._listed = self.graph_names()
            names = self._listed
            return {}, [("default-graph-uri", g) for g in names] + [("named-graph-uri", g) for g in names]
        return {}, []

    def _probe_union(self) -> str:
        probe = f"ASK {{ ?g <{CONTENT_DIGEST}> ?d }}"
        inside = f"ASK {{ GRAPH <{CATALOGUE_GRAPH}> {{ ?g <{CONTENT_DIGEST}> ?d }} }}"
        if not self._ask(inside):
            return "store"  # nothing loaded yet: nothing to make a union of (not kept: a load may follow)
        if self._ask(probe):
            mode = "store"
        elif self._ask_or_false(probe, {"union-default-graph": ""}):
            mode = "oxigraph"
        else:
            mode = "list"
        self._union = mode
        return mode

    def _ask_or_false(self, text: str, params: dict[str, str]) -> bool:
        """An ASK with a parameter the server may not know (and refuse: then False)."""
        try:
            return self._ask(text, params)
        except EndpointError:
            return False

    def _ask(self, text: str, params: dict[str, str] | None = None) -> bool:
        return bool(self._post_query(text, _SELECT_MEDIA, params or {}, [], parse=True))

    def _post_query(self, sparql: str, accept: str, params: dict[str, str], fields: list[tuple[str, str]],
                    parse: bool = False) -> Any:
        response = self._request("POST", self.url, params=params, data=[("query", sparql), *fields],
                                 headers={"Accept": accept})
        if response.status_code >= 400:
            raise self._fail(response, "the query was")
        if not parse:
            return response
        import pyoxigraph as ox

        try:
            return ox.parse_query_results(response.content, ox.QueryResultsFormat.JSON)
        except SyntaxError as exc:
            raise EndpointError(f"{self.url}: the answer is no SPARQL JSON result ({exc})") from None

    def raw_query(self, sparql: str, union: bool = True) -> Any:
        """The endpoint's answer as pyoxigraph gives it: ``QuerySolutions``, ``QueryBoolean`` or a list of triples."""
        params, fields = self._dataset_params() if union else ({}, [])
        if _form(sparql) in ("SELECT", "ASK"):
            return self._post_query(sparql, _SELECT_MEDIA, params, fields, parse=True)
        response = self._post_query(sparql, _GRAPH_MEDIA, params, fields)
        return [q.triple for q in self._parse_graph(response)]

    def _parse_graph(self, response: Any) -> Iterator[Any]:
        import pyoxigraph as ox

        media = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        fmt = {"text/turtle": ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE,
               "application/rdf+xml": ox.RdfFormat.RDF_XML}.get(media, ox.RdfFormat.N_TRIPLES)
        try:
            return iter(list(ox.parse(response.content, fmt)))
        except SyntaxError as exc:
            raise EndpointError(f"{response.url.split('?')[0]}: the answer is no RDF ({media}: {exc})") from None

    def select(self, sparql: str, union: bool = True) -> Any:
        import pyoxigraph as ox

        answer = self.raw_query(sparql, union=union)
        if not isinstance(answer, ox.QuerySolutions):
            raise ValueError(f"not a SELECT query: {sparql[:80]}")
        return answer

    def _catalogue_rows(self, pattern: str, names: str) -> list[Any]:
        """Rows of ``SELECT names WHERE { GRAPH <catalogue> { pattern } }`` a page at a time (a server's own row cap
        cannot cut the catalogue short)."""
        rows: list[Any] = []
        while True:
            text = (f"SELECT {names} WHERE {{ GRAPH <{CATALOGUE_GRAPH}> {{ {pattern} }} }} ORDER BY ?g "
                    f"LIMIT {PAGE} OFFSET {len(rows)}")
            page = list(self.select(text, union=False))
            rows += page
            if len(page) < PAGE:
                return rows

    def documents(self) -> dict[str, Any]:
        from perfkg.kg.store import STORED_SHA256, StoredDocument

        rows = self._catalogue_rows(f"?g <{STORED_PATH}> ?path ; <{STORED_SHA256}> ?sha", "?g ?path ?sha")
        return {s["path"].value: StoredDocument(s["g"].value, s["path"].value, s["sha"].value) for s in rows}

    def _shared_digests(self) -> dict[str, str]:
        return {s["g"].value: s["d"].value for s in self._catalogue_rows(f"?g <{CONTENT_DIGEST}> ?d", "?g ?d")}

    def graph_names(self) -> list[str]:
        """The graphs perfkg wrote: the documents', the shared ones and the catalogue (not the rest of the store)."""
        names = {d.graph for d in self.documents().values()} | set(self._shared_digests())
        return sorted(names | ({str(CATALOGUE_GRAPH)} if names else set()))

    def _graph_triples(self, name: str) -> Iterator[Any]:
        text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}"
        return (q.triple for q in self._parse_graph(self._post_query(text, _GRAPH_MEDIA, {}, [])))

    def _add_graph(self, ds: Dataset, name: str) -> None:
        from perfkg.kg.store import to_rdflib

        target = ds.graph(URIRef(name))
        for t in self._graph_triples(name):
            target.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))

    def _quads(self) -> Iterator[Any]:
        import pyoxigraph as ox

        for name in self.graph_names():
            if name == str(CATALOGUE_GRAPH):
                continue
            node = ox.NamedNode(name)
            for t in self._graph_triples(name):
                yield ox.Quad(t.subject, t.predicate, t.object, node)

    def __len__(self) -> int:
        rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(rows[0][0] or 0)

    # -- writing -------------------------------------------------------------------------------------

    def _update(self, text: str) -> None:
        self._listed = None
        response = self._request("POST", self.update_url, data=text.encode("utf-8"),
                                 headers={"Content-Type": "application/sparql-update; charset=utf-8"})
        if response.status_code >= 400:
            raise self._fail(response, "the update was")

    def put_graph(self, graph: str, ntriples: str) -> None:
        """Replace a graph's triples (N-Triples text): GSP PUT, or SPARQL Update where GSP is refused."""
        self._listed = None
        if self._gsp_refused is None:
            refusals = []
            for url in ([self.gsp_url] if self._gsp_ok else self.gsp_urls):
                assert url is not None
                response = self._request("PUT", url, params={"graph": graph}, data=ntriples.encode("utf-8"),
                                         headers={"Content-Type": "application/n-triples"})
                if response.status_code < 300:
                    self.gsp_url, self._gsp_ok = url, True
                    return
                if response.status_code not in REFUSED or self._gsp_ok:
                    raise self._fail(response, f"writing graph <{graph}> was")
                refusals.append(str(self._fail(response, "GSP")))
            self._gsp_refused = "; ".join(refusals)
        lines = _lines(ntriples)
        head = f"DROP SILENT GRAPH <{graph}>"
        if "_:" in ntriples:  # blank nodes: one request, so each keeps its identity
            chunks = [lines]
        else:
            chunks = [lines[i:i + UPDATE_TRIPLES] for i in range(0, len(lines), UPDATE_TRIPLES)] or [[]]
        try:
            for n, chunk in enumerate(chunks):
                insert = f"INSERT DATA {{ GRAPH <{graph}> {{\n{''.join(chunk)}}} }}" if chunk else ""
                self._update(f"{head} ;\n{insert}" if n == 0 and insert else (head if n == 0 else insert))
        except EndpointError as exc:
            raise EndpointError(f"{exc} (GSP was not used: {self._gsp_refused})") from None

    def drop_graphs(self, graphs: Iterable[str]) -> None:
        graphs = sorted(set(graphs))
        if not graphs:
            return
        if self._update_refused is None:
            try:
                self._update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))
                return
            except EndpointError as exc:
                if not self._refused(exc):
                    raise
                self._update_refused = str(exc)
        for g in graphs:
            response = self._request("DELETE", self._gsp_for_read(), params={"graph": g})
            if response.status_code >= 300 and response.status_code != 404:
                raise self._fail(response, f"dropping graph <{g}> was")

    @staticmethod
    def _refused(exc: EndpointError) -> bool:
        m = re.search(r"refused: HTTP (\d+)", str(exc))
        return bool(m and int(m.group(1)) in REFUSED)

    def _gsp_for_read(self) -> str:
        """The GSP endpoint: the one that took a write, else the first that has the catalogue."""
        if self._gsp_ok and self.gsp_url is not None:
            return self.gsp_url
        for url in self.gsp_urls:
            response = self._request("GET", url, params={"graph": str(CATALOGUE_GRAPH)},
                                     headers={"Accept": _GRAPH_MEDIA})
            if response.status_code < 300:
                self.gsp_url, self._gsp_ok = url, True
                return url
        raise EndpointError(f"{self.update_url}: SPARQL Update is refused ({self._update_refused}) and no GSP "
                            f"endpoint has the catalogue ({', '.join(self.gsp_urls)}); give one with --gsp-url")

    def change_catalogue(self, removed: Iterable[str], added: str) -> None:
        """Drop what the catalogue says of the ``removed`` graphs and add the ``added`` N-Triples lines."""
        removed = sorted(set(removed))
        if self._update_refused is None:
            try:
                parts = []
                if removed:
                    values = " ".join(f"<{g}>" for g in removed)
                    parts.append(f"DELETE {{ GRAPH <{CATALOGUE_GRAPH}> {{ ?g ?p ?o }} }} WHERE {{ VALUES ?g "
                                 f"{{ {values} }} GRAPH <{CATALOGUE_GRAPH}> {{ ?g ?p ?o }} }}")
                lines = _lines(added)
                for i in range(0, len(lines), UPDATE_TRIPLES):
                    parts.append(f"INSERT DATA {{ GRAPH <{CATALOGUE_GRAPH}> {{\n{''.join(lines[i:i + UPDATE_TRIPLES])}"
                                 "} }")
                if parts:
                    self._update(" ;\n".join(parts[:2]))
                    for part in parts[2:]:
                        self._update(part)
                return
            except EndpointError as exc:
                if not self._refused(exc):
                    raise
                self._update_refused = str(exc)
        # GSP alone: the catalogue read whole, changed and written back
        import pyoxigraph as ox

        url = self._gsp_for_read()
        response = self._request("GET", url, params={"graph": str(CATALOGUE_GRAPH)}, headers={"Accept": _GRAPH_MEDIA})
        if response.status_code == 404:
            kept: list[Any] = []
        elif response.status_code >= 300:
            raise self._fail(response, "reading the catalogue was")
        else:
            gone = {ox.NamedNode(g) for g in removed}
            kept = [q.triple for q in self._parse_graph(response) if q.subject not in gone]
        text = (ox.serialize(kept, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8") if kept else ""
        self.put_graph(str(CATALOGUE_GRAPH), text + added)

    def remove_graph(self, graph: str) -> None:
        self.drop_graphs([graph])
        self.change_catalogue([graph], "")

    def ensure_shared_graphs(self) -> list[str]:
        import hashlib

        from perfkg.kg.store import nquads

        stored = self._shared_digests()
        reloaded: list[str] = []
        entries = []
        for name, graph in shared_graphs().items():
            data = "".join(sorted(_lines(nquads(graph, name))))
            digest = hashlib.sha256(data.encode("utf-8")).hexdigest()
            if stored.get(str(name)) == digest:
                continue
            self.put_graph(str(name), _ntriples(data, str(name)))
            entries.append(f'<{name}> <{CONTENT_DIGEST}> "{digest}" .\n')
            reloaded.append(str(name))
        if reloaded:
            self.change_catalogue(reloaded, "".join(entries))
        return reloaded

    def add_document(self, record: Any) -> str:
        from perfkg.kg import graph_build
        from perfkg.kg.store import nquads

        self.ensure_shared_graphs()
        scratch = graph_build.new_dataset()
        graph_id = graph_build.add_document(scratch, record)
        self.put_graph(str(graph_id), _ntriples(nquads(scratch.graph(graph_id), graph_id), str(graph_id)))
        return str(graph_id)

    def begin_load(self) -> _EndpointBatch:
        return _EndpointBatch(self)

    def describe(self) -> str:
        """How the store is written and read, for the summary line."""
        writes = f"GSP {self.gsp_url}" if self._gsp_ok else f"SPARQL Update {self.update_url}"
        return f"{self.url} (written by {writes})"


class _EndpointBatch:
    """Documents gathered and written together: replaced graphs dropped, new graphs put, the catalogue last."""

    def __init__(self, store: EndpointStore):
        self.store = store
        self.graphs: list[tuple[str, str]] = []
        self.catalogue: list[str] = []
        self.old: list[str] = []
        self.size = 0
        self.loaded = False

    def add(self, graph: str, nquads: str, catalogue: str, old_graph: str | None = None) -> None:
        self.graphs.append((graph, _ntriples(nquads, graph)))
        self.catalogue.append(_ntriples(catalogue, str(CATALOGUE_GRAPH)))
        if old_graph is not None and old_graph != graph:
            self.old.append(old_graph)
        self.size += len(nquads)
        if len(self.graphs) >= BATCH_DOCUMENTS or self.size >= BATCH_BYTES:
            self.flush()

    def flush(self) -> None:
        if not self.graphs:
            return
        self.store.drop_graphs(self.old)
        for graph, text in self.graphs:
            self.store.put_graph(graph, text)
        self.store.change_catalogue(self.old + [g for g, _ in self.graphs], "".join(self.catalogue))
        self.loaded = True
        self.graphs, self.catalogue, self.old, self.size = [], [], [], 0

    def close(self) -> None:
        self.graphs, self.catalogue, self.old = [], [], []

