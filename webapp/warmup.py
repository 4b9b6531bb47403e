"""Start-up work that would otherwise land on the first visitors: the SPARQL worker pool and the
whole-store summaries (home page, search index, entity graph), each built once per store state."""

from __future__ import annotations

import logging
import threading

from flask import Flask

log = logging.getLogger(__name__)


def warm(app: Flask) -> None:
    with app.app_context():
        from graph import views
        from graph.analytics import entity_graph
        from webapp import get_store
        from webapp.sparql import get_executor

        store = get_store()
        # most visited first: every /network page needs the entity graph, only /search the index
        steps = [("SPARQL workers", get_executor), ("home page", lambda: views.home(store)),
                 ("entity graph", lambda: entity_graph(store)), ("search index", lambda: views.search_index(store))]
        for name, step in steps:
            try:
                step()
            except Exception:  # a failed warm-up only means the first visitor pays for it
                log.exception("warming the %s failed", name)


def warm_in_background(app: Flask) -> threading.Thread:
    thread = threading.Thread(target=warm, args=(app,), name="cskg-warmup", daemon=True)
    thread.start()
    return thread
