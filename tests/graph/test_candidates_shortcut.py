"""summaries.candidates finds a triple's rule by a dict lookup on its predicate; it must find what
the comparisons it replaced (`p == SDO.fundedItem`, ..., `o == CS.Inspection`) find."""

from __future__ import annotations

from pathlib import Path

from rdflib import BNode, Literal, URIRef

from graph import summaries
from graph.build import report_triples
from graph.iri import IriMinter
from loaders.extract import extract
from loaders.readers import read_document
from ontology.namespace import CS, RDF, SDO

FIXTURES = sorted(
    p for p in Path(__file__).parents[1].joinpath("fixtures").rglob("*") if p.suffix in (".txt", ".html", ".pdf", ".docx")
)


def _by_comparison(triples) -> frozenset[tuple[str, str]]:
    """The rules as they were written: one comparison after another."""
    funded, owned_by, judged, typed = SDO.fundedItem, CS.programmeOf, CS.inspection, RDF.type
    out: set[tuple[str, str]] = set()
    for s, p, o in triples:
        if p == funded:
            out.add(("item", str(o)))
        elif p == owned_by:
            out.add(("key", str(o)))
            out.add(("programme", str(s)))
        elif p == judged:
            out.add(("inspection", str(o)))
        elif p == typed and o == CS.Inspection:
            out.add(("inspection", str(s)))
        elif p == typed and o == CS.Programme:
            out.add(("programme", str(s)))
    return frozenset(out)


def test_candidates_of_the_fixture_reports_are_those_the_comparisons_find():
    checked = 0
    for path in FIXTURES:
        try:
            doc = read_document(str(path), path.read_bytes())
        except Exception:  # noqa: BLE001 - a fixture this environment cannot read says nothing here
            continue
        triples = report_triples(doc, extract(doc), IriMinter(None))
        found = summaries.candidates(triples)
        assert found == _by_comparison(triples), path.name
        checked += bool(found)
    assert checked >= 3


def test_terms_that_only_look_like_the_rules_terms_match_no_rule():
    s, x = URIRef("http://example.org/s"), URIRef("http://example.org/x")
    lookalikes = []
    for term in (SDO.fundedItem, CS.programmeOf, CS.inspection, RDF.type, CS.Inspection, CS.Programme):
        lookalikes += [BNode(str(term)), Literal(str(term)), Literal(str(term), datatype=CS.Inspection), str(term)]
    triples = []
    for p in [SDO.fundedItem, CS.programmeOf, CS.inspection, RDF.type, *lookalikes]:
        for o in [x, CS.Inspection, CS.Programme, URIRef(str(CS.Inspection)), *lookalikes]:
            triples.append((s, p, o))
            triples.append((s, URIRef(str(p)), o))  # an equal IRI made apart: not the same object
    assert summaries.candidates(triples) == _by_comparison(triples)
    assert ("inspection", str(s)) in summaries.candidates([(s, URIRef(str(RDF.type)), URIRef(str(CS.Inspection)))])
