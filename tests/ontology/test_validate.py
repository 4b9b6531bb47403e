"""validate_store over a real Oxigraph store: violations name the shape, the focus node and the
named graph that states it; one graph can be validated alone."""

from __future__ import annotations

import pytest
from rdflib import Literal

from graph.store import SourceBatchItem, SourceRecord, StoreError, now_iso
from graph.validate import validate_store
from ontology.namespace import CS, DCTERMS, GRADE, ITYPE, ORG, RDF, SKOS


def _put(store, name: str, triples) -> None:
    graph = store.minter.report_graph(name)
    rec = SourceRecord(graph, f"{name}.txt", "0" * 64, "test", now_iso(), len(triples), "report")
    store.replace_sources([SourceBatchItem(rec, triples)])


def test_violations_are_grouped_by_shape_with_focus_and_graph(store):
    council = store.minter.organisation("Slough Borough Council")
    insp = store.minter.inspection_from_key("Slough Borough Council", "ilacs", "2019-01-21")
    judgement = store.minter.judgement(insp, "overall-effectiveness")
    _put(store, "good", [
        (council, RDF.type, CS.LocalAuthority), (council, RDF.type, ORG.FormalOrganization),
        (council, SKOS.prefLabel, Literal("Slough Borough Council")), (council, CS.gssCode, Literal("E06000039")),
    ])
    # a judgement with a grade outside the scheme and no evidence, in its own report graph
    _put(store, "bad", [
        (insp, RDF.type, CS.Inspection), (insp, DCTERMS.type, ITYPE.ilacs), (insp, CS.inspectedOrganisation, council),
        (judgement, RDF.type, CS.Judgement), (judgement, CS.inspection, insp),
        (judgement, CS.judgementArea, GRADE.good), (judgement, CS.grade, GRADE.good),
    ])
    report = validate_store(store)
    assert not report.conforms
    hits = [v for v in report.violations if v.shape == "shp:JudgementShape" and v.path == "cs:judgementArea"]
    assert [v.graphs for v in hits] == [("graph:report/bad",)]
    assert hits[0].focus == f"<{judgement}>"
    text = report.text()
    assert "does not conform" in text and "shp:FactDerivationShape prov:wasDerivedFrom" in text
    assert "graph:report/bad" in text

    alone = validate_store(store, graph="good.txt")
    assert alone.conforms, alone.text()
    assert alone.scope.endswith("/report/good")


def test_unknown_graph_is_a_plain_error(store):
    with pytest.raises(StoreError, match="no graph named 'nope.txt'"):
        validate_store(store, graph="nope.txt")
