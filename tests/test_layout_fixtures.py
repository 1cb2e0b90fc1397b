"""Every layout family on an invented fixture document: records equal the hand-checked expectation.

Fixtures live in tests/data/layouts as NAME.txt with NAME.expected.json; each expected file
lists only the fields it checks. The fixtures are not training data of the content model.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract.pipeline import extract_document

DATA = Path(__file__).parent / "data" / "layouts"
EXPECTED = sorted(DATA.glob("*.expected.json"))


def _subset_mismatches(expected, actual, path="") -> list[str]:
    """Differences where ``actual`` does not carry ``expected``'s values (extra keys allowed)."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected an object, got {actual!r}"]
        out = []
        for key, value in expected.items():
            out += _subset_mismatches(value, actual.get(key), f"{path}.{key}")
        return out
    if isinstance(expected, list):
        if expected == [] and actual is None:
            return []  # optional lists (flags) are left out when empty
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{path}: expected {len(expected)} items, got {actual!r:.200}"]
        return [m for k, (e, a) in enumerate(zip(expected, actual)) for m in _subset_mismatches(e, a, f"{path}[{k}]")]
    if isinstance(expected, float) and isinstance(actual, (int, float)):
        return [] if abs(expected - actual) < 1e-9 else [f"{path}: {expected!r} != {actual!r}"]
    return [] if expected == actual else [f"{path}: expected {expected!r}, got {actual!r}"]


def _document_of(expected_file: Path) -> Path:
    """The fixture document beside an expectation (``NAME.txt``, ``NAME.html`` …)."""
    stem = expected_file.name.removesuffix(".expected.json")
    return next(p for p in sorted(DATA.glob(stem + ".*")) if not p.name.endswith(".expected.json"))


@pytest.mark.parametrize("expected_file", EXPECTED, ids=lambda p: p.name.removesuffix(".expected.json"))
def test_fixture_matches_expected_records(expected_file: Path) -> None:
    document = _document_of(expected_file)
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    actual = extract_document(document).to_dict()
    assert _subset_mismatches(expected, actual) == []
