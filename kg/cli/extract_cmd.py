"""CLI commands of the extraction half: ``extract`` and ``readers``."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from perfkg.extract import limits
from perfkg.extract.file_names import shown
from perfkg.extract.pipeline import expand_paths, extract_paths
from perfkg.extract.serialise import FORMATS, write_records


def limit_options(command):
    """--timeout, --max-memory-mb and --max-document-mb (defaults from extract/limits.py, or PERFKG_* variables)."""
    defaults = limits.current()
    for option in reversed([
        click.option("--timeout", "timeout_s", type=click.FloatRange(min=0), default=None,
                     help=f"CPU seconds per document before it is stopped (default {defaults.timeout_s:g}; 0: none)."),
        click.option("--max-memory-mb", type=click.FloatRange(min=0), default=None,
                     help=f"Memory per document's worker, MB (default {defaults.max_memory_mb:g}; 0: none)."),
        click.option("--max-document-mb", type=click.FloatRange(min=0), default=None,
                     help=f"Largest document read, MB (default {defaults.max_document_mb:g})."),
    ]):
        command = option(command)
    return command


@click.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Output file (default stdout).")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="json", show_default=True)
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on for 20+ files on a terminal).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes for many documents (output order stays the input order).")
@click.option("--raw", is_flag=True, help="CSV: write cells as they are (no apostrophe before = + - @).")
@click.option("--excel", is_flag=True, help="CSV: start with a UTF-8 byte-order mark, for Excel.")
@limit_options
def extract_command(paths: tuple[Path, ...], output: Path | None, fmt: str, progress: bool | None, jobs: int,
                    raw: bool, excel: bool, timeout_s: float | None, max_memory_mb: float | None,
                    max_document_mb: float | None) -> None:
    """Extract performance-target records from document files or directories.

    Every document is read in a worker process that stops it past the time and memory limits
    (one error line; the others go on). Exit status 0 when every document was read, 1 when
    some failed (the rest are still written), 2 on usage errors.
    """
    limits.set_environment(timeout_s=timeout_s, max_memory_mb=max_memory_mb, max_document_mb=max_document_mb)
    problems: list[str] = []
    files = expand_paths(paths, problems)
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    if not files:
        raise click.UsageError("no document files found in the given paths")
    show = progress if progress is not None else (len(files) >= 20 and sys.stderr.isatty())
    outcomes = extract_paths(files, jobs=jobs, isolate=True)
    if show:
        from tqdm import tqdm

        outcomes = tqdm(outcomes, total=len(files), unit="doc", file=sys.stderr)
    records, failed = [], len(problems)
    for outcome in outcomes:
        if outcome.error:
            failed += 1
            click.echo(f"error: {shown(outcome.error)}", err=True)
        elif outcome.record is not None:
            records.append(outcome.record)
    try:
        write_records(records, output, fmt, raw=raw, excel=excel)
    except OSError as exc:
        click.echo(f"error: cannot write {shown(output)}: {exc.strerror or exc}; nothing written "
                   "(choose a folder you can write to)", err=True)
        sys.exit(1)
    n_ind = sum(r.indicator_count() for r in records)
    n_proj = sum(len(r.projects) for r in records)
    click.echo(f"{len(records)} documents, {n_proj} tables, {n_ind} indicators"
               + (f"; {failed} failed" if failed else ""), err=True)
    sys.exit(1 if failed else 0)


@click.command("readers")
def readers_command() -> None:
    """List the container readers and the content model that reads every table."""
    from perfkg.extract.containers import containers
    from perfkg.extract.content_model import ROLES, model_summary

    text_suffixes = ".txt .md .csv .tsv (any other suffix)"
    click.echo(f"{'text':8} {text_suffixes:40} lines cut by tabs, pipes, spaces, run-together cuts")
    for c in containers():
        click.echo(f"{c.name:8} {' '.join(c.suffixes):40} table grids with spans")
    click.echo(f"content model: {model_summary()}; roles {' '.join(ROLES)}")


commands = [extract_command, readers_command]
