"""Faults: kill -9 during a load, concurrent readers during a load, a full disk, a locked store."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from rdflib import URIRef

from graph.load import load_paths
from graph.store import OxigraphStore, StoreError
from tests.graph.test_summaries import assert_kept_equal_direct
from tests.conftest import SAMPLES

CSKG = [sys.executable, "-m", "cskg.cli"]


def _corpus(folder: Path, copies: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(copies):
        for f in SAMPLES.glob("*.txt"):
            # each copy differs by one line so it is a distinct source with its own sha256
            (folder / f"{i:02d}-{f.name}").write_text(f.read_text(encoding="utf-8") + f"\ncopy {i}\n", encoding="utf-8")
    return folder


def _graph_sizes(store: OxigraphStore) -> dict[str, int]:
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {str(r[0]): int(r[1]) for r in rows}


def _assert_every_report_whole(store: OxigraphStore) -> int:
    sizes = _graph_sizes(store)
    meta, kept = str(store.minter.meta_graph), str(store.minter.graph_ns["summaries"])
    records = {str(r.graph): r for r in store.sources()}
    for graph, n in sizes.items():
        if graph in (meta, kept):  # the metadata, and the summaries the store derives (checked below)
            continue
        assert graph in records, f"graph {graph} has data but no metadata record: a half-finished load"
        assert n == records[graph].triple_count, f"graph {graph} holds {n} triples, its record says {records[graph].triple_count}"
    for graph, rec in records.items():
        assert sizes.get(graph, 0) == rec.triple_count, f"record for {graph} but the graph is missing or partial"
    return len(records)


@pytest.mark.slow
def test_kill_9_during_load_leaves_each_report_whole_or_absent(tmp_path):
    corpus = _corpus(tmp_path / "in", copies=20)
    total = len(list(corpus.glob("*.txt")))
    store_path = tmp_path / "store"
    rng = random.Random(20261123)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2]), "PYTHONUNBUFFERED": "1"}
    load = [*CSKG, "--store", str(store_path), "load", "--workers", "1", str(corpus)]
    kills = 0
    for _ in range(8):
        # kill after a random number of reports have been committed, plus a random few ms, so the
        # kill lands inside the following batch's work at a different point each time
        target = rng.randrange(1, total // 2)
        proc = subprocess.Popen(load, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
                                start_new_session=True, text=True)
        seen = 0
        for line in proc.stdout:
            seen += line.startswith(("loaded:", "unchanged:"))
            if seen >= target:
                time.sleep(rng.uniform(0, 0.2))
                break
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait()
        s = OxigraphStore(store_path)
        _assert_every_report_whole(s)
        assert_kept_equal_direct(s)  # the stopped load's mark made the open rebuild the summaries
        s.close()
    assert kills >= 3, "the loads finished before they could be killed"
    done = subprocess.run([*CSKG, "--store", str(store_path), "load", "-q", str(corpus)], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    s = OxigraphStore(store_path)
    assert _assert_every_report_whole(s) == total
    assert_kept_equal_direct(s)
    s.close()


def test_concurrent_readers_see_old_or_new_version(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    src = next(SAMPLES.glob("west-sussex*.txt"))
    target = folder / "report.txt"
    versions = [src.read_text(encoding="utf-8"), "West Sussex County Council\n\nA short second version.\n"]
    store = OxigraphStore(tmp_path / "s")
    target.write_text(versions[0], encoding="utf-8")
    load_paths(store, [folder])
    rec = store.sources()[0]
    # one query reads the graph, its text and its metadata record: one snapshot
    g, meta = rec.graph.n3(), store.minter.meta_graph.n3()
    snapshot = f"""SELECT ?n ?recorded ?text WHERE {{
        {{ SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {g} {{ ?s ?p ?o }} }} }}
        GRAPH {meta} {{ {g} cs:tripleCount ?recorded }}
        GRAPH {g} {{ ?t a cs:TextRendition ; schema:text ?text }} }}"""
    seen: list[tuple[int, int, str]] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def reader():
        try:
            while not stop.is_set():
                for r in store.query(snapshot):
                    seen.append((int(r[0]), int(r[1]), str(r[2])))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    t = threading.Thread(target=reader)
    t.start()
    try:
        for i in range(1, 13):
            target.write_text(versions[i % 2], encoding="utf-8")
            load_paths(store, [folder])
    finally:
        stop.set()
        t.join()
    store.close()
    assert not errors, errors
    assert seen
    from loaders.readers import read_document

    renditions = {read_document(target, v.encode("utf-8")).text for v in versions}
    for n, recorded, text in seen:
        assert n == recorded, "a reader saw a graph whose size disagrees with its record: a partial load"
        assert text in renditions


def test_full_disk_fails_cleanly(tmp_path):
    mount = tmp_path / "small"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        corpus = _corpus(tmp_path / "in", copies=20)
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
        result = subprocess.run([*CSKG, "--store", str(mount / "store"), "load", "-q", str(corpus)],
                                capture_output=True, text=True, env=env, timeout=300)
        assert result.returncode != 0
        assert "Traceback" not in result.stderr, result.stderr[-2000:]
        assert "space" in (result.stderr + result.stdout).lower()
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_locked_store_names_the_problem(tmp_path):
    holder = OxigraphStore(tmp_path / "s")
    try:
        with pytest.raises(StoreError, match="in use"):
            OxigraphStore(tmp_path / "s")
    finally:
        holder.close()
