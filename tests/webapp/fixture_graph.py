"""The explorer's test graph: the fictional Northmoor report's facts, stated here with evidence
spans located in the fixture text, built into a report graph by graph/build.py (so the graph has
exactly the shape the data contract gives), plus a small council-register graph."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

from rdflib import Graph

from graph.build import report_triples
from graph.store import SourceBatchItem, SourceRecord, Store, now_iso
from loaders.model import (
    Document,
    Evidence,
    Inspection,
    Intervention,
    Judgement,
    Membership,
    MonetaryAmount,
    OrgRef,
    PartialDate,
    PersonRef,
    Programme,
    Recommendation,
    ReportInfo,
)

FIXTURES = Path(__file__).parent / "fixtures"
REPORT_FILE = "northmoor-2018-03-12-cabinet-childrens-services-improvement.txt"
XSS_FILE = "xss-2019-01-01-cabinet-script-test.txt"

NORTHMOOR = OrgRef("Northmoor Metropolitan Borough Council", gss="E08000999", kind="council")
DFE = OrgRef("Department for Education", kind="government")
BOARD = OrgRef("Northmoor Improvement Board", kind="board")


def _ev(text: str, quote: str) -> Evidence:
    start = text.index(quote)
    return Evidence(quote, start, start + len(quote), "fixture", "1")


def northmoor_facts(text: str) -> list:
    ev = lambda q: _ev(text, q)  # noqa: E731
    inspection = Inspection(
        evidence=ev("Ofsted inspected services for children in need of help and protection"),
        org=NORTHMOOR,
        type="sif",
        start=PartialDate("2017-11-06"),
        end=PartialDate("2017-11-30"),
        lead_inspector=PersonRef("alison-greenway", "Alison Greenway"),
    )
    direction = Intervention(
        evidence=ev("On 15 January 2018 the Secretary of State issued a statutory direction to the council."),
        org=NORTHMOOR,
        type="statutory-direction",
        start=PartialDate("2018-01-15"),
        issuer=DFE,
    )
    programme = Programme(
        evidence=ev("The Northmoor Children First Programme will be overseen by the Improvement Board."),
        name="Northmoor Children First Programme",
        org=NORTHMOOR,
        overseen_by=BOARD,
        themes=("practice-quality",),
    )
    return [
        ReportInfo(
            evidence=ev("CHILDREN'S SERVICES IMPROVEMENT: PROGRESS REPORT"),
            title="Children's Services Improvement: Progress Report",
            date=PartialDate("2018-03-12"),
            publisher=NORTHMOOR,
            committee="Cabinet",
        ),
        inspection,
        Judgement(
            evidence=ev("The overall effectiveness of children's services was judged to be inadequate."),
            inspection=inspection,
            area="overall-effectiveness",
            grade="inadequate",
        ),
        Judgement(
            evidence=ev("children who need help and protection were judged to be inadequate"),
            inspection=inspection,
            area="help-and-protection",
            grade="inadequate",
        ),
        Judgement(
            evidence=ev("The impact of leaders on social work practice with children and families was judged to "
                        "require improvement to be good."),
            inspection=inspection,
            area="impact-of-leaders",
            grade="requires-improvement",
        ),
        direction,
        Membership(
            evidence=ev("Peter Hallam was appointed as Children's Services Commissioner for Northmoor in January 2018."),
            person=PersonRef("peter-hallam", "Peter Hallam"),
            role="childrens-services-commissioner",
            role_title="Children's Services Commissioner",
            org=NORTHMOOR,
            start=PartialDate("2018-01"),
            appointed_by=DFE,
            generated_by=direction,
        ),
        Membership(
            evidence=ev("Ruth Okafor has been Director of Children's Services since April 2016."),
            person=PersonRef("ruth-okafor", "Ruth Okafor"),
            role="director-of-childrens-services",
            role_title="Director of Children's Services",
            org=NORTHMOOR,
            start=PartialDate("2016-04"),
        ),
        Recommendation(
            evidence=ev("Improve the quality of assessments so that they identify risk and need."),
            text="Improve the quality of assessments so that they identify risk and need.",
            position=1,
            inspection=inspection,
        ),
        Recommendation(
            evidence=ev("Ensure that care leavers receive their pathway plans on time."),
            text="Ensure that care leavers receive their pathway plans on time.",
            position=2,
            inspection=inspection,
        ),
        programme,
        MonetaryAmount(
            evidence=ev("The Department for Education has granted £750,000 to the Northmoor Children First "
                        "Programme for 2018/19."),
            amount=Decimal("750000"),
            financial_year="2018/19",
            funded=programme,
            funder=DFE,
            description="DfE grant to the improvement programme",
        ),
    ]


def _record(store: Store, graph, source_file: str, data: bytes, n: int, kind: str) -> SourceRecord:
    return SourceRecord(graph, source_file, hashlib.sha256(data).hexdigest(), "test", now_iso(), n, kind)


def _report_item(store: Store, name: str, facts_for) -> SourceBatchItem:
    path = FIXTURES / name
    data = path.read_bytes()
    text = data.decode("utf-8")
    doc = Document(name, str(path), "text/plain", hashlib.sha256(data).hexdigest(), text)
    triples = report_triples(doc, facts_for(text), store.minter)
    graph = store.minter.report_graph(store.minter.report_key(name))
    return SourceBatchItem(_record(store, graph, name, data, len(triples), "report"), triples)


def load_fixture_graph(store: Store) -> None:
    """The Northmoor report with its facts, the XSS report (text only) and the register graph."""
    ref_path = FIXTURES / "reference-councils.ttl"
    ref = Graph().parse(ref_path, format="turtle")
    ref_graph = store.minter.reference_graph("test-register")
    store.replace_sources(
        [
            _report_item(store, REPORT_FILE, northmoor_facts),
            _report_item(store, XSS_FILE, lambda text: []),
            SourceBatchItem(
                _record(store, ref_graph, ref_path.name, ref_path.read_bytes(), len(ref), "reference"), list(ref)
            ),
        ]
    )
