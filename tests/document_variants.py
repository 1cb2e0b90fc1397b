"""Re-typeset seed documents as other converters would print them (for robustness tests).

Each function takes a document's text and returns the same tables in another container:
pipe tables, one cell per line, traditional characters. The gold records stay valid.
"""
from __future__ import annotations

import opencc


def _table_cells(line: str) -> list[str] | None:
    s = line.strip()
    if s.startswith("|"):
        return s.strip("|").split("|")
    if "\t" in line:
        return line.split("\t")
    return None


def as_pipe_tables(text: str) -> str:
    """Tab-separated rows become markdown pipe rows (cells and blanks kept in place)."""
    out = []
    for line in text.split("\n"):
        cells = line.split("\t") if "\t" in line else None
        out.append("| " + " | ".join(cells) + " |" if cells else line)
    return "\n".join(out)


def as_cell_per_line(text: str) -> str:
    """Every non-empty table cell on a line of its own, blank-line separated (saved web pages)."""
    out = []
    for line in text.split("\n"):
        cells = _table_cells(line)
        if cells is None:
            out.append(line)
            continue
        for cell in cells:
            if cell.strip() and not set(cell.strip()) <= set("-:"):
                out += [cell.strip(), ""]
    return "\n".join(out)


def as_traditional(text: str) -> str:
    """The document printed in traditional characters (OpenCC s2t)."""
    return opencc.OpenCC("s2t").convert(text)
