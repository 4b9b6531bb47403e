"""Query workers that outgrow QUERY_WORKER_MAX_MB (Oxigraph's caches) are replaced after their
query, in the background; the query is answered and the next ones are too."""

from __future__ import annotations

import time

import pyoxigraph as ox

from graph.executor import QueryExecutor
from graph.store import OxigraphStore

EX = "https://example.org/"
QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _store(tmp_path) -> OxigraphStore:
    store = OxigraphStore(tmp_path / "s")
    for i in range(50):
        store.ox.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(EX + "p"), ox.Literal(str(i)),
                             ox.NamedNode(EX + "g")))
    store.materialise_union()
    return store


def _count(executor: QueryExecutor) -> str:
    return executor.run(QUERY).rows[0][0][1]


def test_a_worker_past_its_memory_limit_is_replaced_and_queries_go_on(tmp_path):
    store = _store(tmp_path)
    executor = QueryExecutor(store, workers=1, max_worker_mb=1)  # every worker is past 1 MB
    try:
        first = next(iter(executor._all))
        assert _count(executor) == "50"
        assert executor.recycled == 1 and not first.process.is_alive()
        # the next query waits for the replacement rather than failing
        assert [_count(executor) for _ in range(3)] == ["50"] * 3
        assert executor.recycled == 4
        deadline = time.monotonic() + 30
        while not executor._all and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(executor._all) == 1 and next(iter(executor._all)).process.is_alive()
    finally:
        executor.close()
        store.close()


def test_workers_within_the_limit_or_without_one_are_kept(tmp_path):
    store = _store(tmp_path)
    for limit in (None, 1 << 20):
        executor = QueryExecutor(store, workers=2, max_worker_mb=limit)
        try:
            workers = set(executor._all)
            assert [_count(executor) for _ in range(4)] == ["50"] * 4
            assert executor.recycled == 0 and executor._all == workers
            assert all(w.rss_mb() > 1 for w in workers)
        finally:
            executor.close()
    store.close()


def test_the_endpoint_passes_its_limit_to_the_workers(tmp_path):
    from webapp import create_app
    from webapp.sparql import get_executor

    store = _store(tmp_path)
    app = create_app({"TESTING": True, "QUERY_WORKERS": 1, "QUERY_WORKER_MAX_MB": 1}, store=store)
    try:
        client = app.test_client()
        for _ in range(2):
            r = client.get("/sparql", query_string={"query": QUERY + " # " + str(_)},
                           headers={"Accept": "application/sparql-results+json"})
            assert r.status_code == 200 and r.json["results"]["bindings"][0]["n"]["value"] == "50"
        with app.app_context():
            assert get_executor().recycled == 2
    finally:
        app.extensions["cskg_executor"].close()
        store.close()


def test_the_same_query_asked_while_it_runs_runs_once(tmp_path, monkeypatch):
    import threading

    from webapp import create_app
    from webapp.sparql import get_executor

    store = _store(tmp_path)
    app = create_app({"TESTING": True, "QUERY_WORKERS": 1, "QUERY_MAX_WAITING": 2}, store=store)
    try:
        with app.app_context():
            executor = get_executor()
        runs, real_run = [], executor.run
        started = threading.Event()

        def slow_run(*args, **kwargs):
            runs.append(args[0])
            started.set()
            time.sleep(0.5)
            return real_run(*args, **kwargs)

        monkeypatch.setattr(executor, "run", slow_run)
        answers: list = []

        def ask():
            r = app.test_client().get("/sparql", query_string={"query": QUERY},
                                      headers={"Accept": "application/sparql-results+json"})
            answers.append((r.status_code, r.get_data()))

        first = threading.Thread(target=ask)
        first.start()
        assert started.wait(10)
        # two wait for the run in progress; past QUERY_MAX_WAITING the query goes the usual way
        others = [threading.Thread(target=ask) for _ in range(3)]
        for t in others:
            t.start()
        for t in [first, *others]:
            t.join(30)
        assert len(answers) == 4 and {status for status, _ in answers} == {200}
        assert len({body for _, body in answers}) == 1
        assert len(runs) == 2
    finally:
        app.extensions["cskg_executor"].close()
        store.close()


def test_a_worker_retries_opening_a_store_caught_compacting(tmp_path, monkeypatch):
    import graph.executor as executor_module

    store = _store(tmp_path)
    store.flush()
    calls, real = [], ox.Store.read_only

    def flaky(path):
        calls.append(path)
        if len(calls) < 3:
            raise RuntimeError("Corruption: IO error: No such file or directory: 000020.sst")
        return real(path)

    monkeypatch.setattr(executor_module.ox.Store, "read_only", staticmethod(flaky))
    try:
        opened = executor_module._open_read_only(str(tmp_path / "s"))
        assert len(calls) == 3 and len(opened) == len(store.ox)
        calls.clear()
        monkeypatch.setattr(executor_module.ox.Store, "read_only", staticmethod(lambda p: (_ for _ in ()).throw(OSError("gone"))))
        try:
            executor_module._open_read_only(str(tmp_path / "s"), attempts=2)
        except OSError:
            pass
        else:
            raise AssertionError("a store that never opens is an error")
    finally:
        store.close()


def test_the_command_line_module_imports_without_rdflib():
    """Each worker imports the serving process's main module (`python -m cskg.cli serve`) before
    its own: with rdflib behind it, every worker carried 27 MB more."""
    import subprocess
    import sys

    code = "import sys, cskg.cli; print(sorted(m for m in ('rdflib', 'graph.store') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
