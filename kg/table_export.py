"""Tables to files: CSV (optionally with a BOM for Excel), TSV, JSON, XLSX and Parquet, every cell through one helper.

``cell_value`` is the single place a value becomes a cell (numbers stay numbers in XLSX and Parquet,
text elsewhere); text a spreadsheet would run as a formula is neutralised there (``extract.csv_safe``)
unless ``raw``.
"""
from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from perfkg.extract.csv_safe import EXCEL_BOM, neutralise
from perfkg.extract.serialise import write_atomic

TABLE_FORMATS = ("csv", "tsv", "json", "xlsx", "parquet")
BOM = EXCEL_BOM


def cell_text(value: Any) -> str:
    """A value as text: decimals without exponent or trailing zeros, booleans as true/false, None as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


def cell_value(value: Any, typed: bool = False, raw: bool = False, spreadsheet: bool = True) -> Any:
    """The one helper every exported cell passes through: text (``typed`` False) or a typed value
    (int, float, bool, None or text) for formats that keep types (XLSX, Parquet, JSON). Text bound
    for a spreadsheet (CSV, TSV, XLSX) is neutralised against formulas unless ``raw``."""
    if typed and isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if typed and (value is None or isinstance(value, (bool, int, float))):
        return value
    text = cell_text(value)
    return neutralise(text) if spreadsheet and not raw else text


def format_for(path: Path | None, default: str = "csv") -> str:
    """The table format a file name asks for by its suffix."""
    suffix = path.suffix.lower().lstrip(".") if path is not None else ""
    return suffix if suffix in TABLE_FORMATS else default


def delimited(columns: Sequence[str], rows: Sequence[Sequence[Any]], delimiter: str = ",", bom: bool = False,
              raw: bool = False) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([cell_value(v, raw=raw) for v in row] for row in rows)
    return (BOM if bom else "") + buf.getvalue()


def as_json(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    items = [{c: cell_value(v, typed=True, spreadsheet=False) for c, v in zip(columns, row)} for row in rows]
    return json.dumps(items, ensure_ascii=False, indent=1) + "\n"


def xlsx_bytes(columns: Sequence[str], rows: Sequence[Sequence[Any]], sheet: str = "perfkg",
               raw: bool = False) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    ws.append(list(columns))
    for row in rows:
        ws.append([cell_value(v, typed=True, raw=raw) for v in row])
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def parquet_bytes(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    import pandas as pd

    frame = pd.DataFrame([[cell_value(v, typed=True, spreadsheet=False) for v in row] for row in rows],
                         columns=list(columns))
    buf = io.BytesIO()
    try:
        frame.to_parquet(buf, index=False)
    except ImportError as exc:
        raise RuntimeError("Parquet needs pyarrow: pip install pyarrow") from exc
    return buf.getvalue()


def render_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str, bom: bool = False,
                 raw: bool = False) -> str | bytes:
    """The table in one of ``TABLE_FORMATS`` (text for csv/tsv/json, bytes for xlsx/parquet)."""
    if fmt == "csv":
        return delimited(columns, rows, ",", bom, raw)
    if fmt == "tsv":
        return delimited(columns, rows, "\t", bom, raw)
    if fmt == "json":
        return as_json(columns, rows)
    if fmt == "xlsx":
        return xlsx_bytes(columns, rows, raw=raw)
    if fmt == "parquet":
        return parquet_bytes(columns, rows)
    raise ValueError(f"unknown table format {fmt!r}; choose one of {', '.join(TABLE_FORMATS)}")


def write_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], path: Path, fmt: str | None = None,
                bom: bool = False, raw: bool = False) -> str:
    """Write the table to ``path`` (format from ``fmt`` or the suffix), atomically; returns the format."""
    fmt = fmt or format_for(path)
    data = render_table(columns, rows, fmt, bom, raw)
    write_output(data, path)
    return fmt


def write_output(data: str | bytes, path: Path) -> None:
    """Text through ``write_atomic``; bytes (XLSX, Parquet) through a temporary file renamed over ``path``."""
    if isinstance(data, str):
        write_atomic(data, path)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
