"""The explorer's pages through Flask's test client, asserting on each page's .json twin (the
context the template got) and on the HTML where escaping or links matter."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from rdflib import Graph

BASE = "https://w3id.org/cskg/id/"
NORTHMOOR = "organisation/northmoor-metropolitan-borough-council"
INSPECTION = "inspection/northmoor-metropolitan-borough-council--sif--2017-11-06"
REPORT = "report/northmoor-2018-03-12-cabinet-childrens-services-improvement-txt"
XSS_REPORT = "report/xss-2019-01-01-cabinet-script-test-txt"


def get_json(client, path):
    r = client.get(path)
    assert r.status_code == 200, (path, r.status_code, r.data[:300])
    assert r.content_type.startswith("application/json")
    return r.get_json()


def test_home_counts_regions_and_recent_events(client):
    ctx = get_json(client, "/index.json")
    assert ctx["stats"]["entities"]["councils"] >= 2
    regions = {r["region"]: r for r in ctx["regions"]}
    north_west = {c["label"]: c for c in regions["North West"]["councils"]}
    assert north_west["Northmoor Metropolitan Borough Council"]["grade"] == "inadequate"
    assert north_west["Eastdale Borough Council"]["grade"] is None
    # a council replaced by another is not on the map
    assert all(c["label"] != "Old Northmoor District Council" for r in ctx["regions"] for c in r["councils"])
    assert all(i["inspection"]["label"] and i["council"]["label"] for i in ctx["recent_inspections"])
    dates = [i["date"]["value"] for i in ctx["recent_inspections"] if i["date"]]
    assert dates == sorted(dates, reverse=True)
    assert any(i["type"] == "Statutory direction" for i in ctx["recent_interventions"])
    html = client.get("/").get_data(as_text=True)
    assert 'class="tile grade--inadequate"' in html and 'rel="alternate" type="application/json"' in html


def test_council_page(client):
    ctx = get_json(client, f"/id/{NORTHMOOR}.json")
    assert ctx["page"] == "council" and ctx["entity"]["label"] == "Northmoor Metropolitan Borough Council"
    profile = {row["label"]: [v.get("label") or v.get("display") for v in row["values"]] for row in ctx["profile"]}
    assert profile["GSS code"] == ["E08000999"] and profile["Region"] == ["North West"]
    assert profile["Preceded by"] == ["Old Northmoor District Council"]
    assert [n["label"] for n in ctx["neighbours"]] == ["Eastdale Borough Council"]
    # the timeline: overall effectiveness first, every sub-judgement present
    rows = {r["area"]["label"]: r["cells"][0]["grade"] for r in ctx["timeline"]["rows"]}
    assert ctx["timeline"]["rows"][0]["area"]["label"] == "Overall effectiveness"
    assert rows == {"Overall effectiveness": "inadequate", "Help and protection": "inadequate",
                    "Impact of leaders": "requires-improvement"}
    assert [i["type"]["label"] for i in ctx["interventions"]] == ["Statutory direction"]
    people = {m["member"]["label"]: m for m in ctx["people"]}
    assert people["Ruth Okafor"]["start"]["display"] == "April 2016"
    assert people["Peter Hallam"]["evidence"][0]["quote"].startswith("Peter Hallam was appointed")
    prog = ctx["programmes"][0]
    assert prog["label"] == "Northmoor Children First Programme"
    assert prog["grants"][0]["amount"] == "£750,000" and prog["grants"][0]["financial_year"] == "2018/19"
    assert [r["position"] for r in ctx["recommendations"]] == [1, 2]
    assert any(r["iri"] == BASE + REPORT for r in ctx["reports"])
    html = client.get(f"/id/{NORTHMOOR}").get_data(as_text=True)
    assert f'href="/network?focus={quote(BASE + NORTHMOOR, safe="")}"' in html
    assert f'<link rel="alternate" type="text/turtle" href="/id/{NORTHMOOR}.ttl">' in html
    assert "April 2016" in html and "2016-04<" not in html


def test_person_page_lists_roles_with_sources(client):
    ctx = get_json(client, "/id/person/peter-hallam.json")
    assert ctx["page"] == "person"
    role = ctx["roles"][0]
    assert role["title"] == "Children's Services Commissioner"
    assert role["organization"]["label"] == "Northmoor Metropolitan Borough Council"
    assert role["start"]["display"] == "January 2018"
    assert role["evidence"][0]["report"] == BASE + REPORT
    lead = get_json(client, "/id/person/alison-greenway.json")
    assert [i["iri"] for i in lead["inspections_led"]] == [BASE + INSPECTION]


@pytest.mark.parametrize(
    "path, kind, expected",
    [
        (INSPECTION, "inspection", {"Council": "Northmoor Metropolitan Borough Council", "Fieldwork began": "6 November 2017"}),
        (INSPECTION.replace("inspection/", "judgement/") + "--impact-of-leaders", "judgement", {"Grade": "Requires improvement"}),
        ("intervention/northmoor-metropolitan-borough-council--statutory-direction--2018-01-15", "intervention",
         {"Issued": "15 January 2018", "Issued by": "Department for Education"}),
        ("programme/northmoor-metropolitan-borough-council--northmoor-children-first-programme", "programme",
         {"Overseen by": "Northmoor Improvement Board"}),
        (INSPECTION.replace("inspection/", "recommendation/") + "--02", "recommendation", {"Position": "2"}),
    ],
)
def test_entity_pages(client, path, kind, expected):
    ctx = get_json(client, f"/id/{path}.json")
    assert ctx["page"] == kind
    profile = {row["label"]: row["values"][0].get("label") or row["values"][0].get("display") for row in ctx["profile"]}
    for key, value in expected.items():
        assert profile[key] == value
    assert ctx["entity"]["evidence"], "every extracted entity page shows its evidence"
    if kind == "inspection":
        assert [j["grade"] for j in ctx["judgements"]][0] == "inadequate"
        assert len(ctx["recommendations"]) == 2
    if kind == "intervention":
        assert ctx["appointments"][0]["label"].startswith("Peter Hallam, Children's Services Commissioner")
    if kind == "programme":
        assert ctx["grants"][0]["amount"] == "£750,000"


def test_report_viewer_highlights_every_fact(client):
    ctx = get_json(client, f"/id/{REPORT}.json")
    assert ctx["page"] == "report"
    text = "".join(s["text"] for s in ctx["segments"])
    assert len(text) == ctx["text_length"]
    for ev in ctx["facts"]:
        assert text[ev["start"]:ev["end"]] == ev["quote"]
        first = next(s for s in ctx["segments"] if ev["anchor"] in s["anchors"])
        assert ev["anchor"] in first["spans"]
    kinds = {f["type"] for ev in ctx["facts"] for f in ev["facts"]}
    assert {"inspection", "judgement", "membership", "intervention", "programme", "recommendation", "grant"} <= kinds
    assert ctx["graphs"] == ["https://w3id.org/cskg/graph/" + REPORT]
    html = client.get(f"/id/{REPORT}").get_data(as_text=True)
    anchor = ctx["facts"][0]["anchor"]
    assert f'href="#{anchor}"' in html and f'id="{anchor}"' in html
    assert "/rdf-graph-store?graph=" + quote("https://w3id.org/cskg/graph/" + REPORT, safe="") in html


def test_report_text_is_escaped(client):
    html = client.get(f"/id/{XSS_REPORT}").get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;" in html or "&lt;script&gt;alert(&quot;xss&quot;)" in html
    assert "&lt;script&gt;document.title=" in html
    # the only scripts are our own files
    assert html.count("<script") == html.count('<script src="/static/')


def test_generic_resource_page_groups_statements(client):
    iri = "https://w3id.org/cskg/def/theme/practice-quality"
    ctx = get_json(client, f"/resource.json?iri={quote(iri, safe='')}")
    assert ctx["page"] == "resource" and ctx["entity"]["label"] == "Practice quality"
    incoming = {g["property"]["label"]: g["values"] for g in ctx["statements"]["incoming"]}
    [programme] = [v for v in incoming["Subject"] if "northmoor" in v["iri"]]
    assert programme["label"] == "Northmoor Children First Programme"
    assert programme["graph"]["label"] == "Children's Services Improvement: Progress Report"
    assert programme["evidence"][0]["quote"].startswith("The Northmoor Children First Programme will be overseen")
    # a membership has no page of its own: the generic page, each statement with its evidence
    ctx = get_json(client, "/id/membership/peter-hallam--childrens-services-commissioner--"
                           "northmoor-metropolitan-borough-council.json")
    assert ctx["page"] == "resource" and ctx["entity"]["type"] == "membership"
    outgoing = {g["property"]["iri"]: g["values"] for g in ctx["statements"]["outgoing"]}
    member = outgoing["http://www.w3.org/ns/org#member"][0]
    assert member["label"] == "Peter Hallam"
    assert member["evidence"][0]["quote"].startswith("Peter Hallam was appointed")
    # an IRI under the base is sent to its /id/ page's alternates
    ctx = get_json(client, f"/resource.json?iri={quote(BASE + NORTHMOOR, safe='')}")
    assert ctx["alternates"]["ttl"] == f"/id/{NORTHMOOR}.ttl"


def test_councils_and_reports_indexes(client):
    councils = get_json(client, "/councils.json")["councils"]
    assert any(c["label"] == "Eastdale Borough Council" and c["gss"] == "E06000998" for c in councils)
    reports = get_json(client, "/reports.json")["reports"]
    northmoor = next(r for r in reports if r["iri"] == BASE + REPORT)
    assert northmoor["date"]["display"] == "12 March 2018" and northmoor["evidence_count"] >= 10


def test_search_ranking_filters_and_quotes(client):
    res = get_json(client, "/search.json?q=northmoor")["results"]
    assert res[0]["label"] == "Northmoor Metropolitan Borough Council" and res[0]["rank"] == 0  # altLabel "Northmoor"
    ranks = [r["rank"] for r in res]
    assert ranks == sorted(ranks)
    assert any(r["type"] == "quote" for r in res)
    assert res[0]["href"] == f"/id/{NORTHMOOR}"
    people = get_json(client, "/search.json?q=hallam&type=person")["results"]
    assert [r["label"] for r in people] == ["Peter Hallam"]
    quotes = get_json(client, "/search.json?q=pathway+plans&type=quote")["results"]
    assert quotes and quotes[0]["match"].lower() == "pathway plans" and quotes[0]["anchor"].startswith("ev-")
    assert len(get_json(client, "/search.json?q=council&limit=3")["results"]) == 3
    html = client.get("/search?q=%3Cscript%3E").get_data(as_text=True)
    assert "<script>" not in html.replace('<script src="/static/', "")


def test_unknown_iris_are_404(client):
    assert client.get("/id/organisation/no-such-council").status_code == 404
    r = client.get("/id/organisation/no-such-council.json")
    assert r.status_code == 404 and r.get_json()["page"] == "error"
    assert client.get("/id/organisation/no-such-council.ttl").status_code == 404
    assert client.get("/resource?iri=not%20an%20iri").status_code == 404
    assert client.get("/resource.xml?iri=https%3A%2F%2Fexample.org%2Fx").status_code == 404


@pytest.mark.parametrize(
    "accept, media_type, fmt",
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/n-triples", "application/n-triples", "nt"),
    ],
)
def test_content_negotiation_returns_rdf(client, accept, media_type, fmt):
    r = client.get(f"/id/{NORTHMOOR}", headers={"Accept": accept})
    assert r.status_code == 200 and r.content_type.startswith(media_type)
    assert r.headers["Vary"] == "Accept"
    g = Graph().parse(data=r.get_data(as_text=True), format=fmt)
    from rdflib import URIRef
    from ontology.namespace import CS

    assert str(g.value(URIRef(BASE + NORTHMOOR), CS.gssCode)) == "E08000999"


def test_content_negotiation_html_and_json(client):
    browser_accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert client.get(f"/id/{NORTHMOOR}", headers={"Accept": browser_accept}).content_type.startswith("text/html")
    assert client.get(f"/id/{NORTHMOOR}", headers={"Accept": "*/*"}).content_type.startswith("text/html")
    r = client.get(f"/id/{NORTHMOOR}", headers={"Accept": "application/json"})
    assert r.get_json()["page"] == "council"
    ttl = client.get(f"/id/{NORTHMOOR}.ttl")
    assert ttl.content_type.startswith("text/turtle")
    # the description carries the evidence the entity was derived from
    g = Graph().parse(data=client.get(f"/id/{INSPECTION}.ttl").get_data(as_text=True), format="turtle")
    from ontology.namespace import OA

    assert any("Ofsted inspected services" in str(o) for o in g.objects(None, OA.exact))


def test_every_page_has_a_json_twin_link(client):
    for path in ["/", "/councils", "/reports", "/search?q=slough", f"/id/{REPORT}", f"/id/{INSPECTION}"]:
        html = client.get(path).get_data(as_text=True)
        assert 'rel="alternate" type="application/json"' in html, path
        assert "style=" not in html and "onclick" not in html.lower(), path


def test_councils_filter_by_region_and_grade(client):
    ctx = get_json(client, "/councils.json?region=North+West&grade=inadequate")
    assert ctx["councils"] and all(c["region"] == "North West" and c["grade"] == "inadequate" for c in ctx["councils"])
    assert "Northmoor Metropolitan Borough Council" in [c["label"] for c in ctx["councils"]]
    never = get_json(client, "/councils.json?grade=none")["councils"]
    assert "Eastdale Borough Council" in [c["label"] for c in never] and all(c["grade"] is None for c in never)


def test_pages_work_on_an_empty_store(tmp_path):
    from graph.store import OxigraphStore
    from webapp import create_app

    store = OxigraphStore(tmp_path / "empty")
    try:
        client = create_app({"TESTING": True}, store=store).test_client()
        for path in ["/", "/councils", "/reports", "/search?q=anything", "/index.json"]:
            assert client.get(path).status_code == 200, path
        assert "No councils are loaded yet" in client.get("/").get_data(as_text=True)
    finally:
        store.close()


def test_cached_views_follow_the_store_state(tmp_path):
    """The search index and councils grid are cached per store state: loading a source shows up."""
    from graph import views
    from graph.store import OxigraphStore
    from tests.webapp.fixture_graph import load_fixture_graph

    store = OxigraphStore(tmp_path / "s")
    try:
        assert views.search(store, "northmoor")["total"] == 0 and views.councils_overview(store) == []
        load_fixture_graph(store)
        assert views.search(store, "northmoor")["total"] > 0
        assert "Northmoor Metropolitan Borough Council" in [c["label"] for c in views.councils_overview(store)]
    finally:
        store.close()
