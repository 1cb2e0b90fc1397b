"""XLSX/XLSM reader: every worksheet of a workbook as one grid table (openpyxl).

Merged ranges become spans at their top-left cell, the cells they cover are left out. A cell's
text is its value as the sheet prints it (number formats, dates: :mod:`number_format`), formulas
read as their cached results. Only non-blank cells and merged ranges are kept, so a sheet with
formatting down to row 1,048,576 costs no more than its content.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from perfkg.extract.containers.grid import DocumentBuilder, PlacedCell, cell_text, grid_rows, sheet_cells
from perfkg.extract.containers.number_format import format_value
from perfkg.extract.reader import ReadError
from perfkg.extract.source_model import SourceDocument

NAME = "xlsx"
SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")


def sniff(data: bytes) -> bool:
    """A ZIP package with a workbook part (xl/)."""
    return _zip_has(data, "xl/")


def _zip_has(data: bytes, prefix: str) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return any(n.startswith(prefix) for n in z.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _is_formula(value: object) -> bool:
    return (isinstance(value, str) and value.startswith("=")) or type(value).__name__ in ("ArrayFormula",
                                                                                         "DataTableFormula")


def _load(data: bytes):
    import io

    import openpyxl

    # Formulas are read from the formula view; their results only exist in the cached-value view,
    # so that one is loaded as well, only for workbooks that hold formulas.
    # From the bytes, not the path: openpyxl refuses a workbook whose name has another suffix.
    wb = openpyxl.load_workbook(io.BytesIO(data), data_only=False, keep_links=False)
    has_formulas = any(_is_formula(c.value) for ws in wb.worksheets for c in ws._cells.values())
    cached = openpyxl.load_workbook(io.BytesIO(data), data_only=True, keep_links=False) if has_formulas else None
    return wb, cached


def read(path: Path, data: bytes, sha256: str) -> SourceDocument:
    """Every sheet of the workbook at ``path`` as a grid table."""
    try:
        wb, cached = _load(data)
    except ReadError:
        raise
    except Exception as exc:  # openpyxl raises zip, XML and key errors for broken packages
        raise ReadError(f"{path}: not a readable XLSX workbook (truncated or corrupt: "
                        f"{type(exc).__name__}: {exc})") from None
    out = DocumentBuilder(path.name, NAME, sha256)
    for ws in wb.worksheets:
        values = cached[ws.title] if cached is not None else None
        cells, n_rows = _sheet_cells(ws, values, wb.epoch.year == 1904)
        if not cells:
            continue
        out.rows(grid_rows(cells, n_rows, out.new_table(), lambda r, c: "", fold=False))
    return out.doc


def _sheet_cells(ws, cached_ws, date1904: bool) -> tuple[list[PlacedCell], int]:
    from openpyxl.utils import get_column_letter

    texts: dict[tuple[int, int], str] = {}
    # ws._cells holds only the cells the file defines; iterating the sheet's dimensions instead
    # would touch every formatted blank cell.
    for (r, c), cell in ws._cells.items():
        value = cell.value
        if _is_formula(value):
            cached = cached_ws.cell(r, c).value if cached_ws is not None else None
            value = cached if cached is not None else getattr(value, "text", value)
        text = cell_text(format_value(value, cell.number_format, date1904))
        if text:
            texts[(r, c)] = text
    merges = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
    return sheet_cells(texts, merges, lambda r, c: f"{ws.title}!{get_column_letter(c)}{r}")
