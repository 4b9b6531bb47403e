"""Network analytics over the store: an entity graph in networkx, paths between entities, centrality.

The entity graph holds only entity-to-entity links (councils, people, organisations, inspections,
judgements, interventions, programmes, grants, reports...); a membership is collapsed into one
person--organisation edge labelled with the role. It is built from one SPARQL query and cached per
store state (the list of sources with their sha256 and load time), so a page view never rescans
the store.
"""

from __future__ import annotations

import itertools
import queue
import re
import threading
import weakref
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import networkx as nx
from rdflib import URIRef

from graph.sparql import term_to_sparql
from graph.store import Store
from ontology.namespace import CS, DCTERMS, FOAF, OA, ORG, PROV, RDF, RDFS, SDO, SKOS, TIME


class AnalyticsError(ValueError):
    """A request the graph cannot answer, explained in one sentence."""


@dataclass(frozen=True)
class NodeType:
    key: str
    label: str
    classes: tuple[str, ...]
    color: str
    shape: str


# Priority order: a node gets the first type whose class it has (a council is also an org:FormalOrganization).
NODE_TYPES: tuple[NodeType, ...] = (
    NodeType("person", "Person", (str(FOAF.Person),), "#d9480f", "dot"),
    NodeType("council", "Council", (str(CS.LocalAuthority),), "#1864ab", "box"),
    NodeType("inspection", "Inspection", (str(CS.Inspection),), "#2b8a3e", "diamond"),
    NodeType("judgement", "Judgement", (str(CS.Judgement),), "#5c940d", "triangle"),
    NodeType("recommendation", "Recommendation", (str(CS.Recommendation),), "#868e96", "dot"),
    NodeType("intervention", "Intervention", (str(CS.Intervention),), "#c92a2a", "star"),
    NodeType("programme", "Programme", (str(CS.Programme),), "#862e9c", "hexagon"),
    NodeType("grant", "Grant", (str(SDO.MonetaryGrant),), "#e67700", "square"),
    NodeType("report", "Report", (str(SDO.Report),), "#495057", "ellipse"),
    NodeType("change", "Organisational change", (str(ORG.ChangeEvent),), "#0b7285", "triangleDown"),
    NodeType("legislation", "Legislation", (str(SDO.Legislation),), "#5f3dc4", "box"),
    NodeType("organisation", "Organisation", (str(ORG.Organization), str(ORG.FormalOrganization)), "#1098ad", "ellipse"),
)
TYPES_BY_KEY = {t.key: t for t in NODE_TYPES}
_TYPE_OF_CLASS: dict[str, tuple[int, NodeType]] = {}
for _i, _t in enumerate(NODE_TYPES):
    for _c in _t.classes:
        _TYPE_OF_CLASS.setdefault(_c, (_i, _t))

# Nodes whose own evidence backs the edges they are the subject of.
FACT_TYPES = {"inspection", "judgement", "recommendation", "intervention", "programme", "grant", "change", "legislation"}
# Similarity, not connection: kept out of the entity graph so paths mean something happened.
SIMILARITY_PROPERTIES = {str(CS.statisticalNeighbour)}
MEMBERSHIP = "membership"

# Predicates never linking two entities; skipping them in SPARQL only saves transfer.
_SKIP_PREDICATES = (
    RDF.type, PROV.wasDerivedFrom, PROV.qualifiedDerivation, OA.hasSource, OA.hasSelector, CS.textRendition,
    ORG.memberDuring, TIME.hasBeginning, TIME.hasEnd, DCTERMS.type, CS.judgementArea, CS.grade, ORG.role,
    ORG.member, ORG.organization, SDO.amount, DCTERMS.subject, CS.region, SKOS.inScheme, CS.statisticalNeighbour,
)
_ATTRIBUTES = {
    "label": (SKOS.prefLabel, FOAF.name, SDO.name, DCTERMS.title, RDFS.label),
    "date": (SDO.startDate, CS.publicationDate, DCTERMS.date),
    "dtype": (DCTERMS.type,),
    "area": (CS.judgementArea,),
    "grade": (CS.grade,),
    "region": (CS.region,),
    "position": (SDO.position,),
    "description": (DCTERMS.description,),
    "gss": (CS.gssCode,),
    "amount": (SDO.value,),
    "financial_year": (CS.financialYear,),
}
_ATTRIBUTE_OF = {str(p): name for name, props in _ATTRIBUTES.items() for p in props}
_LABEL_ORDER = [str(p) for p in _ATTRIBUTES["label"]]


def _graph_queries() -> tuple[str, str]:
    """The entity graph's two queries, read side by side (`_rows_side_by_side`): the links ("e"
    rows), and the types, memberships and attributes. Each kind of row is handled on its own by
    `build_entity_graph`, and only the order of the attribute rows among themselves counts (the
    first value seen wins), so the two queries' rows may interleave."""
    classes = " ".join(f"<{c}>" for c in _TYPE_OF_CLASS)
    skip = ", ".join(f"<{p}>" for p in _SKIP_PREDICATES)
    attrs = " ".join(f"<{p}>" for p in _ATTRIBUTE_OF)
    # The links are read from the typed entities only: the graph keeps a link only when both ends
    # are typed, and reading each entity's own statements (one index lookup each) is cheaper than
    # reading every statement in the store, most of which are the provenance of facts (28 -> 12 s
    # for the two queries one after the other on a 10,000-report store, with the same graph built)
    links = f"""
SELECT ?k ?s ?p ?o ?f WHERE {{
  {{ SELECT DISTINCT ?s WHERE {{ VALUES ?c {{ {classes} }} ?s a ?c }} }}
  ?s ?p ?o . FILTER(isIRI(?o) && ?p NOT IN ({skip})) BIND("e" AS ?k)
}}"""
    rest = f"""
SELECT ?k ?s ?p ?o ?f WHERE {{
  {{ VALUES ?o {{ {classes} }} ?s a ?o . BIND("t" AS ?k) }}
  UNION {{ ?f a <{ORG.Membership}> ; <{ORG.member}> ?s ; <{ORG.organization}> ?o .
           OPTIONAL {{ ?f <{ORG.role}> ?p }} BIND("m" AS ?k) }}
  UNION {{ VALUES ?p {{ {attrs} }} ?s ?p ?o . BIND("a" AS ?k) }}
  UNION {{ ?s <{SDO.amount}> ?f . ?f ?p ?o . VALUES ?p {{ <{SDO.value}> <{CS.financialYear}> }} BIND("a" AS ?k) }}
}}"""
    return links, rest


def _rows(store: Store, sparql: str) -> Iterator[tuple[str | None, ...]]:
    """Result rows as plain strings; pyoxigraph's own results when the store offers them (no conversion)."""
    raw = getattr(store, "raw_query", None)
    if raw is not None:
        for sol in raw(sparql):
            yield tuple(None if t is None else t.value for t in sol)
        return
    for row in store.query(sparql):
        yield tuple(None if t is None else str(t) for t in row)


_CHUNK_ROWS = 2000


def _rows_side_by_side(store: Store, queries: Sequence[str]) -> Iterator[tuple[str | None, ...]]:
    """The rows of several queries, each read in a thread of its own: pyoxigraph lets go of the GIL
    while it evaluates, so on two cores the entity graph's two queries take about the time of the
    longer one (13.7 -> 8.6 s on a 10,000-report store). Each query's rows keep their order; the
    queries' rows interleave. At most a few chunks of rows wait in memory. An error in a query is
    raised here; if the reader stops early, the threads stop at their next chunk."""
    waiting: queue.Queue = queue.Queue(maxsize=8)
    stop = threading.Event()
    done = object()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                waiting.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def read(sparql: str) -> None:
        try:
            chunk = []
            for row in _rows(store, sparql):  # made, read and dropped in this thread
                chunk.append(row)
                if len(chunk) == _CHUNK_ROWS:
                    if not put(chunk):
                        return
                    chunk = []
            if chunk and not put(chunk):
                return
            put(done)
        except BaseException as exc:  # noqa: BLE001 - handed to the reader, who raises it
            put(exc)

    threads = [threading.Thread(target=read, args=(q,), name="cskg-entity-graph-read", daemon=True) for q in queries]
    for t in threads:
        t.start()
    try:
        running = len(threads)
        while running:
            item = waiting.get()
            if item is done:
                running -= 1
            elif isinstance(item, BaseException):
                raise item
            else:
                yield from item
    finally:
        stop.set()
        for t in threads:
            t.join()


def humanise(iri: str) -> str:
    """A readable name from an IRI's local part: 'inspectedOrganisation' -> 'Inspected organisation'."""
    local = re.split(r"[#/]", iri.rstrip("/#"))[-1]
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).replace("-", " ").replace("_", " ").split()
    if not words:
        return iri
    text = " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in words)
    return text[0].upper() + text[1:]


def title_from_iri(iri: str) -> str:
    """A name for an entity the data gives no label: 'northshire-county-council' -> 'Northshire County Council'."""
    local = re.split(r"[#/]", iri.rstrip("/#"))[-1].split("--")[0]
    words = [w for w in re.split(r"[-_]+", local) if w]
    return " ".join(w if w.isupper() else w.capitalize() for w in words) or iri


def shorten(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


@dataclass(slots=True)
class Relation:
    """One statement behind an edge: `subject --label--> object`, backed by `fact`'s evidence."""

    subject: str
    prop: str
    object: str
    label: str
    fact: str | None


@dataclass(eq=False)
class EntityGraph:
    """`graph`'s nodes carry type, label and, as known, year, grade, region, roles; its edges carry
    `rels`, a tuple of the Relations behind the edge."""

    graph: nx.Graph
    labels: dict[str, str]  # any IRI (concept, property, region) -> its label
    key: tuple
    _lower_labels: list[tuple[str, str]] = field(default_factory=list)

    def label(self, iri: str) -> str:
        data = self.graph.nodes.get(iri)
        if data is not None:
            return data["label"]
        return self.labels.get(iri) or humanise(iri)

    def type_of(self, iri: str) -> str | None:
        data = self.graph.nodes.get(iri)
        return data["type"] if data is not None else None

    def view(self, *, include_reports: bool = False, types: Iterable[str] | None = None) -> nx.Graph:
        """A read-only view restricted to some node types (reports out unless asked for)."""
        allowed = set(types) if types else {t.key for t in NODE_TYPES}
        if not include_reports:
            allowed.discard("report")
        if allowed == {t.key for t in NODE_TYPES}:
            return self.graph
        nodes = self.graph.nodes
        return nx.subgraph_view(self.graph, filter_node=lambda n: nodes[n]["type"] in allowed)

    def find(self, text: str, limit: int = 10, types: Iterable[str] | None = None) -> list[str]:
        """Nodes whose label matches `text`: exact (case-insensitive) first, then prefix, then substring."""
        q = " ".join(text.split()).lower()
        if not q:
            return []
        if not self._lower_labels:
            self._lower_labels = sorted(((d["label"].lower(), n) for n, d in self.graph.nodes(data=True)))
        wanted = set(types) if types else None
        buckets: tuple[list, list, list] = ([], [], [])
        for lab, n in self._lower_labels:
            if wanted and self.graph.nodes[n]["type"] not in wanted:
                continue
            if lab == q:
                buckets[0].append(n)
            elif lab.startswith(q):
                buckets[1].append(n)
            elif q in lab:
                buckets[2].append(n)
        degree = self.graph.degree
        nodes = self.graph.nodes
        ranked = [n for b in buckets for n in sorted(b, key=lambda n: (_LOOKUP_RANK.get(nodes[n]["type"], 3), -degree[n]))]
        return ranked[:limit]

    def resolve(self, text: str) -> str:
        """An IRI or a label -> a node IRI, or an AnalyticsError naming the problem."""
        text = text.strip()
        if re.match(r"^https?://", text, re.I):
            if text not in self.graph:
                raise AnalyticsError(f"{text} is not an entity in the graph (councils, people, organisations, inspections...)")
            return text
        exact = [n for n in self.find(text, limit=50) if self.graph.nodes[n]["label"].lower() == " ".join(text.split()).lower()]
        if len(exact) == 1:
            return exact[0]
        candidates = exact or self.find(text, limit=6)
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise AnalyticsError(f"no entity is labelled {text!r}")
        shown = "; ".join(f"{self.label(n)} <{n}>" for n in candidates[:5])
        raise AnalyticsError(f"{text!r} matches several entities, give one IRI: {shown}")


# people look for the actors first, then what happened to them, then documents and details
_LOOKUP_RANK = {"council": 0, "person": 0, "organisation": 1, "programme": 1, "intervention": 2, "report": 2}


# ------------------------------------------------------------------------------------ building
def store_key(store: Store) -> tuple:
    """The store's state: its sources with their sha256 and load time (from the metadata graph;
    read once per write of an embedded store, not on every page: that read grows with the store)."""
    from graph.explore import store_state

    return (store.location, store.minter.base) + store_state(store)[1]


_CACHE: weakref.WeakKeyDictionary[Store, EntityGraph] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def entity_graph(store: Store) -> EntityGraph:
    """The store's entity graph, rebuilt only when its sources changed."""
    key = store_key(store)
    cached = _CACHE.get(store)
    if cached is not None and cached.key == key:
        return cached
    with _LOCK:
        cached = _CACHE.get(store)
        if cached is not None and cached.key == key:
            return cached
        from graph.explore import give_back_memory

        eg = build_entity_graph(_rows_side_by_side(store, _graph_queries()), key)
        _CACHE[store] = eg
        give_back_memory()
        return eg


class _EdgeData:
    """An edge's attribute dict is the __dict__ of one of these: a plain dict to every reader, but
    Python keeps one table of keys for all of them (about 100 bytes less an edge; 310,000 edges at
    10,000 reports)."""


def _edge_data() -> dict:
    return _EdgeData().__dict__


def build_entity_graph(rows: Iterable[tuple[str | None, ...]], key: tuple = ()) -> EntityGraph:
    types: dict[str, tuple[int, NodeType]] = {}
    # subject -> {property: first value}: the attributes by name are read from it in the order seen
    attrs: dict[str, dict[str, str]] = {}
    edges: set[tuple[str, str, str]] = set()
    memberships: set[tuple[str, str, str | None, str]] = set()
    # one string object per IRI: every row brings its own copies, and at 10,000 reports the
    # duplicates in the node table, the edges and their relations took hundreds of megabytes
    # (attribute values are not IRIs: each is read once)
    canon: dict[str, str] = {}
    one = canon.setdefault
    for k, s, p, o, f in rows:
        s = one(s, s)
        if k == "a":
            found = attrs.get(s)
            if found is None:
                attrs[s] = {one(p, p): o}
            elif p not in found:
                found[one(p, p)] = o
            continue
        o = one(o, o)
        if k == "t":
            typed = _TYPE_OF_CLASS[o]
            if s not in types or typed[0] < types[s][0]:
                types[s] = typed
        elif k == "e":
            edges.add((s, one(p, p), o))
        elif k == "m":
            memberships.add((s, o, one(p, p) if p is not None else None, one(f, f)))
    del canon, one

    def first_label(iri: str) -> str | None:
        found = attrs.get(iri)
        return next((found[p] for p in _LABEL_ORDER if p in found), None) if found else None

    def named(found: dict[str, str]) -> dict[str, str]:
        """name -> the value of the first property of that name seen (labels apart)."""
        out: dict[str, str] = {}
        for p, v in found.items():
            name = _ATTRIBUTE_OF[p]
            if name != "label" and name not in out:
                out[name] = v
        return out

    labels = {iri: lab for iri in attrs if (lab := first_label(iri))}
    g = nx.Graph()
    for iri, (_, t) in types.items():
        a = attrs.get(iri)
        g.add_node(iri, type=t.key, **(named(a) if a else {}))
        g.nodes[iri]["label"] = labels.get(iri, "")
    del attrs
    relation_labels: dict[str, str] = {}
    adj = g.adj
    g.edge_attr_dict_factory = _edge_data  # while building only: later copies hold plain dicts

    def add(rel: Relation) -> None:
        if rel.subject == rel.object:
            return
        data = adj[rel.subject].get(rel.object)
        if data is not None:
            data["rels"] += (rel,)
        else:
            g.add_edge(rel.subject, rel.object)
            adj[rel.subject][rel.object]["rels"] = (rel,)

    ordered = sorted(edges)
    del edges
    for s, p, o in ordered:
        if s in types and o in types and p not in SIMILARITY_PROPERTIES:
            fact = s if types[s][1].key in FACT_TYPES else None
            label = relation_labels.get(p)
            if label is None:
                label = relation_labels[p] = labels.get(p) or humanise(p).lower()
            add(Relation(s, p, o, label, fact))
    del ordered
    roles: dict[str, set[str]] = defaultdict(set)
    role_labels: dict[str | None, str] = {}
    for person, org, role, m in sorted(memberships, key=lambda t: tuple(x or "" for x in t)):
        if person in types and org in types:
            role_label = role_labels.get(role)
            if role_label is None:
                role_label = role_labels[role] = (labels.get(role) or humanise(role)) if role else "member"
            add(Relation(person, MEMBERSHIP, org, role_label, m))
            if role:
                roles[person].add(role.rstrip("/").rsplit("/", 1)[-1])
    del g.edge_attr_dict_factory
    for person, rs in roles.items():
        g.nodes[person]["roles"] = sorted(rs)
    _finish_nodes(g, labels)
    # what only made the labels goes: descriptions and amounts held ~100k strings at 10,000 reports
    for _n, d in g.nodes(data=True):
        for name in _LABEL_ONLY:
            d.pop(name, None)
    return EntityGraph(g, labels, key)


# node attributes read by _finish_nodes alone (the views filter on type, label, year, grade, region, roles)
_LABEL_ONLY = ("description", "position", "amount", "financial_year", "dtype", "area", "gss")


_NAMED_TYPES = {"council", "organisation", "person", "programme", "report", "legislation"}


def _finish_nodes(g: nx.Graph, labels: dict[str, str]) -> None:
    """Years, overall grades and readable labels for nodes the data gives no name."""

    def concept(iri: str | None) -> str:
        return (labels.get(iri) or humanise(iri)) if iri else ""

    def neighbour_of_type(n: str, type_key: str) -> str | None:
        return next((m for m in g[n] if g.nodes[m]["type"] == type_key), None)

    for n, d in g.nodes(data=True):
        if d.get("date"):
            d["year"] = int(d["date"][:4]) if d["date"][:4].isdigit() else None
    for n, d in g.nodes(data=True):
        if d["type"] == "judgement" and d.get("area", "").endswith("overall-effectiveness"):
            insp = neighbour_of_type(n, "inspection")
            if insp and d.get("grade"):
                g.nodes[insp]["grade"] = d["grade"]
    for n, d in g.nodes(data=True):
        if not d["label"] and d["type"] in _NAMED_TYPES:
            d["label"] = title_from_iri(n)
    for n, d in g.nodes(data=True):
        if d["label"]:
            continue
        t = d["type"]
        council = neighbour_of_type(n, "council") or neighbour_of_type(n, "organisation")
        where = f" of {g.nodes[council]['label']}" if council else ""
        when = f" ({d['date']})" if d.get("date") else ""
        if t == "inspection":
            d["label"] = f"{concept(d.get('dtype')) or 'Inspection'}{where}{when}"
        elif t == "judgement":
            d["label"] = f"{concept(d.get('area'))}: {concept(d.get('grade'))}".strip(": ") or "Judgement"
        elif t == "intervention":
            subject = neighbour_of_type(n, "council")
            whom = f" to {g.nodes[subject]['label']}" if subject else ""
            d["label"] = f"{concept(d.get('dtype')) or 'Intervention'}{whom}{when}"
        elif t == "recommendation":
            pos = f" {d['position']}" if d.get("position") else ""
            text = f": {shorten(d['description'], 60)}" if d.get("description") else ""
            d["label"] = f"Recommendation{pos}{text}"
        elif t == "grant" and d.get("amount"):
            fy = f" ({d['financial_year']})" if d.get("financial_year") else ""
            d["label"] = f"£{float(d['amount']):,.0f} grant{fy}"
        elif d.get("description"):
            d["label"] = shorten(d["description"], 70)
        else:
            d["label"] = humanise(n)
    for n, d in g.nodes(data=True):
        if d["type"] == "judgement":
            insp = neighbour_of_type(n, "inspection")
            if insp and ":" in d["label"] and " of " not in d["label"]:
                d["label"] = f"{d['label']} ({g.nodes[insp]['label']})"


# ------------------------------------------------------------------------------------ paths
@dataclass
class Step:
    source: str
    target: str
    relation: Relation
    text: str
    evidence: str | None = None
    evidence_source: str | None = None


def connection_paths(eg: EntityGraph, a: str, b: str, *, max_paths: int = 3, include_reports: bool = False) -> list[list[str]]:
    """Up to `max_paths` shortest simple paths from a to b (shortest first)."""
    for n in (a, b):
        if n not in eg.graph:
            raise AnalyticsError(f"{n} is not an entity in the graph")
    if a == b:
        raise AnalyticsError("give two different entities")
    view = eg.view(include_reports=include_reports or "report" in (eg.type_of(a), eg.type_of(b)))
    try:
        return [list(p) for p in itertools.islice(nx.shortest_simple_paths(view, a, b), max(1, max_paths))]
    except nx.NetworkXNoPath:
        return []


def _best_relation(rels: Sequence[Relation]) -> Relation:
    # a membership or a fact with evidence tells more than a report's mention
    return sorted(rels, key=lambda r: (r.fact is None, r.prop == str(CS.mentions)))[0]


def explain_path(eg: EntityGraph, path: list[str], evidence: dict[str, tuple[str, str | None]] | None = None) -> list[Step]:
    steps = []
    for u, v in zip(path, path[1:]):
        rel = _best_relation(eg.graph.edges[u, v]["rels"])
        text = f"{eg.label(rel.subject)} — {rel.label} — {eg.label(rel.object)}"
        quote, source = (evidence or {}).get(rel.fact or "", (None, None))
        steps.append(Step(u, v, rel, text, quote, source))
    return steps


def fetch_evidence(store: Store, facts: Iterable[str]) -> dict[str, tuple[str, str | None]]:
    """fact IRI -> (quote, source label): the prov:wasDerivedFrom sentence, or the dataset it came from."""
    facts = sorted({f for f in facts if f})
    if not facts:
        return {}
    values = " ".join(term_to_sparql(URIRef(f)) for f in facts)
    rows = store.query(
        f"""SELECT ?f ?exact ?title ?dataset WHERE {{
          VALUES ?f {{ {values} }}
          ?f prov:wasDerivedFrom ?ev .
          OPTIONAL {{ ?ev oa:hasSelector ?sel . ?sel oa:exact ?exact }}
          OPTIONAL {{ ?ev oa:hasSource ?text . ?report cs:textRendition ?text . ?report dcterms:title ?title }}
          OPTIONAL {{ ?ev dcterms:title|skos:prefLabel|rdfs:label ?dataset }}
        }} ORDER BY ?f ?exact"""
    )
    out: dict[str, tuple[str, str | None]] = {}
    for row in rows:
        f, exact, title, dataset = (None if x is None else str(x) for x in row)
        if f in out and out[f][0]:
            continue
        if exact:
            out[f] = (exact, title)
        elif dataset:
            out[f] = ("", dataset)
    return out


def connections(store: Store, a: str, b: str, *, max_paths: int = 3, include_reports: bool = False) -> dict:
    """'How is A connected to B?': paths as node lists and as chains of facts with evidence."""
    eg = entity_graph(store)
    a_iri, b_iri = eg.resolve(a), eg.resolve(b)
    paths = connection_paths(eg, a_iri, b_iri, max_paths=max_paths, include_reports=include_reports)
    explained = [explain_path(eg, p) for p in paths]
    evidence = fetch_evidence(store, (s.relation.fact for steps in explained for s in steps))
    explained = [explain_path(eg, p, evidence) for p in paths]
    return {
        "from": {"iri": a_iri, "label": eg.label(a_iri), "type": eg.type_of(a_iri)},
        "to": {"iri": b_iri, "label": eg.label(b_iri), "type": eg.type_of(b_iri)},
        "paths": [
            {
                "length": len(p) - 1,
                "nodes": [{"iri": n, "label": eg.label(n), "type": eg.type_of(n)} for n in p],
                "steps": [
                    {
                        "from": s.source, "to": s.target, "subject": s.relation.subject,
                        "property": s.relation.prop, "property_label": s.relation.label,
                        "object": s.relation.object, "fact": s.relation.fact, "text": s.text,
                        "evidence": s.evidence or None, "evidence_source": s.evidence_source,
                    }
                    for s in steps
                ],
            }
            for p, steps in zip(paths, explained)
        ],
    }


# ------------------------------------------------------------------------------------ centrality
RANKABLE = ("person", "organisation", "council")
EXACT_BETWEENNESS_LIMIT = 2000
BETWEENNESS_BUDGET = 400_000  # sampled sources x (nodes + edges): bounds the work at national scale
_CENTRAL_CACHE: weakref.WeakKeyDictionary[EntityGraph, dict] = weakref.WeakKeyDictionary()


def centrality(eg: EntityGraph, measure: str = "degree", *, seed: int = 7, samples: int | None = None) -> dict[str, float]:
    """Degree or betweenness centrality over the entity graph without reports (a report's mentions are
    not connections). Betweenness is exact on small graphs, sampled with a fixed seed on large ones."""
    if measure not in ("degree", "betweenness"):
        raise AnalyticsError(f"unknown measure {measure!r}: use degree or betweenness")
    cache_key = (measure, seed, samples)
    cached = _CENTRAL_CACHE.setdefault(eg, {})
    if cache_key in cached:
        return cached[cache_key]
    g = nx.Graph(eg.view(include_reports=False))
    if g.number_of_nodes() < 2:
        scores = {n: 0.0 for n in g}
    elif measure == "degree":
        scores = nx.degree_centrality(g)
    else:
        n = g.number_of_nodes()
        k = samples
        if k is None and n > EXACT_BETWEENNESS_LIMIT:
            k = max(16, BETWEENNESS_BUDGET // (n + g.number_of_edges()))
        k = None if k is None or k >= n else k
        scores = nx.betweenness_centrality(g, k=k, seed=seed if k else None)
    cached[cache_key] = scores
    return scores


def most_central(store: Store, *, types: Iterable[str] | None = None, measure: str = "degree", top: int = 20) -> dict:
    eg = entity_graph(store)
    wanted = list(types) if types else list(RANKABLE)
    unknown = [t for t in wanted if t not in TYPES_BY_KEY]
    if unknown:
        raise AnalyticsError(f"unknown type {unknown[0]!r}: use one of {', '.join(TYPES_BY_KEY)}")
    scores = centrality(eg, measure)
    g = eg.graph
    ranked = sorted((n for n in scores if g.nodes[n]["type"] in wanted), key=lambda n: (-scores[n], g.nodes[n]["label"]))
    rows = []
    for n in ranked[: max(1, top)]:
        neighbours = Counter(g.nodes[m]["type"] for m in g[n] if g.nodes[m]["type"] != "report")
        rows.append({
            "iri": n, "label": g.nodes[n]["label"], "type": g.nodes[n]["type"], "score": round(scores[n], 6),
            "degree": sum(neighbours.values()), "neighbours": dict(neighbours),
        })
    return {
        "measure": measure, "types": wanted, "nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
        "sampled": measure == "betweenness" and g.number_of_nodes() > EXACT_BETWEENNESS_LIMIT,
        "rows": rows,
    }
