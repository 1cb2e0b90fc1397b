"""``--endpoint`` against Virtuoso (Debian's ``virtuoso-opensource``, the engine of the OpenBudgets.eu endpoint):
a throwaway database on loopback, written through its authenticated endpoints (``/sparql-auth`` and
``/sparql-graph-crud-auth``, digest authentication as dba) and read anonymously at ``/sparql``. ``make test``
installs Virtuoso (``make virtuoso``), so CI runs this; elsewhere it runs where ``virtuoso-t`` is installed."""
from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from perfkg.kg.cli import cli
from perfkg.kg.endpoint_store import EndpointStore
from perfkg.kg.query_library import list_queries
from perfkg.kg.store import OxigraphStore
from store_compare import FIXED_TIME, free_port, graphs_of, rows_of

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "documents"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
VIRTUOSO = shutil.which("virtuoso-t")
if VIRTUOSO is None and os.environ.get("CI"):
    raise RuntimeError("virtuoso-t is not installed: make test installs it (make virtuoso)")
pytestmark = pytest.mark.skipif(VIRTUOSO is None, reason="no virtuoso-t (make virtuoso installs it)")

INI = """[Database]
DatabaseFile = virtuoso.db
ErrorLogFile = virtuoso.log
LockFile = virtuoso.lck
TransactionFile = virtuoso.trx
xa_persistent_file = virtuoso.pxa
[TempDatabase]
DatabaseFile = virtuoso-temp.db
TransactionFile = virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
CheckpointInterval = 0
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = .
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = .
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    """A fresh Virtuoso database on free loopback ports; its base URL (the dba password is Virtuoso's default)."""
    where = tmp_path_factory.mktemp("virtuoso")
    sql, http = free_port(), free_port()
    (where / "virtuoso.ini").write_text(INI.format(sql=sql, http=http), encoding="utf-8")
    process = subprocess.Popen([str(VIRTUOSO), "+configfile", "virtuoso.ini", "+foreground"], cwd=where,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http}"
    try:
        end = time.monotonic() + 60
        while True:
            assert process.poll() is None, (where / "virtuoso.log").read_text(errors="replace")[-2000:]
            try:
                if requests.get(base + "/sparql", params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert time.monotonic() < end, "Virtuoso did not start within 60 s"
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_virtuoso_holds_the_disk_stores_graphs_and_answers_every_named_query_alike(virtuoso, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_TIME)
    disk = run("load", SEEDS, "--store", tmp_path / "ox", "-j", "2")
    assert disk.exit_code == 0, disk.output
    disk_store = OxigraphStore(tmp_path / "ox", read_only=True)
    write = ("--endpoint", virtuoso + "/sparql-auth", "--gsp-url", virtuoso + "/sparql-graph-crud-auth")
    refused = run("load", SEEDS, *write)  # no credentials: one line saying where they go
    assert refused.exit_code == 1
    assert refused.output.strip().splitlines()[-1].endswith(": set PERFKG_ENDPOINT_AUTH=user:password")
    monkeypatch.setenv("PERFKG_ENDPOINT_AUTH", "dba:dba")
    loaded = run("load", SEEDS, *write, "-j", "2")
    assert loaded.exit_code == 0 and "5 loaded, 0 replaced, 0 unchanged" in loaded.output, loaded.output
    monkeypatch.delenv("PERFKG_ENDPOINT_AUTH")
    reader = EndpointStore(virtuoso + "/sparql")  # anonymous reads
    assert reader.documents() == disk_store.documents()
    assert graphs_of(reader) == graphs_of(disk_store)
    for query in list_queries():
        assert rows_of(query, reader) == rows_of(query, disk_store), query.name
    assert reader._union == "store"  # Virtuoso's default graph is the union of its graphs
    both = [run("query", "satisfaction_targets", "--param", "bureau_name=漳州", "--format", "csv", flag, where)
            for flag, where in (("--endpoint", virtuoso + "/sparql"), ("--store", tmp_path / "ox"))]
    assert sorted(both[0].stdout.splitlines()) == sorted(both[1].stdout.splitlines()) and both[0].exit_code == 0

    # a changed file replaces its graph, written by SPARQL Update alone (GSP refused at a URL that has none)
    monkeypatch.setenv("PERFKG_ENDPOINT_AUTH", "dba:dba")
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(SEED_FILES[0], docs / "a.txt")
    writer = EndpointStore(virtuoso + "/sparql-auth", gsp_url=virtuoso + "/no-gsp-here")
    assert writer.load(docs).loaded == 1 and "SPARQL Update" in writer.describe()
    first = writer.documents()[str((docs / "a.txt").resolve())]
    shutil.copy(SEED_FILES[2], docs / "a.txt")
    again = writer.load(docs)
    assert (again.loaded, again.replaced, again.skipped, again.errors) == (0, 1, 0, [])
    second = writer.documents()[str((docs / "a.txt").resolve())]
    assert first.graph != second.graph and first.graph not in writer.graph_names()
    assert (writer.load(docs).skipped, len(writer.documents())) == (1, 6)
