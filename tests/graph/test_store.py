"""Store semantics: add / replace / no-op / remove, union default graph, persistence."""

from __future__ import annotations

import shutil

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from graph.load import load_paths, remove_source
from graph.store import OxigraphStore, SourceBatchItem, SourceRecord, StoreError, now_iso
from tests.conftest import SAMPLES

EX = "http://example.org/"


def record(store, name, sha="1", n=1):
    return SourceRecord(store.minter.report_graph(name), name, sha, "test", now_iso(), n, "report")


def item(store, name, value, sha="1"):
    return SourceBatchItem(record(store, name, sha), [(URIRef(EX + name), URIRef(EX + "p"), Literal(value))])


def values(store, name):
    rows = store.query("SELECT ?o WHERE { ?s ?p ?o }", bindings={"s": URIRef(EX + name)})
    return sorted(str(r[0]) for r in rows)


def test_replace_swaps_a_graph_whole_and_keeps_others(store):
    store.replace_sources([item(store, "a", "old"), item(store, "b", "kept")])
    store.replace_sources([item(store, "a", "new", sha="2")])
    assert values(store, "a") == ["new"]
    assert values(store, "b") == ["kept"]
    recs = {r.source_file: r for r in store.sources()}
    assert recs["a"].sha256 == "2" and recs["b"].sha256 == "1"


def test_prewritten_ntriples_body_replaces_like_triples(store):
    store.replace_sources([item(store, "a", "old")])
    body = f'<{EX}a> <{EX}p> "from body" .\n<{EX}a> <{EX}p> "second" .'
    store.replace_sources([SourceBatchItem(record(store, "a", "2", n=2), body=body)])
    assert values(store, "a") == ["from body", "second"]
    # the same lines encoded (as extraction workers send them), new (bulk-loaded) and replacing
    encoded = f'<{EX}b> <{EX}p> "caf\u00e9 \u00a3" .'.encode("utf-8")
    store.replace_sources([SourceBatchItem(record(store, "b", "1", n=1), body_utf8=encoded)])
    assert values(store, "b") == ["caf\u00e9 \u00a3"]
    store.replace_sources([SourceBatchItem(record(store, "b", "2", n=1), body_utf8=encoded.replace(b"caf", b"th\xc3\xa9"))])
    assert values(store, "b") == ["th\u00e9\u00e9 \u00a3"]


def test_sources_named_finds_only_the_named_records_across_chunks(store):
    odd = 'we"ird } SELECT {.txt'
    odd_rec = SourceRecord(store.minter.report_graph("odd"), odd, "1", "test", now_iso(), 1, "report")
    odd_item = SourceBatchItem(odd_rec, [(URIRef(EX + "odd"), URIRef(EX + "p"), Literal(odd))])
    store.replace_sources([item(store, n, n) for n in ("a", "b", "c")] + [odd_item])
    found = store.sources_named(["a", "c", odd, "missing"], chunk=2)
    assert sorted(r.source_file for r in found) == sorted(["a", "c", odd])
    assert store.sources_named([]) == []


def test_union_default_graph_and_named_graphs(store):
    store.replace_sources([item(store, "a", "x"), item(store, "b", "y")])
    union = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s <http://example.org/p> ?o }")
    assert int(next(iter(union))[0]) == 2
    g = str(store.minter.report_graph("a"))
    named = store.query(f"SELECT ?o WHERE {{ GRAPH <{g}> {{ ?s <http://example.org/p> ?o }} }}")
    assert [str(r[0]) for r in named] == ["x"]
    only_a = store.query("SELECT ?o WHERE { ?s <http://example.org/p> ?o }", default_graphs=[g])
    assert [str(r[0]) for r in only_a] == ["x"]


def test_remove_drops_graph_and_metadata(store):
    store.replace_sources([item(store, "a", "x"), item(store, "b", "y")])
    rec = remove_source(store, "a")
    assert rec is not None and rec.source_file == "a"
    assert values(store, "a") == []
    assert [r.source_file for r in store.sources()] == ["b"]
    assert remove_source(store, "nope") is None


def test_persists_across_reopen(tmp_path):
    path = tmp_path / "s"
    s = OxigraphStore(path)
    s.replace_sources([item(s, "a", "x")])
    s.close()
    s2 = OxigraphStore(path)
    assert values(s2, "a") == ["x"]
    assert [r.source_file for r in s2.sources()] == ["a"]
    s2.close()


def test_same_graph_twice_in_one_batch_last_wins(store):
    store.replace_sources([item(store, "a", "first"), item(store, "b", "b"), item(store, "a", "second", sha="2")])
    assert values(store, "a") == ["second"]
    recs = [r for r in store.sources() if r.source_file == "a"]
    assert len(recs) == 1 and recs[0].sha256 == "2"


def test_new_and_replaced_sources_in_one_batch(store):
    store.replace_sources([item(store, "a", "old")])
    store.replace_sources([item(store, "a", "new", sha="2"), item(store, "c", "fresh")])
    assert values(store, "a") == ["new"] and values(store, "c") == ["fresh"]
    meta = store.minter.meta_graph.n3()
    pending = store.query(f"ASK {{ GRAPH {meta} {{ ?g cs:loadPending ?x }} }}")
    assert not pending.askAnswer, "a completed load left its pending mark behind"


def test_a_bulk_load_cut_off_midway_is_undone_at_the_next_open(tmp_path):
    """What a process killed inside the bulk loader leaves: the pending mark and part of a new
    graph. The next writer removes both, and the file loads again in full."""
    import pyoxigraph as ox

    from ontology.namespace import CS

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(next(SAMPLES.glob("slough*.txt")), folder / "slough.txt")
    path = tmp_path / "s"
    s = OxigraphStore(path)
    load_paths(s, [folder])
    whole = len(s.ox)
    rec = s.sources()[0]
    g, meta = ox.NamedNode(rec.graph), ox.NamedNode(s.minter.meta_graph)
    half = list(s.ox.quads_for_pattern(None, None, None, g))[: rec.triple_count // 2]
    s.remove_source(rec.graph)
    s.ox.extend([ox.Quad(g, ox.NamedNode(CS.loadPending), ox.Literal(True), meta), *half])
    s.close()

    s = OxigraphStore(path)
    assert s.repaired == [rec.graph]
    assert len(list(s.ox.quads_for_pattern(None, None, None, g))) == 0
    assert s.sources() == []
    summary = load_paths(s, [folder])
    assert summary.count("loaded") == 1 and len(s.ox) == whole
    s.close()
    assert OxigraphStore(path).repaired == []


def test_second_writer_gets_a_clear_message(tmp_path):
    s = OxigraphStore(tmp_path / "s")
    with pytest.raises(StoreError, match="in use by another cskg process"):
        OxigraphStore(tmp_path / "s")
    s.close()


def dataset_of(store) -> Dataset:
    import io

    buf = io.BytesIO()
    store.dump(buf, "nquads")
    ds = Dataset()
    ds.parse(data=buf.getvalue().decode(), format="nquads")
    return ds


def _without_load_times(ds: Dataset) -> dict:
    from ontology.namespace import CS

    out = {}
    for g in ds.graphs():
        gg = to_isomorphic(g)
        for t in list(gg.triples((None, CS.loadedAt, None))):
            gg.remove(t)
        out[str(g.identifier)] = gg
    return out


def test_loading_samples_twice_is_a_no_op_and_reloads_are_isomorphic(tmp_path):
    s = OxigraphStore(tmp_path / "one")
    first = load_paths(s, [SAMPLES])
    assert first.count("loaded") == 5 and first.count("failed") == 0
    again = load_paths(s, [SAMPLES])
    assert again.count("unchanged") == 5 and again.count("loaded") == 0
    before = _without_load_times(dataset_of(s))
    # a second store loading the same folder in another order holds the same graphs
    s2 = OxigraphStore(tmp_path / "two")
    for f in sorted(SAMPLES.glob("*.txt"), reverse=True):
        load_paths(s2, [f])
    after = _without_load_times(dataset_of(s2))
    assert before.keys() == after.keys()
    for name in before:
        if not isomorphic(before[name], after[name]):
            _, only_a, only_b = graph_diff(before[name], after[name])
            pytest.fail(f"graph {name} differs:\n{only_a.serialize(format='nt')}\n---\n{only_b.serialize(format='nt')}")
    s.close()
    s2.close()


def test_changed_file_replaces_its_graph(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    src = next(SAMPLES.glob("walsall*.txt"))
    target = folder / src.name
    shutil.copy(src, target)
    s = OxigraphStore(tmp_path / "s")
    load_paths(s, [folder])
    target.write_text("Walsall Council\n\nA short replacement report about nothing much.\n", encoding="utf-8")
    summary = load_paths(s, [folder])
    assert summary.count("loaded") == 1
    texts = [str(r[0]) for r in s.query("SELECT ?t WHERE { ?x a <https://w3id.org/cskg/def/cs#TextRendition> ; <https://schema.org/text> ?t }")]
    assert texts == ["Walsall Council\n\nA short replacement report about nothing much."]  # the rendition is trimmed
    s.close()


def test_bad_file_is_reported_and_the_rest_still_load(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(next(SAMPLES.glob("slough*.txt")), folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "notes.xyz").write_text("?")
    s = OxigraphStore(tmp_path / "s")
    summary = load_paths(s, [folder])
    by_name = {o.path.rsplit("/", 1)[-1]: o for o in summary.outcomes}
    assert by_name["good.txt"].status == "loaded"
    assert by_name["empty.txt"].status == "failed" and "empty" in by_name["empty.txt"].reason
    assert by_name["notes.xyz"].status == "skipped"
    assert [r.source_file for r in s.sources()] == ["good.txt"]
    s.close()


def test_compact_keeps_every_quad_and_the_store_writable(tmp_path):
    store = OxigraphStore(tmp_path / "s")
    store.replace_sources([item(store, n, n) for n in ("a", "b", "c")])
    store.replace_sources([item(store, "b", "b2", sha="2")])
    before = sorted(str(q) for q in store.ox.quads_for_pattern(None, None, None))
    assert store.compact() is True
    assert sorted(str(q) for q in store.ox.quads_for_pattern(None, None, None)) == before
    store.replace_sources([item(store, "d", "d")])
    assert values(store, "d") == ["d"] and values(store, "b") == ["b2"]
    store.close()
    assert OxigraphStore(None).compact() is False  # in memory: nothing to compact


def test_reports_written_in_one_batch_keep_their_own_blank_nodes(tmp_path):
    # two reports with the same text state the same facts at the same offsets: each fact's
    # qualified derivation (a blank node) must stay its report's, in its graph and in the union,
    # whether the reports are written in one bulk batch or one at a time
    folder = tmp_path / "reports"
    folder.mkdir()
    src = next(SAMPLES.glob("walsall*.txt"))
    for name in ("walsall-a.txt", "walsall-b.txt"):
        shutil.copy(src, folder / name)
    shared = """SELECT ?d (COUNT(DISTINCT ?e) AS ?n) WHERE { ?d <http://www.w3.org/ns/prov#entity> ?e } GROUP BY ?d HAVING (COUNT(DISTINCT ?e) > 1)"""
    in_graphs = """SELECT ?d (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?d <http://www.w3.org/ns/prov#entity> ?e } } GROUP BY ?d HAVING (COUNT(DISTINCT ?g) > 1)"""
    counts = {}
    for batch in (20, 1):
        s = OxigraphStore(tmp_path / f"store-{batch}")
        assert load_paths(s, [folder], batch_size=batch).count("loaded") == 2
        assert list(s.query(shared)) == []
        assert list(s.raw_query(in_graphs)) == []
        counts[batch] = len(list(s.raw_query("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }")))
        counts[batch, "union"] = len(list(s.query("SELECT * WHERE { ?s ?p ?o }")))
        s.close()
    assert counts[20] == counts[1] and counts[20, "union"] == counts[1, "union"]


def test_a_load_writes_in_batches_and_sooner_when_reports_wait(tmp_path):
    s = OxigraphStore(tmp_path / "s")
    calls: list[int] = []
    write = s.replace_sources
    s.replace_sources = lambda items: (calls.append(len(items)), write(items))[1]
    assert load_paths(s, [SAMPLES], workers=1, batch_seconds=600).count("loaded") == 5
    assert calls == [5]  # one bulk write for a small load
    calls.clear()
    s2 = OxigraphStore(tmp_path / "s2")
    write2 = s2.replace_sources
    s2.replace_sources = lambda items: (calls.append(len(items)), write2(items))[1]
    # a report that has waited its time is written with what waits with it, without waiting for a full batch
    assert load_paths(s2, [SAMPLES], workers=1, batch_seconds=0).count("loaded") == 5
    assert calls == [1, 1, 1, 1, 1]
    s.close()
    s2.close()


def test_query_results_convert_each_term_by_its_own_kind_once_per_distinct_term(store):
    """Results convert each distinct term once (a memo per result): terms that share their text
    but not their kind must still come back as what they are, in every row."""
    from rdflib import BNode
    from rdflib.namespace import XSD

    rows = list(store.query(
        'SELECT ?x ?y WHERE { VALUES (?x ?y) { (<urn:1> "1") ("1" "1"^^<http://www.w3.org/2001/XMLSchema#integer>)'
        ' ("1"@en "1"@fr) (1.5 "2"^^<http://www.w3.org/2001/XMLSchema#decimal>) (<urn:1> "1") ("1" UNDEF) } }'
    ))
    assert [tuple(r) for r in rows] == [
        (URIRef("urn:1"), Literal("1")),
        (Literal("1"), Literal(1)),
        (Literal("1", lang="en"), Literal("1", lang="fr")),
        (Literal("1.5", datatype=XSD.decimal), Literal("2", datatype=XSD.decimal)),
        (URIRef("urn:1"), Literal("1")),
        (Literal("1"), None),
    ]
    assert [type(r[0]) for r in rows] == [URIRef, Literal, Literal, Literal, URIRef, Literal]
    assert rows[1][1].datatype == XSD.integer and rows[0][1].datatype is None and rows[2][1].language == "fr"
    assert rows[0][0] is rows[4][0]  # converted once
    blank = list(store.query("SELECT ?b WHERE { BIND(BNODE() AS ?b) }"))[0][0]
    assert isinstance(blank, BNode)


def _records_in_order(store) -> list[tuple[str, str]]:
    reference = [SourceRecord(store.minter.graph_ns[f"reference/{n}"], n, "1", "test", now_iso(), 1, "reference")
                 for n in ("zeta.csv", "alpha.csv")]
    store.replace_sources([SourceBatchItem(r, [(URIRef(EX + r.source_file), URIRef(EX + "p"), Literal(1))])
                           for r in reference])
    store.replace_sources([item(store, n, n) for n in ("m-report.txt", "B-report.txt", "a-report.txt")])
    return [(r.kind, r.source_file) for r in store.sources()]


# kind, then file name by code point (capitals first): the order the query's ORDER BY gave
RECORDS_IN_ORDER = [("reference", "alpha.csv"), ("reference", "zeta.csv"),
                    ("report", "B-report.txt"), ("report", "a-report.txt"), ("report", "m-report.txt")]


def test_sources_come_by_kind_then_file_name(store):
    """The records are sorted in Python, not by the query: the same order as before."""
    assert _records_in_order(store) == RECORDS_IN_ORDER


def test_the_records_read_for_the_pages_follow_every_write(store):
    """explore.store_sources keeps the records read last while the store's write count stays the
    same; any write through the store reads them again."""
    from graph.explore import store_sources, store_state

    store.replace_sources([item(store, "a", "1")])
    first, state = store_sources(store), store_state(store)
    assert [r.source_file for r in first] == ["a"] and store_sources(store) == first
    store.replace_sources([item(store, "b", "2")])
    assert [r.source_file for r in store_sources(store)] == ["a", "b"]
    assert store_state(store) != state
    store.remove_source(store.minter.report_graph("a"))
    assert [r.source_file for r in store_sources(store)] == ["b"]
