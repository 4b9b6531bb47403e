"""The entity graph's queries read the links from the typed entities only, and are read side by side
in two threads. These tests hold them to their plain form, one query that reads every statement in
the store, read in one pass: the graph built from either must be the same."""

from __future__ import annotations

import threading

import pytest
from rdflib import Literal, URIRef

from graph import analytics
from graph.analytics import _graph_queries, _rows, _rows_side_by_side, build_entity_graph
from graph.store import OxigraphStore, SourceBatchItem, SourceRecord
from ontology.namespace import CS, FOAF, ORG, PROV, RDF, SDO, SKOS


def plain_graph_query() -> str:
    """The query as it was first written: the links read from every statement, in one query with
    the types, memberships and attributes."""
    skip = ", ".join(f"<{p}>" for p in analytics._SKIP_PREDICATES)
    rest = _graph_queries()[1]
    body = rest[rest.index("WHERE {") + len("WHERE {"): rest.rindex("}")]
    links = f'{{ ?s ?p ?o . FILTER(isIRI(?o) && isIRI(?s) && ?p NOT IN ({skip})) BIND("e" AS ?k) }}'
    return f"SELECT ?k ?s ?p ?o ?f WHERE {{\n  {links}\n  UNION {body.strip()}\n}}"


def as_comparable(eg) -> tuple:
    g = eg.graph
    nodes = {n: dict(d) for n, d in g.nodes(data=True)}
    edges = {frozenset((u, v)): d["rels"] for u, v, d in g.edges(data=True)}
    return nodes, edges, eg.labels


def built(store):
    return build_entity_graph(_rows_side_by_side(store, _graph_queries()))


def assert_same_graph(store) -> None:
    got, want = as_comparable(built(store)), as_comparable(build_entity_graph(_rows(store, plain_graph_query())))
    assert got[0] == want[0]
    assert got[1] == want[1]
    assert got[2] == want[2]


def test_the_samples_give_the_graph_of_the_plain_form(sample_store):
    assert_same_graph(sample_store)
    assert built(sample_store).graph.number_of_edges() > 100


def test_the_constructed_graph_gives_the_graph_of_the_plain_form(constructed):
    assert_same_graph(constructed)


ID = "https://w3id.org/cskg/id/"


def _item(store, key: str, triples) -> SourceBatchItem:
    graph = store.minter.report_graph(key)
    return SourceBatchItem(SourceRecord(graph, f"{key}.txt", "0" * 64, "test", "2026-01-01T00:00:00Z", len(triples), "report"),
                           triples=triples)


@pytest.fixture
def edge_cases(tmp_path):
    council, person, org = URIRef(ID + "council/c1"), URIRef(ID + "person/p1"), URIRef(ID + "org/o1")
    untyped, prog, fact = URIRef(ID + "thing/untyped"), URIRef(ID + "programme/pr1"), URIRef(ID + "inspection/i1")
    a = [
        # a council carries two classes of the graph (it is read once, and keeps its first type)
        (council, RDF.type, CS.LocalAuthority), (council, RDF.type, ORG.FormalOrganization),
        (council, SKOS.prefLabel, Literal("Eastmoor Council")),
        (person, RDF.type, FOAF.Person), (person, FOAF.name, Literal("Cy Ward")),
        (fact, RDF.type, CS.Inspection), (fact, CS.inspectedOrganisation, council),
        # links the graph drops: to an untyped IRI, from an untyped IRI, by a skipped property
        (person, URIRef(ID + "def/knows"), untyped), (untyped, URIRef(ID + "def/knows"), council),
        (fact, PROV.wasDerivedFrom, council),
    ]
    # the programme is typed in one report and linked in another
    b = [(prog, RDF.type, CS.Programme), (prog, SKOS.prefLabel, Literal("Recovery"))]
    c = [(prog, CS.programmeOf, council), (org, RDF.type, ORG.Organization), (prog, SDO.funder, org),
         (org, URIRef(ID + "def/partnerOf"), council)]
    store = OxigraphStore(tmp_path / "s")
    store.replace_sources([_item(store, "a", a), _item(store, "b", b), _item(store, "c", c)])
    yield store, council, person, org, prog, fact
    store.close()


def test_links_from_entities_typed_elsewhere_and_links_the_graph_drops(edge_cases):
    store, council, person, org, prog, fact = edge_cases
    assert_same_graph(store)
    g = built(store).graph
    assert g.nodes[str(council)]["type"] == "council"
    assert {frozenset(e) for e in g.edges} == {
        frozenset((str(prog), str(council))), frozenset((str(prog), str(org))), frozenset((str(org), str(council))),
        frozenset((str(fact), str(council))),
    }


def test_an_error_in_either_query_reaches_the_reader_and_no_thread_is_left(sample_store, monkeypatch):
    real = sample_store.raw_query

    def failing(sparql, **kwargs):
        if "DISTINCT ?s" in sparql:  # the links
            raise OSError("disk gone")
        return real(sparql, **kwargs)

    monkeypatch.setattr(sample_store, "raw_query", failing)
    with pytest.raises(OSError, match="disk gone"):
        build_entity_graph(_rows_side_by_side(sample_store, _graph_queries()))
    assert not [t for t in threading.enumerate() if t.name == "cskg-entity-graph-read"]


def test_a_reader_that_stops_early_stops_the_threads(sample_store, monkeypatch):
    monkeypatch.setattr(analytics, "_CHUNK_ROWS", 10)
    rows = _rows_side_by_side(sample_store, _graph_queries())
    first = [next(rows) for _ in range(25)]
    assert len(first) == 25
    rows.close()
    assert not [t for t in threading.enumerate() if t.name == "cskg-entity-graph-read"]
