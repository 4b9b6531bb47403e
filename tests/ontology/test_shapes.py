"""SHACL shapes: a valid graph (a report graph written by graph.build from one fact of every
kind, plus a slice of reference data) conforms; each mutation breaks exactly the rule named."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Graph, URIRef

from graph.build import report_triples
from graph.iri import IriMinter
from graph.validate import check_graph, with_vocabulary
from loaders.model import (
    Document,
    Evidence,
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
from ontology.namespace import ORG, RDF, sparql_prefixes

TEXT = (
    "West Sussex County Council. Children First Improvement Plan. "
    "Ofsted inspected children's services from 25 February to 8 March 2019 and judged them inadequate; "
    "the report, published on 8 May 2019, made one recommendation. "
    "1. Improve the quality of social work practice. "
    "On 4 June 2019 the Secretary of State issued a statutory direction and appointed John Coughlan "
    "as Children's Services Commissioner. "
    "The Department for Education gave £750,000 in 2019/20 to the Children First programme, overseen by the "
    "Improvement Board, and the council must save £200,000. "
    "Services will move to a children's trust under the Children and Social Work Act 2017. "
    "Report author: Jane Smith."
)
WSCC = OrgRef("West Sussex County Council", "E10000032", "council")
DFE = OrgRef("Department for Education")
BOARD = OrgRef("West Sussex Improvement Board")
TRUST = OrgRef("West Sussex Children's Trust")
COUGHLAN = PersonRef("john-coughlan", "John Coughlan")
SMITH = PersonRef("jane-smith", "Jane Smith")
INSPECTOR = PersonRef("linda-steele", "Linda Steele")


def ev(quote: str) -> Evidence:
    start = TEXT.index(quote)
    return Evidence(quote, start, start + len(quote), "test", "1")


def facts() -> list:
    insp = Inspection(
        evidence=ev("Ofsted inspected children's services"), org=WSCC, type="ilacs-standard",
        start=PartialDate("2019-02-25"), end=PartialDate("2019-03-08"), published=PartialDate("2019-05-08"),
        lead_inspector=INSPECTOR, stated_recommendation_count=1,
    )
    direction = Intervention(
        evidence=ev("issued a statutory direction"), org=WSCC, type="statutory-direction",
        start=PartialDate("2019-06-04"), issuer=DFE,
    )
    programme = Programme(evidence=ev("the Children First programme"), name="Children First", org=WSCC,
                          overseen_by=BOARD, themes=("workforce",))
    return [
        ReportInfo(evidence=ev("Children First Improvement Plan"), title="Children First Improvement Plan",
                   date=PartialDate("2019-06-19"), publisher=WSCC),
        OrganisationMention(evidence=ev("West Sussex County Council"), org=WSCC),
        PersonMention(evidence=ev("John Coughlan"), person=COUGHLAN),
        insp,
        Judgement(evidence=ev("judged them inadequate"), inspection=insp, area="overall-effectiveness",
                  grade="inadequate"),
        Recommendation(evidence=ev("Improve the quality of social work practice."), inspection=insp, position=1,
                       text="Improve the quality of social work practice.", type="recommendation"),
        direction,
        Membership(evidence=ev("appointed John Coughlan"), person=COUGHLAN, role="childrens-services-commissioner",
                   role_title="Children's Services Commissioner", org=WSCC, start=PartialDate("2019-06-04"),
                   appointed_by=DFE, generated_by=direction),
        # a person whose organisation the report does not state
        Membership(evidence=ev("Report author: Jane Smith"), person=SMITH, role="report-author",
                   role_title="Report author"),
        programme,
        MonetaryAmount(evidence=ev("£750,000 in 2019/20"), amount=Decimal(750000), purpose="funding",
                       financial_year="2019/20", funded=programme, funder=DFE),
        MonetaryAmount(evidence=ev("save £200,000"), amount=Decimal(200000), purpose="saving"),
        OrganisationChange(evidence=ev("Services will move to a children's trust"), org=WSCC, new_org=TRUST,
                           date=PartialDate("2019")),
        Legislation(evidence=ev("Children and Social Work Act 2017"), title="Children and Social Work Act 2017",
                    year=2017, chapter=16),
    ]


REFERENCE = """
@prefix cs: <https://w3id.org/cskg/def/cs#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dataset: <https://w3id.org/cskg/id/dataset/> .
@prefix orgid: <https://w3id.org/cskg/id/organisation/> .
@prefix insp: <https://w3id.org/cskg/id/inspection/> .
@prefix refgraph: <https://w3id.org/cskg/graph/reference/> .

dataset:register a cs:Dataset, prov:Entity ; dcterms:title "Register" ;
    dcterms:source <https://github.com/mysociety/uk_local_authority_names_and_codes> ;
    cs:sourcePath "data/x.csv" ; cs:sourceCommit "67ef8b118938678401a452f4f19f669a7221cc73" ;
    dcterms:license <https://opensource.org/licenses/MIT> .
orgid:buckinghamshire-county-council a cs:LocalAuthority, org:FormalOrganization ;
    skos:prefLabel "Buckinghamshire County Council" ; cs:gssCode "E10000002" ; cs:dfeNumber "825" ;
    cs:ofstedUrn "80442" ; cs:childrensServicesAuthority true ;
    schema:dissolutionDate "2020-03-31"^^xsd:date ;
    dcterms:isReplacedBy orgid:buckinghamshire-council ;
    cs:statisticalNeighbour orgid:buckinghamshire-council ;
    schema:latitude 51.8 ; schema:longitude -0.8 ;
    prov:wasDerivedFrom dataset:register .
orgid:buckinghamshire-council a cs:LocalAuthority, org:FormalOrganization ;
    skos:prefLabel "Buckinghamshire Council" ; cs:gssCode "E06000060" ;
    schema:foundingDate "2020-04-01"^^xsd:date ; prov:wasDerivedFrom dataset:register .
insp:buckinghamshire-county-council--sif--2018-01-29 a cs:Inspection, prov:Activity ;
    dcterms:type <https://w3id.org/cskg/def/inspection-type/sif> ;
    cs:inspectedOrganisation orgid:buckinghamshire-county-council ;
    cs:publicationDate "2018-01-29"^^xsd:date ; prov:wasDerivedFrom dataset:register .
refgraph:councils a cs:SourceGraph ; cs:sourceFile "uk-la-mysociety.csv" ; cs:sha256 "abc" ;
    cs:loaderVersion "cskg 0.1.0" ; cs:loadedAt "2026-01-01T00:00:00+00:00"^^xsd:dateTime ;
    cs:tripleCount 12 ; cs:sourceKind "reference" .
"""

MINTER = IriMinter("https://w3id.org/cskg/")


def valid_graph() -> Graph:
    doc = Document("west-sussex.txt", "data/west-sussex.txt", "text/plain", "0" * 64, TEXT)
    g = Graph()
    for t in report_triples(doc, facts(), MINTER):
        g.add(t)
    g.parse(data=REFERENCE, format="turtle")
    return with_vocabulary(g)


@pytest.fixture(scope="module")
def base() -> Graph:
    return valid_graph()


def mutated(base: Graph, update: str) -> Graph:
    g = Graph()
    for t in base:
        g.add(t)
    g.update(sparql_prefixes({"id": "https://w3id.org/cskg/id/", "shp": "https://w3id.org/cskg/def/shapes#"}) + update)
    return g


def test_the_valid_graph_conforms(base):
    report = check_graph(base)
    assert report.conforms, report.text()
    assert report.count("Warning") == 0, report.text()


INSP = "<https://w3id.org/cskg/id/inspection/west-sussex-county-council--ilacs-standard--2019-02-25>"
MEM = "<https://w3id.org/cskg/id/membership/john-coughlan--childrens-services-commissioner--west-sussex-county-council>"
IVL = "<https://w3id.org/cskg/id/interval/john-coughlan--childrens-services-commissioner--west-sussex-county-council>"
IVN = "<https://w3id.org/cskg/id/intervention/west-sussex-county-council--statutory-direction--2019-06-04>"
WSCC_IRI = "<https://w3id.org/cskg/id/organisation/west-sussex-county-council>"
BKM = "<https://w3id.org/cskg/id/organisation/buckinghamshire-county-council>"

# (shape that must report, path or None, SPARQL update that breaks it)
CASES = [
    ("shp:FactDerivationShape", "prov:wasDerivedFrom",
     f"DELETE WHERE {{ {MEM} prov:wasDerivedFrom ?e }}"),
    ("shp:FactDerivationShape", "prov:wasDerivedFrom",
     "DELETE { ?i prov:wasDerivedFrom ?d } WHERE { ?i cs:publicationDate \"2018-01-29\"^^xsd:date ; prov:wasDerivedFrom ?d }"),
    ("shp:EvidenceShape", "oa:hasSource", "DELETE WHERE { ?e oa:hasSource ?s }"),
    ("shp:EvidenceShape", "oa:hasSelector",
     "DELETE { ?e oa:hasSelector ?s } WHERE { ?e oa:hasSelector ?s . ?s a oa:TextPositionSelector }"),
    ("shp:TextQuoteSelectorShape", "oa:exact",
     "DELETE { ?s oa:exact ?x } INSERT { ?s oa:exact \"\" } WHERE { ?s oa:exact ?x }"),
    ("shp:TextPositionSelectorShape", "oa:start",
     "DELETE { ?s oa:start ?a ; oa:end ?b } INSERT { ?s oa:start ?b ; oa:end ?a } WHERE { ?s oa:start ?a ; oa:end ?b }"),
    ("shp:DerivationShape", "cs:confidence",
     "DELETE { ?d cs:confidence ?c } INSERT { ?d cs:confidence 1.5 } WHERE { ?d cs:confidence ?c }"),
    ("shp:TextRenditionShape", "dcterms:format",
     "DELETE { ?t dcterms:format ?f } INSERT { ?t dcterms:format \"text/html\" } WHERE { ?t a cs:TextRendition ; dcterms:format ?f }"),
    ("shp:ReportShape", "cs:sha256",
     "DELETE { ?r cs:sha256 ?s } INSERT { ?r cs:sha256 \"not-a-digest\" } WHERE { ?r a schema:Report ; cs:sha256 ?s }"),
    ("shp:DateShape", "dcterms:date",
     "DELETE { ?r dcterms:date ?d } INSERT { ?r dcterms:date \"19 June 2019\" } WHERE { ?r a schema:Report ; dcterms:date ?d }"),
    ("shp:SourceGraphShape", "cs:sourceKind",
     "DELETE { ?g cs:sourceKind ?k } INSERT { ?g cs:sourceKind \"other\" } WHERE { ?g cs:sourceKind ?k }"),
    ("shp:DatasetShape", "cs:sourceCommit",
     "DELETE { ?d cs:sourceCommit ?c } INSERT { ?d cs:sourceCommit \"main\" } WHERE { ?d cs:sourceCommit ?c }"),
    ("shp:OrganisationShape", "skos:prefLabel",
     "DELETE WHERE { <https://w3id.org/cskg/id/organisation/department-for-education> skos:prefLabel ?l }"),
    ("shp:LocalAuthorityShape", "cs:gssCode", f"INSERT DATA {{ {WSCC_IRI} cs:gssCode \"E06000060\" }}"),
    ("shp:LocalAuthorityShape", "cs:gssCode", f"DELETE WHERE {{ {BKM} cs:gssCode ?g }}"),
    ("shp:LocalAuthorityShape", "dcterms:isReplacedBy",
     f"INSERT DATA {{ {BKM} dcterms:isReplacedBy <https://w3id.org/cskg/id/person/john-coughlan> }}"),
    ("shp:LocalAuthorityShape", "schema:foundingDate",
     f"INSERT DATA {{ {BKM} schema:foundingDate \"2021-01-01\"^^xsd:date }}"),
    ("shp:PersonShape", "foaf:name", "INSERT DATA { <https://w3id.org/cskg/id/person/john-coughlan> foaf:name \"J. Coughlan\" }"),
    ("shp:MembershipShape", "org:role", f"DELETE WHERE {{ {MEM} org:role ?r }}"),
    ("shp:MembershipShape", "org:member",
     f"DELETE {{ {MEM} org:member ?p }} INSERT {{ {MEM} org:member {WSCC_IRI} }} WHERE {{ {MEM} org:member ?p }}"),
    ("shp:RoleShape", "skos:prefLabel", "INSERT DATA { <https://w3id.org/cskg/def/role/unknown-role> a org:Role }"),
    ("shp:IntervalShape", None, f"DELETE WHERE {{ {IVL} time:hasBeginning ?b }}"),
    ("shp:IntervalOrderShape", "time:hasEnd",
     f"INSERT DATA {{ {IVL} time:hasEnd <https://w3id.org/cskg/id/instant/2019-05> . "
     "<https://w3id.org/cskg/id/instant/2019-05> a time:Instant ; time:inXSDgYearMonth \"2019-05\"^^xsd:gYearMonth }"),
    ("shp:ConflictingIntervalEndShape", "time:hasEnd",
     f"INSERT DATA {{ {IVL} time:hasEnd <https://w3id.org/cskg/id/instant/2020>, <https://w3id.org/cskg/id/instant/2021> . "
     "<https://w3id.org/cskg/id/instant/2020> a time:Instant ; time:inXSDgYear \"2020\"^^xsd:gYear . "
     "<https://w3id.org/cskg/id/instant/2021> a time:Instant ; time:inXSDgYear \"2021\"^^xsd:gYear }"),
    ("shp:InstantShape", None,
     "INSERT DATA { <https://w3id.org/cskg/id/instant/2019-06-04> time:inXSDgYear \"2019\"^^xsd:gYear }"),
    ("shp:ChangeEventShape", "org:resultingOrganization", "DELETE WHERE { ?e org:resultingOrganization ?o }"),
    ("shp:InspectionShape", "dcterms:type",
     f"DELETE {{ {INSP} dcterms:type ?t }} INSERT {{ {INSP} dcterms:type <https://w3id.org/cskg/def/area/adoption> }} "
     f"WHERE {{ {INSP} dcterms:type ?t }}"),
    ("shp:InspectionShape", "cs:inspectedOrganisation", f"DELETE WHERE {{ {INSP} cs:inspectedOrganisation ?o }}"),
    ("shp:ConflictingStartShape", "schema:startDate",
     f"INSERT DATA {{ {INSP} schema:startDate \"2019-02-18\"^^xsd:date }}"),
    ("shp:ConflictingPublicationShape", "cs:publicationDate",
     f"INSERT DATA {{ {INSP} cs:publicationDate \"2019-06\"^^xsd:gYearMonth }}"),
    ("shp:ConflictingEndShape", "schema:endDate", f"INSERT DATA {{ {IVN} schema:endDate \"2020\"^^xsd:gYear, \"2021\"^^xsd:gYear }}"),
    ("shp:ConflictingIntervalStartShape", "time:hasBeginning",
     f"INSERT DATA {{ {IVL} time:hasBeginning <https://w3id.org/cskg/id/instant/2019-07> . "
     "<https://w3id.org/cskg/id/instant/2019-07> a time:Instant ; time:inXSDgYearMonth \"2019-07\"^^xsd:gYearMonth }"),
    ("shp:OverallJudgementShape", "^cs:inspection",
     f"INSERT DATA {{ <https://w3id.org/cskg/id/judgement/x> a cs:Judgement ; cs:inspection {INSP} ; "
     "cs:judgementArea area:overall-effectiveness ; cs:grade grade:good ; prov:wasDerivedFrom <https://w3id.org/cskg/id/dataset/register> }"),
    ("shp:StartEndOrderShape", "schema:endDate",
     f"DELETE {{ {INSP} schema:endDate ?e }} INSERT {{ {INSP} schema:endDate \"2019-01\"^^xsd:gYearMonth }} "
     f"WHERE {{ {INSP} schema:endDate ?e }}"),
    ("shp:PublicationOrderShape", "cs:publicationDate",
     f"DELETE {{ {INSP} cs:publicationDate ?e }} INSERT {{ {INSP} cs:publicationDate \"2018\"^^xsd:gYear }} "
     f"WHERE {{ {INSP} cs:publicationDate ?e }}"),
    ("shp:RecommendationCountShape", "cs:statedRecommendationCount",
     f"DELETE {{ {INSP} cs:statedRecommendationCount ?n }} INSERT {{ {INSP} cs:statedRecommendationCount 12 }} "
     f"WHERE {{ {INSP} cs:statedRecommendationCount ?n }}"),
    ("shp:JudgementShape", "cs:grade",
     "DELETE { ?j cs:grade ?g } INSERT { ?j cs:grade grade:satisfactory } WHERE { ?j cs:grade ?g }"),
    ("shp:JudgementShape", "cs:judgementArea", "DELETE WHERE { ?j cs:judgementArea ?a }"),
    ("shp:RecommendationShape", None, "DELETE { ?r cs:inspection ?i } WHERE { ?r a cs:Recommendation ; cs:inspection ?i }"),
    ("shp:RecommendationShape", "schema:position",
     "DELETE { ?r schema:position ?p } INSERT { ?r schema:position 0 } WHERE { ?r schema:position ?p }"),
    ("shp:InterventionShape", "dcterms:type",
     f"DELETE {{ {IVN} dcterms:type ?t }} INSERT {{ {IVN} dcterms:type itype:sif }} WHERE {{ {IVN} dcterms:type ?t }}"),
    ("shp:StartEndOrderShape", "schema:endDate", f"INSERT DATA {{ {IVN} schema:endDate \"2018-12\"^^xsd:gYearMonth }}"),
    ("shp:ProgrammeShape", "dcterms:subject",
     "DELETE { ?p dcterms:subject ?t } INSERT { ?p dcterms:subject area:adoption } WHERE { ?p a cs:Programme ; dcterms:subject ?t }"),
    ("shp:MonetaryAmountShape", "schema:value",
     "DELETE { ?a schema:value ?v } INSERT { ?a schema:value \"-5.00\"^^xsd:decimal } WHERE { ?a a schema:MonetaryAmount ; cs:purpose \"saving\" ; schema:value ?v }"),
    ("shp:MonetaryAmountShape", "schema:currency",
     "DELETE { ?a schema:currency ?c } INSERT { ?a schema:currency \"EUR\" } WHERE { ?a schema:currency ?c }"),
    ("shp:GrantShape", "schema:fundedItem", "DELETE WHERE { ?g schema:fundedItem ?i }"),
    ("shp:LegislationShape", "schema:name", "DELETE { ?l schema:name ?n } WHERE { ?l a schema:Legislation ; schema:name ?n }"),
    ("shp:ConceptShape", "skos:prefLabel", "DELETE WHERE { grade:good skos:prefLabel ?l }"),
]


@pytest.mark.parametrize("shape, path, update", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_each_shape_catches_its_mutation(base, shape, path, update):
    report = check_graph(mutated(base, update))
    hits = [v for v in report.violations if v.shape == shape and (path is None or v.path == path)]
    assert hits, report.text()
    severity = "Warning" if shape == "shp:RecommendationCountShape" else "Violation"
    assert all(v.severity == severity for v in hits)
    assert report.conforms == (severity == "Warning")


def test_dates_at_two_precisions_agree(base):
    more = mutated(base, f"INSERT DATA {{ {INSP} cs:publicationDate \"2019-05\"^^xsd:gYearMonth ; "
                         f"schema:startDate \"2019\"^^xsd:gYear }} ; INSERT DATA {{ {IVL} time:hasBeginning "
                         "<https://w3id.org/cskg/id/instant/2019-06> . <https://w3id.org/cskg/id/instant/2019-06> "
                         "a time:Instant ; time:inXSDgYearMonth \"2019-06\"^^xsd:gYearMonth }")
    report = check_graph(more)
    assert report.conforms, report.text()


def test_membership_organisation_is_optional_but_single(base):
    smith = URIRef("https://w3id.org/cskg/id/membership/jane-smith--report-author")
    assert (smith, RDF.type, ORG.Membership) in base and base.value(smith, ORG.organization) is None
    assert check_graph(base).conforms
    two = mutated(base, f"INSERT DATA {{ {smith.n3()} org:organization {WSCC_IRI}, {BKM} }}")
    report = check_graph(two)
    assert [v.path for v in report.violations if v.shape == "shp:MembershipShape"] == ["org:organization"]
