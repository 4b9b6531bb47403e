"""The entity graph, paths between entities and centrality, on the constructed graph."""

from __future__ import annotations

import networkx as nx
import pytest

from graph import analytics
from graph.analytics import AnalyticsError, build_entity_graph, connections, entity_graph, most_central
from tests.analytics.constructed import ADA, BEN, DFE, EAST, NORTH, SOUTH, iri, load_constructed


def test_entity_graph_holds_entities_and_collapses_memberships(constructed):
    eg = entity_graph(constructed)
    g = eg.graph
    types = {n: d["type"] for n, d in g.nodes(data=True)}
    assert types[iri(constructed, NORTH)] == "council"
    assert types[iri(constructed, DFE)] == "organisation"
    assert types[iri(constructed, ADA)] == "person"
    # evidence spans, text renditions, intervals and memberships are not nodes
    assert not [n for n in g if any(k in n for k in ("/evidence/", "/text/", "/interval/", "/membership/", "/instant/"))]
    edge = g.edges[iri(constructed, ADA), iri(constructed, NORTH)]
    (rel,) = edge["rels"]
    assert rel.prop == analytics.MEMBERSHIP
    assert "/membership/" in rel.fact
    assert "commissioner" in rel.label.lower()
    assert g.nodes[iri(constructed, ADA)]["roles"] == ["childrens-services-commissioner"]


def test_nodes_without_names_get_readable_labels(constructed):
    g = entity_graph(constructed).graph
    labels = {d["type"]: d["label"] for _, d in g.nodes(data=True)}
    assert "Northshire County Council" in labels["inspection"] and "2018-01" in labels["inspection"]
    assert labels["judgement"].lower().startswith("overall effectiveness: inadequate")
    assert labels["grant"] == "£1,500,000 grant (2018/19)"
    insp = next(n for n, d in g.nodes(data=True) if d["type"] == "inspection")
    assert g.nodes[insp]["grade"].endswith("/grade/inadequate")
    assert g.nodes[insp]["year"] == 2018


def test_entity_graph_is_cached_until_the_sources_change(constructed):
    first = entity_graph(constructed)
    assert entity_graph(constructed) is first
    constructed.remove_source(constructed.minter.report_graph("east-txt"))
    try:
        second = entity_graph(constructed)
        assert second is not first
        assert iri(constructed, EAST) not in second.graph
    finally:
        load_constructed(constructed)
    assert iri(constructed, EAST) in entity_graph(constructed).graph


def test_two_councils_connect_through_their_shared_commissioner_with_evidence(constructed):
    result = connections(constructed, "Northshire County Council", "southshire county council", max_paths=3)
    best = result["paths"][0]
    assert best["length"] == 2
    assert [n["label"] for n in best["nodes"]] == ["Northshire County Council", "Ada Quill", "Southshire County Council"]
    quotes = [s["evidence"] for s in best["steps"]]
    assert quotes == ["Ada Quill was appointed Children's Services Commissioner for Northshire in March 2018.",
                      "Ada Quill, the Children's Services Commissioner for Southshire, reported in June 2019."]
    assert best["steps"][0]["evidence_source"] == "Northshire improvement"
    assert "Ada Quill" in best["steps"][0]["text"] and "Northshire County Council" in best["steps"][0]["text"]
    # paths come shortest first
    lengths = [p["length"] for p in result["paths"]]
    assert lengths == sorted(lengths)


def test_path_through_an_issuing_body_is_told_step_by_step(constructed):
    result = connections(constructed, iri(constructed, SOUTH), iri(constructed, EAST))
    (path,) = result["paths"]
    assert [n["type"] for n in path["nodes"]] == ["council", "intervention", "organisation", "intervention", "council"]
    assert path["steps"][0]["evidence"] == "The Department for Education issued an improvement notice to Southshire in April 2019."
    assert path["steps"][1]["property_label"] == "was associated with"


def test_reports_only_connect_when_asked(constructed):
    eg = entity_graph(constructed)
    a, b = iri(constructed, BEN), iri(constructed, DFE)
    without = analytics.connection_paths(eg, a, b, max_paths=10)
    with_reports = analytics.connection_paths(eg, a, b, max_paths=10, include_reports=True)
    assert without and not any(eg.type_of(n) == "report" for p in without for n in p)
    assert any(eg.type_of(n) == "report" for p in with_reports for n in p)


def test_unconnected_entities_give_no_paths(tmp_path):
    rows = [("t", "http://x/a", None, str(analytics.FOAF.Person), None),
            ("t", "http://x/b", None, str(analytics.FOAF.Person), None)]
    eg = build_entity_graph(rows)
    assert analytics.connection_paths(eg, "http://x/a", "http://x/b") == []


def test_names_resolve_and_ambiguity_is_explained(constructed):
    eg = entity_graph(constructed)
    assert eg.resolve("ada quill") == iri(constructed, ADA)
    assert eg.resolve(iri(constructed, ADA)) == iri(constructed, ADA)
    with pytest.raises(AnalyticsError, match="several"):
        eg.resolve("shire County")
    with pytest.raises(AnalyticsError, match="no entity"):
        eg.resolve("Nobody Atall")
    with pytest.raises(AnalyticsError, match="not an entity"):
        eg.resolve("https://w3id.org/cskg/id/person/nobody")


def test_degree_and_betweenness_rank_the_broker_first(constructed):
    people = most_central(constructed, types=["person"], measure="betweenness")
    assert people["rows"][0]["label"] == "Ada Quill"
    assert people["rows"][0]["score"] > people["rows"][1]["score"]
    assert people["sampled"] is False
    degree = most_central(constructed, types=["council"], measure="degree", top=1)
    assert [r["label"] for r in degree["rows"]] == ["Northshire County Council"]
    assert degree["rows"][0]["neighbours"] == {"inspection": 1, "programme": 1, "person": 2}
    with pytest.raises(AnalyticsError, match="unknown type"):
        most_central(constructed, types=["planet"])


def test_betweenness_is_sampled_reproducibly_on_large_graphs(monkeypatch):
    g = nx.barabasi_albert_graph(400, 2, seed=1)
    rows = [("t", f"http://x/{n}", None, str(analytics.FOAF.Person), None) for n in g]
    rows += [("e", f"http://x/{u}", "http://x/knows", f"http://x/{v}", None) for u, v in g.edges]
    eg = build_entity_graph(rows, key=("synthetic",))
    monkeypatch.setattr(analytics, "EXACT_BETWEENNESS_LIMIT", 100)
    monkeypatch.setattr(analytics, "BETWEENNESS_BUDGET", 20 * 1200)
    sampled = analytics.centrality(eg, "betweenness")
    exact = nx.betweenness_centrality(nx.Graph(eg.graph))
    again = analytics.centrality(build_entity_graph(rows, key=("synthetic",)), "betweenness")
    assert sampled == again
    assert sampled != exact
    top_exact = sorted(exact, key=exact.get, reverse=True)[:5]
    top_sampled = sorted(sampled, key=sampled.get, reverse=True)[:10]
    assert len(set(top_exact) & set(top_sampled)) >= 3


def test_sample_reports_connect_buckinghamshire_and_west_sussex_through_john_coughlan(sample_store):
    eg = entity_graph(sample_store)
    people = [n for n in eg.find("John Coughlan", types=["person"])]
    if not people:
        pytest.skip("the extractors do not produce John Coughlan from the samples yet")
    bucks = eg.find("Buckinghamshire", types=["council"])
    sussex = eg.find("West Sussex", types=["council"])
    result = connections(sample_store, bucks[0], sussex[0], max_paths=5)
    assert any(people[0] in [n["iri"] for n in p["nodes"]] for p in result["paths"])
    via = next(p for p in result["paths"] if people[0] in [n["iri"] for n in p["nodes"]])
    assert any(s["evidence"] and "Coughlan" in s["evidence"] for s in via["steps"])


def test_remote_style_stores_work_through_query(constructed):
    """Stores without pyoxigraph's raw_query (a remote SPARQL server) build the same graph."""

    class QueryOnly:
        def __init__(self, inner):
            self.inner = inner
            self.location, self.minter = "remote", inner.minter

        def query(self, *a, **k):
            return self.inner.query(*a, **k)

        def sources(self):
            return self.inner.sources()

    via_query = entity_graph(QueryOnly(constructed)).graph
    direct = entity_graph(constructed).graph
    assert set(via_query.nodes) == set(direct.nodes)
    assert set(map(frozenset, via_query.edges)) == set(map(frozenset, direct.edges))


def test_edge_labels_come_from_the_property_and_role_labels_when_the_graph_has_them():
    person, council, insp = "http://x/id/person/p", "http://x/id/organisation/c", "http://x/id/inspection/i"
    role, prop = "http://x/def/role/chair", str(analytics.CS.leadInspector)
    rows = [
        ("t", person, None, str(analytics.FOAF.Person), None),
        ("t", council, None, str(analytics.CS.LocalAuthority), None),
        ("t", insp, None, str(analytics.CS.Inspection), None),
        ("e", insp, prop, person, None),
        ("m", person, role, council, "http://x/id/membership/m"),
        ("a", prop, str(analytics.RDFS.label), "lead inspector (as labelled)", None),
        ("a", role, str(analytics.SKOS.prefLabel), "Chair of the board", None),
    ]
    g = build_entity_graph(rows).graph
    assert g.edges[insp, person]["rels"][0].label == "lead inspector (as labelled)"
    assert g.edges[person, council]["rels"][0].label == "Chair of the board"
    # without labels, a readable local name
    g2 = build_entity_graph(rows[:5]).graph
    assert g2.edges[insp, person]["rels"][0].label == "lead inspector"
    assert g2.edges[person, council]["rels"][0].label == "Chair"


def test_the_compact_build_keeps_every_relation_in_order_and_the_first_value_of_each_attribute():
    """Edges hold a tuple of relations (sorted statements first, then memberships), each node the
    first value seen of each attribute; the same IRI as a property and as a role keeps both labels."""
    a, b, council = "http://x/id/person/a", "http://x/id/person/b", "http://x/id/organisation/c"
    chair = "http://x/def/role/chair"
    rows = [
        ("t", a, None, str(analytics.FOAF.Person), None),
        ("t", b, None, str(analytics.FOAF.Person), None),
        ("t", council, None, str(analytics.ORG.Organization), None),
        ("t", council, None, str(analytics.CS.LocalAuthority), None),
        ("e", b, "http://x/def/knows", a, None),
        ("e", a, chair, b, None),
        ("e", a, chair, b, None),  # the union repeats a statement held by two graphs
        ("e", a, "http://x/def/knows", a, None),  # no loops
        ("m", a, chair, council, "http://x/id/membership/1"),
        ("m", b, None, council, "http://x/id/membership/2"),
        ("a", council, str(analytics.DCTERMS.date), "2019-04-01", None),
        ("a", council, str(analytics.FOAF.name), "Name of the council", None),
        ("a", council, str(analytics.SDO.startDate), "2018-01-01", None),
        ("a", council, str(analytics.CS.region), "http://x/region/north", None),
        ("a", council, str(analytics.SKOS.prefLabel), "Council", None),
        ("a", council, str(analytics.DCTERMS.date), "2020-01-01", None),
    ]
    eg = build_entity_graph(rows)
    g = eg.graph
    rels = g.edges[a, b]["rels"]
    assert isinstance(rels, tuple)
    assert [(r.subject, r.prop, r.object, r.label) for r in rels] == [
        (a, chair, b, "chair"), (b, "http://x/def/knows", a, "knows")]
    (member,) = g.edges[a, council]["rels"]
    assert (member.prop, member.label, member.fact) == (analytics.MEMBERSHIP, "Chair", "http://x/id/membership/1")
    assert g.edges[b, council]["rels"][0].label == "member"
    assert not g.has_edge(a, a) and g.number_of_edges() == 3
    assert g.nodes[council] == {"type": "council", "date": "2019-04-01", "region": "http://x/region/north",
                                "label": "Council", "year": 2019}
    assert list(g.nodes[council]) == ["type", "date", "region", "label", "year"]
    assert g.nodes[a]["roles"] == ["chair"] and "roles" not in g.nodes[b]
    # the edge data are plain dicts to networkx and to readers
    assert dict(g.edges[a, b]) == {"rels": rels}
    copy = nx.Graph(eg.view(types=["person", "council"]))
    assert copy.edges[a, b] == {"rels": rels} and nx.ego_graph(g, a).edges[a, council]["rels"] == (member,)
    copy.add_edge(a, council, weight=2)
    assert "weight" not in g.edges[a, council]
