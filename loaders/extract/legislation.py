"""Acts of Parliament a report cites, one fact per Act (its first mention as evidence).

An Act is a run of capitalised words ending in "Act" and a year ("Children and Social Work Act
2017", "section 149 of the Equality Act 2010"). Words that only start the sentence or the clause
("Following the", "Under") are dropped. A well-known Act cited without its year ("the Human
Rights Act") is recognised when its short title names one Act only. The common misspelling
"Children's Act" is read as the Children Act. Chapter numbers, which with the year give the
legislation.gov.uk identifier, come from a table of the Acts this field cites (checked against
legislation.gov.uk); an Act not in the table keeps its title and year with no chapter.
"""

from __future__ import annotations

import re

from loaders.extract import Context, extractor
from loaders.extract.common import evidence, normalise_space
from loaders.model import Legislation

NAME, VERSION = "legislation", "1.0"

# (short title, year) -> chapter number in that year's public general Acts (ukpga)
CHAPTERS: dict[tuple[str, int], int] = {
    ("Children Act", 1989): 41,
    ("Children Act", 2004): 31,
    ("Children and Social Work Act", 2017): 16,
    ("Children and Families Act", 2014): 6,
    ("Equality Act", 2010): 15,
    ("Education Act", 1996): 56,
    ("Education Act", 2002): 32,
    ("Education Act", 2011): 21,
    ("Education and Inspections Act", 2006): 40,
    ("Childcare Act", 2006): 21,
    ("Localism Act", 2011): 20,
    ("Local Government Act", 1972): 70,
    ("Local Government Act", 1999): 27,
    ("Local Government Act", 2000): 22,
    ("Human Rights Act", 1998): 42,
    ("Data Protection Act", 1998): 29,
    ("Data Protection Act", 2018): 12,
    ("Care Act", 2014): 23,
    ("Adoption and Children Act", 2002): 38,
    ("Children and Young Persons Act", 1933): 12,
    ("Children and Young Persons Act", 1969): 54,
    ("Children and Young Persons Act", 2008): 23,
    ("Care Standards Act", 2000): 14,
    ("Crime and Disorder Act", 1998): 37,
    ("Freedom of Information Act", 2000): 36,
    ("Health and Social Care Act", 2012): 7,
    ("Domestic Abuse Act", 2021): 17,
    ("Apprenticeships, Skills, Children and Learning Act", 2009): 22,
    ("Children (Leaving Care) Act", 2000): 35,
    ("Mental Health Act", 1983): 20,
    ("Academies Act", 2010): 32,
    ("Modern Slavery Act", 2015): 30,
    ("Counter-Terrorism and Security Act", 2015): 6,
    ("Public Services (Social Value) Act", 2012): 3,
    ("Local Authority Social Services Act", 1970): 42,
}

# Short titles that name one Act only, so a mention without a year still identifies it.
_UNIQUE: dict[str, int] = {}
for (title, year) in CHAPTERS:
    _UNIQUE[title] = year if title not in _UNIQUE else 0
_UNIQUE = {t: y for t, y in _UNIQUE.items() if y}

_WORD = r"(?:[A-Z][\w'\u2019-]*|\([A-Z][\w ]*\))"
_LINK = r"(?:,?\s+(?:and|of|for|in|on|the|to)\s+|,\s+|\s+)"
ACT = re.compile(rf"(?P<title>{_WORD}(?:{_LINK}{_WORD}){{0,9}}?\s+Act)(?:\s+(?P<year>(?:18|19|20)\d\d))?\b(?!\s+(?:of|for)\s+[A-Z])")
_SECTION = re.compile(r"\b(?:section|s\.)\s*(?P<s>\d+[A-Z]*(?:\(\d+\))*)\s+(?:of\s+)?(?:the\s+)?$", re.I)
_LEADING = re.compile(
    r"^(?:(?:The|the|Following|Under|Pursuant|Through|By|In|Of|Its|This|That|As|With|Within|Section|Part|Schedule|"
    r"Regulations?|Since|After|Before|And|Both|Also|Under|Per|Re|See|Note|Guidance|Statutory|Duty|Duties|Under|From|"
    r"Implications?|Legal|There|No|Any|All|Our|Their|[A-Z])(?:\s+|,\s*))+"
)


# \bAct\b, the word taken first (and the boundary before it tested after it): the scan jumps from
# one "Act" to the next instead of testing a word boundary at every character
_ACT_WORD = re.compile(r"Act(?<=\bAct)\b")


def _acts(text: str) -> list[re.Match[str]]:
    """ACT's matches, tried only just before each word "Act" (linear on long capitalised runs)."""
    out: dict[int, re.Match[str]] = {}
    for a in _ACT_WORD.finditer(text):
        for m in ACT.finditer(text, max(0, a.start() - 160), min(len(text), a.end() + 6)):
            if m.end("title") == a.end():
                out.setdefault(a.start(), m)
                break
    return [out[k] for k in sorted(out)]


def canonical(title: str) -> str:
    title = normalise_space(title)
    title = re.sub(r"\bChildren['\u2019]s\s+Act\b", "Children Act", title)
    return title


@extractor(NAME, VERSION, requires=("report",), provides=("legislation",))
def extract_legislation(ctx: Context):
    text = ctx.doc.text
    seen: set[tuple[str, int | None]] = set()
    for m in _acts(text):
        raw = m.group("title")
        lead = _LEADING.match(raw)
        start = m.start("title") + (lead.end() if lead and lead.end() < len(raw) - 4 else 0)
        title = canonical(text[start : m.end("title")])
        if "\n" in text[start : m.end("title")] or len(title.split()) > 9 or title == "Act":
            continue
        year = int(m.group("year")) if m.group("year") else _UNIQUE.get(title)
        if year is None:
            continue
        key = (title.lower(), year)
        if key in seen:
            continue
        seen.add(key)
        sec = _SECTION.search(text[max(0, start - 40) : start])
        yield Legislation(
            evidence=evidence(text, sec and (max(0, start - 40) + sec.start()) or start, m.end(), NAME, VERSION),
            title=f"{title} {year}",
            year=year,
            chapter=CHAPTERS.get((title, year)),
            section=sec.group("s") if sec else None,
        )
