"""The Python API (``import perfkg``): its documented examples run, and each function reads real documents."""
from __future__ import annotations

import doctest
from pathlib import Path

import pytest

import perfkg

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "examples" / "documents"


def test_docstring_examples_run(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    result = doctest.testmod(perfkg, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 5 and result.failed == 0


def test_extract_build_query_compare_view_evaluate(tmp_path) -> None:
    records = perfkg.extract([DOCS])
    assert len(records) == len(list(DOCS.glob("*.txt")))
    graph = perfkg.build(records)
    sats = perfkg.query("satisfaction_targets", graph)
    assert {"bureau", "project"} <= set(sats.columns) and len(sats) > 10
    adhoc = perfkg.query("PREFIX pkg: <https://w3id.org/perfkg/ns#> "
                         "SELECT (COUNT(?p) AS ?n) WHERE { ?p a pkg:Project }", graph)
    assert int(adhoc.iloc[0, 0]) == sum(len(r.projects) for r in records)
    cmp = perfkg.compare("service-recipient-satisfaction", graph)
    assert cmp["bureau"].nunique() >= 3
    html = tmp_path / "bureau.html"
    view = perfkg.view(graph, "bureau", records[0].bureau, html=html)
    assert view.number_of_nodes() > 5 and html.read_text(encoding="utf-8").count("<script") >= 1
    gold = ROOT / "tests" / "data" / "gold"
    scores = perfkg.evaluate(gold, records).overall
    assert scores.to_dict()["indicator_f1"] > 0.8


def test_table_and_comparison_chart_are_written_and_numbers_are_floats(tmp_path) -> None:
    graph = perfkg.build(perfkg.extract([DOCS]))
    table = perfkg.table(graph, tmp_path / "indicators.xlsx")
    assert len(table) == sum(r.indicator_count() for r in perfkg.extract([DOCS]))
    assert table["normalised_number"].dtype == float and table["line"].dtype.kind == "i"
    import pandas as pd

    assert len(pd.read_excel(tmp_path / "indicators.xlsx")) == len(table)
    # xsd:decimal results arrive as floats pandas computes with, not as Decimal objects
    budgets = perfkg.query("project_budgets", graph)
    assert budgets["budget"].dtype == float and budgets["budget"].sum() > 0
    page = tmp_path / "compare.html"
    cmp = perfkg.compare("service-recipient-satisfaction", graph, html=page)
    assert all(bureau in page.read_text(encoding="utf-8") for bureau in cmp["bureau"].unique())


def test_unreadable_document_is_reported_not_raised(tmp_path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 not really")
    with pytest.warns(UserWarning, match="bad.pdf"):
        assert perfkg.extract([bad]) == []
    with pytest.raises(perfkg.ExtractionError, match="bad.pdf"):
        perfkg.extract(bad, strict=True)
