"""The research notebooks: stored without outputs, and they run top to bottom (nbclient) on the sample documents."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
NAMES = ["01_quick_start.ipynb", "02_comparing_bureaus.ipynb"]


def outputs(nb) -> list[dict]:
    return [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]


def mime_outputs(nb, mime: str) -> list[str]:
    return [o["data"][mime] for o in outputs(nb) if mime in o.get("data", {})]


def execute(name: str):
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


def test_quick_start_runs_and_shows_queries_and_a_view():
    nb = execute("01_quick_start.ipynb")  # raises CellExecutionError naming the cell on any failure
    summary = next(o["data"]["text/plain"] for o in outputs(nb)
                   if "'indicators'" in o.get("data", {}).get("text/plain", ""))
    assert "'bureaus': 5" in summary
    tables = mime_outputs(nb, "text/html")
    assert any("漳州市医疗保障局" in t and "<table" in t and "surveyed" in t for t in tables)  # satisfaction_targets
    assert any("<table" in t and "budget" in t for t in tables)  # project_budgets
    assert any("<table" in t and "service-recipient-satisfaction" in t for t in tables)  # shared_concepts
    views = [t for t in tables if 'class="perfkg-view"' in t]
    assert len(views) == 1 and "https://cdn" not in views[0]


def test_comparing_bureaus_runs_and_plots():
    nb = execute("02_comparing_bureaus.ipynb")
    assert len(mime_outputs(nb, "image/png")) == 2
    tables = mime_outputs(nb, "text/html")
    assert any("<table" in t and "share" in t for t in tables)  # concept_coverage
    assert sum('class="perfkg-view"' in t for t in tables) == 1
