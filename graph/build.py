"""Facts -> RDF triples for one report's named graph, as the data contract says.

Every extracted node gets `prov:wasDerivedFrom` an evidence node (an oa:SpecificResource over the
report's text rendition with a quote selector and a position selector). IRIs are minted from
natural keys (graph.iri), so the same thing stated in two reports is one node in the union.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from graph.iri import IriMinter, slug
from loaders.model import (
    Document,
    Evidence,
    Fact,
    Inspection,
    Intervention,
    Judgement,
    Legislation,
    Membership,
    MonetaryAmount,
    OrganisationChange,
    OrganisationMention,
    OrgRef,
    PartialDate,
    PersonMention,
    PersonRef,
    Programme,
    Recommendation,
    ReportInfo,
)
from ontology import namespace as ns

Triple = tuple[Node, Node, Node]


class _Terms:
    """A namespace whose terms are made once: rdflib builds and validates a new URIRef on every
    `NS.term` and `NS[key]`, which was a large part of the cost of a report's graph. A term read
    as an attribute is kept as one, so later reads do not even call __getattr__."""

    def __init__(self, namespace) -> None:
        self._ns = namespace
        self._terms: dict[str, URIRef] = {}

    def __getitem__(self, name: str) -> URIRef:
        term = self._terms.get(name)
        if term is None:
            term = self._terms[name] = self._ns[name]
        return term

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("_"):
            raise AttributeError(name)  # our own fields before __init__ (copy, pickle), not a term
        term = getattr(self._ns, name)
        setattr(self, name, term)
        return term


AREA, CS, DCTERMS, FOAF, GRADE, ITYPE, IVTYPE, LEG, OA, ORG, PROV, RDF, RECTYPE, SDO, SKOS, THEME, TIME, XSD = (
    _Terms(n) for n in (
        ns.AREA, ns.CS, ns.DCTERMS, ns.FOAF, ns.GRADE, ns.ITYPE, ns.IVTYPE, ns.LEG, ns.OA, ns.ORG, ns.PROV, ns.RDF,
        ns.RECTYPE, ns.SDO, ns.SKOS, ns.THEME, ns.TIME, ns.XSD,
    )
)

CANONICAL_ROLES = {
    "childrens-services-commissioner",
    "director-of-childrens-services",
    "chief-executive",
    "cabinet-member",
    "leader-of-the-council",
    "chair",
    "lead-inspector",
    "improvement-adviser",
    "minister",
    "report-author",
    "contact-officer",
}

QUOTE_CONTEXT = 32


_XSD_INTEGER = Literal(0).datatype


def _made_literal(value: str | int) -> Literal:
    """Literal(value) for a str or an int, made the way rdflib's constructor makes it (a plain
    literal whose value is its text; an xsd:integer whose value is the int) without the general
    constructor's type dispatch, the larger part of the cost of a report's graph."""
    if type(value) is str:  # noqa: E721
        lit = str.__new__(Literal, value)
        lit._language, lit._datatype, lit._value, lit._ill_typed = None, None, value, None
    else:
        lit = str.__new__(Literal, str(value))
        lit._language, lit._datatype, lit._value, lit._ill_typed = None, _XSD_INTEGER, value, None
    return lit


def _same_literal(a: Literal, b: Literal) -> bool:
    return (
        type(a) is type(b) and str(a) == str(b) and a.n3() == b.n3() and a == b and hash(a) == hash(b)
        and a.language == b.language and a.datatype == b.datatype and type(a.value) is type(b.value)
        and a.value == b.value and a.ill_typed == b.ill_typed
    )


def _shortcut_holds() -> bool:
    try:
        return all(_same_literal(_made_literal(v), Literal(v)) for v in ("", "a", "Smith's \"x\"\n", "\u00e9\u2019", 0, 7, -3, 10**20))
    except Exception:  # noqa: BLE001 - another rdflib's Literal may not take these attributes at all
        return False


# the shortcut stands only if it makes what this rdflib's constructor makes
if not _shortcut_holds():
    _made_literal = Literal  # noqa: F811


@lru_cache(maxsize=8192, typed=True)
def _cached_literal(value: str | int) -> Literal:
    return _made_literal(value)


def _literal(value: object) -> Literal:
    """Literal(value); rdflib's constructor is slow and a report repeats many small values
    (offsets, extractor names, labels), so those are made once. Long strings are not kept."""
    if type(value) is int or (type(value) is str and len(value) <= 64):  # noqa: E721 - not bool, not str subclasses
        return _cached_literal(value)
    if type(value) is str:  # noqa: E721
        return _made_literal(value)
    return Literal(value)


@lru_cache(maxsize=256, typed=True)  # typed: 1 and 1.0 write differently
def _confidence(value: float) -> Literal:
    return Literal(Decimal(str(round(value, 3))))


@lru_cache(maxsize=4096)
def date_literal(date: PartialDate) -> Literal:
    datatype = {"day": XSD.date, "month": XSD.gYearMonth, "year": XSD.gYear}[date.precision]
    return Literal(date.value, datatype=datatype)


_INSTANT_PROPERTY = {"day": TIME.inXSDDate, "month": TIME.inXSDgYearMonth, "year": TIME.inXSDgYear}


# bump when the graph built from the same facts changes: reports loaded by another version are
# reloaded (2: each report's blank nodes carry their own labels, see `evidence`)
BUILD_VERSION = "2"


class ReportGraphBuilder:
    """Accumulates the triples of one report's named graph."""

    def __init__(self, doc: Document, minter: IriMinter) -> None:
        self.doc = doc
        self.minter = minter
        self.key = minter.report_key(doc.source_file)
        self.report = minter.report(self.key)
        self.text_node = minter.text(self.key)
        self.triples: set[Triple] = set()
        self.publisher: OrgRef | None = None
        self._evidence_done: set[tuple[int, int]] = set()

    # -- low level
    def add(self, s: Node, p: Node, o: Node | None) -> None:
        if o is not None:
            self.triples.add((s, p, o))

    def lit(self, s: Node, p: Node, value: object | None) -> None:
        if value is not None and value != "":
            self.add(s, p, value if isinstance(value, Literal) else _literal(value))

    def date(self, s: Node, p: Node, date: PartialDate | None) -> None:
        if date is not None:
            self.add(s, p, date_literal(date))

    def evidence(self, node: Node, ev: Evidence) -> URIRef:
        """Link `node` to the evidence span, creating the span's node once per report."""
        ev_iri = self.minter.evidence(self.key, ev.start, ev.end)
        if (ev.start, ev.end) not in self._evidence_done:
            self._evidence_done.add((ev.start, ev.end))
            text = self.doc.text
            self.add(ev_iri, RDF.type, OA.SpecificResource)
            self.add(ev_iri, RDF.type, PROV.Entity)
            self.add(ev_iri, OA.hasSource, self.text_node)
            quote = BNode(f"q{self.key}-{ev.start}x{ev.end}")
            self.add(ev_iri, OA.hasSelector, quote)
            self.add(quote, RDF.type, OA.TextQuoteSelector)
            self.add(quote, OA.exact, _literal(ev.quote))
            self.lit(quote, OA.prefix, text[max(0, ev.start - QUOTE_CONTEXT) : ev.start] or None)
            self.lit(quote, OA.suffix, text[ev.end : ev.end + QUOTE_CONTEXT] or None)
            pos = BNode(f"p{self.key}-{ev.start}x{ev.end}")
            self.add(ev_iri, OA.hasSelector, pos)
            self.add(pos, RDF.type, OA.TextPositionSelector)
            self.add(pos, OA.start, _literal(ev.start))
            self.add(pos, OA.end, _literal(ev.end))
            self.lit(ev_iri, CS.extractor, ev.extractor)
            self.lit(ev_iri, CS.extractorVersion, ev.version)
        self.add(node, PROV.wasDerivedFrom, ev_iri)
        # a label of its own in each report (and the node's slug closed off, so no two nodes'
        # labels run together): reports are bulk-loaded many to one TriG document, in which a
        # label names one blank node, so a label two reports shared joined their derivations
        derivation = BNode(f"d{self.key}-{slug(str(node))}-{ev.start}x{ev.end}")
        self.add(node, PROV.qualifiedDerivation, derivation)
        self.add(derivation, RDF.type, PROV.Derivation)
        self.add(derivation, PROV.entity, ev_iri)
        self.add(derivation, CS.confidence, _confidence(ev.confidence))
        return ev_iri

    # -- entities
    def org(self, org: OrgRef | None) -> URIRef | None:
        if org is None:
            return None
        iri = self.minter.organisation(org)
        if org.is_council:
            # identity as resolved through the register: each report graph stands on its own
            self.add(iri, RDF.type, CS.LocalAuthority)
            self.add(iri, RDF.type, ORG.FormalOrganization)
            self.lit(iri, SKOS.prefLabel, org.name)
            self.lit(iri, CS.gssCode, org.gss)
        else:
            self.add(iri, RDF.type, ORG.Organization)
            self.lit(iri, SKOS.prefLabel, org.name)
        self.add(self.report, CS.mentions, iri)
        return iri

    def person(self, person: PersonRef | None) -> URIRef | None:
        if person is None:
            return None
        iri = self.minter.person(person)
        self.add(iri, RDF.type, FOAF.Person)
        self.lit(iri, FOAF.name, person.name)
        self.lit(iri, FOAF.title, person.title)
        self.add(self.report, CS.mentions, iri)
        return iri

    def inspection_iri(self, insp: Inspection) -> URIRef:
        return self.minter.inspection(insp)

    # -- facts
    def add_report(self, info: ReportInfo | None) -> None:
        r, doc = self.report, self.doc
        self.add(r, RDF.type, SDO.Report)
        self.add(r, RDF.type, PROV.Entity)
        self.add(r, RDF.type, FOAF.Document)
        title = (info.title if info and info.title else None) or doc.metadata.get("title") or doc.source_file
        self.lit(r, DCTERMS.title, title)
        self.lit(r, CS.sourceFile, doc.source_file)
        self.lit(r, CS.sha256, doc.sha256)
        self.lit(r, DCTERMS.identifier, f"sha256:{doc.sha256}")
        self.lit(r, DCTERMS.format, doc.media_type)
        self.add(r, CS.textRendition, self.text_node)
        self.add(self.text_node, RDF.type, CS.TextRendition)
        self.lit(self.text_node, DCTERMS.format, "text/plain")
        self.add(self.text_node, PROV.wasDerivedFrom, r)
        self.lit(self.text_node, SDO.text, doc.text)
        if doc.pages:
            self.lit(r, SDO.numberOfPages, doc.pages)
        if info is None:
            return
        self.date(r, DCTERMS.date, info.date)
        self.date(r, CS.meetingDate, info.date)
        self.publisher = info.publisher
        pub = self.org(info.publisher)
        self.add(r, DCTERMS.publisher, pub)
        self.lit(r, CS.committee, info.committee)
        self.lit(r, CS.portfolio, info.portfolio)

    def add_membership(self, f: Membership) -> None:
        person = self.person(f.person)
        org = self.org(f.org)
        m = self.minter.membership(f.person, f.role, f.org)
        self.add(m, RDF.type, ORG.Membership)
        self.add(m, ORG.member, person)
        self.add(m, ORG.organization, org)
        role = self.minter.role(f.role)
        self.add(m, ORG.role, role)
        if slug(f.role) not in CANONICAL_ROLES:
            self.add(role, RDF.type, ORG.Role)
            self.add(role, RDF.type, SKOS.Concept)
            self.lit(role, SKOS.prefLabel, slug(f.role).replace("-", " ").capitalize())
        self.lit(m, CS.roleTitle, f.role_title)
        self.add(m, CS.appointedBy, self.org(f.appointed_by))
        if f.generated_by is not None:
            self.add(m, PROV.wasGeneratedBy, self.intervention_iri(f.generated_by))
        if f.start or f.end:
            ivl = self.minter.interval(f.person, f.role, f.org)
            self.add(m, ORG.memberDuring, ivl)
            self.add(ivl, RDF.type, TIME.Interval)
            self.add(ivl, TIME.hasBeginning, self.instant(f.start))
            self.add(ivl, TIME.hasEnd, self.instant(f.end))
        self.evidence(m, f.evidence)
        if f.role == "report-author":
            self.add(self.report, DCTERMS.creator, person)
        elif f.role == "contact-officer":
            self.add(self.report, CS.contactOfficer, person)

    def instant(self, date: PartialDate | None) -> URIRef | None:
        if date is None:
            return None
        inst = self.minter.instant(date.value)
        self.add(inst, RDF.type, TIME.Instant)
        self.add(inst, _INSTANT_PROPERTY[date.precision], date_literal(date))
        return inst

    def add_inspection(self, f: Inspection) -> URIRef:
        i = self.inspection_iri(f)
        self.add(i, RDF.type, CS.Inspection)
        self.add(i, RDF.type, PROV.Activity)
        self.add(i, CS.inspectedOrganisation, self.org(f.org))
        self.add(i, DCTERMS.type, ITYPE[slug(f.type)])
        self.date(i, SDO.startDate, f.start)
        self.date(i, SDO.endDate, f.end)
        self.date(i, CS.publicationDate, f.published)
        self.add(i, CS.leadInspector, self.person(f.lead_inspector))
        self.lit(i, CS.statedRecommendationCount, f.stated_recommendation_count)
        self.lit(i, CS.focus, f.focus)
        self.evidence(i, f.evidence)
        return i

    def add_judgement(self, f: Judgement) -> None:
        i = self.inspection_iri(f.inspection)
        j = self.minter.judgement(i, f.area)
        self.add(j, RDF.type, CS.Judgement)
        self.add(j, CS.inspection, i)
        self.add(j, CS.judgementArea, AREA[slug(f.area)])
        self.add(j, CS.grade, GRADE[slug(f.grade)])
        self.evidence(j, f.evidence)

    def add_recommendation(self, f: Recommendation) -> None:
        i = self.inspection_iri(f.inspection) if f.inspection is not None else None
        r = self.minter.recommendation(i, f.position, f.text, self.key)
        self.add(r, RDF.type, CS.Recommendation)
        self.add(r, CS.inspection, i)
        if i is None:
            self.add(r, CS.raisedBy, self.org(f.raised_by))
        self.add(r, DCTERMS.type, RECTYPE[slug(f.type)])
        self.lit(r, SDO.position, f.position)
        self.lit(r, DCTERMS.description, f.text)
        self.evidence(r, f.evidence)

    def intervention_iri(self, f: Intervention) -> URIRef:
        return self.minter.intervention(f.org, f.type, f.start.value if f.start else None)

    def add_intervention(self, f: Intervention) -> None:
        iv = self.intervention_iri(f)
        self.add(iv, RDF.type, CS.Intervention)
        self.add(iv, RDF.type, PROV.Activity)
        self.add(iv, DCTERMS.type, IVTYPE[slug(f.type)])
        self.add(iv, CS.subjectOrganisation, self.org(f.org))
        self.date(iv, SDO.startDate, f.start)
        self.date(iv, SDO.endDate, f.end)
        self.add(iv, PROV.wasAssociatedWith, self.org(f.issuer))
        if f.revised:
            self.lit(iv, SKOS.note, "revised direction")
        self.evidence(iv, f.evidence)

    def add_organisation_change(self, f: OrganisationChange) -> None:
        ev = self.minter.change_event(f.org, f.new_org)
        old, new = self.org(f.org), self.org(f.new_org)
        self.add(ev, RDF.type, ORG.ChangeEvent)
        self.add(ev, ORG.originalOrganization, old)
        self.add(ev, ORG.resultingOrganization, new)
        self.add(new, ORG.resultedFrom, ev)
        self.add(new, ORG.linkedTo, old)
        self.date(ev, DCTERMS.date, f.date)
        self.lit(ev, DCTERMS.description, f.description)
        self.evidence(ev, f.evidence)

    def programme_iri(self, f: Programme) -> URIRef:
        return self.minter.programme(f)

    def add_programme(self, f: Programme) -> None:
        p = self.programme_iri(f)
        self.add(p, RDF.type, CS.Programme)
        self.add(p, RDF.type, SDO.Project)
        self.add(p, RDF.type, PROV.Plan)
        self.lit(p, SKOS.prefLabel, f.name)
        self.add(p, CS.programmeOf, self.org(f.org))
        self.add(p, CS.overseenBy, self.org(f.overseen_by))
        for theme in f.themes:
            self.add(p, DCTERMS.subject, THEME[slug(theme)])
        self.add(self.report, CS.mentions, p)
        self.evidence(p, f.evidence)

    def add_money(self, f: MonetaryAmount) -> None:
        ev = f.evidence
        which = f"{f.amount.normalize():f}-{f.financial_year or ''}-{f.purpose}"
        amount = self.minter.amount(self.key, ev.start, ev.end, which)
        self.add(amount, RDF.type, SDO.MonetaryAmount)
        self.add(amount, SDO.value, Literal(f.amount.quantize(Decimal("0.01")), datatype=XSD.decimal))
        self.lit(amount, SDO.currency, f.currency)
        self.lit(amount, CS.financialYear, f.financial_year)
        if f.financial_year:
            start_year = int(f.financial_year[:4])
            self.add(amount, SDO.validFrom, Literal(f"{start_year}-04-01", datatype=XSD.date))
            self.add(amount, SDO.validThrough, Literal(f"{start_year + 1}-03-31", datatype=XSD.date))
        self.lit(amount, CS.purpose, f.purpose)
        if f.purpose != "funding":
            self.lit(amount, DCTERMS.description, f.description)
            self.evidence(amount, ev)
            return
        grant = self.minter.grant(self.key, ev.start, ev.end, which)
        self.add(grant, RDF.type, SDO.MonetaryGrant)
        self.add(grant, SDO.amount, amount)
        if isinstance(f.funded, Programme):
            self.add(grant, SDO.fundedItem, self.programme_iri(f.funded))
        else:
            # funding with no stated recipient goes to the council whose report states it
            self.add(grant, SDO.fundedItem, self.org(f.funded or self.publisher))
        self.add(grant, SDO.funder, self.org(f.funder))
        self.lit(grant, DCTERMS.description, f.description)
        self.evidence(grant, ev)

    def add_legislation(self, f: Legislation) -> None:
        if f.year and f.chapter:
            leg = LEG[f"ukpga/{f.year}/{f.chapter}"]
        else:
            leg = self.minter.id[f"legislation/{slug(f.title)}"]
        self.add(leg, RDF.type, SDO.Legislation)
        self.lit(leg, SDO.name, f.title)
        self.add(self.report, DCTERMS.references, leg)
        self.add(self.report, CS.mentions, leg)
        self.evidence(leg, f.evidence)

    def add_fact(self, fact: Fact) -> None:
        handler = _HANDLERS.get(type(fact))
        if handler is None:
            raise TypeError(f"no RDF mapping for fact type {type(fact).__name__}")
        handler(self, fact)


def _add_org_mention(b: ReportGraphBuilder, f: OrganisationMention) -> None:
    b.org(f.org)


def _add_person_mention(b: ReportGraphBuilder, f: PersonMention) -> None:
    b.person(f.person)


_HANDLERS = {
    ReportInfo: lambda b, f: None,  # handled first, by add_report
    OrganisationMention: _add_org_mention,
    PersonMention: _add_person_mention,
    Membership: ReportGraphBuilder.add_membership,
    Inspection: ReportGraphBuilder.add_inspection,
    Judgement: ReportGraphBuilder.add_judgement,
    Recommendation: ReportGraphBuilder.add_recommendation,
    Intervention: ReportGraphBuilder.add_intervention,
    OrganisationChange: ReportGraphBuilder.add_organisation_change,
    Programme: ReportGraphBuilder.add_programme,
    MonetaryAmount: ReportGraphBuilder.add_money,
    Legislation: ReportGraphBuilder.add_legislation,
}


def report_triples(doc: Document, facts: Iterable[Fact], minter: IriMinter) -> list[Triple]:
    """All triples of one report's named graph, in a stable order."""
    facts = list(facts)
    b = ReportGraphBuilder(doc, minter)
    info = next((f for f in facts if isinstance(f, ReportInfo)), None)
    b.add_report(info)
    for fact in facts:
        b.add_fact(fact)
    return sorted(b.triples, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
