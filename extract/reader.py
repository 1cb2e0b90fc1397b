"""The reader: a file's bytes to a ``SourceText`` of numbered lines (first step of the pipeline).

Detects UTF-8 (with or without BOM), UTF-16 (BOM or NUL pattern) and GB18030/GBK. Reading loses
nothing it can keep: an undecodable byte, a NUL or a stray control character is replaced (or
dropped) and flagged with its byte offset and line, a truncated last character likewise; only a
file that is mostly binary, or empty, is refused, with a :class:`ReadError` naming the file (and
the byte where binary data starts). :func:`read_source` reads any document, containers (PDF,
XLSX, XLS, DOCX, HTML: see ``extract/containers``) included, into a ``SourceDocument`` of rows
of cells, within the size limits of ``extract.limits``.
"""
from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from perfkg.errors import PerfkgError
from perfkg.extract import limits as _limits
from perfkg.extract.html_text import html_to_text
from perfkg.extract.records import Flag
from perfkg.extract.source_model import SourceCell, SourceDocument, SourceRow

MAX_FLAGS = 10  # flags of one kind per document; the last one counts the rest
# A file is binary when more than this share of its bytes are undecodable or control characters.
BINARY_SHARE = 0.05
BINARY_MIN = 16  # … and more than this many (a short file with one bad byte is still text)
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")  # \t \n \f \r are layout, not noise


class ReadError(PerfkgError):
    """Input that cannot be read as a text document; the message names the file."""


@dataclass(frozen=True)
class SourceText:
    path: Path
    text: str
    encoding: str
    sha256: str
    flags: tuple[Flag, ...] = field(default=(), compare=False)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


@dataclass
class Decoded:
    """Decoded document text, its encoding, and the flags of what had to be replaced."""

    text: str
    encoding: str
    flags: list[Flag]


def _is_common(c: str) -> bool:
    """A character a Chinese budget document is made of: ASCII, CJK, CJK/full-width punctuation, signs."""
    o = ord(c)
    return (32 <= o < 127 or c in "\t\n\r" or 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF
            or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF or 0x2000 <= o <= 0x22FF or 0x2460 <= o <= 0x25FF
            or 0xA0 <= o <= 0xFF)


def _plausibility(text: str) -> float:
    """Share of common characters in a sample: near 1 for the right decoding, low for a wrong one."""
    sample = text[:20000].replace("\ufffd", "")
    return sum(map(_is_common, sample)) / len(sample) if sample else 0.0


class _TooManyErrors(Exception):
    pass


_ERRORS: list[list[tuple[int, int]]] = []  # stack of error lists of the decodes in progress


def _record_error(exc: UnicodeError) -> tuple[str, int]:
    assert isinstance(exc, UnicodeDecodeError)  # registered for decoding only
    errors = _ERRORS[-1]
    errors.append((exc.start, exc.end))
    if len(errors) > _ERRORS_CAP[-1]:
        raise _TooManyErrors
    return "\ufffd", exc.end


codecs.register_error("perfkg-record", _record_error)
_ERRORS_CAP: list[int] = []


def _decode(data: bytes, encoding: str, cap: int) -> tuple[str, list[tuple[int, int]]] | None:
    """Text and the byte ranges replaced, or None when more than ``cap`` ranges are bad."""
    _ERRORS.append([])
    _ERRORS_CAP.append(cap)
    try:
        text = data.decode(encoding, errors="perfkg-record")
        return text, _ERRORS[-1]
    except _TooManyErrors:
        return None
    finally:
        _ERRORS.pop()
        _ERRORS_CAP.pop()


def _non_ascii(data: bytes) -> int:
    return len(data.translate(None, bytes(range(128))))


def _bad_budget(n: int) -> int:
    return max(BINARY_MIN, int(n * BINARY_SHARE))


def _first_binary_byte(data: bytes) -> int:
    """Offset of the first byte that is neither text-like ASCII nor part of a UTF-8 sequence."""
    m = re.search(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]", data)
    first = m.start() if m else len(data)
    try:
        data[:first].decode("utf-8")
    except UnicodeDecodeError as exc:
        first = exc.start
    return first if first < len(data) else 0


def decode_text(data: bytes, name: str = "<bytes>") -> Decoded:
    """Document bytes as text, tolerating damage: replaced bytes and controls come back as flags.

    Raises ReadError (naming ``name``) when the bytes are empty or mostly binary.
    """
    if not data.strip():
        raise ReadError(f"{name}: empty file")
    budget = _bad_budget(len(data))
    if data.startswith(codecs.BOM_UTF8):
        candidates, bom = ["utf-8"], len(codecs.BOM_UTF8)
    elif data.startswith(codecs.BOM_UTF16_LE):
        candidates, bom = ["utf-16-le"], 2
    elif data.startswith(codecs.BOM_UTF16_BE):
        candidates, bom = ["utf-16-be"], 2
    else:
        # UTF-8 with (almost) no errors is a strong signal; otherwise GB18030 and BOM-less UTF-16
        # (CJK text in UTF-16 has few NUL bytes) are told apart by how plausible the text is.
        candidates, bom = ["utf-8", "gb18030", "utf-16-le", "utf-16-be"], 0
    body = data[bom:]
    best: tuple[float, str, str, list[tuple[int, int]]] | None = None
    for encoding in candidates:
        decoded = _decode(body, encoding, budget)
        if decoded is None:
            continue
        text, errors = decoded
        controls = len(_CONTROLS.findall(text, 0, 200_000))
        bad = sum(e - s for s, e in errors) + controls
        if bad > budget:
            continue
        # UTF-8 wrongly applied to GBK fails on nearly every non-ASCII byte; a damaged UTF-8 file on few.
        if encoding == "utf-8" and (bom or bad <= _non_ascii(body) // 50):
            best = (2.0, text, encoding, errors)  # (nearly) clean UTF-8: nothing else reads it better
            break
        score = (1.0 if bom else _plausibility(text)) - bad / max(1, len(body))
        if best is None or score > best[0]:
            best = (score, text, encoding, errors)
    if best is None or best[0] < 0.8:
        offset = _first_binary_byte(data)
        raise ReadError(f"{name}: not a text document (binary or unknown encoding; binary data at byte {offset})")
    _, text, encoding, errors = best
    flags = _error_flags(data, bom, encoding, errors) + []
    text, control_flags = _clean_controls(text, encoding, bom)
    flags += control_flags
    if not text.strip():
        raise ReadError(f"{name}: empty file")
    shown = {"utf-8": "utf-8-sig" if bom else "utf-8", "utf-16-le": "utf-16" if bom else "utf-16-le",
             "utf-16-be": "utf-16" if bom else "utf-16-be"}.get(encoding, encoding)
    return Decoded(text.replace("\r\n", "\n").replace("\r", "\n"), shown, flags)


def decode_bytes(data: bytes, name: str = "<bytes>") -> tuple[str, str]:
    """(text, encoding) for document bytes; raises ReadError when they are not text (see decode_text)."""
    decoded = decode_text(data, name)
    return decoded.text, decoded.encoding


def _line_at(data: bytes, offset: int, encoding: str) -> int:
    newline = "\n".encode(encoding)
    return data.count(newline, 0, offset) + 1


def _error_flags(data: bytes, bom: int, encoding: str, errors: list[tuple[int, int]]) -> list[Flag]:
    flags = []
    for start, end in errors[:MAX_FLAGS]:
        offset = start + bom
        flags.append(Flag("undecodable_bytes", f"byte {offset}: {data[offset:end + bom].hex(' ')} is not valid "
                          f"{encoding}; read as U+FFFD", _line_at(data, offset, encoding)))
    if len(errors) > MAX_FLAGS:
        flags[-1].message += f" ({len(errors) - MAX_FLAGS} more such places not listed)"
    return flags


def _clean_controls(text: str, encoding: str, bom: int) -> tuple[str, list[Flag]]:
    """NULs dropped, other control characters read as spaces, each place flagged (byte offset, line)."""
    if not _CONTROLS.search(text):
        return text, []
    flags: list[Flag] = []
    found = 0
    for m in _CONTROLS.finditer(text):
        found += 1
        if found <= MAX_FLAGS:
            i = m.start()
            offset = bom + len(text[:i].encode(encoding, "replace"))
            flags.append(Flag("control_characters", f"byte {offset}: control character U+{ord(m.group()):04X} "
                              + ("dropped" if m.group() == "\x00" else "read as a space"),
                              text.count("\n", 0, i) + 1))
    if found > MAX_FLAGS:
        flags[-1].message += f" ({found - MAX_FLAGS} more not listed)"
    return _CONTROLS.sub(lambda m: "" if m.group() == "\x00" else " ", text), flags


# Containers other than plain text, by file suffix: each turns decoded text into the plain
# text the segmenter reads (tables as tab-separated rows). XLSX, DOCX and PDF go here too.
def csv_to_text(text: str) -> str:
    """A CSV export (e.g. a spreadsheet saved as CSV): rows as tab-separated lines."""
    return _csv_to_text(text, [])


def _csv_to_text(text: str, flags: list[Flag]) -> str:
    # A cell may be as long as a line may be; the csv module's own limit (128 KiB) is lower.
    csv.field_size_limit(max(csv.field_size_limit(), _limits.current().max_line_chars + 1))
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:  # a cell over the limit, a NUL the csv module refuses, …
        flags.append(Flag("csv_unreadable", f"not readable as CSV ({exc}); read as text lines"))
        return text
    return "\n".join("\t".join(" ".join(cell.split()) for cell in row) for row in rows)


CONTAINERS: dict[str, Callable[[str], str]] = {".html": html_to_text, ".htm": html_to_text, ".csv": csv_to_text}


def _read_bytes(path: Path) -> bytes:
    limit = _limits.current().max_document_bytes
    try:
        size = path.stat().st_size
        if size > limit:
            raise ReadError(f"{path}: {size / 2**20:.1f} MB, over the limit of {limit / 2**20:.0f} MB per document "
                            "(raise it with --max-document-mb or PERFKG_MAX_DOCUMENT_MB)")
        return path.read_bytes()
    except OSError as exc:
        raise ReadError(f"{path}: cannot read ({exc.strerror or exc})") from None


def read_document(path: str | Path) -> SourceText:
    """Read one document file; errors name the file."""
    path = Path(path)
    data = _read_bytes(path)
    decoded = decode_text(data, str(path))
    text, flags = decoded.text, decoded.flags
    container = CONTAINERS.get(path.suffix.lower())
    if container is csv_to_text:
        text = _csv_to_text(text, flags)
    elif container is not None:
        text = container(text)
    return SourceText(path=path, text=text, encoding=decoded.encoding, sha256=hashlib.sha256(data).hexdigest(),
                      flags=tuple(flags))


def read_source(path: str | Path) -> SourceDocument:
    """Any document file as rows of cells: a container's tables as grids, a text file as lines.

    The reader is chosen by the file's bytes (``%PDF``, a ZIP package with ``xl/`` or ``word/``,
    an OLE2 workbook, HTML markup), then by its suffix; errors name the file. Lines (cells)
    longer than the line limit are cut and flagged.
    """
    from perfkg.extract import containers

    path = Path(path)
    data = _read_bytes(path)
    if not data.strip():
        raise ReadError(f"{path}: empty file")
    sha256 = hashlib.sha256(data).hexdigest()
    container = containers.choose(path, data)
    if container is not None:
        doc = container.read(path, data, sha256)
    else:
        decoded = decode_text(data, str(path))
        text = _csv_to_text(decoded.text, decoded.flags) if path.suffix.lower() == ".csv" else decoded.text
        doc = SourceDocument.from_text(path.name, text, sha256)
        doc.flags[:0] = decoded.flags
    _cut_long_cells(doc, _limits.current().max_line_chars)
    return doc


def _cut_long_cells(doc: SourceDocument, limit: int) -> None:
    cut = 0
    for n, row in enumerate(doc.rows, 1):
        if not any(len(c.text) > limit for c in row.cells):
            continue
        cells = []
        for c in row.cells:
            if len(c.text) > limit:
                cut += 1
                if cut <= MAX_FLAGS:
                    doc.flags.append(Flag("line_too_long", f"{c.where}: {len(c.text)} characters, cut at the "
                                          f"limit of {limit} (PERFKG_MAX_LINE_CHARS)", n, c.text[:40]))
                c = SourceCell(c.text[:limit], c.where, c.col, c.row_span, c.col_span)
            cells.append(c)
        doc.rows[n - 1] = SourceRow(cells, row.grid, row.table)
