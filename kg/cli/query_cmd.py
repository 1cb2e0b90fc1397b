"""CLI commands of the query library: ``queries``, ``query`` and ``compare``."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from perfkg.kg.cli.graph_source import graph_source_options, open_source
from perfkg.kg.compare_chart import write_comparison
from perfkg.kg.concept_compare import compare_concept
from perfkg.kg.query_library import QueryError, QueryUsageError, list_queries, load_query, run_query
from perfkg.kg.query_output import OUTPUT_FORMATS, render
from perfkg.kg.table_export import format_for, write_output

_FORMAT = click.option("--format", "fmt", type=click.Choice(OUTPUT_FORMATS), default=None,
                       help="Output format (default: from the -o suffix, else table).")
_OUTPUT = click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                       help="Write to this file (.csv, .tsv, .json, .xlsx by suffix; anything else as a table).")
_RAW = click.option("--raw", is_flag=True, help="CSV: write cells as they are (no apostrophe before = + - @).")
_EXCEL = click.option("--excel", is_flag=True, help="CSV: start with a UTF-8 byte-order mark, for Excel.")


def _emit(result, fmt: str | None, output: Path | None, raw: bool, excel: bool) -> None:
    """Print or write a result (xlsx only to a file), atomically."""
    fmt = fmt or (format_for(output, "table") if output is not None else "table")
    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx needs -o FILE.xlsx")
    data = render(result, fmt, raw=raw, excel=excel)
    if output is None:
        click.echo(data, nl=False)
        return
    try:
        write_output(data, output)
    except OSError as exc:
        click.echo(f"error: cannot write {output}: {exc.strerror or exc}", err=True)
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
@graph_source_options
@_FORMAT
@_OUTPUT
@_RAW
@_EXCEL
def query_command(query_name: str, params: tuple[str, ...], data: Path | None, store: Path | None,
                  endpoint: str | None, fmt: str | None, allow_service: bool, output: Path | None, raw: bool,
                  excel: bool) -> None:
    """Run a named query (see perfkg queries) or a .rq file (a header is optional) over a graph file or a store.

    SELECT results as rows; ASK prints true or false; CONSTRUCT and DESCRIBE print Turtle (JSON-LD
    with --format json). A bureau or population parameter that matches nothing prints a hint with
    the closest names. Exit status 0 with results (also when there are no rows), 1 when the graph
    file cannot be read or the query fails, 2 on usage errors (unknown query or parameter, bad value).
    """
    values = _parse_params(params)
    try:
        query = load_query(query_name)
        source = open_source(data, store, endpoint)
        result = run_query(query, source, values, allow_service=allow_service)
    except QueryUsageError as exc:
        raise click.UsageError(str(exc)) from exc
    except QueryError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    _emit(result, fmt, output, raw, excel)
    for hint in result.hints:
        click.echo(f"hint: {hint}", err=True)
    where = f" → {output}" if output else ""
    if result.graph is not None:
        click.echo(f"{len(result.graph)} triples{where}", err=True)
    elif result.boolean is None:
        click.echo(f"{len(result.rows)} rows{where}", err=True)


@click.command("compare")
@click.argument("concept")
@graph_source_options
@_FORMAT
@_RAW
@_EXCEL
@click.option("--html", "html_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the comparison page: a chart of the normalised targets of every bureau on one axis, "
                   "the table below, offline.")
def compare_command(concept: str, data: Path | None, store: Path | None, endpoint: str | None, fmt: str | None,
                    raw: bool, excel: bool, html_file: Path | None) -> None:
    """Targets of one concept (slug or label, e.g. policy-awareness-rate or 政策知晓率) by bureau and project."""
    fmt = fmt or "table"
    ds = open_source(data, store, endpoint)
    try:
        comparison = compare_concept(ds, concept)
        if html_file is not None:
            slug, bureaus, targets = write_comparison(ds, concept, html_file)
            click.echo(f"{html_file}: comparison of {slug}, {bureaus} bureaus, {targets} targets", err=True)
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
