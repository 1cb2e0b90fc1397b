"""Cross-bureau comparison of one concept: a bureau × project table of the linked targets."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rdflib import URIRef
from rdflib.namespace import SKOS

from perfkg.kg.query_library import QueryRows, _select, load_query, resolve_concept, run_query
from perfkg.kg.query_output import cell_text

_OPERATOR = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}


@dataclass(frozen=True)
class Comparison:
    concept: str  # slug
    label: str
    table: QueryRows  # bureau, project, indicators, targets

    @property
    def bureaus(self) -> int:
        return len({row[0] for row in self.table.rows})


def target_text(comparator: str | None, value: Decimal | None, unit: str | None, printed: str | None) -> str:
    """A target as researchers read it: ≥90%, =67元/人, or the printed words of a qualitative target."""
    if value is None:
        return printed or "-"
    op = _OPERATOR.get(comparator or "=", comparator or "")
    return f"{'' if op == '=' else op}{cell_text(value)}{unit or ''}"


def compare_concept(data: Any, concept: str) -> Comparison:
    """The targets linked to a concept (by slug, label or IRI), one row per bureau and project (an rdflib
    graph or an Oxigraph store)."""
    query = load_query("concept_targets")
    result = run_query(query, data, {"concept": concept})
    iri = resolve_concept(data, concept)
    slug = str(iri).rsplit("/", 1)[-1]
    grouped: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for row in result.dicts():
        key = (row["bureau"], row["project"])
        target = target_text(row["comparator"], row["value"], row["unit"], row["printed"])
        grouped.setdefault(key, []).append((row["indicator"], target))
    rows = tuple((bureau, project, "; ".join(name for name, _ in items), "; ".join(t for _, t in items))
                 for (bureau, project), items in grouped.items())
    return Comparison(slug, _pref_label(data, iri) or slug,
                      QueryRows(("bureau", "project", "indicators", "targets"), rows))


def _pref_label(data: Any, iri: URIRef) -> str | None:
    from perfkg.kg.store import is_store

    if is_store(data):
        labels = [row[0] for row in _select(data, "SELECT DISTINCT ?l WHERE { ?c <http://www.w3.org/2004/02/skos/core#"
                                                    "prefLabel> ?l }", {"c": iri})]
    else:
        labels = list(data.objects(iri, SKOS.prefLabel))
    for label in sorted(labels):
        if getattr(label, "language", None) == "zh":
            return str(label)
    return None
