"""Record files: documents to JSON, JSON Lines or CSV (one row per indicator), written atomically, and read back."""
from __future__ import annotations

import json
import math
import os
import sys
import tempfile
from pathlib import Path

from perfkg.errors import PerfkgError
from perfkg.extract.csv_safe import csv_text
from perfkg.extract.records import DocumentRecord, load_records

CSV_COLUMNS = ["source", "bureau", "year", "project", "code", "kind", "budget_total", "budget_fiscal",
               "budget_other", "level1", "level2", "level3", "value", "op", "num", "unit", "line"]


def _finite(value):
    """The record's JSON data with every non-finite number (inf, nan) as null: JSON has no Infinity."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def _dicts(records: list[DocumentRecord]) -> list[dict]:
    return [_finite(r.to_dict()) for r in records]


def records_to_json(records: list[DocumentRecord]) -> str:
    data = _dicts(records)
    return json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def records_to_jsonl(records: list[DocumentRecord]) -> str:
    return "".join(json.dumps(d, ensure_ascii=False, allow_nan=False) + "\n" for d in _dicts(records))


def records_to_csv(records: list[DocumentRecord], raw: bool = False, excel: bool = False) -> str:
    """One row per indicator; formula-like cells neutralised unless ``raw`` (see extract/csv_safe)."""
    def finite(v):
        return None if isinstance(v, float) and not math.isfinite(v) else v

    rows = ([r.source, r.bureau, r.year, p.name, p.code, p.kind, finite(p.budget_total), finite(p.budget_fiscal),
             finite(p.budget_other), i.level1, i.level2, i.level3, i.value, i.op, finite(i.num), i.unit,
             i.span[0] if i.span else None]
            for r in records for p in r.projects for i in p.indicators)
    return csv_text(CSV_COLUMNS, rows, raw=raw, excel=excel)


FORMATS = {"json": records_to_json, "jsonl": records_to_jsonl, "csv": records_to_csv}


def write_atomic(text: str, path: Path) -> None:
    """Write through a temporary file in the same directory, so a reader never sees half a file.

    The temporary file is removed on any failure (a full disk, Ctrl-C, SIGTERM through the CLI's
    handler); one left by a process killed outright (``kill -9``) carries that process's id in its
    name and is removed by the next write to the same file once that process is gone.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f"{_TMP_PREFIX}{path.name}.{os.getpid()}.", suffix=".tmp")
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


_TMP_PREFIX = "."


def _remove_stale_temporaries(path: Path) -> None:
    """Temporaries of ``path`` left by writers that no longer run (their pid is in the name)."""
    prefix = f"{_TMP_PREFIX}{path.name}."
    try:
        names = [n for n in os.listdir(path.parent) if n.startswith(prefix) and n.endswith(".tmp")]
    except OSError:
        return
    for name in names:
        pid = name[len(prefix):].split(".", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            try:
                os.unlink(path.parent / name)
            except OSError:
                pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_records(records: list[DocumentRecord], output: Path | None, fmt: str = "json", raw: bool = False,
                  excel: bool = False) -> None:
    """Records as ``fmt`` to ``output`` (atomically) or stdout; CSV options as in ``records_to_csv``."""
    text = records_to_csv(records, raw=raw, excel=excel) if fmt == "csv" else FORMATS[fmt](records)
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(text, output)


RECORD_SUFFIXES = (".json", ".jsonl")


class RecordFileError(PerfkgError):
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
