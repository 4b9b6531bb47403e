"""Bounded execution of untrusted SPARQL: a deadline that really stops the work, and a row cap.

pyoxigraph has no query timeout, and a Rust query cannot be interrupted from Python, so queries
run in a small pool of worker processes. Each worker opens the on-disk store with
`pyoxigraph.Store.read_only` (safe because the serving process holds the store's write lock
and never writes while serving); a worker that passes its deadline is killed and replaced, so
a runaway query costs one worker for at most the timeout and never stalls the web process.

An in-memory store is copied into each worker when the pool starts (a snapshot: later writes
are not seen until `restart()`). A remote store runs queries in the calling thread, bounded by
the HTTP timeout and the server's own limits.

Results cross the process boundary as plain tuples (see `Term`), small and cheap to pickle; the
caller serialises them (graph.results) as a stream.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

import pyoxigraph as ox

# ('uri', iri) | ('bnode', id) | ('literal', value, datatype or None, language or None)
Term = tuple

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class QueryTimeout(Exception):
    """The query passed its deadline (or waited too long for a free worker) and was stopped."""


class QueryBusy(QueryTimeout):
    """Every worker is busy and the waiting room is full: try again shortly."""


class QueryFailed(Exception):
    """The engine refused or failed the query; `syntax` is True for parse errors, `ours` when the
    fault is the server's (a worker died), not the query's."""

    def __init__(self, message: str, *, syntax: bool = False, ours: bool = False) -> None:
        super().__init__(message)
        self.syntax = syntax
        self.ours = ours


@dataclass
class Outcome:
    """A query's results: `kind` is SELECT, ASK or GRAPH (CONSTRUCT / DESCRIBE)."""

    kind: str
    vars: list[str] = field(default_factory=list)
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    triples: list[tuple[Term, Term, Term]] = field(default_factory=list)
    boolean: bool | None = None
    truncated: bool = False
    seconds: float = 0.0


# ------------------------------------------------------------------------------ term encoding
def encode_term(term) -> Term:
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value)
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if term.language:
            return ("literal", term.value, None, term.language)
        return ("literal", term.value, None if dt == _XSD_STRING else dt, None)
    raise TypeError(f"cannot encode {term!r}")  # RDF 1.2 triple terms are not produced by our data


def decode_term(t: Term):
    kind = t[0]
    if kind == "uri":
        return ox.NamedNode(t[1])
    if kind == "bnode":
        return ox.BlankNode(t[1])
    if t[3]:
        return ox.Literal(t[1], language=t[3])
    return ox.Literal(t[1], datatype=ox.NamedNode(t[2])) if t[2] else ox.Literal(t[1])


def run_on_oxigraph(store: ox.Store, sparql: str, max_rows: int, default_graphs=None, named_graphs=None,
                    prefixes: dict[str, str] | None = None) -> Outcome:
    """Run one query on a pyoxigraph store and encode at most `max_rows` results (rows or triples)."""
    kwargs: dict = {"prefixes": prefixes or {}}
    if default_graphs:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    # otherwise the store's default graph: the union of its graphs (see OxigraphStore.materialise_union)
    if named_graphs:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    started = time.perf_counter()
    try:
        result = store.query(sparql, **kwargs)
        if isinstance(result, ox.QueryBoolean):
            out = Outcome("ASK", boolean=bool(result))
        elif isinstance(result, ox.QuerySolutions):
            out = Outcome("SELECT", vars=[v.value for v in result.variables])
            for solution in result:
                if len(out.rows) >= max_rows:
                    out.truncated = True
                    break
                out.rows.append(tuple(None if v is None else encode_term(v) for v in solution))
        else:
            out = Outcome("GRAPH")
            for t in result:
                if len(out.triples) >= max_rows:
                    out.truncated = True
                    break
                out.triples.append((encode_term(t.subject), encode_term(t.predicate), encode_term(t.object)))
    except SyntaxError as exc:
        raise QueryFailed(str(exc), syntax=True) from None
    except (OSError, RuntimeError, ValueError, TypeError) as exc:
        raise QueryFailed(str(exc)) from None
    out.seconds = time.perf_counter() - started
    return out


# ------------------------------------------------------------------------------ worker process
def _open_read_only(path: str, attempts: int = 5) -> ox.Store:
    """The store read-only. Right after the serving process flushed (a write, or the pool starting),
    its RocksDB may still be compacting: a file the manifest names can be gone when the worker
    opens it ("Corruption: ... No such file"), and a moment later the next manifest holds."""
    for attempt in range(attempts):
        try:
            return ox.Store.read_only(path)
        except (OSError, RuntimeError):
            if attempt == attempts - 1:
                raise
            time.sleep(0.1 * (attempt + 1))
    raise AssertionError("unreachable")


def _worker_main(conn: Connection, path: str | None, snapshot: bytes | None, prefixes: dict[str, str]) -> None:
    if path is not None:
        store = _open_read_only(path)
    else:
        store = ox.Store()
        if snapshot:
            store.bulk_load(snapshot, format=ox.RdfFormat.N_QUADS)
    conn.send(("ready", None))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        sparql, max_rows, default_graphs, named_graphs = request
        try:
            conn.send(("ok", run_on_oxigraph(store, sparql, max_rows, default_graphs, named_graphs, prefixes)))
        except QueryFailed as exc:
            conn.send(("error", (str(exc), exc.syntax)))


# Each worker's Oxigraph keeps RocksDB block caches and table indexes of its own, filled by what its
# queries read and never given back (malloc_trim frees nothing of it): at 10,000 reports a worker
# grew from 60 to 230 MB over the query library's twelve queries, up to 45 MB in one. A worker past
# this size after a query is replaced, in the background (a new one is ready in about 0.2 s): the
# caches only spare repeated reads, and /sparql's result cache answers repeated queries. None:
# never replaced.
MAX_WORKER_MB = 96.0


def _worker_context():
    """Never fork a process that runs server threads: workers are forked from multiprocessing's fork
    server (one small single-threaded process, started with the first worker, that imports nothing
    of ours), or spawned where there is none. A replacement worker so never starts from the web
    process: no copy of its memory, not even its page tables for the instant before exec."""
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload([])
        return ctx
    return mp.get_context("spawn")


class _Worker:
    def __init__(self, ctx, path: str | None, snapshot: bytes | None, prefixes: dict[str, str]) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, path, snapshot, prefixes), daemon=True,
                                   name="cskg-query-worker")
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float) -> bool:
        try:
            return self.conn.poll(timeout) and self.conn.recv()[0] == "ready"
        except (EOFError, OSError):
            return False

    def rss_mb(self) -> float | None:
        """The worker's resident memory (MB), None where /proc cannot tell."""
        try:
            with open(f"/proc/{self.process.pid}/status", "rb") as f:
                for line in f:
                    if line.startswith(b"VmRSS:"):
                        return int(line.split()[1]) / 1024
        except (OSError, ValueError, IndexError):
            return None
        return None

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class QueryExecutor:
    """Runs untrusted queries with a deadline and a row cap. Thread-safe; one per web app."""

    def __init__(self, store, *, workers: int = 2, timeout: float = 10.0, max_rows: int = 10_000,
                 queue_timeout: float = 30.0, max_waiting: int = 6, prefixes: dict[str, str] | None = None,
                 max_worker_mb: float | None = MAX_WORKER_MB) -> None:
        from ontology.namespace import PREFIXES

        self.store = store
        self.max_worker_mb = max_worker_mb
        self.timeout = timeout
        self.max_rows = max_rows
        self.queue_timeout = queue_timeout
        self.max_waiting = max_waiting
        self._waiting = 0
        self.recycled = 0
        self.prefixes = prefixes if prefixes is not None else {k: str(v) for k, v in PREFIXES.items()}
        self._ox = getattr(store, "ox", None)
        self._size = max(1, workers)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._path: str | None = None
        self._snapshot: bytes | None = None
        self._ctx = _worker_context()
        if self._ox is not None:
            self._start_pool()

    @property
    def uses_workers(self) -> bool:
        return self._ox is not None

    def _start_pool(self) -> None:
        location = getattr(self.store, "location", ":memory:")
        if location == ":memory:":
            self._path = None
            self._snapshot = self._ox.dump(format=ox.RdfFormat.N_QUADS)
        else:
            self._path = os.path.abspath(location)
            self.store.flush()  # the workers' read-only view starts from what is on disk
        for _ in range(self._size):
            self._spawn(wait=True)
        if not self._all:
            raise QueryFailed(f"no query worker could open the store at {location}", ours=True)

    def _spawn(self, *, wait: bool) -> None:
        worker = _Worker(self._ctx, self._path, self._snapshot, self.prefixes)

        def ready() -> None:
            if worker.wait_ready(60) and not self._closed:
                with self._lock:
                    self._all.add(worker)
                self._idle.put(worker)
            else:
                worker.kill()

        if wait:
            ready()
        else:
            threading.Thread(target=ready, daemon=True, name="cskg-worker-start").start()

    def _retire(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.kill()
        if not self._closed:
            self._spawn(wait=False)

    def run(self, sparql: str, *, default_graphs: Sequence[str] | None = None,
            named_graphs: Sequence[str] | None = None, timeout: float | None = None,
            max_rows: int | None = None) -> Outcome:
        timeout = self.timeout if timeout is None else timeout
        max_rows = self.max_rows if max_rows is None else max_rows
        if not self.uses_workers:
            return self._run_inline(sparql, default_graphs, named_graphs, timeout, max_rows)
        worker = self._acquire()
        deadline = time.monotonic() + timeout
        try:
            worker.conn.send((sparql, max_rows, list(default_graphs or []), list(named_graphs or [])))
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                self._retire(worker)
                raise QueryTimeout(f"the query ran for more than {timeout:g} s and was stopped")
            status, payload = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._retire(worker)
            raise QueryFailed("the query worker stopped unexpectedly (out of memory?)", ours=True) from None
        if self._outgrown(worker):
            with self._lock:
                self.recycled += 1
            self._retire(worker)  # its answer is in hand; a fresh worker starts in the background
        else:
            self._idle.put(worker)
        if status == "error":
            message, syntax = payload
            raise QueryFailed(message, syntax=syntax)
        return payload

    def _outgrown(self, worker: _Worker) -> bool:
        if not self.max_worker_mb:
            return False
        rss = worker.rss_mb()
        return rss is not None and rss > self.max_worker_mb

    def _acquire(self) -> _Worker:
        """A free worker. Waiters are served in arrival order; beyond `max_waiting` of them the
        query is turned away at once, so a burst of runaway queries cannot hold every web
        server thread and the rest of the site keeps answering."""
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if self._waiting >= self.max_waiting:
                raise QueryBusy("every query worker is busy and others are already waiting; try again shortly")
            self._waiting += 1
        try:
            return self._idle.get(timeout=self.queue_timeout)
        except queue.Empty:
            raise QueryBusy(f"every query worker stayed busy for {self.queue_timeout:g} s; try again shortly") from None
        finally:
            with self._lock:
                self._waiting -= 1

    def _run_inline(self, sparql, default_graphs, named_graphs, timeout, max_rows) -> Outcome:
        """A store without a local Oxigraph (remote): its own HTTP timeout bounds the wait."""
        from graph.store import StoreError

        started = time.perf_counter()
        kwargs = {"timeout": timeout} if getattr(self.store, "supports_timeout", False) else {}
        try:
            result = self.store.query(sparql, default_graphs=default_graphs, named_graphs=named_graphs, **kwargs)
        except TimeoutError as exc:
            raise QueryTimeout(str(exc)) from None
        except SyntaxError as exc:
            raise QueryFailed(str(exc), syntax=True) from None
        except StoreError as exc:
            raise QueryFailed(str(exc), ours=True) from None
        except (OSError, RuntimeError, ValueError) as exc:
            raise QueryFailed(str(exc)) from None
        out = outcome_from_rdflib(result, max_rows)
        out.seconds = time.perf_counter() - started
        return out

    def restart(self) -> None:
        """Replace every worker (after the store changed under an in-memory snapshot)."""
        self.close()
        self._closed = False
        if self._ox is not None:
            self._start_pool()

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers, self._all = list(self._all), set()
        for worker in workers:
            try:
                worker.conn.send(None)
            except (OSError, BrokenPipeError):
                pass
            worker.kill()
        while not self._idle.empty():
            self._idle.get_nowait()


def outcome_from_rdflib(result, max_rows: int) -> Outcome:
    """An rdflib Result (from a remote store) -> an Outcome with at most `max_rows` rows."""
    from rdflib import BNode, Literal, URIRef

    def enc(term) -> Term | None:
        if term is None:
            return None
        if isinstance(term, URIRef):
            return ("uri", str(term))
        if isinstance(term, BNode):
            return ("bnode", str(term))
        if isinstance(term, Literal):
            dt = str(term.datatype) if term.datatype and str(term.datatype) not in (_XSD_STRING, _RDF_LANG_STRING) else None
            return ("literal", str(term), dt, term.language)
        raise TypeError(f"cannot encode {term!r}")

    if result.type == "ASK":
        return Outcome("ASK", boolean=bool(result.askAnswer))
    if result.type == "SELECT":
        vars_ = [str(v) for v in result.vars]
        rows = []
        for row in result:
            rows.append(tuple(enc(row[i]) for i in range(len(vars_))))
            if len(rows) > max_rows:
                break
        return Outcome("SELECT", vars=vars_, rows=rows[:max_rows], truncated=len(rows) > max_rows)
    triples = []
    for s, p, o in result.graph:
        triples.append((enc(s), enc(p), enc(o)))
        if len(triples) > max_rows:
            break
    return Outcome("GRAPH", triples=triples[:max_rows], truncated=len(triples) > max_rows)
