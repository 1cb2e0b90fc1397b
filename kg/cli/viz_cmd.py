"""CLI command ``viz``: one view of a graph file as a self-contained HTML page."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from perfkg.kg.cli.graph_source import graph_source_options, open_source, where
from perfkg.kg.graph_views import DEFAULT_MAX_NODES, ViewSelectionError, build_view
from perfkg.kg.render_html import write_view
from perfkg.kg.store import is_store


@click.command("viz")
@graph_source_options
@click.option("--bureau", multiple=True,
              help="Bureau view: the bureau's label or IRI; several --bureau draw one tree each on the same page.")
@click.option("--project", help="Project view: the project's label or IRI.")
@click.option("--concept", help="Concept view: the concept's label (zh or en), slug or IRI.")
@click.option("--max-nodes", type=click.IntRange(min=2), default=DEFAULT_MAX_NODES, show_default=True,
              help="Above this many nodes, indicators are folded into count nodes.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="HTML file to write.")
def viz_command(data: Path | None, store: Path | None, endpoint: str | None, bureau: tuple[str, ...],
                project: str | None,
                concept: str | None,
                max_nodes: int, output: Path) -> None:
    """Write an interactive HTML view (works offline) of a bureau, a project or a concept, from a graph file or
    a store (which reads only the documents the view draws).

    Exit status 0 when written, 1 when the graph file cannot be read or the page cannot be
    written, 2 on usage errors (no or several selectors, a name the graph does not have).
    """
    chosen = [(kind, key) for kind, key in (("bureau", list(bureau) if bureau else None), ("project", project),
                                            ("concept", concept)) if key is not None]
    if len(chosen) != 1:
        raise click.UsageError("give exactly one of --bureau, --project or --concept")
    kind, key = chosen[0]
    source = open_source(data, store, endpoint)
    try:
        dataset = source.view_dataset(kind, key) if is_store(source) else source
        view = build_view(dataset, kind, key, max_nodes)
    except ViewSelectionError as err:
        raise click.BadParameter(f"{where(data, store, endpoint)}: {err}", param_hint=f"--{kind}") from None
    try:
        write_view(view, output)
    except OSError as err:
        click.echo(f"error: cannot write {output}: {err.strerror or err}", err=True)
        sys.exit(1)
    full = view.graph["full_node_count"]
    folded = f" (folded from {full}; see the note on the page)" if full != view.number_of_nodes() else ""
    click.echo(f"{output}: {kind} view, {view.number_of_nodes()} nodes{folded}", err=True)


commands = [viz_command]
