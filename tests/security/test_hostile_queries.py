"""Hostile queries against /sparql: a regression test for every way we could think of to write
through the read-only endpoint or make it fetch URLs (SSRF), and the bounds under load.

The endpoint's own unit tests live in tests/sparql; this suite is the attacker's view: every
attempt is checked both for the refusal (4xx) and for its effect (the store's sources and triple
count are unchanged, and a listener on 127.0.0.1 never receives the SERVICE request)."""

from __future__ import annotations

import http.server
import io
import json
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest

from webapp import create_app

COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
REPORTS = "SELECT ?file WHERE { ?r a schema:Report ; cs:sourceFile ?file } ORDER BY ?file"
# three copies of ?s ?p ?o: far too many rows to finish inside the test deadline
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
MANY_ROWS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
MAX_ROWS = 40


@pytest.fixture(scope="module")
def app(sample_store):
    app = create_app({"TESTING": True, "QUERY_TIMEOUT": 1.5, "MAX_ROWS": MAX_ROWS, "QUERY_WORKERS": 2,
                      "QUERY_QUEUE_TIMEOUT": 60, "QUERY_MAX_WAITING": 4}, store=sample_store)
    yield app
    executor = app.extensions.get("cskg_executor")
    if executor is not None:
        executor.close()


@pytest.fixture
def client(app):
    return app.test_client()


def snapshot(store) -> tuple[int, list]:
    count = int(next(iter(store.query(COUNT_ALL)))[0])
    return count, sorted((str(r.graph), r.sha256, r.triple_count) for r in store.sources())


# ------------------------------------------------------------------------------------- updates
UPDATES = [
    "INSERT DATA { <http://example.org/s> <http://example.org/p> <http://example.org/o> }",
    "insert data { <http://example.org/s> <http://example.org/p> 1 }",
    "InSeRt DaTa { GRAPH <http://example.org/g> { <http://example.org/s> <http://example.org/p> 1 } }",
    "DELETE DATA { <http://example.org/s> <http://example.org/p> <http://example.org/o> }",
    "DELETE WHERE { ?s ?p ?o }",
    "delete { ?s ?p ?o } where { ?s ?p ?o }",
    "DELETE { GRAPH ?g { ?s ?p ?o } } INSERT { GRAPH ?g { ?s ?p 1 } } WHERE { GRAPH ?g { ?s ?p ?o } }",
    "WITH <http://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "DROP ALL", "drop default", "DROP SILENT NAMED", "Drop Graph <http://example.org/g>",
    "CLEAR ALL", "clear silent default",
    "CREATE GRAPH <http://example.org/new>",
    "ADD DEFAULT TO <http://example.org/g>", "MOVE DEFAULT TO <http://example.org/g>",
    "COPY <http://example.org/a> TO <http://example.org/b>",
    "LOAD <http://127.0.0.1:1/data.ttl>", "load silent <http://127.0.0.1:1/x> into graph <http://example.org/g>",
    # dressed up: comments, odd whitespace, a prologue, a query first
    "# a harmless comment\n\tDROP\u00a0ALL",
    "PREFIX ex: <http://example.org/>\n#SELECT\nDELETE DATA { ex:s ex:p ex:o }",
    "/* not a SPARQL comment */ DROP ALL",
    "SELECT * WHERE { ?s ?p ?o } ;\r\nDROP ALL",
    "ASK {} ; CLEAR ALL",
    "\ufeffDROP ALL",
    "\\u0044ROP ALL",
    "DR\\u004FP ALL",
    "\\U00000043LEAR ALL",
    '"} ; DROP ALL ; #',
    "DROP\x0bALL",
    "DROP\x0cALL",
    "DROP#\nALL",
]


def _send(client, how: str, text: str):
    if how == "GET query=":
        return client.get("/sparql", query_string={"query": text})
    if how == "GET update=":
        return client.get("/sparql", query_string={"update": text})
    if how == "POST form query=":
        return client.post("/sparql", data={"query": text})
    if how == "POST form update=":
        return client.post("/sparql", data={"update": text})
    if how == "POST form both":
        return client.post("/sparql", data={"query": "ASK {}", "update": text})
    if how == "POST urlencoded by hand":
        body = "update=" + urllib.parse.quote(text)
        return client.post("/sparql", data=body, content_type="application/x-www-form-urlencoded; charset=UTF-8")
    if how == "POST sparql-update":
        return client.post("/sparql", data=text, content_type="application/sparql-update")
    if how == "POST SPARQL-UPDATE upper case":
        return client.post("/sparql", data=text, content_type="Application/SPARQL-Update; charset=utf-8")
    if how == "POST sparql-query body":
        return client.post("/sparql", data=text, content_type="application/sparql-query")
    if how == "POST text/plain":
        return client.post("/sparql", data=text, content_type="text/plain")
    if how == "POST text/plain update=":
        return client.post("/sparql", data="update=" + urllib.parse.quote(text), content_type="text/plain")
    if how == "POST json":
        return client.post("/sparql", data=json.dumps({"update": text, "query": text}), content_type="application/json")
    if how == "POST multipart update=":
        return client.post("/sparql", data={"update": text}, content_type="multipart/form-data")
    if how == "POST multipart query=":
        return client.post("/sparql", data={"query": text}, content_type="multipart/form-data")
    if how == "POST multipart file":
        return client.post("/sparql", data={"update": (io.BytesIO(text.encode()), "u.ru")}, content_type="multipart/form-data")
    if how == "GET query= and update= in the same request":
        return client.get("/sparql?query=ASK%7B%7D&update=" + urllib.parse.quote(text))
    if how == "GET using-named-graph-uri":
        return client.get("/sparql", query_string={"query": text, "using-named-graph-uri": "http://example.org/g"})
    raise AssertionError(how)


CHANNELS = ["GET query=", "GET update=", "POST form query=", "POST form update=", "POST form both",
            "POST urlencoded by hand", "POST sparql-update", "POST SPARQL-UPDATE upper case", "POST sparql-query body",
            "POST text/plain", "POST text/plain update=", "POST json", "POST multipart update=",
            "POST multipart query=", "POST multipart file", "GET query= and update= in the same request",
            "GET using-named-graph-uri"]


@pytest.mark.parametrize("how", CHANNELS)
def test_no_channel_accepts_an_update(client, sample_store, how):
    before = snapshot(sample_store)
    for text in UPDATES:
        r = _send(client, how, text)
        assert 400 <= r.status_code < 500, (how, text, r.status_code, r.data[:200])
        assert r.get_data(as_text=True).strip(), "a refusal says why"
        assert b"Traceback" not in r.data
    assert snapshot(sample_store) == before


def test_updates_are_refused_before_they_reach_the_engine(client):
    """Every update text is refused as such (403 naming the reason), not merely failing to parse:
    the guard does not lean on the engine's parser."""
    for text in UPDATES:
        if text.startswith('"}'):
            continue  # not an update at all once parsed; covered by the channel test
        r = client.get("/sparql", query_string={"query": text})
        assert r.status_code == 403 and b"read-only" in r.data, (text, r.status_code, r.data[:200])


def test_queries_that_merely_mention_update_words_still_run(client):
    q = ('PREFIX drop: <http://example.org/drop#>\nSELECT ?insert ("CLEAR ALL ; DROP ALL" AS ?note) WHERE {\n'
         "  # DELETE WHERE { ?s ?p ?o }\n  ?insert a schema:Report . FILTER(?insert != drop:all)\n} LIMIT 1")
    r = client.get("/sparql", query_string={"query": q})
    assert r.status_code == 200, r.data
    assert json.loads(r.data)["results"]["bindings"][0]["note"]["value"] == "CLEAR ALL ; DROP ALL"


def test_other_write_methods_on_the_endpoints_are_refused(client, sample_store):
    before = snapshot(sample_store)
    turtle = "<http://example.org/s> <http://example.org/p> <http://example.org/o> ."
    for method in ("PUT", "DELETE", "PATCH"):
        r = client.open("/sparql", method=method, data="DROP ALL", content_type="application/sparql-update")
        assert r.status_code == 405
    for method in ("PUT", "POST", "DELETE", "PATCH"):
        for target in ("/rdf-graph-store?default", "/rdf-graph-store?graph=http://example.org/g"):
            r = client.open(target, method=method, data=turtle, content_type="text/turtle")
            assert r.status_code == 405, (method, target)
    assert snapshot(sample_store) == before


# --------------------------------------------------------------------------------- federation
@pytest.fixture(scope="module")
def listening():
    """A web server on 127.0.0.1 that records every request: SERVICE must never reach it."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()


@pytest.fixture
def listener(listening):
    base, hits = listening
    hits.clear()
    return base, hits


SERVICES = [
    "SELECT * WHERE { SERVICE <{u}/a> { ?s ?p ?o } }",
    "select * where { service silent <{u}/b> { ?s ?p ?o } }",
    "SELECT * WHERE { ?x ?y ?z OPTIONAL { SERVICE <{u}/c> { ?s ?p ?o } } } LIMIT 1",
    "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <{u}/d> { ?s ?p ?o } } } }",
    "SELECT * WHERE { { ?a ?b ?c } UNION { { { SERVICE SILENT <{u}/e> { ?s ?p ?o } } } } }",
    "SELECT * WHERE { VALUES ?endpoint { <{u}/f> } SERVICE ?endpoint { ?s ?p ?o } }",
    "SELECT * WHERE { BIND(<{u}/g> AS ?e) SERVICE SILENT ?e { ?s ?p ?o } }",
    "SELECT * WHERE { MINUS { SERVICE <{u}/h> { ?s ?p ?o } } }",
    "SELECT * WHERE { FILTER EXISTS { SERVICE <{u}/i> { ?s ?p ?o } } }",
    "ASK { SERVICE <{u}/j> { ?s ?p ?o } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <{u}/k> { ?s ?p ?o } }",
    "DESCRIBE ?s WHERE { SERVICE <{u}/l> { ?s ?p ?o } }",
    "PREFIX x: <{u}/> SELECT * WHERE { SERVICE x:m { ?s ?p ?o } }",
    "SELECT * WHERE { GRAPH ?g { SERVICE <{u}/n> { ?s ?p ?o } } }",
    "SELECT * WHERE {#\nSERVICE#\n<{u}/o>#\n{ ?s ?p ?o } }",
    "SELECT * WHERE { \tSeRvIcE\r\n\u00a0<{u}/p> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE<{u}/q>{?s ?p ?o} }",
    "SELECT * WHERE { \\u0053ERVICE <{u}/r> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVIC\\u0045 <{u}/s> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o . }SERVICE <{u}/t> { ?s ?p ?o }",
]
# keywords glued to the next token: Oxigraph's grammar needs no space after SERVICE
GLUED_SERVICES = [
    "SELECT * WHERE { SERVICESILENT <{u}/u> { ?s ?p ?o } }",
    "SELECT * WHERE { OPTIONAL { serviceSilent<{u}/v>{ ?s ?p ?o } } }",
    "PREFIX ex: <{u}/> SELECT * WHERE { SERVICEex:w { ?s ?p ?o } }",
    "PREFIX : <{u}/> SELECT * WHERE { SERVICE:x { ?s ?p ?o } }",
]


def _service_query(template: str, base: str) -> str:
    return template.replace("{u}", base)


@pytest.mark.parametrize("template", SERVICES)
def test_service_is_refused_wherever_it_hides(client, listener, template):
    base, hits = listener
    query = _service_query(template, base)
    for r in (client.get("/sparql", query_string={"query": query}),
              client.post("/sparql", data=query, content_type="application/sparql-query")):
        assert 400 <= r.status_code < 500, (query, r.status_code, r.data[:200])
    assert hits == [], f"the server fetched {hits} for {query!r}"


@pytest.mark.parametrize("template", GLUED_SERVICES)
def test_service_glued_to_the_next_token_is_refused(client, listener, template):
    base, hits = listener
    query = _service_query(template, base)
    r = client.get("/sparql", query_string={"query": query})
    assert 400 <= r.status_code < 500 and hits == [], (query, r.status_code, hits)


def test_dataset_iris_are_names_never_fetched(client, listener):
    """FROM, FROM NAMED and the protocol's graph parameters name graphs in the store; a URL
    there is never dereferenced."""
    base, hits = listener
    attempts = [
        ({"query": f"SELECT * FROM <{base}/from> WHERE {{ ?s ?p ?o }} LIMIT 1"}),
        ({"query": f"SELECT * FROM NAMED <{base}/named> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT 1"}),
        ({"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "default-graph-uri": f"{base}/dg"}),
        ({"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1", "named-graph-uri": f"{base}/ng"}),
        ({"query": f"SELECT * WHERE {{ GRAPH <{base}/graph> {{ ?s ?p ?o }} }} LIMIT 1"}),
        ({"query": f"DESCRIBE <{base}/describe>"}),
    ]
    for params in attempts:
        assert client.get("/sparql", query_string=params).status_code in (200, 400, 403), params
    assert client.get("/rdf-graph-store", query_string={"graph": f"{base}/gsp"}).status_code == 404
    assert hits == []


def test_service_through_the_query_library_and_workbench_is_impossible(client, listener):
    """Library parameters are bound as RDF terms: a parameter that smuggles SERVICE stays a string."""
    base, hits = listener
    library = json.loads(client.get("/queries.json").data)["queries"]
    payloads = [f'x" }} SERVICE <{base}/lib> {{ ?s ?p ?o }} #', f"<{base}/iri> }} SERVICE <{base}/lib2> {{ ?s ?p ?o",
                f"1 }} ; DROP ALL ; SERVICE <{base}/lib3> {{ }} #"]
    tried = 0
    for entry in library:
        for param in entry["params"]:
            for payload in payloads:
                r = client.get(f"/queries/{entry['name']}.json", query_string={param["name"]: payload})
                assert r.status_code < 500, (entry["name"], param["name"], r.status_code, r.data[:200])
                tried += 1
    assert tried >= 10, "the library has parameters to attack"
    assert hits == []


# ------------------------------------------------------------------------------------- bounds
def test_request_size_limit_is_413_for_every_channel(client):
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (1024 * 1024 + 10)
    assert client.post("/sparql", data=big, content_type="application/sparql-query").status_code == 413
    assert client.post("/sparql", data={"query": big}).status_code == 413
    assert client.post("/sparql", data={"query": big}, content_type="multipart/form-data").status_code == 413
    assert client.post("/sparql", data="query=" + big, content_type="text/plain").status_code in (413, 415)


@pytest.fixture(scope="module")
def server(app):
    """The same app under waitress on a free loopback port, threaded like `cskg serve`."""
    import waitress.server

    srv = waitress.server.create_server(app, host="127.0.0.1", port=0, threads=16)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.effective_port}", srv.effective_port
    srv.close()


def _get(url: str, timeout: float = 60) -> tuple[int, bytes, dict]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read(), dict(e.headers)


def _sparql_url(base: str, query: str) -> str:
    return f"{base}/sparql?" + urllib.parse.urlencode({"query": query, "format": "json"})


@pytest.mark.slow
def test_eight_concurrent_runaways_are_stopped_while_the_site_keeps_answering(server, sample_store):
    base, _ = server
    before = snapshot(sample_store)
    results: list[tuple[int, bytes]] = []
    finished = threading.Event()

    def runaway() -> None:
        status, body, _ = _get(_sparql_url(base, RUNAWAY))
        results.append((status, body))
        if len(results) == 8:
            finished.set()

    threads = [threading.Thread(target=runaway) for _ in range(8)]
    for t in threads:
        t.start()
    # pages do not need a query worker: they answer while all eight runaways are in flight
    page_status, _, _ = _get(f"{base}/reports")
    page_answered_during_the_storm = not finished.is_set()
    normal = None
    for _ in range(300):
        status, body, headers = _get(_sparql_url(base, REPORTS))
        if status != 503:
            normal = (status, body)
            break
        assert headers.get("Retry-After"), "a busy answer tells the client when to come back"
        threading.Event().wait(0.1)
    for t in threads:
        t.join(120)
    assert page_status == 200 and page_answered_during_the_storm
    assert normal is not None and normal[0] == 200
    assert len(json.loads(normal[1])["results"]["bindings"]) == 5
    assert sorted(s for s, _ in results) == [503] * 8, [(s, b[:100]) for s, b in results]
    assert sum(b"stopped" in b for _, b in results) >= 2, "the deadline stopped the runaways that got a worker"
    assert snapshot(sample_store) == before


@pytest.mark.slow
def test_row_cap_holds_under_eight_concurrent_clients(server):
    base, _ = server
    results: list[tuple[int, int, str | None]] = []

    def many() -> None:
        for _ in range(50):
            status, body, headers = _get(_sparql_url(base, MANY_ROWS))
            if status != 503:
                break
            threading.Event().wait(0.2)
        rows = len(json.loads(body)["results"]["bindings"]) if status == 200 else -1
        results.append((status, rows, headers.get("X-Cskg-Truncated")))

    threads = [threading.Thread(target=many) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert results == [(200, MAX_ROWS, "true")] * 8
