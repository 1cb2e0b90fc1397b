"""The extraction pipeline: a document file to a checked ``DocumentRecord``.

file → ``reader`` (text lines or container grids: ``SourceDocument``) → ``tokens`` (cells) →
``content_model`` (a tag per token) → ``row_decoder`` (projects and indicators) → ``checks``.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from perfkg.extract.checks import check_document
from perfkg.extract.content_model import tag_tokens
from perfkg.extract.document_facts import choose_bureau, find_year
from perfkg.extract.reader import ReadError, read_source
from perfkg.extract.records import DocumentRecord, Flag
from perfkg.extract.row_decoder import decode
from perfkg.extract.source_model import SourceCell, SourceDocument, SourceRow
from perfkg.extract.text_normalise import simplify_if_traditional, to_simplified
from perfkg.extract.tokens import tokenise_rows

DOCUMENT_SUFFIXES = (".txt", ".md", ".text", ".csv", ".tsv", ".html", ".htm", ".xhtml", ".pdf", ".xlsx", ".xlsm",
                     ".xls", ".docx")
_DEPARTMENT_TITLE = re.compile(r"整体绩效目标|部门整体|单位整体|整体支出")


def simplified(doc: SourceDocument) -> SourceDocument:
    """The document in simplified characters where it is printed in traditional ones."""
    joined = "\n".join(c.text for r in doc.rows for c in r.cells)
    if simplify_if_traditional(joined) is joined:
        return doc
    rows = [SourceRow([SourceCell(to_simplified(c.text), c.where, c.col, c.row_span, c.col_span) for c in r.cells],
                      r.grid, r.table) for r in doc.rows]
    return SourceDocument(doc.name, rows, doc.sha256, doc.container)


def source_rows(path: str | Path) -> list[SourceRow]:
    """The rows of a document file, in simplified characters (text lines, or container grids)."""
    return simplified(read_source(path)).rows


def extract_rows(rows: list[SourceRow], source: str) -> DocumentRecord:
    """Records from a document's source rows: cells → tokens → content-model tags → row decoder."""
    cutting: list[Flag] = []  # lines cut into more cells than the limit
    tokens = tokenise_rows(rows, cutting)
    decoded = decode(tokens, tag_tokens(tokens))
    lines = [r.text for r in rows]
    doc = DocumentRecord(source=source, bureau=choose_bureau(decoded.bureaus, lines), year=find_year(lines))
    doc.projects = decoded.projects
    doc.flags.extend(cutting + decoded.flags)
    start = 0
    for project in doc.projects:
        first = project.indicators[0].span[0] if project.indicators and project.indicators[0].span else start
        if _DEPARTMENT_TITLE.search("".join(lines[start:first])):
            project.kind = "department"
            project.name = project.name or doc.bureau or ""  # a department table is named by its unit
        start = project.span[1] if project.span else first
    if not doc.projects:
        doc.flags.append(Flag("no_tables", "no performance-target table found"))
    check_document(doc, lines)
    return doc


def extract_text(lines: list[str], source: str) -> DocumentRecord:
    """Records from a document's lines (already decoded)."""
    return extract_rows(simplified(SourceDocument.from_text(source, "\n".join(lines))).rows, source)


def extract_document(path: str | Path) -> DocumentRecord:
    """Records of one document file; raises ReadError naming the file when it cannot be read."""
    src = read_source(path)
    doc = extract_rows(simplified(src).rows, src.name)
    return finish_document(doc, src, path)


def finish_document(doc: DocumentRecord, src, path: str | Path) -> DocumentRecord:
    """What every extractor's record gets from the reader: the file's identity and the reader's flags."""
    from perfkg.extract.file_names import display_name, is_clean

    doc.sha256 = src.sha256
    doc.path = display_name(str(path))
    doc.flags[:0] = list(getattr(src, "flags", ()))
    if not is_clean(doc.source):
        doc.flags.insert(0, Flag("file_name_not_utf8",
                                 f"the file name is not UTF-8; read as {display_name(doc.source)}"))
        doc.source = display_name(doc.source)
    return doc


def expand_paths(paths: Iterable[str | Path], errors: list[str] | None = None) -> list[Path]:
    """Files named, and the document files inside directories named (sorted, not into dot-dirs).

    A folder that cannot be listed (no permission) is skipped; when ``errors`` is given, a line
    naming it is appended there, so the caller can say which documents were not read.
    """
    import os

    from perfkg.extract.file_names import shown

    def unreadable(exc: OSError) -> None:
        if errors is not None:
            errors.append(f"{shown(exc.filename)}: cannot read the folder ({exc.strerror or exc}); "
                          "its documents are skipped")

    out: list[Path] = []
    for p in map(Path, paths):
        if not p.is_dir():
            out.append(p)
            continue
        found: list[Path] = []
        for folder, dirs, names in os.walk(p, onerror=unreadable):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            found.extend(Path(folder, n) for n in names
                         if not n.startswith(".") and Path(n).suffix.lower() in DOCUMENT_SUFFIXES
                         and Path(folder, n).is_file())
        out.extend(sorted(found))
    return out


@dataclass
class ExtractionOutcome:
    path: Path
    record: DocumentRecord | None
    error: str | None


def extract_one(path: Path) -> ExtractionOutcome:
    """Extract one document; a failure becomes the outcome's error, naming the file."""
    try:
        return ExtractionOutcome(path, extract_document(path), None)
    except ReadError as exc:
        return ExtractionOutcome(path, None, str(exc))
    except Exception as exc:  # a parser bug on one document must not stop the others
        return ExtractionOutcome(path, None, f"{path}: extraction failed ({type(exc).__name__}: {exc})")


def extract_paths(paths: Iterable[str | Path], jobs: int = 1,
                  isolate: bool | None = None) -> Iterator[ExtractionOutcome]:
    """Extract every document, in input order; with ``jobs`` > 1 (or ``isolate``) in worker processes
    that stop a document past the time and memory limits of ``extract.limits`` (one error, the run goes on)."""
    files = expand_paths(paths)
    if isolate is None:
        isolate = jobs > 1 and len(files) > 1
    if not isolate or not files:
        yield from map(extract_one, files)
        return
    from perfkg.extract.workers import run_isolated

    yield from run_isolated(files, extract_one, lambda path, message: ExtractionOutcome(path, None, message), jobs)
