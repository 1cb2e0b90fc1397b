"""Shared fixtures: the seed documents extracted and built once per test session.

Keep this file small and additive; fixtures here are read-only (copy before mutating).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from perfkg.extract.limits import ENVIRONMENT


@pytest.fixture(autouse=True)
def _limits_environment():
    """The CLI puts --timeout and the other limits in the environment for its workers; a test run in
    process must not hand them on to the tests after it."""
    names = [name for name, _default in ENVIRONMENT.values()]
    before = {name: os.environ.get(name) for name in names}
    yield
    for name, value in before.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value

SEED_DIR = Path(__file__).resolve().parent.parent / "examples" / "documents"


@pytest.fixture(scope="session")
def seed_records():
    """The extractor's current records of every seed document, in file order."""
    from perfkg.extract.pipeline import extract_paths

    outcomes = list(extract_paths([SEED_DIR]))
    assert outcomes and all(o.error is None for o in outcomes), [o.error for o in outcomes]
    return [o.record for o in outcomes]


@pytest.fixture(scope="session")
def seed_dataset(seed_records):
    """The rdflib Dataset built from ``seed_records`` (do not add to or remove from it)."""
    from perfkg.kg.graph_build import build_dataset

    return build_dataset(seed_records)
