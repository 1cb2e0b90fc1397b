"""CLI command ``synth``: a corpus of generated documents with their gold records."""
from __future__ import annotations

import time
from pathlib import Path

import click

from perfkg.extract.synth import DEFAULT_SOURCES, write_corpus


@click.command("synth")
@click.option("--docs", "n", type=click.IntRange(min=0), default=100, show_default=True,
              help="Number of documents to generate.")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Corpus seed: the same (docs, seed) gives the same bytes.")
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output directory: documents go to OUT/docs, gold records to OUT/gold.")
@click.option("--no-dev", is_flag=True,
              help="Recombine only the seed gold records, never the dev set (keeps the dev set unseen by a model "
                   "trained on the corpus).")
@click.option("--cells", is_flag=True, help="Also write OUT/cells/<id>.jsonl: each printed cell with its role.")
def synth_command(n: int, seed: int, out_dir: Path, no_dev: bool, cells: bool) -> None:
    """Generate N documents in every layout family, with garbling, and their gold records."""
    sources = tuple(s for s in DEFAULT_SOURCES if not (no_dev and s == "dev"))
    start = time.perf_counter()
    count = write_corpus(out_dir, n, seed, sources, cells)
    click.echo(f"{count} documents in {out_dir / 'docs'}, gold in {out_dir / 'gold'} "
               f"({time.perf_counter() - start:.1f} s)")


commands = [synth_command]
