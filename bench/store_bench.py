"""The store at scale, side by side: load, build, queries and the endpoint on generated documents.

    python bench/store_bench.py                 # 1,000 generated documents (a few minutes on 2 cores)
    python bench/store_bench.py --large         # and 10,000 (about half an hour), with the ratio
    python bench/store_bench.py --docs 200 --json out/store_bench.json

Prints, in one run:
  * where one document's CPU goes (extraction, building its triples, validation by the compiled shapes
    and by pyshacl, N-Quads), in one process over ``--split-docs`` generated documents;
  * ``perfkg load`` (extract, build, validate per document in 2 workers, bulk load) at each size: wall
    time, CPU time, peak memory of the process tree, documents/s and triples/s, and the ratio between
    the sizes (1.0 per 10× documents would be linear: the time per document); on the small corpus also
    with ``--validate shacl`` (pyshacl, the reference) against the compiled shapes;
  * ``perfkg build`` (the whole corpus as one rdflib dataset, validated as one graph) against ``perfkg
    load`` on the same small corpus (``--build-docs``, 100 by default: build grows faster than linearly);
  * Oxigraph's bulk loader alone: the store's N-Quads loaded into a fresh store, triples/s;
  * p50/p95 CPU time of every named query on the store (Oxigraph; with ``--large`` also on the 10-times
    store, with the growth of p95 and the queries over 200 ms there), and on the small corpus on rdflib
    against Oxigraph, with the ratio;
  * the endpoint (``perfkg serve``, 2 workers) under 8 concurrent clients: queries/s and p50/p95 latency.

Timings are of this machine at this moment (other work on it slows them); CPU times are steadier than
wall times. Nothing here is asserted by the tests.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PERFKG = [sys.executable, "-c", "import sys; from perfkg.kg.cli import main; sys.argv[0] = 'perfkg'; main()"]
CLIENTS = 8


def generate(n: int, seed: int, folder: Path) -> Path:
    from perfkg.extract.synth import generate as synth

    docs = folder / f"docs_{n}"
    docs.mkdir(parents=True, exist_ok=True)
    for name, text, _ in synth(n, seed):
        (docs / name).write_text(text, encoding="utf-8")
    return docs


def tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, bytes."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except (OSError, ValueError):
            continue
    return total


def measured(command: list[str]) -> dict:
    """Run a command; its wall time, CPU time (with its children) and the peak memory of its process tree."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_rss(process.pid))
        time.sleep(0.2)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    stderr = process.stderr.read()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command[3:])} failed ({process.returncode}): {stderr.strip()[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": wall, "cpu_s": cpu, "peak_mb": peak / 2**20, "stderr": stderr.strip().splitlines()[-1:]}


def split(docs: Path, n: int) -> dict:
    """Mean CPU per document of each step of ``perfkg load``'s worker, in this process (seconds)."""
    from perfkg.extract.pipeline import extract_one
    from perfkg.kg import graph_build, load_job, validate
    from perfkg.kg.provenance import build_time, document_provenance

    load_job._prepare("shacl")
    context = load_job._CONTEXT
    started = build_time()
    steps = dict.fromkeys(("extract", "build", "validate_compiled", "validate_shacl", "nquads"), 0.0)
    files = sorted(docs.iterdir())[:n]
    for path in files:
        t0 = time.process_time()
        record = extract_one(path).record
        t1 = time.process_time()
        triples = graph_build.document_triples(record, document_provenance(path, started))
        t2 = time.process_time()
        validate.validate_document(triples, context, engine="compiled")
        t3 = time.process_time()
        validate.validate_document(triples, context, engine="shacl")
        t4 = time.process_time()
        graph_build.nquads_text(iter(triples), triples.identifier)
        t5 = time.process_time()
        for name, dt in zip(steps, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4)):
            steps[name] += dt
    return {name: total / len(files) for name, total in steps.items()} | {"documents": len(files)}


def load(docs: Path, store: Path, validation: str = "compiled") -> dict:
    run = measured(PERFKG + ["load", str(docs), "--store", str(store), "-j", "2", "--no-progress",
                             "--validate", validation])
    from perfkg.kg.store import OxigraphStore

    ox = OxigraphStore(store, read_only=True)
    documents = len(ox.documents())
    quads = len(ox)
    del ox
    run.update(documents=documents, quads=quads, docs_per_s=documents / run["wall_s"],
               triples_per_s=quads / run["wall_s"], cpu_per_doc_s=run["cpu_s"] / max(documents, 1))
    return run


def bulk_loader(store: Path, scratch: Path) -> dict:
    import pyoxigraph

    from perfkg.kg.store import OxigraphStore

    dump = scratch / "store.nq"
    fmt, statements = OxigraphStore(store, read_only=True).export(dump, "nq")
    fresh = pyoxigraph.Store(str(scratch / "fresh"))
    started, cpu = time.perf_counter(), time.process_time()
    fresh.bulk_load(path=str(dump), format=pyoxigraph.RdfFormat.N_QUADS)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    del fresh
    shutil.rmtree(scratch / "fresh", ignore_errors=True)
    dump.unlink()
    return {"quads": statements, "wall_s": wall, "cpu_s": cpu, "triples_per_s": statements / wall}


def percentiles(samples: list[float]) -> tuple[float, float]:
    if len(samples) == 1:
        return samples[0], samples[0]
    cuts = statistics.quantiles(samples, n=20, method="inclusive")
    return statistics.median(samples), cuts[18]


def time_queries(data, runs: int) -> dict[str, dict]:
    from perfkg.kg.query_library import list_queries, run_query

    out = {}
    for query in list_queries():
        samples, rows = [], 0
        for _ in range(runs):
            cpu = time.process_time()
            rows = len(run_query(query, data).rows)
            samples.append(time.process_time() - cpu)
        p50, p95 = percentiles(samples)
        out[query.name] = {"p50_s": p50, "p95_s": p95, "rows": rows}
    return out


def endpoint(store: Path, per_client: int) -> dict:
    from perfkg.kg.query_library import list_queries
    from perfkg.kg.sparql_server import open_server

    server = open_server(store, "127.0.0.1", 0, workers=2, timeout_s=60, max_rows=100_000)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    texts = [q.text for q in list_queries()]
    latencies: list[float] = []
    failures = []
    lock = threading.Lock()

    def client(k: int) -> None:
        for i in range(per_client):  # bounded: per_client requests, then the client stops
            text = texts[(k + i) % len(texts)]
            data = urllib.parse.urlencode({"query": text}).encode()
            request = urllib.request.Request(server.url + "query", data=data,
                                             headers={"Accept": "application/sparql-results+json"})
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=120) as response:
                    response.read()
            except OSError as exc:
                with lock:
                    failures.append(str(exc))
                continue
            with lock:
                latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    clients = [threading.Thread(target=client, args=(k,)) for k in range(CLIENTS)]
    for c in clients:
        c.start()
    for c in clients:
        c.join()
    wall = time.perf_counter() - started
    server.shutdown()
    server.server_close()
    p50, p95 = percentiles(latencies) if latencies else (float("nan"), float("nan"))
    return {"clients": CLIENTS, "queries": len(latencies), "failed": len(failures), "wall_s": wall,
            "queries_per_s": len(latencies) / wall, "p50_s": p50, "p95_s": p95}


def fmt_s(x: float) -> str:
    return f"{x * 1000:.0f} ms" if x < 1 else f"{x:.1f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=1000, help="documents of the main corpus (default 1000)")
    parser.add_argument("--large", action="store_true", help="also load 10 times as many documents (ratio)")
    parser.add_argument("--build-docs", type=int, default=100, help="corpus of the build vs load comparison")
    parser.add_argument("--split-docs", type=int, default=50, help="documents of the per-document split")
    parser.add_argument("--query-runs", type=int, default=10, help="runs of each query on Oxigraph")
    parser.add_argument("--large-query-runs", type=int, default=5, help="runs of each query on the --large store")
    parser.add_argument("--rdflib-runs", type=int, default=3, help="runs of each query on rdflib")
    parser.add_argument("--per-client", type=int, default=14, help="requests each endpoint client sends")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="perfkg-store-bench-"))
    report: dict = {"machine": {"cores": os.cpu_count(), "load_average": os.getloadavg()}}
    try:
        sdocs = generate(args.split_docs, args.seed + 2, scratch)
        report["split"] = split(sdocs, args.split_docs)
        d = report["split"]
        print(f"one document's CPU ({d['documents']} documents, one process): extraction "
              f"{d['extract'] * 1000:.0f} ms, building its triples {d['build'] * 1000:.0f} ms, validation "
              f"{d['validate_compiled'] * 1000:.0f} ms compiled / {d['validate_shacl'] * 1000:.0f} ms pyshacl "
              f"(×{d['validate_shacl'] / max(d['validate_compiled'], 1e-9):.0f}), N-Quads {d['nquads'] * 1000:.0f} ms",
              flush=True)
        shutil.rmtree(sdocs)
        sizes = [args.docs] + ([args.docs * 10] if args.large else [])
        report["load"] = {}
        for n in sizes:
            docs = generate(n, args.seed, scratch)
            report["load"][n] = load(docs, scratch / f"store_{n}")
            r = report["load"][n]
            print(f"load {n:>6} documents: {r['wall_s']:7.1f} s wall, {r['cpu_s']:7.1f} s CPU "
                  f"({r['cpu_per_doc_s'] * 1000:.0f} ms/document), peak {r['peak_mb']:,.0f} MB, "
                  f"{r['docs_per_s']:.1f} documents/s, {r['triples_per_s']:,.0f} triples/s ({r['quads']:,} quads)",
                  flush=True)
            if n != sizes[-1]:
                shutil.rmtree(docs)
        if len(sizes) == 2:
            small, large = (report["load"][n] for n in sizes)
            report["load_ratio"] = {"wall": large["wall_s"] / small["wall_s"], "cpu": large["cpu_s"] / small["cpu_s"],
                                    "peak": large["peak_mb"] / small["peak_mb"]}
            q = report["load_ratio"]
            print(f"ratio {sizes[1]}/{sizes[0]}: wall ×{q['wall']:.1f}, CPU ×{q['cpu']:.1f}, "
                  f"peak memory ×{q['peak']:.2f} "
                  f"(×10 is linear)", flush=True)
        main_store = scratch / f"store_{sizes[0]}"

        bdocs = generate(args.build_docs, args.seed + 1, scratch)
        built = measured(PERFKG + ["build", str(bdocs), "-o", str(scratch / "build.trig")])
        loaded = load(bdocs, scratch / "store_build")
        by_shacl = load(bdocs, scratch / "store_shacl", "shacl")
        shutil.rmtree(scratch / "store_shacl", ignore_errors=True)
        report["build_vs_load"] = {"documents": args.build_docs, "build": built, "load": loaded,
                                   "load_shacl": by_shacl}
        print(f"{args.build_docs} documents: perfkg build {built['wall_s']:.1f} s wall / {built['cpu_s']:.1f} s CPU, "
              f"peak {built['peak_mb']:,.0f} MB  |  "
              f"perfkg load {loaded['wall_s']:.1f} s / {loaded['cpu_s']:.1f} s CPU, "
              f"peak {loaded['peak_mb']:,.0f} MB  |  build/load wall ×{built['wall_s'] / loaded['wall_s']:.1f}  |  "
              f"load --validate shacl {by_shacl['wall_s']:.1f} s / {by_shacl['cpu_s']:.1f} s CPU",
              flush=True)

        report["bulk_loader"] = bulk_loader(main_store, scratch)
        b = report["bulk_loader"]
        print(f"Oxigraph bulk loader alone: {b['quads']:,} quads in {b['wall_s']:.1f} s, "
              f"{b['triples_per_s']:,.0f} triples/s", flush=True)

        from perfkg.kg.store import OxigraphStore

        ox = OxigraphStore(main_store, read_only=True)
        report["queries_store"] = time_queries(ox, args.query_runs)
        del ox
        large = report["queries_large"] = {}
        if len(sizes) == 2:
            ox = OxigraphStore(scratch / f"store_{sizes[1]}", read_only=True)
            large.update(time_queries(ox, args.large_query_runs))
            del ox
        small_ox = OxigraphStore(scratch / "store_build", read_only=True)
        small_rdflib = small_ox.dataset()
        report["queries_small"] = {"oxigraph": time_queries(small_ox, args.query_runs),
                                   "rdflib": time_queries(small_rdflib, args.rdflib_runs)}
        del small_ox, small_rdflib
        wide = f"{'store of ' + str(sizes[-1]) + ' (Oxigraph)':>26} {'÷':>6}   " if large else ""
        print(f"\n{'query':26} {'store of ' + str(sizes[0]) + ' (Oxigraph)':>24}   {wide}"
              f"{str(args.build_docs) + ' documents: rdflib':>22} {'Oxigraph':>16} {'ratio':>7}")
        wide = f"{'p50':>10} {'p95':>10} {'rows':>7} {'p95':>4}   " if large else ""
        print(f"{'':26} {'p50':>10} {'p95':>10} {'rows':>6}   {wide}"
              f"{'p50':>10} {'p95':>10} {'p50':>8} {'p95':>7} {'p50':>7}")
        for name, s in report["queries_store"].items():
            r, o = report["queries_small"]["rdflib"][name], report["queries_small"]["oxigraph"][name]
            ratio = r["p50_s"] / o["p50_s"] if o["p50_s"] > 0 else float("inf")
            wide = ""
            if large:  # the 10-times store, and how its p95 grew (×10 is linear)
                g = large[name]
                grew = g["p95_s"] / s["p95_s"] if s["p95_s"] > 0 else float("inf")
                wide = f"{fmt_s(g['p50_s']):>10} {fmt_s(g['p95_s']):>10} {g['rows']:>7} ×{grew:>3.0f}   "
            print(f"{name:26} {fmt_s(s['p50_s']):>10} {fmt_s(s['p95_s']):>10} {s['rows']:>6}   {wide}"
                  f"{fmt_s(r['p50_s']):>10} {fmt_s(r['p95_s']):>10} {fmt_s(o['p50_s']):>8} {fmt_s(o['p95_s']):>7} "
                  f"×{ratio:>6.0f}")
        if large:
            over = [name for name, g in large.items() if g["p95_s"] > 0.2]
            print(f"named queries with p95 over 200 ms on the {sizes[-1]}-document store: {len(over)} of "
                  f"{len(large)}{': ' + ', '.join(over) if over else ''}")

        report["endpoint"] = endpoint(main_store, args.per_client)
        e = report["endpoint"]
        print(f"\nendpoint, {e['clients']} concurrent clients over the {sizes[0]}-document store: "
              f"{e['queries']} queries "
              f"({e['failed']} failed) in {e['wall_s']:.1f} s, {e['queries_per_s']:.1f} queries/s, "
              f"latency p50 {fmt_s(e['p50_s'])}, p95 {fmt_s(e['p95_s'])}")
        report["machine"]["load_average_after"] = os.getloadavg()
        print(f"(load average before/after: {report['machine']['load_average'][0]:.1f} / "
              f"{report['machine']['load_average_after'][0]:.1f} on {os.cpu_count()} cores)")
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
