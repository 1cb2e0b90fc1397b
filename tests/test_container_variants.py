"""The seeds re-typeset in other containers (pipe tables, one cell per line, traditional
characters, other encodings) still extract to their gold records.

This is how the extractor is kept from depending on how one converter printed one file:
the same tables in another container must read the same.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from document_variants import (
    as_bare_pipe_tables,
    as_cell_per_line,
    as_pipe_tables,
    as_space_aligned,
    as_space_separated,
    as_traditional,
    as_wide_space_aligned,
    typeset_gold,
    with_page_breaks,
    with_shifted_rows,
    with_units_in_own_cell,
    without_group_header,
)
from perfkg.extract.evaluation import evaluate, load_gold
from perfkg.extract.pipeline import extract_document
from perfkg.extract.records import DocumentRecord

ROOT = Path(__file__).resolve().parents[1]
SEEDS = {p.name[:3]: p for p in (ROOT / "examples" / "documents").glob("*.txt")}
GOLD = load_gold(Path(__file__).parent / "data" / "gold")

CASES = [
    ("000", as_pipe_tables), ("001", as_pipe_tables), ("002", as_pipe_tables), ("001", as_bare_pipe_tables),
    ("000", without_group_header), ("000", with_units_in_own_cell), ("001", with_units_in_own_cell),
    ("000", with_page_breaks), ("001", with_page_breaks), ("000", as_cell_per_line),
    ("000", as_space_aligned), ("001", as_space_aligned), ("002", as_wide_space_aligned),
    ("000", as_space_separated), ("001", as_space_separated), ("001", as_cell_per_line), ("004", as_cell_per_line),
    ("000", as_traditional), ("001", as_traditional), ("002", as_traditional),
    ("003", as_traditional), ("004", as_traditional),
]


# Floors under the measured figures (README, "Quality"). Seed 002's wide summary table (groups
# side by side, many projects) is the reader's weakest family: its variants have their own floors.
FLOORS = {("002", "as_pipe_tables"): (0.75, 0.70), ("002", "as_wide_space_aligned"): (0.10, 0.20),
          ("002", "as_traditional"): (0.60, 0.50), ("000", "with_units_in_own_cell"): (1.0, 0.93),
          ("001", "with_units_in_own_cell"): (1.0, 0.82)}


@pytest.mark.parametrize("seed,variant", CASES, ids=[f"{s}-{v.__name__}" for s, v in CASES])
def test_variant_reads_like_the_original(tmp_path, seed, variant):
    source = SEEDS[seed]
    path = tmp_path / source.name  # same file name: the gold is paired by source
    path.write_text(variant(source.read_text(encoding="utf-8")), encoding="utf-8")
    evaluation = evaluate([g for g in GOLD if g.source == source.name], [extract_document(path)])
    scores = evaluation.overall
    misses = "\n".join(m.describe() for m in evaluation.misses[:10])
    project_floor, indicator_floor = FLOORS.get((seed, variant.__name__), (1.0, 0.96))
    assert scores.project_f1 >= project_floor, misses
    assert scores.indicator_f1 >= indicator_floor, misses
    # the wide summary printed with space runs (2 of 11 projects found) is the known weak case: 0.79 measured
    # wide space-aligned: groups side by side whose columns space-cut rows do not give; what is floored is
    # the level-1 names read right (22, then 23 with the model refit on 2026-12-02), not their share of the
    # matched indicators, which grows as more indicators are matched (28, 54, 58)
    if variant.__name__ == "as_wide_space_aligned":
        assert scores.fields["level1"].correct >= 22, misses
        return
    level1_floor = 0.95 if seed != "002" else 0.9
    level1_floor -= 0.05 if "units" in variant.__name__ else 0
    assert scores.accuracy("level1") >= level1_floor, misses


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-8-sig"])
def test_other_encodings_give_identical_records(tmp_path, encoding):
    source = SEEDS["000"]
    path = tmp_path / source.name
    path.write_bytes(source.read_text(encoding="utf-8").encode(encoding))
    original = extract_document(source).to_dict()
    again = extract_document(path).to_dict()
    original.pop("sha256", None), again.pop("sha256", None)
    assert again == original


# Project tables only: a department table's own level names (投入管理指标 …) are outside the
# framework vocabulary, so once shifted only their position could tell them, and it is gone.
@pytest.mark.parametrize("seed", ["000", "001"])
@pytest.mark.parametrize("shuffle", [1, 2, 3])
def test_rows_shifted_at_random_still_read(tmp_path, seed, shuffle):
    source = SEEDS[seed]
    path = tmp_path / source.name
    path.write_text(with_shifted_rows(source.read_text(encoding="utf-8"), shuffle), encoding="utf-8")
    evaluation = evaluate([g for g in GOLD if g.source == source.name], [extract_document(path)])
    scores = evaluation.overall
    misses = "\n".join(m.describe() for m in evaluation.misses[:10])
    assert scores.project_f1 == 1.0, misses
    assert scores.indicator_f1 >= 0.97, misses
    assert scores.accuracy("level1") >= 0.95 and scores.accuracy("level2") >= 0.9, misses


@pytest.mark.parametrize("pipe", [False, True], ids=["tab", "pipe"])
@pytest.mark.parametrize("gold", [g for g in GOLD], ids=lambda g: g.source[:3])
def test_every_gold_typeset_as_clean_tables_reads_back(tmp_path, gold, pipe):
    """Each seed's names and values (long goals, codes, 元/人/年 units, text values) in the plain
    table layout other bureaus use: the project tables read back exactly."""
    record = gold.to_dict()
    path = tmp_path / gold.source
    path.write_text(typeset_gold(record, pipe), encoding="utf-8")
    expected = DocumentRecord.from_dict(record)
    expected.projects = [p for p in expected.projects if p.kind == "project"]
    evaluation = evaluate([expected], [extract_document(path)])
    misses = "\n".join(m.describe() for m in evaluation.misses[:10])
    f1_floor = 0.98 if gold.source.startswith("002") else 1.0
    assert evaluation.overall.indicator_f1 >= f1_floor and evaluation.overall.project_f1 == 1.0, misses
    # 002 prints 成本指标 both as a level 1 and, in its older tables, as a level 2 under 产出指标: a
    # level-2 成本指标 with no level 1 beside it is read the older way more often than it should be
    level_floor = 0.85 if gold.source.startswith("002") else 1.0
    assert evaluation.overall.accuracy("level1") >= level_floor, misses
    assert evaluation.overall.accuracy("level2") >= level_floor, misses
