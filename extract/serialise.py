"""Record files: documents to JSON, JSON Lines or CSV (one row per indicator), written atomically, and read back."""
from __future__ import annotations

import csv
import io
import json
import os
import sys
import tempfile
from pathlib import Path

from extract.records import DocumentRecord, load_records

CSV_COLUMNS = ["source", "bureau", "year", "project", "code", "kind", "budget_total", "budget_fiscal",
               "budget_other", "level1", "level2", "level3", "value", "op", "num", "unit", "line"]


def records_to_json(records: list[DocumentRecord]) -> str:
    data = [r.to_dict() for r in records]
    return json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2) + "\n"


def records_to_jsonl(records: list[DocumentRecord]) -> str:
    return "".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in records)


def records_to_csv(records: list[DocumentRecord]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for r in records:
        for p in r.projects:
            for i in p.indicators:
                w.writerow([r.source, r.bureau, r.year, p.name, p.code, p.kind, p.budget_total, p.budget_fiscal,
                            p.budget_other, i.level1, i.level2, i.level3, i.value, i.op, i.num, i.unit,
                            i.span[0] if i.span else None])
    return buf.getvalue()


FORMATS = {"json": records_to_json, "jsonl": records_to_jsonl, "csv": records_to_csv}


def write_atomic(text: str, path: Path) -> None:
    """Write through a temporary file in the same directory, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes owner-only files; outputs are ordinary files
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_records(records: list[DocumentRecord], output: Path | None, fmt: str = "json") -> None:
    text = FORMATS[fmt](records)
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(text, output)


RECORD_SUFFIXES = (".json", ".jsonl")


class RecordFileError(Exception):
    """A record file that cannot be read or parsed; the message names the file (and line)."""


def read_record_file(path: Path) -> list[DocumentRecord]:
    """Documents from a JSON file (one object or an array) or a JSON Lines file (one object a line)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RecordFileError(f"{path}: cannot read ({getattr(exc, 'strerror', None) or exc})") from None
    if path.suffix.lower() != ".jsonl":
        return _load(_parse_json(text, path, 0), path, None)
    records: list[DocumentRecord] = []
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            records.extend(_load(_parse_json(line, path, n - 1), path, n))
    return records


def _parse_json(text: str, path: Path, first_line: int) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordFileError(f"{path}: line {first_line + exc.lineno}: not valid JSON ({exc.msg})") from None


def _load(data: object, path: Path, line: int | None) -> list[DocumentRecord]:
    where = f"{path}: line {line}" if line else str(path)
    items = data if isinstance(data, list) else [data]
    if not all(isinstance(d, dict) for d in items):
        raise RecordFileError(f"{where}: not a document record (expected a JSON object or an array of objects)")
    try:
        return load_records(data)
    except (TypeError, ValueError, AttributeError) as exc:
        raise RecordFileError(f"{where}: not a document record ({exc})") from None


def record_files(path: Path) -> list[Path]:
    """The record files a path names: the file itself, or the .json/.jsonl files inside a directory."""
    if path.is_dir():
        return sorted(f for f in path.rglob("*") if f.is_file() and f.suffix.lower() in RECORD_SUFFIXES
                      and not any(part.startswith(".") for part in f.relative_to(path).parts))
    return [path]
