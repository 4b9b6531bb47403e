"""/connections, /connections/central and the lookup, through the test client."""

from __future__ import annotations

import pytest

from tests.analytics.constructed import ADA, constructed_app, iri


@pytest.fixture(scope="module")
def app_store():
    app, store = constructed_app()
    yield app, store
    store.close()


@pytest.fixture
def client(app_store):
    return app_store[0].test_client()


def test_connections_json_tells_the_path_with_evidence(client, app_store):
    data = client.get("/connections.json", query_string={"from": "Northshire County Council", "to": "Southshire County Council"}).get_json()
    best = data["result"]["paths"][0]
    assert [n["label"] for n in best["nodes"]] == ["Northshire County Council", "Ada Quill", "Southshire County Council"]
    assert best["nodes"][1]["url"] == "/id/person/ada-quill"
    assert best["steps"][1]["evidence"] == "Ada Quill, the Children's Services Commissioner for Southshire, reported in June 2019."
    ids = {n["id"] for n in data["network"]["nodes"]}
    assert iri(app_store[1], ADA) in ids
    assert len(data["network"]["edges"]) >= 2


def test_connections_page_shows_the_chain_and_the_network(client):
    html = client.get("/connections?from=Northshire+County+Council&to=Southshire+County+Council").get_data(as_text=True)
    assert "Ada Quill was appointed Children&#39;s Services Commissioner for Northshire in March 2018." in html
    assert 'id="network-data"' in html
    assert 'href="/connections.json?from=Northshire+County+Council&amp;to=Southshire+County+Council"' in html


def test_connections_errors_are_plain(client):
    r = client.get("/connections.json?from=Nobody&to=Ada+Quill")
    assert r.status_code == 404
    assert r.get_json()["error"] == "no entity is labelled 'Nobody'"
    assert client.get("/connections").status_code == 200  # the empty form


def test_central_json_ranks_and_filters(client):
    data = client.get("/connections/central.json?type=person&measure=betweenness&top=2").get_json()
    rows = data["result"]["rows"]
    assert [r["label"] for r in rows][:1] == ["Ada Quill"] and len(rows) == 2
    assert rows[0]["url"] == "/id/person/ada-quill"
    councils = client.get("/connections/central.json?type=council").get_json()["result"]["rows"]
    assert {r["type"] for r in councils} == {"council"}
    assert client.get("/connections/central.json?measure=fame").status_code == 400
    html = client.get("/connections/central?type=person").get_data(as_text=True)
    assert "<table class=\"rank\">" in html and "Ada Quill" in html


def test_lookup_suggests_entities_best_connected_first(client):
    data = client.get("/connections/lookup.json?q=shire").get_json()
    labels = [r["label"] for r in data["results"]]
    assert labels[0] == "Northshire County Council"
    assert "Southshire County Council" in labels
    people = client.get("/connections/lookup.json?q=a&type=person").get_json()["results"]
    assert people and {r["type"] for r in people} == {"person"}
