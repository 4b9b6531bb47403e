"""/queries and /queries/NAME (+ .json and .csv) over the fixture library (tests/webapp/library_queries)."""

from __future__ import annotations

import csv
import io

import pytest

from tests.analytics.constructed import constructed_app, library_fixtures


@pytest.fixture(scope="module")
def app_store():
    app, store = constructed_app()
    yield app, store
    store.close()


@pytest.fixture
def client(app_store, monkeypatch):
    yield from (c for _ in library_fixtures(monkeypatch) for c in [app_store[0].test_client()])


def test_index_lists_titles_and_descriptions(client):
    data = client.get("/queries.json").get_json()
    names = [q["name"] for q in data["queries"]]
    assert names == ["councils_by_programmes", "interventions_timeline", "people_of_council"]
    timeline = data["queries"][1]
    assert timeline["title"] == "Interventions over time" and timeline["view"] == "timeline"
    assert timeline["params"] == [{"name": "since", "type": "year", "default": "2000", "description": "the earliest year to show"}]
    html = client.get("/queries").get_data(as_text=True)
    assert '<a href="/queries/interventions_timeline">Interventions over time</a>' in html


def test_query_page_runs_with_defaults_and_labels_iris(client):
    data = client.get("/queries/interventions_timeline.json").get_json()
    assert data["vars"] == ["council", "intervention", "start"]
    assert data["row_count"] == 2
    first = data["rows"][0]
    assert first[0]["label"] == "Eastham Borough Council" and first[0]["url"] == "/id/organisation/eastham-borough-council"
    assert first[2] == {"value": "2017-05", "label": "2017-05", "date": True}
    assert data["form"][0]["input"] == "number" and data["form"][0]["value"] == "2000"


def test_parameters_change_the_results_and_the_downloads_carry_them(client):
    data = client.get("/queries/interventions_timeline.json?since=2018").get_json()
    assert data["row_count"] == 1
    assert data["downloads"]["csv"] == "/queries/interventions_timeline.csv?since=2018"
    r = client.get(data["downloads"]["csv"])
    assert r.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(r.get_data(as_text=True))))
    assert rows[0] == ["council", "intervention", "start"]
    assert rows[1][0] == "https://w3id.org/cskg/id/organisation/southshire-county-council" and len(rows) == 2
    bad = client.get("/queries/interventions_timeline.json?since=soon")
    assert bad.status_code == 400 and "'soon' is not a valid year" in bad.get_json()["error"]


def test_timeline_view_draws_an_svg_chart(client):
    data = client.get("/queries/interventions_timeline.json").get_json()
    chart = data["chart"]
    assert chart["type"] == "timeline" and chart["date_var"] == "start" and chart["label_var"] == "council"
    assert [lane["label"] for lane in chart["lanes"]] == ["Eastham Borough Council", "Southshire County Council"]
    assert chart["marks"][0]["x"] < chart["marks"][1]["x"]
    html = client.get("/queries/interventions_timeline").get_data(as_text=True)
    assert '<svg class="chart"' in html and "<circle class=\"dot\"" in html
    assert 'style="' not in html


def test_bar_view(client):
    chart = client.get("/queries/councils_by_programmes.json").get_json()["chart"]
    assert chart["type"] == "bar" and chart["value_var"] == "programmes"
    assert [b["label"] for b in chart["bars"]] == ["Northshire County Council"]
    assert [t["label"] for t in chart["ticks"]] == ["0", "1"]
    assert chart["bars"][0]["w"] == chart["ticks"][-1]["x"] - chart["x0"]  # the longest bar reaches the last tick
    assert client.get("/queries/councils_by_programmes").get_data(as_text=True).count('<rect class="bar"') == 1


def test_graph_view_needs_its_iri_parameter_and_takes_a_name(client):
    missing = client.get("/queries/people_of_council.json")
    assert missing.status_code == 200 and missing.get_json()["error"] == "give a value for council to run this query"
    data = client.get("/queries/people_of_council.json?council=Northshire+County+Council").get_json()
    assert data["params"]["council"] == "https://w3id.org/cskg/id/organisation/northshire-county-council"
    assert {row[1]["label"] for row in data["rows"]} == {"Ada Quill", "Ben North"}
    labels = {n["label"] for n in data["network"]["nodes"]}
    assert {"Northshire County Council", "Ada Quill", "Ben North"} <= labels
    html = client.get("/queries/people_of_council?council=Northshire+County+Council").get_data(as_text=True)
    assert 'id="network-data"' in html


def test_unknown_query_is_404(client):
    assert client.get("/queries/nope").status_code == 404
    assert client.get("/queries/nope.json").status_code == 404
