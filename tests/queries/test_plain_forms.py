"""Library queries written for Oxigraph's planner give the rows of their plain forms.

people-at-a-council and people-linking-councils read their links in subqueries, step by step and
from the rarer side (docs/writing-queries.md); the plain forms below say the same thing the
obvious way. Both run on a store built to hold every case the rewrites could get wrong: dates in
each of the three forms, a start without an end and an end without a start, a role with no label,
a person named by reports of several councils, an organisation named by them too
(not a person: never listed), a report without a publisher, a lead inspector, and a person who
links councils only through roles.

interventions gives one row per intervention (and per combination of its council, type, dates and
issuer), with one of its sentences and their count: the check below holds it to the plain form's
interventions and sentences on the samples and on a store built for the cases: an intervention
with no evidence, one whose two evidence nodes quote the same words, one stated by several
sentences, and one with two start dates.

reports-mentioning-an-act reads each citation with the graph that states it, and finds the
sentence in that graph; it runs against its plain form (through the report's text rendition) on
the samples, and on two reports citing one Act in sentences of their own.

inspection-recommendations sorts and cuts its page before reading each recommendation's
sentences; without the cut it gives its plain form's rows, and with it the plain form's first
rows, up to ties.

council-inspection-timeline sorts and cuts its page of inspections before reading their
judgements; without the cut it gives its plain form's rows, and with it the plain form's first
rows, up to ties.

report-facts matches its reports by scanning file names and titles, joins its parameter to
steer Oxigraph's join order, and reads each report's facts, evidence and quotes inside the
report's own graph, where the plain form reads them in the union; it runs against its plain form
on the sample reports with the reference data loaded, whose facts are real extractions: text
found in file names, in a title only ("Cassidy"), in both, in every report, and in none."""

from __future__ import annotations

import pytest

from graph.query import coerce_param, resolve_query
from graph.store import OxigraphStore
from ontology.namespace import CS, DCTERMS, FOAF, OA, ORG, PROV, RDF, ROLE, SDO, SKOS, TIME, XSD

EX = "http://example.org/"

PLAIN_PEOPLE_AT_A_COUNCIL = """
SELECT DISTINCT ?organisation ?organisationName ?person ?name ?roleLabel ?title ?start ?end WHERE {
  ?membership a org:Membership ; org:organization ?organisation ; org:member ?person ; org:role ?role .
  ?organisation skos:prefLabel ?organisationName .
  FILTER(CONTAINS(LCASE(STR(?organisationName)), LCASE(STR(?organisation_name))))
  ?person foaf:name ?name .
  OPTIONAL { ?role skos:prefLabel ?rl }
  BIND(COALESCE(?rl, STRAFTER(STR(?role), "role/")) AS ?roleLabel)
  OPTIONAL { ?membership cs:roleTitle ?title }
  OPTIONAL { ?membership org:memberDuring/time:hasBeginning/(time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear) ?start }
  OPTIONAL { ?membership org:memberDuring/time:hasEnd/(time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear) ?end }
}"""

PLAIN_PEOPLE_LINKING_COUNCILS = """
SELECT DISTINCT ?person ?name ?councils ?council ?councilName ?link WHERE {
  {
    SELECT ?person (COUNT(DISTINCT ?c) AS ?councils) WHERE {
      { ?m org:organization ?c ; org:member ?person }
      UNION { ?i cs:inspectedOrganisation ?c ; cs:leadInspector ?person FILTER(?include_inspectors) }
      UNION { ?r dcterms:publisher ?c ; cs:mentions ?person }
      ?c a cs:LocalAuthority .
    } GROUP BY ?person
    HAVING (COUNT(DISTINCT ?c) >= ?min_councils)
  }
  { ?m2 org:organization ?council ; org:member ?person BIND("held a role" AS ?link) }
  UNION { ?i2 cs:inspectedOrganisation ?council ; cs:leadInspector ?person FILTER(?include_inspectors) BIND("led an inspection" AS ?link) }
  UNION { ?r2 dcterms:publisher ?council ; cs:mentions ?person BIND("named in a report" AS ?link) }
  ?council a cs:LocalAuthority ; skos:prefLabel ?councilName .
  ?person foaf:name ?name .
}"""


PLAIN_REPORT_FACTS = """
SELECT DISTINCT ?report ?title ?start ?kind ?fact ?quote WHERE {
  ?report a schema:Report ; cs:sourceFile ?file .
  OPTIONAL { ?report dcterms:title ?t }
  FILTER(CONTAINS(LCASE(STR(?file)), LCASE(STR(?report_name))) || CONTAINS(LCASE(STR(COALESCE(?t, ""))), LCASE(STR(?report_name))))
  BIND(COALESCE(STR(?t), STR(?file)) AS ?title)
  ?report cs:textRendition ?rendition .
  ?ev oa:hasSource ?rendition .
  ?fact prov:wasDerivedFrom ?ev ; a ?class .
  VALUES (?class ?kind) {
    (org:Membership "role") (cs:Inspection "inspection") (cs:Judgement "judgement") (cs:Recommendation "recommendation")
    (cs:Intervention "intervention") (cs:Programme "programme") (schema:MonetaryGrant "funding") (schema:MonetaryAmount "money")
    (schema:Legislation "legislation") (org:ChangeEvent "organisational change")
  }
  ?ev oa:hasSelector ?byQuote . ?byQuote oa:exact ?quote .
  ?ev oa:hasSelector ?byPosition . ?byPosition oa:start ?start .
}"""

PLAIN_INSPECTION_RECOMMENDATIONS = """
SELECT DISTINCT ?council ?name ?inspection ?date ?position ?recommendation ?text ?quote ?report WHERE {
  ?recommendation a cs:Recommendation .
  { ?recommendation cs:inspection ?inspection . ?inspection cs:inspectedOrganisation ?council .
    OPTIONAL { ?inspection schema:startDate ?start }
    OPTIONAL { ?inspection cs:publicationDate ?published }
    BIND(STR(COALESCE(?start, ?published)) AS ?date) }
  UNION
  { ?recommendation cs:raisedBy ?council .
    FILTER NOT EXISTS { ?recommendation cs:inspection/cs:inspectedOrganisation ?other }
    OPTIONAL { ?recommendation cs:inspection ?inspection } }
  ?council skos:prefLabel ?name .
  FILTER(CONTAINS(LCASE(STR(?name)), LCASE(STR(?council_name))))
  OPTIONAL { ?recommendation schema:position ?position }
  OPTIONAL { ?recommendation dcterms:description ?text }
  OPTIONAL { ?recommendation prov:wasDerivedFrom ?ev .
             OPTIONAL { ?ev oa:hasSelector/oa:exact ?quote }
             OPTIONAL { ?ev oa:hasSource ?rendition . ?report cs:textRendition ?rendition } }
}
ORDER BY ?name ?date ?position"""

PLAIN_COUNCIL_INSPECTION_TIMELINE = """
SELECT DISTINCT ?council ?name ?date ?inspection ?typeLabel ?areaLabel ?gradeLabel WHERE {
  ?council a cs:LocalAuthority ; skos:prefLabel ?name .
  FILTER(CONTAINS(LCASE(STR(?name)), LCASE(STR(?council_name))))
  ?inspection cs:inspectedOrganisation ?council ; a cs:Inspection .
  OPTIONAL { ?j cs:inspection ?inspection ; cs:grade ?grade .
             OPTIONAL { ?j cs:judgementArea ?area . OPTIONAL { ?area skos:prefLabel ?al } }
             OPTIONAL { ?grade skos:prefLabel ?gl } }
  OPTIONAL { ?inspection schema:startDate ?start }
  OPTIONAL { ?inspection cs:publicationDate ?published }
  OPTIONAL { ?inspection dcterms:type ?type . OPTIONAL { ?type skos:prefLabel ?tl } }
  BIND(STR(COALESCE(?start, ?published)) AS ?date)
  BIND(COALESCE(?tl, STRAFTER(STR(?type), "inspection-type/")) AS ?typeLabel)
  BIND(COALESCE(?al, STRAFTER(STR(?area), "area/")) AS ?areaLabel)
  BIND(COALESCE(?gl, STRAFTER(STR(?grade), "grade/")) AS ?gradeLabel)
}
ORDER BY ?name ?date ?areaLabel"""

PLAIN_REPORTS_MENTIONING_AN_ACT = """
SELECT DISTINCT ?act ?actName ?report ?title ?date ?publisherName ?quote WHERE {
  ?act a schema:Legislation ; schema:name ?actName .
  FILTER(CONTAINS(LCASE(STR(?actName)), LCASE(STR(?act_name))))
  ?report dcterms:references ?act .
  OPTIONAL { ?report dcterms:date ?date }
  OPTIONAL { ?report dcterms:title ?title }
  OPTIONAL { ?report dcterms:publisher ?publisher . OPTIONAL { ?publisher skos:prefLabel ?publisherName } }
  OPTIONAL { ?act prov:wasDerivedFrom ?ev . ?ev oa:hasSource ?rendition . ?report cs:textRendition ?rendition .
             OPTIONAL { ?ev oa:hasSelector/oa:exact ?quote } }
}"""

PLAIN_INTERVENTIONS = """
SELECT DISTINCT ?intervention ?council ?name ?typeLabel ?start ?end ?issuerName WHERE {
  ?intervention a cs:Intervention ; cs:subjectOrganisation ?council . ?council skos:prefLabel ?name .
  OPTIONAL { ?intervention dcterms:type ?type OPTIONAL { ?type skos:prefLabel ?tl } }
  OPTIONAL { ?intervention schema:startDate ?start }
  OPTIONAL { ?intervention schema:endDate ?end }
  OPTIONAL { ?intervention prov:wasAssociatedWith ?issuer OPTIONAL { ?issuer skos:prefLabel ?issuerName } }
  BIND(COALESCE(?tl, STRAFTER(STR(?type), "intervention-type/")) AS ?typeLabel)
}"""

PLAIN_INTERVENTION_SENTENCES = """
SELECT ?intervention ?ev ?quote WHERE {
  ?intervention a cs:Intervention ; prov:wasDerivedFrom ?ev .
  OPTIONAL { ?ev oa:hasSelector ?selector . ?selector oa:exact ?quote }
}"""


def _triples() -> list[str]:
    t: list[str] = []

    def add(s, p, o):
        t.append(f"<{s}> <{p}> {o} .")

    councils = [f"{EX}council/{i}" for i in range(4)]
    for i, c in enumerate(councils):
        add(c, RDF.type, f"<{CS.LocalAuthority}>")
        add(c, SKOS.prefLabel, f'"Council {"ABCD"[i]} Borough"')
    add(f"{EX}org/dfe", SKOS.prefLabel, '"Department for Education"')  # an organisation, not a council
    people = [f"{EX}person/{i}" for i in range(8)]
    for i, p in enumerate(people):
        add(p, FOAF.name, f'"Person {i}"')
    add(people[7], FOAF.name, '"Person Seven"')  # two spellings of one name
    add(ROLE["director-of-childrens-services"], SKOS.prefLabel, '"Director of children\'s services"')
    dates = [f'"2019-03-01"^^<{XSD.date}>', f'"2018-11"^^<{XSD.gYearMonth}>', f'"2017"^^<{XSD.gYear}>']
    roles = [ROLE["director-of-childrens-services"], ROLE["lead-member"]]  # the second has no label
    n = 0
    for i, p in enumerate(people[:6]):
        for k in range(1 + i % 3):
            m = f"{EX}membership/{n}"
            org = councils[(i + k) % 4] if (i + k) % 5 else f"{EX}org/dfe"
            add(m, RDF.type, f"<{ORG.Membership}>")
            add(m, ORG.member, f"<{p}>")
            add(m, ORG.organization, f"<{org}>")
            add(m, ORG.role, f"<{roles[n % 2]}>")
            if n % 3:
                add(m, CS.roleTitle, f'"Title {n}"')
            if n % 4 == 2:  # an end without a start
                add(m, ORG.memberDuring, f"<{EX}interval/end-only>")
            elif n % 4 != 3:
                during = f"{EX}interval/{n % 5}"  # intervals shared between memberships
                add(m, ORG.memberDuring, f"<{during}>")
                add(during, TIME.hasBeginning, f"<{EX}instant/{n % 3}>")
                if n % 2:
                    add(during, TIME.hasEnd, f"<{EX}instant/{(n + 1) % 3}>")
            n += 1
    add(f"{EX}interval/end-only", TIME.hasEnd, f"<{EX}instant/2>")
    for j, d in enumerate(dates):
        add(f"{EX}instant/{j}", [TIME.inXSDDate, TIME.inXSDgYearMonth, TIME.inXSDgYear][j], d)
    # reports: people 5, 6 and 7, and the DfE, named by reports of several councils
    for r in range(12):
        report = f"{EX}report/{r}"
        if r != 11:  # the last has no publisher
            add(report, DCTERMS.publisher, f"<{councils[r % 4]}>")
        for p in (people[5], people[6 + r % 2], f"{EX}org/dfe"):
            add(report, CS.mentions, f"<{p}>")
    add(f"{EX}inspection/1", CS.inspectedOrganisation, f"<{councils[3]}>")
    add(f"{EX}inspection/1", CS.leadInspector, f"<{people[0]}>")
    add(f"{EX}inspection/2", CS.inspectedOrganisation, f"<{councils[2]}>")
    add(f"{EX}inspection/2", CS.leadInspector, f"<{people[0]}>")
    # interventions: 0 has no evidence; 1 has two evidence nodes quoting the same words; 2 is
    # stated by three sentences and has two start dates; 3 has no type label, dates or issuer
    for i in range(4):
        iv = f"{EX}intervention/{i}"
        add(iv, RDF.type, f"<{CS.Intervention}>")
        add(iv, CS.subjectOrganisation, f"<{councils[i]}>")
        if i < 3:
            add(iv, DCTERMS.type, f"<{EX}intervention-type/statutory-direction>")
            add(iv, SDO.startDate, f'"201{i}-04-01"^^<{XSD.date}>')
            add(iv, PROV.wasAssociatedWith, f"<{EX}org/dfe>")
        else:
            add(iv, DCTERMS.type, f"<{EX}intervention-type/improvement-notice>")
    add(f"{EX}intervention-type/statutory-direction", SKOS.prefLabel, '"Statutory direction"')
    add(f"{EX}intervention/2", SDO.startDate, f'"2013-01-01"^^<{XSD.date}>')
    add(f"{EX}intervention/2", SDO.endDate, f'"2016-01-01"^^<{XSD.date}>')
    for iv, quotes in ((1, ["A direction was issued.", "A direction was issued."]), (2, ["One.", "Two.", "Three."])):
        for k, quote in enumerate(quotes):
            ev, sel, pos = f"{EX}ev/{iv}-{k}", f"{EX}sel/{iv}-{k}", f"{EX}pos/{iv}-{k}"
            add(f"{EX}intervention/{iv}", PROV.wasDerivedFrom, f"<{ev}>")
            add(ev, OA.hasSelector, f"<{sel}>")
            add(ev, OA.hasSelector, f"<{pos}>")
            add(sel, OA.exact, f'"{quote}"')
            add(pos, OA.start, f'"{k}"^^<{XSD.integer}>')
    return t


@pytest.fixture(scope="module")
def cases_store():
    s = OxigraphStore(None)
    s.ox.update("INSERT DATA {\n" + "\n".join(_triples()) + "\n}")  # the default graph is the union
    yield s
    s.close()


def _row_list(store, sparql, declared, params):
    bindings = {k: coerce_param(params.get(k, d), t) for k, (t, d) in declared.items()}
    result = store.query(sparql, bindings=bindings)
    return [tuple(None if row[v] is None else str(row[v]) for v in result.vars) for row in result]


def _rows(store, sparql, declared, params):
    return set(_row_list(store, sparql, declared, params))


@pytest.mark.parametrize("name, plain, params", [
    ("people-at-a-council", PLAIN_PEOPLE_AT_A_COUNCIL, {}),
    ("people-at-a-council", PLAIN_PEOPLE_AT_A_COUNCIL, {"organisation_name": "council a"}),
    ("people-at-a-council", PLAIN_PEOPLE_AT_A_COUNCIL, {"organisation_name": "education"}),
    ("people-linking-councils", PLAIN_PEOPLE_LINKING_COUNCILS, {}),
    ("people-linking-councils", PLAIN_PEOPLE_LINKING_COUNCILS, {"min_councils": "1"}),
    ("people-linking-councils", PLAIN_PEOPLE_LINKING_COUNCILS, {"min_councils": "3", "include_inspectors": "true"}),
])
def test_a_library_query_gives_the_rows_of_its_plain_form(cases_store, name, plain, params):
    sparql, declared = resolve_query(name)
    got = _rows(cases_store, sparql, declared, params)
    want = _rows(cases_store, plain, declared, params)
    assert got == want
    assert len(want) >= 2, "the case store exercises the query"


def test_the_case_store_holds_the_cases(cases_store):
    """Dates of each form, a start without an end and the reverse, and a person whose count
    changes with the inspections: otherwise the comparisons above could pass on empty columns."""
    sparql, declared = resolve_query("people-at-a-council")
    rows = _rows(cases_store, sparql, declared, {})
    starts = {r[6] for r in rows} - {None}
    ends = {r[7] for r in rows} - {None}
    assert {"2019-03-01", "2018-11", "2017"} <= starts | ends
    assert any(r[6] and not r[7] for r in rows) and any(r[7] and not r[6] for r in rows)
    assert any(r[4] == "lead-member" for r in rows)  # the role without a label
    sparql, declared = resolve_query("people-linking-councils")
    without = _rows(cases_store, sparql, declared, {"min_councils": "1"})
    with_inspectors = _rows(cases_store, sparql, declared, {"min_councils": "1", "include_inspectors": "true"})
    assert any(r[5] == "led an inspection" for r in with_inspectors - without)
    assert all(not r[0].endswith("org/dfe") for r in without | with_inspectors)


@pytest.mark.parametrize("report_name", ["Sussex", "slough-2017", "Cassidy", "Children", "", "no report is called this"])
def test_report_facts_gives_the_rows_of_its_plain_form(sample_store, report_name):
    sparql, declared = resolve_query("report-facts")
    params = {"report_name": report_name}
    sparql = sparql.replace("LIMIT 5000", "LIMIT 100000")  # every row, not the page
    got = _rows(sample_store, sparql, declared, params)
    want = _rows(sample_store, PLAIN_REPORT_FACTS, declared, params)
    assert got == want
    assert (len(want) >= 10) == (report_name != "no report is called this")


@pytest.mark.parametrize("act_name", ["Act", "children act", "", "no act is called this"])
def test_reports_mentioning_an_act_gives_the_rows_of_its_plain_form(sample_store, act_name):
    """The library form reads each citation with the graph stating it and finds the sentence in
    that graph (the report's own); the plain form finds it through the report's text rendition."""
    sparql, declared = resolve_query("reports-mentioning-an-act")
    params = {"act_name": act_name}
    want = _rows(sample_store, PLAIN_REPORTS_MENTIONING_AN_ACT, declared, params)
    assert _rows(sample_store, sparql, declared, params) == want
    assert bool(want) == (act_name != "no act is called this")
    assert act_name == "no act is called this" or any(r[6] for r in want), "the sentences are compared too"


def test_reports_mentioning_an_act_quotes_each_report_s_own_sentence():
    """Two reports cite one Act, each in a sentence of its own (in its own graph, as the loader
    writes them; the default graph holds their union): each row quotes its report's sentence."""
    blocks, union = [], []
    for i in (1, 2):
        graph, report, text, ev, sel = (f"{EX}graph/{i}", f"{EX}report/{i}", f"{EX}text/{i}", f"{EX}ev/act-{i}",
                                        f"{EX}sel/act-{i}")
        triples = [
            f"<{report}> <{RDF.type}> <{SDO.Report}> .", f"<{report}> <{DCTERMS.references}> <{EX}act/1> .",
            f'<{report}> <{DCTERMS.title}> "Report {i}" .', f"<{report}> <{CS.textRendition}> <{text}> .",
            f"<{EX}act/1> <{RDF.type}> <{SDO.Legislation}> .", f'<{EX}act/1> <{SDO.name}> "Children Act 1989" .',
            f"<{EX}act/1> <{PROV.wasDerivedFrom}> <{ev}> .", f"<{ev}> <{OA.hasSource}> <{text}> .",
            f"<{ev}> <{OA.hasSelector}> <{sel}> .", f'<{sel}> <{OA.exact}> "Report {i} cites the Children Act 1989." .',
        ]
        blocks.append(f"GRAPH <{graph}> {{\n" + "\n".join(triples) + "\n}")
        union += triples
    store = OxigraphStore(None)
    try:
        store.ox.update("INSERT DATA {\n" + "\n".join(blocks + union) + "\n}")
        sparql, declared = resolve_query("reports-mentioning-an-act")
        params = {"act_name": "children act"}
        rows = _rows(store, sparql, declared, params)
        assert rows == _rows(store, PLAIN_REPORTS_MENTIONING_AN_ACT, declared, params)
        assert {(r[3], r[6]) for r in rows} == {(f"Report {i}", f"Report {i} cites the Children Act 1989.") for i in (1, 2)}
    finally:
        store.close()


# queries that sort and cut their page in a subquery before reading the details of each row:
# name -> (plain form, the plain form's sort key of a row, the page sizes tried)
PAGE_CUTTERS = {
    "inspection-recommendations": (PLAIN_INSPECTION_RECOMMENDATIONS,
                                   lambda r: (r[1], r[3] or "", int(r[4]) if r[4] else -1), (1, 7, 15)),  # name, date, position
    "council-inspection-timeline": (PLAIN_COUNCIL_INSPECTION_TIMELINE, lambda r: (r[1], r[2] or ""), (1, 7, 40, 400)),  # name, date
}


@pytest.mark.parametrize("council_name", ["Sussex", "slough", "", "no council is called this"])
@pytest.mark.parametrize("name", list(PAGE_CUTTERS))
def test_a_query_cutting_its_page_early_gives_the_rows_of_its_plain_form_without_the_cut(sample_store, name, council_name):
    plain = PAGE_CUTTERS[name][0]
    sparql, declared = resolve_query(name)
    params = {"council_name": council_name}
    everything = sparql.replace("LIMIT 2000", "LIMIT 100000")  # every row: no page cut
    want = _rows(sample_store, plain, declared, params)
    assert _rows(sample_store, everything, declared, params) == want
    assert (len(want) >= 5) == (council_name != "no council is called this")


@pytest.mark.parametrize("name, page", [(n, p) for n, (_, _, pages) in PAGE_CUTTERS.items() for p in pages])
def test_a_query_cutting_its_page_early_gives_the_first_rows_of_its_plain_form(sample_store, name, page):
    """The query sorts and cuts its things (recommendations, inspections), then reads each one's
    details (a row or more each). Its page must be the plain form's first rows up to ties: rows of
    the plain form, whose sort keys are those of the plain form's first rows, in order."""
    plain, key, pages = PAGE_CUTTERS[name]
    sparql, declared = resolve_query(name)
    assert sparql.count("LIMIT 2000") == 2, "the page is cut in the subquery and again at the end"
    params = {"council_name": ""}
    got = _row_list(sample_store, sparql.replace("LIMIT 2000", f"LIMIT {page}"), declared, params)
    first = _row_list(sample_store, plain + f"\nLIMIT {page}", declared, params)
    everything = _rows(sample_store, plain, declared, params)
    assert len(everything) > max(pages) and len(got) == len(first) == page
    assert set(got) <= everything
    assert sorted(map(key, got)) == sorted(map(key, first))
    assert [key(r) for r in got] == sorted(map(key, got)), "the page is in order"


def _check_interventions(store) -> list[tuple]:
    """The library's rows are the plain form's, once each, each with one of the intervention's
    quotes (none when it has none) and the number of its evidence nodes; returns the rows."""
    sparql, declared = resolve_query("interventions")
    sparql = sparql.replace("LIMIT 1000", "LIMIT 100000")  # every row, not the page
    rows = _row_list(store, sparql, declared, {})
    want = _rows(store, PLAIN_INTERVENTIONS, {}, {})
    assert len(rows) == len(want), "one row per intervention (and combination of its details)"
    assert {r[:7] for r in rows} == want
    quotes: dict[str, set] = {}
    evidence: dict[str, set] = {}
    for iv, ev, quote in _rows(store, PLAIN_INTERVENTION_SENTENCES, {}, {}):
        evidence.setdefault(iv, set()).add(ev)
        if quote is not None:
            quotes.setdefault(iv, set()).add(quote)
    for row in rows:
        iv, quote, sentences = row[0], row[7], row[8]
        assert int(sentences) == len(evidence.get(iv, ())), row
        assert (quote in quotes[iv]) if iv in quotes else quote is None, row
    return rows


def test_interventions_gives_the_interventions_of_its_plain_form_with_one_sentence_each(cases_store, sample_store):
    rows = _check_interventions(cases_store)
    by_iv = {}
    for r in rows:
        by_iv.setdefault(r[0].rsplit("/", 1)[1], []).append(r)
    assert [(r[7], r[8]) for r in by_iv["0"]] == [(None, "0")]  # listed, with no evidence
    assert [(r[7], r[8]) for r in by_iv["1"]] == [("A direction was issued.", "2")]
    assert len(by_iv["2"]) == 2 and {r[8] for r in by_iv["2"]} == {"3"}  # a row per start date
    assert by_iv["3"][0][3] == "improvement-notice" and by_iv["3"][0][4] is None
    assert len(_check_interventions(sample_store)) >= 2  # real extractions (one sentence each)
