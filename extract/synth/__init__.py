"""The document generator with gold: synthetic 绩效目标表 documents rendered from records, in every
layout family and with the garbling real documents show, each with its gold record.

``generate(n, seed)`` yields (file name, text, gold record) and is byte-for-byte deterministic
for a given (n, seed); ``generate_labelled`` adds the printed cells with their roles; ``write_corpus``
writes ``DIR/docs/<id>.txt`` and ``DIR/gold/<id>.json`` (the command ``perfkg synth``). The gold
follows ``docs/records.md``; its extra key ``synth`` names the document's separator family, table
grammar, features and garbling (``FAMILIES`` lists the separators, grammars and garblings;
``extract.synth.longdoc`` puts the tables inside a whole budget document). Records come
from the vocabulary (``extract/data/synth_vocabulary.json``) or recombine the real gold
records (seeds and dev set: pass ``sources=("seeds",)`` to keep the dev set out).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

from perfkg.extract.synth.containers import SEPARATORS
from perfkg.extract.synth.corpus import document, labelled_document
from perfkg.extract.synth.garble import GARBLINGS
from perfkg.extract.synth.tables import GRAMMARS

FAMILIES: dict[str, tuple[str, ...]] = {"family": SEPARATORS, "grammar": GRAMMARS, "garbling": GARBLINGS}
DEFAULT_SOURCES: tuple[str, ...] = ("seeds", "dev")

__all__ = ["FAMILIES", "generate", "generate_labelled", "write_corpus", "document"]


def generate(n: int, seed: int = 0,
             sources: tuple[str, ...] = DEFAULT_SOURCES) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """``n`` documents of corpus ``seed``: (file name, text, gold record dict)."""
    for index in range(n):
        yield document(seed, index, tuple(sources))


def generate_labelled(n: int, seed: int = 0, sources: tuple[str, ...] = DEFAULT_SOURCES
                      ) -> Iterator[tuple[str, str, dict[str, Any], list[tuple[str, str]]]]:
    """As :func:`generate`, plus each document's printed cells as (text, role) in reading order
    (a wrapped cell keeps its newline; outline lines are one ``text`` cell)."""
    for index in range(n):
        yield labelled_document(seed, index, tuple(sources))


def gold_json(record: dict[str, Any]) -> str:
    """The gold file's text (stable key order, UTF-8 characters kept)."""
    return json.dumps(record, ensure_ascii=False, indent=1) + "\n"


def write_corpus(out_dir: Path, n: int, seed: int = 0, sources: tuple[str, ...] = DEFAULT_SOURCES,
                 cells: bool = False) -> int:
    """Write ``n`` documents to ``out_dir/docs`` and their gold to ``out_dir/gold`` (with ``cells``,
    also ``out_dir/cells/<id>.jsonl``: one ``[text, role]`` per printed cell); returns n."""
    docs, gold, cell_dir = Path(out_dir) / "docs", Path(out_dir) / "gold", Path(out_dir) / "cells"
    for d in (docs, gold) + ((cell_dir,) if cells else ()):
        d.mkdir(parents=True, exist_ok=True)
    count = 0
    for name, text, record, printed in generate_labelled(n, seed, sources):
        stem = Path(name).stem
        (docs / name).write_text(text, encoding="utf-8")
        (gold / (stem + ".json")).write_text(gold_json(record), encoding="utf-8")
        if cells:
            lines = (json.dumps(list(c), ensure_ascii=False) for c in printed)
            (cell_dir / (stem + ".jsonl")).write_text("\n".join(lines) + "\n", encoding="utf-8")
        count += 1
    return count
