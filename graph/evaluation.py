"""`cskg eval`: measure extraction against a gold file in the format of data/samples/seeds-gold.json.

The reports are loaded into a fresh in-memory store with the real pipeline, and every check reads
the graph through SPARQL with the data contract's terms only, the way outside acceptance checks
do. Gold `doc` values are file-name prefixes; gold dates are as precise as the text, and an
extracted date matches when it is the same or more precise (gold 2017-11 ~ extracted 2017-11-06).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from graph.iri import slug
from graph.load import load_paths
from graph.store import OxigraphStore, Store

KINDS = ("inspections", "monitoring_visits", "interventions", "memberships", "recommendation_counts", "programmes", "funding")
AREA_KEYS = {
    "overall": ("overall-effectiveness",),
    "leaders": ("impact-of-leaders", "leadership-management-and-governance"),
    "help": ("help-and-protection",),
    "care": ("children-in-care-and-care-leavers", "children-in-care", "looked-after-and-achieving-permanence"),
    "leavers": ("care-leavers",),
}
VISIT_TYPES = {"monitoring-visit", "focused-visit"}


@dataclass
class KindScore:
    found: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float | None:
        return self.found / self.total if self.total else None


@dataclass
class EvalReport:
    kinds: dict[str, KindScore]
    people_found: int
    people_total: int
    extracted_people: list[str]
    false_people: list[str]
    identity: dict[str, bool]
    reports: dict[str, str]

    @property
    def fact_recall(self) -> float:
        found = sum(k.found for k in self.kinds.values())
        total = sum(k.total for k in self.kinds.values())
        return found / total if total else 1.0

    @property
    def person_precision(self) -> float:
        n = len(self.extracted_people)
        return (n - len(self.false_people)) / n if n else 1.0

    @property
    def person_recall(self) -> float:
        return self.people_found / self.people_total if self.people_total else 1.0

    def as_dict(self) -> dict:
        return {
            "fact_recall": round(self.fact_recall, 3),
            "recall": {k: (round(v.recall, 3) if v.recall is not None else None) for k, v in self.kinds.items()},
            "counts": {k: [v.found, v.total] for k, v in self.kinds.items()},
            "people": {
                "recall": round(self.person_recall, 3),
                "precision": round(self.person_precision, 3),
                "extracted": len(self.extracted_people),
                "not_in_gold": self.false_people,
            },
            "same_person_across_reports": self.identity,
            "misses": {k: v.misses for k, v in self.kinds.items() if v.misses},
        }

    def text(self, verbose: bool = False) -> str:
        lines = [f"{'kind':<24}{'found':>7}{'total':>7}{'recall':>9}"]
        for name, k in self.kinds.items():
            r = "-" if k.recall is None else f"{k.recall:.2f}"
            lines.append(f"{name:<24}{k.found:>7}{k.total:>7}{r:>9}")
        lines.append(f"{'all facts':<24}{sum(k.found for k in self.kinds.values()):>7}"
                     f"{sum(k.total for k in self.kinds.values()):>7}{self.fact_recall:>9.2f}")
        lines.append(f"people: recall {self.person_recall:.2f} ({self.people_found}/{self.people_total}), "
                     f"precision {self.person_precision:.2f} ({len(self.extracted_people) - len(self.false_people)}"
                     f"/{len(self.extracted_people)})")
        for name, ok in self.identity.items():
            lines.append(f"same person across reports: {name}: {'one node' if ok else 'NOT one node'}")
        if verbose:
            for name, k in self.kinds.items():
                for miss in k.misses:
                    lines.append(f"  missed {name}: {miss}")
            for p in self.false_people:
                lines.append(f"  person not in gold: {p}")
        return "\n".join(lines)


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", s).split())


def _date_ok(gold: str | None, got: set[str]) -> bool:
    return gold is None or any(g == gold or g.startswith(gold + "-") for g in got)


def names_match(gold: str, got: str) -> bool:
    """Same person name: equal, or the same surname with compatible given names/initials
    ("B Cassidy" ~ "Barbara Cassidy"). A gold name that is a surname alone ("Cassidy": all the
    report gives there) matches any person with that surname."""
    a, b = _norm(gold).split(), _norm(got).split()
    if not a or not b:
        return False
    if a == b:
        return True
    if a[-1] != b[-1]:
        return False
    ga, gb = a[:-1], b[:-1]
    if not ga:
        return True
    if not gb:
        return False
    return all(x[0] == y[0] and (len(x) == 1 or len(y) == 1 or x == y) for x, y in zip(ga, gb))


class _Graphs:
    """Everything the checks need, read once per report graph through SPARQL."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.graph_of_doc: dict[str, str] = {}
        for rec in store.sources():
            if rec.kind == "report":
                self.graph_of_doc[rec.source_file] = str(rec.graph)

    def graph_for(self, doc: str) -> str | None:
        matches = [g for f, g in self.graph_of_doc.items() if f.startswith(doc)]
        return matches[0] if len(matches) == 1 else None

    def rows(self, graph: str, sparql: str) -> list[dict[str, str]]:
        result = self.store.query(sparql, default_graphs=[graph])
        return [{str(v): str(r[v]) for v in result.vars if r[v] is not None} for r in result]


def council_iri(store: Store, gss: str) -> str | None:
    from loaders.reference.councils import council_by_gss

    council = council_by_gss(gss)
    return str(store.minter.organisation(council.official_name)) if council else None


def evaluate(gold: dict, reports: list[Path]) -> EvalReport:
    store = OxigraphStore(None)
    summary = load_paths(store, reports)
    graphs = _Graphs(store)
    kinds = {k: KindScore() for k in KINDS}

    def tally(kind: str, item: dict, ok: bool) -> None:
        if ok:
            kinds[kind].found += 1
        else:
            kinds[kind].misses.append(json.dumps(item))

    def doc_graph(item: dict, kind: str) -> str | None:
        g = graphs.graph_for(item["doc"])
        if g is None:
            kinds[kind].misses.append(f"{item}: no loaded report matches doc {item['doc']!r}")
        return g

    # inspections and visits
    insp_q = """SELECT ?i ?type ?org ?start ?end ?pub ?area ?grade ?n WHERE {
        ?i a cs:Inspection ; cs:inspectedOrganisation ?org ; dcterms:type ?type .
        OPTIONAL { ?i schema:startDate ?start } OPTIONAL { ?i schema:endDate ?end }
        OPTIONAL { ?i cs:publicationDate ?pub } OPTIONAL { ?i cs:statedRecommendationCount ?n }
        OPTIONAL { ?j cs:inspection ?i ; cs:judgementArea ?area ; cs:grade ?grade } }"""

    def inspections_in(g: str) -> dict[str, dict]:
        out: dict[str, dict] = defaultdict(lambda: defaultdict(set))
        for r in graphs.rows(g, insp_q):
            d = out[r["i"]]
            for k in ("type", "org", "start", "end", "pub", "n"):
                if k in r:
                    d[k].add(r[k].rsplit("/", 1)[-1] if k == "type" else r[k])
            if "area" in r:
                d["areas"].add((r["area"].rsplit("/", 1)[-1], r["grade"].rsplit("/", 1)[-1]))
        return out

    for kind in ("inspections", "monitoring_visits"):
        for item in gold.get(kind, []):
            kinds[kind].total += 1
            g = doc_graph(item, kind)
            if g is None:
                continue
            org = council_iri(store, item["gss"])
            ok = False
            for d in inspections_in(g).values():
                is_visit = bool(d["type"] & VISIT_TYPES)
                if org not in d["org"] or is_visit != (kind == "monitoring_visits"):
                    continue
                dates_ok = _date_ok(item.get("start"), d["start"]) and _date_ok(item.get("end"), d["end"]) and \
                    _date_ok(item.get("published"), d["pub"])
                if item.get("date"):
                    dates_ok = dates_ok and (_date_ok(item["date"], d["start"]) or _date_ok(item["date"], d["pub"]))
                grades = dict(d["areas"])
                areas = dict(item.get("areas") or {})
                if item.get("overall"):
                    areas["overall"] = item["overall"]
                grades_ok = all(any(grades.get(a) == grade for a in AREA_KEYS[key]) for key, grade in areas.items())
                if dates_ok and grades_ok:
                    ok = True
                    break
            tally(kind, item, ok)

    # interventions
    iv_q = """SELECT ?iv ?type ?org ?start ?end WHERE { ?iv a cs:Intervention ; dcterms:type ?type ;
        cs:subjectOrganisation ?org . OPTIONAL { ?iv schema:startDate ?start } OPTIONAL { ?iv schema:endDate ?end } }"""
    for item in gold.get("interventions", []):
        kinds["interventions"].total += 1
        g = doc_graph(item, "interventions")
        if g is None:
            continue
        org = council_iri(store, item["gss"])
        ok = False
        for r in graphs.rows(g, iv_q):
            if r["org"] != org or not r["type"].endswith("/" + item["type"]):
                continue
            starts, ends = {r["start"]} if "start" in r else set(), {r["end"]} if "end" in r else set()
            if _date_ok(item.get("start"), starts) and _date_ok(item.get("end"), ends) and (
                not item.get("date") or _date_ok(item["date"], starts) or _date_ok(item["date"], ends)
            ):
                ok = True
        tally("interventions", item, ok)

    # memberships
    mem_q = """SELECT ?m ?name ?org ?orgLabel ?title ?role ?roleLabel ?start WHERE {
        ?m a org:Membership ; org:member ?p ; org:role ?role . ?p foaf:name ?name .
        OPTIONAL { ?m org:organization ?org OPTIONAL { ?org skos:prefLabel ?orgLabel } }
        OPTIONAL { ?m cs:roleTitle ?title } OPTIONAL { ?role skos:prefLabel ?roleLabel }
        OPTIONAL { ?m org:memberDuring/time:hasBeginning ?b .
                   ?b time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear ?start } }"""
    for item in gold.get("memberships", []):
        kinds["memberships"].total += 1
        g = doc_graph(item, "memberships")
        if g is None:
            continue
        want_org = council_iri(store, item["org_gss"]) if item.get("org_gss") else None
        ok = False
        for r in store.query(mem_q.replace("WHERE {", "WHERE { GRAPH ?g {", 1) + "}", bindings={"g": _iri(g)}):
            r = {str(v): str(r[v]) for v in r.labels if r[v] is not None}
            if not names_match(item["person"], r["name"]):
                continue
            if want_org and r.get("org") != want_org:
                continue
            if item.get("org_name") and _norm(item["org_name"]) not in _norm(r.get("orgLabel", "") or _label_of_iri(r.get("org", ""))):
                continue
            role_text = " ".join(_norm(x) for x in (r.get("title", ""), r.get("roleLabel", ""), r["role"].rsplit("/", 1)[-1].replace("-", " ")))
            if _norm(item["role"]) not in role_text:
                continue
            if not _date_ok(item.get("start"), {r["start"]} if "start" in r else set()):
                continue
            ok = True
            break
        tally("memberships", item, ok)

    # stated recommendation counts
    for item in gold.get("recommendation_counts", []):
        kinds["recommendation_counts"].total += 1
        g = doc_graph(item, "recommendation_counts")
        if g is None:
            continue
        org = council_iri(store, item["gss"])
        tally("recommendation_counts", item,
              any(org in d["org"] and str(item["count"]) in d["n"] for d in inspections_in(g).values()))

    # programmes
    prog_q = "SELECT ?p ?label ?org WHERE { ?p a cs:Programme ; skos:prefLabel ?label . OPTIONAL { ?p cs:programmeOf ?org } }"
    for item in gold.get("programmes", []):
        kinds["programmes"].total += 1
        g = doc_graph(item, "programmes")
        if g is None:
            continue
        org = council_iri(store, item["gss"]) if item.get("gss") else None
        tally("programmes", item, any(_norm(item["name"]) in _norm(r["label"]) and (org is None or r.get("org") == org)
                                      for r in graphs.rows(g, prog_q)))

    # money
    money_q = "SELECT ?v WHERE { ?a a schema:MonetaryAmount ; schema:value ?v }"
    for item in gold.get("funding", []):
        kinds["funding"].total += 1
        g = doc_graph(item, "funding")
        if g is None:
            continue
        tally("funding", item, any(abs(float(r["v"]) - float(item["amount"])) < 0.5 for r in graphs.rows(g, money_q)))

    # people: precision over every person node in the report graphs, recall over the gold list
    people_rows = store.query(
        "SELECT DISTINCT ?p ?name WHERE { GRAPH ?g { ?p a foaf:Person ; foaf:name ?name } ?g a cs:SourceGraph ; cs:sourceKind 'report' }"
    )
    extracted = sorted({str(r[1]) for r in people_rows})
    gold_people = gold.get("people", [])
    false_people = [p for p in extracted if not any(names_match(gp, p) for gp in gold_people)]
    found_people = sum(1 for gp in gold_people if any(names_match(gp, p) for p in extracted))

    # graphs naming each person node, read once for every identity check
    graphs_per_person = [
        (str(r[1]), int(r[2]))
        for r in store.query(
            """SELECT ?p ?name (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?p a foaf:Person ; foaf:name ?name } }
               GROUP BY ?p ?name"""
        )
    ]
    identity = {}
    for name in gold.get("same_person_across_reports", []):
        matching = [n for person_name, n in graphs_per_person if names_match(name, person_name)]
        identity[name] = len(matching) == 1 and matching[0] >= 2

    store.close()
    return EvalReport(kinds, found_people, len(gold_people), extracted, false_people, identity,
                      {o.path: o.status + (f" ({o.reason})" if o.reason else "") for o in summary.outcomes})


def _iri(s: str):
    from rdflib import URIRef

    return URIRef(s)


def _label_of_iri(iri: str) -> str:
    return iri.rsplit("/", 1)[-1].replace("-", " ")


def load_gold(path: Path) -> dict:
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: not a readable gold file ({exc})") from None
    if not isinstance(gold, dict) or not any(k in gold for k in (*KINDS, "people")):
        raise ValueError(f"{path}: no fact lists in it (expected keys like {', '.join(KINDS)})")
    return gold


__all__ = ["evaluate", "load_gold", "names_match", "EvalReport", "slug"]
