"""An entity page shows at most ten of its sources; when it has more, it says how many and links
every one as CSV (a query on /sparql)."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import pytest

from graph.store import OxigraphStore
from ontology.namespace import OA, PROV, XSD
from tests.webapp.fixture_graph import load_fixture_graph
from webapp import create_app

BASE = "https://w3id.org/cskg/id/"
INTERVENTION = "intervention/northmoor-metropolitan-borough-council--statutory-direction--2018-01-15"
INSPECTION = "inspection/northmoor-metropolitan-borough-council--sif--2017-11-06"
EXTRA = 11  # sources added to the intervention's one


@pytest.fixture(scope="module")
def client():
    store = OxigraphStore(None)
    load_fixture_graph(store)
    iri = f"<{BASE}{INTERVENTION}>"
    graph, text = next(
        (str(r[0]), str(r[1])) for r in store.query(
            f"SELECT ?g ?t WHERE {{ GRAPH ?g {{ {iri} <{PROV.wasDerivedFrom}> ?ev . ?ev <{OA.hasSource}> ?t }} }}")
    )
    triples = []
    for k in range(EXTRA):  # as another report would state it: its own evidence span
        ev, q, p = f"<http://example.org/ev/{k}>", f"<http://example.org/q/{k}>", f"<http://example.org/p/{k}>"
        triples += [f"{iri} <{PROV.wasDerivedFrom}> {ev} .", f"{ev} <{OA.hasSource}> <{text}> .",
                    f"{ev} <{OA.hasSelector}> {q} .", f'{q} <{OA.exact}> "Sentence number {k}." .',
                    f"{ev} <{OA.hasSelector}> {p} .", f'{p} <{OA.start}> "{1000 + k}"^^<{XSD.integer}> .']
    body = "\n".join(triples)
    store.update(f"INSERT DATA {{ GRAPH <{graph}> {{ {body} }} {body} }}")
    app = create_app({"TESTING": True}, store=store)
    yield app.test_client()
    store.close()


def test_a_page_with_more_sources_than_it_shows_counts_them_and_links_every_one(client):
    ctx = client.get(f"/id/{INTERVENTION}.json").get_json()
    entity = ctx["entity"]
    assert len(entity["evidence"]) == 10
    assert entity["evidence_total"] == EXTRA + 1
    html = client.get(f"/id/{INTERVENTION}").get_data(as_text=True)
    assert f"10 of {EXTRA + 1} sources are shown" in html
    link = unescape(re.search(r'<a href="([^"]+)" download>Download all', html).group(1))
    r = client.get(link)
    assert r.status_code == 200 and r.content_type.startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    assert len(rows) == EXTRA + 1
    quotes = {row["quote"] for row in rows}
    assert {f"Sentence number {k}." for k in range(EXTRA)} < quotes
    assert all(row["report"].startswith(BASE + "report/northmoor") for row in rows)


def test_a_page_showing_every_source_has_no_such_note(client):
    ctx = client.get(f"/id/{INSPECTION}.json").get_json()
    assert 1 <= ctx["entity"]["evidence_total"] == len(ctx["entity"]["evidence"]) <= 10
    assert ctx["entity"]["evidence_query"] is None
    assert "sources are shown" not in client.get(f"/id/{INSPECTION}").get_data(as_text=True)
