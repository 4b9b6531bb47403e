"""Explorer fixtures: one store per session with the five samples, the reference data (when
graph.reference exists), the Northmoor fixture graph and the XSS report; a Flask app over it."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.store import OxigraphStore
from tests.browser_support import browser, live_server  # noqa: F401  (fixtures for this folder)
from tests.webapp.fixture_graph import load_fixture_graph
from webapp import create_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def explorer_store(tmp_path_factory):
    from graph.load import load_paths

    s = OxigraphStore(tmp_path_factory.mktemp("explorer") / "store")
    try:
        from graph.reference import load_reference
    except ImportError:
        load_reference = None
    if load_reference is not None:
        load_reference(s, echo=lambda *a, **k: None)
    # the samples make the pages realistic; the assertions rely only on the fixture graph, so a
    # sample the extractors cannot read today does not fail the explorer's tests
    load_paths(s, [ROOT / "data" / "samples"])
    load_fixture_graph(s)
    yield s
    s.close()


@pytest.fixture(scope="session")
def app(explorer_store):
    return create_app({"TESTING": True}, store=explorer_store)


@pytest.fixture
def client(app):
    return app.test_client()
