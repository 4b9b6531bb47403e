"""Analytics fixtures: the constructed graph (tests/analytics/constructed.py) in a store on disk."""

from __future__ import annotations

import pytest

from graph.store import OxigraphStore
from tests.analytics.constructed import load_constructed


@pytest.fixture(scope="module")
def constructed_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("constructed") / "store"
    s = OxigraphStore(path)
    load_constructed(s)
    s.close()
    return path


@pytest.fixture
def constructed(constructed_path):
    s = OxigraphStore(constructed_path)
    yield s
    s.close()
