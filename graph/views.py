"""Page data for the explorer: one function per page type, each returning the JSON-ready context
its template renders (and its `.json` twin serves). Queries are bounded by the entity's IRI."""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import groupby
from types import SimpleNamespace

from rdflib import URIRef
from rdflib.term import Node

from graph.explore import (
    MAX_EVIDENCE,
    MAX_LIST,
    TYPE_NAMES,
    cached,
    date_key,
    describe,
    display_literal,
    evidence_for,
    humanise,
    labelled,
    main_type,
    money,
    store_sources,
    string_rows,
    values,
)
from graph.sparql import term_to_sparql
from graph.store import Store
from ontology.namespace import AREA, CS, DCTERMS, GRADE, OA, PROV, SDO, SKOS

GRADE_ORDER = ["outstanding", "good", "requires-improvement", "adequate", "inadequate"]
OVERALL = AREA["overall-effectiveness"]
NO_REGION = "Region not recorded"
# the council page's timeline shows the latest inspections (a council may have hundreds)
MAX_INSPECTIONS = 40
# programmes listed on a council or organisation page (each with its grants and evidence)
MAX_PROGRAMMES = 50


def _date(lit) -> dict | None:
    if lit is None:
        return None
    return {"value": str(lit), "display": display_literal(lit)}


def grade_key(iri) -> str | None:
    if iri is None:
        return None
    s = str(iri)
    return s[len(str(GRADE)):] if s.startswith(str(GRADE)) else humanise(s).lower().replace(" ", "-")


# ------------------------------------------------------------------------------------------ home


def councils_overview(store: Store) -> list[dict]:
    """Every current council with its region and latest overall-effectiveness grade (cached
    per store state: it reads all councils)."""

    def build() -> list[dict]:
        # two queries, not one with the grades in a nested OPTIONAL: Oxigraph evaluated that block
        # over every inspection once per council (seconds on a 200-report store)
        rows = store.query(
            """SELECT DISTINCT ?c ?region ?gss ?dfe WHERE {
                 ?c a cs:LocalAuthority .
                 FILTER NOT EXISTS { ?c dcterms:isReplacedBy ?successor }
                 OPTIONAL { ?c cs:region ?region }
                 OPTIONAL { ?c cs:gssCode ?gss }
                 OPTIONAL { ?c cs:dfeNumber ?dfe }
               }"""
        )
        by: dict[URIRef, dict] = {}
        for r in rows:
            c = by.setdefault(r.c, {"iri": str(r.c), "region": None, "gss": None, "dfe": None, "latest": None})
            if r.region is not None:
                c["region"] = r.region
            if r.gss is not None:
                c["gss"] = str(r.gss)
            if r.dfe is not None:
                c["dfe"] = str(r.dfe)
        grades = store.query(
            """SELECT DISTINCT ?c ?i ?d ?grade WHERE {
                 ?j cs:judgementArea area:overall-effectiveness ; cs:inspection ?i ; cs:grade ?grade .
                 ?i cs:inspectedOrganisation ?c .
                 OPTIONAL { ?i schema:startDate ?sd } OPTIONAL { ?i cs:publicationDate ?pd }
                 BIND(COALESCE(?sd, ?pd) AS ?d)
               }"""
        )
        for r in grades:
            c = by.get(r.c)
            if c is not None and (c["latest"] is None or date_key(r.d) > c["latest"][0]):
                c["latest"] = (date_key(r.d), r.grade, r.d, r.i)
        # children's services authorities carry a DfE number; fall back to every council
        if any(c["dfe"] or c["latest"] for c in by.values()):
            by = {k: c for k, c in by.items() if c["dfe"] or c["latest"]}
        lab = labelled(store, list(by) + [c["region"] for c in by.values() if isinstance(c["region"], URIRef)])
        out = []
        for iri, c in by.items():
            region = c["region"]
            latest = c.pop("latest")
            c["label"] = lab.label(iri)
            c["region"] = lab.label(region) if region is not None else NO_REGION
            c["grade"] = grade_key(latest[1]) if latest else None
            c["grade_label"] = lab.label(latest[1]) if latest else "Not inspected"
            c["grade_date"] = _date(latest[2]) if latest else None
            out.append(c)
        return sorted(out, key=lambda c: c["label"].lower())

    return cached(store, "councils_overview", build)


def region_grid(councils: list[dict]) -> list[dict]:
    regions: dict[str, list[dict]] = defaultdict(list)
    for c in councils:
        regions[c["region"]].append(c)
    grid = []
    for name in sorted(regions, key=lambda r: (r == NO_REGION, r)):
        members = regions[name]
        counts = {g: sum(1 for c in members if c["grade"] == g) for g in GRADE_ORDER}
        grid.append({"region": name, "councils": members, "grade_counts": counts})
    return grid


def recent_inspections(store: Store, limit: int = 8) -> list[dict]:
    # the latest few first, then their grades: with the judgements in an OPTIONAL beside the
    # grouping, Oxigraph joined every judgement in the store to every inspection (tens of seconds
    # on a 1,000-report store)
    rows = list(
        store.query(
            f"""SELECT ?i ?d ?c WHERE {{
                  {{ SELECT DISTINCT ?i ?c WHERE {{ ?i a cs:Inspection ; cs:inspectedOrganisation ?c }} }}
                  OPTIONAL {{ ?i schema:startDate ?sd }} OPTIONAL {{ ?i cs:publicationDate ?pd }}
                  BIND(COALESCE(?sd, ?pd) AS ?d)
                }} ORDER BY DESC(STR(?d)) LIMIT {limit * 4}"""
        )
    )
    latest: dict = {}
    for r in rows:  # an inspection with two recorded dates appears twice: keep its first (latest) row
        if r.i not in latest and len(latest) < limit:
            latest[r.i] = r
    rows = list(latest.values())
    grades: dict = {}
    if rows:
        for g in store.query(
            f"""SELECT DISTINCT ?i ?g WHERE {{ {values('i', [r.i for r in rows])}
                  ?j cs:inspection ?i ; cs:judgementArea area:overall-effectiveness ; cs:grade ?g }}"""
        ):
            grades.setdefault(g.i, g.g)
    lab = labelled(store, [r.i for r in rows] + [r.c for r in rows] + list(grades.values()))
    return [
        {
            "inspection": lab.term(r.i),
            "council": lab.term(r.c),
            "date": _date(r.d),
            "grade": grade_key(grades.get(r.i)),
            "grade_label": lab.label(grades[r.i]) if r.i in grades else None,
        }
        for r in rows
    ]


def recent_interventions(store: Store, limit: int = 8) -> list[dict]:
    rows = list(
        store.query(
            f"""SELECT ?iv ?c ?t ?d WHERE {{ ?iv a cs:Intervention .
                  OPTIONAL {{ ?iv cs:subjectOrganisation ?c }} OPTIONAL {{ ?iv dcterms:type ?t }}
                  OPTIONAL {{ ?iv schema:startDate ?d }}
                }} ORDER BY DESC(STR(?d)) LIMIT {limit}"""
        )
    )
    lab = labelled(store, [x for r in rows for x in (r.iv, r.c, r.t) if x is not None])
    return [
        {
            "intervention": lab.term(r.iv),
            "council": lab.term(r.c) if r.c is not None else None,
            "type": lab.label(r.t) if r.t is not None else "Intervention",
            "date": _date(r.d),
        }
        for r in rows
    ]


def home(store: Store) -> dict:
    """Everything on the home page depends only on the store's content: built once per state."""
    from graph.query import store_stats

    def build() -> dict:
        return {
            "stats": store_stats(store, store_sources(store)),
            "regions": region_grid(councils_overview(store)),
            "grades": [{"key": g, "label": humanise(g)} for g in GRADE_ORDER],
            "recent_inspections": recent_inspections(store),
            "recent_interventions": recent_interventions(store),
        }

    return dict(cached(store, "home", build))


def reports_list(store: Store, limit: int = 1000) -> list[dict]:
    return cached(store, f"reports_list/{limit}", lambda: _reports_list(store, limit))


def _reports_list(store: Store, limit: int) -> list[dict]:
    rows = list(
        store.query(
            f"""SELECT ?r ?title ?date ?pub ?file (COUNT(DISTINCT ?ev) AS ?facts) WHERE {{
                  ?r a schema:Report . OPTIONAL {{ ?r dcterms:title ?title }} OPTIONAL {{ ?r dcterms:date ?date }}
                  OPTIONAL {{ ?r dcterms:publisher ?pub }} OPTIONAL {{ ?r cs:sourceFile ?file }}
                  OPTIONAL {{ ?r cs:textRendition ?t . ?ev oa:hasSource ?t }}
                }} GROUP BY ?r ?title ?date ?pub ?file ORDER BY DESC(STR(?date)) ?title LIMIT {limit}"""
        )
    )
    lab = labelled(store, [r.pub for r in rows if r.pub is not None])
    return [
        {
            "iri": str(r.r),
            "label": str(r.title) if r.title is not None else humanise(str(r.r)),
            "date": _date(r.date),
            "publisher": lab.term(r.pub) if r.pub is not None else None,
            "source_file": str(r.file) if r.file is not None else None,
            "evidence_count": int(r.facts),
        }
        for r in rows
    ]


# ------------------------------------------------------------------------------------------ entity pages


def _rows(store: Store, sparql: str, iri: URIRef) -> list:
    return list(store.query(sparql, bindings={"s": iri}))


def _interval(store: Store, memberships: list[URIRef]) -> dict[URIRef, tuple]:
    if not memberships:
        return {}
    rows = store.query(
        f"""SELECT ?m ?b ?e WHERE {{ {values('m', memberships)} ?m org:memberDuring ?ivl .
              OPTIONAL {{ ?ivl time:hasBeginning ?bi . ?bi time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear ?b }}
              OPTIONAL {{ ?ivl time:hasEnd ?ei . ?ei time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear ?e }} }}"""
    )
    return {r.m: (r.b, r.e) for r in rows}


def memberships(store: Store, iri: URIRef, *, of: str, evidence: int = MAX_EVIDENCE) -> list[dict]:
    """Roles held by a person (`of="member"`) or within an organisation (`of="organization"`)."""
    other = "organization" if of == "member" else "member"
    rows = _rows(
        store,
        # the memberships first, in a subquery: with the OPTIONALs beside the type pattern Oxigraph
        # read the details of every membership in the store (seconds for one person at 1,000 reports)
        f"""SELECT DISTINCT ?m ?other ?role ?title WHERE {{ {{ SELECT DISTINCT ?m WHERE {{ ?m org:{of} ?s ; a org:Membership }} }}
              OPTIONAL {{ ?m org:{other} ?other }} OPTIONAL {{ ?m org:role ?role }} OPTIONAL {{ ?m cs:roleTitle ?title }}
            }} LIMIT {MAX_LIST}""",
        iri,
    )
    ms = [r.m for r in rows]
    ivl = _interval(store, ms)
    ev = evidence_for(store, ms, per_subject=evidence)
    lab = labelled(store, [x for r in rows for x in (r.other, r.role) if x is not None])
    out = []
    for r in rows:
        begin, end = ivl.get(r.m, (None, None))
        out.append(
            {
                "membership": {"iri": str(r.m)},
                other: lab.term(r.other) if r.other is not None else None,
                "role": lab.term(r.role) if r.role is not None else None,
                "title": str(r.title) if r.title is not None else (lab.label(r.role) if r.role is not None else "Role"),
                "start": _date(begin),
                "end": _date(end),
                "evidence": ev.get(str(r.m), []),
            }
        )
    return sorted(out, key=lambda m: ((m["start"] or {}).get("value", "9999"), m["title"]))


def inspections_by_date(store: Store, iri: URIRef) -> list[URIRef]:
    """The council's inspections, latest first."""
    rows = _rows(
        store,
        """SELECT ?i ?sd ?pd WHERE { ?i cs:inspectedOrganisation ?s
             OPTIONAL { ?i schema:startDate ?sd } OPTIONAL { ?i cs:publicationDate ?pd } }""",
        iri,
    )
    when: dict[URIRef, str] = {}
    for r in rows:
        d = date_key(r.sd if r.sd is not None else r.pd)
        when[r.i] = max(when.get(r.i, ""), d)
    return sorted(when, key=lambda i: (when[i], str(i)), reverse=True)


def inspections_of(store: Store, iri: URIRef, *, single: bool = False,
                   only: list[URIRef] | None = None) -> list[dict]:
    """The inspections of a council (`only` those, when given), or (`single`) the one inspection
    `iri`, with judgements."""
    if single:
        first = "BIND(?s AS ?i) ?i a cs:Inspection ."
    elif only is not None:
        if not only:
            return []
        first = values("i", only)
    else:
        # the inspections first, in a subquery: the union default graph holds each one once per
        # report that names it, and the OPTIONALs below were evaluated for every copy (10x slower)
        first = "{ SELECT DISTINCT ?i WHERE { ?i cs:inspectedOrganisation ?s } }"
    # the judgements in a second query, not an OPTIONAL: Oxigraph evaluated that OPTIONAL over
    # every judgement in the store; DISTINCT folds the union graph's repeats
    rows = _rows(
        store,
        f"""SELECT DISTINCT ?i ?t ?sd ?ed ?pd ?lead WHERE {{ {first}
              OPTIONAL {{ ?i dcterms:type ?t }} OPTIONAL {{ ?i schema:startDate ?sd }} OPTIONAL {{ ?i schema:endDate ?ed }}
              OPTIONAL {{ ?i cs:publicationDate ?pd }} OPTIONAL {{ ?i cs:leadInspector ?lead }}
            }} LIMIT {MAX_LIST * 10}""",
        iri,
    )
    judged = _rows(
        store,
        f"""SELECT DISTINCT ?i ?j ?area ?grade WHERE {{ {first}
              ?j cs:inspection ?i ; cs:judgementArea ?area ; cs:grade ?grade }} LIMIT {MAX_LIST * 10}""",
        iri,
    )
    lab = labelled(store, [x for r in rows for x in (r.i, r.t, r.lead) if x is not None]
                   + [x for r in judged for x in (r.area, r.grade)])
    by: dict[URIRef, dict] = {}
    for r in rows:
        insp = by.get(r.i)
        if insp is None:
            when = r.sd if r.sd is not None else r.pd
            insp = by[r.i] = {
                "iri": str(r.i),
                "label": lab.label(r.i),
                "type": lab.term(r.t) if r.t is not None else None,
                "start": _date(r.sd),
                "end": _date(r.ed),
                "published": _date(r.pd),
                "date": _date(when),
                "lead_inspector": lab.term(r.lead) if r.lead is not None else None,
                "judgements": [],
            }
    for r in judged:
        insp = by.get(r.i)
        if insp is not None and all(j["iri"] != str(r.j) for j in insp["judgements"]):
            insp["judgements"].append(
                {
                    "iri": str(r.j),
                    "area": lab.term(r.area),
                    "grade": grade_key(r.grade),
                    "grade_label": lab.label(r.grade),
                }
            )
    out = sorted(by.values(), key=lambda i: (i["date"] or {}).get("value", ""))
    for i in out:
        i["judgements"].sort(key=lambda j: (j["area"]["iri"] != str(OVERALL), j["area"]["label"]))
    return out


def timeline(inspections: list[dict]) -> dict:
    """Inspections (columns, oldest first) x judgement areas (rows, overall effectiveness first)."""
    areas: dict[str, dict] = {}
    for insp in inspections:
        for j in insp["judgements"]:
            areas.setdefault(j["area"]["iri"], j["area"])
    ordered = sorted(areas.values(), key=lambda a: (a["iri"] != str(OVERALL), a["label"]))
    rows = []
    for area in ordered:
        cells = []
        for insp in inspections:
            j = next((j for j in insp["judgements"] if j["area"]["iri"] == area["iri"]), None)
            cells.append({"grade": j["grade"], "grade_label": j["grade_label"], "iri": j["iri"]} if j else None)
        rows.append({"area": area, "cells": cells})
    graded = [i for i in inspections if i["judgements"]]
    return {"columns": [{"iri": i["iri"], "label": i["label"], "date": i["date"], "type": i["type"]} for i in inspections],
            "rows": rows, "graded": len(graded)}


def interventions_of(store: Store, iri: URIRef, *, evidence: int = MAX_EVIDENCE) -> list[dict]:
    rows = _rows(
        store,
        f"""SELECT ?iv ?t ?sd ?ed ?by ?note WHERE {{ ?iv cs:subjectOrganisation ?s .
              OPTIONAL {{ ?iv dcterms:type ?t }} OPTIONAL {{ ?iv schema:startDate ?sd }} OPTIONAL {{ ?iv schema:endDate ?ed }}
              OPTIONAL {{ ?iv prov:wasAssociatedWith ?by }} OPTIONAL {{ ?iv skos:note ?note }}
            }} LIMIT {MAX_LIST}""",
        iri,
    )
    ev = evidence_for(store, [r.iv for r in rows], per_subject=evidence)
    lab = labelled(store, [x for r in rows for x in (r.iv, r.t, r.by) if x is not None])
    seen, out = set(), []
    for r in rows:
        if r.iv in seen:
            continue
        seen.add(r.iv)
        out.append(
            {
                "iri": str(r.iv),
                "label": lab.label(r.iv),
                "type": lab.term(r.t) if r.t is not None else None,
                "start": _date(r.sd),
                "end": _date(r.ed),
                "issuer": lab.term(r.by) if r.by is not None else None,
                "note": str(r.note) if r.note is not None else None,
                "evidence": ev.get(str(r.iv), []),
            }
        )
    return sorted(out, key=lambda i: (i["start"] or {}).get("value", ""))


def grants_for(store: Store, items: list[URIRef], *, evidence: int = MAX_EVIDENCE) -> dict[str, list[dict]]:
    if not items:
        return {}
    rows = store.query(
        f"""SELECT ?item ?g ?v ?cur ?fy ?funder ?desc WHERE {{ {values('item', items)} ?g schema:fundedItem ?item .
              OPTIONAL {{ ?g schema:amount ?a . ?a schema:value ?v OPTIONAL {{ ?a schema:currency ?cur }}
                          OPTIONAL {{ ?a cs:financialYear ?fy }} }}
              OPTIONAL {{ ?g schema:funder ?funder }} OPTIONAL {{ ?g dcterms:description ?desc }}
            }} LIMIT {MAX_LIST}"""
    )
    rows = list(rows)
    ev = evidence_for(store, [r.g for r in rows], per_subject=evidence)
    lab = labelled(store, [r.funder for r in rows if r.funder is not None])
    out: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        out[str(r.item)].append(
            {
                "iri": str(r.g),
                "amount": money(r.v, str(r.cur or "GBP")) if r.v is not None else None,
                "value": str(r.v) if r.v is not None else None,
                "financial_year": str(r.fy) if r.fy is not None else None,
                "funder": lab.term(r.funder) if r.funder is not None else None,
                "description": str(r.desc) if r.desc is not None else None,
                "evidence": ev.get(str(r.g), []),
            }
        )
    return out


def programmes_of(store: Store, iri: URIRef, *, counted: bool = False, evidence: int = MAX_EVIDENCE):
    """The programmes of an organisation (at most MAX_PROGRAMMES), and with `counted` how many it has."""
    every = sorted({r.p for r in _rows(store, "SELECT DISTINCT ?p WHERE { ?p cs:programmeOf ?s }", iri)})
    progs = every[:MAX_PROGRAMMES]
    rows = list(store.query(
        f"SELECT DISTINCT ?p ?by WHERE {{ {values('p', progs)} OPTIONAL {{ ?p cs:overseenBy ?by }} }}")) if progs else []
    lab = labelled(store, progs + [r.by for r in rows if r.by is not None])
    grants = grants_for(store, progs, evidence=evidence)
    ev = evidence_for(store, progs, per_subject=evidence)
    out = []
    for p in progs:
        by = next((r.by for r in rows if r.p == p and r.by is not None), None)
        out.append(
            {
                "iri": str(p),
                "label": lab.label(p),
                "overseen_by": lab.term(by) if by is not None else None,
                "grants": grants.get(str(p), []),
                "evidence": ev.get(str(p), []),
            }
        )
    out = sorted(out, key=lambda p: p["label"].lower())
    return (out, len(every)) if counted else out


def recommendations_for(store: Store, inspections: list[URIRef], raised_by: URIRef | None = None, *,
                        evidence: int = MAX_EVIDENCE) -> list[dict]:
    if not inspections and raised_by is None:
        return []
    # the recommendations first, then their details: a type pattern beside the UNION made Oxigraph
    # start from every recommendation, and OPTIONALs after a UNION read the whole store
    typed = "FILTER EXISTS { ?r a cs:Recommendation }"
    parts = []
    if inspections:
        parts.append(f"{{ {values('i', inspections)} ?r cs:inspection ?i {typed} }}")
    if raised_by is not None:
        parts.append(f"{{ ?r cs:raisedBy {term_to_sparql(raised_by)} {typed} OPTIONAL {{ ?r cs:inspection ?i }} }}")
    found = list(store.query(f"SELECT DISTINCT ?r ?i WHERE {{ {' UNION '.join(parts)} }} LIMIT {MAX_LIST}"))
    inspection_of = {}
    for r in found:
        inspection_of.setdefault(r.r, r.i)
    rows = []
    if inspection_of:
        rows = [
            SimpleNamespace(r=r.r, i=inspection_of[r.r], pos=r.pos, desc=r.desc, t=r.t)
            for r in store.query(
                f"""SELECT ?r ?pos ?desc ?t WHERE {{ {values('r', inspection_of)}
                      OPTIONAL {{ ?r schema:position ?pos }} OPTIONAL {{ ?r dcterms:description ?desc }}
                      OPTIONAL {{ ?r dcterms:type ?t }} }}"""
            )
        ]
    ev = evidence_for(store, [r.r for r in rows], per_subject=evidence)
    lab = labelled(store, [x for r in rows for x in (r.i, r.t) if x is not None])
    out, seen = [], set()
    for r in rows:
        if r.r in seen:
            continue
        seen.add(r.r)
        out.append(
            {
                "iri": str(r.r),
                "position": int(r.pos) if r.pos is not None else None,
                "description": str(r.desc) if r.desc is not None else "",
                "type": lab.term(r.t) if r.t is not None else None,
                "inspection": lab.term(r.i) if r.i is not None else None,
                "evidence": ev.get(str(r.r), []),
            }
        )
    return sorted(out, key=lambda r: ((r["inspection"] or {}).get("iri", ""), r["position"] or 0))


def reports_mentioning(store: Store, iri: URIRef) -> list[dict]:
    rows = _rows(
        store,
        f"""SELECT DISTINCT ?r ?title ?date WHERE {{ {{ ?r cs:mentions ?s }} UNION {{ ?r dcterms:publisher ?s }}
              ?r a schema:Report . OPTIONAL {{ ?r dcterms:title ?title }} OPTIONAL {{ ?r dcterms:date ?date }}
            }} ORDER BY DESC(STR(?date)) LIMIT {MAX_LIST}""",
        iri,
    )
    return [
        {"iri": str(r.r), "label": str(r.title) if r.title is not None else humanise(str(r.r)), "date": _date(r.date)}
        for r in rows
    ]


def _profile(d: dict, props: dict[str, str]) -> list[dict]:
    """Pick named properties out of a description, in the given order, as label/values rows."""
    by_prop = {g["property"]["iri"]: g["values"] for g in d["outgoing"]}
    rows = []
    for prop, label in props.items():
        vals = by_prop.get(prop)
        if vals:
            seen, uniq = set(), []
            for v in vals:
                k = v.get("iri") or v.get("value")
                if k not in seen:
                    seen.add(k)
                    uniq.append(v)
            rows.append({"label": label, "values": uniq})
    return rows


def _incoming(d: dict, prop: str) -> list[dict]:
    for g in d["incoming"]:
        if g["property"]["iri"] == prop:
            return g["values"]
    return []


# the only statements pointing at an entity that the council, person and report pages show
PAGE_INCOMING = [DCTERMS.isReplacedBy]


def council(store: Store, iri: URIRef, d: dict | None = None) -> dict:
    d = d or describe(store, iri, incoming=PAGE_INCOMING)
    every = inspections_by_date(store, iri)
    inspections = inspections_of(store, iri, only=every[:MAX_INSPECTIONS])
    replaced_by = "http://purl.org/dc/terms/isReplacedBy"
    profile = _profile(
        d,
        {
            "http://www.w3.org/2004/02/skos/core#altLabel": "Also known as",
            str(SDO.name): "Name",
            "https://w3id.org/cskg/def/cs#gssCode": "GSS code",
            "https://w3id.org/cskg/def/cs#dfeNumber": "DfE number",
            "https://w3id.org/cskg/def/cs#ofstedUrn": "Ofsted URN",
            "https://w3id.org/cskg/def/cs#registerCode": "Register code",
            "https://w3id.org/cskg/def/cs#localAuthorityType": "Type",
            "https://w3id.org/cskg/def/cs#region": "Region",
            "https://w3id.org/cskg/def/cs#onsArea": "ONS area",
            replaced_by: "Succeeded by",
            "http://www.w3.org/ns/org#linkedTo": "Linked to",
        },
    )
    predecessors = _incoming(d, replaced_by)
    if predecessors:
        profile.append({"label": "Preceded by", "values": predecessors})
    neighbours = _profile(d, {"https://w3id.org/cskg/def/cs#statisticalNeighbour": "Statistical neighbours"})
    # the council page shows one source for an intervention or a role and none for programmes, grants
    # and recommendations (their own pages do): reading the rest was most of the page's cost
    programmes, programmes_total = programmes_of(store, iri, counted=True, evidence=0)
    return {
        "page": "council",
        "entity": _head(d),
        "profile": profile,
        "neighbours": neighbours[0]["values"] if neighbours else [],
        "inspections": inspections,
        "inspections_total": len(every),
        "timeline": timeline(inspections),
        "interventions": interventions_of(store, iri, evidence=1),
        "people": memberships(store, iri, of="organization", evidence=1),
        "programmes": programmes,
        "programmes_total": programmes_total,
        "grants": grants_for(store, [iri], evidence=0).get(str(iri), []),
        "recommendations": recommendations_for(store, every, evidence=0),
        "reports": reports_mentioning(store, iri),
        "grades": [{"key": g, "label": humanise(g)} for g in GRADE_ORDER],
    }


def _head(d: dict) -> dict:
    total = max(d.get("evidence_total", 0), len(d["evidence"]))
    return {
        "iri": d["iri"],
        "label": d["label"],
        "type": d["type"],
        "type_name": TYPE_NAMES.get(d["type"] or "", "Resource"),
        "evidence": d["evidence"],
        "evidence_total": total,
        # when the page shows only some of the sources: a query listing every one (the page links
        # its results as CSV)
        "evidence_query": evidence_query(URIRef(d["iri"])) if total > len(d["evidence"]) else None,
    }


def evidence_query(iri: URIRef) -> str:
    """Every source of `iri`: the report and its sentence (quote and offset), or the dataset."""
    return (
        f"SELECT ?source ?report ?start ?quote WHERE {{\n"
        f"  {term_to_sparql(iri)} {PROV.wasDerivedFrom.n3()} ?source .\n"
        f"  OPTIONAL {{ ?source {OA.hasSource.n3()} ?text . ?report {CS.textRendition.n3()} ?text }}\n"
        f"  OPTIONAL {{ ?source {OA.hasSelector.n3()} ?q . ?q {OA.exact.n3()} ?quote }}\n"
        f"  OPTIONAL {{ ?source {OA.hasSelector.n3()} ?p . ?p {OA.start.n3()} ?start }}\n"
        f"}}\nORDER BY ?report ?start ?source"
    )


def person(store: Store, iri: URIRef, d: dict | None = None) -> dict:
    d = d or describe(store, iri, incoming=PAGE_INCOMING)
    led = _rows(store, f"SELECT DISTINCT ?i WHERE {{ ?i cs:leadInspector ?s }} LIMIT {MAX_LIST}", iri)
    lab = labelled(store, [r.i for r in led])
    return {
        "page": "person",
        "entity": _head(d),
        "profile": _profile(
            d,
            {
                "http://xmlns.com/foaf/0.1/title": "Title",
                "http://xmlns.com/foaf/0.1/name": "Name",
                "https://schema.org/honorificSuffix": "Honours",
            },
        ),
        "roles": memberships(store, iri, of="member"),
        "inspections_led": [lab.term(r.i) for r in led],
        "reports": reports_mentioning(store, iri),
    }


def organisation(store: Store, iri: URIRef, d: dict | None = None) -> dict:
    d = d or describe(store, iri)
    return {
        "page": "organisation",
        "entity": _head(d),
        "profile": _profile(d, {"http://www.w3.org/2004/02/skos/core#altLabel": "Also known as"}),
        "people": memberships(store, iri, of="organization"),
        "programmes": programmes_of(store, iri),
        "reports": reports_mentioning(store, iri),
        "statements": d,
    }


ENTITY_PROFILE = {
    "inspection": {
        "http://purl.org/dc/terms/type": "Type",
        "https://w3id.org/cskg/def/cs#inspectedOrganisation": "Council",
        str(SDO.startDate): "Fieldwork began",
        str(SDO.endDate): "Fieldwork ended",
        "https://w3id.org/cskg/def/cs#publicationDate": "Published",
        "https://w3id.org/cskg/def/cs#leadInspector": "Lead inspector",
        "https://w3id.org/cskg/def/cs#statedRecommendationCount": "Recommendations stated",
        "https://w3id.org/cskg/def/cs#focus": "Focus",
    },
    "judgement": {
        "https://w3id.org/cskg/def/cs#inspection": "Inspection",
        "https://w3id.org/cskg/def/cs#judgementArea": "Area",
        "https://w3id.org/cskg/def/cs#grade": "Grade",
    },
    "intervention": {
        "http://purl.org/dc/terms/type": "Type",
        "https://w3id.org/cskg/def/cs#subjectOrganisation": "Council",
        str(SDO.startDate): "Issued",
        str(SDO.endDate): "Ended",
        "http://www.w3.org/ns/prov#wasAssociatedWith": "Issued by",
        "https://w3id.org/cskg/def/cs#legalBasis": "Legal basis",
        "http://www.w3.org/2004/02/skos/core#note": "Note",
    },
    "programme": {
        "http://www.w3.org/2004/02/skos/core#prefLabel": "Name",
        "https://w3id.org/cskg/def/cs#programmeOf": "Council",
        "https://w3id.org/cskg/def/cs#overseenBy": "Overseen by",
        "http://purl.org/dc/terms/subject": "Themes",
    },
    "recommendation": {
        "https://w3id.org/cskg/def/cs#inspection": "Inspection",
        "https://w3id.org/cskg/def/cs#raisedBy": "Raised by",
        "http://purl.org/dc/terms/type": "Type",
        str(SDO.position): "Position",
        "http://purl.org/dc/terms/description": "Text",
    },
}


def entity(store: Store, iri: URIRef, kind: str, d: dict | None = None) -> dict:
    """Inspection, judgement, intervention, programme and recommendation pages."""
    d = d or describe(store, iri)
    ctx = {"page": kind, "entity": _head(d), "profile": _profile(d, ENTITY_PROFILE[kind]), "statements": d}
    if kind == "inspection":
        insp = inspections_of(store, iri, single=True)
        ctx["judgements"] = insp[0]["judgements"] if insp else []
        ctx["recommendations"] = recommendations_for(store, [iri])
    elif kind == "intervention":
        rows = _rows(store, f"SELECT DISTINCT ?m WHERE {{ ?m prov:wasGeneratedBy ?s }} LIMIT {MAX_LIST}", iri)
        lab = labelled(store, [r.m for r in rows])
        ctx["appointments"] = [lab.term(r.m) for r in rows]
    elif kind == "programme":
        ctx["grants"] = grants_for(store, [iri]).get(str(iri), [])
    elif kind == "judgement":
        grade = next((v for g in d["outgoing"] if g["property"]["iri"].endswith("cs#grade") for v in g["values"]), None)
        ctx["grade"] = grade_key(grade["iri"]) if grade else None
    return ctx


def resource(store: Store, iri: URIRef, d: dict | None = None) -> dict:
    return {"page": "resource", "entity": _head(d or describe(store, iri)), "statements": d or describe(store, iri)}


# ------------------------------------------------------------------------------------------ report viewer


def report(store: Store, iri: URIRef, d: dict | None = None) -> dict:
    d = d or describe(store, iri, incoming=PAGE_INCOMING)
    meta = _profile(
        d,
        {
            "http://purl.org/dc/terms/date": "Date",
            "http://purl.org/dc/terms/publisher": "Publisher",
            "https://w3id.org/cskg/def/cs#committee": "Committee",
            "https://w3id.org/cskg/def/cs#portfolio": "Portfolio",
            "http://purl.org/dc/terms/creator": "Author",
            "https://w3id.org/cskg/def/cs#contactOfficer": "Contact officer",
            "https://w3id.org/cskg/def/cs#sourceFile": "Source file",
            "http://purl.org/dc/terms/format": "Format",
            str(SDO.numberOfPages): "Pages",
            "https://w3id.org/cskg/def/cs#sha256": "SHA-256",
        },
    )
    graph_rows = _rows(store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s a schema:Report } }", iri)
    text_rows = _rows(
        store, "SELECT ?t ?text WHERE { ?s cs:textRendition ?t OPTIONAL { ?t schema:text ?text } } LIMIT 1", iri
    )
    text_node = text_rows[0].t if text_rows else None
    text = str(text_rows[0].text) if text_rows and text_rows[0].text is not None else ""
    facts = report_facts(store, text_node, len(text)) if text_node is not None else []
    return {
        "page": "report",
        "entity": _head(d),
        "metadata": meta,
        "graphs": [str(r.g) for r in graph_rows],
        "text_length": len(text),
        "segments": segments(text, facts),
        "facts": facts,
        "mentions": [
            v for g in d["outgoing"] if g["property"]["iri"].endswith("cs#mentions") for v in g["values"]
        ][:MAX_LIST],
    }


def report_facts(store: Store, text_node: URIRef, text_len: int) -> list[dict]:
    rows = list(
        store.query(
            """SELECT DISTINCT ?ev ?start ?end ?quote ?fact WHERE {
                 ?ev oa:hasSource ?t ; oa:hasSelector ?p . ?p oa:start ?start ; oa:end ?end .
                 OPTIONAL { ?ev oa:hasSelector ?q . ?q oa:exact ?quote }
                 OPTIONAL { ?fact prov:wasDerivedFrom ?ev }
               } LIMIT 20000""",
            bindings={"t": text_node},
        )
    )
    # confidences in a second query: as a nested OPTIONAL Oxigraph read every derivation in the store
    confidence: dict[tuple, Node] = {}
    evidence = list({r.ev for r in rows if r.fact is not None})
    for start in range(0, len(evidence), 400):
        for r in store.query(
            f"""SELECT DISTINCT ?ev ?fact ?conf WHERE {{ {values('ev', evidence[start:start + 400])}
                  ?dv prov:entity ?ev ; cs:confidence ?conf . ?fact prov:qualifiedDerivation ?dv }}"""
        ):
            confidence[(r.fact, r.ev)] = r.conf
    lab = labelled(store, [r.fact for r in rows if r.fact is not None])
    by: dict[tuple[int, int], dict] = {}
    for r in rows:
        start, end = int(r.start), int(r.end)
        if not 0 <= start < end <= text_len:
            continue
        ev = by.setdefault(
            (start, end),
            {"anchor": f"ev-{start}-{end}", "start": start, "end": end, "quote": str(r.quote or ""), "facts": []},
        )
        if r.fact is not None and all(f["iri"] != str(r.fact) for f in ev["facts"]):
            kind = main_type(lab.types(r.fact))
            ev["facts"].append(
                {
                    "iri": str(r.fact),
                    "label": lab.label(r.fact),
                    "type": kind,
                    "type_name": TYPE_NAMES.get(kind or "", "Fact"),
                    "confidence": float(conf) if (conf := confidence.get((r.fact, r.ev))) is not None else None,
                }
            )
    out = sorted(by.values(), key=lambda e: (e["start"], -e["end"]))
    for e in out:
        e["facts"].sort(key=lambda f: (f["type_name"], f["label"]))
    return out


def segments(text: str, facts: list[dict]) -> list[dict]:
    """The text cut at every evidence boundary; each piece lists the spans covering it, and the
    first piece of each span carries that span's anchor (so overlapping spans still work)."""
    cuts = {0, len(text)}
    for f in facts:
        cuts.update((f["start"], f["end"]))
    cuts = sorted(cuts)
    starts: dict[int, list[str]] = defaultdict(list)
    for f in facts:
        starts[f["start"]].append(f["anchor"])
    out = []
    for a, b in zip(cuts, cuts[1:]):
        if a == b:
            continue
        covering = [f["anchor"] for f in facts if f["start"] <= a and b <= f["end"]]
        out.append({"text": text[a:b], "spans": covering, "anchors": starts.get(a, []) if covering else []})
    return out


# ------------------------------------------------------------------------------------------ search


SEARCH_TYPES = ["council", "person", "organisation", "programme", "report", "legislation", "concept", "quote"]


_WIDE = re.compile("[^\x00-\xff]")
# the Latin-1 characters lower() changes (each to one Latin-1 character)
_CASED = re.compile("[A-Z\xc0-\xd6\xd8-\xde]")


def _lower1(c: str) -> str:
    low = c.lower()
    return low if len(low) == 1 else c


class QuoteIndex:
    """Every evidence quote of the store, lower-cased, in one byte string, with arrays of where
    each quote starts, its report and its span: a tuple of strings a quote held about 340,000
    quotes of a 10,000-report store in hundreds of megabytes.

    One byte a character: a character past Latin-1 (a few typographic ones, ’ – •: 27,000 in
    49 million at 10,000 reports) is a mark, and the few characters lower-casing changed (capitals:
    2.1 million) are kept aside by position, both to give the quotes back as they were; a copy of
    the text as it was took 49 MB more (98 MB when it was a str, two bytes a character for them)."""

    SEP = "\x00"
    WIDE = "\x1a"  # stands for any character past Latin-1

    def __init__(self, rows: Iterable[tuple[str, str, int | None, int | None]], titles: dict[str, str]) -> None:
        reports: dict[str, int] = {}
        self.offsets = array("q")
        self.report = array("l")
        self.span = array("q")
        # appended to quote by quote, never joined: the peak of the build stays near what is kept
        self.low = bytearray()
        self.case_at = array("I")  # where lower-casing changed the text, and what stood there
        self.case_was = bytearray()
        self.wide_at = array("q")  # where a mark stands for one of `wide`
        wide: list[str] = []
        sep = self.SEP.encode()
        pos = 0
        for quote, rep, start, end in rows:
            quote = quote.replace(self.SEP, " ")
            self.offsets.append(pos)
            self.report.append(reports.setdefault(rep, len(reports)))
            self.span.extend((start, end) if start is not None else (-1, -1))
            low = quote.lower()
            # a few characters lower-case to two (İ): keep those as they are so offsets agree
            if len(low) != len(quote):
                low = "".join(_lower1(c) for c in quote)
            if not quote.isascii():
                for m in _WIDE.finditer(quote):
                    self.wide_at.append(pos + m.start())
                    wide.append(m.group())
                quote = _WIDE.sub(self.WIDE, quote)
                # searched as a mark, then checked against the quote as it was
                low = _WIDE.sub(self.WIDE, low)
            if self.case_at.typecode == "I" and pos + len(quote) > 0xFFFFFFFF:
                self.case_at = array("q", self.case_at)  # past 4 G characters
            for m in _CASED.finditer(quote):
                self.case_at.append(pos + m.start())
                self.case_was.append(ord(m.group()))
            self.low += low.encode("latin-1")
            self.low += sep
            pos += len(quote) + 1
        self.offsets.append(pos)
        self.wide = "".join(wide)
        self.reports = [(iri, titles.get(iri) or humanise(iri)) for iri in reports]

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def quote_text(self, a: int, b: int) -> str:
        """The text from position a to b as it was."""
        buf = self.low[a:b]
        i, j = bisect_left(self.case_at, a), bisect_left(self.case_at, b)
        for n in range(i, j):
            buf[self.case_at[n] - a] = self.case_was[n]
        out = buf.decode("latin-1")
        i, j = bisect_left(self.wide_at, a), bisect_left(self.wide_at, b)
        if i == j:
            return out
        chars = list(out)
        for n in range(i, j):
            chars[self.wide_at[n] - a] = self.wide[n]
        return "".join(chars)

    def _marked(self, p: int) -> str:
        """The character behind the mark at position p: a wide one, or a mark that was in the text."""
        n = bisect_left(self.wide_at, p)
        return self.wide[n] if n < len(self.wide_at) and self.wide_at[n] == p else self.WIDE

    def find(self, ql: str) -> Iterator[tuple[int, int]]:
        """(quote number, position in that quote) of the first match in each quote holding `ql`."""
        if not ql or self.SEP in ql:
            return
        key = _WIDE.sub(self.WIDE, ql)
        # where the key holds a mark, the character that stood in the quote decides
        marks = [(i, c) for i, c in enumerate(ql) if key[i] == self.WIDE]
        key_bytes = key.encode("latin-1")
        at = self.low.find(key_bytes)
        while at >= 0:
            if marks and any(_lower1(self._marked(at + i)) != c for i, c in marks):
                at = self.low.find(key_bytes, at + 1)  # another wide character stood there
                continue
            k = bisect_right(self.offsets, at) - 1
            yield k, at - self.offsets[k]
            at = self.low.find(key_bytes, self.offsets[k + 1])

    def hit(self, k: int, pos: int, n: int) -> dict:
        quote = self.quote_text(self.offsets[k], self.offsets[k + 1] - 1)
        rep, title = self.reports[self.report[k]]
        start, end = self.span[2 * k], self.span[2 * k + 1]
        a, b = max(0, pos - 60), pos + n + 60
        return {
            "iri": rep,
            "label": title,
            "type": "quote",
            "type_name": "Evidence quote",
            "rank": 4,
            "anchor": f"ev-{start}-{end}" if start >= 0 else "",
            "before": ("…" if a else "") + quote[a:pos],
            "match": quote[pos : pos + n],
            "after": quote[pos + n : b] + ("…" if b < len(quote) else ""),
        }


def search_index(store: Store) -> dict:
    """Every label and every evidence quote, read once per store state."""

    def build() -> dict:
        # plain strings, not rdflib terms: converting every label and quote of a large store cost
        # more than running the queries
        rows = string_rows(
            store,
            # DISTINCT: the union default graph repeats a triple once per named graph holding it
            """SELECT DISTINCT ?s ?p ?l ?t WHERE { VALUES ?p { skos:prefLabel skos:altLabel foaf:name schema:name dcterms:title }
                 ?s ?p ?l . FILTER(isIRI(?s)) OPTIONAL { ?s a ?t } }""",
        )
        alt = str(SKOS.altLabel)
        types: dict[str, set] = defaultdict(set)
        labels: dict[str, set] = defaultdict(set)
        primary: dict[str, str] = {}
        for s, p, lbl, t in rows:
            labels[s].add(lbl)
            if p != alt and (s not in primary or p == str(SKOS.prefLabel)):
                primary[s] = lbl
            if t is not None:
                types[s].add(URIRef(t))
        names = []
        for s, ls in labels.items():
            kind = main_type(types[s]) or "other"
            if kind in ("evidence", "text", "membership"):
                continue
            preferred = primary.get(s) or sorted(ls, key=len)[0]
            for lbl in ls:
                names.append((lbl.lower(), lbl, s, kind, preferred))
        titles = dict(string_rows(store, "SELECT ?rep ?title WHERE { ?rep cs:textRendition ?t ; dcterms:title ?title }"))
        qrows = string_rows(
            store,
            # start from the few renditions: Oxigraph joins in written order, and starting from every
            # annotation made this query take tens of seconds on a 200-report store
            # no DISTINCT (it held every row of the store's quotes at once: the peak of serve's
            # memory); the union holds each statement once, and an annotation's rows come together
            # so a repeat is dropped by comparing with the previous row. One pattern per OPTIONAL
            # level: with three side by side Oxigraph read every position selector in the store.
            """SELECT ?ev ?quote ?start ?end ?rep WHERE {
                 ?rep cs:textRendition ?t . ?ev oa:hasSource ?t ; oa:hasSelector ?q . ?q oa:exact ?quote .
                 OPTIONAL { ?ev oa:hasSelector ?p . OPTIONAL { ?p oa:start ?start } OPTIONAL { ?p oa:end ?end }
                            FILTER(BOUND(?start) && BOUND(?end)) } }""",
        )

        quotes = QuoteIndex(
            ((quote, rep, int(start) if start is not None else None, int(end) if end is not None else None)
             for (_ev, quote, start, end, rep), _ in groupby(qrows)),
            titles,
        )
        return {"names": names, "quotes": quotes}

    return cached(store, "search_index", build)


def search(store: Store, q: str, *, types: list[str] | None = None, limit: int = 50) -> dict:
    """Ranked: exact label, then label prefix, then a word of the label starting with the query,
    then label containing it, then evidence quotes containing it."""
    q = " ".join(q.split())
    ql = q.lower()
    wanted = set(types or [])
    counts: dict[str, int] = defaultdict(int)
    if not ql:
        return {"q": q, "types": sorted(wanted), "results": [], "counts": {}, "total": 0}
    best: dict[str, tuple] = {}
    idx = search_index(store)
    for low, lbl, iri, kind, preferred in idx["names"]:
        pos = low.find(ql)
        if pos < 0:
            continue
        if low == ql:
            rank = 0
        elif pos == 0:
            rank = 1
        elif f" {ql}" in f" {low}":
            rank = 2
        else:
            rank = 3
        key = (rank, len(lbl), lbl.lower())
        if iri not in best or key < best[iri][0]:
            best[iri] = (key, {"iri": iri, "label": preferred, "matched": lbl, "type": kind,
                               "type_name": TYPE_NAMES.get(kind, "Other"), "rank": rank})
    results = [v for _k, v in sorted(best.values(), key=lambda kv: kv[0])]
    for r in results:
        counts[r["type"]] += 1
    if wanted:
        results = [r for r in results if r["type"] in wanted]
    total = len(results)
    show_quotes = not wanted or "quote" in wanted
    # every matching quote is counted (the type filters show the counts), but only those shown are
    # cut out of the index
    quotes = idx["quotes"]
    for k, pos in quotes.find(ql):
        counts["quote"] += 1
        if show_quotes and len(results) < limit:
            results.append(quotes.hit(k, pos, len(ql)))
    if show_quotes:
        total += counts["quote"]
    return {
        "q": q,
        "types": sorted(wanted),
        "results": results[:limit],
        "total": total,
        "counts": {k: v for k, v in counts.items() if v},
    }
