"""The data behind the explorer's pages: every query is bounded by an IRI, a type or a LIMIT.

Functions return plain JSON-ready dicts (the pages render them and serve them as `.json`).
A term is shown as `{"iri", "label"}` or `{"value", "display", "datatype"}`; labels come from
the graph (skos:prefLabel, foaf:name, dcterms:title...) or, for minted nodes without a name
(inspections, judgements, memberships...), are composed from their key properties.
Things that depend only on the store's content (the search index, the councils grid) are
cached per store state, keyed by the metadata graph's source list.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import os
import re
import threading
import weakref
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from graph.sparql import term_to_sparql
from graph.store import SourceRecord, Store
from ontology.namespace import (
    CS,
    DCTERMS,
    FOAF,
    OA,
    ORG,
    PROV,
    RDF,
    RDFS,
    SDO,
    SKOS,
    XSD,
)

MAX_STATEMENTS = 500
# values shown for one property of an entity (a council is the object of thousands of statements)
MAX_PER_PROPERTY = 50
MAX_LIST = 200

LABEL_PROPS = [SKOS.prefLabel, FOAF.name, SDO.name, DCTERMS.title, RDFS.label]
# the properties a composed label is made from
KEY_PROPS = [
    RDF.type, CS.inspectedOrganisation, DCTERMS.type, SDO.startDate, CS.publicationDate, CS.judgementArea,
    CS.grade, CS.inspection, ORG.member, ORG.role, ORG.organization, CS.roleTitle, CS.subjectOrganisation,
    DCTERMS.description, SDO.position, SDO.value, SDO.amount, SDO.currency, DCTERMS.date, OA.hasSelector, OA.exact,
]

_PROP_LIST = ", ".join(p.n3() for p in LABEL_PROPS + KEY_PROPS)

# type IRI -> (key, human name); the first match in this order is an entity's main type
TYPES: list[tuple[URIRef, str, str]] = [
    (CS.LocalAuthority, "council", "Council"),
    (FOAF.Person, "person", "Person"),
    (CS.Inspection, "inspection", "Inspection"),
    (CS.Judgement, "judgement", "Judgement"),
    (CS.Intervention, "intervention", "Intervention"),
    (CS.Programme, "programme", "Programme"),
    (CS.Recommendation, "recommendation", "Recommendation"),
    (SDO.Report, "report", "Report"),
    (ORG.Membership, "membership", "Role"),
    (SDO.MonetaryGrant, "grant", "Grant"),
    (SDO.MonetaryAmount, "amount", "Amount of money"),
    (ORG.ChangeEvent, "change", "Organisational change"),
    (SDO.Legislation, "legislation", "Legislation"),
    (ORG.FormalOrganization, "organisation", "Organisation"),
    (ORG.Organization, "organisation", "Organisation"),
    (OA.SpecificResource, "evidence", "Evidence"),
    (CS.TextRendition, "text", "Text rendition"),
    (SKOS.Concept, "concept", "Concept"),
    (CS.Dataset, "dataset", "Dataset"),
]
TYPE_NAMES = {key: name for _iri, key, name in TYPES}

_ACRONYMS = {"ilacs": "ILACS", "sif": "SIF", "dfe": "DfE", "dcs": "DCS", "ofsted": "Ofsted", "sen": "SEN", "send": "SEND"}
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]


# ------------------------------------------------------------------------------------------ terms


def values(var: str, terms: Iterable[Node]) -> str:
    return f"VALUES ?{var} {{ {' '.join(term_to_sparql(t) for t in terms)} }}"


def string_rows(store: Store, sparql: str) -> Iterator[tuple[str | None, ...]]:
    """Result rows as plain strings (an IRI's or a literal's text); pyoxigraph's own results when
    the store offers them, which skips converting every term to rdflib."""
    raw = getattr(store, "raw_query", None)
    if raw is not None:
        from ontology.namespace import PREFIXES

        for sol in raw(sparql, prefixes={k: str(v) for k, v in PREFIXES.items()}):
            yield tuple(None if t is None else t.value for t in sol)
        return
    for row in store.query(sparql):
        yield tuple(None if t is None else str(t) for t in row)


def term_rows(store: Store, sparql: str) -> list[tuple[Node | None, ...]]:
    """Result rows as tuples of rdflib terms, read from pyoxigraph directly when the store allows:
    rdflib's result rows, and re-validating every repeated IRI, cost more than the queries on the
    larger pages. Materialised: pyoxigraph's iterator must not outlive this thread's use of it."""
    raw = getattr(store, "raw_query", None)
    if raw is None:
        return [tuple(row) for row in store.query(sparql)]
    from graph.store import _from_ox
    from ontology.namespace import PREFIXES

    memo: dict = {}

    def conv(t):
        if t is None:
            return None
        out = memo.get(t)
        if out is None:
            out = memo[t] = _from_ox(t)
        return out

    return [tuple(conv(t) for t in sol) for sol in raw(sparql, prefixes={k: str(v) for k, v in PREFIXES.items()})]


def humanise(iri: str) -> str:
    """The last segment of an IRI as words: '.../grade/requires-improvement' -> 'Requires improvement'."""
    tail = re.split(r"[/#]", iri.rstrip("/#"))[-1]
    tail = tail.split("--")[-1] if "--" in tail else tail
    words = [w for w in re.split(r"[-_]+", tail) if w]
    if not words:
        return iri
    out = []
    for i, w in enumerate(words):
        low = w.lower()
        if low in _ACRONYMS:
            out.append(_ACRONYMS[low])
        elif low == "childrens":
            out.append("children's" if i else "Children's")
        else:
            out.append(w.capitalize() if i == 0 else w)
    return " ".join(out)


def display_literal(lit: Literal) -> str:
    """A literal as the source gave it, in words: a gYearMonth '2017-11' is 'November 2017'."""
    text = str(lit)
    dtype = lit.datatype
    try:
        if dtype == XSD.gYearMonth or (dtype is None and re.fullmatch(r"\d{4}-\d{2}", text)):
            y, m = text[:7].split("-")
            return f"{_MONTHS[int(m) - 1]} {y}"
        if dtype == XSD.date or (dtype is None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text)):
            d = dt.date.fromisoformat(text[:10])
            return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"
        if dtype == XSD.dateTime:
            d = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
            return f"{d.day} {_MONTHS[d.month - 1]} {d.year}, {d:%H:%M}"
    except (ValueError, IndexError):
        return text
    return text


def money(value: object, currency: str = "GBP") -> str:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    sign = "£" if currency in ("GBP", "", None) else f"{currency} "
    return f"{sign}{amount:,.0f}" if amount == amount.to_integral() else f"{sign}{amount:,.2f}"


def date_key(lit: Node | None) -> str:
    """Sort key for partial dates of mixed precision (ISO strings sort chronologically)."""
    return str(lit) if lit is not None else ""


def main_type(types: Iterable[Node]) -> str | None:
    types = set(types)
    for iri, key, _name in TYPES:
        if iri in types:
            return key
    return None


class Labeller:
    """Labels for a batch of IRIs in a few queries (one per level of composed labels)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.props: dict[URIRef, dict[URIRef, list[Node]]] = {}

    def fetch(self, iris: Iterable[Node]) -> None:
        todo = {i for i in iris if isinstance(i, URIRef) and i not in self.props}
        for _level in range(3):
            if not todo:
                return
            for i in todo:
                self.props[i] = defaultdict(list)
            batch = sorted(todo)
            for start in range(0, len(batch), 400):
                # a FILTER, not a second VALUES: Oxigraph would scan every triple and hash-join the two
                # VALUES (40x slower on a 200k-triple store); DISTINCT folds the union graph's repeats
                rows = term_rows(
                    self.store,
                    f"SELECT DISTINCT ?s ?p ?o WHERE {{ {values('s', batch[start:start + 400])} ?s ?p ?o "
                    f"FILTER(?p IN ({_PROP_LIST})) }}",
                )
                for s, p, o in rows:
                    self.props[s][p].append(o)
            todo = set()
            for i in batch:
                p = self.props[i]
                if any(p.get(lp) for lp in LABEL_PROPS):
                    refs = p.get(RDF.type, [])
                else:
                    refs = [o for k, os_ in p.items() if k != RDF.type for o in os_] + p.get(RDF.type, [])
                todo |= {o for o in refs if isinstance(o, URIRef) and o not in self.props}

    def one(self, iri: Node, p: URIRef) -> Node | None:
        vals = self.props.get(iri, {}).get(p) if isinstance(iri, URIRef) else None
        if not vals:
            return None
        for v in vals:  # English first, then untagged
            if isinstance(v, Literal) and v.language in ("en", "en-GB"):
                return v
        return sorted(vals, key=lambda v: (getattr(v, "language", None) is not None, str(v)))[0]

    def types(self, iri: Node) -> list[Node]:
        return self.props.get(iri, {}).get(RDF.type, []) if isinstance(iri, URIRef) else []

    def label(self, iri: Node, depth: int = 0) -> str:
        if isinstance(iri, Literal):
            return display_literal(iri)
        if not isinstance(iri, URIRef):
            return "(anonymous node)"
        # inspections are named the same way whatever their source, with dates in words
        if depth <= 3 and main_type(self.types(iri)) == "inspection" and self.one(iri, CS.inspectedOrganisation):
            return self._composed(iri, depth)
        for p in LABEL_PROPS:
            v = self.one(iri, p)
            if v is not None:
                return str(v)
        if depth > 3:
            return humanise(str(iri))
        return self._composed(iri, depth)

    def _composed(self, iri: URIRef, depth: int) -> str:
        kind = main_type(self.types(iri))
        lab = lambda p: self.label(self.one(iri, p), depth + 1) if self.one(iri, p) is not None else None  # noqa: E731
        when = self.one(iri, SDO.startDate) or self.one(iri, CS.publicationDate) or self.one(iri, DCTERMS.date)
        when_s = f", {display_literal(when)}" if isinstance(when, Literal) else ""
        if kind == "inspection":
            what = lab(DCTERMS.type) or "Inspection"
            if not re.search(r"inspection|visit", what, re.I):
                what += " inspection"
            org = lab(CS.inspectedOrganisation)
            return f"{what}{' of ' + org if org else ''}{when_s}"
        if kind == "judgement":
            return f"{lab(CS.judgementArea) or 'Judgement'}: {lab(CS.grade) or 'no grade'}"
        if kind == "membership":
            role = self.one(iri, CS.roleTitle)
            role_s = str(role) if role is not None else lab(ORG.role) or "role"
            org = lab(ORG.organization)
            return f"{lab(ORG.member) or 'Someone'}, {role_s}{', ' + org if org else ''}"
        if kind == "intervention":
            org = lab(CS.subjectOrganisation)
            return f"{lab(DCTERMS.type) or 'Intervention'}{' for ' + org if org else ''}{when_s}"
        if kind == "recommendation":
            pos = self.one(iri, SDO.position)
            desc = self.one(iri, DCTERMS.description)
            head = f"Recommendation {pos}" if pos is not None else "Recommendation"
            return f"{head}: {shorten(str(desc), 90)}" if desc is not None else head
        if kind == "amount":
            v = self.one(iri, SDO.value)
            return money(v, str(self.one(iri, SDO.currency) or "GBP")) if v is not None else "Amount"
        if kind == "grant":
            amt = self.one(iri, SDO.amount)
            return f"Grant of {self.label(amt, depth + 1)}" if amt is not None else "Grant"
        return humanise(str(iri))

    def term(self, t: Node) -> dict:
        if isinstance(t, URIRef):
            return {"iri": str(t), "label": self.label(t), "type": main_type(self.types(t))}
        if isinstance(t, Literal):
            return {
                "value": str(t),
                "display": display_literal(t),
                "datatype": str(t.datatype) if t.datatype else None,
                "lang": t.language,
            }
        return {"bnode": str(t), "label": "(anonymous node)"}


def labelled(store: Store, iris: Iterable[Node]) -> Labeller:
    lab = Labeller(store)
    lab.fetch(iris)
    return lab


def shorten(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


# ------------------------------------------------------------------------------------------ evidence


# sources shown for one fact: pages show at most 10; a council's programme is stated by dozens of reports
MAX_EVIDENCE = 10


def evidence_for(store: Store, iris: Iterable[Node], *, per_subject: int = MAX_EVIDENCE) -> dict[str, list[dict]]:
    """Where each fact came from (at most `per_subject` sources each; 0: none is read): the quote,
    its offsets and the report, or the dataset."""
    iris = [i for i in set(iris) if isinstance(i, URIRef)]
    out: dict[str, list[dict]] = defaultdict(list)
    if not iris or per_subject <= 0:
        return out
    # the derivations first, then each source's details once (in one query the OPTIONALs were
    # evaluated once per derivation row, as a source backs many facts: ten times longer). Only the
    # sources shown are read: one subquery a fact, cut by its own LIMIT, so a fact stated by sixty
    # reports costs what one stated by three does (a council page read ~900 sources to show ~150)
    derived: list[tuple] = []
    iris.sort()
    for start in range(0, len(iris), 100):
        branches = " UNION ".join(
            f"{{ SELECT ?s ?g ?src WHERE {{ GRAPH ?g {{ {term_to_sparql(i)} prov:wasDerivedFrom ?src }} BIND({term_to_sparql(i)} AS ?s) }}"
            f" LIMIT {per_subject} }}"
            for i in iris[start:start + 100]
        )
        derived += term_rows(store, f"SELECT ?s ?g ?src WHERE {{ {branches} }}")
    sources = sorted({src for _s, _g, src in derived if isinstance(src, URIRef)})
    details: dict[Node, tuple] = {}
    for start in range(0, len(sources), 400):
        for src, quote, begin, end, rep, title in term_rows(
            store,
            # one or two patterns an OPTIONAL, nested: with three side by side Oxigraph evaluated
            # the OPTIONAL over the whole store and hash-joined it
            f"""SELECT ?src ?quote ?start ?end ?rep ?title WHERE {{ {values('src', sources[start:start + 400])}
              OPTIONAL {{ ?src oa:hasSelector ?q . OPTIONAL {{ ?q oa:exact ?quote }} FILTER(BOUND(?quote)) }}
              OPTIONAL {{ ?src oa:hasSelector ?p . OPTIONAL {{ ?p oa:start ?start }} OPTIONAL {{ ?p oa:end ?end }}
                          FILTER(BOUND(?start) && BOUND(?end)) }}
              OPTIONAL {{ ?src oa:hasSource ?text . ?rep cs:textRendition ?text OPTIONAL {{ ?rep dcterms:title ?title }} }}
            }}""",
        ):
            details.setdefault(src, (quote, begin, end, rep, title))
    rows = [(s, g, src, *details.get(src, (None,) * 5)) for s, g, src in derived]
    dataset_iris = set()
    for s, g, src, quote, start, end, rep, title in rows:
        item = {"graph": str(g), "source": str(src)}
        if quote is not None:
            item["quote"] = str(quote)
        if start is not None:
            item.update(start=int(start), end=int(end), anchor=f"ev-{int(start)}-{int(end)}")
        if rep is not None:
            item.update(report=str(rep), report_label=str(title) if title is not None else humanise(str(rep)))
        else:
            dataset_iris.add(src)
        if item not in out[str(s)]:
            out[str(s)].append(item)
    if dataset_iris:
        lab = labelled(store, dataset_iris)
        for items in out.values():
            for item in items:
                if "report" not in item:
                    item["source_label"] = lab.label(URIRef(item["source"]))
    return out


# ------------------------------------------------------------------------------------------ describe


def types_of(store: Store, iri: URIRef) -> list[URIRef]:
    return [r.t for r in store.query("SELECT DISTINCT ?t WHERE { ?s a ?t }", bindings={"s": iri})]


def _statements(store: Store, iri: URIRef, *, outgoing: bool, props: Iterable[URIRef] | None = None
                ) -> tuple[list[tuple], dict[URIRef, int]]:
    """(value, property, graph count, one graph) for at most MAX_PER_PROPERTY values of each property,
    and each property's full count. Read from the union default graph, which holds each statement
    once: a council is named by hundreds of report graphs, and listing every copy (GRAPH ?g) sorted
    thousands of rows to show the same statement again and again."""
    s = term_to_sparql(iri)
    pattern = (lambda p: f"{s} {p} ?v") if outgoing else (lambda p: f"?v {p} {s}")
    only = values("p", props) if props is not None else ""
    counts = {p: int(n) for p, n in term_rows(
        store, f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ {only} {pattern('?p')} }} GROUP BY ?p")}
    pairs: list[tuple[Node, URIRef]] = []
    for p in sorted(counts):
        if len(pairs) >= MAX_STATEMENTS:
            break
        cap = min(MAX_PER_PROPERTY, MAX_STATEMENTS - len(pairs))
        # no ORDER BY: sorting the union graph's rows cost more than all the rest (index order is stable)
        pairs += [(v, p) for (v,) in term_rows(store, f"SELECT ?v WHERE {{ {pattern(term_to_sparql(p))} }} LIMIT {cap}")]
    # the graphs holding each shown statement, counted here: grouping in SPARQL took three times longer
    graphs: dict[tuple, list[URIRef]] = defaultdict(list)
    named = [pv for pv in pairs if not isinstance(pv[0], BNode)]
    for start in range(0, len(named), 200):
        rows = term_rows(
            store,
            f"""SELECT ?v ?p ?g WHERE {{
                  VALUES (?v ?p) {{ {' '.join(f'({term_to_sparql(v)} {term_to_sparql(p)})' for v, p in named[start:start + 200])} }}
                  GRAPH ?g {{ {pattern('?p')} }} }}""",
        )
        for v, p, g in rows:
            graphs[(v, p)].append(g)
    out = []
    for v, p in pairs:
        gs = graphs.get((v, p), [])
        out.append((v, p, len(gs), min(gs) if gs else None))
    return out, counts


def describe(store: Store, iri: URIRef, *, incoming: Iterable[URIRef] | None = None) -> dict:
    """The statements about `iri`, out and in, grouped by property (each shown once, with one of
    the graphs holding it and how many do, at most MAX_PER_PROPERTY values a property), and the
    evidence of the entity and of the things pointing at it. `incoming` limits the statements
    pointing here to those properties (pages that do not list them need only a few)."""
    out_rows, out_counts = _statements(store, iri, outgoing=True)
    in_rows, in_counts = _statements(store, iri, outgoing=False, props=incoming)
    nodes = {iri} | {p for _v, p, _n, _g in out_rows + in_rows} | {v for v, _p, _n, _g in out_rows + in_rows}
    lab = labelled(store, nodes)
    ev = evidence_for(store, [iri] + [v for v, _p, _n, _g in in_rows])
    graphs = graph_labels(store, {g for _v, _p, _n, g in out_rows + in_rows if g is not None})

    def group(rows, counts, incoming: bool) -> list[dict]:
        groups: dict[str, dict] = {}
        for other, p, n, g in rows:
            grp = groups.setdefault(str(p), {"property": lab.term(p), "values": [], "total": counts[p], "more": 0})
            if isinstance(other, BNode):
                continue
            v = lab.term(other)
            v["graph"] = {"iri": str(g), "label": graphs[g]} if g is not None else None
            v["graph_count"] = n
            if incoming:
                v["evidence"] = ev.get(str(other), [])[:3]
            else:  # a statement about the subject is backed by the subject's evidence in that graph
                v["evidence"] = [e for e in ev.get(str(iri), []) if e["graph"] == str(g)][:1]
            grp["values"].append(v)
        for grp in groups.values():
            grp["more"] = grp["total"] - len(grp["values"])
        return [g for g in groups.values() if g["values"]]

    outgoing, incoming = group(out_rows, out_counts, False), group(in_rows, in_counts, True)
    return {
        "iri": str(iri),
        "label": lab.label(iri),
        "type": main_type(lab.types(iri)),
        "types": [lab.term(t) for t in lab.types(iri)],
        "outgoing": outgoing,
        "incoming": incoming,
        "truncated": sum(out_counts.values()) > len(out_rows) or sum(in_counts.values()) > len(in_rows),
        "evidence": ev.get(str(iri), []),
        # how many sources back the entity; `evidence` holds at most MAX_EVIDENCE of them
        "evidence_total": out_counts.get(PROV.wasDerivedFrom, 0),
    }


def graph_labels(store: Store, graphs: Iterable[URIRef]) -> dict[URIRef, str]:
    """A named graph is shown by what it holds: a report graph by the report's title."""
    minter = store.minter
    report_prefix = str(minter.graph_ns) + "report/"
    reports = {g: minter.report(str(g)[len(report_prefix):]) for g in graphs if str(g).startswith(report_prefix)}
    lab = labelled(store, reports.values())
    out = {}
    for g in graphs:
        if g in reports:
            out[g] = lab.label(reports[g])
        elif g == minter.meta_graph:
            out[g] = "Store metadata"
        else:
            out[g] = humanise(str(g)) + (" (reference data)" if "/reference/" in str(g) else "")
    return out


def description_graph(store: Store, iri: URIRef):
    """The entity's description as RDF: its own statements, the statements pointing at it, and
    the evidence spans it was derived from (selectors included)."""
    return store.query(
        f"""CONSTRUCT {{ ?s ?p ?o . ?x ?q ?s . ?ev ?ep ?eo . ?sel ?sp ?so }} WHERE {{
          {{ ?s ?p ?o }} UNION {{ ?x ?q ?s }} UNION
          {{ ?s prov:wasDerivedFrom ?ev . ?ev ?ep ?eo OPTIONAL {{ ?ev oa:hasSelector ?sel . ?sel ?sp ?so }} }}
        }} LIMIT {MAX_STATEMENTS * 4}""",
        bindings={"s": iri},
    ).graph


# ------------------------------------------------------------------------------------------ store state


_cache_lock = threading.Lock()
_cache: dict[tuple, object] = {}


_state_memo: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _records_and_state(store: Store) -> tuple[tuple[SourceRecord, ...], tuple]:
    """The store's source records (`Store.sources`) and the page caches' key made from them. An
    embedded store holds the folder's lock and counts its own writes, so while its generation
    stays the same the records read last still hold: the home page and the page caches' key
    share one read (10,000 records: ~0.6 s)."""
    generation = getattr(store, "generation", None)
    if generation is not None:
        memo = _state_memo.get(store)
        if memo is not None and memo[0] == generation:
            return memo[1], memo[2]
    records = tuple(store.sources())
    state = (id(store), tuple((str(r.graph), r.sha256, r.loaded_at) for r in records))
    if generation is not None:
        with _cache_lock:
            _state_memo[store] = (generation, records, state)
    return records, state


def store_sources(store: Store) -> list[SourceRecord]:
    """The store's source records, by kind and then file name (read once per generation)."""
    return list(_records_and_state(store)[0])


def store_state(store: Store) -> tuple:
    """What the page caches are keyed on: the store and its sources with their sha256 and load
    time (read once per generation of an embedded store, not on every page)."""
    return _records_and_state(store)[1]


_building: dict[tuple, threading.Lock] = {}


def _glibc():
    """The C library when it is glibc (its malloc tuning calls), else None."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None
    except OSError:
        return None


def give_back_memory() -> None:
    """Hand freed heap back to the operating system (glibc keeps it for reuse otherwise). The
    whole-store summaries are built from hundreds of thousands of transient rows: at 10,000
    reports the search index left serve ~400 MB above what it holds (785 -> 389 MB)."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)


def limit_heap_arenas(arenas: int = 2) -> bool:
    """Cap glibc's per-thread heap arenas (by default up to eight a core): each server thread kept
    the memory it had freed in an arena of its own. Measured at 10,000 reports, 8 clients: serve's
    peak 1,433 -> 1,169 MB with the same throughput. A MALLOC_ARENA_MAX set by the user wins.
    Call it before the threads start. True when the cap was set."""
    libc = _glibc()
    if libc is None or os.environ.get("MALLOC_ARENA_MAX"):
        return False
    return bool(libc.mallopt(-8, arenas))  # -8: M_ARENA_MAX


def cached(store: Store, name: str, build):
    """`build()` once per store state: concurrent callers wait for the one build in progress
    rather than each running the same whole-store queries (the first visitors and the start-up
    warm-up would otherwise all build the home page at once)."""
    key = (name, store_state(store))
    with _cache_lock:
        if key in _cache:
            return _cache[key]
        building = _building.setdefault(key, threading.Lock())
    with building:
        with _cache_lock:
            if key in _cache:
                return _cache[key]
        try:
            value = build()
            give_back_memory()
        except BaseException:
            with _cache_lock:
                _building.pop(key, None)
            raise
        with _cache_lock:
            for k in [k for k in _cache if k[0] == name and k[1][0] == id(store)]:
                del _cache[k]
            _cache[key] = value
            _building.pop(key, None)
    return value
