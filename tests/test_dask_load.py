"""``perfkg load --scheduler``: the documents run on a Dask cluster (here a LocalCluster of two worker processes)
and the store is the one the local worker processes make, graph for graph."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from perfkg.kg.cli import cli
from perfkg.kg.store import CATALOGUE_GRAPH, OxigraphStore

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "documents"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def quads_by_graph(store_dir: Path) -> dict[str, set[str]]:
    store = OxigraphStore(store_dir, read_only=True)
    out: dict[str, set[str]] = {}
    for quad in store.store.quads_for_pattern(None, None, None):
        if quad.graph_name.value == str(CATALOGUE_GRAPH) and quad.predicate.value.endswith("loadedAt"):
            continue
        out.setdefault(quad.graph_name.value, set()).add(str(quad.triple))
    return out


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=50) as local:
        yield local.scheduler_address


def test_a_load_on_a_dask_cluster_gives_the_same_store_as_the_local_workers(cluster, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    docs = tmp_path / "docs"
    shutil.copytree(SEEDS, docs)
    (docs / "004_0a8a22fa5a2243d7.txt.json").write_text('{"url": "https://example.org/004.txt"}', encoding="utf-8")
    (docs / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    by_dask = run("load", docs, "--store", tmp_path / "dask", "--scheduler", cluster)
    local = run("load", docs, "--store", tmp_path / "local", "-j", "2")
    assert by_dask.exit_code == local.exit_code == 1
    for result in (by_dask, local):
        errors = [line for line in result.output.splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and f"{docs / 'broken.pdf'}" in errors[0], result.output
        assert "5 loaded, 0 replaced, 0 unchanged, 1 failed" in result.output
    graphs = quads_by_graph(tmp_path / "dask")
    assert graphs == quads_by_graph(tmp_path / "local")
    assert len(graphs) == 5 + 3 + 1  # the documents, the shared graphs, the catalogue
    assert any("https://example.org/004.txt" in q for g in graphs.values() for q in g)  # the sidecar went along
    again = run("load", docs / "000_5f7560c24654454f.txt", "--store", tmp_path / "dask", "--scheduler", cluster)
    assert again.exit_code == 0 and "0 loaded, 0 replaced, 1 unchanged" in again.output


def test_a_scheduler_that_is_not_there_is_one_error_line(tmp_path):
    dask = pytest.importorskip("dask")
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
            result = run("load", SEEDS / "000_5f7560c24654454f.txt", "--store", tmp_path / "s", "--scheduler",
                     "tcp://127.0.0.1:1")
    assert result.exit_code == 1 and "Traceback" not in result.output
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("error: tcp://127.0.0.1:1: cannot reach the Dask scheduler")
