"""The RDF formats users name (export, the Graph Store Protocol), apart from graph.store so the
command line (and each SPARQL worker process, which imports the command line's module as its
`__main__`) can read them without importing rdflib."""

from __future__ import annotations

import pyoxigraph as ox

# name -> (media type, pyoxigraph format, keeps named graphs)
FORMATS = {
    "turtle": ("text/turtle", ox.RdfFormat.TURTLE, False),
    "trig": ("application/trig", ox.RdfFormat.TRIG, True),
    "nquads": ("application/n-quads", ox.RdfFormat.N_QUADS, True),
    "ntriples": ("application/n-triples", ox.RdfFormat.N_TRIPLES, False),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD, True),
}
