"""HTML reader: a web page's tables as grids (rowspan/colspan as spans), its other text as text rows (lxml).

Scripts, styles and comments are dropped before parsing; an unclosed ``<script>`` loses only
its own code, never the tables after it. ``<br>`` and block elements inside a cell are line
breaks in the cell's text. A table nested in a cell is a table of its own whose rows follow the
row holding it; the cell keeps its own text.
"""
from __future__ import annotations

import re
from pathlib import Path

from perfkg.extract.containers.grid import DocumentBuilder, FlowCell, cell_text, grid_rows, place_flowing
from perfkg.extract.reader import ReadError, decode_text
from perfkg.extract.records import Flag
from perfkg.extract.source_model import SourceDocument

NAME = "html"
SUFFIXES = (".html", ".htm", ".xhtml")

_MARKUP = re.compile(rb"<!doctype\s+html|<html[\s>]|<body[\s>]|<table[\s>]", re.I)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_CLOSED_CODE = re.compile(r"<(script|style|template)\b[^>]*>.*?</\1\s*>", re.I | re.S)
# An unclosed code element runs, as far as we can tell, to the next thing that looks like a tag.
_OPEN_CODE = re.compile(r"<(script|style|template)\b[^>]*>.*?(?=<[a-zA-Z!/]|\Z)", re.I | re.S)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>")
_BLOCKS = frozenset("address article aside blockquote body caption center dd details dialog div dl dt "
                    "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr html li main nav "
                    "ol p pre section summary title ul tr".split())
_SKIP = frozenset(("script", "style", "template"))


def sniff(data: bytes) -> bool:
    """HTML markup near the start of the file (a saved web page, whatever its name)."""
    head = data[:4096]
    for bom, enc in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            head = head.decode(enc, "ignore").encode("utf-8")
    return bool(_MARKUP.search(head))


# The HTML standard's own bounds on spans (browsers clamp there too).
MAX_COLSPAN, MAX_ROWSPAN = 1000, 65534


def _span(value: str | None, default: int = 1, limit: int = MAX_COLSPAN) -> int:
    m = re.match(r"\s*(\d+)", value or "")
    return min(int(m.group(1)[:12]), limit) if m else default


class _Reader:
    def __init__(self, out: DocumentBuilder) -> None:
        self.out = out
        self.line: list[str] = []
        self.texts = 0
        self.flags: list[Flag] = []

    # Text outside tables -------------------------------------------------------------------
    def flush(self) -> None:
        text = " ".join("".join(self.line).split())
        self.line = []
        if text:
            self.texts += 1
            self.out.text(text, f"text {self.texts}")

    def walk(self, el) -> None:
        tag = el.tag if isinstance(el.tag, str) else None
        if tag is None:  # comments, processing instructions
            return
        tag = tag.lower()
        if tag in _SKIP:
            return
        if tag == "table":
            self.flush()
            self.table(el)
            return
        if tag == "br":
            self.flush()
            return
        block = tag in _BLOCKS
        if block:
            self.flush()
        if el.text:
            self.line.append(el.text)
        for child in el:
            self.walk(child)
            if child.tail:
                self.line.append(child.tail)
        if block:
            self.flush()

    def _flag_clamped(self, td, row: int, col: int) -> None:
        for attr, limit in (("colspan", MAX_COLSPAN), ("rowspan", MAX_ROWSPAN)):
            m = re.match(r"\s*(\d+)", td.get(attr) or "")
            if m and len(m.group(1)) > 12 or m and int(m.group(1)) > limit:
                self.flags.append(Flag("span_clamped", f"table {self.out.tables} r{row + 1}c{col + 1}: "
                                       f"{attr}={m.group(1)[:20]} clamped to {limit}"))

    # Tables ------------------------------------------------------------------------------
    def table(self, table) -> None:
        for caption in table.findall("caption"):
            self.walk(caption)
        trs = [tr for tr in _rows(table)]
        rows: list[list[FlowCell]] = []
        nested: list[list] = []
        for tr in trs:
            cells: list[FlowCell] = []
            inner: list = []
            for td in tr:
                if not isinstance(td.tag, str) or td.tag.lower() not in ("td", "th"):
                    continue
                parts: list[str] = []
                _cell_text(td, parts, inner)
                row_span = _span(td.get("rowspan"), limit=MAX_ROWSPAN)
                col_span = _span(td.get("colspan")) or 1
                self._flag_clamped(td, len(rows), len(cells))
                cells.append(FlowCell(cell_text("".join(parts)), row_span, col_span))
            rows.append(cells)
            nested.append(inner)
        index = self.out.new_table()
        grid = grid_rows(place_flowing(rows), len(rows), index,
                         lambda r, c: f"table {index + 1} r{r + 1}c{c + 1}")
        for row, inner in zip(grid, nested):
            self.out.rows([row])
            for inner_table in inner:
                self.table(inner_table)


def _rows(table) -> list:
    """The table's own rows: direct, or in thead/tbody/tfoot (not those of nested tables)."""
    out = []
    for child in table:
        if not isinstance(child.tag, str):
            continue
        tag = child.tag.lower()
        if tag == "tr":
            out.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            out.extend(tr for tr in child if isinstance(tr.tag, str) and tr.tag.lower() == "tr")
    return out


def _cell_text(el, parts: list[str], nested: list) -> None:
    """A cell's text into ``parts`` (breaks as newlines); its nested tables into ``nested``."""
    if el.text:
        parts.append(" ".join(el.text.split("\n")))
    for child in el:
        tag = child.tag.lower() if isinstance(child.tag, str) else None
        if tag == "table":
            nested.append(child)
            parts.append("\n")
        elif tag == "br":
            parts.append("\n")
        elif tag is not None and tag not in _SKIP:
            block = tag in _BLOCKS
            if block:
                parts.append("\n")
            _cell_text(child, parts, nested)
            if block:
                parts.append("\n")
        if child.tail:
            parts.append(" ".join(child.tail.split("\n")))


def clean_markup(html: str) -> str:
    """The page without comments, scripts, styles and templates (an unclosed one ends at the next tag)."""
    html = _XML_DECL.sub("", html)
    html = _COMMENT.sub("", html)
    html = _CLOSED_CODE.sub("", html)
    return _OPEN_CODE.sub("", html)


def read(path: Path, data: bytes, sha256: str) -> SourceDocument:
    """The page at ``path``: tables as grids, other text as text rows."""
    import lxml.html
    from lxml import etree

    decoded = decode_text(data, str(path))
    text = decoded.text
    try:
        # huge_tree: libxml2 otherwise silently drops everything nested deeper than 256 elements.
        parser = lxml.html.HTMLParser(huge_tree=True)
        root = lxml.html.document_fromstring(clean_markup(text) or "<html></html>", parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ReadError(f"{path}: not a readable HTML page ({exc})") from None
    out = DocumentBuilder(path.name, NAME, sha256)
    reader = _Reader(out)
    try:
        reader.walk(root)
    except RecursionError:
        raise ReadError(f"{path}: elements nested too deeply to read") from None
    reader.flush()
    out.doc.flags[:0] = decoded.flags + reader.flags
    return out.doc
