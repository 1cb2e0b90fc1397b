"""The reader: a file's bytes to a ``SourceText`` of numbered lines (first step of the pipeline).

Detects UTF-8 (with or without BOM), UTF-16 (BOM or NUL pattern) and GB18030/GBK; refuses
binary, empty or undecodable input with a :class:`ReadError` naming the file.
:func:`read_source` reads any document, containers (PDF, XLSX, XLS, DOCX, HTML: see
``extract/containers``) included, into a ``SourceDocument`` of rows of cells.
"""
from __future__ import annotations

import codecs
import csv
import io
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from extract.html_text import html_to_text
from extract.source_model import SourceDocument


class ReadError(Exception):
    """Input that cannot be read as a text document; the message names the file."""


@dataclass(frozen=True)
class SourceText:
    path: Path
    text: str
    encoding: str
    sha256: str

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f\v")
    return controls / len(text) > 0.01


def _is_common(c: str) -> bool:
    """A character a Chinese budget document is made of: ASCII, CJK, CJK/full-width punctuation, signs."""
    o = ord(c)
    return (32 <= o < 127 or c in "\t\n\r" or 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF
            or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF or 0x2000 <= o <= 0x22FF or 0x2460 <= o <= 0x25FF
            or 0xA0 <= o <= 0xFF)


def _plausibility(text: str) -> float:
    """Share of common characters in a sample: near 1 for the right decoding, low for a wrong one."""
    sample = text[:20000]
    return sum(map(_is_common, sample)) / len(sample) if sample else 0.0


def decode_bytes(data: bytes, name: str = "<bytes>") -> tuple[str, str]:
    """(text, encoding) for document bytes; raises ReadError when they are not text."""
    if not data.strip():
        raise ReadError(f"{name}: empty file")
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        # Strict UTF-8 is a strong signal; otherwise GB18030 and BOM-less UTF-16 (CJK text in
        # UTF-16 has few NUL bytes) are told apart by how plausible the decoded text is.
        candidates = ["utf-8", "gb18030"] + (["utf-16-le", "utf-16-be"] if len(data) % 2 == 0 else [])
    best: tuple[float, str, str] | None = None
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            continue
        score = 1.0 if encoding in ("utf-8", "utf-8-sig", "utf-16") else _plausibility(text)
        if best is None or score > best[0]:
            best = (score, text, encoding)
        if score == 1.0:
            break
    if best is None or best[0] < 0.8:
        raise ReadError(f"{name}: not a text document (binary or unknown encoding)")
    _, text, encoding = best
    if not text.strip():
        raise ReadError(f"{name}: empty file")
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding


# Containers other than plain text, by file suffix: each turns decoded text into the plain
# text the segmenter reads (tables as tab-separated rows). XLSX, DOCX and PDF go here too.
def csv_to_text(text: str) -> str:
    """A CSV export (e.g. a spreadsheet saved as CSV): rows as tab-separated lines."""
    rows = csv.reader(io.StringIO(text))
    return "\n".join("\t".join(" ".join(cell.split()) for cell in row) for row in rows)


CONTAINERS: dict[str, Callable[[str], str]] = {".html": html_to_text, ".htm": html_to_text, ".csv": csv_to_text}


def read_document(path: str | Path) -> SourceText:
    """Read one document file; errors name the file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"{path}: cannot read ({exc.strerror or exc})") from None
    text, encoding = decode_bytes(data, str(path))
    container = CONTAINERS.get(path.suffix.lower())
    if container is not None:
        text = container(text)
    return SourceText(path=path, text=text, encoding=encoding, sha256=hashlib.sha256(data).hexdigest())


def read_source(path: str | Path) -> SourceDocument:
    """Any document file as rows of cells: a container's tables as grids, a text file as lines.

    The reader is chosen by the file's bytes (``%PDF``, a ZIP package with ``xl/`` or ``word/``,
    an OLE2 workbook, HTML markup), then by its suffix; errors name the file.
    """
    from extract import containers

    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if not data.strip():
        raise ReadError(f"{path}: empty file")
    sha256 = hashlib.sha256(data).hexdigest()
    container = containers.choose(path, data)
    if container is not None:
        return container.read(path, data, sha256)
    text, _ = decode_bytes(data, str(path))
    if path.suffix.lower() == ".csv":
        text = csv_to_text(text)
    return SourceDocument.from_text(path.name, text, sha256)
