"""The extraction pipeline: a document file to a checked ``DocumentRecord``.

file → ``reader`` → ``segment`` (blocks) → the detected layout's ``parse`` → ``checks``.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from extract import layouts
from extract.checks import check_document
from extract.layouts.base import DocumentContext
from extract.reader import ReadError, read_document, read_source
from extract.records import DocumentRecord, Flag
from extract.text_normalise import simplify_if_traditional
from extract.segment import find_bureau, find_table_blocks, find_year

DOCUMENT_SUFFIXES = (".txt", ".md", ".text", ".csv", ".tsv", ".html", ".htm", ".xhtml", ".pdf", ".xlsx", ".xlsm",
                     ".xls", ".docx")


def extract_text(lines: list[str], source: str) -> DocumentRecord:
    """Records from a document's lines (already decoded)."""
    context = DocumentContext(bureau=find_bureau(lines), year=find_year(lines))
    doc = DocumentRecord(source=source, bureau=context.bureau, year=context.year)
    blocks = find_table_blocks(lines)
    if not blocks:
        doc.flags.append(Flag("no_tables", "no performance-target table (no 一级指标/三级指标 header) found"))
    for block in blocks:
        layout, _ = layouts.choose(block)
        if layout is None:
            doc.flags.append(Flag("layout_unknown", "no layout parser recognises this table", block.header + 1,
                                  block.lines[block.header].strip()[:80]))
            continue
        try:
            result = layout.parse(block, context)
        except Exception as exc:  # a parser bug on one table must not cost the document's other tables
            doc.flags.append(Flag("layout_failed", f"{layout.NAME} could not read this table "
                                  f"({type(exc).__name__}: {exc})", block.header + 1,
                                  block.lines[block.header].strip()[:80]))
            continue
        doc.projects.extend(result.projects)
        doc.flags.extend(result.flags)
    check_document(doc, lines)
    return doc


def extract_document(path: str | Path) -> DocumentRecord:
    """Records of one document file; raises ReadError naming the file when it cannot be read."""
    src = read_source(path)
    # Until the extractor reads grid rows, every row is one line (grid cells joined by tabs).
    doc = extract_text(simplify_if_traditional("\n".join(src.as_lines())).split("\n"), src.name)
    doc.sha256 = src.sha256
    return doc


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and the document files inside directories named (sorted, not recursive into dot-dirs)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in DOCUMENT_SUFFIXES
                              and not any(part.startswith(".") for part in f.relative_to(p).parts)))
        else:
            out.append(p)
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


def extract_paths(paths: Iterable[str | Path], jobs: int = 1) -> Iterator[ExtractionOutcome]:
    """Extract every document, in input order; with ``jobs`` > 1 in that many worker processes."""
    files = expand_paths(paths)
    if jobs <= 1 or len(files) < 2:
        yield from map(extract_one, files)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(extract_one, files, chunksize=max(1, min(32, len(files) // (4 * jobs))))


def source_rows(path: str | Path) -> list:
    """The rows of a document file, in simplified characters (text lines, or container grids)."""
    from extract.source_model import SourceCell, SourceDocument, SourceRow

    try:
        from extract.reader import read_source  # containers (PDF, XLSX, DOCX, HTML grids)
        doc = read_source(path)
    except ImportError:
        src = read_document(path)
        doc = SourceDocument.from_text(src.name, src.text, src.sha256)
    joined = "\n".join(c.text for r in doc.rows for c in r.cells)
    if simplify_if_traditional(joined) is joined:
        return doc.rows
    from extract.text_normalise import to_simplified

    return [SourceRow([SourceCell(to_simplified(c.text), c.where, c.col, c.row_span, c.col_span) for c in r.cells],
                      r.grid, r.table) for r in doc.rows]


def extract_rows(rows: list, source: str) -> DocumentRecord:
    """Records from a document's source rows: cells → tokens → content-model tags → row decoder."""
    import re as _re

    from extract.content_model import tag_tokens
    from extract.row_decoder import decode
    from extract.tokens import tokenise_rows

    tokens = tokenise_rows(rows)
    decoded = decode(tokens, tag_tokens(tokens))
    lines = [r.text for r in rows]
    doc = DocumentRecord(source=source, bureau=decoded.bureau or find_bureau(lines), year=find_year(lines))
    doc.projects = decoded.projects
    doc.flags.extend(decoded.flags)
    starts = [0] + [p.span[1] for p in doc.projects[:-1] if p.span]
    for start, project in zip(starts, doc.projects):
        first = project.indicators[0].span[0] if project.indicators and project.indicators[0].span else start
        head = "".join(lines[max(0, start - 1 if start else 0):first])
        if _re.search(r"整体绩效目标|部门整体|单位整体|整体支出", head):
            project.kind = "department"
    if not doc.projects:
        doc.flags.append(Flag("no_tables", "no performance-target table found"))
    check_document(doc, lines)
    return doc
