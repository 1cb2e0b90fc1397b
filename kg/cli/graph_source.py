"""Where a command reads the graph from: ``--data FILE`` (a graph file, parsed into rdflib), ``--store DIR``
(an Oxigraph store from ``perfkg load``, opened read-only and queried in place, nothing parsed) or
``--endpoint URL`` (a SPARQL 1.1 store on the network that ``perfkg load --endpoint`` wrote, queried there)."""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from perfkg.kg.graph_io import GraphFileError, load_dataset
from perfkg.kg.store import OxigraphStore, StoreError


def graph_source_options(func: Callable) -> Callable:
    """``--data FILE``, ``--store DIR`` and ``--endpoint URL``; the command gets ``data``, ``store`` and ``endpoint``
    and calls :func:`open_source`."""
    func = click.option("--endpoint", "endpoint", metavar="URL",
                        help="SPARQL 1.1 query URL of a store perfkg load --endpoint wrote (basic auth from "
                             "PERFKG_ENDPOINT_AUTH=user:password).")(func)
    func = click.option("--store", "store", type=click.Path(file_okay=False, path_type=Path),
                        help="Oxigraph store folder from perfkg load (queried in place).")(func)
    return click.option("--data", "data", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                        help="Graph file from perfkg build: Turtle, TriG, N-Triples, N-Quads or JSON-LD.")(func)


def open_source(data: Path | None, store: Path | None, endpoint: str | None = None) -> Any:
    """The rdflib Dataset of ``--data``, the read-only store of ``--store`` or the endpoint's store; one error line
    and exit 1 when it cannot be read, a usage error unless exactly one is given."""
    if sum(x is not None for x in (data, store, endpoint)) != 1:
        raise click.UsageError("give the graph as --data FILE, --store DIR or --endpoint URL (one of them)")
    try:
        if endpoint is not None:
            from perfkg.kg.endpoint_store import EndpointStore

            return EndpointStore(endpoint)
        if store is not None:
            return OxigraphStore(store, read_only=True)
        assert data is not None  # exactly one of the two, checked above
        return load_dataset(data)
    except (GraphFileError, StoreError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


def where(data: Path | None, store: Path | None, endpoint: str | None = None) -> str:
    return str(data if data is not None else store if store is not None else endpoint)
