"""Summaries the store keeps up to date: whole-store aggregates, stored so that reading them is cheap.

Two research questions are aggregates over the whole store: how much money each council (or other
funded party) was granted per year, and each council's latest overall Ofsted grade. Oxigraph on
disk reads an index entry in 5-20 µs, so at 10,000 reports the first read ~51,000 grants with their
report dates (4.6-6.8 s a query) and the second ~3,600 judgements (0.4 s), whatever was asked.

The store keeps their results in one named graph, `<base>graph/summaries` (in the union too, like
every graph), recomputed for the parties ("keys": councils, organisations, programmes) that a write
touches: loading one report recomputes the rows of the one or two councils it speaks of; a load of
many reports defers the work to its end (`Store.deferred_summaries`) and recomputes once. Each
recomputation is a SPARQL query (over the union, as every reader sees it) and one SPARQL 1.1
update replacing the keys' old rows, so a remote server keeps its summaries the same way.

What is kept (terms in ontology/cskg.ttl):
- `cs:FundingTotal` nodes, one per (key, year): a `skos:prefLabel`, `cs:fundingRecipient`, `cs:fundingYear` (the stated
  financial year, else the year of the report stating the grant, else "unknown"),
  `cs:totalAmount`, `cs:grantCount`, `cs:fundedProgrammes` (names, "; "-separated). A grant funding
  a programme counts for the programme's owner (`cs:programmeOf`), else for what it funds.
- on an inspected organisation: `cs:latestOverallInspection`, `cs:latestOverallDate`,
  `cs:latestOverallGrade`: its newest overall-effectiveness judgement by fieldwork (else
  publication) date, the inspection IRI breaking ties.
- its history of overall grades, `cs:OverallGradeEntry` nodes, one per distinct (date, grade) of
  its dated overall-effectiveness judgements: `cs:entryOf`, `cs:entryDate`, `cs:entryGrade`,
  `cs:entryInspection` (the inspections judged so on that date), `cs:nextEntry` (the next entry:
  the smallest later "date grade"), and `cs:nextVisitDate` / `cs:nextVisitType` (the first
  inspection or visit of any kind in a later month, its type's local name or ""). Pairing each
  judgement with the next per query read every judgement twice and compared ~40 pairs per
  council (0.35-0.65 s at 10,000 reports); the pairs are read here once per write instead.

The summaries graph carries `cs:summaryVersion`; a store whose summaries are missing, from another
version of this module, or marked `cs:summariesStale` (a deferred load that did not finish) has them
rebuilt whole when it is next opened.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from urllib.parse import quote

from rdflib import Literal, URIRef

from graph.sparql import term_to_sparql
from ontology.namespace import CS, RDF, SDO, SKOS

if TYPE_CHECKING:
    from graph.store import Store

log = logging.getLogger(__name__)

# bump when what is computed changes: stores then rebuild their summaries when opened
SUMMARY_VERSION = "2"
# keys per update: each brings its own VALUES row into both aggregates
CHUNK = 100


def summaries_graph(store: Store) -> URIRef:
    return store.minter.graph_ns["summaries"]


def _values(iris: Iterable[str]) -> str:
    return " ".join(term_to_sparql(URIRef(i)) for i in iris)


# The keys whose summaries the content of some graphs bears on: what they fund (when nobody owns it)
# and who owns what they fund, the owners of the programmes they name (and those programmes when
# funded: their own totals move to the owner, or back when the owner goes; the programmes they
# describe, whose names the owner's totals list), the organisations their inspections and
# judgements are about.
_KEYS_OF_GRAPHS = """SELECT DISTINCT ?k WHERE {
  VALUES ?g { %s }
  { GRAPH ?g { ?x schema:fundedItem ?k } FILTER NOT EXISTS { ?k cs:programmeOf ?owner } }
  UNION { GRAPH ?g { ?x schema:fundedItem ?item } ?item cs:programmeOf ?k }
  UNION { GRAPH ?g { ?k cs:programmeOf ?x } FILTER EXISTS { ?y schema:fundedItem ?k } }
  UNION { GRAPH ?g { ?x cs:programmeOf ?k } }
  UNION { GRAPH ?g { ?k a cs:Programme } FILTER EXISTS { ?y schema:fundedItem ?k } }
  UNION { GRAPH ?g { ?p a cs:Programme } ?p cs:programmeOf ?k }
  UNION { GRAPH ?g { ?i a cs:Inspection } ?i cs:inspectedOrganisation ?k }
  UNION { GRAPH ?g { ?x cs:inspection ?i } ?i cs:inspectedOrganisation ?k }
}"""

# every key with a summary: what is funded and owned by nobody, the owners, the inspected
_ALL_KEYS = """SELECT DISTINCT ?k WHERE {
  { ?x schema:fundedItem ?k FILTER NOT EXISTS { ?k cs:programmeOf ?owner } }
  UNION { ?x cs:programmeOf ?k } UNION { ?x cs:inspectedOrganisation ?k }
}"""

# the report date of a grant, one pattern per level (Oxigraph looks each level up per row)
_GRANT_YEAR = """
      OPTIONAL { ?amount cs:financialYear ?fy }
      OPTIONAL { ?grant prov:wasDerivedFrom ?ev .
                 OPTIONAL { ?ev oa:hasSource ?rendition .
                            OPTIONAL { ?report cs:textRendition ?rendition .
                                       OPTIONAL { ?report dcterms:date ?reportDate } FILTER(BOUND(?reportDate)) }
                            FILTER(BOUND(?reportDate)) }
                 FILTER(BOUND(?reportDate)) }
      BIND(COALESCE(STR(?fy), SUBSTR(STR(?reportDate), 1, 4), "unknown") AS ?year)"""


# The aggregates, read through `query` (whose default graph is the union on every backend: an
# update's WHERE on a server reads its real default graph, which holds nothing).
_FUNDING = """SELECT ?k ?year ?total ?grants ?programmes WHERE {
  {
    SELECT ?k ?year (SUM(?value) AS ?total) (COUNT(DISTINCT ?grant) AS ?grants) WHERE {
      {
        SELECT DISTINCT ?grant ?value ?k ?year WHERE {
          VALUES ?k { %(values)s }
          { ?grant schema:fundedItem ?k . FILTER NOT EXISTS { ?k cs:programmeOf ?owner } }
          UNION { ?item cs:programmeOf ?k . ?grant schema:fundedItem ?item }
          ?grant a schema:MonetaryGrant ; schema:amount ?amount .
          ?amount schema:value ?value .%(year)s
        }
      }
    } GROUP BY ?k ?year
  }
  OPTIONAL {
    SELECT ?k ?year (GROUP_CONCAT(DISTINCT ?programmeName; separator="\u001f") AS ?programmes) WHERE {
      {
        SELECT DISTINCT ?grant ?k ?programmeName ?year WHERE {
          VALUES ?k { %(values)s }
          ?item cs:programmeOf ?k ; skos:prefLabel ?programmeName .
          ?grant schema:fundedItem ?item ; a schema:MonetaryGrant ; schema:amount ?amount .
          ?amount schema:value ?value .%(year)s
        }
      }
    } GROUP BY ?k ?year
  }
}"""

_NAMES = """SELECT ?k (MIN(?name) AS ?n) WHERE { VALUES ?k { %(values)s } ?k skos:prefLabel ?name } GROUP BY ?k"""

# each overall judgement of the keys with its inspection's date ("" when none) and grade
_OVERALL = """SELECT DISTINCT ?k ?d ?insp ?grade WHERE {
  VALUES ?k { %(values)s }
  ?insp cs:inspectedOrganisation ?k .
  ?j cs:inspection ?insp ; cs:judgementArea area:overall-effectiveness .
  OPTIONAL { ?insp schema:startDate ?start }
  OPTIONAL { ?insp cs:publicationDate ?published }
  OPTIONAL { ?j cs:grade ?grade }
  BIND(COALESCE(STR(?start), STR(?published), "") AS ?d)
}"""

# each dated inspection or visit of the keys, of any kind, with its type's local name ("" when none)
_VISITS = """SELECT DISTINCT ?k ?d ?type WHERE {
  VALUES ?k { %(values)s }
  ?insp cs:inspectedOrganisation ?k ; a cs:Inspection .
  OPTIONAL { ?insp schema:startDate ?start }
  OPTIONAL { ?insp cs:publicationDate ?published }
  OPTIONAL { ?insp dcterms:type ?t }
  BIND(STR(COALESCE(?start, ?published)) AS ?d)
  FILTER(BOUND(?d))
  BIND(COALESCE(STRAFTER(STR(?t), "inspection-type/"), "") AS ?type)
}"""


def _local(iri: str) -> str:
    """An IRI's last path segment: the name of a summary's key or grade where no label says it."""
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _history(k: str, judged: list[tuple[str, str, str]], visits: set[tuple[str, str]], name: str) -> list[str]:
    """The overall-grade entries of organisation `k` as triple lines: `judged` holds its
    (date, inspection, grade) rows, `visits` its (date, type) pairs."""
    entries: dict[tuple[str, str], list[str]] = {}
    for date, inspection, grade in judged:
        if date and grade:  # an undated judgement has no place in the order
            entries.setdefault((date, grade), []).append(inspection)
    if not entries:
        return []

    def iri(date: str, grade: str) -> str:
        return URIRef(f"{k}/overall-grade/{quote(date, safe='')}/{quote(_local(grade), safe='')}").n3()

    keys = sorted(entries, key=lambda e: f"{e[0]} {e[1]}")  # the order of the "date grade" strings
    visit_keys = sorted(f"{d} {t}" for d, t in visits)
    out: list[str] = []
    for date, grade in keys:
        node = iri(date, grade)
        label = f"{name}: overall {_local(grade).replace('-', ' ')}, {date}"
        out.append(f"{node} a {CS.OverallGradeEntry.n3()} ; {SKOS.prefLabel.n3()} {term_to_sparql(Literal(label))} ;"
                   f" {CS.entryOf.n3()} {term_to_sparql(URIRef(k))} ; {CS.entryDate.n3()} {term_to_sparql(Literal(date))} ;"
                   f" {CS.entryGrade.n3()} {term_to_sparql(URIRef(grade))} .")
        for inspection in sorted(set(entries[date, grade])):
            out.append(f"{node} {CS.entryInspection.n3()} {term_to_sparql(URIRef(inspection))} .")
        later = [e for e in keys if e[0] > date]
        if later:  # the smallest later "date grade" string, as SPARQL's MIN would pick it
            nxt = min(later, key=lambda e: f"{e[0]} {e[1]}")
            out.append(f"{node} {CS.nextEntry.n3()} {iri(*nxt)} .")
        month = date[:7]
        after = [v for v in visit_keys if v.partition(" ")[0][:7] > month]
        if after:
            next_date, _, next_type = min(after).partition(" ")
            out.append(f"{node} {CS.nextVisitDate.n3()} {term_to_sparql(Literal(next_date))} ;"
                       f" {CS.nextVisitType.n3()} {term_to_sparql(Literal(next_type))} .")
    return out


def _summary_triples(store: Store, keys: list[str]) -> list[str]:
    """The summaries of `keys` as triple lines, computed from the store's current content."""
    values = _values(keys)
    out: list[str] = []
    names = {str(k): str(n) for k, n in store.query(_NAMES % {"values": values})}
    for k, year, total, grants, programmes in store.query(_FUNDING % {"values": values, "year": _GRANT_YEAR}):
        t = URIRef(f"{k}/funding/{quote(str(year), safe='')}")
        label = f"Funding to {names.get(str(k)) or _local(str(k))}, {year}"
        out += [f"{t.n3()} a {CS.FundingTotal.n3()} ; {SKOS.prefLabel.n3()} {term_to_sparql(Literal(label))} ;",
                f"  {CS.fundingRecipient.n3()} {term_to_sparql(k)} ;",
                f"  {CS.fundingYear.n3()} {term_to_sparql(Literal(str(year)))} ; {CS.totalAmount.n3()} {term_to_sparql(total)} ;",
                f"  {CS.grantCount.n3()} {term_to_sparql(grants)} ."]
        if programmes is not None and str(programmes):
            funded = "; ".join(sorted(set(str(programmes).split("\u001f"))))  # in a stable order
            out.append(f"{t.n3()} {CS.fundedProgrammes.n3()} {term_to_sparql(Literal(funded))} .")
    judged: dict[str, list[tuple[str, str, str]]] = {}
    for k, date, inspection, grade in store.query(_OVERALL % {"values": values}):
        judged.setdefault(str(k), []).append((str(date), str(inspection), "" if grade is None else str(grade)))
    visits: dict[str, set[tuple[str, str]]] = {}
    for k, date, kind in store.query(_VISITS % {"values": values}):
        visits.setdefault(str(k), set()).add((str(date), str(kind)))
    for k, rows in sorted(judged.items()):
        # the newest: the largest "date inspection grade" string
        date, inspection, grade = max(rows, key=lambda r: f"{r[0]} {r[1]} {r[2]}")
        out.append(f"{term_to_sparql(URIRef(k))} {CS.latestOverallInspection.n3()} {term_to_sparql(URIRef(inspection))} ;"
                   f" {CS.latestOverallDate.n3()} {term_to_sparql(Literal(date))} .")
        if grade:
            out.append(f"{term_to_sparql(URIRef(k))} {CS.latestOverallGrade.n3()} {term_to_sparql(URIRef(grade))} .")
        out += _history(k, rows, visits.get(k, set()), names.get(k) or _local(k))
    return out


def _both(store: Store):
    """Triples -> the same triples in the summaries graph, and in the union's copy where the store
    keeps one (the embedded store): the template of an update touching the summaries."""
    s, union = summaries_graph(store).n3(), store.keeps_union_copy
    return lambda triples: f"GRAPH {s} {{ {triples} }}" + (f" {triples}" if union else "")


def _refresh_text(store: Store, keys: list[str]) -> str:
    """One update: the old summaries of `keys` go, the new come (computed just before)."""
    s = summaries_graph(store).n3()
    values = _values(keys)
    both = _both(store)
    body = "\n".join(_summary_triples(store, keys))
    latest = f"{CS.latestOverallInspection.n3()} {CS.latestOverallDate.n3()} {CS.latestOverallGrade.n3()}"
    parts = [
        f"DELETE {{ {both('?t ?p ?o .')} }} WHERE {{ VALUES ?k {{ {values} }} GRAPH {s} {{ ?t {CS.fundingRecipient.n3()} ?k ; ?p ?o }} }}",
        f"DELETE {{ {both('?k ?p ?o .')} }} WHERE {{ VALUES ?k {{ {values} }} VALUES ?p {{ {latest} }} GRAPH {s} {{ ?k ?p ?o }} }}",
        f"DELETE {{ {both('?e ?p ?o .')} }} WHERE {{ VALUES ?k {{ {values} }} GRAPH {s} {{ ?e {CS.entryOf.n3()} ?k ; ?p ?o }} }}",
    ]
    if body:
        parts.append(f"INSERT DATA {{ {both(body)} }}")
    return " ;\n".join(parts)


def _marks_text(store: Store, *, stale: bool | None = None, version: bool = False) -> str:
    """Set or clear the stale mark, or record the version, on the summaries graph itself."""
    s = summaries_graph(store).n3()
    both = _both(store)
    parts = []
    if stale is not None:
        mark = f"{s} {CS.summariesStale.n3()} true ."
        parts.append(f"INSERT DATA {{ {both(mark)} }}" if stale else f"DELETE DATA {{ {both(mark)} }}")
    if version:
        parts.append(f"DELETE {{ {both(f'{s} ?p ?o .')} }} WHERE {{ GRAPH {s} {{ {s} ?p ?o }} VALUES ?p {{ {CS.summaryVersion.n3()} }} }}")
        version_triples = f"{s} a {CS.SummaryGraph.n3()} ; {CS.summaryVersion.n3()} {term_to_sparql(Literal(SUMMARY_VERSION))} ."
        parts.append(f"INSERT DATA {{ {both(version_triples)} }}")
    return " ;\n".join(parts)


# What new content bears on, read off its triples where they are built (an extraction worker), so
# the single writer does not query each written graph: (kind, IRI) pairs, resolved by `_RESOLVE`
# against the store once the content is in. The same rules as _KEYS_OF_GRAPHS.
def candidates(triples: Iterable[tuple]) -> frozenset[tuple[str, str]]:
    # a dict finds a triple's rule by its predicate: a term hashes as its text and compares equal
    # only to a term of its own type and text, as `==` does, and the same object (the builder
    # writes each predicate with one) needs no comparison at all
    rule_of, kind_of_type = _CANDIDATE_RULES.get, _CANDIDATE_TYPES.get
    out: set[tuple[str, str]] = set()
    for s, p, o in triples:
        rule = rule_of(p)
        if rule is None:
            continue
        if rule == "funded":
            out.add(("item", str(o)))
        elif rule == "owned":
            out.add(("key", str(o)))
            out.add(("programme", str(s)))
        elif rule == "judged":
            out.add(("inspection", str(o)))
        else:
            kind = kind_of_type(o)
            if kind is not None:
                out.add((kind, str(s)))
    return frozenset(out)


_CANDIDATE_RULES = {SDO.fundedItem: "funded", CS.programmeOf: "owned", CS.inspection: "judged", RDF.type: "typed"}
_CANDIDATE_TYPES = {CS.Inspection: "inspection", CS.Programme: "programme"}


_RESOLVE = """SELECT DISTINCT ?k WHERE {
  { VALUES ?k { %(key)s } }
  UNION { VALUES ?k { %(item)s } FILTER NOT EXISTS { ?k cs:programmeOf ?owner } }
  UNION { VALUES ?item { %(item)s } ?item cs:programmeOf ?k }
  UNION { VALUES ?k { %(programme)s } FILTER EXISTS { ?y schema:fundedItem ?k } }
  UNION { VALUES ?p { %(programme)s } ?p cs:programmeOf ?k }
  UNION { VALUES ?i { %(inspection)s } ?i cs:inspectedOrganisation ?k }
}"""


def resolve(store: Store, found: Iterable[tuple[str, str]]) -> set[str]:
    """The keys that `candidates` stand for in the store as it is now."""
    by_kind: dict[str, list[str]] = {"key": [], "item": [], "programme": [], "inspection": []}
    for kind, iri in sorted(found):
        by_kind[kind].append(iri)
    keys: set[str] = set()
    chunk = 500
    longest = max((len(v) for v in by_kind.values()), default=0)
    for start in range(0, longest, chunk):
        part = {kind: _values(v[start:start + chunk]) for kind, v in by_kind.items()}
        rows = store.query(_RESOLVE % part)
        keys.update(str(r[0]) for r in rows if isinstance(r[0], URIRef))
    return keys


def keys_of_graphs(store: Store, graphs: Iterable[URIRef]) -> set[str]:
    """The keys whose summaries the current content of `graphs` bears on."""
    graphs = sorted({str(g) for g in graphs})
    keys: set[str] = set()
    for start in range(0, len(graphs), 200):
        rows = store.query(_KEYS_OF_GRAPHS % _values(graphs[start:start + 200]))
        keys.update(str(r[0]) for r in rows if isinstance(r[0], URIRef))
    return keys


def rebuild(store: Store) -> int:
    """Recompute every summary, clear the stale mark and record the version; the number of keys."""
    s = summaries_graph(store).n3()
    store.update(f"DELETE {{ {_both(store)('?x ?p ?o .')} }} WHERE {{ GRAPH {s} {{ ?x ?p ?o }} }}")
    keys = [str(r[0]) for r in store.query(_ALL_KEYS) if isinstance(r[0], URIRef)]
    refresh_and_unmark(store, keys, record_version=True)
    return len(keys)


def current(store: Store) -> bool:
    """Whether the summaries are those of this version and no write left them stale."""
    s = summaries_graph(store).n3()
    versions = {str(r[0]) for r in store.query(f"SELECT ?v WHERE {{ GRAPH {s} {{ {s} cs:summaryVersion ?v }} }}")}
    stale = list(store.query(f"SELECT ?x WHERE {{ GRAPH {s} {{ {s} cs:summariesStale ?x }} }} LIMIT 1"))
    return versions == {SUMMARY_VERSION} and not stale


def has_sources(store: Store) -> bool:
    return bool(list(store.query(f"SELECT ?g WHERE {{ GRAPH {store.minter.meta_graph.n3()} {{ ?g a cs:SourceGraph }} }} LIMIT 1")))


def ensure(store: Store, echo=None) -> bool:
    """Rebuild the summaries when they are missing, from another version, or stale; True if it did.
    An empty store has nothing to summarise (its first write records the version)."""
    return not current(store) and rebuild_if_any(store, echo)


def rebuild_if_any(store: Store, echo=None) -> bool:
    """`rebuild` when the store has sources to summarise; True if it did."""
    if not has_sources(store):
        return False
    if echo:
        echo("computing the store's summaries (funding totals, grade histories), once...")
    n = rebuild(store)
    log.info("rebuilt the summaries of %d keys in %s", n, store.location)
    return True


def mark_stale(store: Store) -> None:
    """Mark the summaries stale before a write: a process stopped before `refresh_and_unmark`
    leaves the mark, and the next open rebuilds them."""
    store.update(_marks_text(store, stale=True))


def complete(store: Store) -> bool:
    """Whether the summaries hold for the whole store now: current, or nothing to summarise yet.
    A write that starts so leaves them whole, and records this version when it ends."""
    return current(store) or not has_sources(store)


def refresh_and_unmark(store: Store, keys: Iterable[str], *, record_version: bool = False) -> None:
    """Recompute `keys`, then clear the stale mark (in the last chunk's transaction), and record
    this version when the summaries were whole before the writes."""
    keys = sorted(set(keys))
    chunks = [keys[i:i + CHUNK] for i in range(0, len(keys), CHUNK)]
    marks = _marks_text(store, stale=False, version=record_version)
    if not chunks:
        store.update(marks)
        return
    # each chunk is computed (its queries read report content only, never the summaries) while
    # the chunk before it is written: Oxigraph lets go of the GIL in both, so the two overlap on
    # two cores
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(_refresh_text, store, chunks[0])
        for following in chunks[1:]:
            text = pending.result()
            pending = pool.submit(_refresh_text, store, following)
            store.update(text)
        store.update(pending.result() + " ;\n" + marks)
