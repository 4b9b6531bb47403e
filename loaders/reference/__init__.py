"""Reference data: the council register and Ofsted's published inspection outcomes, read from
the CSVs in data/reference into plain records (graph.reference turns them into RDF)."""
