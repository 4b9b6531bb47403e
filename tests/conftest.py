"""Shared fixtures: real Oxigraph stores (on disk, under pytest's tmp dirs), never mocks."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.store import OxigraphStore

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"


@pytest.fixture
def store(tmp_path):
    s = OxigraphStore(tmp_path / "store")
    yield s
    s.close()


@pytest.fixture(scope="session")
def sample_store_path(tmp_path_factory) -> Path:
    """A store on disk holding the reference data and the five sample reports, built once."""
    from graph.load import load_paths
    from graph.reference import load_reference

    path = tmp_path_factory.mktemp("samples") / "store"
    s = OxigraphStore(path)
    try:
        load_reference(s, echo=lambda *a, **k: None)
        summary = load_paths(s, [SAMPLES])
        assert summary.count("failed") == 0, summary.failed
    finally:
        s.close()
    return path


@pytest.fixture(scope="session")
def sample_store(sample_store_path):
    """The sample store, opened read-write once for the session (read-only use in tests)."""
    s = OxigraphStore(sample_store_path)
    yield s
    s.close()
