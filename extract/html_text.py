"""HTML container: a saved web page to the text the table grammar reads.

Table rows become tab-separated lines (a cell spanning columns or rows leaves blank cells where
it spans, as PDF converters print merged cells), other block elements become lines of their own. Scripts and
styles are dropped. Only the standard library is used.
"""
from __future__ import annotations

from html.parser import HTMLParser

_BLOCKS = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "caption", "title"}


class _TableText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.text: list[str] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.colspan = 1
        self.rowspan = 1
        self.spans: dict[int, int] = {}  # column → rows still covered by a rowspan from above
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag == "tr":
            self._flush_text()
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
            a = {k: v or "" for k, v in attrs}  # a bare attribute (no value) is ""
            self.colspan = int(a["colspan"]) if a.get("colspan", "").isdigit() else 1
            self.rowspan = int(a["rowspan"]) if a.get("rowspan", "").isdigit() else 1
            self._skip_spanned()
        elif tag in _BLOCKS and self.cell is None:
            self._flush_text()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in ("td", "th") and self.row is not None and self.cell is not None:
            if self.rowspan > 1:
                for k in range(len(self.row), len(self.row) + self.colspan):
                    self.spans[k] = self.rowspan
            self.row.append(" ".join("".join(self.cell).split()))
            self.row.extend([""] * (self.colspan - 1))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self._skip_spanned()
            self.lines.append("\t".join(self.row).rstrip("\t"))
            self.spans = {k: n - 1 for k, n in self.spans.items() if n > 1}
            self.row = None
        elif tag == "table":
            self.lines.append("")
            self.spans = {}
        elif tag in _BLOCKS and self.cell is None:
            self._flush_text()

    def _skip_spanned(self) -> None:
        # A cell merged from a row above stays blank here, as converters print merged cells.
        while self.row is not None and self.spans.get(len(self.row), 0) > 0:
            self.row.append("")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        (self.cell if self.cell is not None else self.text).append(data)

    def _flush_text(self) -> None:
        text = " ".join("".join(self.text).split())
        if text:
            self.lines.append(text)
        self.text = []


def html_to_text(html: str) -> str:
    """The page's text: one line per block, one tab-separated line per table row."""
    parser = _TableText()
    parser.feed(html)
    parser.close()
    parser._flush_text()
    return "\n".join(parser.lines)
