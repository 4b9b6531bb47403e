"""/workbench: the page's configuration (endpoint, prefixes, library examples) and the label service."""

from __future__ import annotations

import json
import re

import pytest

from tests.analytics.constructed import ADA, constructed_app, iri, library_fixtures


@pytest.fixture(scope="module")
def app_store():
    app, store = constructed_app()
    yield app, store
    store.close()


@pytest.fixture
def client(app_store, monkeypatch):
    yield from (c for _ in library_fixtures(monkeypatch) for c in [app_store[0].test_client()])


def test_workbench_offers_library_examples_ready_to_run(client, app_store):
    data = client.get("/workbench.json").get_json()
    assert data["endpoint"] == "/sparql"
    assert data["prefixes"]["cs"] == "https://w3id.org/cskg/def/cs#"
    assert data["prefixes"]["id"] == "https://w3id.org/cskg/id/"
    assert data["default_query"].startswith("PREFIX cs: <https://w3id.org/cskg/def/cs#>")
    examples = {e["name"]: e for e in data["examples"]}
    timeline = examples["interventions_timeline"]
    assert timeline["view"] == "timeline"
    # the default is bound as a typed VALUES row, so the text runs as it stands
    assert "VALUES ?since { 2000 }" in timeline["query"]
    r = client.post("/sparql", data={"query": timeline["query"]})
    assert r.status_code == 200
    assert len(json.loads(r.data)["results"]["bindings"]) == 2
    # a required parameter is left for the user, with a note saying so
    assert "# bind ?council (iri): the council\n" in examples["people_of_council"]["query"]


def test_workbench_page_has_no_inline_script(client):
    html = client.get("/workbench?example=interventions_timeline").get_data(as_text=True)
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all("src=" in s or 'type="application/json"' in s for s in scripts)
    assert "/static/vendor/yasgui/yasgui.min.js" in html and "/static/js/workbench.js" in html
    config = json.loads(re.search(r'<script type="application/json" id="workbench-config">(.*?)</script>', html, re.S).group(1))
    assert config["selected"] == "interventions_timeline"


def test_labels_service_names_iris(client, app_store):
    store = app_store[1]
    r = client.post("/workbench/labels.json", json={"iris": [iri(store, ADA), "https://w3id.org/cskg/def/cs#programmeOf"]})
    data = r.get_json()
    assert data[iri(store, ADA)]["label"] == "Ada Quill" and data[iri(store, ADA)]["url"] == "/id/person/ada-quill"
    assert data["https://w3id.org/cskg/def/cs#programmeOf"]["type"] is None
    assert client.post("/workbench/labels.json", data="not json").get_json() == {}


def test_vendored_assets_are_served_with_their_licences(client):
    for path in ("/static/vendor/yasgui/yasgui.min.js", "/static/vendor/yasgui/yasgui.min.css",
                 "/static/vendor/vis-network/vis-network.min.js", "/static/vendor/vis-network/vis-network.css"):
        r = client.get(path)
        assert r.status_code == 200 and len(r.data) > 1000, path
        r.close()
    from pathlib import Path

    vendor = Path(__file__).resolve().parents[2] / "webapp" / "static" / "vendor"
    assert (vendor / "yasgui" / "LICENSE").read_text().startswith("MIT License")
    assert "Apache" in (vendor / "vis-network" / "LICENSE").read_text()
