"""Pages stay bounded on large stores: a property's values are capped with a "more" note, each
statement is shown once with the number of graphs holding it, and quote search reads a compact
index."""

from __future__ import annotations

import sys
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import URIRef

from graph.explore import MAX_PER_PROPERTY, describe
from graph.store import OxigraphStore
from graph.views import QuoteIndex

EX = "https://example.org/"


def _nn(s: str) -> ox.NamedNode:
    return ox.NamedNode(EX + s)


def _copy_to_union(store) -> None:
    """The union's copy of quads added straight into named graphs, as cskg's writer keeps it."""
    store.ox.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")


def test_describe_caps_each_property_and_counts_graphs(tmp_path):
    from webapp import create_app

    store = OxigraphStore(tmp_path / "s")
    try:
        extra = 7
        for i in range(MAX_PER_PROPERTY + extra):
            store.ox.add(ox.Quad(_nn(f"x{i}"), _nn("points"), _nn("target"), _nn("graph/a")))
        # the same statement in a second graph is still one statement
        store.ox.add(ox.Quad(_nn("x0"), _nn("points"), _nn("target"), _nn("graph/b")))
        store.ox.add(ox.Quad(_nn("target"), _nn("name"), ox.Literal("Target"), _nn("graph/a")))
        _copy_to_union(store)
        d = describe(store, URIRef(EX + "target"))
        [group] = d["incoming"]
        assert len(group["values"]) == MAX_PER_PROPERTY
        assert group["total"] == MAX_PER_PROPERTY + extra and group["more"] == extra
        assert len({v["iri"] for v in group["values"]}) == MAX_PER_PROPERTY
        counts = {v["iri"]: v["graph_count"] for v in group["values"]}
        assert counts.get(EX + "x0", 2) == 2 and set(counts.values()) <= {1, 2}
        assert d["truncated"]
        [out] = d["outgoing"]
        assert out["values"][0]["graph"]["iri"] == EX + "graph/a" and out["more"] == 0

        client = create_app({"TESTING": True}, store=store).test_client()
        html = client.get(f"/resource?iri={quote(EX + 'target', safe='')}").get_data(as_text=True)
        assert f"{extra} more not shown" in html
    finally:
        store.close()


def test_quote_index_finds_each_quote_once_with_its_report_and_span():
    idx = QuoteIndex(
        [("Pathway plans were late. Pathway plans improved.", "r1", 10, 58),
         ("No plans here", "r2", None, None),
         ("İstanbul pathway PLANS", "r2", 3, 25)],
        {"r1": "Report one"},
    )
    hits = list(idx.find("pathway plans"))
    assert [k for k, _pos in hits] == [0, 2]
    first = idx.hit(*hits[0], len("pathway plans"))
    assert first["match"] == "Pathway plans" and first["iri"] == "r1" and first["label"] == "Report one"
    assert first["anchor"] == "ev-10-58"
    last = idx.hit(*hits[1], len("pathway plans"))
    assert last["match"] == "pathway PLANS" and last["anchor"] == "ev-3-25" and last["label"] == "R2"
    # a match never runs from one quote into the next
    assert list(idx.find("improved.no")) == [] and list(idx.find("\x00")) == []


def test_evidence_is_read_for_the_sources_shown_only(tmp_path):
    from graph.explore import evidence_for

    store = OxigraphStore(tmp_path / "s")
    try:
        derived = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
        for i in range(5):
            store.ox.add(ox.Quad(_nn("fact"), derived, _nn(f"src{i}"), _nn(f"graph/{i}")))
        store.ox.add(ox.Quad(_nn("other"), derived, _nn("src0"), _nn("graph/0")))
        _copy_to_union(store)
        ev = evidence_for(store, [URIRef(EX + "fact"), URIRef(EX + "other")], per_subject=3)
        assert len(ev[EX + "fact"]) == 3 and len(ev[EX + "other"]) == 1
        assert len(evidence_for(store, [URIRef(EX + "fact")])[EX + "fact"]) == 5
    finally:
        store.close()


def test_quote_index_matches_typographic_characters_exactly():
    idx = QuoteIndex([("the child’s plan – reviewed", "r1", 0, 27), ("the child's plan - late", "r1", 30, 53),
                      ("ŁÓDŹ visit", "r2", 60, 70)], {})
    # one byte a character, the wide characters and the capitals kept aside
    assert len(idx.low) == sum(len(q) + 1 for q in ("the child’s plan – reviewed", "the child's plan - late",
                                                     "ŁÓDŹ visit"))
    assert sys.getsizeof(idx.low) < 2 * len(idx.low) and idx.wide == "’–ŁŹ" and bytes(idx.case_was) == b"\xd3D"
    assert [k for k, _ in idx.find("child’s plan –")] == [0]
    assert [k for k, _ in idx.find("child's plan -")] == [1]
    assert [k for k, _ in idx.find("child’s")] == [0] and [k for k, _ in idx.find("łódź")] == [2]
    assert list(idx.find("łodź")) == [] and list(idx.find("child‘s")) == []
    assert idx.hit(2, 0, 4)["match"] == "ŁÓDŹ"


def test_quote_index_gives_every_quote_back_as_it_was():
    quotes = [("the child’s plan – reviewed", "r1", 0, 27), ("• ŁÓDŹ visit 😀 \x1a end İx", "r2", 1, 2),
              ("Plain ASCII, À la Ökonomie ÿ×ß", "r1", None, None), ("ΟΔΟΣ σ KÅ", "r3", 5, 6)]
    idx = QuoteIndex(quotes, {})
    assert len(idx) == 4
    for k, (q, *_rest) in enumerate(quotes):
        assert idx.hit(k, 0, len(q))["match"] == q
        assert idx.hit(k, 2, 3)["match"] == q[2:5]
    # a mark stands for the wide characters, but only a real \x1a matches one
    assert list(idx.find("\x1a")) == [(1, quotes[1][0].index("\x1a"))]
    assert list(idx.find("😀 \x1a")) == [(1, quotes[1][0].index("😀"))]
    assert [k for k, _ in idx.find("οδοσ")] == [3] and list(idx.find("οδος")) == []
    assert [k for k, _ in idx.find("à la ökonomie ÿ×ß")] == [2] and [k for k, _ in idx.find("kå")] == [3]
    assert [k for k, _ in idx.find("end i")] == [] and [k for k, _ in idx.find("end İ".lower()[:4])] == [1]


def test_serve_caps_heap_arenas_unless_the_user_did(monkeypatch):
    import ctypes.util

    from graph.explore import limit_heap_arenas

    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert limit_heap_arenas() is False
    monkeypatch.delenv("MALLOC_ARENA_MAX")
    glibc = "libc.so" in (ctypes.util.find_library("c") or "")
    assert limit_heap_arenas() is glibc
