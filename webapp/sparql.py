"""/sparql: a read-only SPARQL 1.1 Protocol endpoint, and /rdf-graph-store: the Graph Store
Protocol, read side.

Queries come by GET `?query=`, by POST form, or by POST `application/sparql-query`; results are
negotiated by `Accept` or a `format` (or `output`) parameter. Updates in any form, SERVICE and
LOAD are refused before anything runs. Every query runs in graph.executor's worker pool: a
deadline (app.config QUERY_TIMEOUT, 503 when passed) and a row cap (MAX_ROWS; the response then
carries `X-Cskg-Truncated: true` and a `link` to this note in its head). When every worker is
busy and QUERY_MAX_WAITING requests already wait, a query is turned away at once (503 with
Retry-After) so /sparql never holds every web server thread.
"""

from __future__ import annotations

import io
import threading

import pyoxigraph as ox

from flask import Blueprint, Response, current_app, render_template, request, url_for
from werkzeug.datastructures import CombinedMultiDict, MultiDict

from graph.executor import MAX_WORKER_MB, QueryBusy, QueryExecutor, QueryFailed, QueryTimeout
from graph.export import export_prefixes, export_store, write_rdf
from graph.results import RESULT_FORMATS, outcome_triples, write_results
from graph.sparql import ForbiddenQuery, check_read_only
from graph.store import FORMATS
from webapp import get_store
from webapp.cache import ResultCache, mark, store_key

bp = Blueprint("sparql", __name__)

# graph results: FORMATS of graph.store plus RDF/XML, the default of SPARQLWrapper and rdflib's SPARQLStore
GRAPH_FORMATS = {name: spec[0] for name, spec in FORMATS.items()} | {"rdfxml": "application/rdf+xml"}

FORMAT_NAMES = {
    "json": "json", "srj": "json", "xml": "xml", "srx": "xml", "csv": "csv", "tsv": "tsv",
    "turtle": "turtle", "ttl": "turtle", "n3": "turtle", "nt": "ntriples", "ntriples": "ntriples",
    "n-triples": "ntriples", "jsonld": "jsonld", "json-ld": "jsonld", "trig": "trig", "nquads": "nquads",
    "n-quads": "nquads", "rdf": "rdfxml", "rdfxml": "rdfxml", "rdf+xml": "rdfxml",
}
FORMAT_NAMES.update({mime: name for name, mime in RESULT_FORMATS.items()})
FORMAT_NAMES.update({mime: name for name, mime in GRAPH_FORMATS.items()})

UPDATE_PARAMS = ("update", "using-graph-uri", "using-named-graph-uri")
QUERY_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

# rdflib's SPARQLStore names its own default graph in `default-graph-uri`; meaning "no dataset given"
RDFLIB_DEFAULT_GRAPH = "urn:x-rdflib:default"

_executor_lock = threading.Lock()


class Refusal(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def get_executor() -> QueryExecutor:
    """The app's query executor, started on first use (after the store has been opened)."""
    app = current_app
    executor = app.extensions.get("cskg_executor")
    if executor is None:
        with _executor_lock:
            executor = app.extensions.get("cskg_executor")
            if executor is None:
                executor = QueryExecutor(
                    get_store(),
                    workers=int(app.config.get("QUERY_WORKERS", 2)),
                    timeout=float(app.config.get("QUERY_TIMEOUT", 10)),
                    max_rows=int(app.config.get("MAX_ROWS", 10_000)),
                    queue_timeout=float(app.config.get("QUERY_QUEUE_TIMEOUT", 30)),
                    max_waiting=int(app.config.get("QUERY_MAX_WAITING", 6)),
                    max_worker_mb=app.config.get("QUERY_WORKER_MAX_MB", MAX_WORKER_MB),
                )
                app.extensions["cskg_executor"] = executor
    return executor


def _text(message: str, status: int, **headers) -> Response:
    return Response(message.rstrip("\n") + "\n", status=status, mimetype="text/plain", headers=headers)


def _request_params() -> tuple[str | None, MultiDict]:
    """The query text and the protocol parameters, however they were sent; refuses updates."""
    if request.method == "POST":
        mimetype = request.mimetype
        if mimetype == "application/sparql-update":
            raise Refusal(403, "this endpoint is read-only: SPARQL updates are refused")
        if mimetype == "application/sparql-query":
            params = request.args
            query = request.get_data(as_text=True)
        elif mimetype in QUERY_CONTENT_TYPES:
            params = CombinedMultiDict([request.args, request.form])
            if request.files:
                raise Refusal(400, "send the query as a form field, not as a file upload")
            query = None
        else:
            raise Refusal(415, f"POST a query as application/x-www-form-urlencoded or application/sparql-query, "
                               f"not {mimetype or 'a body without a content type'}")
    else:
        params = request.args
        query = None
    for name in UPDATE_PARAMS:
        if name in params:
            raise Refusal(403, "this endpoint is read-only: SPARQL updates are refused")
    if query is None:
        values = params.getlist("query")
        if len(values) > 1:
            raise Refusal(400, "give exactly one 'query' parameter")
        query = values[0] if values else None
    return query, params


def _choose_format(kind: str, params: MultiDict) -> str:
    offers = RESULT_FORMATS if kind in ("SELECT", "ASK") else GRAPH_FORMATS
    for key in ("format", "output"):
        name = FORMAT_NAMES.get((params.get(key) or "").strip().lower())
        if kind == "GRAPH" and name == "json":
            name = "jsonld"
        if kind == "GRAPH" and name == "xml":
            name = "rdfxml"
        if name in offers:
            return name
    by_mime = {mime: name for name, mime in offers.items()}
    json_name = "json" if kind != "GRAPH" else "jsonld"
    match = request.accept_mimetypes.best_match([*by_mime, "application/json"], default=None)
    if match == "application/json":
        return json_name
    return by_mime.get(match) or next(iter(offers))


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint():
    try:
        query, params = _request_params()
        if query is None or not query.strip():
            if request.method == "GET" and request.accept_mimetypes.accept_html:
                return render_template("sparql.html", page="sparql", max_rows=current_app.config.get("MAX_ROWS"),
                                       timeout=current_app.config.get("QUERY_TIMEOUT"))
            raise Refusal(400, "give a SPARQL query in the 'query' parameter (or POST it as application/sparql-query)")
        check_read_only(query)
    except ForbiddenQuery as exc:
        return _text(str(exc), 403)
    except Refusal as exc:
        return _text(str(exc), exc.status)

    default_graphs = [g for g in params.getlist("default-graph-uri") if g != RDFLIB_DEFAULT_GRAPH]
    named_graphs = params.getlist("named-graph-uri")
    cache = _result_cache()
    state, ttl = store_key(get_store())
    # the base URL: a truncated result names this endpoint's row-limit note by its full address
    key = (*state, query, tuple(default_graphs), tuple(named_graphs), request.host_url)
    running, first = None, False
    if cache is not None:
        hit = _cached(cache, key, params, ttl)
        if hit is None:
            # the same query asked again while it runs waits for that run's answer rather than
            # taking a second worker: a page of library queries opened by several people at once
            # ran each query once per visitor, each run filling a worker's caches
            running, first = _runs.start(key)
            config = current_app.config
            if not first and _runs.wait(running, int(config.get("QUERY_MAX_WAITING", 6)),
                                        float(config.get("QUERY_TIMEOUT", 10)) + float(config.get("QUERY_QUEUE_TIMEOUT", 30))):
                hit = _cached(cache, key, params, ttl)
        if hit is not None:
            return hit
    try:
        return _run_query(query, params, default_graphs, named_graphs, cache, key)
    finally:
        if first:
            _runs.finish(key, running)


class _Runs:
    """Queries running now, by cache key: the first asker runs it, later ones wait for its end."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: dict[tuple, threading.Event] = {}
        self._waiting = 0

    def start(self, key: tuple) -> tuple[threading.Event, bool]:
        with self._lock:
            running = self._running.get(key)
            if running is not None:
                return running, False
            running = self._running[key] = threading.Event()
            return running, True

    def wait(self, running: threading.Event, max_waiting: int, timeout: float) -> bool:
        """Wait for a run to end; False at once when max_waiting others already wait (the query
        then goes the usual way, where a full waiting room turns it away)."""
        with self._lock:
            if self._waiting >= max_waiting:
                return False
            self._waiting += 1
        try:
            return running.wait(timeout)
        finally:
            with self._lock:
                self._waiting -= 1

    def finish(self, key: tuple, running: threading.Event) -> None:
        with self._lock:
            if self._running.get(key) is running:
                del self._running[key]
        running.set()


_runs = _Runs()


def _cached(cache: ResultCache, key: tuple, params: MultiDict, ttl: float | None) -> Response | None:
    kind = cache.kind(key)
    if kind is None:
        return None
    hit = cache.get(key, _choose_format(kind, params), ttl)
    if hit is None:
        return None
    status, body, headers = hit
    return Response(body, status=status, headers=headers).make_conditional(request)


def _run_query(query: str, params: MultiDict, default_graphs: list[str], named_graphs: list[str],
               cache: ResultCache | None, key: tuple) -> Response:
    try:
        outcome = get_executor().run(query, default_graphs=default_graphs or None, named_graphs=named_graphs or None)
    except QueryBusy as exc:
        return _text(str(exc), 503, **{"Retry-After": "2"})
    except QueryTimeout as exc:
        return _text(f"{exc}. Narrow the query (LIMIT, more specific patterns) and try again.", 503,
                     **{"Retry-After": "5"})
    except QueryFailed as exc:
        if exc.syntax:
            return _text(f"SPARQL syntax error: {exc}", 400)
        return _text(f"the query failed: {exc}", 503 if exc.ours else 400)

    fmt = _choose_format(outcome.kind, params)
    headers = {"X-Cskg-Query-Seconds": f"{outcome.seconds:.3f}", "Vary": "Accept"}
    if outcome.truncated:
        headers["X-Cskg-Truncated"] = "true"
        headers["X-Cskg-Row-Limit"] = str(current_app.config.get("MAX_ROWS", 10_000))
        headers["Link"] = f'<{url_for("sparql.endpoint", _external=True)}#row-limit>; rel="describedby"'
    if outcome.kind == "GRAPH":
        response = _graph_response(outcome, fmt, headers)
    else:
        chunks = write_results(outcome, fmt)
        if outcome.truncated and fmt in ("json", "xml"):
            chunks = _with_link(chunks, fmt, url_for("sparql.endpoint", _external=True) + "#row-limit")
        mimetype = RESULT_FORMATS[fmt]
        # whole, not streamed: the rows are in memory already (at most MAX_ROWS), and a body can be cached
        response = Response(b"".join(chunks), mimetype=mimetype, headers=headers,
                            content_type=f"{mimetype}; charset=utf-8")
    mark(response, response.get_data())
    if cache is not None:
        # a truncated result is cached too: the cut is the endpoint's fixed row cap, the same on every
        # run against the same store state, and the response itself says where it was cut
        cache.put(key, outcome.kind, fmt, response)
    return response.make_conditional(request)


def _result_cache() -> ResultCache | None:
    app = current_app
    if not app.config.get("SPARQL_CACHE", True):
        return None
    cache = app.extensions.get("cskg_sparql_cache")
    if cache is None:
        with _executor_lock:
            cache = app.extensions.setdefault(
                "cskg_sparql_cache", ResultCache(int(app.config.get("SPARQL_CACHE_BYTES", 64 * 1024 * 1024))))
    return cache


def _with_link(chunks, fmt: str, link: str):
    """Name the row-limit note in the results' own head (`link`, which both formats allow)."""
    first = next(chunks, b"")
    if fmt == "json":
        first = first.replace(b'{"head": {', b'{"head": {"link": ["' + link.encode() + b'"], ', 1)
    else:
        first = first.replace(b"</head>", f'<link href="{link}"/></head>'.encode(), 1)
    yield first
    yield from chunks


def _graph_response(outcome, fmt: str, headers: dict) -> Response:
    buf = io.BytesIO()
    triples = outcome_triples(outcome)
    if outcome.truncated and fmt in ("turtle", "trig"):
        buf.write(f"# truncated at {len(triples)} triples (the row limit of this endpoint)\n".encode())
    if fmt == "rdfxml":
        ox.serialize(triples, buf, format=ox.RdfFormat.RDF_XML)
    else:
        write_rdf(triples, buf, fmt, export_prefixes(get_store().minter))
    mimetype = GRAPH_FORMATS[fmt]
    return Response(buf.getvalue(), mimetype=mimetype, headers=headers, content_type=f"{mimetype}; charset=utf-8")


# ---------------------------------------------------------------------------- Graph Store Protocol
GSP_FORMATS = {"turtle": "text/turtle", "ntriples": "application/n-triples", "jsonld": "application/ld+json",
               "trig": "application/trig", "nquads": "application/n-quads"}


@bp.route("/rdf-graph-store", methods=["GET", "HEAD", "PUT", "POST", "DELETE", "PATCH"])
def graph_store():
    if request.method not in ("GET", "HEAD"):
        return _text("this graph store is read-only: use GET or HEAD", 405, Allow="GET, HEAD")
    graph = request.args.get("graph")
    if graph is None and "default" not in request.args:
        return _text("name a graph with ?graph=IRI, or ask for the default graph (the union of all graphs) with ?default", 400)
    store = get_store()
    if graph is not None and graph not in {str(rec.graph) for rec in store.sources()} | {str(store.minter.meta_graph)}:
        return _text(f"no graph named {graph} in this store", 404)
    name = FORMAT_NAMES.get((request.args.get("format") or "").lower())
    if name not in GSP_FORMATS:
        by_mime = {mime: n for n, mime in GSP_FORMATS.items()}
        name = by_mime.get(request.accept_mimetypes.best_match(list(by_mime), default="text/turtle"), "turtle")
    if request.method == "HEAD":
        return Response(b"", mimetype=GSP_FORMATS[name])
    buf = io.BytesIO()
    export_store(store, buf, name, graph)
    return Response(buf.getvalue(), mimetype=GSP_FORMATS[name], headers={"Vary": "Accept"},
                    content_type=f"{GSP_FORMATS[name]}; charset=utf-8")
