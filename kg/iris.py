"""The IRIs of the graph: namespaces, and deterministic minting of instance IRIs from content.

Instance IRIs never contain raw text: names enter only through a SHA-256 digest, framework
names only percent-encoded. Same content, same IRI, in every build.
"""
from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import quote

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

PKG = Namespace("https://w3id.org/perfkg/ns#")
ID = Namespace("https://w3id.org/perfkg/id/")
GRAPH = Namespace("https://w3id.org/perfkg/graph/")
FW = Namespace("https://w3id.org/perfkg/framework/")
UNIT = Namespace("https://w3id.org/perfkg/unit/")

FRAMEWORK_SCHEME = URIRef(str(FW))
FRAMEWORK_GRAPH = GRAPH["framework"]

PREFIXES = {"pkg": PKG, "fw": FW, "skos": SKOS, "prov": PROV, "org": ORG, "dcterms": DCTERMS,
            "rdfs": RDFS, "rdf": RDF, "owl": OWL, "xsd": XSD, "pku": UNIT,
            "qudt": Namespace("http://qudt.org/vocab/unit/"), "cur": Namespace("http://qudt.org/vocab/currency/")}

_SEP = "\x1f"  # joins key parts; cannot occur in extracted text, so ("a", "bc") ≠ ("ab", "c")


class Terms:
    """A namespace whose terms are made once each: rdflib's ``Namespace`` builds a new URIRef at every attribute
    access (``PKG.position`` a thousand times per document). ``Terms(PKG).position`` is that URIRef, kept."""

    def __init__(self, namespace: Any):
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):
            raise AttributeError(name)
        term = getattr(self._namespace, name)
        setattr(self, name, term)
        return term


def digest(*parts: object) -> str:
    """A 16-hex-digit SHA-256 digest of the parts (None is kept distinct from "")."""
    text = _SEP.join("\x00" if p is None else str(p) for p in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def document_key(doc: "str | Any") -> str:
    """The key of a source document: its path (as read) and content digest, so two documents of the
    same name in different folders, or a revised copy, are documents of their own, while a document
    read again unchanged keeps its graph. ``doc`` is a DocumentRecord (``source``, ``sha256``,
    ``path``) or a bare file name (the key of a record known by nothing else)."""
    if isinstance(doc, str):
        return digest("document", doc)
    source, sha256, path = doc.source, getattr(doc, "sha256", None), getattr(doc, "path", None)
    if sha256 is None and path is None:
        return digest("document", source)
    return digest("document", path or source, sha256)


def graph_iri(doc: "str | object") -> URIRef:
    return GRAPH[document_key(doc)]


def document_iri(doc: "str | object") -> URIRef:
    return ID[f"document/{document_key(doc)}"]


def bureau_iri(name: str) -> URIRef:
    return ID[f"bureau/{digest('bureau', name)}"]


def division_iri(code: str) -> URIRef:
    if not code.isdigit():
        raise ValueError(f"division code must be digits, got {code!r}")
    return ID[f"division/{code}"]


def project_iri(bureau: str | None, year: int | None, code: str | None, name: str, occurrence: int = 0,
                document: str | None = None) -> URIRef:
    """A project by bureau, year and code (or name when it has no code) within its document
    (``document``: a ``document_key``), so the same project in two documents never shares an IRI;
    ``occurrence`` separates same-named tables within one document."""
    key = ("code", code) if code else ("name", name)
    parts: tuple[object, ...] = ("project", bureau, year, *key)
    if occurrence:
        parts += (occurrence,)
    if document is not None:
        parts += ("in", document)
    return ID[f"project/{digest(*parts)}"]


def indicator_iri(project: URIRef, position: int) -> URIRef:
    return URIRef(f"{project}/indicator/{position}")


def target_iri(indicator: URIRef) -> URIRef:
    return URIRef(f"{indicator}/target")


def flag_iri(owner: URIRef, position: int) -> URIRef:
    return URIRef(f"{owner}/flag/{position}")


def framework_concept_iri(level: int, name: str) -> URIRef:
    """A level-1 or level-2 concept of the national framework (财预〔2021〕101号)."""
    if level not in (1, 2):
        raise ValueError(f"framework level must be 1 or 2, got {level}")
    return FW[f"level{level}/{quote(name, safe='')}"]
