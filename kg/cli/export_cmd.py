"""CLI command ``export``: the flat indicator table (CSV, TSV, JSON, XLSX, Parquet), views as GraphML/GEXF, and
a store's graph as a file (any RDF format, written from the store as it streams)."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from perfkg.kg.cli.graph_source import graph_source_options, open_source
from perfkg.kg.graph_io import FORMATS, GraphFileError, format_for as graph_format_for, write_graph
from perfkg.kg.graph_views import DEFAULT_MAX_NODES, ViewSelectionError, build_view
from perfkg.kg.indicator_table import indicator_table
from perfkg.kg.store import is_store
from perfkg.kg.table_export import TABLE_FORMATS, format_for, write_table
from perfkg.kg.view_export import write_view_graph

_FILE = click.Path(dir_okay=False, path_type=Path)


@click.command("export")
@graph_source_options
@click.option("-o", "--output", "graph_file", type=_FILE,
              help="The graph itself, in the format of the suffix (.ttl .nt .nq .trig .jsonld): from a store, "
                   "streamed; TriG, N-Quads and JSON-LD keep one named graph per document.")
@click.option("--graph-format", type=click.Choice(FORMATS), help="Graph format of -o (default from the suffix).")
@click.option("--table", "table_file", type=_FILE,
              help="The indicator table, one row per indicator (format by suffix: .csv .tsv .json .xlsx .parquet).")
@click.option("--format", "fmt", type=click.Choice(TABLE_FORMATS), help="Table format (default from the suffix).")
@click.option("--excel", is_flag=True, help="CSV/TSV with a UTF-8 BOM, so Excel on Chinese Windows reads it.")
@click.option("--raw", is_flag=True, help="Cells as they are (no apostrophe before = + - @).")
@click.option("--graphml", "graphml_file", type=_FILE,
              help="A view's graph as GraphML (with --bureau/--project/--concept).")
@click.option("--gexf", "gexf_file", type=_FILE, help="A view's graph as GEXF (with --bureau/--project/--concept).")
@click.option("--bureau", help="View of a bureau (label or IRI).")
@click.option("--project", help="View of a project (label or IRI).")
@click.option("--concept", help="View of a concept (label, slug or IRI).")
@click.option("--max-nodes", type=click.IntRange(min=2), default=DEFAULT_MAX_NODES, show_default=True)
def export_command(data: Path | None, store: Path | None, endpoint: str | None, graph_file: Path | None,
                   graph_format: str | None,
                   table_file: Path | None, fmt: str | None, excel: bool, raw: bool,
                   graphml_file: Path | None, gexf_file: Path | None, bureau: str | None, project: str | None,
                   concept: str | None, max_nodes: int) -> None:
    """Export the graph for other tools: the indicator table, and views for Gephi or Cytoscape.

    Exit status 0 when written, 1 when the graph cannot be read or a file cannot be written, 2 on
    usage errors.
    """
    graph_files = [(f, kind) for f, kind in ((graphml_file, "graphml"), (gexf_file, "gexf")) if f is not None]
    if table_file is None and not graph_files and graph_file is None:
        raise click.UsageError("give -o FILE, --table FILE, --graphml FILE or --gexf FILE")
    chosen = [(k, v) for k, v in (("bureau", bureau), ("project", project), ("concept", concept)) if v]
    if graph_files and len(chosen) != 1:
        raise click.UsageError("--graphml/--gexf export a view: give exactly one of --bureau, --project, --concept")
    if graph_file is not None and graph_format is None:
        try:
            graph_format = graph_format_for(graph_file)
        except GraphFileError as exc:
            raise click.UsageError(str(exc)) from None
    ds = open_source(data, store, endpoint)
    try:
        if graph_file is not None:
            if is_store(ds):
                fmt_used, statements = ds.export(graph_file, graph_format)
                click.echo(f"{graph_file}: {statements} statements ({fmt_used})", err=True)
            else:
                write_graph(ds, graph_file, graph_format)
                click.echo(f"{graph_file}: {len(ds)} triples ({graph_format})", err=True)
        if table_file is not None:
            table = indicator_table(ds)
            written = write_table(table.columns, table.rows, table_file, fmt or format_for(table_file), bom=excel,
                                  raw=raw)
            click.echo(f"{table_file}: {len(table.rows)} indicators ({written})", err=True)
        if graph_files:
            kind, key = chosen[0]
            try:
                view = build_view(ds.view_dataset(kind, key) if is_store(ds) else ds, kind, key, max_nodes)
            except ViewSelectionError as err:
                raise click.BadParameter(str(err), param_hint=f"--{kind}") from None
            for path, gfmt in graph_files:
                write_view_graph(view, path, gfmt)
                click.echo(f"{path}: {kind} view, {view.number_of_nodes()} nodes ({gfmt})", err=True)
    except OSError as exc:
        click.echo(f"error: cannot write: {exc.strerror or exc}", err=True)
        sys.exit(1)


commands = [export_command]
