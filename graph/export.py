"""Exports: the whole store, one graph, as Turtle, TriG, N-Quads, N-Triples or JSON-LD."""

from __future__ import annotations

from typing import IO

from graph.store import Store


def export_store(store: Store, out: IO[bytes], fmt: str, graph: str | None = None) -> None:
    store.dump(out, fmt, graph)
