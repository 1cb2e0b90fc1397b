"""The build job behind ``perfkg build`` and ``perfkg validate``: documents → validated graph file.

Extract every document in worker processes (a document that fails is reported and the rest go
on), build the dataset, validate it against the shapes, leave out (and report) each document
whose graph violates them, and write the graph of the others atomically.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from perfkg.extract.file_names import shown
from perfkg.extract.pipeline import expand_paths, extract_paths
from perfkg.extract.records import DocumentRecord
from perfkg.kg import graph_io, iris
from perfkg.kg.graph_build import build_dataset
from perfkg.kg.graph_read import summary
from perfkg.kg.provenance import DocumentProvenance, build_time, document_provenance
from perfkg.kg.validate import ValidationReport, validate


@dataclass
class BuildResult:
    records: list[DocumentRecord] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    report: ValidationReport | None = None
    counts: dict[str, int] = field(default_factory=dict)
    written: Path | None = None
    fmt: str = "ttl"
    left_out: list[str] = field(default_factory=list)  # documents whose graph failed the shapes

    @property
    def conforms(self) -> bool:
        return self.report is not None and self.report.conforms


def extract_all(files: list[Path]) -> tuple[list[DocumentRecord], list[str]]:
    """Records of every file; errors (naming the file) for those that could not be extracted.

    Each document is read in a worker process within the limits of ``extract.limits``, so one
    that hangs, exhausts memory or crashes its worker is one error and the others go on.
    """
    records, errors = [], []
    try:
        for outcome in extract_paths(files, isolate=True):
            if outcome.error:
                errors.append(outcome.error)
            elif outcome.record is not None:
                records.append(outcome.record)
    except Exception as exc:  # an extractor bug must not cost the documents already read
        errors.append(f"extraction stopped: {type(exc).__name__}: {exc}")
    return records, errors


def provenance_of(files: list[Path], records: list[DocumentRecord], url: str | None = None,
                  licence: str | None = None) -> dict[str, DocumentProvenance]:
    """Provenance of each record's file by source: reader, build time, URL and licence (sidecar or given)."""
    started = build_time()
    by_name: dict[str, Path] = {}
    for path in files:
        by_name.setdefault(path.name, path)
        by_name.setdefault(str(path), path)
    out = {}
    for record in records:
        found = by_name.get(record.source)
        if found is not None:
            out[record.source] = document_provenance(found, started, url, licence)
        else:
            out[record.source] = DocumentProvenance(started=started, url=url, licence=licence)
    return out


def _owner_of(ds, records: list[DocumentRecord]) -> dict[str, DocumentRecord]:
    """Subject (as the report prints it, ``<iri>``) → the document whose graph states it."""
    owner: dict[str, DocumentRecord] = {}
    for record in records:
        for subject in set(ds.graph(iris.graph_iri(record)).subjects()):
            owner.setdefault(f"<{subject}>", record)
    return owner


def _line_of(ds, node: str) -> int | None:
    from rdflib import URIRef

    from perfkg.kg.iris import PKG

    value = ds.value(URIRef(node.strip("<>")), PKG.lineStart) if node.startswith("<") else None
    return int(value) if value is not None else None


def _buildable(records: list[DocumentRecord], provenance: dict | None) -> tuple[list[DocumentRecord], list[str]]:
    """The records whose graph can be built at all; one that makes the builder raise is left out, named."""
    kept, left_out = [], []
    for record in records:
        try:
            build_dataset([record], provenance)
            kept.append(record)
        except Exception as exc:  # noqa: BLE001
            left_out.append(f"{shown(record.path or record.source)}: its graph could not be built "
                            f"({type(exc).__name__}: {exc}); left out of the graph")
    return kept, left_out


def conforming_dataset(records: list[DocumentRecord], provenance: dict | None = None, validation: str = "compiled"):
    """(dataset, report, documents left out): documents whose graph violates the shapes are left out,
    each reported with its first violation (node, line), and the rest validated again."""
    kept, left_out = list(records), []
    while True:
        try:
            ds = build_dataset(kept, provenance)
        except Exception:  # noqa: BLE001 (some document makes the builder raise: find it, keep the others)
            kept, unbuildable = _buildable(kept, provenance)
            left_out += unbuildable
            ds = build_dataset(kept, provenance)
        report = validate(ds, validation)
        if report.conforms or not kept:
            return ds, report, left_out
        owner = _owner_of(ds, kept)
        bad: dict[int, tuple[DocumentRecord, str]] = {}
        for violation in report.violations:
            record = owner.get(violation.focus_node)
            if record is not None and id(record) not in bad:
                line = _line_of(ds, violation.focus_node)
                where = f" (line {line})" if line is not None else ""
                bad[id(record)] = (record, f"{violation.focus_node}{where}: {violation.message}")
        if not bad:  # a violation no document owns (framework, concept scheme): nothing to leave out
            return ds, report, left_out
        for record, what in bad.values():
            left_out.append(f"{shown(record.path or record.source)}: its graph violates the SHACL shapes "
                            f"({what}); left out of the graph")
        kept = [r for r in kept if id(r) not in bad]
        if not kept:  # every document failed: there is no graph worth writing
            return ds, report, left_out


def build_graph_file(paths: list[Path], output: Path | None, fmt: str | None = None,
                     source_url: str | None = None, licence: str | None = None,
                     validation: str = "compiled") -> BuildResult:
    """Extract, build, validate (``validation``: ``compiled`` or ``shacl``, see ``kg.validate``) and write the
    graph to ``output`` or stdout.

    A document whose graph fails the shapes is left out (and reported); the others are written.
    Raises GraphFileError for an output whose format is unknown (before any work is done) and
    OSError when the file cannot be written.
    """
    fmt = fmt or (graph_io.format_for(output) if output is not None else "ttl")
    result = BuildResult(fmt=fmt)
    files = expand_paths(paths)
    result.records, result.errors = extract_all(files)
    provenance = provenance_of(files, result.records, source_url, licence)
    ds, result.report, result.left_out = conforming_dataset(result.records, provenance, validation)
    result.errors += result.left_out
    result.counts = {"documents": len(result.records) - len(result.left_out), **summary(ds)}
    if not result.report.conforms:
        return result
    if output is None:
        sys.stdout.write(graph_io.serialise(ds, fmt))
    else:
        graph_io.write_graph(ds, output, fmt)
        result.written = output
    return result


def validate_file(path: Path, validation: str = "compiled") -> tuple[ValidationReport, int]:
    """The validation report of a graph file and its triple count; raises GraphFileError naming the file."""
    ds = graph_io.load_dataset(path)
    return validate(ds, validation), len(set(ds.triples((None, None, None))))
