"""Network data for the views: pyvis nodes and edges, caps with the number left out, filters."""

from __future__ import annotations

import re
from pathlib import Path

from graph import analytics
from graph.analytics import NODE_TYPES
from graph.network import entity_url, neighbourhood, overview, paths_network, rows_network
from tests.analytics.constructed import ADA, DFE, NORTH, SOUTH, iri

CSS = Path(__file__).resolve().parents[2] / "webapp" / "static" / "css" / "network.css"


def test_neighbourhood_of_a_person_has_styled_nodes_and_labelled_edges(constructed):
    data = neighbourhood(constructed, iri(constructed, ADA), hops=1)
    nodes = {n["id"]: n for n in data["network"]["nodes"]}
    assert set(nodes) >= {iri(constructed, ADA), iri(constructed, NORTH), iri(constructed, SOUTH)}
    north = nodes[iri(constructed, NORTH)]
    council = analytics.TYPES_BY_KEY["council"]
    assert (north["label"], north["color"], north["shape"]) == ("Northshire County Council", council.color, council.shape)
    assert north["url"] == "/id/organisation/northshire-county-council"
    assert nodes[iri(constructed, ADA)]["borderWidth"] == 4  # the focus stands out
    edge = next(e for e in data["network"]["edges"] if e["to"] == iri(constructed, NORTH))
    assert edge["from"] == iri(constructed, ADA) and "commissioner" in edge["label"].lower()
    assert data["hidden"] == 0 and data["total"] == len(nodes)
    assert data["network"]["options"]["physics"]["stabilization"]["enabled"] is True


def test_two_hops_reach_further_and_the_cap_reports_what_is_left_out(constructed):
    one = neighbourhood(constructed, iri(constructed, ADA), hops=1)
    two = neighbourhood(constructed, iri(constructed, ADA), hops=2)
    assert two["total"] > one["total"]
    capped = neighbourhood(constructed, iri(constructed, ADA), hops=2, cap=4)
    assert capped["shown"] == len(capped["network"]["nodes"]) == 4
    assert capped["hidden"] == two["total"] - 4
    assert sum(capped["hidden_by_type"].values()) == capped["hidden"]
    # nearest first: the 1-hop neighbours are kept before anything 2 hops away
    kept = {n["id"] for n in capped["network"]["nodes"]}
    assert {iri(constructed, NORTH), iri(constructed, SOUTH)} <= kept


def test_type_filter_keeps_only_those_types(constructed):
    data = neighbourhood(constructed, iri(constructed, NORTH), hops=2, types=["person"])
    types = {n["type"] for n in data["network"]["nodes"] if n["id"] != iri(constructed, NORTH)}
    assert types == {"person"}
    assert data["filtered_out"] > 0
    offered = {t["key"] for t in data["available_types"]}
    assert {"person", "inspection", "programme", "report"} <= offered


def test_unknown_focus_is_reported_not_raised(constructed):
    assert neighbourhood(constructed, "https://w3id.org/cskg/id/person/nobody")["found"] is False


def test_overview_filters_on_the_server(constructed):
    everything = overview(constructed, types=["council", "person", "inspection", "intervention", "programme", "organisation"])
    labels = {n["label"] for n in everything["network"]["nodes"]}
    assert {"Northshire County Council", "Ada Quill", "Department for Education"} <= labels
    commissioners = overview(constructed, types=["council", "commissioner"])
    people = {n["label"] for n in commissioners["network"]["nodes"] if n["type"] == "person"}
    assert people == {"Ada Quill"}
    inadequate = overview(constructed, types=["council", "inspection"], grades=["https://w3id.org/cskg/def/grade/inadequate"])
    assert {n["label"] for n in inadequate["network"]["nodes"] if n["type"] == "council"} == {"Northshire County Council"}
    in_2017 = overview(constructed, types=["council", "intervention"], year_from=2017, year_to=2017)
    assert {n["type"] for n in in_2017["network"]["nodes"]} == {"council", "intervention"}
    assert {n["label"] for n in in_2017["network"]["nodes"] if n["type"] == "council"} == {"Eastham Borough Council"}
    capped = overview(constructed, types=["council", "person", "intervention"], cap=3)
    assert capped["shown"] == 3 and capped["hidden"] == capped["total"] - 3
    assert all(n["type"] == "council" for n in capped["network"]["nodes"])  # councils come first


def test_paths_network_highlights_only_path_edges(constructed):
    path = [iri(constructed, NORTH), iri(constructed, ADA), iri(constructed, SOUTH)]
    data = paths_network(constructed, [path])
    assert {e["from"] for e in data["edges"]} == {iri(constructed, ADA)}
    assert all(e["width"] == 3 for e in data["edges"])


def test_rows_network_links_the_iris_of_each_row(constructed):
    from rdflib import Literal, URIRef

    rows = [[URIRef(iri(constructed, NORTH)), URIRef(iri(constructed, ADA)), Literal("x")],
            [URIRef(iri(constructed, SOUTH)), URIRef(iri(constructed, ADA)), Literal("y")]]
    data = rows_network(constructed, ["council", "person", "note"], rows)
    assert len(data["nodes"]) == 3
    assert {(e["from"], e["to"], e["label"]) for e in data["edges"]} == {
        (iri(constructed, NORTH), iri(constructed, ADA), "person"), (iri(constructed, SOUTH), iri(constructed, ADA), "person")}


def test_entity_urls():
    base = "https://w3id.org/cskg/"
    assert entity_url(base + "id/person/ada", base) == "/id/person/ada"
    assert entity_url("http://example.org/x y", base) == "/resource?iri=http%3A%2F%2Fexample.org%2Fx+y"


def test_legend_colours_in_the_stylesheet_match_the_node_styles():
    css = CSS.read_text(encoding="utf-8")
    for t in NODE_TYPES:
        m = re.search(rf"\.swatch-{t.key}, \.chip-{t.key} {{ --type-colour: (#[0-9a-f]+); }}", css)
        assert m and m.group(1) == t.color, t.key


def test_pyvis_writes_no_files(constructed, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    neighbourhood(constructed, iri(constructed, DFE), hops=2)
    assert list(tmp_path.iterdir()) == []
