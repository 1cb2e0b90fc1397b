"""The hand-checked sample of 50 concept links still matches the linker, and is at least 90% correct."""
from __future__ import annotations

import csv
import json
from pathlib import Path

from perfkg.extract.records import DocumentRecord
from perfkg.kg.concept_linker import default_linker

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "concept_links_sample.csv"


def sample_rows() -> list[dict[str, str]]:
    with SAMPLE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_sample_has_50_checked_links():
    rows = sample_rows()
    assert len(rows) == 50
    assert len({(r["bureau"], r["indicator"], r["concept"]) for r in rows}) == 50
    assert {r["verdict"] for r in rows} <= {"correct", "incorrect"}
    assert all(r["note"].strip() for r in rows)
    assert sum(r["verdict"] == "correct" for r in rows) / len(rows) >= 0.90
    # the sample is not only exact label matches: the linker's patterns and context rules are in it
    assert sum(not r["evidence"].startswith("label: ") for r in rows) >= 15


def test_sample_links_equal_what_the_linker_makes():
    gold = {}
    for row in sample_rows():
        if row["source"] not in gold:
            path = DATA / "gold" / (Path(row["source"]).stem + ".json")
            gold[row["source"]] = DocumentRecord.from_dict(json.loads(path.read_text(encoding="utf-8")))
        record = gold[row["source"]]
        indicator = record.projects[int(row["project_index"])].indicators[int(row["indicator_index"])]
        assert (record.bureau, indicator.level3) == (row["bureau"], row["indicator"])
        links = {link.concept: link for link in default_linker().tag_indicator(indicator).links}
        assert row["concept"] in links, f"{row['indicator']}: no longer linked to {row['concept']} ({sorted(links)})"
        link = links[row["concept"]]
        assert (f"{link.confidence:.3f}", link.evidence) == (row["confidence"], row["evidence"]), row["indicator"]
