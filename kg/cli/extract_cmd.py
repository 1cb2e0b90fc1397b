"""CLI commands of the extraction half: ``extract`` and ``readers``."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from extract.pipeline import expand_paths, extract_paths
from extract.serialise import FORMATS, write_records


@click.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Output file (default stdout).")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="json", show_default=True)
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on for 20+ files on a terminal).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes for many documents (output order stays the input order).")
def extract_command(paths: tuple[Path, ...], output: Path | None, fmt: str, progress: bool | None, jobs: int) -> None:
    """Extract performance-target records from document files or directories.

    Exit status 0 when every document was read, 1 when some failed (the rest are still
    written), 2 on usage errors.
    """
    files = expand_paths(paths)
    if not files:
        raise click.UsageError("no document files found in the given paths")
    show = progress if progress is not None else (len(files) >= 20 and sys.stderr.isatty())
    outcomes = extract_paths(files, jobs=jobs)
    if show:
        from tqdm import tqdm

        outcomes = tqdm(outcomes, total=len(files), unit="doc", file=sys.stderr)
    records, failed = [], 0
    for outcome in outcomes:
        if outcome.error:
            failed += 1
            click.echo(f"error: {outcome.error}", err=True)
        else:
            records.append(outcome.record)
    try:
        write_records(records, output, fmt)
    except OSError as exc:
        click.echo(f"error: cannot write {output}: {exc.strerror or exc}", err=True)
        sys.exit(1)
    n_ind = sum(r.indicator_count() for r in records)
    n_proj = sum(len(r.projects) for r in records)
    click.echo(f"{len(records)} documents, {n_proj} tables, {n_ind} indicators"
               + (f"; {failed} failed" if failed else ""), err=True)
    sys.exit(1 if failed else 0)


@click.command("readers")
def readers_command() -> None:
    """List the container readers and the content model that reads every table."""
    from extract.containers import containers
    from extract.content_model import ROLES, model_summary

    click.echo(f"{'text':8} {'.txt .md .csv .tsv (any other suffix)':40} lines cut by tabs, pipes, spaces, run-together cuts")
    for c in containers():
        click.echo(f"{c.name:8} {' '.join(c.suffixes):40} table grids with spans")
    click.echo(f"content model: {model_summary()}; roles {' '.join(ROLES)}")


commands = [extract_command, readers_command]
