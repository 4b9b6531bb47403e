"""The /sparql result cache: a repeated read query is answered without running it again, a write
to the store invalidates every entry, and errors and timeouts are never kept."""

from __future__ import annotations

import pytest

from graph.executor import QueryTimeout
from graph.load import load_paths
from graph.store import OxigraphStore
from tests.conftest import SAMPLES
from webapp import create_app
from webapp.sparql import get_executor

REPORTS = "SELECT (COUNT(?r) AS ?n) WHERE { ?r a schema:Report }"


@pytest.fixture
def app(tmp_path):
    store = OxigraphStore(tmp_path / "s")
    app = create_app({"TESTING": True, "QUERY_WORKERS": 1}, store=store)
    yield app
    executor = app.extensions.get("cskg_executor")
    if executor is not None:
        executor.close()
    store.close()


@pytest.fixture
def runs(app, monkeypatch):
    """Every query the executor is asked to run."""
    with app.app_context():
        executor = get_executor()
    calls: list[str] = []
    real_run = executor.run
    monkeypatch.setattr(executor, "run", lambda sparql, **kw: calls.append(sparql) or real_run(sparql, **kw))
    return calls


def count(response) -> int:
    assert response.status_code == 200, response.get_data(as_text=True)
    return int(response.get_json()["results"]["bindings"][0]["n"]["value"])


def test_a_repeated_query_is_served_without_running_it_again(app, runs):
    client = app.test_client()
    first = client.get("/sparql", query_string={"query": REPORTS, "format": "json"})
    # the same format asked for another way is the same entry; so is a POST of the same text
    again = client.get("/sparql", query_string={"query": REPORTS}, headers={"Accept": "application/sparql-results+json"})
    posted = client.post("/sparql", data={"query": REPORTS, "format": "json"})
    assert first.data == again.data == posted.data and count(first) == 0
    assert runs == [REPORTS]
    assert again.headers["ETag"] == first.headers["ETag"] and first.headers["Cache-Control"] == "no-cache"
    assert again.headers["Content-Type"].startswith("application/sparql-results+json")

    csv = client.get("/sparql", query_string={"query": REPORTS, "format": "csv"})
    assert csv.status_code == 200 and csv.data.decode().splitlines() == ["n", "0"]
    assert len(runs) == 2  # another format is another entry

    unchanged = client.get("/sparql", query_string={"query": REPORTS, "format": "json"},
                           headers={"If-None-Match": first.headers["ETag"]})
    assert unchanged.status_code == 304 and unchanged.data == b""


def test_a_write_to_the_store_invalidates_the_cached_results(app, runs):
    client = app.test_client()
    assert count(client.get("/sparql", query_string={"query": REPORTS, "format": "json"})) == 0
    load_paths(app.extensions["cskg_store"], [next(SAMPLES.glob("slough*.txt"))])
    # the workers read the store from disk: a fresh pool sees the load (serving never writes)
    get_executor_of(app).restart()
    assert count(client.get("/sparql", query_string={"query": REPORTS, "format": "json"})) == 1
    assert len(runs) == 2


def get_executor_of(app):
    with app.app_context():
        return get_executor()


def test_errors_and_timeouts_are_not_cached(app, runs, monkeypatch):
    client = app.test_client()
    for _ in range(2):
        assert client.get("/sparql", query_string={"query": "SELECT ?s WHERE { ?s"}).status_code == 400
    assert len(runs) == 2

    executor = get_executor_of(app)
    real_run = executor.run
    outcomes = iter([QueryTimeout("the query ran for more than 10 s and was stopped"), None])

    def flaky(sparql, **kw):
        failure = next(outcomes)
        if failure is not None:
            raise failure
        return real_run(sparql, **kw)

    monkeypatch.setattr(executor, "run", flaky)
    assert client.get("/sparql", query_string={"query": REPORTS, "format": "json"}).status_code == 503
    assert count(client.get("/sparql", query_string={"query": REPORTS, "format": "json"})) == 0


def test_the_cache_can_be_turned_off(tmp_path):
    store = OxigraphStore(tmp_path / "s")
    app = create_app({"TESTING": True, "QUERY_WORKERS": 1, "SPARQL_CACHE": False}, store=store)
    try:
        client = app.test_client()
        r = client.get("/sparql", query_string={"query": REPORTS, "format": "json"})
        assert count(r) == 0 and "cskg_sparql_cache" not in app.extensions
    finally:
        app.extensions["cskg_executor"].close()
        store.close()
