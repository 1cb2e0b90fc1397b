"""Where a command reads the graph from: ``--data FILE`` (a graph file, parsed into rdflib) or ``--store DIR``
(an Oxigraph store from ``perfkg load``, opened read-only and queried in place, nothing parsed)."""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from perfkg.kg.graph_io import GraphFileError, load_dataset
from perfkg.kg.store import OxigraphStore, StoreError


def graph_source_options(func: Callable) -> Callable:
    """``--data FILE`` and ``--store DIR``; the command gets ``data`` and ``store`` and calls :func:`open_source`."""
    func = click.option("--store", "store", type=click.Path(file_okay=False, path_type=Path),
                        help="Oxigraph store folder from perfkg load (queried in place).")(func)
    return click.option("--data", "data", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                        help="Graph file from perfkg build: Turtle, TriG, N-Triples, N-Quads or JSON-LD.")(func)


def open_source(data: Path | None, store: Path | None) -> Any:
    """The rdflib Dataset of ``--data`` or the read-only store of ``--store``; one error line and exit 1 when it
    cannot be read, a usage error unless exactly one is given."""
    if (data is None) == (store is None):
        raise click.UsageError("give the graph as --data FILE or --store DIR (one of them)")
    try:
        if store is not None:
            return OxigraphStore(store, read_only=True)
        assert data is not None  # exactly one of the two, checked above
        return load_dataset(data)
    except (GraphFileError, StoreError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


def where(data: Path | None, store: Path | None) -> str:
    return str(data if data is not None else store)
