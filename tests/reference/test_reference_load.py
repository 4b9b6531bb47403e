"""load-reference into a real Oxigraph store: the acceptance checks, read back with contract terms."""

from __future__ import annotations

import csv

import pytest

from graph.reference import load_reference, reference_loaded
from graph.store import OxigraphStore
from graph.validate import validate_store
from loaders.reference.councils import DATA_DIR

GRADE_WORDS = {"outstanding", "good", "requires improvement", "inadequate"}


@pytest.fixture(scope="module")
def ref_store(tmp_path_factory):
    store = OxigraphStore(tmp_path_factory.mktemp("ref") / "store")
    notes: list[str] = []
    summary = load_reference(store, echo=notes.append)
    store.summary, store.notes = summary, notes
    yield store
    store.close()


def rows(store, sparql: str) -> list[dict[str, str]]:
    result = store.query(sparql)
    return [{str(v): str(r[v]) for v in result.vars if r[v] is not None} for r in result]


def test_reference_loaded_reports_state(tmp_path):
    store = OxigraphStore(tmp_path / "s")
    try:
        assert not reference_loaded(store)
        load_reference(store, echo=lambda _m: None)
        assert reference_loaded(store)
    finally:
        store.close()


def test_second_load_changes_nothing(ref_store):
    before = {(r.graph, r.loaded_at, r.triple_count) for r in ref_store.sources()}
    assert load_reference(ref_store, echo=lambda _m: None).startswith("reference data unchanged")
    assert {(r.graph, r.loaded_at, r.triple_count) for r in ref_store.sources()} == before
    assert "loaded" in ref_store.summary and "ofsted-outcomes" in ref_store.summary


def test_each_dataset_is_its_own_graph_with_provenance(ref_store):
    graphs = {str(r.graph).rsplit("/", 1)[-1]: r for r in ref_store.sources()}
    assert set(graphs) == {"vocabulary", "councils", "ofsted-outcomes"}
    assert all(r.kind == "reference" and r.triple_count > 500 for r in graphs.values())
    found = rows(ref_store, """SELECT ?commit ?licence ?source WHERE { GRAPH ?g {
        ?c cs:gssCode "E06000039" ; prov:wasDerivedFrom ?d . ?d a cs:Dataset ; cs:sourceCommit ?commit ;
        dcterms:license ?licence ; dcterms:source ?source } }""")
    assert {"commit": "67ef8b118938678401a452f4f19f669a7221cc73", "licence": "https://opensource.org/licenses/MIT",
            "source": "https://github.com/mysociety/uk_local_authority_names_and_codes"} in found


def test_all_current_childrens_services_councils_have_codes(ref_store):
    found = rows(ref_store, """SELECT ?c ?gss ?dfe WHERE { ?c a cs:LocalAuthority ; cs:childrensServicesAuthority true
        FILTER NOT EXISTS { ?c schema:dissolutionDate ?end }
        OPTIONAL { ?c cs:gssCode ?gss } OPTIONAL { ?c cs:dfeNumber ?dfe } }""")
    assert len(found) == 153
    assert all(r.get("gss", "").startswith("E") and len(r.get("dfe", "")) == 3 for r in found)


def test_reorganisation_and_neighbours(ref_store):
    bkm = rows(ref_store, """SELECT ?next ?nextgss ?area WHERE { ?c skos:prefLabel "Buckinghamshire County Council" ;
        cs:gssCode "E10000002" ; cs:onsArea ?area ; dcterms:isReplacedBy ?next . ?next cs:gssCode ?nextgss }""")
    assert bkm == [{"next": "https://w3id.org/cskg/id/organisation/buckinghamshire-council", "nextgss": "E06000060",
                    "area": "http://statistics.data.gov.uk/id/statistical-geography/E10000002"}]
    cumbria = rows(ref_store, """SELECT ?n WHERE { ?c cs:gssCode "E10000006" ; dcterms:isReplacedBy/skos:prefLabel ?n }""")
    assert sorted(r["n"] for r in cumbria) == ["Cumberland Council", "Westmorland and Furness Council"]
    neighbours = rows(ref_store, """SELECT ?n WHERE { ?c cs:gssCode "E06000039" ; cs:statisticalNeighbour/skos:prefLabel ?n }""")
    assert len(neighbours) == 10
    alt = rows(ref_store, """SELECT ?alt WHERE { ?c cs:gssCode "E06000058" ; skos:altLabel ?alt }""")
    assert "BCP" in {r["alt"] for r in alt}


def _table_rows():
    with open(DATA_DIR / "ofsted-ilacs-history.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _iso(ddmmyy: str) -> str:
    d, m, y = ddmmyy.split("/")
    return f"{2000 + int(y[-2:]):04d}-{int(m):02d}-{int(d):02d}"


def test_outcomes_table_is_in_the_graph(ref_store):
    """>= 98% of rows: an inspection of the council with that URN, published that day, with the
    row's grades (as a multiset, whatever the area wording)."""
    found = rows(ref_store, """SELECT ?i ?urn ?pub ?grade WHERE {
        ?i a cs:Inspection ; cs:inspectedOrganisation ?c ; cs:publicationDate ?pub .
        ?c cs:ofstedUrn ?urn .
        OPTIONAL { ?j cs:inspection ?i ; cs:grade ?grade } }""")
    graph: dict[tuple[str, str], dict[str, list[str]]] = {}
    for r in found:
        grades = graph.setdefault((r["urn"], r["pub"]), {}).setdefault(r["i"], [])
        if "grade" in r:
            grades.append(r["grade"].rsplit("/", 1)[-1].replace("-", " "))
    table = _table_rows()
    ok = 0
    for row in table:
        expected = sorted(
            g.strip().lower().replace("to requires", "requires")
            for g in (row["overall_effectiveness_grade"], row["impact_of_leaders_grade"],
                      row["help_and_protection_grade"], row["in_care_grade"], row["care_leavers_grade"])
            if g.strip().lower().replace("to requires", "requires") in GRADE_WORDS
        )
        inspections = graph.get((row["urn"], _iso(row["publication_date"])), {})
        if any(sorted(g) == expected for g in inspections.values()):
            ok += 1
    assert ok / len(table) >= 0.98, f"{ok} of {len(table)} rows"


def test_inspections_hang_on_the_council_in_force(ref_store):
    found = rows(ref_store, """SELECT ?name ?type ?pub WHERE { ?i cs:inspectedOrganisation/skos:prefLabel ?name ;
        dcterms:type ?type ; cs:publicationDate ?pub . ?i cs:inspectedOrganisation/cs:ofstedUrn "80442" }""")
    by_date = {r["pub"]: (r["name"], r["type"].rsplit("/", 1)[-1]) for r in found}
    assert by_date["2018-01-29"] == ("Buckinghamshire County Council", "sif")
    assert by_date["2022-02-11"] == ("Buckinghamshire Council", "ilacs-standard")
    councils = rows(ref_store, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?i a cs:Inspection ; cs:inspectedOrganisation ?c }")
    assert int(councils[0]["n"]) >= 150


def test_judgement_areas_follow_the_framework(ref_store):
    found = rows(ref_store, """SELECT ?area ?grade WHERE { ?i cs:inspectedOrganisation/cs:gssCode "E10000032" ;
        cs:publicationDate ?pub ; schema:startDate ?start . FILTER(STR(?pub) = "2019-05-08")
        ?j cs:inspection ?i ; cs:judgementArea ?area ; cs:grade ?grade }""")
    areas = {r["area"].rsplit("/", 1)[-1]: r["grade"].rsplit("/", 1)[-1] for r in found}
    assert areas == {a: "inadequate" for a in ["overall-effectiveness", "impact-of-leaders", "help-and-protection",
                                               "children-in-care-and-care-leavers"]}
    later = rows(ref_store, """SELECT ?area WHERE { ?i cs:inspectedOrganisation/cs:gssCode "E10000032" ;
        cs:publicationDate "2023-05-11"^^xsd:date . ?j cs:inspection ?i ; cs:judgementArea ?area }""")
    assert {r["area"].rsplit("/", 1)[-1] for r in later} >= {"children-in-care", "care-leavers"}


def test_lead_inspectors_are_shared_people(ref_store):
    found = rows(ref_store, """SELECT ?p (COUNT(DISTINCT ?c) AS ?n) WHERE { ?i cs:leadInspector ?p ;
        cs:inspectedOrganisation ?c . ?p a foaf:Person ; foaf:name "Steve Lowe" } GROUP BY ?p""")
    assert len(found) == 1 and int(found[0]["n"]) >= 2


def test_rows_without_grades_keep_date_and_link_and_are_reported(ref_store):
    found = rows(ref_store, """SELECT ?page WHERE { ?i cs:inspectedOrganisation/cs:gssCode "E06000039" ;
        cs:publicationDate "2016-02-17"^^xsd:date ; foaf:page ?page FILTER NOT EXISTS { ?j cs:inspection ?i } }""")
    assert found == [{"page": "https://files.ofsted.gov.uk/v1/file/2755672"}]
    notes = "\n".join(ref_store.notes)
    assert "line 329" in notes and "overall effectiveness grade not read" in notes
    assert "have no grades in the table" in notes


def test_reference_store_validates(ref_store):
    report = validate_store(ref_store)
    assert report.conforms, report.text()
    assert report.count("Warning") == 0
