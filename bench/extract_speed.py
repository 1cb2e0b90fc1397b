"""Extraction speed: the five seeds one by one, N copies for throughput, peak memory, time per stage;
the CPU time of a pass over the seeds, and generated documents (texts the process has not seen).

Run with ``make bench`` or ``.venv/bin/python bench/extract_speed.py [--copies 200] [--repeat 3]
[--passes 10] [--generated 200]``. Prints one report; nothing here is asserted (speed is measured,
never tested). Wall times follow the machine's load; the process CPU time much less so. Copies of
the seeds repeat the same cells, which the extractor's caches (per cell text) have seen; generated
documents are closer to a new corpus.
"""
from __future__ import annotations

import argparse
import re
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from perfkg.extract.pipeline import extract_document  # noqa: E402
from perfkg.extract.records import DocumentRecord  # noqa: E402
from perfkg.extract.synth import generate  # noqa: E402

SEEDS = sorted((ROOT / "examples" / "documents").glob("*.txt"))
STAGES = (("perfkg.extract.pipeline", "read_source", "read"),
          ("perfkg.extract.pipeline", "tokenise_rows", "cells (splitters)"),
          ("perfkg.extract.pipeline", "tag_tokens", "content model (features + CRF)"),
          ("perfkg.extract.pipeline", "decode", "row decoder"),
          ("perfkg.extract.pipeline", "check_document", "checks"))


class StageTimer:
    """Wraps each pipeline stage the pipeline module calls to add up the CPU time (process time) spent in it."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self._originals: list[tuple[object, str, Callable]] = []

    def __enter__(self) -> StageTimer:
        import importlib

        for module_name, attr, label in STAGES:
            module = importlib.import_module(module_name)
            original = getattr(module, attr)
            self._originals.append((module, attr, original))
            setattr(module, attr, self._timed(label, original))
        return self

    def __exit__(self, *exc: object) -> None:
        for module, attr, original in self._originals:
            setattr(module, attr, original)

    def _timed(self, label: str, fn: Callable) -> Callable:
        def timed(*args, **kwargs):
            start = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[label] += time.process_time() - start
        return timed


def extract_all(paths: list[Path]) -> tuple[list[DocumentRecord], float]:
    start = time.perf_counter()
    records = [extract_document(p) for p in paths]
    return records, time.perf_counter() - start


# The floor: what reading the text at all costs, one split of every line into cells and one regex over
# every cell (a quantity or a level word), with no tokens, model or grammar. A document per CPU second of
# this is as fast as any extractor written this way in Python could go.
_FLOOR_CELLS = re.compile(r"[\t|｜]| {2,}")
_FLOOR_WORD = re.compile(r"\d+(?:\.\d+)?%?|指标|目标")


def floor_pass(texts: list[str]) -> int:
    """The floor's work over ``texts``: the number of cells that hold a quantity or a level word."""
    found = 0
    for text in texts:
        for line in text.split("\n"):
            for cell in _FLOOR_CELLS.split(line):
                if _FLOOR_WORD.search(cell):
                    found += 1
    return found


def cpu_seconds(fn: Callable[[], object], passes: int) -> float:
    """The fewest CPU seconds (process time) of ``passes`` runs of ``fn``: the one least disturbed by other work."""
    best = float("inf")
    for _ in range(max(1, passes)):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def peak_memory(paths: list[Path]) -> int:
    """Peak traced allocation (bytes) while extracting ``paths`` and holding every record, as the CLI does."""
    tracemalloc.start()
    try:
        extract_all(paths)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=200, help="documents in the throughput run (seeds cycled)")
    parser.add_argument("--repeat", type=int, default=3, help="seed runs; the fastest is reported")
    parser.add_argument("--passes", type=int, default=10, help="passes over the seeds timed in CPU seconds")
    parser.add_argument("--generated", type=int, default=200, help="generated documents (synth seed 11)")
    args = parser.parse_args()

    cold_start = time.perf_counter()
    extract_document(SEEDS[0])  # first call pays for imports, OpenCC dictionaries and caches
    cold = time.perf_counter() - cold_start

    per_seed: dict[str, float] = {}
    counts: dict[str, tuple[int, int]] = {}
    for _ in range(args.repeat):
        for path in SEEDS:
            records, seconds = extract_all([path])
            per_seed[path.name] = min(per_seed.get(path.name, seconds), seconds)
            counts[path.name] = (len(records[0].projects), records[0].indicator_count())
    seeds_total = sum(per_seed.values())
    cpu_start = time.process_time()
    for _ in range(args.passes):
        extract_all(SEEDS)
    cpu_pass = (time.process_time() - cpu_start) / max(1, args.passes)
    seed_texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    floor = cpu_seconds(lambda: floor_pass(seed_texts), args.passes)

    with tempfile.TemporaryDirectory() as tmp:
        copies = []
        for n in range(args.copies):
            seed = SEEDS[n % len(SEEDS)]
            copies.append(Path(tmp) / f"{n:04d}_{seed.name}")
            shutil.copy(seed, copies[-1])
        with StageTimer() as timer:
            records, seconds = extract_all(copies)
        indicators = sum(r.indicator_count() for r in records)
        generated = []
        for name, text, _ in generate(args.generated, 11):
            generated.append(Path(tmp) / f"gen_{name}")
            generated[-1].write_text(text, encoding="utf-8")
        gen_cpu = time.process_time()
        _, gen_seconds = extract_all(generated)
        gen_cpu = time.process_time() - gen_cpu
        gen_texts = [p.read_text(encoding="utf-8") for p in generated]
        gen_floor = cpu_seconds(lambda: floor_pass(gen_texts), 3)
    # tracemalloc slows extraction several-fold, so it traces the five seeds only; the
    # throughput run's footprint is the process's peak resident size.
    memory_seeds = peak_memory(SEEDS)
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    print(f"perfkg extraction benchmark (Python {sys.version.split()[0]}, best of {args.repeat})")
    print(f"first document, cold: {cold * 1000:.0f} ms")
    print(f"\n{'seed':28} {'tables':>6} {'indicators':>10} {'ms':>8}")
    for name, t in per_seed.items():
        print(f"{name:28} {counts[name][0]:6d} {counts[name][1]:10d} {t * 1000:8.1f}")
    total_ind = sum(c[1] for c in counts.values())
    print(f"{'five seeds':28} {sum(c[0] for c in counts.values()):6d} {total_ind:10d} {seeds_total * 1000:8.1f}")
    print(f"CPU per pass of the five seeds: {cpu_pass * 1000:.0f} ms, {len(SEEDS) / cpu_pass:.1f} documents per CPU "
          f"second per core (process time, mean of {args.passes} passes); the floor (one split and one regex a "
          f"cell) {len(SEEDS) / floor:.0f} documents per CPU second: {cpu_pass / floor:.0f} times the floor")
    print(f"\nthroughput over {args.copies} documents: {seconds:.2f} s, {args.copies / seconds:.1f} documents/s, "
          f"{indicators / seconds:.0f} indicators/s")
    if generated:
        print(f"{len(generated)} generated documents (synth seed 11, read once): {gen_seconds:.2f} s, "
              f"{len(generated) / gen_seconds:.1f} documents/s; {gen_cpu / len(generated) * 1000:.1f} ms CPU "
              f"a document, {len(generated) / gen_cpu:.0f} documents per CPU second per core "
              f"({gen_cpu / gen_floor:.0f} times the floor)")
    print(f"peak memory: five seeds {memory_seeds / 2**20:.1f} MiB traced (tracemalloc); "
          f"process peak RSS after {args.copies} documents held {max_rss:.0f} MiB")
    staged = sum(timer.seconds.values())
    print(f"\n{'stage (CPU, ' + str(args.copies) + ' seed copies)':32} {'total ms':>9} {'share':>6}")
    for name in sorted(timer.seconds, key=timer.seconds.get, reverse=True):
        print(f"{name:32} {timer.seconds[name] * 1000:9.1f} {timer.seconds[name] / staged:6.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
