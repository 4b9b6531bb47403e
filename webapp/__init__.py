"""The explorer: a Flask app factory. The store is opened once per app, on first use, and
reached through `get_store()`; nothing is opened at import time."""

from __future__ import annotations

import os

from flask import Flask, current_app

from graph.store import Store, open_store


def create_app(test_config: dict | None = None, *, store: Store | None = None) -> Flask:
    app = Flask(__name__, static_folder="static", template_folder="templates")
    app.config.from_mapping(
        STORE=os.environ.get("CSKG_STORE"),
        QUERY_TIMEOUT=float(os.environ.get("CSKG_QUERY_TIMEOUT", "10")),
        MAX_ROWS=int(os.environ.get("CSKG_MAX_ROWS", "10000")),
        MAX_CONTENT_LENGTH=1024 * 1024,
        JSON_SORT_KEYS=False,
    )
    if test_config:
        app.config.update(test_config)
    # Flask reads FLASK_DEBUG from the environment; debug behaviour is never wanted in a shared service
    app.debug = False
    app.extensions["cskg_store"] = store

    from webapp import views

    views.register(app)
    if app.config.get("PAGE_CACHE", True):
        from webapp.cache import init_page_cache

        init_page_cache(app)
    app.after_request(_security_headers)
    return app


# Only our own origin: no inline script, no CDN, no framing. vis-network and YASGUI set element
# styles from JS, which style-src does not govern; <style> blocks and style attributes are refused.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def _security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response


def get_store() -> Store:
    store = current_app.extensions.get("cskg_store")
    if store is None:
        store = open_store(current_app.config.get("STORE"))
        current_app.extensions["cskg_store"] = store
    return store
