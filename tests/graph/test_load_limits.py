"""A pathological file is refused within a bounded time and the rest of the batch loads."""

from __future__ import annotations

import time

import graph.load as load_module
from graph.load import load_paths
from graph.store import OxigraphStore


def test_a_file_that_takes_too_long_is_refused_and_the_rest_load(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "fine.txt").write_text("Kent County Council\n\nCabinet report on children's services.\n")
    (folder / "stuck.txt").write_text("Kent County Council\n\nThis one makes the extractor spin.\n")
    real_extract = load_module.extract

    def extract(doc):
        if doc.source_file == "stuck.txt":
            time.sleep(30)
        return real_extract(doc)

    monkeypatch.setattr(load_module, "extract", extract)
    monkeypatch.setattr(load_module, "FILE_TIME_LIMIT", 4)  # a loaded machine can take 1 s over a small file
    store = OxigraphStore(tmp_path / "s")
    began = time.monotonic()
    summary = load_paths(store, [folder], workers=1)
    assert time.monotonic() - began < 15
    outcomes = {o.path.rsplit("/", 1)[-1]: o for o in summary.outcomes}
    assert outcomes["fine.txt"].status == "loaded", outcomes["fine.txt"].reason
    assert outcomes["stuck.txt"].status == "failed" and "longer than 4 s" in outcomes["stuck.txt"].reason
    assert [r.source_file for r in store.sources()] == ["fine.txt"]
    store.close()
