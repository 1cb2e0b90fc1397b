"""Fuzzing in the suite (issue 11): a few hundred mutated seeds (fixed seed) through extract_document in
workers, and hypothesis over the reader; no uncaught exception, no document over 5 s CPU, bounded memory.

``make fuzz`` (``bench/fuzz.py``) runs the same probe over 10,000 mutations.
"""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from perfkg.extract.limits import Limits
from perfkg.extract.reader import ReadError, decode_text
from perfkg.extract.workers import run_isolated
from tests.fuzz_mutations import OPERATORS, mutate, probe, seeds

CPU_BUDGET_S = 5.0
MEMORY_BUDGET_MB = 1024.0
CASES = 300


def _error(path, message):
    return {"kind": "killed", "error": message, "cpu": None, "rss_mb": None}


def _run(files: list[Path], jobs: int = 2) -> list[dict]:
    return list(run_isolated(files, probe, _error, jobs, Limits(timeout_s=2 * CPU_BUDGET_S,
                                                                 max_memory_mb=MEMORY_BUDGET_MB)))


def _campaign(tmp_path: Path, cases: int, seed: int, operators: list[str]) -> list[tuple[str, dict]]:
    rng = random.Random(seed)
    pool = seeds(max_lines=60)
    files, made_by = [], []
    for n in range(cases):
        name, data = rng.choice(pool)
        ops = [rng.choice(operators) for _ in range(rng.randint(1, 3))]
        for op in ops:
            data = OPERATORS[op](data, rng) if data else data
        path = tmp_path / f"{n:04d}{'.html' if name.endswith('.html') else '.txt'}"
        path.write_bytes(data)
        files.append(path)
        made_by.append(f"{name} + {' + '.join(ops)}")
    return list(zip(made_by, _run(files)))


def _problems(results: list[tuple[str, dict]]) -> list[str]:
    return [f"{made_by}: {r['kind']} {r['error'] or ''} (cpu {r['cpu']})" for made_by, r in results
            if r["kind"] in ("exception", "killed") or (r["cpu"] or 0) > CPU_BUDGET_S
            or (r["rss_mb"] or 0) > MEMORY_BUDGET_MB]


def test_mutated_seeds_raise_nothing_and_stay_within_time_and_memory(tmp_path):
    operators = sorted(OPERATORS)  # very long lines too: the splitters bound the cells of a line
    results = _campaign(tmp_path, CASES, 11, operators)
    assert len(results) == CASES
    assert not _problems(results)
    kinds = {r["kind"] for _, r in results}
    assert "ok" in kinds  # most mutations are still documents


@pytest.mark.parametrize("line", [b"x " * 20_000, b"x " * 200_000, b"9" * 200_000, "指标".encode() * 200_000,
                                  # a run of cells, then one cell of 200,000 characters (a CSV read as text)
                                  "产出指标,数量指标,覆盖人数,≥100人,".encode() + b"x" * 200_000])
def test_very_long_lines_stay_within_the_cpu_budget(tmp_path, line):
    name, data = seeds(max_lines=40)[0]
    path = tmp_path / "long.txt"
    path.write_bytes(data + b"\n" + line + b"\n")
    (result,) = run_isolated([path], probe, _error, 1, Limits(timeout_s=CPU_BUDGET_S, max_memory_mb=MEMORY_BUDGET_MB))
    assert not _problems([(name + " + long line", result)])


@settings(max_examples=150, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=3000),
                 st.text(max_size=800).map(lambda t: t.encode("utf-8", "surrogatepass")),
                 st.tuples(st.sampled_from(range(len(seeds(max_lines=40)))), st.integers(0, 2**32)).map(
                     lambda pick: mutate(seeds(max_lines=40)[pick[0]][1], random.Random(pick[1]))[0])))
def test_the_reader_decodes_or_refuses_naming_the_file(data):
    try:
        decoded = decode_text(data, "fuzzed.txt")
    except ReadError as exc:
        assert str(exc).startswith("fuzzed.txt: ")
        return
    assert "\x00" not in decoded.text and "\r" not in decoded.text
    assert all(f.code in ("undecodable_bytes", "control_characters") for f in decoded.flags)


@settings(max_examples=25, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                                      HealthCheck.function_scoped_fixture])
@given(st.integers(0, 2**32), st.lists(st.sampled_from(sorted(OPERATORS)),
                                        min_size=1, max_size=4))
def test_hypothesis_chosen_mutation_chains_extract_without_exceptions(tmp_path, seed, chain):
    rng = random.Random(seed)
    name, data = rng.choice(seeds(max_lines=40))
    for op in chain:
        data = OPERATORS[op](data, rng) if data else data
    path = tmp_path / f"h{seed}.txt"
    path.write_bytes(data)
    (result,) = _run([path], jobs=1)
    assert not _problems([(f"{name} + {chain}", result)])
