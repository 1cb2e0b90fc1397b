"""Every module of the library imports as the first import of a fresh interpreter.

An import cycle shows only when a module of the cycle is imported first, and a module can lean on
another having imported a submodule (``rdflib.plugins.sparql``) before it; importing everything in
one process hides both. So each module gets its own interpreter (nothing shared, nothing preloaded):
about 30 s of CPU for ~80 modules, most of it the libraries' own import time, spread over the cores.
"""
from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from library_modules import library_modules


def _first_import(module: str) -> str | None:
    """None when ``import module`` works in a new interpreter, else the last lines of its traceback."""
    run = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True, timeout=300,
                         check=False)
    return None if run.returncode == 0 else "\n".join(run.stderr.strip().splitlines()[-3:])


def test_every_module_imports_first_in_a_fresh_interpreter() -> None:
    modules = library_modules()
    assert len(modules) > 60 and "perfkg.extract.reader" in modules and "perfkg.kg.cli.query_cmd" in modules
    with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
        failures = {m: err for m, err in zip(modules, pool.map(_first_import, modules)) if err is not None}
    assert failures == {}


def test_a_module_that_fails_as_first_import_is_reported(tmp_path, monkeypatch) -> None:
    """The check can fail: two modules importing each other's names cannot be imported first."""
    (tmp_path / "cycle_a.py").write_text("from cycle_b import B\nA = 1\n", encoding="utf-8")
    (tmp_path / "cycle_b.py").write_text("from cycle_a import A\nB = 2\n", encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    error = _first_import("cycle_a")
    assert error is not None and "ImportError" in error and "circular import" in error
