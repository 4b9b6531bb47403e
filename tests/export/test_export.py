"""Exports in every format parse in rdflib and in pyoxigraph and agree with each other: the whole
store, one graph, one entity with its evidence, a CONSTRUCT query; and the CLI options."""

from __future__ import annotations

import io
import json

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from cskg.cli import cli
from graph.export import export_construct, export_entity, export_store
from graph.load import load_paths
from graph.store import OxigraphStore
from ontology.namespace import CS, OA, PROV
from tests.conftest import SAMPLES

RDFLIB_FORMAT = {"turtle": "turtle", "ntriples": "nt", "trig": "trig", "nquads": "nquads", "jsonld": "json-ld"}
OX_FORMAT = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "trig": ox.RdfFormat.TRIG,
             "nquads": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD}
QUAD_FORMATS = ("trig", "nquads", "jsonld")


@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    store = OxigraphStore(tmp_path_factory.mktemp("export") / "store")
    files = sorted(SAMPLES.glob("*.txt"))[:2]
    assert load_paths(store, files).count("loaded") == 2
    yield store
    store.close()


def _ox_term(t):
    from graph.store import _from_ox  # xsd:string literals as plain literals, as rdflib reads them

    return _from_ox(t)


def parsed_both_ways(data: bytes, fmt: str) -> tuple[Dataset, Dataset]:
    """The same bytes read by rdflib and by pyoxigraph, each as an rdflib Dataset."""
    by_rdflib = Dataset()
    by_rdflib.parse(data=data, format=RDFLIB_FORMAT[fmt])
    by_ox = Dataset()
    for q in ox.parse(data, format=OX_FORMAT[fmt]):
        g = q.graph_name if isinstance(q, ox.Quad) else ox.DefaultGraph()
        graph = by_ox.default_graph if isinstance(g, ox.DefaultGraph) else by_ox.graph(URIRef(g.value))
        graph.add((_ox_term(q.subject), _ox_term(q.predicate), _ox_term(q.object)))
    return by_rdflib, by_ox


def graphs_of(ds: Dataset) -> dict[str, Graph]:
    out = {}
    for g in ds.graphs():
        if len(g):
            copy = Graph()
            for t in g:
                copy.add(t)
            out[str(g.identifier)] = copy
    return out


def union_of(ds: Dataset) -> Graph:
    g = Graph()
    for s, p, o, _ in ds.quads():
        g.add((s, p, o))
    return g


def assert_same_datasets(a: Dataset, b: Dataset) -> None:
    ga, gb = graphs_of(a), graphs_of(b)
    assert ga.keys() == gb.keys()
    for name in ga:
        assert isomorphic(ga[name], gb[name]), name


@pytest.mark.parametrize("fmt", sorted(RDFLIB_FORMAT))
def test_whole_store_exports_parse_in_rdflib_and_oxigraph_and_agree(small_store, fmt):
    buf = io.BytesIO()
    export_store(small_store, buf, fmt)
    by_rdflib, by_ox = parsed_both_ways(buf.getvalue(), fmt)
    assert_same_datasets(by_rdflib, by_ox)
    reference = io.BytesIO()
    export_store(small_store, reference, "nquads")
    ref_rdflib, _ = parsed_both_ways(reference.getvalue(), "nquads")
    if fmt in QUAD_FORMATS:
        assert_same_datasets(by_rdflib, ref_rdflib)
        # two report graphs, the metadata graph and the summaries graph
        assert len(graphs_of(by_rdflib)) == 4 and str(small_store.minter.graph_ns["summaries"]) in graphs_of(by_rdflib)
    else:
        assert isomorphic(union_of(by_rdflib), union_of(ref_rdflib))


def test_turtle_and_jsonld_declare_our_prefixes(small_store):
    buf = io.BytesIO()
    export_store(small_store, buf, "turtle")
    text = buf.getvalue().decode()
    assert "@prefix cs: <https://w3id.org/cskg/def/cs#> ." in text
    assert "<https://w3id.org/cskg/def/cs#" not in text.split("\n", 60)[-1]
    buf = io.BytesIO()
    export_store(small_store, buf, "jsonld")
    doc = json.loads(buf.getvalue())
    assert doc["@context"]["cs"] == str(CS._NS) and doc["@context"]["oa"] == str(OA)
    assert any(key.startswith("cs:") for node in doc["@graph"] for g in node.get("@graph", [node]) for key in g)


def test_one_graph_keeps_its_name_in_trig(small_store):
    rec = next(r for r in small_store.sources() if r.kind == "report")
    buf = io.BytesIO()
    export_store(small_store, buf, "trig", str(rec.graph))
    by_rdflib, by_ox = parsed_both_ways(buf.getvalue(), "trig")
    assert list(graphs_of(by_rdflib)) == [str(rec.graph)]
    assert len(graphs_of(by_rdflib)[str(rec.graph)]) == rec.triple_count
    assert_same_datasets(by_rdflib, by_ox)


def test_entity_export_carries_the_evidence_of_each_fact(small_store):
    row = next(iter(small_store.query(
        "SELECT ?person WHERE { ?m a org:Membership ; org:member ?person ; prov:wasDerivedFrom ?ev } LIMIT 1")))
    person = str(row[0])
    for fmt in ("turtle", "trig", "nquads", "jsonld"):
        buf = io.BytesIO()
        assert export_entity(small_store, person, buf, fmt) > 0
        by_rdflib, by_ox = parsed_both_ways(buf.getvalue(), fmt)
        assert isomorphic(union_of(by_rdflib), union_of(by_ox))
    g = union_of(by_rdflib)
    memberships = set(g.subjects(URIRef("http://www.w3.org/ns/org#member"), URIRef(person)))
    assert memberships, "the facts pointing at the person are included"
    texts = {str(r[0]): str(r[1]) for r in small_store.query(
        "SELECT ?t ?text WHERE { ?t a cs:TextRendition ; schema:text ?text }")}
    checked = 0
    for m in memberships:
        for ev in g.objects(m, PROV.wasDerivedFrom):
            source = str(g.value(ev, OA.hasSource))
            exact = start = end = None
            for sel in g.objects(ev, OA.hasSelector):
                exact = exact or g.value(sel, OA.exact)
                start = start if start is not None else g.value(sel, OA.start)
                end = end if end is not None else g.value(sel, OA.end)
            assert texts[source][int(start):int(end)] == str(exact)
            checked += 1
    assert checked
    assert export_entity(small_store, "http://example.org/nothing", io.BytesIO(), "turtle") == 0


def test_construct_export(small_store):
    buf = io.BytesIO()
    n = export_construct(small_store, "CONSTRUCT { ?r dcterms:title ?t } WHERE { ?r a schema:Report ; dcterms:title ?t }",
                         buf, "turtle")
    assert n == 2
    assert len(Graph().parse(data=buf.getvalue(), format="turtle")) == 2


def test_cli_entity_and_construct(small_store, tmp_path):
    store_path = tmp_path / "cli-store"
    runner = CliRunner()
    assert runner.invoke(cli, ["--store", str(store_path), "load", str(sorted(SAMPLES.glob("*.txt"))[0])]).exit_code == 0
    s = OxigraphStore(store_path)
    report = str(next(iter(s.query("SELECT ?r WHERE { ?r a schema:Report }")))[0])
    s.close()
    out = runner.invoke(cli, ["--store", str(store_path), "export", "--entity", report, "--format", "nquads"])
    assert out.exit_code == 0, out.output
    assert report in out.output
    out = runner.invoke(cli, ["--store", str(store_path), "export", "--format", "jsonld", "--construct",
                              "CONSTRUCT { ?r a schema:Report } WHERE { ?r a schema:Report }"])
    assert out.exit_code == 0 and json.loads(out.output)["@graph"][0]["@type"] == ["schema:Report"]
    bad = runner.invoke(cli, ["--store", str(store_path), "export", "--construct", "SELECT * WHERE { ?s ?p ?o }"])
    assert bad.exit_code == 1 and "CONSTRUCT" in bad.output and "Traceback" not in bad.output
    both = runner.invoke(cli, ["--store", str(store_path), "export", "--entity", report, "--construct", "x"])
    assert both.exit_code == 1 and "at most one" in both.output
