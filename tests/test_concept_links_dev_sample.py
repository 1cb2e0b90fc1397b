"""The hand-checked sample of 140 dev-set concept links: still what the linker makes, and at least 90% correct.

The dev set's 23 documents come from education, agriculture, police, health, sanitation, market
regulation, employment and other departments: the sample checks the faceted scheme where the seed
documents (all medical insurance) cannot.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

from perfkg.extract.records import DocumentRecord
from perfkg.kg.concept_linker import default_linker

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "concept_links_dev_sample.csv"


def sample_rows() -> list[dict[str, str]]:
    with SAMPLE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_sample_has_at_least_100_checked_links_and_90_percent_are_correct():
    rows = sample_rows()
    assert len(rows) >= 100
    assert len({(r["bureau"], r["indicator"], r["concept"]) for r in rows}) == len(rows)
    assert {r["verdict"] for r in rows} <= {"correct", "incorrect"} and all(r["note"].strip() for r in rows)
    for facet in ("measure", "object"):
        judged = [r for r in rows if r["facet"] == facet]
        assert len(judged) >= 40, facet
        assert sum(r["verdict"] == "correct" for r in judged) / len(judged) >= 0.90, facet
    # the structure of the name (suffixes, units, values) is in it, not only labels and patterns
    assert sum(r["evidence"].startswith(("suffix ", "structure: ")) for r in rows) >= 20


def test_sample_links_equal_what_the_linker_makes():
    gold: dict[str, DocumentRecord] = {}
    for row in sample_rows():
        if row["source"] not in gold:
            path = DATA / "dev" / "gold" / row["source"]
            gold[row["source"]] = DocumentRecord.from_dict(json.loads(path.read_text(encoding="utf-8")))
        indicator = gold[row["source"]].projects[int(row["project_index"])].indicators[int(row["indicator_index"])]
        assert indicator.level3 == row["indicator"]
        tags = default_linker().tag_indicator(indicator)
        links = {link.concept: link for link in (tags.links if row["facet"] == "measure" else tags.about)}
        assert row["concept"] in links, f"{row['indicator']}: no longer linked to {row['concept']} ({sorted(links)})"
        link = links[row["concept"]]
        assert (f"{link.confidence:.3f}", link.evidence) == (row["confidence"], row["evidence"]), row["indicator"]
