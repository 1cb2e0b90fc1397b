"""XLS reader: every sheet of a legacy Excel (BIFF) workbook as one grid table (xlrd).

Merged ranges and number formats come from the workbook's formatting records, so cells print
as the sheet shows them (``0%`` holding 1 reads ``100%``); a workbook whose formatting cannot be
read is read without it (values in General format, no merges). Other OLE2 files (a legacy
Word ``.doc``, an encrypted Office file) are errors that say what they are.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from perfkg.extract.containers import OLE2_MAGIC
from perfkg.extract.containers.grid import DocumentBuilder, cell_text, grid_rows, sheet_cells
from perfkg.extract.containers.number_format import format_value, serial_to_datetime
from perfkg.extract.reader import ReadError
from perfkg.extract.source_model import SourceDocument

NAME = "xls"
SUFFIXES = (".xls", ".xlt")


def sniff(data: bytes) -> bool:
    """An OLE2 compound document (what a BIFF workbook is stored in)."""
    return data.startswith(OLE2_MAGIC)


def _open(path: Path, data: bytes):
    import xlrd

    try:
        return xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=False)
    except NotImplementedError:
        pass  # formatting records this xlrd cannot parse: read the values alone
    except xlrd.XLRDError as exc:
        raise ReadError(_explain(path, data, exc)) from None
    except Exception as exc:
        raise ReadError(f"{path}: not a readable XLS workbook (truncated or corrupt: "
                        f"{type(exc).__name__}: {exc})") from None
    try:
        return xlrd.open_workbook(file_contents=data, formatting_info=False)
    except Exception as exc:
        raise ReadError(f"{path}: not a readable XLS workbook ({type(exc).__name__}: {exc})") from None


def _explain(path: Path, data: bytes, exc: Exception) -> str:
    head = data[:1 << 16]
    if "EncryptedPackage".encode("utf-16-le") in head or "encrypt" in str(exc).lower():
        return f"{path}: the workbook is password-protected (encrypted); save an unprotected copy first"
    if "WordDocument".encode("utf-16-le") in head:
        return f"{path}: a legacy Word .doc file, which is not read; save it as DOCX first"
    if not data.startswith(OLE2_MAGIC):
        return f"{path}: not an XLS workbook ({exc})"
    return f"{path}: not a readable XLS workbook ({exc})"


def _text(book, sheet, r: int, c: int) -> str:
    import xlrd

    cell = sheet.cell(r, c)
    kind, value = cell.ctype, cell.value
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if kind == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(value, "#ERR")
    if kind == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if value else "FALSE"
    if kind == xlrd.XL_CELL_TEXT:
        return cell_text(value)
    fmt = None
    if book.formatting_info:
        xf = book.xf_list[cell.xf_index]
        fmt_record = book.format_map.get(xf.format_key)
        fmt = fmt_record.format_str if fmt_record is not None else None
    if kind == xlrd.XL_CELL_DATE:
        try:
            value = serial_to_datetime(value, book.datemode == 1)
        except (OverflowError, ValueError):
            pass
        if fmt is None or fmt.lower() == "general":
            fmt = "yyyy-mm-dd"
    return cell_text(format_value(value, fmt, book.datemode == 1))


def _cell_names(sheet: str) -> Callable[[int, int], str]:
    """Where a cell of ``sheet`` is, as a workbook names it (``Sheet1!B4``)."""
    from xlrd.formula import colname

    return lambda r, c: f"{sheet}!{colname(c)}{r + 1}"


def read(path: Path, data: bytes, sha256: str) -> SourceDocument:
    """Every sheet of the workbook as a grid table."""
    book = _open(path, data)
    out = DocumentBuilder(path.name, NAME, sha256)
    for sheet in book.sheets():
        texts = {(r, c): t for r in range(sheet.nrows) for c in range(sheet.ncols)
                 if (t := _text(book, sheet, r, c))}
        # xlrd's merged ranges are half-open (rlo, rhi, clo, chi).
        merges = [(rlo, clo, rhi - 1, chi - 1) for rlo, rhi, clo, chi in getattr(sheet, "merged_cells", ()) or ()]
        placed, n_rows = sheet_cells(texts, merges, _cell_names(sheet.name))
        if not placed:
            continue
        out.rows(grid_rows(placed, n_rows, out.new_table(), lambda r, c: "", fold=False))
    return out.doc
