"""``perfkg load`` into a store on the network and on a Dask cluster, against the embedded default, side by side.

    python bench/remote_bench.py                  # 300 generated documents
    python bench/remote_bench.py --docs 1000 --json out/remote_bench.json

Each row is one ``perfkg load`` of the same generated documents (``perfkg synth``, seed 11) into a fresh store,
as a subprocess, wall and CPU time of the client's process tree (and, for a server, the server's own CPU
during the load; the Dask workers' CPU is in neither):
  * ``--store DIR`` with 2 local worker processes (the default);
  * ``--endpoint`` into Oxigraph's server (the ``oxigraph`` package) on loopback, GSP, and SPARQL Update alone;
  * ``--endpoint`` into Virtuoso (when ``virtuoso-t`` is installed), GSP and SPARQL Update, a throwaway database;
  * ``--store DIR --scheduler`` on a Dask ``LocalCluster`` of 2 worker processes of one thread each (started
    before the clock, once; the first load warms its workers, so it runs twice and both are shown);
and the named queries on the Oxigraph server against the store on disk (p50 of 3 runs each, all queries).
Timings are of this machine at this moment (2 cores shared with other work); nothing here is asserted.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
PERFKG = [sys.executable, "-c", "import sys; from perfkg.kg.cli import main; sys.argv[0] = 'perfkg'; main()"]
OXIGRAPH = Path(sys.executable).with_name("oxigraph")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing listens on {port}")


def process_cpu(pid: int) -> float:
    """CPU seconds a running process used so far (user + system, from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load(args: list[str], env: dict | None = None, server: subprocess.Popen | None = None) -> dict:
    server_before = process_cpu(server.pid) if server is not None else 0.0
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.monotonic()
    done = subprocess.run([*PERFKG, "load", *args, "--no-progress"], capture_output=True, text=True,
                          env={**os.environ, **(env or {})})
    wall = time.monotonic() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"perfkg load {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    row = {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "summary": done.stderr.strip().splitlines()[-1]}
    if server is not None:
        row["server_cpu_s"] = round(process_cpu(server.pid) - server_before, 2)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--json", type=Path)
    opts = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="perfkg-remote-bench-"))
    servers: list[subprocess.Popen] = []
    rows: dict[str, dict] = {}
    try:
        from perfkg.extract.synth import generate

        docs = scratch / "docs"
        docs.mkdir()
        for name, text, _ in generate(opts.docs, 11):
            (docs / name).write_text(text, encoding="utf-8")
        rows["store, 2 processes"] = load([str(docs), "--store", str(scratch / "disk"), "-j", "2"])

        def oxigraph() -> str:
            port = free_port()
            servers.append(subprocess.Popen([str(OXIGRAPH), "serve", "--location", str(scratch / f"ox{port}"),
                                             "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL))
            wait_port(port)
            return f"http://127.0.0.1:{port}"

        base = oxigraph()
        rows["Oxigraph server, GSP"] = load([str(docs), "--endpoint", base + "/query", "-j", "2"],
                                            server=servers[-1])
        other = oxigraph()
        rows["Oxigraph server, SPARQL Update"] = load([str(docs), "--endpoint", other + "/query", "--gsp-url",
                                                       other + "/none", "-j", "2"], server=servers[-1])
        virtuoso = shutil.which("virtuoso-t")
        if virtuoso:
            from test_virtuoso import INI

            where = scratch / "virtuoso"
            where.mkdir()
            http = free_port()
            (where / "virtuoso.ini").write_text(INI.format(sql=free_port(), http=http), encoding="utf-8")
            servers.append(subprocess.Popen([virtuoso, "+configfile", "virtuoso.ini", "+foreground"], cwd=where,
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            wait_port(http)
            time.sleep(2)
            v = f"http://127.0.0.1:{http}"
            auth = {"PERFKG_ENDPOINT_AUTH": "dba:dba"}
            rows["Virtuoso, GSP"] = load([str(docs), "--endpoint", v + "/sparql-auth", "--gsp-url",
                                          v + "/sparql-graph-crud-auth", "-j", "2"], auth, servers[-1])
            copy = scratch / "docs_again"
            shutil.copytree(docs, copy)  # other paths: other graphs, in the same database
            rows["Virtuoso, SPARQL Update"] = load([str(copy), "--endpoint", v + "/sparql-auth", "--gsp-url",
                                                    v + "/none", "-j", "2"], auth, servers[-1])
        from distributed import LocalCluster

        t = time.monotonic()
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                          silence_logs=50) as cluster:
            rows["Dask LocalCluster start (2 workers)"] = {"wall_s": round(time.monotonic() - t, 2), "cpu_s": 0.0,
                                                           "summary": cluster.scheduler_address}
            rows["Dask LocalCluster, 2 workers (cold)"] = load([str(docs), "--store", str(scratch / "dask1"),
                                                               "--scheduler", cluster.scheduler_address])
            rows["Dask LocalCluster, 2 workers (warm)"] = load([str(docs), "--store", str(scratch / "dask2"),
                                                               "--scheduler", cluster.scheduler_address])

        from perfkg.kg.endpoint_store import EndpointStore
        from perfkg.kg.query_library import list_queries, run_query
        from perfkg.kg.store import OxigraphStore

        stores = {"disk": OxigraphStore(scratch / "disk", read_only=True), "server": EndpointStore(base + "/query")}
        queries: dict[str, dict[str, float]] = {}
        for query in list_queries():
            for name, store in stores.items():
                times = []
                for _ in range(3):
                    t = time.monotonic()
                    run_query(query, store)
                    times.append(time.monotonic() - t)
                queries.setdefault(query.name, {})[name] = round(statistics.median(times) * 1000, 1)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"perfkg load of {opts.docs} generated documents (wall / CPU of the client's processes / the server's CPU); "
          f"load average {os.getloadavg()[0]:.1f}:")
    for name, row in rows.items():
        server = f"  server {row['server_cpu_s']:6.1f} s" if "server_cpu_s" in row else " " * 17
        print(f"  {name:40} {row['wall_s']:7.1f} s  {row['cpu_s']:7.1f} s{server}   {row['summary']}")
    print("named queries, p50 wall of 3 (ms): disk store / Oxigraph server over HTTP")
    for name, q in queries.items():
        print(f"  {name:26} {q['disk']:8.1f} {q['server']:8.1f}")
    if opts.json:
        opts.json.parent.mkdir(parents=True, exist_ok=True)
        opts.json.write_text(json.dumps({"docs": opts.docs, "loads": rows, "queries_ms": queries}, indent=2))


if __name__ == "__main__":
    main()
