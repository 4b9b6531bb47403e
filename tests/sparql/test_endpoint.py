"""/sparql and /rdf-graph-store against the sample store: the SPARQL 1.1 Protocol, formats, the
read-only rules (every bypass we could think of), the deadline, the row cap and request limits."""

from __future__ import annotations

import csv
import io
import json
import threading

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic
from rdflib.query import Result

from webapp import create_app

COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
REPORTS = "SELECT ?file WHERE { ?r a schema:Report ; cs:sourceFile ?file } ORDER BY ?file"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
CONSTRUCT = "CONSTRUCT { ?r dcterms:title ?t ; cs:sourceFile ?f } WHERE { ?r a schema:Report ; dcterms:title ?t ; cs:sourceFile ?f }"


@pytest.fixture(scope="module")
def app(sample_store):
    app = create_app({"TESTING": True, "QUERY_TIMEOUT": 1.5, "MAX_ROWS": 50, "QUERY_WORKERS": 2,
                      "QUERY_QUEUE_TIMEOUT": 120, "QUERY_MAX_WAITING": 4}, store=sample_store)
    yield app
    executor = app.extensions.get("cskg_executor")
    if executor is not None:
        executor.close()


@pytest.fixture
def client(app):
    return app.test_client()


def sparql_json(response) -> list[dict]:
    assert response.status_code == 200, response.get_data(as_text=True)
    data = json.loads(response.data)
    return data["results"]["bindings"]


def test_get_post_form_and_post_body_give_the_same_rows(client):
    by_get = sparql_json(client.get("/sparql", query_string={"query": REPORTS}))
    by_form = sparql_json(client.post("/sparql", data={"query": REPORTS}))
    by_body = sparql_json(client.post("/sparql", data=REPORTS, content_type="application/sparql-query"))
    assert by_get == by_form == by_body
    assert len(by_get) == 5 and by_get[0]["file"]["type"] == "literal"


@pytest.mark.parametrize("accept,fmt", [
    ("application/sparql-results+json", None), ("application/sparql-results+xml", None), ("text/csv", None),
    ("text/tab-separated-values", None), ("text/html,*/*;q=0.8", "csv"), (None, "tsv"), (None, "xml"),
])
def test_select_results_in_every_format(client, accept, fmt):
    headers = {"Accept": accept} if accept else {}
    params = {"query": REPORTS} | ({"format": fmt} if fmt else {})
    r = client.get("/sparql", query_string=params, headers=headers)
    assert r.status_code == 200
    ctype = r.mimetype
    body = r.get_data(as_text=True)
    if ctype == "application/sparql-results+json":
        files = [b["file"]["value"] for b in json.loads(body)["results"]["bindings"]]
    elif ctype == "application/sparql-results+xml":
        files = [str(row[0]) for row in Result.parse(io.BytesIO(r.data), format="xml")]
    elif ctype == "text/csv":
        rows = list(csv.reader(io.StringIO(body)))
        assert rows[0] == ["file"]
        files = [row[0] for row in rows[1:]]
    else:
        assert ctype == "text/tab-separated-values"
        lines = body.splitlines()
        assert lines[0] == "?file"
        files = [json.loads(line) for line in lines[1:]]  # "..." N-Triples literals are JSON strings here
    assert len(files) == 5 and all(f.endswith(".txt") for f in files)


def test_ask_in_json_and_xml(client):
    r = client.get("/sparql", query_string={"query": "ASK { ?c a cs:LocalAuthority }"})
    assert json.loads(r.data) == {"head": {}, "boolean": True}
    r = client.get("/sparql", query_string={"query": "ASK { ?c a <http://example.org/Nothing> }"},
                   headers={"Accept": "application/sparql-results+xml"})
    assert b"<boolean>false</boolean>" in r.data


def test_construct_formats_agree(client):
    graphs = {}
    for accept, fmt in [("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
                        ("application/rdf+xml", "xml")]:
        r = client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": accept})
        assert r.status_code == 200 and r.mimetype == accept
        graphs[accept] = Graph().parse(data=r.data, format=fmt)
    r = client.get("/sparql", query_string={"query": CONSTRUCT, "format": "trig"})
    ds = Dataset()
    ds.parse(data=r.data, format="trig")
    trig = Graph()
    for s, p, o, _g in ds.quads():
        trig.add((s, p, o))
    reference = graphs["text/turtle"]
    assert len(reference) == 10
    for g in [*graphs.values(), trig]:
        assert isomorphic(g, reference)
    assert b"@prefix cs:" in client.get("/sparql", query_string={"query": CONSTRUCT}).data


def test_default_graph_is_the_union_and_named_graphs_work(client, sample_store):
    graph = next(str(r.graph) for r in sample_store.sources() if r.kind == "report")
    union = sparql_json(client.get("/sparql", query_string={"query": REPORTS}))
    only = sparql_json(client.get("/sparql", query_string={"query": REPORTS, "default-graph-uri": graph}))
    assert len(union) == 5 and len(only) == 1
    named = sparql_json(client.get("/sparql", query_string={
        "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?r a schema:Report } }", "named-graph-uri": graph}))
    assert [b["g"]["value"] for b in named] == [graph]


def test_syntax_error_is_400_with_the_position(client):
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE {\n  ?s ?p \n}"})
    assert r.status_code == 400
    text = r.get_data(as_text=True)
    assert "syntax error" in text and "3:" in text


def test_a_get_without_query_shows_a_page_pointing_to_the_workbench(client):
    r = client.get("/sparql", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert b'href="/workbench"' in r.data
    assert client.get("/sparql", headers={"Accept": "application/sparql-results+json"}).status_code == 400


# --------------------------------------------------------------------------- read-only, no federation
INSERT = "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/s> <http://example.org/p> 1 } }"
UPDATE_ATTEMPTS = [
    ("GET update=", "get", {"update": INSERT}, None, None),
    ("GET query=insert", "get", {"query": INSERT}, None, None),
    ("GET lower case", "get", {"query": INSERT.lower()}, None, None),
    ("GET mixed case delete", "get", {"query": "DeLeTe WHERE { ?s ?p ?o }"}, None, None),
    ("GET after a comment", "get", {"query": "# just a select\nINSERT DATA { <x:s> <x:p> <x:o> }"}, None, None),
    ("GET prologue then update", "get", {"query": "PREFIX ex: <http://example.org/>\nDELETE DATA { ex:s ex:p ex:o }"}, None, None),
    ("GET query then update", "get", {"query": "SELECT * WHERE { ?s ?p ?o } ; DROP ALL"}, None, None),
    ("GET load", "get", {"query": "LOAD <http://example.org/data.ttl>"}, None, None),
    ("GET clear", "get", {"query": "CLEAR ALL"}, None, None),
    ("GET drop graph", "get", {"query": "DROP SILENT GRAPH <http://example.org/g>"}, None, None),
    ("GET with/using", "get", {"query": "WITH <http://x/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"}, None, None),
    ("GET escaped keyword", "get", {"query": "\\u0049NSERT DATA { <x:s> <x:p> <x:o> }"}, None, None),
    ("GET using-graph-uri", "get", {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "using-graph-uri": "http://x/g"}, None, None),
    ("POST form update=", "post", {"update": INSERT}, None, None),
    ("POST form query=insert", "post", {"query": INSERT}, None, None),
    ("POST sparql-update", "post", None, INSERT, "application/sparql-update"),
    ("POST sparql-query body update", "post", None, INSERT, "application/sparql-query"),
    ("POST text/plain", "post", None, INSERT, "text/plain"),
    ("POST no content type", "post", None, "update=" + INSERT, ""),
    ("POST json", "post", None, json.dumps({"update": INSERT}), "application/json"),
    ("POST multipart update", "post", {"update": INSERT, "x": (io.BytesIO(b"1"), "x.txt")}, None, "multipart/form-data"),
    ("POST multipart query", "post", {"query": INSERT}, None, "multipart/form-data"),
    ("POST multipart file", "post", {"query": (io.BytesIO(INSERT.encode()), "q.rq")}, None, "multipart/form-data"),
]
SERVICE_ATTEMPTS = [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
    "select * where { service silent <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?x ?y ?z OPTIONAL { { SERVICE ?endpoint { ?s ?p ?o } } } VALUES ?endpoint { <http://127.0.0.1:1/> } }",
    "SELECT * WHERE { ?s ?p ?o . SERVICE#comment\n<http://127.0.0.1:1/sparql>{ ?a ?b ?c } }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?p<?o) SERVICE<http://127.0.0.1:1/>{?a ?b ?c} FILTER(?o>?p) }",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
]


@pytest.mark.parametrize("label,method,data,body,ctype", UPDATE_ATTEMPTS, ids=[a[0] for a in UPDATE_ATTEMPTS])
def test_updates_are_refused_in_every_form(client, sample_store, label, method, data, body, ctype):
    before = int(next(iter(sample_store.query(COUNT_ALL)))[0])
    if method == "get":
        r = client.get("/sparql", query_string=data)
    elif body is not None:
        r = client.post("/sparql", data=body, content_type=ctype)
    else:
        r = client.post("/sparql", data=data, content_type=ctype or "application/x-www-form-urlencoded")
    assert 400 <= r.status_code < 500, (label, r.status_code, r.data)
    assert r.get_data(as_text=True).strip(), "the refusal says why"
    assert int(next(iter(sample_store.query(COUNT_ALL)))[0]) == before


@pytest.mark.parametrize("query", SERVICE_ATTEMPTS)
def test_service_is_refused(client, query):
    r = client.get("/sparql", query_string={"query": query})
    assert r.status_code == 403 and b"SERVICE" in r.data


def test_strings_and_names_that_look_like_keywords_are_fine(client):
    q = ('PREFIX insert: <http://example.org/>\nSELECT ?service ("DELETE DATA" AS ?note) WHERE { '
         "# LOAD <http://x/> in a comment\n ?service a cs:LocalAuthority } LIMIT 1")
    rows = sparql_json(client.get("/sparql", query_string={"query": q}))
    assert rows[0]["note"]["value"] == "DELETE DATA"


# --------------------------------------------------------------------------- bounds
def test_row_cap_truncates_and_says_so(client):
    r = client.get("/sparql", query_string={"query": "SELECT ?c WHERE { ?c a cs:LocalAuthority }"})
    assert r.headers["X-Cskg-Truncated"] == "true"
    data = json.loads(r.data)
    assert len(data["results"]["bindings"]) == 50
    assert data["head"]["link"][0].endswith("#row-limit")
    small = client.get("/sparql", query_string={"query": REPORTS})
    assert "X-Cskg-Truncated" not in small.headers
    csv_r = client.get("/sparql", query_string={"query": "SELECT ?c WHERE { ?c a cs:LocalAuthority }", "format": "csv"})
    assert csv_r.headers["X-Cskg-Truncated"] == "true" and len(csv_r.data.splitlines()) == 51


def test_oversized_requests_are_refused(client):
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (2 * 1024 * 1024)
    assert client.post("/sparql", data=big, content_type="application/sparql-query").status_code == 413
    assert client.post("/sparql", data={"query": big}).status_code == 413


def test_a_runaway_query_is_stopped_with_503_and_the_endpoint_keeps_answering(client):
    r = client.get("/sparql", query_string={"query": RUNAWAY})
    assert r.status_code == 503 and b"stopped" in r.data
    assert len(sparql_json(client.get("/sparql", query_string={"query": REPORTS}))) == 5


def test_eight_concurrent_runaways_do_not_starve_normal_queries(app):
    messages: list[tuple[int, str]] = []

    def runaway() -> None:
        r = app.test_client().get("/sparql", query_string={"query": RUNAWAY})
        messages.append((r.status_code, r.get_data(as_text=True)))

    threads = [threading.Thread(target=runaway) for _ in range(8)]
    for t in threads:
        t.start()
    other_page = app.test_client().get("/sparql", headers={"Accept": "text/html"})
    # a well-behaved client: a 503 "busy" asks it to come back (Retry-After); it is never starved
    for _ in range(200):
        normal = app.test_client().get("/sparql", query_string={"query": REPORTS})
        if normal.status_code != 503:
            break
        assert "busy" in normal.get_data(as_text=True) and normal.headers["Retry-After"]
        threading.Event().wait(0.2)
    for t in threads:
        t.join()
    assert normal.status_code == 200 and len(json.loads(normal.data)["results"]["bindings"]) == 5
    assert other_page.status_code == 200
    assert [status for status, _ in messages] == [503] * 8
    stopped = [m for _, m in messages if "was stopped" in m]
    assert len(stopped) >= 2, "the deadline stopped the runaways that got a worker"
    assert all("was stopped" in m or "busy" in m for _, m in messages)


# --------------------------------------------------------------------------- Graph Store Protocol
def test_graph_store_reads_graphs_and_refuses_writes(client, sample_store):
    rec = next(r for r in sample_store.sources() if r.kind == "report")
    r = client.get("/rdf-graph-store", query_string={"graph": str(rec.graph)}, headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.mimetype == "text/turtle"
    assert len(Graph().parse(data=r.data, format="turtle")) == rec.triple_count
    nt = client.get("/rdf-graph-store", query_string={"graph": str(rec.graph)}, headers={"Accept": "application/n-triples"})
    assert isomorphic(Graph().parse(data=nt.data, format="nt"), Graph().parse(data=r.data, format="turtle"))
    assert client.head("/rdf-graph-store", query_string={"graph": str(rec.graph)}).status_code == 200
    assert client.get("/rdf-graph-store?graph=http://example.org/none").status_code == 404
    assert client.get("/rdf-graph-store").status_code == 400
    for method in ("put", "post", "delete"):
        resp = getattr(client, method)("/rdf-graph-store", query_string={"graph": str(rec.graph)}, data="<a:a> <a:a> <a:a> .",
                                       content_type="text/turtle")
        assert resp.status_code == 405 and resp.headers["Allow"] == "GET, HEAD"
    default = client.get("/rdf-graph-store?default", headers={"Accept": "application/n-triples"})
    assert default.status_code == 200 and len(Graph().parse(data=default.data, format="nt")) > rec.triple_count


def test_an_in_memory_store_is_served_from_a_snapshot_with_the_same_bounds():
    from graph.load import load_paths
    from graph.store import OxigraphStore
    from tests.conftest import SAMPLES

    store = OxigraphStore(None)
    load_paths(store, sorted(SAMPLES.glob("*.txt"))[:1])
    app = create_app({"TESTING": True, "QUERY_TIMEOUT": 1, "QUERY_WORKERS": 1}, store=store)
    try:
        client = app.test_client()
        assert len(sparql_json(client.get("/sparql", query_string={"query": REPORTS}))) == 1
        assert client.get("/sparql", query_string={"query": RUNAWAY}).status_code == 503
        assert len(sparql_json(client.get("/sparql", query_string={"query": REPORTS}))) == 1
    finally:
        app.extensions["cskg_executor"].close()
