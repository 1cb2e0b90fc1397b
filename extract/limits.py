"""The bounds on one document's work: size per document and per line, CPU time and memory per worker.

Defaults are generous (a real budget disclosure is far below every one of them); each can be
changed by an environment variable, which is how the CLI options reach worker processes too.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

# name of the environment variable, default — data, so the README and --help can list them
ENVIRONMENT = {
    "max_document_mb": ("PERFKG_MAX_DOCUMENT_MB", 50.0),
    "max_line_chars": ("PERFKG_MAX_LINE_CHARS", 1_000_000),
    "max_line_cells": ("PERFKG_MAX_LINE_CELLS", 10_000),
    "timeout_s": ("PERFKG_TIMEOUT_S", 120.0),
    "max_memory_mb": ("PERFKG_MAX_MEMORY_MB", 2048.0),
}


@dataclass(frozen=True)
class Limits:
    max_document_mb: float = 50.0  # file size; a larger file is refused before it is read
    max_line_chars: int = 1_000_000  # longer lines (cells) are cut there and flagged
    # cells (tokens) the splitters cut one line into; the rest of the line is one cell, flagged. A table
    # row has tens of cells, a whole document printed on one line a few thousand: past this the line is
    # no table, and every further cell would only cost the content model time and memory
    max_line_cells: int = 10_000
    timeout_s: float = 120.0  # CPU seconds per document in a worker; the worker is stopped past it
    max_memory_mb: float = 2048.0  # address space a worker may add while reading one document

    @property
    def max_document_bytes(self) -> int:
        return int(self.max_document_mb * 1024 * 1024)


def current() -> Limits:
    """The limits in force: defaults, overridden by the ``PERFKG_*`` environment variables."""
    values: dict[str, Any] = {}
    for field, (variable, default) in ENVIRONMENT.items():
        raw = os.environ.get(variable)
        try:
            values[field] = type(default)(float(raw)) if raw else default
        except ValueError:
            values[field] = default  # a mistyped variable must not stop the run; the default holds
    return Limits(**values)


def set_environment(**limits: float | None) -> None:
    """Put limits given on the command line in the environment (read by workers started afterwards)."""
    for field, value in limits.items():
        if value is not None:
            os.environ[ENVIRONMENT[field][0]] = str(value)
