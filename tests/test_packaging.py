"""A non-editable install carries every data file the code reads (ontology, queries, vocabularies)."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_GLOBS = ["ontology/*.ttl", "queries/*.rq", "extract/data/*", "kg/data/*"]


def test_wheel_contains_every_data_file(tmp_path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("perfkg-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {str(p.relative_to(ROOT)) for g in DATA_GLOBS for p in ROOT.glob(g) if p.is_file()}
    assert expected and expected <= names, sorted(expected - names)
    assert "kg/cli/__init__.py" in names and "extract/row_decoder.py" in names and "extract/containers/pdf.py" in names
