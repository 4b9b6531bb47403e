"""Namespaces. `CS` is closed: a term missing from ontology/cskg.ttl fails loudly (a test keeps
this list and the Turtle in step). Never write an IRI as a string literal elsewhere: use these."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import (
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SKOS,
    TIME,
    XSD,
    DefinedNamespace,
)

VOCAB_BASE = "https://w3id.org/cskg/def/"


class CS(DefinedNamespace):
    """The cskg vocabulary (https://w3id.org/cskg/def/cs#)."""

    _NS = Namespace(VOCAB_BASE + "cs#")
    _fail = True

    # classes
    LocalAuthority: URIRef
    Inspection: URIRef
    Judgement: URIRef
    Recommendation: URIRef
    Intervention: URIRef
    Programme: URIRef
    TextRendition: URIRef
    SourceGraph: URIRef
    Dataset: URIRef
    Framework: URIRef
    FundingTotal: URIRef
    OverallGradeEntry: URIRef
    SummaryGraph: URIRef

    # councils
    gssCode: URIRef
    dfeNumber: URIRef
    ofstedUrn: URIRef
    registerCode: URIRef
    localAuthorityType: URIRef
    region: URIRef
    statisticalNeighbour: URIRef
    onsArea: URIRef
    childrensServicesAuthority: URIRef

    # people and roles
    roleTitle: URIRef
    appointedBy: URIRef
    contactOfficer: URIRef

    # inspections
    inspectedOrganisation: URIRef
    publicationDate: URIRef
    leadInspector: URIRef
    statedRecommendationCount: URIRef
    judgementArea: URIRef
    grade: URIRef
    inspection: URIRef
    framework: URIRef
    focus: URIRef
    raisedBy: URIRef

    # interventions, programmes, money
    subjectOrganisation: URIRef
    legalBasis: URIRef
    programmeOf: URIRef
    overseenBy: URIRef
    financialYear: URIRef
    purpose: URIRef

    # reports and provenance
    sourceFile: URIRef
    sha256: URIRef
    committee: URIRef
    meetingDate: URIRef
    portfolio: URIRef
    mentions: URIRef
    textRendition: URIRef
    confidence: URIRef
    extractor: URIRef
    extractorVersion: URIRef
    loaderVersion: URIRef
    loadedAt: URIRef
    tripleCount: URIRef
    sourceKind: URIRef
    loadPending: URIRef
    sourceCommit: URIRef
    sourcePath: URIRef

    # summaries the store keeps (graph.summaries)
    fundingRecipient: URIRef
    fundingYear: URIRef
    totalAmount: URIRef
    grantCount: URIRef
    fundedProgrammes: URIRef
    latestOverallInspection: URIRef
    latestOverallDate: URIRef
    latestOverallGrade: URIRef
    entryOf: URIRef
    entryDate: URIRef
    entryGrade: URIRef
    entryInspection: URIRef
    nextEntry: URIRef
    nextVisitDate: URIRef
    nextVisitType: URIRef
    summaryVersion: URIRef
    summariesStale: URIRef


# SKOS concept schemes
GRADE = Namespace(VOCAB_BASE + "grade/")
AREA = Namespace(VOCAB_BASE + "area/")
ITYPE = Namespace(VOCAB_BASE + "inspection-type/")
IVTYPE = Namespace(VOCAB_BASE + "intervention-type/")
RECTYPE = Namespace(VOCAB_BASE + "recommendation-type/")
ROLE = Namespace(VOCAB_BASE + "role/")
THEME = Namespace(VOCAB_BASE + "theme/")
FRAMEWORK = Namespace(VOCAB_BASE + "framework/")

OA = Namespace("http://www.w3.org/ns/oa#")
SG = Namespace("http://statistics.data.gov.uk/id/statistical-geography/")
LEG = Namespace("http://www.legislation.gov.uk/id/")
GOVYEAR = Namespace("http://reference.data.gov.uk/id/government-year/")
SH = Namespace("http://www.w3.org/ns/shacl#")

PREFIXES: dict[str, Namespace | str] = {
    "cs": CS._NS,
    "grade": GRADE,
    "area": AREA,
    "itype": ITYPE,
    "ivtype": IVTYPE,
    "rectype": RECTYPE,
    "role": ROLE,
    "theme": THEME,
    "framework": FRAMEWORK,
    "org": ORG,
    "foaf": FOAF,
    "schema": SDO,
    "prov": PROV,
    "oa": OA,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "time": TIME,
    "xsd": XSD,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "sg": SG,
}


def sparql_prefixes(extra: dict[str, str] | None = None) -> str:
    """PREFIX lines for every namespace above (and the entity/graph bases when given)."""
    items = {k: str(v) for k, v in PREFIXES.items()}
    items.update(extra or {})
    return "".join(f"PREFIX {k}: <{v}>\n" for k, v in items.items())


__all__ = [
    "CS", "GRADE", "AREA", "ITYPE", "IVTYPE", "RECTYPE", "ROLE", "THEME", "FRAMEWORK", "OA", "SG", "LEG",
    "GOVYEAR", "SH", "PREFIXES", "sparql_prefixes",
    "DCTERMS", "FOAF", "ORG", "OWL", "PROV", "RDF", "RDFS", "SDO", "SKOS", "TIME", "XSD",
]
