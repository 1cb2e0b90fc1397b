"""A non-editable install is one package, perfkg, carrying every data file the code reads (ontology, queries,
vocabularies)."""
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
    expected = {"perfkg/" + str(p.relative_to(ROOT)) for g in DATA_GLOBS for p in ROOT.glob(g) if p.is_file()}
    assert expected and expected <= names, sorted(expected - names)
    assert {"perfkg/__init__.py", "perfkg/kg/cli/__init__.py", "perfkg/extract/row_decoder.py",
            "perfkg/extract/containers/pdf.py"} <= names
    # one installed name: the repository's generic folder names (extract, kg, queries …) stay out of site-packages
    top = {name.split("/", 1)[0] for name in names if not name.split("/", 1)[0].endswith(".dist-info")}
    assert top == {"perfkg"}, top
    # the wheel alone, away from the repository: `import perfkg` and the API work, `import extract` does not
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    probe = ("import importlib.util, sys, perfkg\n"
             "assert perfkg.__file__.startswith(sys.argv[1]), perfkg.__file__\n"
             "assert all(importlib.util.find_spec(n) is None for n in ('extract', 'kg', 'ontology', 'queries'))\n"
             "print(perfkg.extract([sys.argv[2]])[0].bureau)\n")
    out = subprocess.run([sys.executable, "-c", probe, str(site), str(ROOT / "examples" / "documents")],
                         cwd=tmp_path, env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().endswith("局"), out.stdout
