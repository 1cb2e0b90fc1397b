"""Query results as text: an aligned table (CJK characters count double), CSV, TSV or JSON; ASK as
true/false, CONSTRUCT/DESCRIBE as Turtle. Files (``-o``) also as XLSX, through ``kg.table_export``."""
from __future__ import annotations

import json
import unicodedata
from decimal import Decimal
from typing import Any

from perfkg.extract.csv_safe import csv_text
from perfkg.kg.query_library import QueryRows
from perfkg.kg.table_export import cell_text  # noqa: F401  (one spelling of a result value, re-exported)

OUTPUT_FORMATS = ("table", "csv", "tsv", "json", "xlsx")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def as_table(result: QueryRows) -> str:
    cells = [list(result.columns)] + [[cell_text(v) for v in row] for row in result.rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(result.columns))]
    lines = ["  ".join(_pad(c, w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def as_csv(result: QueryRows, raw: bool = False, excel: bool = False) -> str:
    """CSV with formula-like cells neutralised unless ``raw``, BOM-led for ``excel`` (extract/csv_safe)."""
    return csv_text(result.columns, ([cell_text(v) for v in row] for row in result.rows), raw=raw, excel=excel)


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def as_json(result: QueryRows) -> str:
    rows = [{c: _json_value(v) for c, v in zip(result.columns, row)} for row in result.rows]
    return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"


def render(result: QueryRows, fmt: str, raw: bool = False, excel: bool = False) -> str | bytes:
    """The result in one of ``OUTPUT_FORMATS`` (bytes for xlsx). An ASK result is true/false (JSON
    ``{"boolean": …}``), a CONSTRUCT/DESCRIBE result is Turtle (JSON-LD for json)."""
    if fmt not in OUTPUT_FORMATS:
        raise ValueError(f"unknown output format {fmt!r}; choose one of {', '.join(OUTPUT_FORMATS)}")
    if result.graph is not None:
        return result.graph.serialize(format="json-ld" if fmt == "json" else "turtle")
    if result.boolean is not None:
        if fmt == "json":
            return json.dumps({"boolean": result.boolean}) + "\n"
        return "true\n" if result.boolean else "false\n"
    if fmt == "csv":
        return as_csv(result, raw=raw, excel=excel)
    if fmt in ("tsv", "xlsx"):
        from perfkg.kg.table_export import render_table

        return render_table(result.columns, result.rows, fmt, bom=excel, raw=raw)
    return {"table": as_table, "json": as_json}[fmt](result)
