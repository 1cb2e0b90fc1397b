"""PROV-O provenance of a document's graph: the extraction run (software, time, reader, layouts) and the source.

Each document gets one ``prov:Activity`` (also ``pkg:ExtractionRun``), ``id/extraction/<document key>``:
``prov:used`` the document, ``prov:wasAssociatedWith`` the software agent (``id/software/perfkg/<version>``,
a ``prov:SoftwareAgent`` with ``pkg:softwareVersion``), ``prov:startedAtTime`` when the build gives one,
``pkg:reader`` (the container reader: pdf, xlsx, xls, docx, html or text) and one ``pkg:layoutUsed``
per layout parser that read a table; every project is ``prov:wasGeneratedBy`` the run. The source
document gets ``dcterms:source`` (its URL) and ``dcterms:license`` when a sidecar file
(``<document>.json`` beside it, e.g. ``edu_2025.pdf.json``: ``{"url": …, "licence": …}``) or the
build's ``--source-url`` / ``--licence`` give them.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from perfkg.extract.records import DocumentRecord
from perfkg.kg import iris
from perfkg.kg.iris import ID, PKG

SIDECAR_SUFFIX = ".json"
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^\s<>\"{}|\\^`]+$")


@dataclass(frozen=True)
class DocumentProvenance:
    """What is known about how and from where one document was read (every field optional)."""

    reader: str | None = None
    started: datetime | None = None
    url: str | None = None
    licence: str | None = None


@lru_cache(maxsize=1)
def software_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("perfkg")
    except PackageNotFoundError:
        return "0+unknown"


def software_iri() -> URIRef:
    return ID[f"software/perfkg/{software_version()}"]


def run_iri(doc: "DocumentRecord | str") -> URIRef:
    """The extraction run of a document, keyed like the document itself (path and content), so the runs
    of two ``budget.txt`` in different folders stay apart when their graphs meet in one store."""
    return ID[f"extraction/{iris.document_key(doc)}"]


def build_time() -> datetime:
    """Now (UTC, whole seconds), or ``SOURCE_DATE_EPOCH`` when set, so a build can be reproduced byte for byte."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return datetime.now(timezone.utc).replace(microsecond=0)


def reader_name(path: Path) -> str | None:
    """The container reader that reads a file (pdf, xlsx, xls, docx, html), ``text`` for plain text."""
    from perfkg.extract import containers

    try:
        data = path.read_bytes()
    except OSError:
        return None
    chosen = containers.choose(path, data)
    return chosen.name if chosen is not None else "text"


def read_sidecar(path: Path) -> tuple[str | None, str | None]:
    """(url, licence) from ``<document>.json`` beside the document, when it exists and says so."""
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if not sidecar.is_file():
        return None, None
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None, None
    if not isinstance(data, dict):
        return None, None
    url = data.get("url") or data.get("source_url") or data.get("source")
    licence = data.get("licence") or data.get("license")
    return (str(url) if url else None), (str(licence) if licence else None)


def document_provenance(path: Path, started: datetime | None = None, url: str | None = None,
                        licence: str | None = None) -> DocumentProvenance:
    """Provenance of one document file: its reader, the sidecar's URL and licence (given values win)."""
    side_url, side_licence = read_sidecar(path)
    return DocumentProvenance(reader_name(path), started, url or side_url, licence or side_licence)


def _url_or_text(value: str) -> URIRef | Literal:
    return URIRef(value) if _IRI.match(value) else Literal(value)


def add_provenance(g: Any, record: DocumentRecord, prov: DocumentProvenance | None) -> None:
    """Write the run and source provenance of one document into its graph (an rdflib Graph, or any sink with
    ``add`` and ``subjects``: ``graph_build.DocumentTriples``)."""
    prov = prov or DocumentProvenance()
    doc, run, agent = iris.document_iri(record), run_iri(record), software_iri()
    g.add((agent, RDF.type, PROV.SoftwareAgent))
    g.add((agent, RDFS.label, Literal(f"perfkg {software_version()}")))
    g.add((agent, PKG.softwareVersion, Literal(software_version())))
    g.add((run, RDF.type, PROV.Activity))
    g.add((run, RDF.type, PKG.ExtractionRun))
    g.add((run, RDFS.label, Literal(f"extraction of {record.source}")))
    g.add((run, PROV.used, doc))
    g.add((run, PROV.wasAssociatedWith, agent))
    if prov.started is not None:
        g.add((run, PROV.startedAtTime, Literal(prov.started.isoformat(), datatype=XSD.dateTime)))
    if prov.reader:
        g.add((run, PKG.reader, Literal(prov.reader)))
    for layout in sorted({p.layout for p in record.projects if p.layout}):
        g.add((run, PKG.layoutUsed, Literal(layout)))
    for project in sorted(set(g.subjects(RDF.type, PKG.Project)), key=str):  # IRIs: their text order
        g.add((project, PROV.wasGeneratedBy, run))
    if prov.url:
        g.add((doc, DCTERMS.source, _url_or_text(prov.url)))
    if prov.licence:
        g.add((doc, DCTERMS.license, _url_or_text(prov.licence)))
