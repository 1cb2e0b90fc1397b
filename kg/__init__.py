"""perfkg knowledge graph: checked records to RDF, stores, queries and views."""
