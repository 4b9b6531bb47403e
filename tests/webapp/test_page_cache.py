"""The page cache serves repeated GETs without re-running queries, and never serves stale pages
after the store changes through this process."""

from __future__ import annotations

import threading

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


def test_a_cached_page_carries_a_validator_and_answers_304_when_unchanged(tmp_path):
    store = OxigraphStore(tmp_path / "s")
    client = create_app(store=store).test_client()
    first = client.get("/index.json")
    assert first.headers["Cache-Control"] == "no-cache" and first.headers["ETag"]
    again = client.get("/index.json", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    load_paths(store, [next(SAMPLES.glob("slough*.txt"))])
    changed = client.get("/index.json", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.headers["ETag"] != first.headers["ETag"]
    store.close()


def test_concurrent_callers_share_one_build_of_a_whole_store_summary(tmp_path):
    from graph.explore import cached

    store = OxigraphStore(tmp_path / "s")
    started, release, builds, results = threading.Event(), threading.Event(), [], []

    def build():
        builds.append(1)
        started.set()
        release.wait(10)
        return object()

    first = threading.Thread(target=lambda: results.append(cached(store, "test-summary", build)))
    first.start()
    started.wait(10)
    second = threading.Thread(target=lambda: results.append(cached(store, "test-summary", build)))
    second.start()
    second.join(0.2)
    assert second.is_alive()  # waiting for the build in progress, not running its own
    release.set()
    first.join(10)
    second.join(10)
    assert len(builds) == 1 and len(results) == 2 and results[0] is results[1]
    store.close()


def test_cached_bodies_are_kept_compressed_and_served_whole():
    from webapp.cache import PageCache

    cache = PageCache(max_bytes=10_000)
    page = ("<tr><td>Kent County Council</td><td>good</td></tr>\n" * 4000).encode()  # 200 KB
    cache.put(("k",), 200, page, [("Content-Type", "text/html")])
    assert cache.size < len(page) // 20  # the bound counts what is kept
    assert cache.get(("k",), None) == (200, page, [("Content-Type", "text/html")])
    assert cache.get(("other",), None) is None
