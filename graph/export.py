"""Exports: the whole store, one source graph, one entity with its evidence, or any CONSTRUCT
query, as Turtle, TriG, N-Quads, N-Triples or JSON-LD, with our prefixes declared (and, in
JSON-LD, an @context mapping them) so the output reads well.

Everything is written through pyoxigraph's serialisers, which stream; JSON-LD is compacted in
memory (pyoxigraph writes expanded JSON-LD only).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from typing import IO

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from graph.iri import IriMinter
from graph.store import FORMATS, Store
from ontology.namespace import OA, PREFIXES, PROV

# the kinds of entity IRI graph.iri mints, each declared as a prefix of the same name
ENTITY_KINDS = (
    "organisation", "person", "membership", "interval", "instant", "inspection", "judgement", "recommendation",
    "intervention", "programme", "grant", "amount", "report", "text", "evidence", "change", "legislation", "run",
)

ENTITY_FACT_LIMIT = 1000
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
# datatypes no serialisation writes out
_IMPLICIT_DATATYPES = {"http://www.w3.org/2001/XMLSchema#string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}


class ExportError(ValueError):
    pass


def export_prefixes(minter: IriMinter | None = None) -> dict[str, str]:
    """Vocabulary prefixes plus one per entity kind (`person:john-coughlan`) and the graph bases."""
    minter = minter or IriMinter()
    out = {k: str(v) for k, v in PREFIXES.items()}
    out.update({kind: f"{minter.base}id/{kind}/" for kind in ENTITY_KINDS})
    out["graph"] = str(minter.graph_ns)
    out["reportgraph"] = str(minter.graph_ns) + "report/"
    return out


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; use one of {', '.join(sorted(FORMATS))}")


# ------------------------------------------------------------------------------ serialisation
def write_rdf(items: Iterable[ox.Quad | ox.Triple], out: IO[bytes], fmt: str, prefixes: dict[str, str]) -> None:
    """Write triples or quads in `fmt`: quad formats keep graph names (triples go to the default
    graph); triple formats drop them."""
    check_format(fmt)
    _mime, ox_format, keeps_graphs = FORMATS[fmt]
    if isinstance(items, list):
        prefixes = used_prefixes(items, prefixes)
        # subjects together, so Turtle groups each subject's statements under it
        items = sorted(items, key=lambda i: (str(getattr(i, "graph_name", "")), str(i.subject), str(i.predicate), str(i.object)))
    if keeps_graphs:
        stream: Iterator = (i if isinstance(i, ox.Quad) else ox.Quad(i.subject, i.predicate, i.object) for i in items)
    else:
        stream = (ox.Triple(i.subject, i.predicate, i.object) if isinstance(i, ox.Quad) else i for i in items)
    if fmt == "jsonld":
        expanded = ox.serialize(stream, format=ox.RdfFormat.JSON_LD)
        out.write(json.dumps(compact_jsonld(json.loads(expanded), prefixes), ensure_ascii=False, indent=1).encode() + b"\n")
        return
    ox.serialize(stream, out, format=ox_format, prefixes=prefixes if fmt in ("turtle", "trig") else None)


def used_prefixes(items: list, prefixes: dict[str, str]) -> dict[str, str]:
    """Only the prefixes some IRI in `items` starts with, so a small export declares a few lines."""
    iris = set()
    for item in items:
        for term in (item.subject, item.predicate, item.object, getattr(item, "graph_name", None)):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal) and term.datatype.value not in _IMPLICIT_DATATYPES:
                iris.add(term.datatype.value)
    namespaces = {iri.rsplit("#", 1)[0] + "#" if "#" in iri else iri.rsplit("/", 1)[0] + "/" for iri in iris}
    return {k: ns for k, ns in prefixes.items() if ns in namespaces or any(n.startswith(ns) for n in namespaces)}


def compact_jsonld(expanded: list, prefixes: dict[str, str]) -> dict:
    """Expanded JSON-LD -> the same graph under an @context of our prefixes, with property names,
    @id and @type values written as compact IRIs (`cs:grade`, `person:john-coughlan`)."""
    # longest namespace first, so `person:` wins over a shorter base that also matches
    spaces = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))

    def compact(iri: str) -> str:
        for prefix, ns in spaces:
            if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns):].startswith("//"):
                return f"{prefix}:{iri[len(ns):]}"
        return iri

    def walk(node):
        if isinstance(node, list):
            return [walk(n) for n in node]
        if not isinstance(node, dict):
            return node
        out = {}
        for key, value in node.items():
            if key in ("@id", "@type") and isinstance(value, str):
                out[key] = compact(value)
            elif key == "@type" and isinstance(value, list):
                out[key] = [compact(v) for v in value]
            elif key == "@value":
                out[key] = value
            elif key.startswith("@"):
                out[key] = walk(value)
            elif key == _RDF_TYPE and all(isinstance(v, dict) and v.keys() == {"@id"} for v in value):
                out["@type"] = [compact(v["@id"]) for v in value]
            else:
                out[compact(key)] = walk(value)
        return out

    return {"@context": dict(prefixes), "@graph": walk(expanded)}


def to_ox(term):
    """rdflib term -> pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise ExportError(f"cannot export the term {term!r}")


# ------------------------------------------------------------------------------ what to export
def _store_items(store: Store, graph: str | None) -> Iterable[ox.Quad | ox.Triple]:
    """The quads export_store does not hand to Oxigraph's own dump: a remote store's, one graph's
    for a quad format, or every named graph's for JSON-LD."""
    native = getattr(store, "ox", None)
    if native is None:  # a remote store: its own N-Quads dump, re-read
        buf = io.BytesIO()
        store.dump(buf, "nquads", graph)
        return ox.parse(buf.getvalue(), format=ox.RdfFormat.N_QUADS)
    if graph is not None:
        return native.quads_for_pattern(None, None, None, ox.NamedNode(graph))
    return store.named_quads()


def export_store(store: Store, out: IO[bytes], fmt: str, graph: str | None = None) -> None:
    """The whole store (quad formats keep every named graph; triple formats give the union), or one graph."""
    check_format(fmt)
    keeps_graphs = FORMATS[fmt][2]
    if getattr(store, "ox", None) is not None and fmt != "jsonld" and (graph is None or not keeps_graphs):
        # Oxigraph writes the graphs, the union or one graph's triples itself: no quad crosses
        # into Python (several times faster on a national store)
        store.dump(out, fmt, graph, prefixes=export_prefixes(store.minter) if fmt in ("turtle", "trig") else None)
        return
    items = _store_items(store, graph)
    if graph is not None and not keeps_graphs:
        items = (ox.Triple(q.subject, q.predicate, q.object) for q in items)
    write_rdf(items, out, fmt, export_prefixes(store.minter))


def entity_quads(store: Store, iri: str, *, limit: int = ENTITY_FACT_LIMIT) -> list[ox.Quad]:
    """One entity's concise bounded description, the facts that point at it, and the evidence
    (quote and position selectors) of each, as quads in the graphs that state them.

    Bounded: at most `limit` facts about the entity; blank nodes followed two levels deep (the
    derivations and selectors our graphs use)."""
    node = URIRef(iri)
    facts = {node}
    rows = store.query(
        f"""SELECT DISTINCT ?f WHERE {{ GRAPH ?g {{ ?f ?p ?e . ?f <{PROV.wasDerivedFrom}> ?ev }} }} LIMIT {int(limit)}""",
        bindings={"e": node},
    )
    facts.update(r[0] for r in rows if isinstance(r[0], URIRef))
    values = " ".join(f"<{f}>" for f in facts)
    rows = store.query(
        f"""SELECT DISTINCT ?ev WHERE {{ VALUES ?f {{ {values} }}
              ?f <{PROV.wasDerivedFrom}> ?ev . ?ev a <{OA.SpecificResource}> }}"""
    )
    roots = facts | {r[0] for r in rows if isinstance(r[0], URIRef)}
    values = " ".join(f"<{r}>" for r in sorted(roots))
    rows = store.query(
        f"""SELECT ?g ?s ?p ?o WHERE {{ VALUES ?root {{ {values} }}
              GRAPH ?g {{
                {{ ?root ?p ?o BIND(?root AS ?s) }}
                UNION {{ ?root ?p1 ?s . FILTER(isBlank(?s)) ?s ?p ?o }}
                UNION {{ ?root ?p1 ?b . FILTER(isBlank(?b)) ?b ?p2 ?s . FILTER(isBlank(?s)) ?s ?p ?o }}
              }} }}"""
    )
    seen: set[ox.Quad] = set()
    for g, s, p, o in rows:
        seen.add(ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(g)))
    return sorted(seen, key=str)


def export_entity(store: Store, iri: str, out: IO[bytes], fmt: str) -> int:
    """Write one entity's description with the evidence of each fact; returns the quad count
    (0 means the store knows nothing about `iri`)."""
    check_format(fmt)
    quads = entity_quads(store, iri)
    write_rdf(quads, out, fmt, export_prefixes(store.minter))
    return len(quads)


def export_construct(store: Store, sparql: str, out: IO[bytes], fmt: str) -> int:
    """Run a CONSTRUCT or DESCRIBE query and write its graph; returns the triple count."""
    check_format(fmt)
    result = store.query(sparql)
    if result.type not in ("CONSTRUCT", "DESCRIBE"):
        raise ExportError(f"an export needs a CONSTRUCT or DESCRIBE query, not {result.type}")
    triples = [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in result.graph]
    write_rdf(triples, out, fmt, export_prefixes(store.minter))
    return len(triples)
