"""The store: one named graph per source, a metadata graph, the union as default graph.

`Store` is the small interface every backend implements: the embedded Oxigraph store here, a
remote SPARQL 1.1 server in graph.remote. Everything that reads (CLI, endpoint, explorer,
exports, analytics) goes through `query` and `dump`.
"""

from __future__ import annotations

import datetime as dt
import os
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
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
from ontology.namespace import CS, DCTERMS, RDF, XSD

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
    already written as triple lines by `ntriples_body` (built in a worker process, so the single writer only
    concatenates and no rdflib terms cross the process boundary)."""

    record: SourceRecord
    triples: Sequence[Triple] = ()
    body: str | None = None

    def ntriples(self) -> str:
        return self.body if self.body is not None else ntriples_body(self.triples)


# RDF formats by the names users type
FORMATS = {
    "turtle": ("text/turtle", ox.RdfFormat.TURTLE, False),
    "trig": ("application/trig", ox.RdfFormat.TRIG, True),
    "nquads": ("application/n-quads", ox.RdfFormat.N_QUADS, True),
    "ntriples": ("application/n-triples", ox.RdfFormat.N_TRIPLES, False),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD, True),
}


def ntriples_body(triples: Iterable[Triple]) -> str:
    """Triples as one `s p o .` line each, in the term syntax INSERT DATA accepts (rdflib n3:
    long literals may keep raw line breaks, so this is not strict N-Triples)."""
    return "\n".join(f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in triples)


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


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


class Store(ABC):
    """What cskg needs from a quad store."""

    minter: IriMinter
    location: str
    # Counts writes made through this object. None where others may write too (a remote server),
    # so readers that cache by it know they cannot trust it.
    generation: int | None = None

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

    def close(self) -> None:  # noqa: B027 - optional for backends without resources
        pass

    # --- shared behaviour, written once in terms of query()
    _SOURCES_QUERY = """SELECT ?g ?file ?sha ?ver ?at ?n ?kind WHERE { %s GRAPH ?meta {
                 ?g a cs:SourceGraph ; cs:sourceFile ?file ; cs:sha256 ?sha ; cs:loaderVersion ?ver ;
                    cs:loadedAt ?at ; cs:tripleCount ?n ; cs:sourceKind ?kind } }
               ORDER BY ?kind ?file"""

    def sources(self) -> list[SourceRecord]:
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
        rows = self.query(self._SOURCES_QUERY % values, bindings={"meta": self.minter.meta_graph})
        return [
            SourceRecord(URIRef(r.g), str(r.file), str(r.sha), str(r.ver), str(r.at), int(r.n), str(r.kind))
            for r in rows
        ]

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


def _update_text(meta: URIRef, items: Sequence[SourceBatchItem]) -> str:
    parts: list[str] = []
    for item in items:
        g = item.record.graph.n3()
        parts.append(f"DROP SILENT GRAPH {g} ;\n")
        parts.append(f"DELETE WHERE {{ GRAPH {meta.n3()} {{ {g} ?p ?o }} }} ;\n")
        body = item.ntriples()
        if body:
            parts.append(f"INSERT DATA {{ GRAPH {g} {{\n{body}\n}} }} ;\n")
        recs = ntriples_body(_record_triples(item.record))
        parts.append(f"INSERT DATA {{ GRAPH {meta.n3()} {{\n{recs}\n}} }} ;\n")
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
        # materialised: pyoxigraph's iterator may not be dropped on another thread (waitress, pools)
        out.bindings = [
            {v: _from_ox(val) for v, val in zip(out.vars, solution) if val is not None} for solution in result
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
        try:
            self.repaired = self._repair()
        except OSError as exc:
            raise StoreError(f"cannot repair the store at {self.location} after an interrupted load: {exc}") from None

    @property
    def ox(self) -> ox.Store:
        """The pyoxigraph store itself, for bulk operations."""
        return self._ox

    @property
    def rdflib(self):
        """The same data as an rdflib Dataset (oxrdflib), default graph = union of all graphs."""
        if self._rdflib is None:
            from oxrdflib import OxigraphStore as RdflibOxigraph
            from rdflib import Dataset

            self._rdflib = Dataset(store=RdflibOxigraph(store=self._ox), default_union=True)
        return self._rdflib

    def query(self, sparql, *, bindings=None, default_graphs=None, named_graphs=None) -> Result:
        from ontology.namespace import PREFIXES

        kwargs: dict = {"prefixes": {k: str(v) for k, v in PREFIXES.items()}}
        if default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        else:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        return convert_solutions(self._ox.query(bind_values(sparql, bindings or {}), **kwargs))

    def raw_query(self, sparql: str, **kwargs):
        """pyoxigraph's own results, for hot paths that convert nothing."""
        kwargs.setdefault("use_default_graph_as_union", True)
        return self._ox.query(sparql, **kwargs)

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
        try:
            if fresh:
                self._bulk_insert(fresh)
            if replacing:  # after the fresh ones: a later item for the same graph wins
                self._ox.update(_update_text(self.minter.meta_graph, replacing))
        finally:
            self.generation += 1

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
        self._ox.update(f"INSERT DATA {{ GRAPH {meta} {{\n{marks}\n}} }}")
        parts: list[str] = []
        for item in items:
            body = item.ntriples()
            if body:
                parts.append(f"{item.record.graph.n3()} {{\n{body}\n}}\n")
            parts.append(f"{meta} {{\n{ntriples_body(_record_triples(item.record))}\n}}\n")
        self._ox.bulk_load("".join(parts).encode("utf-8"), format=ox.RdfFormat.TRIG)
        self._ox.update(f"DELETE DATA {{ GRAPH {meta} {{\n{marks}\n}} }}")

    def _repair(self) -> list[URIRef]:
        """Remove the source graphs a killed bulk load left half-written (and their records),
        so their files load again; one transaction."""
        meta = ox.NamedNode(self.minter.meta_graph)
        cut = [URIRef(q.subject.value) for q in self._ox.quads_for_pattern(None, ox.NamedNode(CS.loadPending), None, meta)]
        if cut:
            m = self.minter.meta_graph.n3()
            self._ox.update(" ;\n".join(f"DROP SILENT GRAPH {g.n3()} ; DELETE WHERE {{ GRAPH {m} {{ {g.n3()} ?p ?o }} }}" for g in cut))
            self.generation += 1
        return cut

    def remove_source(self, graph: URIRef) -> None:
        meta = self.minter.meta_graph.n3()
        self.generation += 1
        self._ox.update(f"DROP SILENT GRAPH {graph.n3()} ; DELETE WHERE {{ GRAPH {meta} {{ {graph.n3()} ?p ?o }} }}")

    def dump(self, out: IO[bytes], fmt: str, graph: str | None = None) -> None:
        _mime, ox_format, quads = FORMATS[fmt]
        if graph is not None:
            self._ox.dump(out, format=ox_format if not quads else ox.RdfFormat.TURTLE, from_graph=ox.NamedNode(graph))
            return
        if quads:
            self._ox.dump(out, format=ox_format)
        else:
            # Turtle / N-Triples: the union of all graphs, duplicates merged
            triples = self._ox.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
            ox.serialize(triples, out, format=ox_format)

    def bulk_add(self, quads: Iterable[ox.Quad]) -> None:
        """Non-transactional bulk insert, for building a store from scratch (benchmarks)."""
        self.generation += 1
        self._ox.bulk_extend(quads)

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
        from graph.remote import RemoteStore

        return RemoteStore.from_url(location, base=base)
    if location == ":memory:":
        return OxigraphStore(None, base=base)
    return OxigraphStore(location, base=base)
