"""/network and /network/overview through the test client, asserting on the .json twins."""

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


def test_network_json_is_the_page_context(client, app_store):
    store = app_store[1]
    data = client.get("/network.json", query_string={"focus": "Ada Quill", "hops": 2}).get_json()
    assert data["query"]["hops"] == 2
    result = data["result"]
    assert result["focus"] == {"iri": iri(store, ADA), "label": "Ada Quill", "type": "person", "url": "/id/person/ada-quill"}
    labels = {n["label"] for n in result["network"]["nodes"]}
    assert {"Northshire County Council", "Ben North", "Cal South"} <= labels
    assert {t["key"] for t in result["legend"]} >= {"person", "council"}


def test_network_page_embeds_the_data_as_json_not_script(client):
    html = client.get("/network?focus=Ada+Quill").get_data(as_text=True)
    assert '<script type="application/json" id="network-data">' in html
    assert 'data-network="network-data"' in html
    assert "<script>" not in html and "onclick" not in html
    assert 'rel="alternate" type="application/json" href="/network.json?focus=Ada+Quill"' in html
    assert "/static/vendor/vis-network/vis-network.min.js" in html
    assert 'class="swatch swatch-council"' in html


def test_type_checkboxes_filter_and_the_cap_note_shows(client):
    data = client.get("/network.json?focus=Northshire+County+Council&hops=2&types=person").get_json()["result"]
    assert {n["type"] for n in data["network"]["nodes"]} == {"person", "council"}
    html = client.get("/network?focus=Northshire+County+Council&hops=2&cap=5&types=person&types=inspection&types=report&types=programme&types=grant&types=judgement&types=intervention&types=organisation").get_data(as_text=True)
    assert "more not shown" in html


def test_unknown_focus_is_a_404_with_a_plain_message(client):
    r = client.get("/network.json?focus=Nobody+Atall")
    assert r.status_code == 404
    assert r.get_json()["error"] == "no entity is labelled 'Nobody Atall'"
    assert client.get("/network?focus=Nobody+Atall").status_code == 404


def test_bad_numbers_are_400(client):
    assert client.get("/network.json?focus=Ada+Quill&hops=two").status_code == 400


def test_overview_filters(client):
    data = client.get("/network/overview.json?types=council&types=commissioner").get_json()
    result = data["result"]
    assert {n["label"] for n in result["network"]["nodes"] if n["type"] == "person"} == {"Ada Quill"}
    assert result["filters"]["types"] == ["commissioner", "council"]
    assert result["options"]["years"] == [2017, 2019]
    grades = result["options"]["grades"]
    assert [g["label"] for g in grades] == ["Inadequate"]
    filtered = client.get("/network/overview.json", query_string={"types": ["council", "inspection"], "grade": grades[0]["iri"]}).get_json()
    assert {n["label"] for n in filtered["result"]["network"]["nodes"] if n["type"] == "council"} == {"Northshire County Council"}
    assert client.get("/network/overview.json?types=planet").status_code == 400
    html = client.get("/network/overview").get_data(as_text=True)
    assert 'id="network-data"' in html and "Apply filters" in html


def test_report_text_is_escaped_in_labels(client, app_store):
    """Labels come from reports: they reach the page as JSON in a data block and as escaped text."""
    from graph.build import report_triples
    from graph.store import SourceBatchItem, SourceRecord, now_iso
    from loaders.model import Document, Evidence, OrgRef, Programme

    store = app_store[1]
    text = "The <script>alert(1)</script> Programme is run by Northshire.\\n"
    name = "The <script>alert(1)</script> Programme"
    doc = Document("xss.txt", "xss.txt", "text/plain", "sha-xss", text)
    fact = Programme(name=name, org=OrgRef("Northshire County Council", gss="E10000901", kind="council"),
                     evidence=Evidence(name, 0, len(name), "t", "1"))
    triples = report_triples(doc, [fact], store.minter)
    graph = store.minter.report_graph("xss-txt")
    store.replace_sources([SourceBatchItem(SourceRecord(graph, "xss.txt", "sha-xss", "t", now_iso(), len(triples), "report"), triples)])
    try:
        html = client.get("/network?focus=Northshire+County+Council").get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html
        assert "\\u003cscript\\u003ealert(1)" in html  # inside the JSON block
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # in the list of entities
    finally:
        store.remove_source(graph)
