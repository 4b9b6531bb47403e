"""Real SPARQL clients against /sparql served by waitress: SPARQLWrapper, rdflib's SPARQLStore
(with its default settings) and plain urllib, as curl would."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.parse
import urllib.request

import pytest
from rdflib import Graph
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

from webapp import create_app

REPORTS = "PREFIX schema: <https://schema.org/> SELECT ?r WHERE { ?r a schema:Report }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint(sample_store):
    from waitress.server import create_server

    app = create_app({"TESTING": True}, store=sample_store)
    server = create_server(app, host="127.0.0.1", port=free_port(), threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.effective_port}/sparql"
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", server.effective_port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.05)
    yield url
    server.close()
    executor = app.extensions.get("cskg_executor")
    if executor is not None:
        executor.close()


def test_sparqlwrapper_select_and_construct(endpoint):
    sw = SPARQLWrapper(endpoint)
    sw.setQuery(REPORTS)
    sw.setReturnFormat(JSON)
    rows = sw.query().convert()["results"]["bindings"]
    assert len(rows) == 5
    sw = SPARQLWrapper(endpoint)
    sw.setQuery("PREFIX schema: <https://schema.org/> CONSTRUCT { ?r a schema:Report } WHERE { ?r a schema:Report }")
    sw.setReturnFormat(TURTLE)
    g = Graph().parse(data=sw.query().convert(), format="turtle")
    assert len(g) == 5
    sw = SPARQLWrapper(endpoint)  # its default: XML results
    sw.setQuery(REPORTS)
    assert len(sw.query().convert().getElementsByTagName("result")) == 5


def test_rdflib_sparqlstore_with_default_settings(endpoint):
    store = SPARQLStore(endpoint)
    rows = list(Graph(store=store).query(REPORTS))
    assert len(rows) == 5


def test_plain_http_like_curl(endpoint):
    body = urllib.parse.urlencode({"query": REPORTS}).encode()
    req = urllib.request.Request(endpoint, data=body, headers={"Accept": "text/csv"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        assert resp.headers.get_content_type() == "text/csv"
        assert len(resp.read().decode().strip().splitlines()) == 6
    req = urllib.request.Request(endpoint + "?" + urllib.parse.urlencode({"query": "ASK {}"}))
    with urllib.request.urlopen(req, timeout=30) as resp:
        assert json.loads(resp.read())["boolean"] is True
