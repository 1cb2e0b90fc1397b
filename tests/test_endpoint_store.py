"""``--endpoint URL``: loading into and querying a SPARQL 1.1 store on the network, here Oxigraph's own server
(the ``oxigraph`` package) on loopback. The store it holds is the on-disk Oxigraph store's, graph for graph,
and every named query gives the same rows through it."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from perfkg.kg.cli import cli
from perfkg.kg.endpoint_store import EndpointError, EndpointStore
from perfkg.kg.query_library import list_queries
from perfkg.kg.store import OxigraphStore, shared_graphs
from store_compare import FIXED_TIME, free_port, graphs_of, part_of, rows_of

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "documents"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
OXIGRAPH = Path(sys.executable).with_name("oxigraph")


def run(*args, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False, env=env)


def wait_for(port: int, process: subprocess.Popen, seconds: float = 20) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        assert process.poll() is None, "the server stopped"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing listens on {port}")


@pytest.fixture
def oxigraph_server(tmp_path):
    """A fresh Oxigraph server (in memory) on a free loopback port; its base URL."""
    servers = []

    def start(*flags: str) -> str:
        port = free_port()
        process = subprocess.Popen([str(OXIGRAPH), "serve", "--bind", f"127.0.0.1:{port}", *flags],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        servers.append(process)
        wait_for(port, process)
        return f"http://127.0.0.1:{port}"

    yield start
    for process in servers:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(autouse=True)
def _fixed_time(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_TIME)


@pytest.fixture(scope="module")
def disk_store(tmp_path_factory):
    where = tmp_path_factory.mktemp("disk") / "ox"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", FIXED_TIME)
        result = run("load", SEEDS, "--store", where, "-j", "2")
    assert result.exit_code == 0, result.output
    return OxigraphStore(where, read_only=True)


def test_load_through_the_endpoint_gives_the_disk_stores_graphs_and_query_rows(oxigraph_server, disk_store, tmp_path):
    url = oxigraph_server() + "/query"
    result = run("load", SEEDS, "--endpoint", url, "-j", "2")
    assert result.exit_code == 0, result.output
    assert "5 loaded, 0 replaced, 0 unchanged" in result.output and "5 documents in the store" in result.output
    remote = EndpointStore(url)
    assert remote.gsp_url is None and remote.documents() == disk_store.documents()
    assert graphs_of(remote) == graphs_of(disk_store)
    for query in list_queries():
        assert rows_of(query, remote) == rows_of(query, disk_store), query.name
    assert remote._union == "oxigraph"  # found out: the server's union-default-graph parameter
    listed = EndpointStore(url, union="list")  # the standard way: every graph as default-graph-uri
    for query in list_queries():
        assert rows_of(query, listed) == rows_of(query, disk_store), query.name
    # the commands that read a store read the endpoint
    for args in (("query", "satisfaction_targets", "--param", "bureau_name=漳州", "--format", "csv"),
                 ("compare", "政策知晓率", "--format", "csv")):
        both = [run(*args, flag, where) for flag, where in (("--endpoint", url), ("--store", disk_store.path))]
        assert both[0].exit_code == both[1].exit_code == 0, both[0].output
        assert sorted(both[0].stdout.splitlines()) == sorted(both[1].stdout.splitlines())
        assert len(both[0].stdout.splitlines()) > 3
    for flag, where, out in (("--endpoint", url, "e.csv"), ("--store", disk_store.path, "s.csv")):
        assert run("export", flag, where, "--table", tmp_path / out).exit_code == 0
    assert sorted((tmp_path / "e.csv").read_text("utf-8").splitlines()) == \
        sorted((tmp_path / "s.csv").read_text("utf-8").splitlines())
    assert run("export", "--endpoint", url, "-o", tmp_path / "e.nq").exit_code == 0
    assert run("export", "--store", disk_store.path, "-o", tmp_path / "s.nq").exit_code == 0
    assert sorted((tmp_path / "e.nq").read_text("utf-8").splitlines()) == \
        sorted((tmp_path / "s.nq").read_text("utf-8").splitlines())
    assert run("viz", "--endpoint", url, "--bureau", "漳州市医疗保障局", "-o", tmp_path / "v.html").exit_code == 0


def test_reload_skips_unchanged_files_and_replaces_a_changed_ones_graph(oxigraph_server, tmp_path):
    url = oxigraph_server("--union-default-graph") + "/query"  # a server whose default graph is the union
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(SEED_FILES[0], docs / "a.txt")
    shutil.copy(SEED_FILES[1], docs / "b.txt")
    assert "2 loaded, 0 replaced, 0 unchanged" in run("load", docs, "--endpoint", url).output
    assert "0 loaded, 0 replaced, 2 unchanged" in run("load", docs, "--endpoint", url).output
    store = EndpointStore(url)
    before = store.documents()
    shutil.copy(SEED_FILES[2], docs / "a.txt")
    again = run("load", docs, "--endpoint", url)
    assert again.exit_code == 0 and "0 loaded, 1 replaced, 1 unchanged" in again.output, again.output
    after = store.documents()
    key_a, key_b = str((docs / "a.txt").resolve()), str((docs / "b.txt").resolve())
    assert after[key_b] == before[key_b] and after[key_a].graph != before[key_a].graph
    names = store.graph_names()
    assert before[key_a].graph not in names and after[key_a].graph in names
    gone = f"ASK {{ GRAPH <{before[key_a].graph}> {{ ?s ?p ?o }} }}"
    assert store.raw_query(gone, union=False) is not None and not bool(store.raw_query(gone, union=False))
    assert EndpointStore(url)._probe_union() == "store"
    assert {str(n) for n in shared_graphs()} <= set(names)
    store.remove_graph(after[key_b].graph)  # a graph and its catalogue entry dropped
    assert list(store.documents()) == [key_a] and after[key_b].graph not in store.graph_names()


def test_a_store_that_refuses_gsp_is_written_by_sparql_update_and_one_that_refuses_updates_by_gsp(
        oxigraph_server, disk_store):
    whole = graphs_of(disk_store)
    base = oxigraph_server()
    # no Graph Store Protocol at this URL (404): SPARQL Update writes the graphs
    by_update = EndpointStore(base + "/query", gsp_url=base + "/no-gsp-here")
    result = by_update.load(SEED_FILES[:2], jobs=2)
    assert (result.loaded, result.errors) == (2, []) and "SPARQL Update" in by_update.describe()
    assert len(graphs_of(by_update)) == 2 + 3 + 1 and part_of(graphs_of(by_update), whole)
    # no SPARQL Update (404): GSP writes the graphs, the catalogue read and written back whole
    other = oxigraph_server()
    by_gsp = EndpointStore(other + "/query", update_url=other + "/no-update-here")
    result = by_gsp.load(SEED_FILES[:1], jobs=2)
    assert (result.loaded, result.errors) == (1, []) and by_gsp.describe().endswith(f"GSP {other}/store)")
    result = by_gsp.load(SEED_FILES[:2], jobs=2)
    assert (result.loaded, result.skipped, result.documents) == (1, 1, 2)
    assert len(graphs_of(by_gsp)) == 2 + 3 + 1 and part_of(graphs_of(by_gsp), whole)


def test_an_endpoint_that_is_not_there_is_one_error_line_naming_it(tmp_path):
    url = f"http://127.0.0.1:{free_port()}/query"
    for args in (("load", SEED_FILES[0], "--endpoint", url), ("query", "concepts", "--endpoint", url)):
        result = run(*args)
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert result.output.strip().splitlines()[-1] == f"error: {url}: cannot connect (connection refused)"
    with pytest.raises(EndpointError, match="not an http"):
        EndpointStore("ftp://example.org/sparql")
    assert run("load", SEED_FILES[0], "--store", tmp_path / "x", "--endpoint", url).exit_code == 2


def test_a_server_error_is_one_line_with_the_servers_first_line(oxigraph_server):
    url = oxigraph_server() + "/query"
    with pytest.raises(EndpointError) as caught:
        EndpointStore(url).query("SELECT ?x WHERE { ?x ?y }")
    message = str(caught.value)
    assert message.startswith(f"{url}: the query was refused: HTTP 400 Bad Request: ") and "\n" not in message


def test_basic_authentication_comes_from_the_environment(monkeypatch):
    """A stub endpoint that answers only requests carrying user:secret by HTTP basic authentication."""
    import base64
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (the http.server name)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("utf-8")
            seen.append(self.headers.get("Authorization"))
            if self.headers.get("Authorization") != "Basic " + base64.b64encode(b"user:secret").decode("ascii"):
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="sparql"')
                self.end_headers()
                return
            answer = {"head": {}, "boolean": False} if "ASK" in body else \
                {"head": {"vars": ["x"]}, "results": {"bindings": []}}
            data = json.dumps(answer).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/query"
    try:
        refused = run("query", "concepts", "--endpoint", url)
        assert refused.exit_code == 1
        assert refused.output.strip().splitlines()[-1].endswith("HTTP 401 Unauthorized: set PERFKG_ENDPOINT_AUTH="
                                                               "user:password")
        monkeypatch.setenv("PERFKG_ENDPOINT_AUTH", "user:secret")
        answered = run("query", "concepts", "--endpoint", url)
        assert answered.exit_code == 0 and "0 rows" in answered.output, answered.output
        monkeypatch.setenv("PERFKG_ENDPOINT_AUTH", "user:wrong")
        wrong = run("query", "concepts", "--endpoint", url)
        assert wrong.exit_code == 1 and wrong.output.strip().endswith("check the credentials in PERFKG_ENDPOINT_AUTH")
        assert "secret" not in refused.output + wrong.output
    finally:
        server.shutdown()
        server.server_close()


def test_a_literal_with_a_line_separator_stays_one_triple():
    from rdflib import Graph, Literal, URIRef

    from perfkg.kg.endpoint_store import _ntriples
    from perfkg.kg.store import nquads

    g = Graph()
    g.add((URIRef("http://example.org/a"), URIRef("http://example.org/b"), Literal("x\u2028y\x85z")))
    quads = nquads(g, "http://example.org/g")
    assert quads == '<http://example.org/a> <http://example.org/b> "x\u2028y\x85z" <http://example.org/g> .\n'
    assert _ntriples(quads, "http://example.org/g") == \
        '<http://example.org/a> <http://example.org/b> "x\u2028y\x85z" .\n'
