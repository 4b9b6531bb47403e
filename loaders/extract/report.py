"""The report itself: publishing council, title, meeting date, committee and portfolio.

Committee reports open with a front matter ("Report to: Cabinet", "Date: 18 June 2018",
"Subject Heading: ...", "Contact officer: ..."), a letterhead ("SLOUGH BOROUGH COUNCIL"), a meeting
heading ("Council – 13 April 2015") or a covering letter from democratic services. This step reads
those, in that order of trust, and shares two values with later steps:

- ctx.values["publisher"]: the OrgRef of the publishing council, or None. Found from, in order:
  a front-matter field naming a council; a letterhead line near the top that is a council's name;
  a council's web or e-mail domain ("@havering.gov.uk", "www.westsussex.gov.uk"); else the council
  named most often in the first part of the report; else the council a web page's <title> names.
- ctx.values["report_date"]: the meeting or decision date the report states. When it states none,
  the latest year among the full dates it mentions stands in (year precision) so councils are still
  resolved at about the right time; ReportInfo.date stays None then.

`front_matter(text)` is shared with the people step, which reads the person-valued fields.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from loaders.extract import Context, extractor
from loaders.extract.common import evidence, find_dates, finditer_lines, parse_date
from loaders.model import OrgRef, PartialDate, ReportInfo
from loaders.reference import councils

NAME, VERSION = "report", "1.0"

# ------------------------------------------------------------------------------- front matter

LABELS: dict[str, tuple[str, ...]] = {
    "title": ("title", "report title", "title of report", "subject", "subject heading", "report subject",
              "name of report", "report name"),
    "date": ("date", "meeting date", "date of meeting", "date of decision", "decision date", "meeting held on"),
    "report_to": ("report to", "reporting to", "meeting", "committee", "to", "decision maker", "decision-maker",
                  "decision taker", "forum"),
    "portfolio": ("portfolio", "portfolio holder", "portfolio holders", "cabinet portfolio", "cabinet member",
                  "cabinet members", "cabinet member(s)", "lead member", "lead cabinet member", "executive member",
                  "relevant cabinet member", "responsible cabinet member", "cabinet member responsible",
                  "name of cabinet member", "accountable cabinet member", "lead councillor", "executive councillor",
                  "portfolio holder(s)", "cabinet lead", "portfolio member", "portfolio lead",
                  "lead portfolio holder", "executive portfolio holder"),
    "author": ("author", "authors", "report author", "report authors", "report author(s)",
               "report author and contact details", "author and contact details", "report written by",
               "lead author", "author's name", "name of author", "report author's name", "author(s)",
               "report prepared by", "prepared by", "originating officer", "originating officer(s)",
               "originating officers"),
    "contact_officer": ("contact officer", "contact officers", "contact officer(s)", "contact", "contacts",
                        "contact details", "officer contact", "contact for enquiries", "if calling please ask for",
                        "please ask for", "enquiries to", "for further information contact", "report contact",
                        "contact name", "officer", "lead contact", "officer contact details", "contact person",
                        "name of contact officer", "contact officer details", "further information",
                        "contact for further information", "contact point", "contact points"),
    "council": ("council", "local authority", "authority", "organisation"),
    "lead_officer": ("slt lead", "clt lead", "smt lead", "lead officer", "responsible officer", "lead director",
                     "report of", "report by", "report from", "accountable director", "responsible director",
                     "director", "executive director", "corporate director", "strategic director", "chief officer",
                     "senior responsible officer", "sponsoring director", "lead executive director",
                     "accountable officer", "name of lead officer", "lead officer(s)", "responsible head of service",
                     "head of service", "service director", "assistant director", "report sponsor", "sponsor"),
}
# labels that look like the ones above but never carry what they seem to
_NOT_LABELS = ("portfolio areas affected", "local members affected", "wards affected", "date of report")

_LABEL_KEY = {label: key for key, labels in LABELS.items() for label in labels}


def _label_alternation(labels: list[str]) -> str:
    """Labels longest first, grouped by first letter (keeping that order in each group): only one
    group can match at a position, so the match is the same, and the regex engine skips the other
    groups on their first letter instead of trying every label (a scan three times as fast)."""
    groups: dict[str, list[str]] = {}
    for label in sorted(labels, key=len, reverse=True):
        groups.setdefault(label[0].lower(), []).append(re.escape(label).replace(r"\ ", r"\s+"))
    return "|".join(f"(?:{'|'.join(g)})" for g in groups.values())


_LABEL_ALT = _label_alternation(list(_LABEL_KEY))
# a label starts a line (after markdown or table decoration) or follows a tab, a run of spaces or bold
_LABEL_RE = re.compile(
    rf"(?:^|(?<=\s)|(?<=\*\*)|(?<=\|))[ \t>*#|]*(?P<label>{_LABEL_ALT})[ \t]*(?:\*\*)?[ \t]*(?::|\t|\|)(?:\*\*)?",
    re.I | re.M,
)
_VALUE_TRIM = " \t*|_#>:-–—"

# Where _LABEL_RE can match, found without running it over the whole text. A match ends one to
# three characters after its separator (":", tab or "|"), and before the separator holds only the
# label's own characters (at most _LABEL_SOLID of them) and white space, ">", "*", "#" or "|".
_LABEL_SEP = re.compile(r"[:\t|]")
_SOLID = re.compile(r"[^\s>*#|]")
_LABEL_SOLID = max(len(label.replace(" ", "")) for label in _LABEL_KEY)


def _label_matches(text: str, start: int, end: int) -> list[re.Match[str]]:
    """list(_LABEL_RE.finditer(text, start, end)), searching only near the separators. A match
    ending at a separator starts after the last _LABEL_SOLID + 1 solid characters before it, so
    each separator's stretch starts at or before that point (a stretch holding more than that many
    of them); overlapping stretches join, and each is searched up to three characters past its
    last separator (a match starting in a stretch ends there, and none starts elsewhere)."""
    stretches: list[list[int]] = []
    for sep in _LABEL_SEP.finditer(text, start, end):
        q = sep.start()
        a = start
        for width in (80, 400):
            lo = q - width
            if lo <= start:
                break
            if len(_SOLID.findall(text, lo, q)) > _LABEL_SOLID:
                a = lo
                break
        if stretches and a <= stretches[-1][1] + 1:
            stretches[-1][1] = q
        else:
            stretches.append([a, q])
    out: list[re.Match[str]] = []
    pos = start
    for a, q in stretches:
        out.extend(_LABEL_RE.finditer(text, max(a, pos), min(q + 3, end)))
        if out:
            pos = out[-1].end()
    return out


@dataclass(frozen=True)
class Field:
    """One front-matter value: text[start:end] == value."""

    key: str
    label: str
    value: str
    start: int
    end: int
    written_label: str = ""  # the label as the report writes it ("CONTACT OFFICER")


def _trimmed(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and (text[a] in _VALUE_TRIM or text[a].isspace()):
        a += 1
    while b > a and (text[b - 1] in _VALUE_TRIM or text[b - 1].isspace()):
        b -= 1
    return a, b


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    a = text.rfind("\n", 0, pos) + 1
    b = text.find("\n", pos)
    return a, len(text) if b < 0 else b


def front_matter(text: str, start: int = 0, end: int | None = None, keys: tuple[str, ...] | None = None) -> list[Field]:
    """Every labelled field ("Contact officer: X") in text[start:end], in order. A label with no
    value takes the next non-blank line; a person-valued field runs on over the lines that follow
    it directly (a second contact officer on the next line)."""
    fields = _all_fields(text, start, len(text) if end is None else end)
    return [f for f in fields if keys is None or f.key in keys]


@lru_cache(maxsize=4)  # several steps read the same document's front matter; the label scan is slow
def _all_fields(text: str, start: int, end: int) -> tuple[Field, ...]:
    fields: list[Field] = []
    matches = _label_matches(text, start, end)
    label_lines = {_line_bounds(text, m.start("label"))[0] for m in matches}
    for i, m in enumerate(matches):
        label = " ".join(m["label"].lower().split())
        key = _LABEL_KEY[label]
        line_start, line_end = _line_bounds(text, m.start("label"))
        if any(text[line_start:line_end].lower().lstrip(" \t*#|>").startswith(n) for n in _NOT_LABELS):
            continue
        before = text[line_start : m.start("label")]
        # mid-line, a label follows a tab, a wide gap, bold or a table bar, or is written in capitals
        # ("REPORT TO: Cabinet DATE: 19 June 2017")
        if before.strip(" \t*#|>") and not re.search(r"(?:\t|  |\*\*|\|)[ \t*]*$", before) and not m["label"].isupper():
            continue
        stop = line_end
        if i + 1 < len(matches) and matches[i + 1].start() < line_end:
            stop = matches[i + 1].start()
        a, b = _trimmed(text, m.end(), stop)
        if a >= b:  # the value is on the next non-blank line
            nxt = re.compile(r"\n[ \t]*\n?[ \t]*([^\n]+)").match(text, line_end)
            if not nxt or _line_bounds(text, nxt.start(1))[0] in label_lines:
                continue
            a, b = _trimmed(text, nxt.start(1), nxt.end(1))
            line_end = nxt.end(1)
            if a >= b:
                continue
        written = " ".join(m["label"].split())
        fields.append(Field(key, label, text[a:b], a, b, written))
        if key in ("contact_officer", "author", "lead_officer", "portfolio"):
            pos = line_end
            for _ in range(3):  # continuation lines belong to the same field
                if not text.startswith("\n", pos) or pos + 1 >= end:
                    break
                ls, le = _line_bounds(text, pos + 1)
                if ls in label_lines or not text[ls:le].strip():
                    break
                a, b = _trimmed(text, ls, le)
                if a < b:
                    fields.append(Field(key, label, text[a:b], a, b, written))
                pos = le
    return tuple(fields)


# ------------------------------------------------------------------------------- lines

@dataclass(frozen=True)
class Line:
    text: str  # stripped of markdown decoration
    start: int
    end: int


def _lines(text: str, start: int, end: int) -> Iterator[Line]:
    pos = start
    for raw in text[start:end].split("\n"):
        a, b = pos, pos + len(raw)
        pos = b + 1
        a, b = _trimmed(text, a, b)
        while b > a and text[a:b].startswith("**") and text[a:b].endswith("**"):
            a, b = _trimmed(text, a + 2, b - 2)
        if a < b:
            yield Line(text[a:b], a, b)


def head_end(text: str) -> int:
    """Where the opening part of a report ends: front matter, letterhead and first headings."""
    return min(len(text), max(3000, len(text) // 5), 8000)


_COMMITTEE_WORD = r"(?:Cabinet|Council|Committee|Sub-Committee|Board|Panel|Executive|Scrutiny|Commission|Forum)"
_COMMITTEE_LINE = re.compile(
    rf"^(?:(?:meeting\s+of\s+)?the\s+)?(?P<c>(?:[A-Z][\w'’&,\- ]{{0,110}}?\s)?{_COMMITTEE_WORD}(?:\s+Meeting)?)$", re.I
)
_MEETING_LINE = re.compile(
    rf"^(?:(?:meeting\s+of\s+)?the\s+)?(?P<c>(?:[A-Z][\w'’&,\- ]{{0,110}}?\s)?{_COMMITTEE_WORD})(?:\s+meeting)?\s*"
    r"(?:[–—\-:,]|\bon\b|\bheld on\b|(?<=\S)(?=\t|[ ]{3,})|(?<=\S)(?=[ ](?:\d|(?:mon|tues|wednes|thurs|fri|satur|sun)day\b)))\s*(?P<d>.{6,40})$",
    re.I,
)
# "MINUTES OF THE MEETING HELD ON WEDNESDAY 24 SEPTEMBER 2014 AT ...": the meeting's date
_MINUTES_LINE = re.compile(
    rf"^minutes\s+of\s+(?:the\s+)?(?:(?:meeting|proceedings)\s+of\s+(?:the\s+)?)?(?:(?P<c>[A-Z][\w'’&,\- ]{{0,110}}?{_COMMITTEE_WORD})\s+)?"
    r".*\b(?:held|on)\b",
    re.I,
)
_DEAR = re.compile(r"^dear\s+\S", re.I)
# moderngov page headings put the page type before the item's own title
_PAGE_PREFIX = re.compile(r"(?:issue\s*[-–]\s*items\s+at\s+meetings|agenda\s+item|decision|issue\s+details?)\s*[-–:]\s*", re.I)
_REPORT_TO = re.compile(rf"^report\s+(?:to|for)\s+(?:the\s+)?(?P<c>(?:[\w'’&,\- ]{{0,110}}?\s)?{_COMMITTEE_WORD})\b", re.I)

_NOT_TITLE = re.compile(
    r"^(?:public\s+document\s+pack|agenda(?:\s+item)?\b.*|report\s+(?:to|for|of|by|from)\b.*|part\s+[i1]+\b.*|(?:non[- ])?key\s+decision.*"
    r"|dear\b.*|yours\b.*|department\s+for\s+education|ofsted|(?:[^|]*\|){2,}[^|]*|to\s+all\b.*|this\s+page\s+is\s+intentionally.*|exempt\b.*|open\b|not\s+for\s+publication.*"
    r"|(?:tel|telephone|phone|fax|email|e-mail|web|website|switchboard|dx)\b.*|www\..*|https?://.*|page\s+\d+.*"
    r"|appendix\b.*|annex\b.*|contents|summary|recommendations?|purpose(?:\s+of\s+(?:the\s+)?report)?|introduction"
    r"|background(?:\s+and\s+context)?|executive\s+summary|report\s+detail|item\s+\d+.*|for\s+(?:decision|information).*"
    r"|classification\b.*|status\b.*|ward\(s\)\b.*|wards?\b.*|electoral\s+divisions?\b.*)$",
    re.I,
)
_ADDRESS = re.compile(
    r"\b(?:[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}|PO\s*Box|Hall|House|Road|Street|Square|Lane|Avenue|Offices|Centre)\b"
    r"|@|\d{3,}[\s\d]{4,}"
)
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")
_PACK_END = re.compile(r"this\s+page\s+is\s+intentionally\s+left\s+blank", re.I)


def _clean_title(s: str) -> str:
    s = re.sub(r"^\s*(?:\d+(?:\.\d+)*[.)]?|[A-Z][.)])\s+", "", s)
    s = re.sub(r"\s*\((?:pages?\s+[\d\s\-–]+)\)\s*$", "", s, flags=re.I)
    s = s.replace("**", "").strip(" \t-–—:")
    s = s[:-1] if s.endswith(".") and not s.endswith("etc.") else s
    return " ".join(s.split())


def _title_case(s: str) -> str:
    """SLOUGH CHILDREN'S SERVICES TRUST – UPDATE -> Slough Children's Services Trust – Update."""
    if not s.isupper():
        return s
    small = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to", "with"}
    words = s.lower().split(" ")
    out = []
    for i, w in enumerate(words):
        if i and w in small:
            out.append(w)
        elif len(w) <= 4 and w.isalpha() and w.upper() in {"SEND", "LSCB", "ILACS", "SEN", "DFE", "CSC", "UK", "NHS"}:
            out.append(w.upper())
        else:
            out.append(w[:1].upper() + w[1:])
    return " ".join(out)


def _is_date_line(s: str) -> bool:
    found = find_dates(s)
    return bool(found) and len(re.sub(r"[\W\d_]+", "", s[: found[0].start] + s[found[0].end :])) <= 12


def _person_line(s: str) -> bool:
    from loaders.extract.people import looks_like_person_line

    return looks_like_person_line(s)


def _committee(s: str) -> str:
    s = " ".join(s.replace("**", "").split()).strip(" ,-–—:")
    s = re.sub(r"\s+meeting$", "", s, flags=re.I)
    return _title_case(s)


# ------------------------------------------------------------------------------- councils

def _is_council_line(s: str, on) -> OrgRef | None:
    """The line names a council and nothing else (a letterhead)."""
    found = councils.find_councils(s, on)
    if len(found) == 1:
        a, b, org = found[0]
        rest = (s[:a] + s[b:]).strip(" \t*#|,.-–—")
        if not rest:
            return org
    return None


_DOMAIN = re.compile(r"(?:@|www\.|https?://)(?:[a-z0-9-]+\.)*?(?P<label>[a-z0-9-]+)\.gov\.uk\b", re.I)
_GOV_UK = re.compile(r"\.gov\.uk", re.I)  # in every match of _DOMAIN, which never crosses a line


def _squash(s: str) -> str:
    return re.sub(r"[^a-z0-9]", "", s.lower())


def council_from_domain(label: str, on) -> OrgRef | None:
    """'havering' -> London Borough of Havering; 'westsussex' -> West Sussex County Council: the
    council in force whose place name, without spaces, hyphens and type words, is the domain label."""
    label = _squash(label)
    if len(label) < 4 or label in _NOT_COUNCIL_DOMAINS:
        return None
    type_words = re.compile(r"\b(?:county|borough|district|city|council|metropolitan|royal|london|the|of)\b")
    candidates = [
        c
        for c in councils.councils()
        if any(
            _squash(n) == label or _squash(type_words.sub(" ", n.lower())) == label
            for n in (c.nice_name, c.official_name, *c.alt_names)
        )
    ]
    council = councils.council_in_force(candidates, on) if candidates else None
    if council is None and candidates:
        council = councils.council_in_force(candidates, None)
    return council.ref() if council is not None else None


_NOT_COUNCIL_DOMAINS = frozenset({"mail", "democracy", "moderngov", "cmis", "committees", "council", "education",
                                  "ofsted", "direct", "service", "services", "digital", "nhs"})


def _most_named_council(text: str, end: int, on) -> OrgRef | None:
    counts: Counter[str] = Counter()
    refs: dict[str, OrgRef] = {}
    for _, _, org in councils.find_councils(text[:end], on):
        k = org.gss or org.name
        counts[k] += 1
        refs[k] = org
    if not counts:
        return None
    ranked = counts.most_common(2)
    if len(ranked) == 2 and ranked[0][1] == ranked[1][1]:
        return None  # a tie says nothing about who wrote it
    return refs[ranked[0][0]]


# "Portfolio Holder Report of Councillor B Cassidy, Children's Services"
_TITLE_PORTFOLIO = re.compile(
    r"(?:portfolio\s+holder|cabinet\s+member|lead\s+member)(?:['’]s)?\s+(?:report|update|statement)\s+(?:of|from|by)\s+[^,]+,\s*(?P<p>[A-Z][^,()]+?)\s*$",
    re.I,
)

# ------------------------------------------------------------------------------- the step

@dataclass
class _Found:
    value: object
    start: int
    end: int


def read_report(text: str) -> dict[str, _Found]:
    """What the opening part of the report says about itself (without council resolution)."""
    hend = head_end(text)
    found: dict[str, _Found] = {}
    fields = front_matter(text, 0, hend)
    for f in fields:
        if f.key == "title" and "title" not in found:
            title = _clean_title(f.value)
            if len(title) > 3:
                a = text.find(title, f.start, f.end + 1) if title in f.value else f.start
                found["title"] = _Found(_title_case(title), a, a + len(title) if title in f.value else f.end)
        elif f.key == "date" and "date" not in found:
            dm = find_dates(text, f.start, f.end, years=True)
            if dm:
                found["date"] = _Found(dm[0].date, dm[0].start, dm[0].end)
        elif f.key == "report_to" and "committee" not in found:
            dm = find_dates(text, f.start, f.end)
            stop = dm[0].start if dm else f.end
            c = _committee(text[f.start : stop])
            if not c and dm:  # the date first: "02/03/2021 - Executive (Item 102)"
                c = _committee(re.sub(r"\s*\((?:item|agenda\s+item|minute)\b[^)]*\)\s*$", "", text[dm[0].end : f.end], flags=re.I))
            if c and len(c) < 120 and not re.search(r"\d{3,}", c):
                found["committee"] = _Found(c, f.start, f.end)
            if dm and "date" not in found:
                found["date"] = _Found(dm[0].date, dm[0].start, dm[0].end)
        elif f.key == "portfolio" and "portfolio" not in found:
            value, end = f.value, f.end
            nxt = next((g for g in fields if g.key == f.key and g.start > f.end), None)
            if nxt is not None and re.search(r"\b(?:for|of|and|&)$|,$", value) and "\n" not in text[f.end : nxt.start].strip("\n"):
                value, end = text[f.start : nxt.end], nxt.end  # "Lead Member for\nChildren, Young People"
            m = re.search(
                r"(?i:cabinet\s+member|portfolio\s+holder|lead\s+member|executive\s+member|executive\s+lead)\s+(?:(?i:for)\s+)?(?P<p>[A-Z].+)$",
                value, re.S,
            )
            if m:
                p = re.sub(r"\s*\((?:lead|cabinet|executive)\s+member\)\s*$", "", m["p"], flags=re.I)
                found["portfolio"] = _Found(" ".join(p.split()).strip(" .,"), f.start + m.start("p"), end)

    # lines: cover-letter packs put the report itself after the first blank page
    pack = _PACK_END.search(text, 0, hend)
    lines = list(_lines(text, 0, hend))
    field_spans = [(f.start, f.end) for f in fields]
    # an address block: the few short lines above a postcode
    address: set[int] = set()
    for i, ln in enumerate(lines):
        if _POSTCODE.search(ln.text):
            j = i
            while j >= max(0, i - 5) and len(lines[j].text) <= 40:
                address.add(lines[j].start)
                if j == 0 or text.count("\n", lines[j - 1].end, lines[j].start) > 1:
                    break  # a blank line ends the block
                j -= 1
    title_from = pack.end() if pack else 0
    dear = next((i for i, ln in enumerate(lines) if _DEAR.match(ln.text)), None)
    if dear is not None and not (pack and lines[dear].start < pack.start()):  # a pack's cover letter is not the report
        # a letter: its date is the date line above "Dear ...", its title the subject line below
        date_line = next((ln for ln in reversed(lines[:dear]) if _is_date_line(ln.text)), None)
        if date_line is not None and "date" not in found:
            dm = find_dates(text, date_line.start, date_line.end, years=True)
            if dm:
                found["date"] = _Found(dm[0].date, dm[0].start, dm[0].end)
        subject = next((ln for ln in lines[dear + 1 : dear + 3] if _subject_line(ln.text)), None)
        if subject is not None and "title" not in found:
            title = _clean_title(subject.text)
            a = text.find(title, subject.start, subject.end)
            if a >= 0:
                found["title"] = _Found(_title_case(title), a, a + len(title))
    for i, ln in enumerate(lines):
        s = ln.text
        minutes = _MINUTES_LINE.match(s)
        if minutes and "date" not in found:
            dm = find_dates(text, ln.start, ln.end, years=True)
            if dm:
                found["date"] = _Found(dm[0].date, dm[0].start, dm[0].end)
        if minutes and minutes["c"] and "committee" not in found:
            found["committee"] = _Found(_committee(minutes["c"]), ln.start + minutes.start("c"), ln.start + minutes.end("c"))
        mm = _MEETING_LINE.match(s)
        if mm and "date" not in found:
            d = parse_date(mm["d"])
            if d is not None and _is_date_line(mm["d"]):
                off = ln.start + mm.start("d")
                dm = find_dates(text, off, ln.end, years=True)
                found["date"] = _Found(dm[0].date, dm[0].start, dm[0].end) if dm else _Found(d, ln.start, ln.end)
                found.setdefault("committee", _Found(_committee(mm["c"]), ln.start + mm.start("c"), ln.start + mm.end("c")))
                continue
        rt = _REPORT_TO.match(s)
        if rt and "committee" not in found:
            found["committee"] = _Found(_committee(rt["c"]), ln.start + rt.start("c"), ln.start + rt.end("c"))
            continue
        cm = _COMMITTEE_LINE.match(s)
        if cm and len(s.split()) <= 12:
            nxt = lines[i + 1 : i + 4]
            date_line = next((n for n in nxt if _is_date_line(n.text)), None)
            if "committee" not in found and not _could_be_council(s):
                found["committee"] = _Found(_committee(cm["c"]), ln.start, ln.end)
            if date_line is not None and "date" not in found and not _could_be_council(s):
                dm = find_dates(text, date_line.start, date_line.end, years=True)
                if dm:
                    found["date"] = _Found(dm[0].date, dm[0].start, dm[0].end)
            continue
        in_field = any(a < ln.end and ln.start < b for a, b in field_spans)
        if (
            "title" not in found
            and ln.start >= title_from
            and not in_field
            and ln.start not in address
            and _title_candidate(s, text, ln)
        ):
            title = _clean_title(s)
            a = text.find(title, ln.start, ln.end)
            if a >= 0:
                found["title"] = _Found(_title_case(title), a, a + len(title))
    if "portfolio" not in found and "title" in found:
        t = found["title"]
        m = _TITLE_PORTFOLIO.search(str(t.value))
        if m and m["p"] in text[t.start : t.end]:
            a = text.find(m["p"], t.start, t.end)
            found["portfolio"] = _Found(m["p"], a, a + len(m["p"]))

    return found


_COUNCIL_NAME = re.compile(
    r"\b(?:borough|county|city|district|metropolitan|london)\b.*\bcouncil\b|\bcouncil\s+of\b|^london\s+borough", re.I
)
_PLACE_COUNCIL = re.compile(r"^[A-Z][\w'’\- ]+\s+council$", re.I)


def _could_be_council(s: str) -> bool:
    """A line that is a council's own name ("SLOUGH BOROUGH COUNCIL") is a letterhead, not a committee."""
    if _COUNCIL_NAME.search(s):
        return True
    return bool(_PLACE_COUNCIL.match(s)) and s.lower().split()[0] not in {"county", "full", "city", "the"}


def _subject_line(s: str) -> bool:
    """The subject line under "Dear ...": a heading-like line (it may start with a council's name)."""
    words = s.split()
    return 2 <= len(words) <= 20 and s[0].isupper() and not s.endswith((".", ",", ";", ":")) and not _is_date_line(s) \
        and not _DEAR.match(s) and not _NOT_TITLE.match(s)


def _title_candidate(s: str, text: str, ln: Line) -> bool:
    words = s.split()
    if len(words) < 2 or len(s) > 220 or _NOT_TITLE.match(s) or _LABEL_RE.match(s):
        return False
    if s.endswith((".", ",", ";")) and not s.endswith("etc."):
        return False  # prose
    if _ADDRESS.search(s) or _is_date_line(s) or _could_be_council(s) or _COMMITTEE_LINE.match(s):
        return False
    if not s[0].isupper() and not s[0].isdigit():
        return False
    if sum(1 for w in words if w[:1].islower()) > max(3, len(words) // 2):
        return False  # a sentence, not a heading
    if re.match(r"^\d+(?:\.\d+)*[.)]?\s", s) and not re.search(r"\(pages?\s", s, re.I):
        return False  # a numbered paragraph heading inside the report
    if _person_line(s) or _role_line(s) or _place_line(s):
        return False
    return True


_ROLE_LINE = re.compile(
    r"^(?:(?:interim|acting|deputy|assistant|executive|corporate|strategic|service)\s+)*(?:director|head|chief\s+executive|"
    r"manager|officer|cabinet\s+member|leader|chair|commissioner|portfolio\s+holder|lead\s+member)\b",
    re.I,
)


def _role_line(s: str) -> bool:
    return bool(_ROLE_LINE.match(s)) and len(s.split()) <= 7 and not re.search(r"\breport\b", s, re.I)


def _place_line(s: str) -> bool:
    found = councils.find_councils(s)
    return any(a == 0 and b >= len(s.rstrip(" ,.")) for a, b, _ in found)


def _publisher(text: str, on) -> OrgRef | None:
    """The publishing council: a front-matter field naming it, a letterhead line, the council
    whose web or e-mail domain the report uses most, else the council named most in the opening."""
    hend = head_end(text)
    for f in front_matter(text, 0, hend, keys=("council",)):
        org = councils.resolve_council(f.value, on)
        if org is not None:
            return org
    for ln in list(_lines(text, 0, hend))[:20]:
        if len(ln.text) <= 80 and _could_be_council(ln.text):
            org = _is_council_line(ln.text, on)
            if org is not None:
                return org
    by_domain: Counter[str] = Counter()
    refs: dict[str, OrgRef] = {}
    for m in finditer_lines(_DOMAIN, text, _GOV_UK):
        org = council_from_domain(m["label"], on)
        if org is not None:
            by_domain[org.name] += 1
            refs[org.name] = org
    if by_domain:
        return refs[by_domain.most_common(1)[0][0]]
    return _most_named_council(text, hend, on)


def _title_council(title: str | None, on) -> OrgRef | None:
    """The council a web page's <title> names ("Minutes - Cabinet - Norfolk County Council"), when
    it names exactly one."""
    if not title:
        return None
    found = {org for _, _, org in councils.find_councils(title, on)}
    return found.pop() if len(found) == 1 else None


def _fallback_date(text: str) -> PartialDate | None:
    """The latest year among the full dates the text mentions: a stand-in for resolving councils."""
    dates = [dm.date for dm in find_dates(text) if dm.date.precision != "year"]
    return PartialDate(str(max(dates).year)) if dates else None


def _html_heading(doc) -> _Found | None:
    """A web page's title is its first level-1 heading: the lines above it are site navigation,
    sidebars and banners, not the report."""
    if doc.media_type != "text/html":
        return None
    for b in getattr(doc, "blocks", None) or ():
        if b.kind == "heading" and b.level == 1:
            a, e = b.start, b.end
            pm = _PAGE_PREFIX.match(doc.text, a, e)
            a = pm.end() if pm else a
            title = _clean_title(doc.text[a:e])
            if len(title) > 3 and title in doc.text[a:e]:
                a = doc.text.find(title, a, e)
                return _Found(_title_case(title), a, a + len(title))
    return None


@extractor(NAME, VERSION, provides=("report", "publisher", "report_date"))
def extract_report(ctx: Context):
    text = ctx.doc.text
    found = read_report(text)
    meta = ctx.doc.metadata or {}
    h1 = _html_heading(ctx.doc)
    if h1 is not None:
        found["title"] = h1
    spans = getattr(ctx.doc, "fields", {}) or {}
    if "title" not in found:
        for key in ("title", "subject"):
            value = meta.get(key)
            if value and key in spans:
                a, b = spans[key]
                if 0 <= a < b <= len(text):
                    found["title"] = _Found(_clean_title(text[a:b]), a, b)
                    break
    if "date" not in found and meta.get("date") and "date" in spans:
        a, b = spans["date"]
        d = parse_date(meta["date"])
        if d is not None and 0 <= a < b <= len(text):
            found["date"] = _Found(d, a, b)

    stated: PartialDate | None = found["date"].value if "date" in found else None  # type: ignore[assignment]
    on = stated or _fallback_date(text)
    publisher = _publisher(text, on) or _title_council(meta.get("html_title"), on)
    ctx.values["publisher"] = publisher
    ctx.values["report_date"] = on

    anchor = found.get("title") or found.get("date") or found.get("committee")
    if anchor is None:
        first = next(_lines(text, 0, len(text)), None)
        if first is None:
            return
        anchor = _Found(None, first.start, min(first.end, first.start + 200))
    ev = evidence(text, anchor.start, anchor.end, NAME, VERSION, 0.9 if "title" in found else 0.6)
    if ev.start >= ev.end:
        return
    yield ReportInfo(
        evidence=ev,
        title=found["title"].value if "title" in found else None,  # type: ignore[arg-type]
        date=stated,
        publisher=publisher,
        committee=found["committee"].value if "committee" in found else None,  # type: ignore[arg-type]
        portfolio=found["portfolio"].value if "portfolio" in found else None,  # type: ignore[arg-type]
    )
