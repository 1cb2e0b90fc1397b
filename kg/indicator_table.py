"""The flat indicator table: one row per indicator with bureau, division, project, levels, concept and values.

Columns: bureau, division_code, year, project, project_code, kind, level1, level2, indicator, concept
(slug of the surest concept link), concept_label, comparator, number, unit, normalised_number,
normalised_unit (label) and normalised_unit_iri, printed (the value as printed), qualitative,
source (file name), line. Read by one SPARQL query over the union of the graph, in bureau, source and
printed order.
"""
from __future__ import annotations

from typing import Any

from perfkg.kg.query_library import QueryRows, parse_query, run_query

COLUMNS = ("bureau", "division_code", "year", "project", "project_code", "kind", "level1", "level2", "indicator",
           "concept", "concept_label", "comparator", "number", "unit", "normalised_number", "normalised_unit",
           "normalised_unit_iri", "printed", "qualitative", "source", "line")

TABLE_QUERY = """# title: Indicator table
PREFIX pkg: <https://w3id.org/perfkg/ns#>
PREFIX pkc: <https://w3id.org/perfkg/concept/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

SELECT ?i ?bureau ?division_code ?year ?project ?project_code ?kind ?level1 ?level2 ?indicator
       ?comparator ?number ?unit ?normalised_number ?normalised_unit ?normalised_unit_iri
       ?printed ?qualitative ?source ?line
WHERE {
  ?i a pkg:Indicator ;
     rdfs:label ?indicator ;
     pkg:position ?position ;
     pkg:inProject ?p .
  ?p rdfs:label ?project ;
     pkg:position ?p_position .
  OPTIONAL {
    ?p pkg:bureau ?b .
    # distinct: in a store's union default graph each document restates its bureau
    { SELECT DISTINCT ?b ?bureau ?division_code WHERE {
        ?b a pkg:Bureau ; rdfs:label ?bureau . OPTIONAL { ?b pkg:division/pkg:divisionCode ?division_code } } }
  }
  OPTIONAL { ?p pkg:budgetYear ?year }
  OPTIONAL { ?p pkg:projectCode ?project_code }
  OPTIONAL { ?p pkg:projectKind ?kind }
  OPTIONAL { ?i pkg:level1Label ?level1 }
  OPTIONAL { ?i pkg:level2Label ?level2 }
  OPTIONAL { ?i pkg:sourceDocument/pkg:fileName ?source }
  OPTIONAL { ?i pkg:lineStart ?line }
  OPTIONAL {
    ?i pkg:target ?t .
    OPTIONAL { ?t pkg:comparator ?comparator }
    OPTIONAL { ?t pkg:numericValue ?number }
    OPTIONAL { ?t pkg:unitLabel ?unit }
    OPTIONAL { ?t pkg:normalisedValue ?normalised_number }
    OPTIONAL { ?t pkg:normalisedUnitLabel ?normalised_unit }
    OPTIONAL { ?t pkg:normalisedUnit ?normalised_unit_iri }
    OPTIONAL { ?t pkg:printedValue ?printed }
    OPTIONAL { ?t pkg:isQualitative ?qualitative }
  }
}
ORDER BY ?bureau ?source ?p_position ?p ?position
"""

LINKS_QUERY = """# title: Concept links
PREFIX pkg: <https://w3id.org/perfkg/ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?i ?c ?confidence ?label WHERE {
  ?i pkg:conceptLink ?link .
  ?link pkg:linkedConcept ?c ; pkg:confidence ?confidence .
  OPTIONAL { ?c skos:prefLabel ?label FILTER(LANG(?label) = "zh") }
}
"""


def indicator_table(data: Any) -> QueryRows:
    """The flat indicator table of a graph (see the module docstring for the columns)."""
    result = run_query(parse_query(TABLE_QUERY, "indicator_table", "kg/indicator_table.py"), data)
    best: dict[str, tuple] = {}
    for i, c, confidence, label in run_query(parse_query(LINKS_QUERY, "links", "kg/indicator_table.py"), data).rows:
        key = (confidence, c)  # the surest link; ties by IRI, so the choice is deterministic
        if i not in best or key > best[i][0]:
            best[i] = (key, c.rsplit("/", 1)[-1], label)
    rows = []
    for row in result.rows:
        _, concept, label = best.get(row[0], (None, None, None))
        values = row[1:]
        rows.append(values[:9] + (concept, label) + values[9:])
    return QueryRows(COLUMNS, tuple(rows))
