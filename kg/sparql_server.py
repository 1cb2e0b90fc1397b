"""The read-only SPARQL endpoint of ``perfkg serve``: SPARQL 1.1 Protocol over an Oxigraph store folder.

``/query`` (and ``/sparql``, as Fuseki users expect) answer GET ``?query=…`` and POST (a form with
``query=…``, or an ``application/sparql-query`` body), with ``default-graph-uri`` / ``named-graph-uri``.
Results are JSON, CSV, TSV or XML for SELECT and ASK, Turtle, N-Triples, N-Quads or JSON-LD for
CONSTRUCT and DESCRIBE, chosen by the ``Accept`` header or a ``format`` parameter. The default graph
is the union of the store's graphs, as for ``perfkg query --store``.

Read-only and bounded: updates (an ``update`` parameter, an ``application/sparql-update`` body, or
update keywords in a query) and ``SERVICE`` are refused with 403 before anything runs. Each query runs
in a worker process that opened the store read-only; one past the time limit is stopped by ending
its worker (503), a fresh worker takes its place, and a SELECT stops after the row cap (the header
``X-Perfkg-Truncated: true`` says so). Every answer carries CORS headers, so browser tools (YASGUI)
on other origins can query it. ``/`` is a page listing the named queries with an editor and a results
table (no request leaves the server's origin); ``/queries`` lists them as JSON.

Worker processes are fresh interpreters, not forks: the server is threaded, and a forked copy of a
threaded process may hold another thread's locks.
"""
from __future__ import annotations

import csv
import io
import json
import queue
import re
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape, quoteattr

from perfkg.errors import PerfkgError
from perfkg.kg import query_guard

ENDPOINTS = ("/query", "/sparql")
MAX_BODY = 1 << 20  # a query text of more than 1 MB is no query a person wrote
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

SOLUTION_TYPES = {"application/sparql-results+json": "json", "application/json": "json",
                  "text/csv": "csv", "text/tab-separated-values": "tsv",
                  "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml"}
GRAPH_TYPES = {"text/turtle": "ttl", "application/n-triples": "nt", "application/n-quads": "nq",
               "application/ld+json": "jsonld", "application/trig": "trig"}
FORMAT_NAMES = {"json": "json", "csv": "csv", "tsv": "tsv", "xml": "xml", "turtle": "ttl", "ttl": "ttl",
                "nt": "nt", "ntriples": "nt", "nq": "nq", "jsonld": "jsonld", "json-ld": "jsonld", "trig": "trig"}
MEDIA = {"json": "application/sparql-results+json", "csv": "text/csv", "tsv": "text/tab-separated-values",
         "xml": "application/sparql-results+xml", "ttl": "text/turtle", "nt": "application/n-triples",
         "nq": "application/n-quads", "jsonld": "application/ld+json", "trig": "application/trig"}
_STRINGS = query_guard._STRINGS
_COMMENT = query_guard._COMMENT
_UPDATE = re.compile(r"(?<![:\w?$])(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY)(?![:\w])", re.I)


class Refused(PerfkgError):
    """A request the endpoint will not run; ``status`` says why (400, 403, 406, 413, 415)."""

    def __init__(self, status: HTTPStatus, message: str):
        super().__init__(message)
        self.status = status


def update_keywords(text: str) -> list[str]:
    """The SPARQL Update keywords of a text, outside strings, IRIs and comments."""
    bare = _COMMENT.sub("", _STRINGS.sub('""', text))
    return sorted({m.group(1).upper() for m in _UPDATE.finditer(bare)})


def check_read_only(text: str) -> None:
    """Refuse (403) an update or a SERVICE call: the endpoint reads the local store only."""
    if update_keywords(text):
        raise Refused(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL Update "
                      f"({', '.join(update_keywords(text))}) is refused")
    if "SERVICE" in query_guard.remote_parts(text):
        raise Refused(HTTPStatus.FORBIDDEN, "SERVICE is refused: this endpoint queries its own store only")


def accepted(accept: str | None, fmt: str | None) -> list[str]:
    """Media types the client takes, best first (a ``format`` parameter wins over the header)."""
    if fmt:
        name = FORMAT_NAMES.get(fmt.lower()) or SOLUTION_TYPES.get(fmt.lower()) or GRAPH_TYPES.get(fmt.lower())
        if name is None:
            raise Refused(HTTPStatus.NOT_ACCEPTABLE, f"unknown format {fmt!r}; use json, csv, tsv, xml, turtle, nt, "
                          "nq, jsonld or a media type")
        return [MEDIA[name]]
    ranked = []
    for n, part in enumerate((accept or "*/*").split(",")):
        pieces = [p.strip() for p in part.split(";")]
        q = 1.0
        for p in pieces[1:]:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if pieces[0] and q > 0:
            ranked.append((-q, n, pieces[0].lower()))
    return [media for _, _, media in sorted(ranked)]


def choose(kinds: dict[str, str], media: list[str], default: str) -> str | None:
    """The result format (``json``, ``ttl`` …) for the client's media types, or None when none fits."""
    for m in media:
        if m in kinds:
            return kinds[m]
        if m in ("*/*", "application/*", "text/*"):
            return default
    return None


# -- result writers (our own, so the row cap stops a SELECT while it streams) ---------------------------

def _json_term(term: Any) -> dict[str, str]:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value not in (XSD_STRING, RDF_LANG_STRING):
        out["datatype"] = term.datatype.value
    return out


def _xml_term(term: Any) -> str:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _plain(term: Any) -> str:
    import pyoxigraph as ox

    if term is None:
        return ""
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def write_solutions(names: list[str], rows: list[list[Any]], fmt: str) -> bytes:
    if fmt == "json":
        bindings = [{n: _json_term(t) for n, t in zip(names, row) if t is not None} for row in rows]
        return json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False).encode()
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(names)
        writer.writerows([[_plain(t) for t in row] for row in rows])
        return out.getvalue().encode()
    if fmt == "tsv":
        lines = ["\t".join(f"?{n}" for n in names)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode()
    head = "".join(f"<variable name={quoteattr(n)}/>" for n in names)
    body = "".join("<result>" + "".join(f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>"
                                        for n, t in zip(names, row) if t is not None) + "</result>" for row in rows)
    return (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>{head}</head>'
            f"<results>{body}</results></sparql>\n").encode()


def write_boolean(value: bool, fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt in ("csv", "tsv"):
        return f"{'true' if value else 'false'}\n".encode()
    return (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
            f"<boolean>{'true' if value else 'false'}</boolean></sparql>\n").encode()


# -- the query workers ------------------------------------------------------------------------------------

def worker_main(fd: int, store_path: str) -> None:
    """A query worker: opens the store read-only, then answers requests until the connection closes."""
    import signal
    from multiprocessing.connection import Connection

    import pyoxigraph as ox

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    conn = Connection(fd)
    try:
        store = ox.Store.read_only(store_path)
    except OSError as exc:
        conn.send(("error", f"{store_path}: cannot open the store: {exc}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        try:
            conn.send(answer(store, request))
        except Refused as exc:
            conn.send((int(exc.status), "text/plain; charset=utf-8", str(exc).encode(), {}))
        except SyntaxError as exc:
            conn.send((400, "text/plain; charset=utf-8", f"syntax error: {exc}".encode(), {}))
        except Exception as exc:  # noqa: BLE001 (a failing query is an answer, never a dead worker)
            conn.send((500, "text/plain; charset=utf-8", f"{type(exc).__name__}: {exc}".encode(), {}))


def answer(store, request: dict) -> tuple[int, str, bytes, dict[str, str]]:
    """Run one query and write its results in the negotiated format."""
    import pyoxigraph as ox

    options: dict[str, Any] = {}
    if request.get("default_graphs"):
        options["default_graph"] = [ox.NamedNode(g) for g in request["default_graphs"]]
    else:
        options["use_default_graph_as_union"] = True
    if request.get("named_graphs"):
        options["named_graphs"] = [ox.NamedNode(g) for g in request["named_graphs"]]
    result = store.query(request["query"], **options)
    media, cap = request["media"], request["max_rows"]
    headers: dict[str, str] = {}
    if isinstance(result, ox.QueryBoolean):
        fmt = choose(SOLUTION_TYPES, media, "json")
        if fmt is None:
            raise Refused(HTTPStatus.NOT_ACCEPTABLE, "ASK results come as JSON, CSV, TSV or XML")
        return 200, MEDIA[fmt], write_boolean(bool(result), fmt), headers
    if isinstance(result, ox.QueryTriples):
        fmt = choose(GRAPH_TYPES, media, "ttl")
        if fmt is None:
            raise Refused(HTTPStatus.NOT_ACCEPTABLE,
                          "graph results come as Turtle, N-Triples, N-Quads, TriG or JSON-LD")
        triples: list[Any] = []
        for triple in result:
            if len(triples) >= cap:
                headers["X-Perfkg-Truncated"] = "true"
                break
            triples.append(triple)
        target = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS,
                  "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD}[fmt]
        if fmt in ("nq", "trig"):
            triples = [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
        return 200, MEDIA[fmt], ox.serialize(triples, format=target) or b"", headers
    fmt = choose(SOLUTION_TYPES, media, "json")
    if fmt is None:
        raise Refused(HTTPStatus.NOT_ACCEPTABLE, "SELECT results come as JSON, CSV, TSV or XML")
    names = [v.value for v in result.variables]
    rows: list[Any] = []
    for solution in result:
        if len(rows) >= cap:
            headers["X-Perfkg-Truncated"] = "true"
            break
        rows.append([solution[n] for n in names])
    return 200, MEDIA[fmt] + ("; charset=utf-8" if fmt in ("csv", "tsv") else ""), \
        write_solutions(names, rows, fmt), headers


@dataclass
class _Worker:
    process: Any  # subprocess.Popen
    conn: Any  # multiprocessing.connection.Connection over a socket pair


class QueryPool:
    """Worker processes over one store; a query past ``timeout_s`` costs its worker, which is replaced.

    Workers are fresh interpreters (``python -m perfkg.kg.sparql_server --worker``), neither forked from
    the threaded server nor spawned by multiprocessing, which would re-run a calling script's main module.
    """

    def __init__(self, store_path: Path, workers: int, timeout_s: float):
        self.store_path = str(store_path)
        self.timeout_s = timeout_s
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.all: list[_Worker] = []
        self.lock = threading.Lock()
        self.closed = False
        try:
            for _ in range(workers):
                self.idle.put(self._start())
        except OSError:
            self.close()
            raise

    def _start(self) -> _Worker:
        import socket
        import subprocess
        import sys
        from multiprocessing.connection import Connection

        mine, theirs = socket.socketpair()
        process = subprocess.Popen([sys.executable, "-m", "perfkg.kg.sparql_server", "--worker", str(theirs.fileno()),
                                    self.store_path], pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL)
        theirs.close()
        conn = Connection(mine.detach())
        try:
            if not conn.poll(60):
                raise OSError(f"{self.store_path}: a query worker did not start")
            state, message = conn.recv()
        except (EOFError, OSError) as exc:
            process.kill()
            process.wait(5)
            conn.close()
            raise OSError(str(exc) or f"{self.store_path}: a query worker did not start") from None
        if state != "ready":
            process.wait(5)
            conn.close()
            raise OSError(message)
        worker = _Worker(process, conn)
        with self.lock:
            self.all.append(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        with self.lock:
            if worker in self.all:
                self.all.remove(worker)
        if worker.process.poll() is None:
            worker.process.kill()
        worker.process.wait(5)
        worker.conn.close()

    def run(self, request: dict) -> tuple[int, str, bytes, dict[str, str]]:
        try:
            worker = self.idle.get(timeout=self.timeout_s)
        except queue.Empty:
            return 503, "text/plain; charset=utf-8", b"every query worker is busy; try again", {"Retry-After": "1"}
        started = time.monotonic()
        try:
            worker.conn.send(request)
            if worker.conn.poll(self.timeout_s):
                reply = worker.conn.recv()
                self.idle.put(worker)
                return reply
        except (EOFError, OSError):
            pass
        # past the limit (or the worker died): end it, answer 503, and put a fresh one in its place
        self._retire(worker)
        if not self.closed:
            self.idle.put(self._start())
        spent = time.monotonic() - started
        return 503, "text/plain; charset=utf-8", (
            f"the query was stopped at the time limit of {self.timeout_s:g} s ({spent:.1f} s)".encode()), {}

    def close(self) -> None:
        self.closed = True
        for worker in list(self.all):
            try:
                worker.conn.send(None)
                worker.process.wait(1)
            except (OSError, ValueError, Exception):  # noqa: BLE001 (a worker that will not stop is killed)
                pass
            self._retire(worker)


# -- HTTP -------------------------------------------------------------------------------------------------

def page_html() -> bytes:
    """The page at ``/``: the named queries (title, description, text) inlined into the editor page."""
    from importlib import resources

    data = json.dumps(_page_queries(), ensure_ascii=False).replace("</", "<\\/")
    template = resources.files("perfkg.kg").joinpath("data/sparql_page.html").read_text(encoding="utf-8")
    return template.replace("/*QUERIES*/[]", data).encode("utf-8")


class Handler(BaseHTTPRequestHandler):
    server: "SparqlServer"  # the server that made this handler (its page, pool, row cap)
    server_version = "perfkg-sparql"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        if self.server.log:
            super().log_message(format, *args)

    def _send(self, status: int, content_type: str, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Expose-Headers", "X-Perfkg-Truncated")
        self.send_header("Vary", "Accept")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _text(self, status: HTTPStatus, message: str) -> None:
        self._send(int(status), "text/plain; charset=utf-8", (message + "\n").encode())

    def do_OPTIONS(self) -> None:  # noqa: N802 (the CORS preflight)
        self.send_response(204)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Access-Control-Max-Age", "86400")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        if url.path == "/":
            self._send(200, "text/html; charset=utf-8", self.server.page)
        elif url.path == "/queries":
            self._send(200, "application/json", self.server.queries_json)
        elif url.path in ENDPOINTS:
            self._sparql(params)
        else:
            self._text(HTTPStatus.NOT_FOUND, f"no such page: {url.path}; SPARQL is at /query")

    do_HEAD = do_GET

    def do_POST(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        if url.path not in ENDPOINTS:
            self._text(HTTPStatus.NOT_FOUND, f"no such endpoint: {url.path}; SPARQL is at /query")
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._text(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"a request body of at most {MAX_BODY} bytes")
            self.close_connection = True
            return
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = parse_qs(url.query, keep_blank_values=True)
        if kind == "application/x-www-form-urlencoded":
            params.update(parse_qs(body, keep_blank_values=True))
        elif kind == "application/sparql-query":
            params["query"] = [body]
        elif kind == "application/sparql-update":
            self._text(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL Update is refused")
            return
        else:
            self._text(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "POST a form (query=…) or an application/sparql-query body")
            return
        self._sparql(params)

    def _sparql(self, params: dict[str, list[str]]) -> None:
        try:
            if "update" in params:
                raise Refused(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL Update is refused")
            texts = params.get("query") or []
            if len(texts) != 1 or not texts[0].strip():
                raise Refused(HTTPStatus.BAD_REQUEST, "give exactly one query (query=…)")
            check_read_only(texts[0])
            given = (params.get("format") or params.get("output") or [""])[0] or None
            media = accepted(self.headers.get("Accept"), given)
        except Refused as exc:
            self._text(exc.status, str(exc))
            return
        request = {"query": texts[0], "media": media, "max_rows": self.server.max_rows,
                   "default_graphs": params.get("default-graph-uri") or [],
                   "named_graphs": params.get("named-graph-uri") or []}
        self._send(*self.server.pool.run(request))


class SparqlServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], store_path: Path, timeout_s: float = 10.0, max_rows: int = 10_000,
                 workers: int = 2, log: bool = False):
        self.pool = QueryPool(store_path, workers, timeout_s)
        self.max_rows = max_rows
        self.log = log
        self.page = page_html()
        self.queries_json = json.dumps(_page_queries(), ensure_ascii=False).encode("utf-8")
        try:
            super().__init__(address, Handler)
        except OSError:
            self.pool.close()
            raise

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host.decode() if isinstance(host, bytes) else host}:{port}/"

    def server_close(self) -> None:
        super().server_close()
        self.pool.close()


def _page_queries() -> list[dict[str, str]]:
    """The named queries for the page: the text without its title and description lines (shown beside it)."""
    from perfkg.kg.query_library import list_queries

    return [{"name": q.name, "title": q.title, "description": q.description,
             "text": "\n".join(line for line in q.text.splitlines()
                               if not line.startswith(("# title:", "# description:")))}
            for q in list_queries()]


def open_server(store_path: Path, host: str = "127.0.0.1", port: int = 7878, **options: Any) -> SparqlServer:
    """A bound, not yet serving endpoint over the store folder (``serve_forever`` runs it)."""
    path = Path(store_path)
    if not path.is_dir():
        raise OSError(f"{path}: no store there (create one with perfkg load PATH --store {path})")
    return SparqlServer((host, port), path, **options)


if __name__ == "__main__":  # a query worker: python -m perfkg.kg.sparql_server --worker FD STORE
    import sys

    if len(sys.argv) == 4 and sys.argv[1] == "--worker":
        worker_main(int(sys.argv[2]), sys.argv[3])
