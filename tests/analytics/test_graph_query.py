"""The entity graph's query reads the links from the typed entities only. These tests hold it to its
plain form, which reads every statement in the store: the graph built from either must be the same."""

from __future__ import annotations

import re

import pytest
from rdflib import Literal, URIRef

from graph import analytics
from graph.analytics import _graph_query, _rows, build_entity_graph
from graph.store import OxigraphStore, SourceBatchItem, SourceRecord
from ontology.namespace import CS, FOAF, ORG, PROV, RDF, SDO, SKOS


def plain_graph_query() -> str:
    """The query with its links read from every statement, as it was first written."""
    skip = ", ".join(f"<{p}>" for p in analytics._SKIP_PREDICATES)
    plain = f'{{ ?s ?p ?o . FILTER(isIRI(?o) && isIRI(?s) && ?p NOT IN ({skip})) BIND("e" AS ?k) }}'
    query, n = re.subn(r'\{ \{ SELECT DISTINCT \?s WHERE .*?BIND\("e" AS \?k\) \}', lambda _m: plain, _graph_query(),
                       count=1, flags=re.S)
    assert n == 1, "the links' part of the entity graph query was not found"
    return query


def as_comparable(eg) -> tuple:
    g = eg.graph
    nodes = {n: dict(d) for n, d in g.nodes(data=True)}
    edges = {frozenset((u, v)): tuple(sorted(d["rels"], key=repr)) for u, v, d in g.edges(data=True)}
    return nodes, edges, eg.labels


def assert_same_graph(store) -> None:
    built = build_entity_graph(_rows(store, _graph_query()))
    plain = build_entity_graph(_rows(store, plain_graph_query()))
    got, want = as_comparable(built), as_comparable(plain)
    assert got[0] == want[0]
    assert got[1] == want[1]
    assert got[2] == want[2]


def test_the_samples_give_the_graph_of_the_plain_form(sample_store):
    assert_same_graph(sample_store)
    assert build_entity_graph(_rows(sample_store, _graph_query())).graph.number_of_edges() > 100


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
    g = build_entity_graph(_rows(store, _graph_query())).graph
    assert g.nodes[str(council)]["type"] == "council"
    assert {frozenset(e) for e in g.edges} == {
        frozenset((str(prog), str(council))), frozenset((str(prog), str(org))), frozenset((str(org), str(council))),
        frozenset((str(fact), str(council))),
    }
