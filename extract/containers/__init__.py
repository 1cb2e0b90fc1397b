"""The container registry: which reader reads a file, chosen by its bytes first and its suffix second.

Each container module exposes ``NAME``, ``SUFFIXES``, ``sniff(data) -> bool`` and
``read(path, data, sha256) -> SourceDocument``. :func:`choose` asks every reader's ``sniff``
first, so a workbook saved as ``.txt`` or a PDF without a suffix is still read for what it is;
only when no reader recognises the bytes does the suffix name one (whose ``read`` then explains
what is wrong with the file, e.g. a truncated workbook). ``None`` means plain text.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Callable

from perfkg.extract.source_model import SourceDocument

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound document: .xls, old .doc, encrypted OOXML


@dataclass(frozen=True)
class Container:
    name: str
    suffixes: tuple[str, ...]
    sniff: Callable[[bytes], bool]
    read: Callable[[Path, bytes, str], SourceDocument]


def _from_module(module: ModuleType) -> Container:
    return Container(module.NAME, tuple(module.SUFFIXES), module.sniff, module.read)


def _registry() -> list[Container]:
    # Imported here: the readers import extract.reader, which imports this registry.
    from perfkg.extract.containers import docx, html, pdf, xls, xlsx

    return [_from_module(m) for m in (pdf, xlsx, docx, xls, html)]


_CONTAINERS: list[Container] | None = None


def containers() -> list[Container]:
    """The registered container readers, in sniffing order."""
    global _CONTAINERS
    if _CONTAINERS is None:
        _CONTAINERS = _registry()
    return list(_CONTAINERS)


def suffixes() -> tuple[str, ...]:
    """Every suffix a container reader claims."""
    return tuple(s for c in containers() for s in c.suffixes)


def choose(path: Path, data: bytes) -> Container | None:
    """The reader for these bytes (sniffed), else the one the suffix names, else None (text)."""
    for container in containers():
        if container.sniff(data):
            return container
    suffix = path.suffix.lower()
    for container in containers():
        if suffix in container.suffixes:
            return container
    return None
