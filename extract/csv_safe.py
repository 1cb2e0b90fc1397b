"""CSV for spreadsheets: cells that a spreadsheet would run as formulas are neutralised (OWASP).

A cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to
Excel, LibreOffice and Google Sheets (``=HYPERLINK(…)``, ``@SUM(…)``, ``-2+3+cmd|…``), so it is
written with a leading apostrophe, as OWASP's CSV-injection guidance recommends; the apostrophe
is not shown by a spreadsheet. A plain number (``-5``, ``+3.5``) is left alone: it is no formula.
``raw=True`` writes every cell as it is (for programs, not spreadsheets); ``excel=True`` adds the
UTF-8 byte-order mark Excel needs to read UTF-8 CSV.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
EXCEL_BOM = "\ufeff"


def neutralise(value: object) -> str:
    """One cell as a spreadsheet may safely open it."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]], raw: bool = False, excel: bool = False) -> str:
    """A CSV document: ``header`` then ``rows``; cells neutralised unless ``raw``; BOM-led when ``excel``."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    cell = (lambda v: "" if v is None else str(v)) if raw else neutralise
    writer.writerow([cell(h) for h in header])
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return (EXCEL_BOM if excel else "") + buf.getvalue()
