"""Separators of the generator: rows of cells printed as text the way real documents print them.

Tabs; pipes (outer pipes or not, markdown rules, ``| |||`` padding); runs of spaces or columns
aligned by display width; columns aligned with long cells wrapped onto the next lines at their
column's offset (a PDF printed with its layout); a PDF's text in reading order (a wrapped cell one
piece per line, short cells of a row on one line, spaces between Chinese and digits); single
spaces; one cell per line (sometimes ending `` |``); one cell per paragraph; cells run together
with no separator. A cell holding a newline is a cell wrapped over two lines. Outline documents are
already text lines (``tables.outline_items``).
"""
from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable

from perfkg.extract.synth.tables import Item

SEPARATORS = ("tab", "pipe", "pipe_bare", "pipe_markdown", "pipe_padded", "space_runs", "space_aligned",
              "single_space", "cell_per_line", "cell_per_line_bar", "cell_per_paragraph", "run_together",
              "outline", "outline_indent", "space_wrapped", "wrapped_lines")


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _is_table(item: Item) -> bool:
    return item.role in ("meta", "header", "ind", "other")


def _physical(cells: list[str]) -> list[list[str]]:
    """A row whose cells hold newlines as several physical lines (wrapped cells)."""
    parts = [c.split("\n") for c in cells]
    height = max((len(p) for p in parts), default=1)
    return [[p[k] if k < len(p) else "" for p in parts] for k in range(height)]


def _flat(cell: str, joiner: str = "") -> str:
    return cell.replace("\n", joiner)


def render(items: list[Item], separator: str, rng: random.Random) -> str:
    """The text of ``items`` printed with ``separator``."""
    fn = {"tab": _tab, "pipe": _pipe, "pipe_bare": _pipe, "pipe_markdown": _pipe, "pipe_padded": _pipe,
          "space_runs": _space_runs, "space_aligned": _aligned, "single_space": _single,
          "cell_per_line": _per_line, "cell_per_line_bar": _per_line, "cell_per_paragraph": _per_paragraph,
          "run_together": _run_together, "outline": _text_only, "outline_indent": _text_only,
          "space_wrapped": _wrapped_aligned, "wrapped_lines": _wrapped_lines}[separator]
    return fn(items, separator, rng)


def _blocks(items: list[Item]) -> list[tuple[bool, list[Item]]]:
    """Consecutive table rows grouped, text lines alone."""
    out: list[tuple[bool, list[Item]]] = []
    for it in items:
        table = _is_table(it)
        if out and out[-1][0] and table:
            out[-1][1].append(it)
        else:
            out.append((table, [it]))
    return out


def _text_only(items: list[Item], separator: str, rng: random.Random) -> str:
    joiner = "\n\n" if separator == "outline" and rng.random() < 0.6 else "\n"
    return joiner.join(" ".join(c for c in it.cells if c) for it in items) + "\n"


def _tab(items: list[Item], separator: str, rng: random.Random) -> str:
    strip = rng.random() < 0.6
    lines = []
    for it in items:
        if not _is_table(it):
            lines.append(" ".join(it.cells))
            continue
        for phys in _physical(it.cells):
            line = "\t".join(phys)
            lines.append(line.rstrip("\t") if strip else line)
    return "\n".join(lines) + "\n"


def _pipe(items: list[Item], separator: str, rng: random.Random) -> str:
    lines = []
    for table, block in _blocks(items):
        if not table:
            lines += [" ".join(it.cells) for it in block]
            continue
        width = max(len(it.cells) for it in block)
        ruled = False
        for it in block:
            cells = [_flat(c, " ") for c in it.cells]
            if separator == "pipe_markdown":
                cells = cells + [""] * (width - len(cells))
                lines.append("| " + " | ".join(cells) + " |")
                if not ruled:
                    lines.append("|" + "---|" * width)
                    ruled = True
            elif separator == "pipe_padded":
                lines.append("| " + " | ".join(cells) + " |" + "|" * (width - len(cells)))
            elif separator == "pipe_bare":
                lines.append(" | ".join(cells))
            else:
                lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _row_lines(items: list[Item], render: Callable[[list[str]], str]) -> str:
    """Prose items as they are, every physical row of a table item as ``render(cells)``."""
    lines = []
    for it in items:
        if not _is_table(it):
            lines.append(" ".join(it.cells))
            continue
        lines += [render(phys) for phys in _physical(it.cells)]
    return "\n".join(lines) + "\n"


def _space_runs(items: list[Item], separator: str, rng: random.Random) -> str:
    def render(phys: list[str]) -> str:
        cells = [c for c in phys if c]
        return "".join((" " * rng.randint(2, 5) if k else "") + c for k, c in enumerate(cells))

    return _row_lines(items, render)


def _aligned(items: list[Item], separator: str, rng: random.Random) -> str:
    lines = []
    for table, block in _blocks(items):
        if not table:
            lines += [" ".join(it.cells) for it in block]
            continue
        meta = [it for it in block if it.role == "meta"]
        if meta:  # the project header is not aligned with the indicator columns
            lines += _space_runs(meta, separator, rng).rstrip("\n").split("\n")
        phys_rows = [p for it in block if it.role != "meta" for p in _physical(it.cells)]
        if not phys_rows:
            continue
        ncols = max(len(p) for p in phys_rows)
        widths = [0] * ncols
        for p in phys_rows:
            for k, c in enumerate(p):
                widths[k] = max(widths[k], display_width(c))
        gap = rng.randint(2, 4)
        for p in phys_rows:
            line = ""
            for k, c in enumerate(p):
                line += c + " " * (widths[k] - display_width(c) + gap)
            lines.append(line.rstrip())
    return "\n".join(lines) + "\n"


def _single(items: list[Item], separator: str, rng: random.Random) -> str:
    return _row_lines(items, lambda phys: " ".join(c for c in phys if c))


def _per_line(items: list[Item], separator: str, rng: random.Random) -> str:
    bar = separator == "cell_per_line_bar"
    lines = []
    for it in items:
        if not _is_table(it):
            lines.append(" ".join(it.cells))
            continue
        if bar:
            lines.append("|")
        blanks = 0
        for c in it.cells:
            if not c:
                blanks += 1
                continue
            for part in c.split("\n"):
                lines.append(part + " |" if bar else part)
        if bar and blanks:
            lines.append("|" * blanks)
    return "\n".join(lines) + "\n"


def _per_paragraph(items: list[Item], separator: str, rng: random.Random) -> str:
    paras = []
    for it in items:
        if not _is_table(it):
            paras.append(" ".join(it.cells))
            continue
        for c in it.cells:
            if c:
                paras.append(c)
    return "\n\n".join(paras) + "\n"


def _run_together(items: list[Item], separator: str, rng: random.Random) -> str:
    one_line = rng.random() < 0.4
    lines = []
    for table, block in _blocks(items):
        if table:
            lines.append("".join(_flat(c) for it in block for c in it.cells))
        else:
            lines += [" ".join(it.cells) for it in block]
    return ("".join(lines) if one_line else "\n".join(lines)) + "\n"


def wrap_pieces(text: str, width: int) -> list[str]:
    """``text`` cut into pieces of at most ``width`` display columns (a digit or Latin run is
    not cut); the pieces join back to ``text``."""
    pieces: list[str] = []
    cur, w = "", 0
    for c in text:
        cw = display_width(c)
        inside_run = cur and cur[-1].isascii() and cur[-1].isalnum() and c.isascii() and c.isalnum()
        if cur and w + cw > width and not inside_run:
            pieces.append(cur)
            cur, w = "", 0
        cur += c
        w += cw
    if cur:
        pieces.append(cur)
    return pieces or [""]


def _wrapped_cells(cells: list[str], caps: list[int]) -> list[list[str]]:
    """Each cell as its wrapped pieces (a cell's own newlines kept)."""
    out = []
    for k, c in enumerate(cells):
        cap = caps[k] if k < len(caps) else 0
        pieces = []
        for part in c.split("\n"):
            pieces += wrap_pieces(part, cap) if cap and display_width(part) > cap else [part]
        out.append(pieces)
    return out


def _wrapped_aligned(items: list[Item], separator: str, rng: random.Random) -> str:
    """Space-aligned columns whose long cells wrap onto the next lines in their own column: a
    continuation line holds only the wrapped pieces, at their columns' offsets."""
    lines = []
    gap = rng.randint(2, 4)
    for table, block in _blocks(items):
        if not table:
            lines += [" ".join(it.cells) for it in block]
            continue
        meta = [it for it in block if it.role == "meta"]
        rows = [it for it in block if it.role != "meta"]
        for group in ([meta] if meta else []) + ([rows] if rows else []):
            ncols = max(len(it.cells) for it in group)
            natural = [0] * ncols
            for it in group:
                for k, c in enumerate(it.cells):
                    natural[k] = max(natural[k], max((display_width(x) for x in c.split("\n")), default=0))
            caps = [rng.choice([10, 12, 14, 16, 20]) if w > 12 else 0 for w in natural]
            phys_rows = []
            for it in group:
                pieces = _wrapped_cells(it.cells, caps)
                height = max((len(p) for p in pieces), default=1)
                phys_rows += [[p[h] if h < len(p) else "" for p in pieces] for h in range(height)]
            widths = [0] * ncols
            for p in phys_rows:
                for k, c in enumerate(p):
                    widths[k] = max(widths[k], display_width(c))
            for p in phys_rows:
                line = ""
                for k, c in enumerate(p):
                    line += c + " " * (widths[k] - display_width(c) + gap)
                lines.append(line.rstrip())
    return "\n".join(lines) + "\n"


_CJK_DIGIT = re.compile(r"(?<=[\u4e00-\u9fff])(?=[0-9])|(?<=[0-9%])(?=[\u4e00-\u9fff])")


def _wrapped_lines(items: list[Item], separator: str, rng: random.Random) -> str:
    """A PDF's text in reading order: the cells of a row in turn, short ones side by side on one
    line, a wrapped cell one piece per line; blank lines after some pieces; lines end in a space;
    a space between Chinese characters and digits (2025 年, ≥12 个)."""
    cap = rng.choice([12, 14, 16, 20, 24])
    digit_space = rng.random() < 0.7
    trail = " " if rng.random() < 0.7 else ""
    lines: list[str] = []
    for it in items:
        if not _is_table(it):
            lines.append(" ".join(it.cells) + trail)
            continue
        current: list[str] = []
        for pieces in _wrapped_cells(it.cells, [cap] * len(it.cells)):
            pieces = [x for x in pieces if x]
            if not pieces:
                continue
            if len(pieces) == 1:
                current.append(pieces[0])
                continue
            if current:
                lines.append(" ".join(current) + trail)
                current = []
                if rng.random() < 0.3:
                    lines.append("")
            lines += [x + trail for x in pieces]
            if rng.random() < 0.35:
                lines.append("")
        if current:
            lines.append(" ".join(current) + trail)
        if rng.random() < 0.25:
            lines.append("")
    text = "\n".join(lines) + "\n"
    return _CJK_DIGIT.sub(" ", text) if digit_space else text
