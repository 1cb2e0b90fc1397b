"""The reader: a file's bytes to a ``SourceText`` of numbered lines (first step of the pipeline).

Detects UTF-8 (with or without BOM), UTF-16 (BOM or NUL pattern) and GB18030/GBK; refuses
binary, empty or undecodable input with a :class:`ReadError` naming the file.
"""
from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from pathlib import Path


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


def decode_bytes(data: bytes, name: str = "<bytes>") -> tuple[str, str]:
    """(text, encoding) for document bytes; raises ReadError when they are not text."""
    if not data.strip():
        raise ReadError(f"{name}: empty file")
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        # NUL bytes in every other position mean BOM-less UTF-16.
        even, odd = data[0:2000:2].count(0), data[1:2000:2].count(0)
        sample = len(data[:2000]) // 2 or 1
        if odd / sample > 0.3:
            candidates = ["utf-16-le"]
        elif even / sample > 0.3:
            candidates = ["utf-16-be"]
        else:
            candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            break
        return text.replace("\r\n", "\n").replace("\r", "\n"), encoding
    raise ReadError(f"{name}: not a text document (binary or unknown encoding)")


def read_document(path: str | Path) -> SourceText:
    """Read one document file; errors name the file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"{path}: cannot read ({exc.strerror or exc})") from None
    text, encoding = decode_bytes(data, str(path))
    return SourceText(path=path, text=text, encoding=encoding, sha256=hashlib.sha256(data).hexdigest())
