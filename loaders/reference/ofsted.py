"""Ofsted's published children's services inspection outcomes, one record per table row.

The table (Data to Insight's scrape of the report PDFs) gives per report: the council's Ofsted
URN, publication date, framework (standard/short), lead inspector, fieldwork dates and a grade per
judgement area. Reports from before ILACS carry only their date and link. Each row becomes an
`OfstedOutcome` holding only what the row says; what could not be read is listed in `problems`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field

from loaders.model import PartialDate
from loaders.reference.councils import DATA_DIR, Council, council_in_force, councils_by_urn

OUTCOMES_CSV = "ofsted-ilacs-history.csv"

# ILACS replaced the single inspection framework (SIF) from January 2018, though SIF reports
# were still published into mid-2018; SIF inspections began in November 2013, their first reports
# came out in 2014
ILACS_FROM = "2018-01-01"
ILACS_ONLY_PUBLISHED_FROM = "2019-01-01"
SIF_PUBLISHED_FROM = "2014-01-01"

_GRADES = {
    "outstanding": "outstanding",
    "good": "good",
    "requires improvement": "requires-improvement",
    "requires improvement to be good": "requires-improvement",
    # the scraper's reading of "requires improvement to be good" split over two lines
    "to requires improvement": "requires-improvement",
    "adequate": "adequate",
    "inadequate": "inadequate",
}
# markers the table uses where there is no grade to give
_NO_GRADE = {
    "": "blank",
    "data_unreadable": "not readable from the report",
    "inspection_pre_dates_judgement": "not a judgement at the time",
    "not_reported_post_reform": "not given since the 2026 framework",
}
_FRAMEWORKS = {
    "standard": "ilacs-standard",
    "short": "ilacs-short",
    # an overrun standard inspection (Wiltshire 2019): still a standard inspection
    "inspection duration longer than standard framework": "ilacs-standard",
}


@dataclass(frozen=True)
class OfstedOutcome:
    row: int  # line number in the CSV (header is line 1)
    urn: str
    council: Council
    type: str  # inspection-type slug
    published: PartialDate
    start: PartialDate | None
    end: PartialDate | None
    lead_inspector: str | None
    link: str
    grades: tuple[tuple[str, str], ...]  # (area slug, grade slug)
    problems: tuple[str, ...] = field(default=())

    @property
    def key_date(self) -> PartialDate:
        """The date in the inspection's identity: fieldwork start, else publication."""
        return self.start or self.published


@dataclass(frozen=True)
class SkippedRow:
    row: int
    reason: str


def _date(value: str) -> PartialDate | None:
    """dd/mm/yyyy or dd/mm/yy -> PartialDate; None when blank."""
    value = value.strip()
    if not value:
        return None
    parts = value.split("/")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"date {value!r} is not dd/mm/yyyy")
    day, month, year = parts
    if len(year) == 2:
        year = "20" + year
    return PartialDate(f"{int(year):04d}-{int(month):02d}-{int(day):02d}")


def _type(framework: str, start: PartialDate | None, published: PartialDate, graded: bool) -> str:
    when = str(start or published)
    if start is not None and when < ILACS_FROM:
        return "sif"  # fieldwork in 2017 or earlier: the old framework whatever the label says
    if framework in _FRAMEWORKS:
        return _FRAMEWORKS[framework]
    if graded or str(published) >= ILACS_ONLY_PUBLISHED_FROM:
        return "ilacs"  # an ILACS report whose standard/short label was not read
    if str(published) >= SIF_PUBLISHED_FROM:
        return "sif"
    return "pre-sif-inspection"


def read_outcomes() -> tuple[list[OfstedOutcome], list[SkippedRow]]:
    """Every row of the outcomes table as a record, and the rows that could not be used."""
    with open(DATA_DIR / OUTCOMES_CSV, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out: list[OfstedOutcome] = []
    skipped: list[SkippedRow] = []
    for line, r in enumerate(rows, start=2):
        try:
            outcome = _outcome(line, r)
        except ValueError as exc:
            skipped.append(SkippedRow(line, f"{r.get('local_authority', '?')}: {exc}"))
            continue
        out.append(outcome)
    return out, skipped


def _outcome(line: int, r: dict[str, str]) -> OfstedOutcome:
    published = _date(r["publication_date"])
    if published is None:
        raise ValueError("no publication date")
    start, end = _date(r["inspection_start_date"]), _date(r["inspection_end_date"])
    problems: list[str] = []
    if start and end and end < start:
        problems.append(f"fieldwork end {end} before start {start}: dates dropped")
        start = end = None
    when = start or published
    candidates = councils_by_urn(r["urn"])
    council = council_in_force(candidates, when)
    if council is None:
        raise ValueError(f"URN {r['urn']} matches no council in force on {when}")

    values = {
        "overall-effectiveness": r["overall_effectiveness_grade"],
        "impact-of-leaders": r["impact_of_leaders_grade"],
        "help-and-protection": r["help_and_protection_grade"],
        "children-in-care": r["in_care_grade"],
        "care-leavers": r["care_leavers_grade"],
    }
    graded_leavers = values["care-leavers"].strip().lower() in _GRADES
    grades: list[tuple[str, str]] = []
    unreadable: list[str] = []
    for area, raw in values.items():
        value = raw.strip().lower()
        if area == "children-in-care" and not graded_leavers:
            # before 2023 one judgement covered children in care and care leavers
            area = "children-in-care-and-care-leavers"
        if value in _GRADES:
            grades.append((area, _GRADES[value]))
        elif value not in _NO_GRADE:
            unreadable.append(f"{area} {raw!r}")
    itype = _type(r["inspection_framework"].strip().lower(), start, published, bool(grades))
    if grades and itype in ("sif", "pre-sif-inspection"):
        problems.append(f"grades given for a {itype} report: ignored")
        grades = []
    if grades and not any(a == "overall-effectiveness" for a, _ in grades) and values["overall-effectiveness"] == "":
        problems.append("overall effectiveness grade not read")
    if unreadable:
        problems.append("unknown grade " + ", ".join(unreadable))
    return OfstedOutcome(
        row=line,
        urn=r["urn"].strip(),
        council=council,
        type=itype,
        published=published,
        start=start,
        end=end,
        lead_inspector=" ".join(r["inspector_name"].split()) or None,
        link=r["inspection_link"].strip(),
        grades=tuple(grades),
        problems=tuple(problems),
    )


__all__ = ["OfstedOutcome", "SkippedRow", "read_outcomes", "OUTCOMES_CSV"]
