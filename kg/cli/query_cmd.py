"""CLI commands of the query library: ``queries``, ``query`` and ``compare``."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.concept_compare import compare_concept
from kg.graph_io import GraphFileError, load_dataset
from kg.query_library import QueryError, QueryUsageError, list_queries, load_query, run_query
from kg.query_output import OUTPUT_FORMATS, render

_DATA = click.option("--data", "data_file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="Graph file: Turtle, TriG, N-Triples or JSON-LD (e.g. from perfkg build).")
_FORMAT = click.option("--format", "fmt", type=click.Choice(OUTPUT_FORMATS), default="table", show_default=True)
_RAW = click.option("--raw", is_flag=True, help="CSV: write cells as they are (no apostrophe before = + - @).")
_EXCEL = click.option("--excel", is_flag=True, help="CSV: start with a UTF-8 byte-order mark, for Excel.")


def _load(data_file: Path):
    try:
        return load_dataset(data_file)
    except GraphFileError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise click.UsageError(f"--param {pair!r}: write it as name=value")
        values[name.strip()] = value
    return values


@click.command("queries")
def queries_command() -> None:
    """List the named queries of the query library with their parameters."""
    for query in list_queries():
        click.echo(f"{query.name:26} {query.title}")
        for param in query.params:
            default = f" (default {param.default})" if param.default is not None else ""
            click.echo(f"{'':26}   --param {param.name}=…  {param.meaning}{default}")


@click.command("query")
@click.argument("query_name", metavar="NAME|FILE.rq")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Query parameter, bound as an RDF term (repeatable).")
@click.option("--allow-service", is_flag=True, help="Let SERVICE and FROM <url> reach the network (refused otherwise).")
@_DATA
@_FORMAT
@_RAW
@_EXCEL
def query_command(query_name: str, params: tuple[str, ...], data_file: Path, fmt: str, allow_service: bool,
                  raw: bool, excel: bool) -> None:
    """Run a named query (see perfkg queries) or a .rq file over a graph file.

    Exit status 0 with results (also when there are no rows), 1 when the graph file cannot be read
    or the query fails, 2 on usage errors (unknown query or parameter, bad parameter value).
    """
    values = _parse_params(params)
    try:
        query = load_query(query_name)
        ds = _load(data_file)
        result = run_query(query, ds, values, allow_service=allow_service)
    except QueryUsageError as exc:
        raise click.UsageError(str(exc)) from exc
    except QueryError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(render(result, fmt, raw=raw, excel=excel), nl=False)
    click.echo(f"{len(result.rows)} rows", err=True)


@click.command("compare")
@click.argument("concept")
@_DATA
@_FORMAT
@_RAW
@_EXCEL
def compare_command(concept: str, data_file: Path, fmt: str, raw: bool, excel: bool) -> None:
    """Targets of one concept (slug or label, e.g. policy-awareness-rate or 政策知晓率) by bureau and project."""
    ds = _load(data_file)
    try:
        comparison = compare_concept(ds, concept)
    except QueryUsageError as exc:
        raise click.UsageError(str(exc)) from exc
    except QueryError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    if fmt == "table":
        click.echo(f"{comparison.label} ({comparison.concept}): {comparison.bureaus} bureaus, "
                   f"{len(comparison.table.rows)} projects")
    click.echo(render(comparison.table, fmt, raw=raw, excel=excel), nl=False)


commands = [queries_command, query_command, compare_command]
