"""The fuzz campaign (``make fuzz``): N mutated seed documents through ``extract_document`` in workers.

Reports uncaught exceptions (anything but a ReadError naming the file), hangs (documents over the
CPU budget, 5 s by default, where the worker stops them) and the peak memory of a
worker, with the operators that made each failing document so it can be reproduced:

    python bench/fuzz.py --cases 10000 --seed 1 --jobs 2 [--skip OP | --only OP] [--keep DIR] [--json report.json]

Exit status 1 when any exception or hang was found, or a worker went over the memory budget.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from perfkg.extract.limits import Limits  # noqa: E402
from perfkg.extract.workers import run_isolated  # noqa: E402
from tests.fuzz_mutations import OPERATORS, mutate, probe, seeds  # noqa: E402


def campaign(cases: int, seed: int, jobs: int, cpu_budget: float, memory_mb: float, folder: Path,
             skip: tuple[str, ...] = (), only: tuple[str, ...] = ()) -> dict:
    rng = random.Random(seed)
    operators = sorted(set(only or OPERATORS) - set(skip))
    pool = seeds(max_lines=120)
    files, made_by = [], {}
    for n in range(cases):
        name, data = rng.choice(pool)
        mutated, ops = mutate(data, rng, operators=operators)
        suffix = ".html" if name.endswith(".html") or "html_tag_soup" in ops else ".txt"
        path = folder / f"{n:05d}{suffix}"
        path.write_bytes(mutated)
        files.append(path)
        made_by[path] = f"{name} + {' + '.join(ops)}"
    # a document is stopped at the budget itself: past it, it is a hang whatever it would have taken
    limits = Limits(timeout_s=cpu_budget, max_memory_mb=memory_mb)
    kinds: Counter = Counter()
    failures, cpu, peak = [], [], 0.0
    timed: list[tuple[float, Path]] = []  # (CPU seconds, document): the slowest are named in the report
    started = time.monotonic()
    outcomes = run_isolated(files, probe, lambda p, message: {"kind": "killed", "error": message, "cpu": None,
                                                              "rss_mb": None}, jobs, limits)
    for n, (path, outcome) in enumerate(zip(files, outcomes), 1):
        if n % 1000 == 0:
            print(f"  {n} done, {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
        kind = outcome["kind"]
        if kind == "ok" and outcome["cpu"] > cpu_budget:
            kind = "hang"
        kinds[kind] += 1
        if outcome["cpu"] is not None:
            cpu.append(outcome["cpu"])
            peak = max(peak, outcome["rss_mb"])
            timed.append((outcome["cpu"], path))
        if kind in ("exception", "hang", "killed"):
            failures.append({"file": path.name, "made_by": made_by[path], "kind": kind,
                             "cpu": outcome["cpu"], "error": (outcome["error"] or "")[:2000]})
    cpu.sort()
    return {"cases": cases, "seed": seed, "jobs": jobs, "skipped_operators": list(skip), "only_operators": list(only),
            "wall_s": round(time.monotonic() - started, 1),
            "outcomes": dict(kinds), "exceptions": kinds["exception"],
            "hangs": kinds["hang"] + sum(1 for f in failures if f["kind"] == "killed" and "time limit" in f["error"]),
            "killed": kinds["killed"], "cpu_budget_s": cpu_budget,
            "cpu_s": {"median": round(cpu[len(cpu) // 2], 3) if cpu else None,
                      "p99": round(cpu[int(len(cpu) * 0.99)], 3) if cpu else None,
                      "max": round(cpu[-1], 3) if cpu else None},
            "peak_worker_rss_mb": round(peak, 1), "memory_budget_mb": memory_mb,
            "slowest": [{"file": p.name, "made_by": made_by[p], "cpu": round(c, 3)}
                        for c, p in sorted(timed, key=lambda t: -t[0])[:10]],
            "failures": failures}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--cpu-budget", type=float, default=5.0, help="CPU seconds a document may take")
    parser.add_argument("--memory-mb", type=float, default=1024.0, help="memory a worker may reach")
    parser.add_argument("--skip", action="append", default=[], choices=sorted(OPERATORS),
                        help="leave this mutation operator out (repeatable)")
    parser.add_argument("--only", action="append", default=[], choices=sorted(OPERATORS),
                        help="use only this mutation operator (repeatable), e.g. to measure one kind of damage")
    parser.add_argument("--keep", type=Path, help="keep the mutated documents in this folder")
    parser.add_argument("--json", type=Path, help="write the full report here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="perfkg-fuzz-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        report = campaign(args.cases, args.seed, args.jobs, args.cpu_budget, args.memory_mb, folder, tuple(args.skip),
                          tuple(args.only))
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"fuzz: {report['cases']} mutations (seed {report['seed']}, {report['jobs']} workers, "
          f"{report['wall_s']} s): {report['exceptions']} uncaught exceptions, {report['hangs']} over "
          f"{report['cpu_budget_s']:g} s CPU, {report['killed']} workers stopped; CPU per document median "
          f"{report['cpu_s']['median']} s, max {report['cpu_s']['max']} s; peak worker memory "
          f"{report['peak_worker_rss_mb']} MB; outcomes {report['outcomes']}")
    for slow in report["slowest"][:3]:
        print(f"  slowest: {slow['file']} ({slow['made_by']}): {slow['cpu']} s CPU")
    for failure in report["failures"][:20]:
        first_line = failure["error"].splitlines()[0] if failure["error"] else ""
        print(f"  {failure['kind']}: {failure['file']} ({failure['made_by']}): {first_line}")
    bad = report["exceptions"] or report["hangs"] or report["killed"] or report["peak_worker_rss_mb"] > args.memory_mb
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
