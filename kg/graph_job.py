"""The build job behind ``perfkg build`` and ``perfkg validate``: documents → validated graph file.

Extract every document (a document that fails is reported and the rest go on), build the
dataset, validate it against the shapes, and write only a conforming graph, atomically.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from extract.pipeline import expand_paths, extract_paths
from extract.records import DocumentRecord
from kg import graph_io
from kg.graph_build import build_dataset
from kg.graph_read import summary
from kg.provenance import DocumentProvenance, build_time, document_provenance
from kg.validate import ValidationReport, validate


@dataclass
class BuildResult:
    records: list[DocumentRecord] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    report: ValidationReport | None = None
    counts: dict[str, int] = field(default_factory=dict)
    written: Path | None = None
    fmt: str = "ttl"

    @property
    def conforms(self) -> bool:
        return self.report is not None and self.report.conforms


def extract_all(files: list[Path]) -> tuple[list[DocumentRecord], list[str]]:
    """Records of every file; errors (naming the file) for those that could not be extracted."""
    records, errors = [], []
    for path in files:
        try:
            for outcome in extract_paths([path]):
                if outcome.error:
                    errors.append(outcome.error)
                else:
                    records.append(outcome.record)
        except Exception as exc:  # an extractor bug must not stop the other documents
            errors.append(f"{path}: extraction failed: {type(exc).__name__}: {exc}")
    return records, errors


def provenance_of(files: list[Path], records: list[DocumentRecord], url: str | None = None,
                  licence: str | None = None) -> dict[str, DocumentProvenance]:
    """Provenance of each record's file by source: reader, build time, URL and licence (sidecar or given)."""
    started = build_time()
    by_name = {}
    for path in files:
        by_name.setdefault(path.name, path)
        by_name.setdefault(str(path), path)
    out = {}
    for record in records:
        path = by_name.get(record.source)
        if path is not None:
            out[record.source] = document_provenance(path, started, url, licence)
        else:
            out[record.source] = DocumentProvenance(started=started, url=url, licence=licence)
    return out


def build_graph_file(paths: list[Path], output: Path | None, fmt: str | None = None,
                     source_url: str | None = None, licence: str | None = None) -> BuildResult:
    """Extract, build, validate and (when the graph conforms) write it to ``output`` or stdout."""
    fmt = fmt or (graph_io.format_for(output) if output is not None else "ttl")
    result = BuildResult(fmt=fmt)
    files = expand_paths(paths)
    result.records, result.errors = extract_all(files)
    ds = build_dataset(result.records, provenance_of(files, result.records, source_url, licence))
    result.report = validate(ds)
    result.counts = {"documents": len(result.records), **summary(ds)}
    if not result.report.conforms:
        return result
    if output is None:
        sys.stdout.write(graph_io.serialise(ds, fmt))
    else:
        graph_io.write_graph(ds, output, fmt)
        result.written = output
    return result


def validate_file(path: Path) -> tuple[ValidationReport, int]:
    """The validation report of a graph file and its triple count; raises GraphFileError naming the file."""
    ds = graph_io.load_dataset(path)
    return validate(ds), len(set(ds.triples((None, None, None))))
