"""Extraction identity guard: a digest of everything the extractor computes, to compare before and after
a change that must not change any output (a speed-up).

Over the seeds, the dev set (text and XLSX), the seed and dev gold typeset as HTML, XLSX and DOCX,
the layout fixtures and reliability reproducers, document variants of the seeds, generated documents
and mutated (fuzzed) seed pieces, it records per document a hash of the tokens, of the content model's
feature strings (whole and in chunks), of the tags and of the records JSON (string hashing fixed, PYTHONHASHSEED=0)::

    python bench/extract_identity.py --save out/identity.json     # before the change
    python bench/extract_identity.py --check out/identity.json    # after: exit 1 on any difference

Nothing here is run by the tests (it takes a minute or two).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from perfkg.extract import content_model  # noqa: E402
from perfkg.extract.pipeline import extract_rows, finish_document, simplified  # noqa: E402
from perfkg.extract.reader import ReadError, read_source  # noqa: E402
from perfkg.extract.serialise import records_to_json  # noqa: E402
from perfkg.extract.synth import generate  # noqa: E402
from perfkg.extract.tokens import tokenise_rows  # noqa: E402

SMALL_CHUNK = 64  # the features are also made in chunks this long (the path of a very long document)


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False).encode("utf-8")).hexdigest()[:20]


def _files(tmp: Path, generated: int, fuzzed: int) -> Iterator[tuple[str, Path]]:
    from container_render import write_docx, write_html, write_xlsx
    from document_variants import (
        as_cell_per_line,
        as_pipe_tables,
        as_space_aligned,
        as_traditional,
        with_page_breaks,
        with_shifted_rows,
    )
    from fuzz_mutations import mutate, seeds

    seed_docs = sorted((ROOT / "examples" / "documents").glob("*.txt"))
    for p in seed_docs:
        yield f"seed/{p.name}", p
    for folder in ("docs", "xlsx"):
        for p in sorted((ROOT / "tests" / "data" / "dev" / folder).iterdir()):
            yield f"dev/{p.name}", p
    for p in sorted((ROOT / "tests" / "data" / "layouts").iterdir()):
        if p.suffix in (".txt", ".html"):
            yield f"layout/{p.name}", p
    for p in sorted((ROOT / "tests" / "data" / "reliability").rglob("*")):
        if p.is_file() and p.suffix in (".txt", ".html", ".csv"):
            yield f"reliability/{p.relative_to(ROOT / 'tests' / 'data' / 'reliability')}", p
    golds = sorted((ROOT / "tests" / "data" / "gold").glob("*.json")) + \
        sorted((ROOT / "tests" / "data" / "dev" / "gold").glob("*.json"))
    for g in golds:
        record = json.loads(g.read_text(encoding="utf-8"))
        for suffix, write in ((".html", write_html), (".xlsx", write_xlsx), (".docx", write_docx)):
            yield f"typeset/{g.stem}{suffix}", write(record, tmp / f"{g.stem}{suffix}")
    variants = {"pipe": as_pipe_tables, "cells": as_cell_per_line, "spaces": as_space_aligned,
                "trad": as_traditional, "pages": with_page_breaks, "shifted": lambda t: with_shifted_rows(t, 3)}
    for p in seed_docs:
        text = p.read_text(encoding="utf-8")
        for name, variant in variants.items():
            out = tmp / f"{p.stem}.{name}.txt"
            out.write_text(variant(text), encoding="utf-8")
            yield f"variant/{out.name}", out
    for name, text, _ in generate(generated, 5):
        out = tmp / f"gen_{name}"
        out.write_text(text, encoding="utf-8")
        yield f"generated/{name}", out
    rng = random.Random(7)
    pool = seeds(max_lines=120)
    for n in range(fuzzed):
        name, data = rng.choice(pool)
        mutated, ops = mutate(data, rng)
        suffix = ".html" if name.endswith(".html") or "html_tag_soup" in ops else ".txt"
        out = tmp / f"fuzz{n:04d}{suffix}"
        out.write_bytes(mutated)
        yield f"fuzz/{n:04d} {name} {'+'.join(ops)}", out


def document_digest(path: Path) -> dict[str, str]:
    try:
        src = read_source(path)
    except ReadError as exc:
        return {"error": str(exc).replace(str(path.parent), "")}
    rows = simplified(src).rows
    tokens = tokenise_rows(rows, [])
    context = content_model._Context(tokens)
    whole = context.features(0, len(tokens))
    pieces = [f for start, end in content_model._chunks(tokens, SMALL_CHUNK) for f in context.features(start, end)]
    tags = content_model.tag_tokens(tokens)
    record = finish_document(extract_rows(rows, src.name), src, path.name)
    record.sha256 = ""  # the typesetters' files differ run to run in their bytes (zip timestamps), not in their content
    return {"tokens": _digest([list(t.__dict__.values()) for t in tokens]), "features": _digest(whole),
            "chunked": "same" if pieces == whole else _digest(pieces), "tags": _digest(tags),
            "records": _digest(records_to_json([record])), "n_tokens": str(len(tokens))}


def main() -> int:
    if os.environ.get("PYTHONHASHSEED") != "0":  # one string hash order in every run (sets of strings)
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--save", type=Path, help="write the digests here")
    parser.add_argument("--check", type=Path, help="compare with digests saved before; exit 1 on a difference")
    parser.add_argument("--generated", type=int, default=300, help="generated documents (generate(N, 5))")
    parser.add_argument("--fuzzed", type=int, default=150, help="mutated seed pieces")
    args = parser.parse_args()
    digests: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in _files(Path(tmp), args.generated, args.fuzzed):
            digests[name] = document_digest(path)
    total = _digest(digests)
    tokens = sum(int(d.get("n_tokens", 0)) for d in digests.values())
    print(f"{len(digests)} documents, {tokens} tokens, digest {total}")
    if args.save:
        args.save.parent.mkdir(parents=True, exist_ok=True)
        args.save.write_text(json.dumps(digests, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if args.check:
        before = json.loads(args.check.read_text(encoding="utf-8"))
        differ = [(n, k) for n in sorted(set(before) | set(digests))
                  for k in sorted(set(before.get(n, {})) | set(digests.get(n, {})))
                  if before.get(n, {}).get(k) != digests.get(n, {}).get(k)]
        for name, key in differ[:40]:
            print(f"DIFFERENT {key}: {name}")
        print("identical" if not differ else f"{len(differ)} differences")
        return 1 if differ else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
