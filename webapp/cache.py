"""A whole-response cache for the explorer's GET pages.

Pages are pure functions of the URL, the Accept header and the store's contents. The embedded
store cannot change under a running server except through this process (the server holds its
lock), so its write counter (`Store.generation`) keys the cache exactly; a remote store may be
changed by others, so its entries also expire after a short time.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from flask import Flask, Response, g, request

from webapp import get_store

UNCACHED_PREFIXES = ("/sparql", "/rdf-graph-store", "/static/")
MAX_ENTRIES = 2048
MAX_BODY_BYTES = 512 * 1024
REMOTE_TTL_SECONDS = 30.0


class PageCache:
    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple, tuple[float, int, bytes, list[tuple[str, str]]]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple, ttl: float | None) -> tuple[int, bytes, list[tuple[str, str]]] | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            stored_at, status, body, headers = entry
            if ttl is not None and time.monotonic() - stored_at > ttl:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return status, body, headers

    def put(self, key: tuple, status: int, body: bytes, headers: list[tuple[str, str]]) -> None:
        with self._lock:
            self._entries[key] = (time.monotonic(), status, body, headers)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


def init_page_cache(app: Flask) -> None:
    cache = PageCache()
    app.extensions["cskg_page_cache"] = cache

    def key_and_ttl() -> tuple[tuple, float | None] | None:
        if request.method != "GET" or request.path.startswith(UNCACHED_PREFIXES):
            return None
        store = get_store()
        generation = getattr(store, "generation", None)
        ttl = None if generation is not None else REMOTE_TTL_SECONDS
        key = (id(store), generation, request.full_path, request.headers.get("Accept", ""))
        return key, ttl

    @app.before_request
    def serve_from_cache():
        found = key_and_ttl()
        if found is None:
            return None
        key, ttl = found
        hit = cache.get(key, ttl)
        if hit is None:
            g.page_cache_key = key
            return None
        status, body, headers = hit
        g.page_cache_hit = True
        return Response(body, status=status, headers=headers)

    @app.after_request
    def remember(response: Response) -> Response:
        key = g.pop("page_cache_key", None)
        if (
            key is not None
            and response.status_code == 200
            and not response.direct_passthrough
            and not response.is_streamed
            and len(response.get_data()) <= MAX_BODY_BYTES
        ):
            headers = [(k, v) for k, v in response.headers.items() if k.lower() not in ("set-cookie", "content-length")]
            cache.put(key, response.status_code, response.get_data(), headers)
        return response
