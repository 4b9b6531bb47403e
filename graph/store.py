"""The store: one named graph per source, a metadata graph, the union as default graph.

`Store` is the small interface every backend implements: the embedded Oxigraph store here, a
remote SPARQL 1.1 server in graph.remote. Everything that reads (CLI, endpoint, explorer,
exports, analytics) goes through `query` and `dump`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyoxigraph as ox
from oxrdflib._converter import from_ox
from rdflib import Literal, URIRef
from rdflib.query import Result
from rdflib.term import Identifier, Node, Variable

from graph.iri import IriMinter
from graph.sparql import bind_values, term_to_sparql
from ontology.namespace import CS, RDF, XSD

DEFAULT_STORE_PATH = "var/store"

Triple = tuple[Node, Node, Node]


class StoreError(Exception):
    """A store problem explained for people (locked, missing, unreachable...)."""


@dataclass(frozen=True)
class SourceRecord:
    """What the metadata graph says about one source graph."""

    graph: URIRef
    source_file: str
    sha256: str
    loader_version: str
    loaded_at: str
    triple_count: int
    kind: str  # report | reference


@dataclass
class SourceBatchItem:
    """The complete new content of one source graph: its triples, or `body`, the same triples
    already written as triple lines by `ntriples_body`, or `body_utf8`, those lines encoded (built
    in a worker process, so the single writer only concatenates bytes: no rdflib terms cross the
    process boundary, and the writer neither decodes nor encodes the text)."""

    record: SourceRecord
    triples: Sequence[Triple] = ()
    body: str | None = None
    # what the content bears on in the store's summaries (graph.summaries.candidates), when the
    # builder read it off the triples; else the store finds it by querying the written graph
    summary_candidates: frozenset[tuple[str, str]] | None = None
    body_utf8: bytes | None = None

    def ntriples(self) -> str:
        if self.body is not None:
            return self.body
        if self.body_utf8 is not None:
            return self.body_utf8.decode("utf-8")
        return ntriples_body(self.triples)

    def ntriples_utf8(self) -> bytes:
        return self.body_utf8 if self.body_utf8 is not None else self.ntriples().encode("utf-8")


# RDF formats by the names users type
from graph.formats import FORMATS  # noqa: E402 (kept here for its importers)


# the characters rdflib's URIRef.n3 refuses (rdflib.term._invalid_uri_chars)
_NOT_IN_URI = re.compile(r'[<>" {}|\\^`]')


def ntriples_body(triples: Iterable[Triple]) -> str:
    """Triples as one `s p o .` line each, in the term syntax INSERT DATA accepts (rdflib n3:
    long literals may keep raw line breaks, so this is not strict N-Triples)."""
    # the same text as term.n3() for every term, made once per term object (a report's graph uses
    # the same predicate and subject objects in many triples); a plain URIRef is written here, as
    # rdflib writes it, without the cost of its method. The list keeps every term alive, so no
    # id is reused during the call.
    triples = triples if isinstance(triples, list) else list(triples)
    made: dict[int, str] = {}
    lines = []
    for triple in triples:
        terms = []
        for t in triple:
            n3 = made.get(id(t))
            if n3 is None:
                if type(t) is URIRef and _NOT_IN_URI.search(t) is None:
                    n3 = f"<{t}>"
                else:
                    n3 = t.n3()  # literals, blank nodes, and the URIRef it refuses (it raises)
                made[id(t)] = n3
            terms.append(n3)
        lines.append(f"{terms[0]} {terms[1]} {terms[2]} .")
    return "\n".join(lines)


def _record_triples(rec: SourceRecord) -> list[Triple]:
    g = rec.graph
    return [
        (g, RDF.type, CS.SourceGraph),
        (g, CS.sourceFile, Literal(rec.source_file)),
        (g, CS.sha256, Literal(rec.sha256)),
        (g, CS.loaderVersion, Literal(rec.loader_version)),
        (g, CS.loadedAt, Literal(rec.loaded_at, datatype=XSD.dateTime)),
        (g, CS.tripleCount, Literal(rec.triple_count)),
        (g, CS.sourceKind, Literal(rec.kind)),
    ]


def _in_order(records: list[SourceRecord]) -> list[SourceRecord]:
    """Records by kind, then file name (then graph, so that the order is always the same)."""
    return sorted(records, key=lambda r: (r.kind, r.source_file, str(r.graph)))


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


class Store(ABC):
    """What cskg needs from a quad store."""

    minter: IriMinter
    location: str
    # Counts writes made through this object. None where others may write too (a remote server),
    # so readers that cache by it know they cannot trust it.
    generation: int | None = None
    # whether the store keeps the union of its graphs as its default graph itself (so a write into a
    # graph also writes the union's copy); a server computes its union
    keeps_union_copy: bool = False
    # the summary keys touched by writes inside `deferred_summaries`, and whether the stale mark is set
    _pending_keys: set[str] | None = None
    _stale_marked: bool = False
    _summaries_whole: bool = False  # when the deferral's first write started

    # --- reading
    @abstractmethod
    def query(
        self,
        sparql: str,
        *,
        bindings: dict[str, Identifier] | None = None,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> Result:
        """Run a SPARQL query; the default graph is the union of all graphs unless
        `default_graphs` names some. Values in `bindings` are substituted safely."""

    @abstractmethod
    def dump(self, out: IO[bytes], fmt: str, graph: str | None = None) -> None:
        """Serialise the store (or one graph) in one of FORMATS."""

    # --- writing
    @abstractmethod
    def replace_sources(self, items: Sequence[SourceBatchItem]) -> None:
        """Replace each source's graph and its metadata, all in one transaction."""

    @abstractmethod
    def remove_source(self, graph: URIRef) -> None:
        """Drop a source graph and its metadata record."""

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 update (one transaction)."""

    # --- the summaries (graph.summaries): kept up to date by every write
    @contextmanager
    def deferred_summaries(self):
        """Writes inside recompute the summaries they touch once, at the end: a load of many
        reports recomputes each council once instead of once per batch. Nested uses join the
        outermost. Until the end the summaries are marked stale; a process stopped before the end
        leaves the mark, and the next open rebuilds them."""
        if self._pending_keys is not None:
            yield
            return
        from graph import summaries

        self._pending_keys, self._stale_marked = set(), False
        failed = False
        try:
            yield
        except BaseException:
            failed = True
            raise
        finally:
            keys, marked = self._pending_keys, self._stale_marked
            self._pending_keys, self._stale_marked = None, False
            if marked:
                try:
                    summaries.refresh_and_unmark(self, keys, record_version=self._summaries_whole)
                except Exception:
                    if not failed:  # else the write's own error is the one to see; the mark stays
                        raise

    def _summarised_write(self, graphs: Iterable[URIRef], existing: Iterable[URIRef], write: Callable[[], None],
                          items: Sequence[SourceBatchItem] = ()) -> None:
        """Run `write` (which replaces or drops `graphs`, of which `existing` were there before),
        and recompute the summaries of what the old and the new content bear on. New content
        whose item carries its summary candidates is not queried for them."""
        from graph import summaries

        graphs, existing = list(graphs), list(existing)
        known = {item.record.graph: item.summary_candidates for item in items if item.summary_candidates is not None}
        with self.deferred_summaries():
            if not self._stale_marked:
                self._summaries_whole = summaries.complete(self)
                summaries.mark_stale(self)
                self._stale_marked = True
            if existing:
                self._pending_keys |= summaries.keys_of_graphs(self, existing)
            write()
            found = set().union(*known.values()) if known else set()
            if found:
                self._pending_keys |= summaries.resolve(self, found)
            rest = [g for g in graphs if g not in known]
            if rest:
                self._pending_keys |= summaries.keys_of_graphs(self, rest)

    def close(self) -> None:  # noqa: B027 - optional for backends without resources
        pass

    def compact(self) -> bool:
        """Reorganise the store's files for reading, when the backend has such a step; True if it
        did. A server looks after its own files, so the default is to do nothing."""
        return False

    # --- shared behaviour, written once in terms of query()
    # the file name first: with names given, each record is an index lookup, not a scan of all records
    # sorted here, not by ORDER BY: Oxigraph reads a stored file name from disk at every comparison
    # of a sort (10,000 records: 0.93 -> 0.40 s for the query)
    _SOURCES_QUERY = """SELECT ?g ?file ?sha ?ver ?at ?n ?kind WHERE { %s GRAPH %s {
                 ?g cs:sourceFile ?file . ?g a cs:SourceGraph ; cs:sha256 ?sha ; cs:loaderVersion ?ver ;
                    cs:loadedAt ?at ; cs:tripleCount ?n ; cs:sourceKind ?kind } }"""

    def sources(self) -> list[SourceRecord]:
        """Every source's record, by kind and then file name."""
        return self._source_records("")

    def sources_named(self, names: Iterable[str], chunk: int = 500) -> list[SourceRecord]:
        """The records whose source file is one of `names`: what a load needs, without reading
        every record of a large store."""
        wanted = sorted(set(names))
        out: list[SourceRecord] = []
        for i in range(0, len(wanted), chunk):
            values = " ".join(term_to_sparql(Literal(n)) for n in wanted[i : i + chunk])
            out.extend(self._source_records(f"VALUES ?file {{ {values} }}"))
        return out

    def _source_records(self, values: str) -> list[SourceRecord]:
        rows = self.query(self._SOURCES_QUERY % (values, self.minter.meta_graph.n3()))
        return _in_order([
            SourceRecord(URIRef(r.g), str(r.file), str(r.sha), str(r.ver), str(r.at), int(r.n), str(r.kind))
            for r in rows
        ])

    def source(self, name_or_graph: str) -> SourceRecord | None:
        """Find a source by its file name, its graph IRI, or its graph's local name."""
        for rec in self.sources():
            if name_or_graph in (rec.source_file, str(rec.graph)) or str(rec.graph).endswith("/" + name_or_graph):
                return rec
        return None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _unshared(graph: str, subject: str | None = None) -> str:
    """Delete from the default graph (the union) the triples of `graph` that no other named
    graph holds; `subject` narrows it to one subject's triples (a source's metadata record)."""
    s = subject or "?s"
    return (f"DELETE {{ {s} ?p ?o }} WHERE {{ GRAPH {graph} {{ {s} ?p ?o }}"
            f" FILTER NOT EXISTS {{ GRAPH ?other {{ {s} ?p ?o }} FILTER(?other != {graph}) }} }}")


def _drop_text(meta: URIRef, graph: URIRef, union: bool = True) -> str:
    g, m = graph.n3(), meta.n3()
    unshared = f"{_unshared(g)} ;\n{_unshared(m, g)} ;\n" if union else ""
    return f"{unshared}DROP SILENT GRAPH {g} ;\nDELETE WHERE {{ GRAPH {m} {{ {g} ?p ?o }} }}"


def _update_text(meta: URIRef, items: Sequence[SourceBatchItem], union: bool = True) -> str:
    """One update replacing each item's graph and record. With `union` (the embedded store keeps
    the union in its default graph), the triples only it held leave the union first and the new
    ones go into the union too; a remote server computes its union itself."""
    parts: list[str] = []
    for item in items:
        g = item.record.graph.n3()
        parts.append(_drop_text(meta, item.record.graph, union) + " ;\n")
        body = item.ntriples()
        if body:
            copy = f"{body}\n" if union else ""
            parts.append(f"INSERT DATA {{ GRAPH {g} {{\n{body}\n}}\n{copy}}} ;\n")
        recs = ntriples_body(_record_triples(item.record))
        copy = f"{recs}\n" if union else ""
        parts.append(f"INSERT DATA {{ GRAPH {meta.n3()} {{\n{recs}\n}}\n{copy}}} ;\n")
    return "".join(parts).rstrip(" ;\n")


def _from_ox(term):
    """pyoxigraph term -> rdflib term; xsd:string literals become plain literals, as rdflib
    itself would parse them, so results compare equal to parsed Turtle."""
    if isinstance(term, ox.Literal) and term.language is None and term.datatype.value == _XSD_STRING:
        return Literal(term.value)
    return from_ox(term)


_XSD_STRING = str(XSD.string)


def convert_solutions(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> Result:
    """pyoxigraph results -> an rdflib Result."""
    if isinstance(result, ox.QueryBoolean):
        out = Result("ASK")
        out.askAnswer = bool(result)
    elif isinstance(result, ox.QuerySolutions):
        out = Result("SELECT")
        out.vars = [Variable(v.value) for v in result.variables]
        # each distinct term is converted once per result: rows repeat their councils, names,
        # years and roles, and rdflib's Literal constructor was most of the conversion (2,000
        # rows of people-at-a-council: 25 -> 6.5 ms)
        memo: dict = {}

        def term(val):
            try:
                return memo[val]
            except KeyError:
                made = memo[val] = _from_ox(val)
                return made

        # materialised: pyoxigraph's iterator may not be dropped on another thread (waitress, pools)
        out.bindings = [
            {v: term(val) for v, val in zip(out.vars, solution) if val is not None} for solution in result
        ]
    else:
        from rdflib import Graph

        out = Result("CONSTRUCT")
        out.graph = Graph()
        for t in result:
            out.graph.add((_from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object)))
    return out


class OxigraphStore(Store):
    """The embedded store: Oxigraph (RocksDB) on disk, or in memory when `path` is None."""

    def __init__(self, path: str | os.PathLike[str] | None = DEFAULT_STORE_PATH, *, base: str | None = None) -> None:
        self.minter = IriMinter(base)
        self.location = str(path) if path is not None else ":memory:"
        try:
            if path is None:
                self._ox = ox.Store()
            else:
                Path(path).mkdir(parents=True, exist_ok=True)
                self._ox = ox.Store(str(path))
        except OSError as exc:
            msg = str(exc)
            if "lock" in msg.lower():
                raise StoreError(
                    f"the store at {path} is in use by another cskg process (a running `cskg serve` or load);"
                    " stop it, or load through that process"
                ) from None
            raise StoreError(f"cannot open the store at {path}: {msg}") from None
        self._rdflib = None
        self.generation = 0
        self.keeps_union_copy = True
        try:
            self.repaired = self._repair()
            self.materialise_union()
        except OSError as exc:
            raise StoreError(f"cannot repair the store at {self.location} after an interrupted load: {exc}") from None
        from graph import summaries

        try:
            if self.repaired:  # a cut-off load may have counted in the summaries what the repair took out
                summaries.rebuild(self)
            else:  # a store from an earlier cskg, or left stale by a stopped load: say why opening waits
                summaries.ensure(self, echo=lambda line: print(f"{self.location}: {line}", file=sys.stderr, flush=True))
        except OSError as exc:
            raise StoreError(f"cannot compute the summaries of the store at {self.location}: {exc}") from None

    @property
    def ox(self) -> ox.Store:
        """The pyoxigraph store itself, for bulk operations."""
        return self._ox

    @property
    def rdflib(self):
        """The same data as an rdflib Dataset (oxrdflib), default graph = the union of all graphs."""
        if self._rdflib is None:
            from oxrdflib import OxigraphStore as RdflibOxigraph
            from rdflib import Dataset

            self._rdflib = Dataset(store=RdflibOxigraph(store=self._ox), default_union=False)  # default graph: the union
        return self._rdflib

    def query(self, sparql, *, bindings=None, default_graphs=None, named_graphs=None) -> Result:
        from ontology.namespace import PREFIXES

        kwargs: dict = {"prefixes": {k: str(v) for k, v in PREFIXES.items()}}
        if default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        if named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        return convert_solutions(self._ox.query(bind_values(sparql, bindings or {}), **kwargs))

    def raw_query(self, sparql: str, **kwargs):
        """pyoxigraph's own results, for hot paths that convert nothing."""
        return self._ox.query(sparql, **kwargs)

    def _source_records(self, values: str) -> list[SourceRecord]:
        """As the base class, from pyoxigraph's own rows (converting 10,000 records' terms to rdflib
        took 0.3 s of the 0.7)."""
        meta = ox.NamedNode(self.minter.meta_graph)
        rows = self._ox.query(self._SOURCES_QUERY % (values, meta), prefixes={"cs": str(CS)})
        return _in_order([
            SourceRecord(URIRef(g.value), file.value, sha.value, ver.value, at.value, int(n.value), kind.value)
            for g, file, sha, ver, at, n, kind in rows
        ])

    def replace_sources(self, items: Sequence[SourceBatchItem]) -> None:
        """New sources go through Oxigraph's bulk loader (3-4x cheaper per triple than a
        transaction on disk); replacements, and a second item for a graph already in the batch,
        through one SPARQL update (drop + insert + record, one transaction). Each source stays
        all-or-nothing: see `_bulk_insert`."""
        if not items:
            return
        fresh, replacing, seen = [], [], set()
        for item in items:
            graph = item.record.graph
            if graph not in seen and not self._holds(graph):
                fresh.append(item)
            else:
                replacing.append(item)
            seen.add(graph)

        def write() -> None:
            try:
                if fresh:
                    self._bulk_insert(fresh)
                if replacing:  # after the fresh ones: a later item for the same graph wins
                    self._ox.update(_update_text(self.minter.meta_graph, replacing))
            finally:
                self.generation += 1

        self._summarised_write(seen, [i.record.graph for i in replacing], write, items)

    def _holds(self, graph: URIRef) -> bool:
        node = ox.NamedNode(graph)
        meta = ox.NamedNode(self.minter.meta_graph)
        return self._ox.contains_named_graph(node) or next(self._ox.quads_for_pattern(node, None, None, meta), None) is not None

    def _bulk_insert(self, items: Sequence[SourceBatchItem]) -> None:
        """The bulk loader makes no transaction promise, so the graphs are first marked
        cs:loadPending (one small transaction) and unmarked once the bulk load has returned; a
        process killed in between leaves marks that `_repair` finds at the next open and undoes."""
        meta = self.minter.meta_graph.n3()
        marks = "\n".join(f"{item.record.graph.n3()} {CS.loadPending.n3()} true ." for item in items)
        self._ox.update(f"INSERT DATA {{ GRAPH {meta} {{\n{marks}\n}}\n{marks}\n}}")
        parts: list[bytes] = []
        for item in items:
            body = item.ntriples_utf8()
            if body:  # the graph, and the same triples outside any block: the default graph (the union)
                parts += [f"{item.record.graph.n3()} {{\n".encode(), body, b"\n}\n", body, b"\n"]
            recs = ntriples_body(_record_triples(item.record))
            parts.append(f"{meta} {{\n{recs}\n}}\n{recs}\n".encode())
        self._ox.bulk_load(b"".join(parts), format=ox.RdfFormat.TRIG)
        self._ox.update(f"DELETE DATA {{ GRAPH {meta} {{\n{marks}\n}}\n{marks}\n}}")

    def _repair(self) -> list[URIRef]:
        """Remove the source graphs a killed bulk load left half-written (and their records),
        so their files load again; one transaction."""
        meta = ox.NamedNode(self.minter.meta_graph)
        cut = [URIRef(q.subject.value) for q in self._ox.quads_for_pattern(None, ox.NamedNode(CS.loadPending), None, meta)]
        if cut:
            # the cut-off load may have written the union's copy without the graph's: sweep the union too
            sweep = "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }"
            self._ox.update(" ;\n".join([*(_drop_text(self.minter.meta_graph, g) for g in cut), sweep]))
            self.generation += 1
        return cut

    def materialise_union(self) -> None:
        """The default graph holds the union of all named graphs, each triple once, kept so by
        every write. Queries read it instead of Oxigraph's union view, which is a bag (a triple
        stated by 300 report graphs comes back 300 times, and joins multiply the copies). A
        store written before the union was kept gets it here, once."""
        if next(self._ox.quads_for_pattern(None, None, None, ox.DefaultGraph()), None) is None and next(self._ox.named_graphs(), None):
            self._ox.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
            self.generation += 1

    def remove_source(self, graph: URIRef) -> None:
        def write() -> None:
            self.generation += 1
            self._ox.update(_drop_text(self.minter.meta_graph, graph))

        self._summarised_write([graph], [graph], write)

    def update(self, sparql: str) -> None:
        try:
            self._ox.update(sparql)
        finally:
            self.generation += 1

    def compact(self) -> bool:
        """Compact the store's RocksDB files (Oxigraph's `optimize`). Every bulk load adds its own
        files, and a lookup searches each level they sit in: after 10,000 reports, compacting took
        23 s and made the library queries 10-30% faster. The content does not change."""
        if self.location == ":memory:":
            return False
        try:
            self._ox.optimize()
        except OSError as exc:
            raise StoreError(f"could not compact the store at {self.location}: {exc}") from None
        return True

    def dump(self, out: IO[bytes], fmt: str, graph: str | None = None, prefixes: dict[str, str] | None = None) -> None:
        """One graph; or the whole store: quad formats write every named graph (not the default
        graph, which only repeats them), triple formats the union, each triple once."""
        _mime, ox_format, quads = FORMATS[fmt]
        if graph is not None:
            self._ox.dump(out, format=ox_format if not quads else ox.RdfFormat.TURTLE, from_graph=ox.NamedNode(graph),
                          prefixes=prefixes if not quads or fmt == "trig" else None)
        elif not quads:
            self._ox.dump(out, format=ox_format, from_graph=ox.DefaultGraph(), prefixes=prefixes)
        elif fmt in ("nquads", "trig"):
            # Oxigraph writes each graph as N-Triples; the graph name goes into every line (N-Quads,
            # where " .\n" can only end a line) or around the lines (TriG)
            if fmt == "trig" and prefixes:
                out.write("".join(f"@prefix {k}: <{v}> .\n" for k, v in prefixes.items()).encode() + b"\n")

            def one(g: ox.NamedNode) -> bytes:
                name = str(g).encode()
                lines = self._ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g)
                if fmt == "nquads":
                    return lines.replace(b" .\n", b" " + name + b" .\n")
                return name + b" {\n" + lines + b"}\n\n"

            # the graphs are serialised on every core (Oxigraph lets go of the GIL while it writes:
            # 1.65x on 2 cores), written in order, a window at a time so memory stays bounded
            graphs = sorted(self._ox.named_graphs(), key=str)
            with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
                for start in range(0, len(graphs), 64):
                    for chunk in pool.map(one, graphs[start:start + 64]):
                        out.write(chunk)
        else:
            ox.serialize(self.named_quads(), out, format=ox_format)

    def named_quads(self) -> Iterator[ox.Quad]:
        """Every quad of the named graphs: the store's content without the union's copy."""
        return (q for q in self._ox.quads_for_pattern(None, None, None) if not isinstance(q.graph_name, ox.DefaultGraph))

    def flush(self) -> None:
        if self.location != ":memory:":
            try:
                self._ox.flush()
            except OSError as exc:
                raise StoreError(f"could not write the store at {self.location}: {exc}") from None

    def close(self) -> None:
        if getattr(self, "_ox", None) is not None:
            try:
                self.flush()
            finally:
                self._rdflib = None
                self._ox = None  # type: ignore[assignment]


def open_store(location: str | None = None, *, base: str | None = None) -> Store:
    """Open the store named by `location`, $CSKG_STORE, or ./var/store.

    `sparql+http://host:port/path` (or https) selects a remote SPARQL 1.1 server."""
    location = location or os.environ.get("CSKG_STORE") or DEFAULT_STORE_PATH
    if location.startswith(("sparql+http://", "sparql+https://")):
        from graph import summaries
        from graph.remote import RemoteStore

        remote = RemoteStore.from_url(location, base=base)
        # an unreachable server fails here in one sentence; an endpoint that takes no updates still
        # answers queries, with the summaries as the server has them
        if remote.update_url and not summaries.current(remote):
            try:
                summaries.rebuild_if_any(remote)
            except StoreError as exc:
                import logging

                logging.getLogger(__name__).warning("could not bring the summaries of %s up to date: %s", location, exc)
        return remote
    if location == ":memory:":
        return OxigraphStore(None, base=base)
    return OxigraphStore(location, base=base)
