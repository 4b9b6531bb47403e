"""The explorer as an attacker sees it: XSS through every parameter and IRI, path traversal in
file-serving routes, security headers on every route, no write route, no debug mode, and
`cskg serve` on loopback by default."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

import queries as query_library
from ontology.namespace import CS
from tests.security.markup import active_content
from webapp import create_app

ROOT = Path(__file__).resolve().parents[2]
PAYLOAD = "\"'><script>alert(1)</script><img src=x onerror=alert(2)><svg/onload=alert(3)>"
RAW = ["<script>alert(1)", "<img src=x", "<svg/onload"]


@pytest.fixture(scope="module")
def app(sample_store):
    app = create_app({"TESTING": True, "QUERY_TIMEOUT": 5, "QUERY_WORKERS": 1}, store=sample_store)
    yield app
    executor = app.extensions.get("cskg_executor")
    if executor is not None:
        executor.close()


@pytest.fixture
def client(app):
    return app.test_client()


def assert_no_xss(r, where: str) -> None:
    assert r.status_code < 500, (where, r.status_code, r.data[:300])
    body = r.get_data(as_text=True)
    if r.mimetype == "text/html":
        for raw in RAW:
            assert raw not in body, f"unescaped {raw!r} in {where}"
        assert active_content(body) == [], f"active content in {where}"
    else:
        # JSON, text and RDF are never rendered as HTML: nosniff stops a browser guessing otherwise
        assert r.headers["X-Content-Type-Options"] == "nosniff", where


# ------------------------------------------------------------------------------------------ XSS
def _param_attacks() -> list[tuple[str, dict]]:
    attacks = [
        ("/search", {"q": PAYLOAD}), ("/search.json", {"q": PAYLOAD}), ("/search", {"q": PAYLOAD, "type": PAYLOAD}),
        ("/network", {"focus": PAYLOAD}), ("/network", {"focus": PAYLOAD, "types": PAYLOAD, "hops": PAYLOAD}),
        ("/network.json", {"focus": PAYLOAD}),
        ("/network/overview", {"region": PAYLOAD, "grade": PAYLOAD, "types": PAYLOAD}),
        ("/connections", {"from": PAYLOAD, "to": PAYLOAD}), ("/connections", {"from": "Slough", "to": PAYLOAD}),
        ("/connections.json", {"from": PAYLOAD, "to": PAYLOAD}),
        ("/connections/central", {"type": PAYLOAD, "measure": PAYLOAD}),
        ("/connections/lookup.json", {"q": PAYLOAD}),
        ("/councils", {"region": PAYLOAD, "grade": PAYLOAD}), ("/reports", {"q": PAYLOAD, "sort": PAYLOAD}),
        ("/workbench", {"example": PAYLOAD, "query": PAYLOAD}), ("/queries", {"q": PAYLOAD}),
        ("/resource", {"iri": PAYLOAD}), ("/resource", {"iri": "http://example.org/" + PAYLOAD}),
        ("/resource", {"iri": "javascript:alert(1)"}), ("/resource.json", {"iri": PAYLOAD}),
        ("/sparql", {"query": PAYLOAD}), ("/sparql", {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "format": PAYLOAD}),
        ("/sparql", {"query": f'SELECT ("{PAYLOAD.replace(chr(34), "")}" AS ?x) WHERE {{}}', "format": "xml"}),
        ("/rdf-graph-store", {"graph": PAYLOAD}),
    ]
    for q in query_library.library().values():
        values = {p.name: PAYLOAD for p in q.params}
        attacks.append((f"/queries/{q.name}", values | {"_submitted": "1"}))
        attacks.append((f"/queries/{q.name}.json", values))
        attacks.append((f"/queries/{q.name}.csv", values))
    return attacks


def test_no_xss_through_query_parameters(client):
    attacks = _param_attacks()
    assert len(attacks) > 40
    for path, params in attacks:
        for accept in ("text/html", "*/*"):
            assert_no_xss(client.get(path, query_string=params, headers={"Accept": accept}), f"{path} {params}")


@pytest.mark.parametrize("path", [
    "/id/" + quote(PAYLOAD, safe=""), "/id/council/" + quote(PAYLOAD, safe=""), "/id/" + quote(PAYLOAD, safe="") + ".json",
    "/id/" + quote(PAYLOAD, safe="") + ".ttl", "/queries/" + quote(PAYLOAD, safe=""),
    "/queries/" + quote(PAYLOAD, safe="") + ".json", "/no-such-page/" + quote(PAYLOAD, safe=""),
    "/resource." + quote(PAYLOAD, safe="") + "?iri=http://example.org/x",
])
def test_no_xss_through_paths_and_iris(client, path):
    for accept in ("text/html", "application/json", "text/turtle"):
        assert_no_xss(client.get(path, headers={"Accept": accept}), path)


def test_payload_in_a_parameter_is_shown_escaped(client):
    body = client.get("/search", query_string={"q": PAYLOAD}).get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body, "the search box shows what was searched for, escaped"


# --------------------------------------------------------------------------------- path traversal
SECRETS = ["[build-system]", "def create_app", "root:x:0:", "SECRET_KEY", "import "]
TRAVERSALS = [
    "/static/../__init__.py", "/static/../../pyproject.toml", "/static/%2e%2e/__init__.py",
    "/static/%2e%2e/%2e%2e/pyproject.toml", "/static/..%2f..%2fpyproject.toml", "/static/..%2F__init__.py",
    "/static/%252e%252e/__init__.py", "/static/css/../../__init__.py", "/static/vendor/../../views.py",
    "/static/vendor/vis-network/../../../__init__.py", "/static/vendor/%2e%2e%2f%2e%2e%2f__init__.py",
    "/static/..\\__init__.py", "/static/..%5c__init__.py", "/static//etc/passwd", "/static/%2fetc%2fpasswd",
    "/static/....//....//pyproject.toml", "/static/%c0%ae%c0%ae/__init__.py", "/static/css/app.css%00.py",
    "/../pyproject.toml", "/%2e%2e/pyproject.toml", "//etc/passwd",
    "/id/../../../../etc/passwd", "/id/%2e%2e/%2e%2e/etc/passwd", "/queries/..%2f__init__",
    "/queries/%2e%2e%2fpyproject", "/rdf-graph-store?graph=file:///etc/passwd",
    "/resource?iri=file:///etc/passwd", "/resource.ttl?iri=file:///etc/passwd",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_path_traversal(client, path):
    r = client.get(path)
    body = r.get_data(as_text=True)
    assert r.status_code in (400, 404, 405, 308) or (r.status_code == 200 and r.mimetype == "text/html"), (path, r.status_code)
    for secret in SECRETS:
        if secret == "import " and r.mimetype == "text/html":
            continue
        assert secret not in body, f"{path} served {secret!r}"


def test_static_and_vendor_files_are_served(client):
    """The traversal test means something only if the same route does serve its own files."""
    assert client.get("/static/css/app.css").status_code == 200
    vendor = sorted(p for p in (ROOT / "webapp" / "static" / "vendor").rglob("*.js"))
    assert vendor
    rel = vendor[0].relative_to(ROOT / "webapp" / "static").as_posix()
    r = client.get(f"/static/{rel}")
    assert r.status_code == 200 and r.headers["X-Content-Type-Options"] == "nosniff"


# ---------------------------------------------------------------------------------------- headers
def _every_get_url(app, sample_store) -> list[str]:
    council = next(iter(sample_store.query(f"SELECT ?c WHERE {{ ?c a <{CS.LocalAuthority}> }} LIMIT 1")))[0]
    base = str(sample_store.minter.id)
    name = next(iter(query_library.library()))
    values = {"filename": "css/app.css", "rest": str(council)[len(base):], "name": name, "suffix": "json"}
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        urls.append(re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: values[m.group(1)], rule.rule))
    return urls


def test_security_headers_on_every_route(app, client, sample_store):
    urls = _every_get_url(app, sample_store) + [
        "/no-such-page", "/id/no/such/thing", "/sparql?query=SELEC", "/sparql?query=DROP%20ALL",
        "/network?hops=x", "/rdf-graph-store?default&format=nt",
    ]
    seen = set()
    for url in urls:
        r = client.get(url, headers={"Accept": "text/html"})
        seen.add(r.status_code)
        csp = r.headers.get("Content-Security-Policy", "")
        directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
        assert directives.get("default-src") == ["'self'"], (url, csp)
        assert directives.get("script-src") == ["'self'"], (url, csp)  # no inline, no eval, no other origin
        assert directives.get("frame-ancestors") == ["'none'"], (url, csp)
        assert directives.get("object-src") == ["'none'"], (url, csp)
        for name, sources in directives.items():
            assert all(s in ("'self'", "'none'", "data:") for s in sources), (url, name, sources)
        assert r.headers.get("X-Content-Type-Options") == "nosniff", url
        assert r.headers.get("X-Frame-Options") == "DENY", url
        if r.mimetype == "text/html":
            assert active_content(r.get_data(as_text=True)) == [], f"inline script or handler in {url}"
    posted = [client.post("/sparql", data="x" * (2 * 1024 * 1024), content_type="application/sparql-query"),
              client.put("/sparql"), client.post("/reports")]
    for r in posted:
        seen.add(r.status_code)
        assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"] and r.headers["X-Content-Type-Options"] == "nosniff"
    assert {200, 400, 403, 404, 405, 413} <= seen, seen


# ------------------------------------------------------------------------------------ write access
# The only routes that take a body: the SPARQL endpoint (queries only), the Graph Store Protocol
# (answers 405 to writes), and the workbench's label lookup (reads labels for a list of IRIs).
WRITABLE = {"/sparql": {"POST"}, "/rdf-graph-store": {"POST", "PUT", "DELETE", "PATCH"}, "/workbench/labels.json": {"POST"}}


def test_no_route_accepts_writes_except_the_read_only_endpoints(app):
    found = {}
    for rule in app.url_map.iter_rules():
        extra = set(rule.methods) - {"GET", "HEAD", "OPTIONS"}
        if extra:
            found[rule.rule] = extra
    assert found == WRITABLE, "a new route takes POST/PUT/DELETE: it needs a token and a test of its refusal"


def test_the_routes_that_take_a_body_change_nothing(client, sample_store):
    before = (int(next(iter(sample_store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")))[0]),
              sorted((str(r.graph), r.sha256) for r in sample_store.sources()))
    assert client.post("/sparql", data={"update": "DROP ALL"}).status_code == 403
    for method in ("post", "put", "delete", "patch"):
        r = getattr(client, method)("/rdf-graph-store?default", data="<x:s> <x:p> <x:o> .", content_type="text/turtle")
        assert r.status_code == 405
    council = str(next(iter(sample_store.query(f"SELECT ?c WHERE {{ ?c a <{CS.LocalAuthority}> }} LIMIT 1")))[0])
    r = client.post("/workbench/labels.json", json={"iris": [council, PAYLOAD, "http://example.org/new"], "update": "DROP ALL"})
    assert r.status_code == 200 and r.mimetype == "application/json"
    assert json.loads(r.data)[council]["label"]
    for method in ("put", "delete", "patch"):
        assert getattr(client, method)("/workbench/labels.json").status_code == 405
        assert getattr(client, method)("/reports").status_code == 405
    after = (int(next(iter(sample_store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")))[0]),
             sorted((str(r.graph), r.sha256) for r in sample_store.sources()))
    assert after == before


# ---------------------------------------------------------------------------------- debug, errors
def test_debug_is_off_and_a_crash_shows_no_traceback(sample_store):
    app = create_app({"PROPAGATE_EXCEPTIONS": False}, store=sample_store)
    assert app.debug is False and not app.config["DEBUG"]

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret detail /work/main/webapp/secret.py line 42")

    r = app.test_client().get("/boom")
    body = r.get_data(as_text=True)
    assert r.status_code == 500
    assert "Traceback" not in body and "secret detail" not in body and "secret.py" not in body
    assert "Werkzeug Debugger" not in body and "__debugger__" not in body
    assert r.headers["Content-Security-Policy"] and r.headers["X-Frame-Options"] == "DENY"
    assert app.test_client().get("/console").status_code == 404


def test_debug_stays_off_even_when_flask_debug_is_set_in_the_environment(sample_store, monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    assert create_app(store=sample_store).debug is False


# ------------------------------------------------------------------------------------ cskg serve
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening_addresses(port: int) -> set[str]:
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`cskg serve` as a user runs it, with no --host, on an empty store of its own."""
    store = tmp_path_factory.mktemp("serve") / "store"
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    env.pop("FLASK_DEBUG", None)
    proc = subprocess.Popen([sys.executable, "-m", "cskg.cli", "--store", str(store), "serve", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    first = proc.stdout.readline()
    deadline = time.monotonic() + 60
    while not _listening_addresses(port) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    yield proc, port, first
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.mark.slow
def test_cskg_serve_binds_to_loopback_and_says_so(served):
    proc, port, first = served
    assert proc.poll() is None, proc.stderr.read()
    assert f"http://127.0.0.1:{port}/" in first and "only this machine" in first, first
    assert _listening_addresses(port) == {"0100007F"}, "listening on loopback only"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(b"GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        head = s.recv(4096)
    assert head.startswith(b"HTTP/1.1 200") or head.startswith(b"HTTP/1.0 200"), head[:100]
    assert b"Werkzeug" not in head and b"Content-Security-Policy" in head


@pytest.mark.slow
def test_cskg_serve_refuses_an_oversized_body_before_reading_it(served):
    """A client announcing 50 MB is answered 413 at once: the server neither waits for the body
    nor buffers it to disk."""
    _, port, _ = served
    with socket.create_connection(("127.0.0.1", port), timeout=3) as s:
        s.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                  b"Content-Length: 52428800\r\n\r\nSELECT * WHERE { ?s ?p ?o }")
        try:
            head = s.recv(4096)
        except socket.timeout:
            head = b"(no answer within 3 s: the server is waiting for the whole body)"
    assert head.split(b"\r\n", 1)[0].endswith(b"413 Request Entity Too Large") or b" 413 " in head.split(b"\r\n", 1)[0], head[:120]


def _raw_get(port: int, path: str) -> tuple[int, bytes]:
    """The request line exactly as written: no client-side normalisation of '..' or '%2e'."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode("latin-1"))
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


@pytest.mark.slow
def test_no_path_traversal_through_the_real_server(served):
    _, port, _ = served
    status, body = _raw_get(port, "/static/css/app.css")
    assert status == 200 and body
    for path in TRAVERSALS:
        status, body = _raw_get(port, path)
        text = body.decode("utf-8", "replace")
        assert status in (200, 308, 400, 404, 405), (path, status)
        for secret in SECRETS[:4]:
            assert secret not in text, f"{path} served {secret!r}"
