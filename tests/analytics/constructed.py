"""A small, hand-made graph built through the real pipeline (facts -> graph.build -> store), so the
analytics and network tests do not depend on what the extractors find in the sample reports.

Two councils share a commissioner (the shape of John Coughlan in Buckinghamshire and West Sussex);
each council has its own director, an inspection with an overall grade, and one an intervention
issued by the DfE and a funded programme. A third council is reachable only through the DfE."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

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
    ReportInfo,
)

NORTH = OrgRef("Northshire County Council", gss="E10000901", kind="council")
SOUTH = OrgRef("Southshire County Council", gss="E10000902", kind="council")
EAST = OrgRef("Eastham Borough Council", gss="E06000903", kind="council")
DFE = OrgRef("Department for Education", kind="government")
ADA = PersonRef("ada-quill", "Ada Quill")
BEN = PersonRef("ben-north", "Ben North")
CAL = PersonRef("cal-south", "Cal South")

NORTH_TEXT = (
    "Children's services improvement in Northshire.\n"
    "Ada Quill was appointed Children's Services Commissioner for Northshire in March 2018.\n"
    "Ben North is the Director of Children's Services.\n"
    "Ofsted judged Northshire's children's services inadequate overall in its inspection of January 2018.\n"
    "The Northshire Improvement Programme is funded with £1.5m in 2018/19.\n"
)
SOUTH_TEXT = (
    "Southshire select committee report.\n"
    "Ada Quill, the Children's Services Commissioner for Southshire, reported in June 2019.\n"
    "Cal South is Southshire's Director of Children's Services.\n"
    "The Department for Education issued an improvement notice to Southshire in April 2019.\n"
)
EAST_TEXT = (
    "Eastham cabinet report.\n"
    "The Department for Education issued a statutory direction to Eastham in May 2017.\n"
)


def _ev(text: str, quote: str) -> Evidence:
    start = text.index(quote)
    return Evidence(quote, start, start + len(quote), "constructed", "1")


def _doc(name: str, text: str) -> Document:
    return Document(name, name, "text/plain", "sha-" + name, text)


def _line(text: str, fragment: str) -> str:
    return next(line for line in text.splitlines() if fragment in line)


def reports() -> list[tuple[Document, list]]:
    n, s, e = NORTH_TEXT, SOUTH_TEXT, EAST_TEXT
    north_insp = Inspection(org=NORTH, type="ilacs", start=PartialDate("2018-01"), evidence=_ev(n, _line(n, "Ofsted")))
    programme = Programme(name="Northshire Improvement Programme", org=NORTH, evidence=_ev(n, "The Northshire Improvement Programme"))
    north = [
        ReportInfo(title="Northshire improvement", date=PartialDate("2018-06-01"), publisher=NORTH, evidence=_ev(n, _line(n, "Children's"))),
        Membership(person=ADA, role="childrens-services-commissioner", role_title="Children's Services Commissioner",
                   org=NORTH, start=PartialDate("2018-03"), evidence=_ev(n, _line(n, "Ada Quill"))),
        Membership(person=BEN, role="director-of-childrens-services", role_title="Director of Children's Services",
                   org=NORTH, evidence=_ev(n, _line(n, "Ben North"))),
        north_insp,
        Judgement(inspection=north_insp, area="overall-effectiveness", grade="inadequate", evidence=_ev(n, _line(n, "Ofsted"))),
        programme,
        MonetaryAmount(amount=Decimal("1500000"), financial_year="2018/19", funded=programme,
                       evidence=_ev(n, _line(n, "funded with"))),
    ]
    south = [
        ReportInfo(title="Southshire select committee", date=PartialDate("2019-06-19"), publisher=SOUTH, evidence=_ev(s, _line(s, "select"))),
        Membership(person=ADA, role="childrens-services-commissioner", role_title="Children's Services Commissioner",
                   org=SOUTH, evidence=_ev(s, _line(s, "Ada Quill"))),
        Membership(person=CAL, role="director-of-childrens-services", role_title="Director of Children's Services",
                   org=SOUTH, evidence=_ev(s, _line(s, "Cal South"))),
        Intervention(org=SOUTH, type="improvement-notice", start=PartialDate("2019-04"), issuer=DFE,
                     evidence=_ev(s, _line(s, "improvement notice"))),
    ]
    east = [
        ReportInfo(title="Eastham cabinet", date=PartialDate("2017-06-01"), publisher=EAST, evidence=_ev(e, _line(e, "Eastham cabinet"))),
        Intervention(org=EAST, type="statutory-direction", start=PartialDate("2017-05"), issuer=DFE,
                     evidence=_ev(e, _line(e, "statutory direction"))),
    ]
    return [(_doc("north.txt", n), north), (_doc("south.txt", s), south), (_doc("east.txt", e), east)]


def load_constructed(store: Store) -> None:
    items = []
    for doc, facts in reports():
        triples = report_triples(doc, facts, store.minter)
        key = store.minter.report_key(doc.source_file)
        record = SourceRecord(store.minter.report_graph(key), doc.source_file, doc.sha256, "test", now_iso(), len(triples), "report")
        items.append(SourceBatchItem(record, triples))
    store.replace_sources(items)


def iri(store: Store, ref: OrgRef | PersonRef) -> str:
    return str(store.minter.person(ref) if isinstance(ref, PersonRef) else store.minter.organisation(ref))


LIBRARY_FIXTURES = Path(__file__).resolve().parents[1] / "webapp" / "library_queries"


def constructed_app():
    """A Flask app over an in-memory store holding the constructed graph."""
    from graph.store import OxigraphStore
    from webapp import create_app

    store = OxigraphStore(None)
    load_constructed(store)
    return create_app({"TESTING": True}, store=store), store


def library_fixtures(monkeypatch):
    """Point the query library at tests/webapp/library_queries (use in a yield fixture; the cache
    is cleared on both sides so the real library comes back afterwards)."""
    import queries

    monkeypatch.setattr(queries, "QUERY_DIR", LIBRARY_FIXTURES)
    queries.library.cache_clear()
    yield
    queries.library.cache_clear()
