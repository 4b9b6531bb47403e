"""The fact model: what readers and extractors hand to the graph layer.

Plain frozen dataclasses, no rdflib. A reader turns a file into a `Document`; extractors turn a
document into `Fact`s, each carrying the `Evidence` span it was read from. The graph layer mints
IRIs from the natural keys held here, so two facts about the same thing (the same inspection
mentioned twice, the same person in two reports) land on the same node.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

# ---------------------------------------------------------------------------------------------
# Documents


@dataclass(frozen=True)
class Block:
    """A structural piece of the text rendition: text[start:end]."""

    kind: str  # heading | paragraph | list-item | table-row | page-break
    start: int
    end: int
    page: int | None = None
    level: int | None = None  # heading level or list depth where known


@dataclass
class Document:
    """One source file as normalised text, the rendition every offset refers to."""

    source_file: str  # base name of the file
    path: str  # where it was read from
    media_type: str  # text/plain, text/html, application/pdf, ...
    sha256: str  # of the file bytes
    text: str
    blocks: list[Block] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)  # front-matter fields as written
    pages: int | None = None
    fields: dict[str, tuple[int, int]] = field(default_factory=dict)  # metadata key -> (start, end) of its value

    def block_text(self, block: Block) -> str:
        return self.text[block.start : block.end]


class ReaderError(Exception):
    """A file could not be read. The message is for people: it says what was wrong."""


# ---------------------------------------------------------------------------------------------
# Values

_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date as precise as the source gives it: 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'."""

    value: str

    def __post_init__(self) -> None:
        if not _DATE_RE.match(self.value):
            raise ValueError(f"not a partial date: {self.value!r}")

    @property
    def precision(self) -> str:
        return {4: "year", 7: "month", 10: "day"}[len(self.value)]

    @property
    def year(self) -> int:
        return int(self.value[:4])

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Evidence:
    """A verbatim span of the text rendition: document.text[start:end] == quote."""

    quote: str
    start: int
    end: int
    extractor: str
    version: str
    confidence: float = 0.8

    def check(self, text: str) -> bool:
        return 0 <= self.start < self.end <= len(text) and text[self.start : self.end] == self.quote


@dataclass(frozen=True)
class OrgRef:
    """An organisation as a report names it.

    For a council, `gss` is the code of the council in force at the report's date (resolved
    through the council register) and `name` its official name; other organisations carry only
    the name as written (normalised), and the graph layer mints their IRI from it.
    """

    name: str
    gss: str | None = None
    kind: str = "organisation"  # council | government | regulator | trust | board | organisation

    @property
    def is_council(self) -> bool:
        return self.gss is not None


@dataclass(frozen=True)
class PersonRef:
    """A real person. `key` is the identity decided by the people extractor (see
    loaders.extract.people for the rule); two refs with the same key are one person."""

    key: str
    name: str  # without honorifics or post-nominals
    title: str | None = None  # "Cllr", "Lord", "Dr" ...
    honours: str | None = None  # "OBE", "CBE" ...


# ---------------------------------------------------------------------------------------------
# Facts


@dataclass(frozen=True, kw_only=True)
class Fact:
    kind: ClassVar[str] = "fact"
    evidence: Evidence


@dataclass(frozen=True, kw_only=True)
class ReportInfo(Fact):
    """What the report says about itself (from its front matter or first lines)."""

    kind: ClassVar[str] = "report"
    title: str | None = None
    date: PartialDate | None = None  # meeting or decision date
    publisher: OrgRef | None = None
    committee: str | None = None
    portfolio: str | None = None


@dataclass(frozen=True, kw_only=True)
class OrganisationMention(Fact):
    kind: ClassVar[str] = "organisation"
    org: OrgRef


@dataclass(frozen=True, kw_only=True)
class PersonMention(Fact):
    """A named person, whether or not a role is stated."""

    kind: ClassVar[str] = "person"
    person: PersonRef


@dataclass(frozen=True, kw_only=True)
class Membership(Fact):
    """A person holding a role in an organisation, over an interval where stated."""

    kind: ClassVar[str] = "membership"
    person: PersonRef
    role: str = ""  # canonical role slug: director-of-childrens-services, cabinet-member, ...
    role_title: str = ""  # the title exactly as written
    org: OrgRef | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    appointed_by: OrgRef | None = None
    generated_by: Intervention | None = None  # e.g. the direction that appointed a commissioner


@dataclass(frozen=True, kw_only=True)
class Inspection(Fact):
    """An Ofsted inspection or visit of a council. Identity: org + type + date
    (start, else publication, else 'undated')."""

    kind: ClassVar[str] = "inspection"
    org: OrgRef
    type: str = "ilacs"  # inspection-type slug
    start: PartialDate | None = None
    end: PartialDate | None = None
    published: PartialDate | None = None
    lead_inspector: PersonRef | None = None
    stated_recommendation_count: int | None = None
    focus: str | None = None


@dataclass(frozen=True, kw_only=True)
class Judgement(Fact):
    kind: ClassVar[str] = "judgement"
    inspection: Inspection
    area: str = "overall-effectiveness"  # judgement-area slug
    grade: str = ""  # outstanding | good | requires-improvement | adequate | inadequate


@dataclass(frozen=True, kw_only=True)
class Recommendation(Fact):
    kind: ClassVar[str] = "recommendation"
    text: str = ""
    position: int | None = None  # printed order, from 1
    inspection: Inspection | None = None
    raised_by: OrgRef | None = None  # when no inspection is identified
    type: str = "recommendation"  # recommendation | area-for-improvement | priority-action


@dataclass(frozen=True, kw_only=True)
class Intervention(Fact):
    kind: ClassVar[str] = "intervention"
    org: OrgRef
    type: str = "improvement-notice"  # improvement-notice | statutory-direction
    start: PartialDate | None = None
    end: PartialDate | None = None  # when lifted or revoked
    issuer: OrgRef | None = None
    revised: bool = False


@dataclass(frozen=True, kw_only=True)
class OrganisationChange(Fact):
    """Alternative delivery: e.g. a children's trust taking over a council's services."""

    kind: ClassVar[str] = "organisation-change"
    org: OrgRef  # the council whose services moved
    new_org: OrgRef  # the trust or body that took them over
    date: PartialDate | None = None
    description: str = ""


@dataclass(frozen=True, kw_only=True)
class Programme(Fact):
    kind: ClassVar[str] = "programme"
    name: str = ""
    org: OrgRef | None = None  # cs:programmeOf
    overseen_by: OrgRef | None = None
    themes: tuple[str, ...] = ()  # theme slugs


@dataclass(frozen=True, kw_only=True)
class MonetaryAmount(Fact):
    """An amount of money the report states. Only funding (grants, investment, contract sums)
    becomes a schema:MonetaryGrant; savings and budgets are kept apart by `purpose`."""

    kind: ClassVar[str] = "money"
    amount: Decimal = Decimal(0)  # in pounds
    currency: str = "GBP"
    purpose: str = "funding"  # funding | saving | budget | cost
    financial_year: str | None = None  # "2019/20"
    funded: Programme | OrgRef | None = None
    funder: OrgRef | None = None
    description: str = ""  # the phrase it was read from, trimmed


@dataclass(frozen=True, kw_only=True)
class Legislation(Fact):
    kind: ClassVar[str] = "legislation"
    title: str = ""  # "Children and Social Work Act 2017"
    year: int | None = None
    chapter: int | None = None  # with the year, gives the legislation.gov.uk identifier
    section: str | None = None


FACT_TYPES: tuple[type[Fact], ...] = (
    ReportInfo,
    OrganisationMention,
    PersonMention,
    Membership,
    Inspection,
    Judgement,
    Recommendation,
    Intervention,
    OrganisationChange,
    Programme,
    MonetaryAmount,
    Legislation,
)
