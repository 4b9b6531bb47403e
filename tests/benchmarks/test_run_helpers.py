"""The runner's measuring parts: percentiles, process-tree RSS from /proc, the HTTP load generator."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from benchmarks.run import Results, folder_of, load_generator, pct, tree_rss_kb


def test_nearest_rank_percentiles():
    xs = [float(i) for i in range(1, 101)]
    assert pct(xs, 50) == 50.0
    assert pct(xs, 95) == 95.0
    assert pct(xs, 99) == 99.0
    assert pct([3.0], 95) == 3.0
    assert pct([], 50) != pct([], 50)  # nan


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs Linux /proc")
def test_tree_rss_counts_child_processes():
    alone = tree_rss_kb(os.getpid())
    child = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        # the child is a whole Python interpreter: several MB of its own
        for _ in range(50):
            with_child = tree_rss_kb(os.getpid())
            if with_child > alone + 2000:
                break
            threading.Event().wait(0.05)
        assert with_child > alone + 2000
    finally:
        child.communicate(b"")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802 - http.server's naming
        status = 500 if self.path == "/broken" else 200
        body = b"ok"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_load_generator_records_every_request_and_its_status():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        records, wall = load_generator(server.server_address[1], [("good", "/"), ("bad", "/broken")], clients=3, seconds=0.3)
    finally:
        server.shutdown()
        server.server_close()
    assert wall >= 0.3
    statuses = {label: {r[2] for r in records if r[0] == label} for label in ("good", "bad")}
    assert statuses == {"good": {200}, "bad": {500}}
    assert all(r[1] >= 0 for r in records)
    assert sorted(r[0] for r in records if r[3]) == ["bad", "good"]  # one first request per URL


def test_missed_targets_are_listed_in_the_section():
    res = Results("quick", {"date": "d", "cpu": "c", "cores": "2", "ram": "1 GiB", "os": "o", "load average at start": "0",
                            "python": "3", "rdflib": "7", "pyoxigraph": "0.5", "oxrdflib": "0.5", "cskg": "x"})
    res.fig("export N-Quads", "100 quads/s", ">= 200k quads/s", False)
    res.fig("ingest", "50 reports/s", ">= 40 reports/s", True)
    text = res.markdown(0.0)
    assert "| export N-Quads | 100 quads/s | >= 200k quads/s | **MISSED** |" in text
    assert "| ingest | 50 reports/s | >= 40 reports/s | yes |" in text
    assert "- export N-Quads: 100 quads/s (target >= 200k quads/s)" in text


def test_slow_baseline_runs_are_timed_once():
    import time as _time

    from benchmarks.run import time_query

    def run():
        _time.sleep(0.02)
        return 1

    times, rows, problem = time_query(run, 3, 60.0)
    assert len(times) == 3 and rows == 1 and not problem
    times, rows, problem = time_query(run, 3, 60.0, enough=0.01)
    assert len(times) == 1 and rows == 1


@pytest.mark.slow
def test_store_figures_are_taken_on_an_existing_store_and_leave_it_alone(tmp_path, capsys):
    from benchmarks.run import main
    from graph.load import load_paths
    from graph.store import OxigraphStore
    from tests.conftest import SAMPLES

    store_dir = tmp_path / "store"
    with OxigraphStore(store_dir) as st:
        load_paths(st, [SAMPLES], workers=1)
        quads = sorted(str(q) for q in st.ox.quads_for_pattern(None, None, None))
    workdir = tmp_path / "out"
    assert main(["--on-store", str(store_dir), "--workdir", str(workdir), "--explorer-seconds", "2", "--no-append"]) == 0
    section = capsys.readouterr().out
    assert "store figures on an existing store" in section and "(5 reports)" in section
    assert "| export N-Quads (median of 3) |" in section
    assert "| councils-by-latest-grade |" in section  # the library table, every engine
    assert "Explorer pages under load" in section
    assert not (workdir / "on-store").exists()  # its own folder is deleted, the store is not
    with OxigraphStore(store_dir) as st:
        assert sorted(str(q) for q in st.ox.quads_for_pattern(None, None, None)) == quads


def test_on_store_compares_rdflib_on_the_smaller_store_given(tmp_path, capsys, monkeypatch):
    import benchmarks.run as bench
    from graph.load import load_paths
    from graph.store import OxigraphStore
    from tests.conftest import SAMPLES

    for name, files in (("big", sorted(SAMPLES.glob("*.txt"))), ("small", sorted(SAMPLES.glob("*.txt"))[:2])):
        with OxigraphStore(tmp_path / name) as st:
            load_paths(st, files, workers=1)
    monkeypatch.setattr(bench, "RDFLIB_MAX_QUADS", 10)  # the big store is "too big" for rdflib
    monkeypatch.setattr(bench, "run_explorer", lambda *a, **k: None)
    assert bench.main(["--on-store", str(tmp_path / "big"), "--rdflib-store", str(tmp_path / "small"),
                       "--workdir", str(tmp_path / "out"), "--no-append"]) == 0
    section = capsys.readouterr().out
    assert "(2 reports) for rdflib" in section
    assert "the rdflib comparison runs on the 2-report store" in section
    row = next(line for line in section.splitlines() if line.startswith("| councils-by-latest-grade |"))
    assert "not run" not in row.split("|")[5]  # an rdflib time, not a gap


def test_on_store_refuses_a_folder_that_is_not_a_store(tmp_path):
    from benchmarks.run import main

    with pytest.raises(SystemExit):
        main(["--on-store", str(tmp_path), "--no-append"])


def test_a_command_given_a_folder_gets_only_the_reports_measured(tmp_path):
    # a corpus folder keeps what a larger, earlier run generated
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(10):
        (corpus / f"{i:05d}-report.txt").write_text(f"report {i}")
    files = sorted(corpus.iterdir())
    view = folder_of(files[:3], tmp_path / "first")
    assert sorted(p.name for p in view.iterdir()) == [p.name for p in files[:3]]
    assert [p.read_text() for p in sorted(view.iterdir())] == ["report 0", "report 1", "report 2"]
    # reused by a later run of another size: it holds exactly the files asked for
    assert sorted(p.name for p in folder_of(files[:5], view).iterdir()) == [p.name for p in files[:5]]
    assert sorted(p.name for p in folder_of(files[:2], view).iterdir()) == [p.name for p in files[:2]]
    assert len(list(corpus.iterdir())) == 10
