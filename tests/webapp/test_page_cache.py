"""The page cache serves repeated GETs without re-running queries, and never serves stale pages
after the store changes through this process."""

from __future__ import annotations

from graph.load import load_paths
from graph.store import OxigraphStore
from tests.conftest import SAMPLES
from webapp import create_app


def test_repeat_is_served_from_cache_and_a_load_invalidates_it(tmp_path, monkeypatch):
    store = OxigraphStore(tmp_path / "s")
    app = create_app(store=store)
    client = app.test_client()
    first = client.get("/index.json").get_json()
    assert first["stats"]["sources"]["report"] == 0

    calls = []
    real_query = store.query
    monkeypatch.setattr(store, "query", lambda *a, **k: calls.append(a) or real_query(*a, **k))
    again = client.get("/index.json")
    assert again.get_json() == first and calls == []  # no query ran
    assert again.headers["Content-Security-Policy"].startswith("default-src 'self'")

    load_paths(store, [next(SAMPLES.glob("slough*.txt"))])
    after = client.get("/index.json").get_json()
    assert after["stats"]["sources"]["report"] == 1
    store.close()


def test_the_sparql_endpoint_is_never_cached(tmp_path):
    store = OxigraphStore(tmp_path / "s")
    app = create_app(store=store)
    cache = app.extensions["cskg_page_cache"]
    client = app.test_client()
    client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    assert not any("/sparql" in key[2] for key in cache._entries)
    store.close()
