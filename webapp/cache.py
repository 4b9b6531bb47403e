"""Whole-response caches: one for the explorer's GET pages, one for /sparql results.

Pages are pure functions of the URL, the Accept header and the store's contents, and a read
query's results are a pure function of its text, its dataset and the store's contents. The
embedded store cannot change under a running server except through this process (the server
holds its lock), so its write counter (`Store.generation`) keys both caches exactly; a remote
store may be changed by others, so its entries also expire after a short time.

Both send an ETag (a hash of the body) with `Cache-Control: no-cache`: a client may keep a copy
but asks again each time, and gets a 304 while the store is unchanged.
"""

from __future__ import annotations

import hashlib
import threading
import time
import zlib
from collections import OrderedDict

from flask import Flask, Response, g, request

from webapp import get_store

UNCACHED_PREFIXES = ("/sparql", "/rdf-graph-store", "/static/")
MAX_ENTRIES = 2048
MAX_BODY_BYTES = 512 * 1024
PAGE_CACHE_BYTES = 128 * 1024 * 1024
REMOTE_TTL_SECONDS = 30.0
CACHE_CONTROL = "no-cache"


def etag_of(body: bytes) -> str:
    return hashlib.blake2b(body, digest_size=12).hexdigest()


def store_key(store) -> tuple[tuple, float | None]:
    """(what identifies the store's current contents, how long an entry may live)."""
    generation = getattr(store, "generation", None)
    return (id(store), generation), (None if generation is not None else REMOTE_TTL_SECONDS)


def mark(response: Response, body: bytes) -> None:
    """Give a cacheable response its validator; `make_conditional` then answers 304 to a client
    that already holds this body."""
    response.set_etag(etag_of(body))
    response.headers["Cache-Control"] = CACHE_CONTROL


class PageCache:
    """Least-recently-used responses, bounded by count and by total body size. Bodies are kept
    compressed (zlib level 1: ~1 ms a 200 KB page, and pages shrink about sevenfold), so the
    same memory holds several times the pages; the size bound counts what is kept."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = PAGE_CACHE_BYTES) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.size = 0
        self._entries: OrderedDict[tuple, tuple[float, int, bytes, list[tuple[str, str]]]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple, ttl: float | None) -> tuple[int, bytes, list[tuple[str, str]]] | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            stored_at, status, packed, headers = entry
            if ttl is not None and time.monotonic() - stored_at > ttl:
                self._drop(key)
                return None
            self._entries.move_to_end(key)
        return status, zlib.decompress(packed), headers

    def put(self, key: tuple, status: int, body: bytes, headers: list[tuple[str, str]]) -> None:
        packed = zlib.compress(body, 1)
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (time.monotonic(), status, packed, headers)
            self.size += len(packed)
            while self._entries and (len(self._entries) > self.max_entries or self.size > self.max_bytes):
                self._drop(next(iter(self._entries)))

    def _drop(self, key: tuple) -> None:
        self.size -= len(self._entries.pop(key)[2])


def init_page_cache(app: Flask) -> None:
    cache = PageCache()
    app.extensions["cskg_page_cache"] = cache

    def key_and_ttl() -> tuple[tuple, float | None] | None:
        if request.method != "GET" or request.path.startswith(UNCACHED_PREFIXES):
            return None
        state, ttl = store_key(get_store())
        return (*state, request.full_path, request.headers.get("Accept", "")), ttl

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
        return Response(body, status=status, headers=headers).make_conditional(request)

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
            body = response.get_data()
            mark(response, body)
            headers = [(k, v) for k, v in response.headers.items() if k.lower() not in ("set-cookie", "content-length")]
            cache.put(key, response.status_code, body, headers)
            return response.make_conditional(request)
        return response


# ---------------------------------------------------------------------------- /sparql results
SPARQL_CACHE_BYTES = 64 * 1024 * 1024
SPARQL_ENTRY_BYTES = 8 * 1024 * 1024
SPARQL_KINDS = 4096


class ResultCache:
    """Serialised /sparql results, keyed by (store state, query text, dataset, base URL) and the
    negotiated format. The format depends on the query's kind (SELECT/ASK or a graph), known only
    once it has run, so each query's kind is remembered beside its results."""

    def __init__(self, max_bytes: int = SPARQL_CACHE_BYTES, max_entry: int = SPARQL_ENTRY_BYTES) -> None:
        self.responses = PageCache(max_entries=4 * SPARQL_KINDS, max_bytes=max_bytes)
        self.max_entry = max_entry
        self._kinds: OrderedDict[tuple, str] = OrderedDict()
        self._lock = threading.Lock()

    def kind(self, key: tuple) -> str | None:
        with self._lock:
            return self._kinds.get(key)

    def get(self, key: tuple, fmt: str, ttl: float | None) -> tuple[int, bytes, list[tuple[str, str]]] | None:
        return self.responses.get((*key, fmt), ttl)

    def put(self, key: tuple, kind: str, fmt: str, response: Response) -> None:
        body = response.get_data()
        if len(body) > self.max_entry:
            return
        with self._lock:
            self._kinds[key] = kind
            self._kinds.move_to_end(key)
            while len(self._kinds) > SPARQL_KINDS:
                self._kinds.popitem(last=False)
        headers = [(k, v) for k, v in response.headers.items() if k.lower() != "content-length"]
        self.responses.put((*key, fmt), response.status_code, body, headers)
