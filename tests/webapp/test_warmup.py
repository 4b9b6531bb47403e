"""The background warm-up of `cskg serve`: after it, the SPARQL workers run and the whole-store
summaries are cached, so the first visitors do not pay for them."""

from graph import explore
from webapp import create_app
from webapp.warmup import warm_in_background


def test_warm_up_starts_the_workers_and_fills_the_store_caches(explorer_store):
    app = create_app({"TESTING": True}, store=explorer_store)
    warm_in_background(app).join(120)
    executor = app.extensions.get("cskg_executor")
    try:
        assert executor is not None and executor.uses_workers
        state = explore.store_state(explorer_store)
        for name in ("home", "search_index"):
            assert (name, state) in explore._cache
        with app.test_client() as client:
            assert client.get("/search.json?q=council").status_code == 200
            assert client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}).status_code == 200
    finally:
        if executor is not None:
            executor.close()
