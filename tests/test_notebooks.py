"""The research notebooks: stored without outputs, and they run top to bottom (nbclient) on the sample documents."""
from __future__ import annotations

import html
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
NAMES = ["01_quick_start.ipynb", "02_comparing_bureaus.ipynb"]
SAMPLE_BUREAUS = ["临沂市罗庄区医疗保障局", "临西县医疗保障局", "平顶山市石龙区医疗保障局", "漳州市医疗保障局",
                  "聊城市东昌府区医疗保障局"]


def outputs(nb) -> list[dict]:
    return [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]


def mime_outputs(nb, mime: str) -> list[str]:
    return [o["data"][mime] for o in outputs(nb) if mime in o.get("data", {})]


def execute(name: str, out: Path, monkeypatch):
    # the notebooks write their files to PERFKG_NOTEBOOK_OUT (out/ by default); the kernel inherits it
    monkeypatch.setenv("PERFKG_NOTEBOOK_OUT", str(out))
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    return nb


def test_notebooks_are_listed():
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_outputs_are_stripped_in_git(name):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(nb)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert code
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code)


def code_sources(name: str) -> str:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    return "\n".join(cell.source for cell in nb.cells if cell.cell_type == "code")


@pytest.mark.parametrize("name", NAMES)
def test_notebooks_use_the_python_api(name):
    source = code_sources(name)
    assert "import perfkg" in source and "perfkg.query(" in source and "perfkg.table(" in source
    # perfkg.query is the one query-to-DataFrame function: no notebook keeps its own
    assert "def " not in source and "run_query" not in source and "extract_paths" not in source


def test_quick_start_runs_and_shows_queries_the_table_and_a_view(tmp_path, monkeypatch):
    nb = execute("01_quick_start.ipynb", tmp_path, monkeypatch)  # raises CellExecutionError naming the cell
    summary = next(o["data"]["text/plain"] for o in outputs(nb)
                   if "'indicators'" in o.get("data", {}).get("text/plain", ""))
    assert "'bureaus': 5" in summary
    tables = mime_outputs(nb, "text/html")
    assert any("漳州市医疗保障局" in t and "<table" in t and "surveyed" in t for t in tables)  # satisfaction_targets
    assert any("<table" in t and "budget" in t for t in tables)  # project_budgets
    assert any("<table" in t and "service-recipient-satisfaction" in t for t in tables)  # shared_concepts
    assert any("<table" in t and "normalised_number" in t for t in tables)  # the indicator table
    views = [t for t in tables if 'class="perfkg-view"' in t]
    assert len(views) == 1 and "https://cdn" not in views[0]
    # the indicator table as written for Excel: a BOM, and every indicator of the summary
    written = (tmp_path / "indicators.csv").read_bytes()
    assert written.startswith("\ufeff".encode())
    frame = pd.read_csv(tmp_path / "indicators.csv", encoding="utf-8-sig")
    assert f"'indicators': {len(frame)}" in summary and frame["normalised_number"].dtype == float


def test_comparing_bureaus_runs_and_shows_the_comparison_chart(tmp_path, monkeypatch):
    nb = execute("02_comparing_bureaus.ipynb", tmp_path, monkeypatch)
    assert len(mime_outputs(nb, "image/png")) == 1
    tables = mime_outputs(nb, "text/html")
    assert any("<table" in t and "share" in t for t in tables)  # concept_coverage
    charts = [t for t in tables if 'class="perfkg-compare"' in t]
    assert len(charts) == 1
    # the page shown is the file written, whole and offline, with every bureau of the sample graph on it
    page = html.unescape(charts[0].split('srcdoc="', 1)[1].split('"', 1)[0])
    assert page == (tmp_path / "compare.html").read_text(encoding="utf-8")
    assert "<svg" in page and "<script src" not in page
    assert all(bureau in page for bureau in SAMPLE_BUREAUS)
