"""CLI commands of the graph half: ``build`` (documents → validated graph file) and ``validate``."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from perfkg.extract import limits
from perfkg.extract.file_names import shown
from perfkg.extract.pipeline import expand_paths
from perfkg.kg.cli.extract_cmd import limit_options
from perfkg.kg.graph_io import FORMATS, GraphFileError
from perfkg.kg.graph_job import build_graph_file, validate_file
from perfkg.kg.validate import DEFAULT_ENGINE, ENGINES

# --validate on build, validate and load: which validator checks the SHACL shapes
validate_option = click.option(
    "--validate", "validation", type=click.Choice(ENGINES), default=DEFAULT_ENGINE, show_default=True,
    help="compiled: the shapes translated into direct checks (same verdicts, a few ms per document); "
         "shacl: pyshacl, the reference.")


@click.command("build")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Graph file to write (default stdout).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Graph format (default from the output suffix, else ttl).")
@click.option("--source-url", help="Where the document was published (dcterms:source); for one document. "
                                   "A sidecar <document>.json with \"url\" and \"licence\" does the same per file.")
@click.option("--licence", "licence", help="Licence of the document (an IRI or text; dcterms:license).")
@validate_option
@limit_options
def build_command(paths: tuple[Path, ...], output: Path | None, fmt: str | None, source_url: str | None,
                  licence: str | None, validation: str, timeout_s: float | None, max_memory_mb: float | None,
                  max_document_mb: float | None) -> None:
    """Extract documents, build the knowledge graph, validate it against the SHACL shapes and write it.

    A document whose graph violates the shapes is left out and reported (naming the document, the
    node and its line); the graph of the others is written, exit 1. The extraction run is recorded
    with PROV-O (software version, start time — SOURCE_DATE_EPOCH when set, for reproducible builds —
    reader and layouts). Exit 1 also when some document could not be extracted (the graph of the
    others is still written); 2 on usage errors.
    """
    limits.set_environment(timeout_s=timeout_s, max_memory_mb=max_memory_mb, max_document_mb=max_document_mb)
    problems: list[str] = []
    files = expand_paths(paths, problems)
    if not files:
        raise click.UsageError("no document files found in the given paths")
    if source_url and len(files) > 1:
        raise click.UsageError("--source-url names the source of one document; for several, write a sidecar "
                               "<document>.json beside each")
    try:
        result = build_graph_file(list(paths), output, fmt, source_url, licence, validation)
    except GraphFileError as exc:
        raise click.UsageError(shown(exc)) from exc
    except OSError as exc:
        click.echo(f"error: cannot write {shown(output)}: {exc.strerror or exc}; nothing written "
                   "(choose a folder you can write to)", err=True)
        sys.exit(1)
    result.errors[:0] = problems
    for error in result.errors:
        click.echo(f"error: {shown(error)}", err=True)
    if not result.conforms:
        report = result.report
        assert report is not None  # build_graph_file validates every graph it builds
        click.echo(f"error: the graph violates the SHACL shapes ({len(report.violations)} violations); "
                   "nothing written", err=True)
        click.echo(report.text(), err=True)
        sys.exit(1)
    c = result.counts
    where = f" → {shown(result.written)} ({result.fmt})" if result.written else ""
    click.echo(f"{c['documents']} documents, {c['bureaus']} bureaus, {c['projects']} projects, "
               f"{c['indicators']} indicators, {c['triples']} triples{where}"
               + (f"; {len(result.errors)} failed" if result.errors else ""), err=True)
    sys.exit(1 if result.errors else 0)


@click.command("validate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@validate_option
def validate_command(file: Path, validation: str) -> None:
    """Validate a graph file (ttl, nt, jsonld, trig, nq) against the SHACL shapes; exit 1 on violations."""
    try:
        report, triples = validate_file(file, validation)
    except GraphFileError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    if report.conforms:
        click.echo(f"{file}: conforms ({triples} triples)")
        sys.exit(0)
    click.echo(f"{file}: {len(report.violations)} violations", err=True)
    click.echo(report.text(), err=True)
    sys.exit(1)


commands = [build_command, validate_command]
