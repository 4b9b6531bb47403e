"""The research query library: every .rq has a usable header, runs on the sample store (five
reports + reference data) with its defaults and gives meaningful rows, and no parameter value
can break out of its place in the query."""

from __future__ import annotations

import re

import pytest
from rdflib import Literal, URIRef

import queries as query_library
from graph.query import QueryError, coerce_param, run_library_query, run_query
from graph.sparql import BindingError, bind_values
from ontology.namespace import PREFIXES

LIBRARY = query_library.library()
NAMES = sorted(LIBRARY)

# for each query, a column that must hold a value in every row, and what that value looks like
EXPECT = {
    "councils-by-latest-grade": ("gradeLabel", r"^(Outstanding|Good|Requires improvement|Adequate|Inadequate)$"),
    "council-inspection-timeline": ("date", r"^\d{4}(-\d{2})?"),
    "inadequate-and-intervention": ("date", r"^\d{4}"),
    "commissioners-and-advisers": ("name", r"\w+ \w+"),
    "people-linking-councils": ("councils", r"^([2-9]|\d\d+)$"),
    "councils-sharing-a-leader": ("personName", r"\w+"),
    "inspection-recommendations": ("text", r"\w{3,}"),
    "programmes-and-funding": ("total", r"^\d+(\.\d+)?$"),
    "grade-changes": ("change", r"^(improved|worsened|unchanged)$"),
    "inadequate-to-next-inspection": ("months", r"^\d+$"),
    "statistical-neighbours": ("neighbourName", r"\w+"),
    "report-facts": ("quote", r"\w+"),
    "reports-mentioning-an-act": ("actName", r"Act"),
    "most-connected-people": ("connections", r"^\d+$"),
    "regional-summary": ("councils", r"^\d+$"),
    "interventions": ("typeLabel", r"(?i)notice|direction"),
    "people-at-a-council": ("roleLabel", r"\w+"),
}


def test_the_library_answers_at_least_fifteen_questions_with_complete_headers():
    assert len(LIBRARY) >= 15
    assert set(EXPECT) <= set(LIBRARY), "every query has an expectation below"
    for name, q in LIBRARY.items():
        assert q.title and len(q.description) > 40, name
        assert q.view in query_library.VIEWS, name
        for p in q.params:
            assert p.default is not None, f"{name}: {p.name} has a default so the query runs as it is"
            assert p.description, f"{name}: {p.name} is described"
            assert re.search(rf"\?{p.name}\b", q.sparql), f"{name}: parameter {p.name} is used"


def test_queries_use_only_contract_and_cs_terms():
    allowed = set(PREFIXES)
    for name, q in LIBRARY.items():
        body = "\n".join(line for line in q.sparql.splitlines() if not line.lstrip().startswith("#"))
        body = re.sub(r'"[^"\n]*"', '""', body)
        used = set(re.findall(r"(?<![\w?$])([a-z]+):[A-Za-z_-]", body))
        assert used <= allowed, f"{name} uses undeclared prefixes {used - allowed}"
        assert "<http" not in body, f"{name} writes a full IRI; use the prefixes"


@pytest.mark.parametrize("name", NAMES)
def test_every_query_gives_meaningful_rows_on_the_sample_store(sample_store, name):
    vars_, rows = run_library_query(sample_store, name, {})
    assert rows, f"{name} returned nothing on the sample store"
    column, pattern = EXPECT[name]
    i = vars_.index(column)
    for row in rows:
        assert row[i] is not None and re.search(pattern, str(row[i])), f"{name}: {column}={row[i]!r}"


def test_parameters_change_the_answer(sample_store):
    _, everything = run_library_query(sample_store, "councils-by-latest-grade", {})
    _, london = run_library_query(sample_store, "councils-by-latest-grade", {"region": "London"})
    assert 0 < len(london) < len(everything)
    _, worse = run_library_query(sample_store, "grade-changes", {"direction": "worsened"})
    assert worse and {str(r[-1]) for r in worse} == {"worsened"}
    _, early = run_library_query(sample_store, "inadequate-and-intervention", {"from_year": "2010", "to_year": "2015"})
    assert early and all(str(r[2])[:4] <= "2015" for r in early)


def test_unknown_names_and_bad_values_are_plain_errors(sample_store):
    with pytest.raises(QueryError, match="no library query named"):
        run_library_query(sample_store, "no-such-query", {})
    with pytest.raises(QueryError, match="not a valid year"):
        run_library_query(sample_store, "inadequate-and-intervention", {"from_year": "2019 } ; DROP ALL"})
    with pytest.raises(QueryError, match="unknown parameter"):
        run_library_query(sample_store, "regional-summary", {"region": "x"})


# ------------------------------------------------------------------------------------- injection
HOSTILE_TEXT = [
    '" } } ; DROP ALL ; SELECT * WHERE { "',
    "' } UNION { ?s ?p ?o } #",
    'x"\n} } INSERT DATA { <http://evil/s> <http://evil/p> "o" } #',
    "\\\" ) } } LIMIT 1 #",
    "}}}}}",
    '"""',
    "\u202e\u200b } #",
]
HOSTILE_IRIS = [
    "http://example.org/x> } ; DROP ALL ; SELECT * WHERE { <http://a",
    "http://example.org/a b",
    "http://example.org/{x}",
    "http://example.org/\"quote",
    "http://example.org/x>\n?s ?p ?o",
    "<http://example.org/x>",
]


def _params(q) -> list:
    return [(q.name, p) for q in LIBRARY.values() for p in q.params]


@pytest.mark.parametrize("name,param", _params(query_library), ids=lambda v: getattr(v, "name", v))
def test_no_parameter_can_break_out_of_its_value(sample_store, name, param):
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    before = int(next(iter(sample_store.query(count)))[0])
    for text in HOSTILE_TEXT:
        try:
            vars_, rows = run_library_query(sample_store, name, {param.name: text})
        except QueryError:
            assert param.type != "string", "a string parameter takes any text as a literal"
            continue
        # the text arrived as one harmless literal: the query's own columns, nothing injected
        assert vars_ == [v for v in vars_ if re.fullmatch(r"\w+", v)]
        assert not any("evil" in str(cell) for row in rows for cell in row)
    assert int(next(iter(sample_store.query(count)))[0]) == before


@pytest.mark.parametrize("iri", HOSTILE_IRIS)
def test_hostile_iris_are_refused(iri):
    with pytest.raises((QueryError, BindingError)):
        bind_values("SELECT * WHERE { ?s ?p ?o }", {"s": coerce_param(iri, "iri")})


def test_literals_are_bound_as_one_exact_value():
    import pyoxigraph as ox

    store = ox.Store()
    s, p = ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p")
    for i, text in enumerate(HOSTILE_TEXT):
        store.add(ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), p, ox.Literal(text)))
    store.add(ox.Quad(s, p, ox.Literal("other")))
    for i, text in enumerate(HOSTILE_TEXT):
        bound = bind_values("SELECT ?s WHERE { ?s <http://example.org/p> ?x }", {"x": Literal(text)})
        rows = list(store.query(bound, use_default_graph_as_union=True))
        assert [r[0].value for r in rows] == [f"http://example.org/s{i}"]


def test_iri_parameters_bind_as_iris(sample_store):
    council = next(iter(sample_store.query("SELECT ?c WHERE { ?c a cs:LocalAuthority } LIMIT 1")))[0]
    rows = run_query(sample_store, "SELECT ?name WHERE { ?c skos:prefLabel ?name }", {})
    assert len(list(rows)) > 1
    one = sample_store.query("SELECT ?name WHERE { ?c skos:prefLabel ?name }", bindings={"c": URIRef(council)})
    assert len(list(one)) >= 1


def test_no_library_query_repeats_a_row(sample_store):
    """Oxigraph's union default graph yields a triple once per graph that holds it (councils and
    people are named in several graphs), so library queries must not return duplicate rows."""
    from graph.query import run_library_query
    import queries

    for name in queries.library():
        _vars, rows = run_library_query(sample_store, name, {})
        as_text = [tuple(map(str, r)) for r in rows]
        assert len(as_text) == len(set(as_text)), f"{name} returns duplicate rows"


def test_parameters_reach_subqueries_that_use_them(store):
    """A subquery does not see the outer VALUES; bind_values gives the parameter to every
    subquery that uses it, so `include_inspectors=false` really filters inside the count."""
    from rdflib import Literal as L

    store.ox.update("INSERT DATA { GRAPH <http://g> { <http://x> <http://p> 1 , 2 , 3 } <http://x> <http://p> 1 , 2 , 3 }")  # graph + union
    q = """SELECT ?n WHERE { { SELECT (COUNT(*) AS ?n) WHERE { <http://x> <http://p> ?v FILTER(?v > ?min) } } }"""
    rows = list(store.query(q, bindings={"min": L(1)}))
    assert int(rows[0][0]) == 2
    text = bind_values(q, {"min": L(1)})
    assert text.count("VALUES ?min") == 2


def test_expression_uses_take_the_term_itself_and_answers_do_not_change():
    """Inside expressions the parameter is written as its term (so Oxigraph can push a FILTER down
    to the pattern it narrows); where a constant cannot stand (BOUND, AS, patterns, EXISTS
    groups) the variable stays, bound by VALUES; every engine gives the same answer."""
    import pyoxigraph as ox
    from rdflib import Dataset
    from rdflib import Literal as L

    q = """SELECT ?s ?flag WHERE {
      ?s <http://example.org/name> ?name .
      FILTER(CONTAINS(LCASE(?name), LCASE(STR(?part))) && BOUND(?part))
      FILTER NOT EXISTS { ?s <http://example.org/alias> ?part }
      BIND(COALESCE(?part, "none") AS ?flag)
    } ORDER BY ?s"""
    text = bind_values(q, {"part": L("Sus")})
    assert 'LCASE(STR("Sus"))' in text and "BOUND(?part)" in text
    assert "<http://example.org/alias> ?part" in text and 'COALESCE("Sus", "none")' in text
    assert text.count("VALUES ?part") == 1

    data = """<http://example.org/a> <http://example.org/name> "West Sussex" .
              <http://example.org/b> <http://example.org/name> "East Sussex" .
              <http://example.org/b> <http://example.org/alias> "Sus" .
              <http://example.org/c> <http://example.org/name> "Kent" ."""
    store = ox.Store()
    store.load(data.encode(), format=ox.RdfFormat.N_TRIPLES)
    ds = Dataset()
    ds.parse(data=data, format="nt")
    ox_rows = [(r[0].value, r[1].value) for r in store.query(text)]
    rdflib_rows = [(str(r[0]), str(r[1])) for r in ds.query(text)]
    assert ox_rows == rdflib_rows == [("http://example.org/a", "Sus")]
    # and the same as the VALUES-only binding it replaces
    values_only = q.replace("WHERE {", 'WHERE { VALUES ?part { "Sus" }', 1)
    assert ox_rows == [(r[0].value, r[1].value) for r in store.query(values_only)]


def test_as_targets_and_projections_are_never_rewritten():
    text = bind_values("SELECT ?x (STR(?x) AS ?y) WHERE { ?s ?p ?x . BIND(?x AS ?z) }", {"x": URIRef("http://example.org/v")})
    assert text.startswith("SELECT ?x (STR(<http://example.org/v>) AS ?y)")
    assert "?s ?p ?x" in text and "BIND(<http://example.org/v> AS ?z)" in text


def test_reports_mentioning_an_act_cuts_the_same_page_as_a_full_sort():
    """The query keeps only the Acts whose 12-character name prefix can reach the first 2000
    citations before sorting: on more citations than a page, with names sharing that prefix, a
    report without a date and one with two, the page is the one a full sort by (name, date,
    report) gives. Each report's triples are in its own graph, as the loader writes them (the
    query reads a citation with the graph stating it), and in the default graph (the union)."""
    from graph.store import OxigraphStore

    cs, dc, schema = "https://w3id.org/cskg/def/cs#", "http://purl.org/dc/terms/", "https://schema.org/"
    names = [f"Children and Families Act {2030 - i}" for i in range(12)] + [f"Adoption Act {1990 + i}" for i in range(6)]
    names += ["Zebra Crossings Act 1951", "Social Work Regulation 2018"]  # the last is not an Act
    acts = [f"http://example.org/act/{i}" for i in range(len(names))]
    lines, citations = [], []
    for i, (act, name) in enumerate(zip(acts, names)):
        lines.append(f'<{act}> a <{schema}Legislation> ; <{schema}name> "{name}" .')
    blocks = []
    for r in range(1500):
        report = f"http://example.org/report/{r:05d}"
        dates = [] if r % 97 == 0 else [f"2019-{1 + r % 12:02d}-{1 + r % 28:02d}"] + (["2020-01-01"] if r % 50 == 0 else [])
        mine = [f'<{report}> <{dc}title> "Report {r}" .']
        mine += [f'<{report}> <{dc}date> "{d}"^^<http://www.w3.org/2001/XMLSchema#date> .' for d in dates]
        for k in (r % len(acts), (r * 7 + 3) % len(acts)):
            mine.append(f"<{report}> <{dc}references> <{acts[k]}> .")
            if "act" in names[k].lower():
                citations += [(names[k], d or "", report, acts[k]) for d in (dates or [None])]
        blocks.append(f"GRAPH <http://example.org/graph/{r:05d}> {{\n" + "\n".join(mine) + "\n}")
        lines += mine
    s = OxigraphStore(None)
    try:
        s.ox.update("INSERT DATA {\n" + "\n".join(lines + blocks) + "\n}")
        vars_, rows = run_library_query(s, "reports-mentioning-an-act", {})
    finally:
        s.close()
    assert len(set(citations)) > 2000
    # SPARQL order: an unbound date sorts first, and "" does here too
    expected = sorted(set(citations))[:2000]
    got = {(str(r[vars_.index("actName")]), "" if r[vars_.index("date")] is None else str(r[vars_.index("date")]),
            str(r[vars_.index("report")]), str(r[vars_.index("act")])) for r in rows}
    assert len(rows) == 2000
    assert got == set(expected)
