"""The remote store against a real Oxigraph server: the same store behaviour as the embedded
store (add, replace, no-op, remove, union default graph, named graphs), the CLI, exports, the
query library and the /sparql endpoint on top of it."""

from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal, URIRef

from cskg.cli import cli
from graph.load import load_paths, remove_source
from graph.query import run_library_query
from graph.remote import RemoteStore
from graph.store import SourceBatchItem, SourceRecord, StoreError, now_iso, open_store
from tests.conftest import SAMPLES

pytestmark = pytest.mark.server

EX = "http://example.org/"


def item(store, name, value, sha="1"):
    rec = SourceRecord(store.minter.report_graph(name), name, sha, "test", now_iso(), 1, "report")
    return SourceBatchItem(rec, [(URIRef(EX + name), URIRef(EX + "p"), Literal(value))])


def values(store, name):
    return sorted(str(r[0]) for r in store.query("SELECT ?o WHERE { ?s ?p ?o }", bindings={"s": URIRef(EX + name)}))


def test_from_url_reads_endpoints_and_credentials(monkeypatch):
    s = RemoteStore.from_url("sparql+https://ann:s%3Acret@db.example.org:3030/ds?union=")
    assert s.query_url == "https://db.example.org:3030/ds/query"
    assert s.update_url == "https://db.example.org:3030/ds/update"
    assert s.union_param is None and s._auth is not None
    assert "s:cret" not in s.location and "ann" not in s.location
    s = RemoteStore.from_url("sparql+http://h:7200?query=/repositories/cskg&update=/repositories/cskg/statements")
    assert s.query_url == "http://h:7200/repositories/cskg"
    assert s.update_url == "http://h:7200/repositories/cskg/statements"
    monkeypatch.setenv("CSKG_STORE_USER", "bob")
    assert RemoteStore.from_url("sparql+http://h:1")._auth is not None
    with pytest.raises(StoreError):
        RemoteStore.from_url("sparql+ftp://h/x")


def test_replace_swaps_a_graph_whole_and_keeps_others(remote):
    remote.replace_sources([item(remote, "a", "old"), item(remote, "b", "kept")])
    remote.replace_sources([item(remote, "a", "new", sha="2")])
    assert values(remote, "a") == ["new"] and values(remote, "b") == ["kept"]
    recs = {r.source_file: r for r in remote.sources()}
    assert recs["a"].sha256 == "2" and recs["b"].sha256 == "1"


def test_sources_come_by_kind_then_file_name(remote):
    from tests.graph.test_store import RECORDS_IN_ORDER, _records_in_order

    assert _records_in_order(remote) == RECORDS_IN_ORDER


def test_union_default_graph_and_named_graphs(remote):
    remote.replace_sources([item(remote, "a", "x"), item(remote, "b", "y")])
    union = remote.query("SELECT (COUNT(*) AS ?n) WHERE { ?s <http://example.org/p> ?o }")
    assert int(next(iter(union))[0]) == 2
    g = str(remote.minter.report_graph("a"))
    named = remote.query(f"SELECT ?o WHERE {{ GRAPH <{g}> {{ ?s <http://example.org/p> ?o }} }}")
    assert [str(r[0]) for r in named] == ["x"]
    only_a = remote.query("SELECT ?o WHERE { ?s <http://example.org/p> ?o }", default_graphs=[g])
    assert [str(r[0]) for r in only_a] == ["x"]


def test_load_twice_is_a_no_op_and_remove_drops_graph_and_metadata(remote):
    first = load_paths(remote, [SAMPLES])
    assert first.count("loaded") == 5 and first.count("failed") == 0
    again = load_paths(remote, [SAMPLES])
    assert again.count("unchanged") == 5
    rec = remove_source(remote, "slough-2017-06-19-cabinet-childrens-services-trust-update.txt")
    assert rec is not None
    assert len(remote.sources()) == 4
    left = remote.query("ASK { GRAPH ?g { ?s ?p ?o } }", bindings={"g": rec.graph})
    assert left.askAnswer is False


def test_exports_and_the_library_work_remotely(remote):
    paths = sorted(SAMPLES.glob("*.txt"))[:2]
    load_paths(remote, paths)
    from graph.export import export_store

    buf = io.BytesIO()
    export_store(remote, buf, "trig")
    ds = Dataset()
    ds.parse(data=buf.getvalue(), format="trig")
    kept = str(remote.minter.graph_ns["summaries"])
    assert len([g for g in ds.graphs() if len(g) and str(g.identifier) != kept]) == 3  # two reports and the metadata
    # name a report that was loaded: the library default names one council's reports
    vars_, rows = run_library_query(remote, "report-facts", {"report_name": paths[0].stem})
    assert rows and "quote" in vars_
    kind = vars_.index("kind")
    assert {str(r[kind]) for r in rows} >= {"inspection", "judgement"}


def test_cli_against_the_server(oxigraph_server, remote, tmp_path):
    runner = CliRunner()

    def run(*args):
        return runner.invoke(cli, ["--store", oxigraph_server, *args], catch_exceptions=False)

    assert "5 loaded" in run("load", str(SAMPLES)).output
    assert "5 unchanged" in run("load", str(SAMPLES)).output
    stats = json.loads(run("stats", "--json").output)
    assert stats["sources"]["report"] == 5 and stats["entities"]["reports"] == 5
    assert stats["store"].startswith("sparql+http://")
    q = run("query", "SELECT DISTINCT ?file WHERE { ?r a schema:Report ; cs:sourceFile ?file } ORDER BY ?file",
            "--format", "csv")
    assert len(q.output.strip().splitlines()) == 6
    out = tmp_path / "one.ttl"
    assert run("export", "--graph", "walsall-2015-04-13-council-portfolio-holder-report-childrens-services.txt",
               "-o", str(out)).exit_code == 0
    assert len(Graph().parse(out, format="turtle")) > 10
    removed = run("remove", "walsall-2015-04-13-council-portfolio-holder-report-childrens-services.txt")
    assert "removed walsall" in removed.output
    assert json.loads(run("stats", "--json").output)["sources"]["report"] == 4


def test_an_unreachable_server_is_a_one_line_error(tmp_path):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "cskg.cli", "--store", "sparql+http://127.0.0.1:9/", "stats"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "cannot reach the SPARQL server" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_the_endpoint_serves_a_remote_store(oxigraph_server, remote):
    from webapp import create_app

    load_paths(remote, sorted(SAMPLES.glob("*.txt"))[:1])
    app = create_app({"TESTING": True, "MAX_ROWS": 3}, store=open_store(oxigraph_server))
    client = app.test_client()
    r = client.get("/sparql", query_string={"query": "SELECT ?s WHERE { ?s ?p ?o }"})
    assert r.status_code == 200 and r.headers["X-Cskg-Truncated"] == "true"
    assert len(json.loads(r.data)["results"]["bindings"]) == 3
    bad = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p }"})
    assert bad.status_code == 400


def test_the_server_keeps_the_summaries_up_to_date(oxigraph_server, remote):
    from graph import summaries
    from tests.graph.test_summaries import direct_funding, direct_history, direct_latest, funding, history, latest

    load_paths(remote, [SAMPLES])
    assert funding(remote) == direct_funding(remote) and funding(remote)
    assert latest(remote) == direct_latest(remote)
    assert history(remote) == direct_history(remote) and history(remote)[0]
    remove_source(remote, "walsall-2015-04-13-council-portfolio-holder-report-childrens-services.txt")
    assert funding(remote) == direct_funding(remote) and latest(remote) == direct_latest(remote)
    assert history(remote) == direct_history(remote)
    assert summaries.current(remote)  # kept from the empty server on: this version is recorded
    # opening the server as a store brings summaries written by another version up to date
    from ontology.namespace import CS

    remote.update(f"DELETE WHERE {{ GRAPH {summaries.summaries_graph(remote).n3()} {{ ?g {CS.summaryVersion.n3()} ?v }} }}")
    assert not summaries.current(remote)
    again = open_store(oxigraph_server)
    assert summaries.current(again) and funding(again) == direct_funding(again)


def test_every_library_query_gives_the_same_rows_remotely_as_embedded(remote):
    """The library's query shapes (subqueries joined in memory, made sort keys with "\\u0001",
    GRAPH lookups of a report's own graph) are plain SPARQL 1.1: a server gives the rows the
    embedded store gives, with the same data."""
    from graph.store import OxigraphStore
    from queries import library

    embedded = OxigraphStore(None)
    load_paths(embedded, [SAMPLES], workers=1)
    load_paths(remote, [SAMPLES], workers=1)
    checked = 0
    for name in sorted(library()):
        here = run_library_query(embedded, name)
        there = run_library_query(remote, name)
        assert here[0] == there[0], name
        as_text = lambda rows: sorted(tuple("" if t is None else t.n3() for t in row) for row in rows)  # noqa: E731
        assert as_text(here[1]) == as_text(there[1]), name
        checked += bool(here[1])
    embedded.close()
    assert checked >= 12, checked  # most queries have rows on the samples


def test_the_entity_graph_is_the_same_remotely_as_embedded(remote):
    """The entity graph reads its two queries side by side, in two threads: against a server, two
    requests at once. The graph is the one the embedded store builds from the same data."""
    from graph.analytics import entity_graph
    from graph.store import OxigraphStore
    from tests.analytics.test_graph_query import as_comparable

    embedded = OxigraphStore(None)
    try:
        load_paths(embedded, [SAMPLES], workers=1)
        load_paths(remote, [SAMPLES], workers=1)
        here, there = as_comparable(entity_graph(embedded)), as_comparable(entity_graph(remote))
    finally:
        embedded.close()
    assert len(here[1]) > 100
    assert there[0] == here[0]
    assert there[1] == here[1]
    assert there[2] == here[2]
