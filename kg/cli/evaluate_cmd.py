"""CLI command ``evaluate``: extracted (or freshly extracted) records scored against gold records."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from perfkg.extract.evaluation import evaluate, load_gold, load_predictions
from perfkg.extract.evaluation_report import format_report
from perfkg.extract.serialise import RecordFileError


@click.command("evaluate")
@click.option("--gold", "gold_path", required=True, type=click.Path(exists=True, path_type=Path),
              help="Gold record file (.json/.jsonl) or a directory of them.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--predicted-only", is_flag=True,
              help="Score only the gold documents that have a prediction (default: the others count as missed).")
@click.option("-v", "--verbose", is_flag=True, help="List every miss.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole evaluation as JSON.")
@click.option("--min-f1", type=click.FloatRange(0, 1), default=None,
              help="Exit 1 when the overall indicator F1 is below this.")
def evaluate_command(gold_path: Path, paths: tuple[Path, ...], predicted_only: bool, verbose: bool, as_json: bool,
                     min_f1: float | None) -> None:
    """Score predicted records against gold records by the matching rules of docs/records.md.

    PATHS are record files (.json/.jsonl) or directories of them, or documents (files or
    directories), which are extracted first. Documents are paired with gold by file name (the
    last of several documents with one file name counts).
    Exit status 0; 1 when an input could not be read or the F1 is below --min-f1; 2 on usage errors.
    """
    try:
        gold = load_gold(gold_path)
    except RecordFileError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    predictions = load_predictions(paths)
    for error in predictions.errors:
        click.echo(f"error: {error}", err=True)
    evaluation = evaluate(gold, predictions.records, predicted_only)
    if as_json:
        click.echo(json.dumps(evaluation.to_dict(), ensure_ascii=False, indent=1))
    else:
        click.echo(format_report(evaluation, verbose), nl=False)
    f1 = evaluation.overall.indicator_f1
    click.echo(f"indicator_f1={f1:.4f}", err=True)
    if min_f1 is not None and f1 < min_f1:
        click.echo(f"indicator F1 {f1:.4f} is below --min-f1 {min_f1}", err=True)
        sys.exit(1)
    sys.exit(1 if predictions.errors else 0)


commands = [evaluate_command]
