"""The examples in the library's docstrings run (pytest's --doctest-modules cannot collect them: it would
import extract/tokens.py as ``extract.tokens``, while the installed name is ``perfkg.extract.tokens``)."""
from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

from library_modules import library_modules, package_dirs

ROOT = Path(__file__).resolve().parents[1]


def _source(module: str) -> Path:
    package, _, stem = module.rpartition(".")
    dirs = package_dirs()
    if module in dirs:
        return dirs[module] / "__init__.py"
    return dirs[package] / f"{stem}.py"


# perfkg's own examples (the API on the sample documents) run in test_api.py
WITH_EXAMPLES = [m for m in library_modules() if m != "perfkg" and ">>> " in _source(m).read_text(encoding="utf-8")]


def test_the_modules_with_examples_are_found() -> None:
    assert {"perfkg.extract.tokens", "perfkg.extract.target_values", "perfkg.kg.units"} <= set(WITH_EXAMPLES)


@pytest.mark.parametrize("module", WITH_EXAMPLES)
def test_docstring_examples_run(module: str, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    result = doctest.testmod(importlib.import_module(module), optionflags=flags)
    assert result.attempted > 0 and result.failed == 0
