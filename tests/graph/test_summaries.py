"""The summaries the store keeps (graph/summaries.py): right after every kind of write, equal to a
full recomputation, and equal to the aggregate computed directly from the facts."""

from __future__ import annotations

import shutil

import pytest
from rdflib import Literal, URIRef

from graph import summaries
from graph.load import load_paths, remove_source
from graph.query import run_library_query
from graph.store import OxigraphStore, SourceBatchItem, SourceRecord, now_iso
from ontology.namespace import AREA, CS, DCTERMS, GRADE, PROV, RDF, SDO, SKOS, OA
from tests.conftest import SAMPLES

ID = "https://w3id.org/cskg/id/"

# The aggregates computed directly from the facts, as the library queries did before the store kept
# them: the oracle the summaries are checked against.
DIRECT_FUNDING = """
SELECT ?council ?year (SUM(?value) AS ?total) (COUNT(DISTINCT ?grant) AS ?grants) WHERE {
  { SELECT DISTINCT ?grant ?value ?council ?year WHERE {
      ?grant a schema:MonetaryGrant ; schema:amount ?amount ; schema:fundedItem ?item .
      ?amount schema:value ?value .
      OPTIONAL { ?item cs:programmeOf ?owner }
      BIND(COALESCE(?owner, ?item) AS ?council)
      OPTIONAL { ?amount cs:financialYear ?fy }
      OPTIONAL { ?grant prov:wasDerivedFrom/oa:hasSource ?rendition . ?report cs:textRendition ?rendition ; dcterms:date ?reportDate }
      BIND(COALESCE(STR(?fy), SUBSTR(STR(?reportDate), 1, 4), "unknown") AS ?year)
  } }
} GROUP BY ?council ?year"""

DIRECT_LATEST = """
SELECT ?council (MAX(CONCAT(?d, " ", STR(?i), " ", COALESCE(STR(?g), ""))) AS ?latest) WHERE {
  ?j cs:judgementArea area:overall-effectiveness ; cs:inspection ?i .
  ?i cs:inspectedOrganisation ?council .
  OPTIONAL { ?i schema:startDate ?start } OPTIONAL { ?i cs:publicationDate ?published } OPTIONAL { ?j cs:grade ?g }
  BIND(COALESCE(STR(?start), STR(?published), "") AS ?d)
} GROUP BY ?council"""

# each organisation's dated overall grades, and per (date, grade) the smallest later "date grade"
# and the first later-month inspection or visit of any kind ("date type"): the pairings the library
# queries grade-changes and inadequate-to-next-inspection made per query before
JUDGED = """
  ?j cs:judgementArea area:overall-effectiveness ; cs:inspection ?i ; cs:grade ?g .
  ?i cs:inspectedOrganisation ?council .
  OPTIONAL { ?i schema:startDate ?start } OPTIONAL { ?i cs:publicationDate ?published }
  BIND(STR(COALESCE(?start, ?published)) AS ?date) FILTER(BOUND(?date))"""

DIRECT_JUDGED = f"SELECT ?council ?date ?g ?i WHERE {{ {JUDGED} }}"

DIRECT_NEXT = """SELECT ?council ?date1 ?g1 (MIN(CONCAT(?d2, " ", STR(?g2))) AS ?next) WHERE {
  { SELECT DISTINCT ?council ?date1 ?g1 WHERE { %(judged)s BIND(?date AS ?date1) BIND(?g AS ?g1) } }
  { SELECT DISTINCT ?council ?d2 ?g2 WHERE { %(judged)s BIND(?date AS ?d2) BIND(?g AS ?g2) } }
  FILTER(?d2 > ?date1) } GROUP BY ?council ?date1 ?g1"""

DIRECT_VISIT = """SELECT ?council ?date1 (MIN(CONCAT(?d2, " ", ?t2)) AS ?next) WHERE {
  { SELECT DISTINCT ?council ?date1 WHERE { %(judged)s BIND(?date AS ?date1) } }
  { SELECT DISTINCT ?council ?d2 ?t2 WHERE {
      ?i2 a cs:Inspection ; cs:inspectedOrganisation ?council .
      OPTIONAL { ?i2 schema:startDate ?s2 } OPTIONAL { ?i2 cs:publicationDate ?p2 } OPTIONAL { ?i2 dcterms:type ?t }
      BIND(STR(COALESCE(?s2, ?p2)) AS ?d2)
      BIND(COALESCE(STRAFTER(STR(?t), "inspection-type/"), "") AS ?t2) } }
  FILTER(SUBSTR(?d2, 1, 7) > SUBSTR(?date1, 1, 7)) } GROUP BY ?council ?date1"""

KEPT_ENTRIES = """SELECT ?council ?date ?g ?i WHERE {
  ?e a cs:OverallGradeEntry ; cs:entryOf ?council ; cs:entryDate ?date ; cs:entryGrade ?g ; cs:entryInspection ?i }"""

KEPT_NEXT = """SELECT ?council ?date1 ?g1 ?d2 ?g2 WHERE {
  ?e cs:entryOf ?council ; cs:entryDate ?date1 ; cs:entryGrade ?g1 ; cs:nextEntry ?n . ?n cs:entryDate ?d2 ; cs:entryGrade ?g2 }"""

KEPT_VISIT = """SELECT DISTINCT ?council ?date1 ?d2 ?t2 WHERE {
  ?e cs:entryOf ?council ; cs:entryDate ?date1 ; cs:nextVisitDate ?d2 ; cs:nextVisitType ?t2 }"""


def history(store) -> tuple[set, set, set]:
    return (rows(store, KEPT_ENTRIES), {(c, d1, g1, f"{d2} {g2}") for c, d1, g1, d2, g2 in rows(store, KEPT_NEXT)},
            {(c, d1, f"{d2} {t2}") for c, d1, d2, t2 in rows(store, KEPT_VISIT)})


def direct_history(store) -> tuple[set, set, set]:
    return (rows(store, DIRECT_JUDGED), rows(store, DIRECT_NEXT % {"judged": JUDGED}),
            rows(store, DIRECT_VISIT % {"judged": JUDGED}))


KEPT_FUNDING = """SELECT ?council ?year ?total ?grants WHERE {
  ?t a cs:FundingTotal ; cs:fundingRecipient ?council ; cs:fundingYear ?year ; cs:totalAmount ?total ; cs:grantCount ?grants }"""

KEPT_LATEST = """SELECT ?council ?date ?i ?g WHERE {
  ?council cs:latestOverallInspection ?i ; cs:latestOverallDate ?date . OPTIONAL { ?council cs:latestOverallGrade ?g } }"""


def rows(store, sparql) -> set[tuple]:
    return {tuple(None if x is None else str(x) if not isinstance(x, Literal) else x.toPython() for x in r)
            for r in store.query(sparql)}


def funding(store) -> set[tuple]:
    return {(c, y, float(t), int(n)) for c, y, t, n in rows(store, KEPT_FUNDING)}


def direct_funding(store) -> set[tuple]:
    return {(c, y, float(t), int(n)) for c, y, t, n in rows(store, DIRECT_FUNDING)}


def latest(store) -> set[tuple]:
    return {(c, f"{d} {i} {g or ''}") for c, d, i, g in rows(store, KEPT_LATEST)}


def direct_latest(store) -> set[tuple]:
    return rows(store, DIRECT_LATEST)


def summary_quads(store) -> list[str]:
    g = summaries.summaries_graph(store)
    return sorted(str(q) for q in store.ox.quads_for_pattern(None, None, None, __import__("pyoxigraph").NamedNode(g)))


def assert_kept_equal_direct(store) -> None:
    assert funding(store) == direct_funding(store)
    assert latest(store) == direct_latest(store)
    assert history(store) == direct_history(store)
    assert summaries.current(store)


# ---------------------------------------------------------------- a small synthetic world
def item(store, name: str, triples, date="2020-05-01") -> SourceBatchItem:
    """A report graph: the report (dated), its text rendition, one evidence node, and `triples`."""
    rep, text, ev = URIRef(ID + f"report/{name}"), URIRef(ID + f"text/{name}"), URIRef(ID + f"evidence/{name}")
    base = [(rep, RDF.type, SDO.Report), (rep, CS.textRendition, text), (rep, DCTERMS.date, Literal(date)),
            (ev, OA.hasSource, text)]
    full = base + [(s, p, o if not (isinstance(o, str) and o == "EV") else ev) for s, p, o in triples]
    rec = SourceRecord(store.minter.report_graph(name), name, "sha-" + name + str(len(triples)), "test", now_iso(), len(full), "report")
    return SourceBatchItem(rec, full)


def grant(name: str, funded: URIRef, value: str, fy: str | None = None) -> list:
    g, a = URIRef(ID + f"grant/{name}"), URIRef(ID + f"amount/{name}")
    out = [(g, RDF.type, SDO.MonetaryGrant), (g, SDO.fundedItem, funded), (g, SDO.amount, a),
           (a, SDO.value, Literal(value, datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal"))),
           (g, PROV.wasDerivedFrom, "EV")]
    if fy:
        out.append((a, CS.financialYear, Literal(fy)))
    return out


def judgement(name: str, council: URIRef, date: str, grade: URIRef | None) -> list:
    i, j = URIRef(ID + f"inspection/{name}"), URIRef(ID + f"judgement/{name}")
    out = [(i, RDF.type, CS.Inspection), (i, CS.inspectedOrganisation, council), (i, SDO.startDate, Literal(date)),
           (j, RDF.type, CS.Judgement), (j, CS.inspection, i), (j, CS.judgementArea, AREA["overall-effectiveness"])]
    if grade is not None:
        out.append((j, CS.grade, grade))
    return out


NORTH, SOUTH = URIRef(ID + "organisation/north-council"), URIRef(ID + "organisation/south-council")
PROG = URIRef(ID + "programme/north-recovery")


@pytest.fixture
def mem():
    s = OxigraphStore(None)
    yield s
    s.close()


def test_every_write_keeps_the_summaries_equal_to_the_direct_aggregates(mem):
    mem.replace_sources([item(mem, "a", grant("a1", NORTH, "1000", "2019/20") + grant("a2", PROG, "500")
                              + [(PROG, SKOS.prefLabel, Literal("North Recovery"))])])
    assert_kept_equal_direct(mem)
    # the grant for the programme counts for the programme until another report names its owner
    assert (str(PROG), "2020", 500.0, 1) in funding(mem)
    mem.replace_sources([item(mem, "b", [(PROG, CS.programmeOf, NORTH)] + judgement("n1", NORTH, "2018-03-01", GRADE.inadequate),
                              date="2021-01-01")])
    assert_kept_equal_direct(mem)
    assert (str(NORTH), "2020", 500.0, 1) in funding(mem) and not any(r[0] == str(PROG) for r in funding(mem))
    names = {str(r[0]) for r in mem.query("SELECT ?n WHERE { ?t cs:fundingRecipient ?c ; cs:fundingYear \"2020\" ; cs:fundedProgrammes ?n }")}
    assert names == {"North Recovery"}
    # a newer judgement replaces the latest; an older one does not
    mem.replace_sources([item(mem, "c", judgement("n2", NORTH, "2021-06-01", GRADE.good) + judgement("n0", NORTH, "2016-01-01", GRADE.outstanding))])
    assert_kept_equal_direct(mem)
    assert {(c, g) for c, _d, _i, g in rows(mem, KEPT_LATEST)} == {(str(NORTH), str(GRADE.good))}
    # the grade history in date order, each entry linked to the next, and to the next visit
    _, nexts, visits = history(mem)
    assert nexts == {(str(NORTH), "2016-01-01", str(GRADE.outstanding), f"2018-03-01 {GRADE.inadequate}"),
                     (str(NORTH), "2018-03-01", str(GRADE.inadequate), f"2021-06-01 {GRADE.good}")}
    assert visits == {(str(NORTH), "2016-01-01", "2018-03-01 "), (str(NORTH), "2018-03-01", "2021-06-01 ")}
    # replacing a report with other content, and removing one, recompute what the old content bore on
    mem.replace_sources([item(mem, "c", judgement("s1", SOUTH, "2022-01-01", None))])
    assert_kept_equal_direct(mem)
    assert {(c, g) for c, _d, _i, g in rows(mem, KEPT_LATEST)} == {(str(NORTH), str(GRADE.inadequate)), (str(SOUTH), None)}
    mem.remove_source(mem.minter.report_graph("b"))
    assert_kept_equal_direct(mem)
    assert (str(PROG), "2020", 500.0, 1) in funding(mem)  # its owner went with report b
    assert not any(c == str(NORTH) for c, *_ in rows(mem, KEPT_LATEST))


def test_a_deferred_load_recomputes_once_at_its_end_and_is_marked_stale_until_then(mem):
    with mem.deferred_summaries():
        mem.replace_sources([item(mem, "a", grant("a1", NORTH, "1000", "2019/20"))])
        assert not summaries.current(mem)  # marked while the load runs
        assert funding(mem) == set()  # nothing recomputed yet
        mem.replace_sources([item(mem, "b", grant("b1", NORTH, "250", "2019/20"))])
    assert funding(mem) == {(str(NORTH), "2019/20", 1250.0, 2)}
    assert_kept_equal_direct(mem)


def test_the_summaries_equal_a_full_rebuild_after_loading_the_samples(sample_store_path, tmp_path):
    shutil.copytree(sample_store_path, tmp_path / "s")
    with OxigraphStore(tmp_path / "s") as st:
        assert_kept_equal_direct(st)
        assert funding(st) and latest(st)  # the samples and the Ofsted history give both
        kept = (funding(st), latest(st))
        summaries.rebuild(st)
        assert (funding(st), latest(st)) == kept


def test_a_store_stopped_mid_load_rebuilds_its_summaries_when_opened(tmp_path):
    store = OxigraphStore(tmp_path / "s")
    store.replace_sources([item(store, "a", grant("a1", NORTH, "1000", "2019/20"))])
    summaries.mark_stale(store)  # as a load that was stopped before its end leaves it
    store.update(f"DELETE WHERE {{ GRAPH <{summaries.summaries_graph(store)}> {{ ?t {CS.totalAmount.n3()} ?v }} }}")
    store.close()
    with OxigraphStore(tmp_path / "s") as again:
        assert summaries.current(again)
        assert_kept_equal_direct(again)


def test_summaries_from_another_version_are_rebuilt_when_opened(tmp_path, monkeypatch, capsys):
    store = OxigraphStore(tmp_path / "s")
    store.replace_sources([item(store, "a", judgement("n1", NORTH, "2019-01-01", GRADE.good))])
    store.close()
    monkeypatch.setattr(summaries, "SUMMARY_VERSION", "test-next")
    with OxigraphStore(tmp_path / "s") as again:
        assert "computing the store's summaries" in capsys.readouterr().err  # why opening waits
        versions = {str(r[0]) for r in again.query("SELECT ?v WHERE { ?g cs:summaryVersion ?v }")}
        assert versions == {"test-next"}
        assert_kept_equal_direct(again)


def test_loading_the_samples_through_load_paths_keeps_them_current(tmp_path):
    with OxigraphStore(tmp_path / "s") as st:
        load_paths(st, [SAMPLES], workers=1)
        assert_kept_equal_direct(st)
        remove_source(st, "walsall-2015-04-13-council-portfolio-holder-report-childrens-services.txt")
        assert_kept_equal_direct(st)


def test_the_library_reads_the_summaries(sample_store_path, tmp_path):
    shutil.copytree(sample_store_path, tmp_path / "s")
    with OxigraphStore(tmp_path / "s") as st:
        vars_, got = run_library_query(st, "programmes-and-funding")
        by_key = {(str(r[vars_.index("council")]), str(r[vars_.index("year")])): float(r[vars_.index("total")].toPython())
                  for r in got}
        labelled = {str(r[0]) for r in st.query("SELECT DISTINCT ?c WHERE { ?c skos:prefLabel ?n }")}
        assert by_key == {(c, y): t for c, y, t, _n in direct_funding(st) if c in labelled}
        vars_, got = run_library_query(st, "councils-by-latest-grade")
        shown = {(str(r[vars_.index("council")]), f"{r[vars_.index('date')]} {r[vars_.index('inspection')]} {r[vars_.index('grade')] or ''}")
                 for r in got}
        assert shown == {(c, l) for c, l in direct_latest(st) if c in labelled}


def test_candidates_read_off_the_triples_stand_for_the_keys_the_store_finds(sample_store):
    """The loader reads each report's candidates in its worker; resolved they must give the keys
    that querying the written graph gives (on the samples and the reference data)."""
    from graph.load import collect_files, loader_version, prepare_report

    checked = 0
    for path in collect_files([SAMPLES])[0]:  # what the loader loads (not the folder's notes)
        prep = prepare_report(str(path), None, loader_version())
        assert prep.item is not None and prep.item.summary_candidates is not None
        from_triples = summaries.resolve(sample_store, prep.item.summary_candidates)
        assert from_triples == summaries.keys_of_graphs(sample_store, [prep.item.record.graph]), path.name
        checked += bool(from_triples)
    assert checked >= 3


def test_candidates_follow_the_rules_of_the_graph_query(mem):
    triples = (grant("a1", PROG, "10") + [(PROG, CS.programmeOf, NORTH)] + judgement("n1", SOUTH, "2019-01-01", None))
    found = summaries.candidates(triples)
    assert ("item", str(PROG)) in found and ("programme", str(PROG)) in found and ("key", str(NORTH)) in found
    assert ("inspection", ID + "inspection/n1") in found
    mem.replace_sources([item(mem, "a", triples)])
    assert summaries.resolve(mem, found) == summaries.keys_of_graphs(mem, [mem.minter.report_graph("a")]) == {
        str(NORTH), str(SOUTH), str(PROG)}


def test_renaming_a_programme_in_another_report_renames_it_in_its_owners_totals(mem):
    mem.replace_sources([item(mem, "a", grant("a1", PROG, "10", "2019/20") + [(PROG, CS.programmeOf, NORTH)])])
    mem.replace_sources([item(mem, "b", [(PROG, RDF.type, CS.Programme), (PROG, SKOS.prefLabel, Literal("Recovery"))])])
    names = {str(r[0]) for r in mem.query("SELECT ?n WHERE { ?t cs:fundingRecipient ?c ; cs:fundedProgrammes ?n }")}
    assert names == {"Recovery"}
    assert_kept_equal_direct(mem)


def test_a_refresh_in_many_chunks_equals_the_direct_aggregates_and_stays_marked_stale_if_cut_off(tmp_path, monkeypatch):
    """The end of a load refreshes its keys in chunks, each computed while the one before is
    written: every chunk lands, and a refresh cut off midway leaves the stale mark."""
    monkeypatch.setattr(summaries, "CHUNK", 2)
    with OxigraphStore(tmp_path / "s") as st:
        load_paths(st, [SAMPLES], workers=1)  # deferred: one refresh at the end, in chunks of 2 keys
        keys = [str(r[0]) for r in st.query(summaries._ALL_KEYS)]
        assert len(keys) >= 5  # three chunks or more
        assert_kept_equal_direct(st)
        assert summaries.current(st)
        summaries.mark_stale(st)
        real, calls = st.update, []

        def cut_off(text):
            calls.append(text)
            if len(calls) == 2:
                raise RuntimeError("cut off")
            real(text)

        st.update = cut_off
        with pytest.raises(RuntimeError):
            summaries.refresh_and_unmark(st, keys)
        st.update = real
        assert not summaries.current(st)
        summaries.refresh_and_unmark(st, keys)
        assert summaries.current(st)
        assert_kept_equal_direct(st)
