"""Ofsted inspections and visits of the council, with their judgements.

A report mentions one inspection many times ("the November 2017 Ofsted inspection", "the
inspection report published on 29 January 2018", "This inspection found services were
'inadequate'"). Every sentence that names an inspection of the council, or grades one, is read
into a *mention*; mentions are then consolidated into one Inspection per real inspection:

- a mention with a fieldwork date joins an earlier one of a compatible type whose date agrees at
  the shared precision ("2015" ~ "2015-11"); the most precise dates are kept;
- a mention with only a publication date joins the inspection whose fieldwork ended up to six
  months before it;
- an undated mention ("the inspection", "a repeat inadequate judgement") adds its grades and
  counts to the most recent inspection before it (else the first after it).

Grades are read from prose ("judged 'inadequate'", "an overall 'Good' rating", "improved from
'inadequate' to 'adequate'" -> adequate), from an area followed by its grade ("Children who need
help and protection: inadequate", "the impact of leaders was judged outstanding") and from list
items and table rows after the inspection ("Overall effectiveness<TAB>Inadequate").

A visit the report says is still to come ("Ofsted will carry out its next monitoring visit in
January") is not a visit unless it is booked for given days. A judgement whose subject refers back
to another council named just before ("the Island's services", "that authority") is that council's,
when the wording cannot mean the publisher.

Inspections of something other than the council's children's services (a children's home, a
school, a nursery, school improvement services, a youth offending team) are not the council's
and are ignored, as are generic statements about frameworks and aspirations ("to be rated
'good' by 2018"). The type is the one stated, else inferred from the fieldwork date the way
Ofsted's frameworks succeeded each other (ILACS from January 2018, SIF from November 2013).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from loaders.extract import Context, extractor
from loaders.extract.common import (
    FOLD_UNSAFE,
    NUMBER_ALT,
    DateRange,
    Span,
    evidence,
    find_date_ranges,
    normalise_space,
    parse_number,
    sentences,
    sentences_holding_words,
    sentences_with,
)
from loaders.model import Evidence, Inspection, Judgement, OrgRef, PartialDate, PersonRef

NAME, VERSION = "inspections", "1.0"

VISIT_TYPES = frozenset({"monitoring-visit", "focused-visit"})

GRADE = r"outstanding|good|requir(?:es?|ing)\s+improvement(?:\s+to\s+be\s+good)?|RI|inadequate|adequate"
_Q = r"[\"'\u2018\u2019\u201c\u201d*_\s]*"  # quotes, bold markers, spaces around a grade
_GRADE_CAP = rf"{_Q}(?P<g>{GRADE}){_Q}"

# The grade patterns, most specific first. Each needs a verb or noun of judging next to the grade.
_GRADE_FROM_TO = re.compile(rf"\bfrom{_Q}(?:{GRADE}){_Q}to\b{_GRADE_CAP}", re.I)
_GRADE_VERB = re.compile(
    rf"\b(?:judged|rated|graded|deemed|assessed|found\s+to\s+be|declared)\s+(?:overall\s+)?(?:to\s+(?:be\s+|have\s+been\s+)?|as\s+(?:being\s+)?|being\s+)?"
    rf"(?:overall\s+)?{_GRADE_CAP}",
    re.I,
)
# "judged the council's services to be inadequate", "rated Havering 'good'", "found services inadequate"
_GRADE_VERB_OBJ = re.compile(
    rf"\b(?:judged|rated|graded|deemed|found)\s+(?:(?!(?:to\s+(?:be|have)|as|be|not|that)\b)[\w'\u2019-]+\s+){{1,8}}?(?:to\s+(?:be|have\s+been)\s+|as\s+(?:being\s+)?)?"
    rf"(?:overall\s+)?{_GRADE_CAP}",
    re.I,
)
_GRADE_COPULA = re.compile(rf"\b(?:was|were|is|are|remains?|remained)\s+{_Q}['\u2018\u201c\"*](?P<g>{GRADE})['\u2019\u201d\"*]", re.I)
_GRADE_NOUN = re.compile(
    rf"(?<![\w-]){_Q}(?P<g>{GRADE}){_Q}(?:overall\s+)?(?:judgement|judgment|rating|grade|outcome)\b(?!s)", re.I
)
_GRADE_OF = re.compile(rf"\b(?:judgement|judgment|rating|grade|outcome)\s+(?:of|as|was){_GRADE_CAP}", re.I)
_GRADE_PATTERNS = (_GRADE_FROM_TO, _GRADE_VERB, _GRADE_VERB_OBJ, _GRADE_NOUN, _GRADE_OF, _GRADE_COPULA)

# Judgement areas, as ILACS and SIF reports and council papers name them.
AREAS: list[tuple[str, re.Pattern[str]]] = [
    ("overall-effectiveness", re.compile(r"\boverall\s+(?:effectiveness|judgement|judgment|grade|rating)\b|\boverall\b", re.I)),
    ("impact-of-leaders", re.compile(
        r"\bimpact\s+of\s+(?:the\s+)?leaders\b(?:\s+on\s+social\s+work\s+practice(?:\s+with\s+children\s+(?:and|&)\s+families)?)?", re.I)),
    ("leadership-management-and-governance", re.compile(r"\bleadership,?\s+management\s+(?:and|&)\s+governance\b", re.I)),
    ("help-and-protection", re.compile(r"\b(?:need(?:ing)?\s+(?:of\s+)?|in\s+need\s+of\s+)help\s+(?:and|&)\s+protection\b", re.I)),
    ("children-in-care-and-care-leavers", re.compile(r"\bchildren\s+in\s+care\s+(?:and|&)\s+care\s+leavers\b", re.I)),
    ("children-in-care", re.compile(r"\bprogress\s+of\s+children\s+in\s+care\b(?!\s+(?:and|&)\s+care\s+leavers)", re.I)),
    ("looked-after-and-achieving-permanence", re.compile(r"\blooked[\s-]after\s+(?:and|&)\s+achieving\s+permanence\b", re.I)),
    ("adoption", re.compile(r"\badoption\s+performance\b", re.I)),
    ("care-leavers", re.compile(r"\bexperiences\s+and\s+progress\s+of\s+care\s+leavers\b", re.I)),
    ("lscb", re.compile(r"\bLSCB\b|\blocal\s+safeguarding\s+children\s+board\b", re.I)),
]

# What makes a sentence talk about an inspection (singular, not a framework or a process).
_INSPECTION_ANCHOR = re.compile(
    r"\binspectors\s+(?:were|was|visited|spent|arrived)\b|"
    r"(?<![-\w])(?:re-?)?inspect(?:ed|ion)\b(?!\s+(?:framework|regime|methodology|handbook|system|arrangements|process|"
    r"activity|readiness|preparation|criteria|team|outcomes))",
    re.I,
)
_FRAMEWORK_ACTION = re.compile(
    r"\b(?:undert(?:ook|aken)|carried\s+out|conducted|took\s+place|inspected|under\s+(?:the|their|its|a))\b", re.I
)
_VISIT = re.compile(r"\b(?P<kind>monitoring|focused)\s+visit\b(?!s)", re.I)
_NOT_OFSTED_VISIT = re.compile(r"\b(?:DfE|Department\s+for\s+Education|Government|SEND|peer|LGA)\s+(?:\w+\s+)?(?:monitoring|focused)\s+visit", re.I)
_TYPES: list[tuple[str, re.Pattern[str]]] = [
    ("joint-targeted-area-inspection", re.compile(r"\bjoint\s+targeted\s+area\s+inspection|\bJTAI\b", re.I)),
    ("ilacs-short", re.compile(r"\bshort\s+(?:ILACS\s+)?inspection\b", re.I)),
    ("ilacs-standard", re.compile(r"\bstandard\s+(?:ILACS\s+)?inspection\b", re.I)),
    ("ilacs", re.compile(r"\bILACS\b|\binspections?\s+of\s+local\s+authority\s+children['\u2019]?s\s+services\b", re.I)),
    ("sif", re.compile(r"\bSIF\b|\bsingle\s+inspection\s+framework\b", re.I)),
]

# a word each pattern of _TYPES needs (case-blind)
_TYPE_WORDS = {
    "joint-targeted-area-inspection": ("joint", "jtai"),
    "ilacs-short": ("short",),
    "ilacs-standard": ("standard",),
    "ilacs": ("ilacs", "authority"),
    "sif": ("sif", "single"),
}

# Inspections of other things than the council's children's services.
_OTHER_SUBJECT = re.compile(
    r"\b(?:children['\u2019]?s\s+homes?|residential\s+(?:children['\u2019]?s\s+)?(?:homes?|units?|care\s+homes?)|care\s+homes?|"
    r"schools?|academy|academies|nurser(?:y|ies)|pupil\s+referral|college|school\s+improvement|youth\s+offending|"
    r"youth\s+justice|YOT|SEND|local\s+area\s+inspection|fostering\s+(?:agency|service)|adoption\s+(?:agency|service)|"
    r"registration|audits?|HMIP|probation|CQC)\b",
    re.I,
)
# a word every match of _OTHER_SUBJECT holds (case-blind)
_OTHER_SUBJECT_WORDS = (
    "home", "residential", "school", "academ", "nurser", "pupil", "college", "youth", "yot", "send", "local",
    "fostering", "adoption", "registration", "audit", "hmip", "probation", "cqc",
)
_GENERIC = re.compile(r"\b(?:a|any|every|each)\s+local\s+authority\b|\blocal\s+authorities\b|\bcouncils\b", re.I)
_ASPIRATION = re.compile(
    r"\b(?:ensur\w*|aim\w*|aspir\w*|ambition\w*|target\w*|striv\w*|achiev\w*|becom\w*|want\w*|hop\w*|expect\w*|"
    r"will\s+be|would\s+be|should\s+be|to\s+be\s+(?:judged|rated)|by\s+the\s+end\s+of|on\s+track|move\s+to|moving\s+to|"
    r"maintain\w*|sustain\w*|standards?)\b",
    re.I,
)

# How a date relates to the inspection: by the nearest cue before it in the sentence.
_CUE = re.compile(
    r"(?P<pub>\bpublish\w*|\bpublication|\breport\b)|"
    r"(?P<skip>\b(?:since|by|until|till|before|no\s+later\s+than|meeting|met|appointed|appointment|direction|notice|"
    r"lifted|launched|established|approved|agreed|endorsed|decision|introduced|announced|due|commence\w*|expected|"
    r"scheduled|planned|anticipated|next|preparing|preparation)\b)|"
    r"(?P<field>\b(?:inspect\w*|re-inspect\w*|ofsted|ilacs|sif|visit\w*|judge?ments?|judged|rated|rating|fieldwork|"
    r"took\s+place|undert\w+|carried\s+out|conducted)\b)",
    re.I,
)
_ADJECTIVAL = re.compile(
    r"\s*(?:['\u2019]s\s+)?(?:full\s+|unannounced\s+|standard\s+|short\s+)?(?:Ofsted|ILACS|SIF|inspection|re-inspection|"
    r"monitoring\s+visit|focused\s+visit|JTAI)\b",
    re.I,
)
_YEAR_INSPECTION = re.compile(
    r"\b(?:the|their|its|our|Ofsted['\u2019]s)\s+(?P<y>(?:19|20)\d\d)(?=\s+(?:Ofsted\s+|SIF\s+|ILACS\s+|full\s+)?(?:inspection|re-inspection)\b)"
    r"|\b(?:inspected|inspection)(?:\s+by\s+Ofsted)?,?\s+in\s+(?P<y2>(?:19|20)\d\d)\b(?!\s*/)",
    re.I,
)

_COUNT = re.compile(
    rf"\b(?P<n>{NUMBER_ALT})\s+(?:(?:key|main|further|specific|Ofsted|separate|formal)\s+){{0,2}}"
    r"(?P<what>recommendations\b|areas?\s+(?:for|of|where|that|which|requiring|needing|identified)\b|priority\s+actions\b|"
    r"improvement\s+areas\b)",
    re.I,
)
_NOT_OFSTED_SOURCE = re.compile(r"\b(?:review|audit|peer|consultation|task\s+and\s+finish|committee|scrutiny|panel)\b", re.I)
_OFSTED_WORD = re.compile(r"\bOfsted\b|\binspect\w*|\bHMI\b", re.I)

_LEAD = re.compile(
    r"\blead\s+inspector\b(?:\s+(?:was|is|were))?[\s,:]+(?:HMI\s+|Her\s+Majesty['\u2019]s\s+Inspector\s+)?"
    r"(?P<name>(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?[A-Z][A-Za-z'\u2019-]+(?:\s+(?!HMI\b)[A-Z][A-Za-z'\u2019-]+){1,2})"
    r"|\bled\s+by\s+(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?(?P<name3>[A-Z][A-Za-z'\u2019-]+(?:\s+[A-Z][A-Za-z'\u2019-]+){1,2}),?\s+"
    r"(?:HMI|(?:His|Her)\s+Majesty['\u2019]s\s+Inspector)\b"
    r"|\bled\s+by\s+(?:HMI|(?:His|Her)\s+Majesty['\u2019]s\s+Inspector)\s+(?P<name2>[A-Z][A-Za-z'\u2019-]+(?:\s+(?!HMI\b)[A-Z][A-Za-z'\u2019-]+){1,2})"
)
_FOCUS = re.compile(
    r"\b(?:focus(?:ed|sed|ing|ses|es)?\s+on|focus\s+(?:of\s+the\s+visit\s+)?(?:was|is)|looked\s+at|considered)\s+(?P<f>[^.;:()]{3,120})",
    re.I,
)
_VISIT_HEADING = re.compile(r"^[ \t]*(?P<focus>[A-Z][^()\n\t]{2,80}?)\s*\((?P<dates>[^()\n]{6,60})\)[ \t]*$", re.M)


@dataclass
class Mention:
    pos: int
    ev: Evidence
    org: OrgRef
    type: str | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    published: PartialDate | None = None
    grades: dict[str, tuple[str, Evidence]] = field(default_factory=dict)
    count: int | None = None
    lead: PersonRef | None = None
    focus: str | None = None
    weak: bool = False  # only joins an inspection already found, never starts one
    backref: bool = False  # undated: joins the most recent one of its kind, whatever its type

    @property
    def is_visit(self) -> bool:
        return self.type in VISIT_TYPES

    @property
    def dated(self) -> bool:
        return self.start is not None or self.published is not None


@dataclass
class Found:
    """A consolidated inspection while it is being built."""

    m: Mention
    positions: list[int] = field(default_factory=list)
    start_ev: Evidence | None = None


# --------------------------------------------------------------------------------- helpers


def grade_slug(word: str) -> str:
    w = normalise_space(word).lower()
    if w == "ri" or w.startswith("requir"):
        return "requires-improvement"
    return w


def publisher(ctx: Context) -> OrgRef | None:
    pub = ctx.values.get("publisher")
    return pub if isinstance(pub, OrgRef) else None


def report_date(ctx: Context) -> PartialDate | None:
    d = ctx.values.get("report_date")
    return d if isinstance(d, PartialDate) else None


def councils_in(ctx: Context, start: int, end: int) -> list[OrgRef]:
    """Every council a stretch of text names, in order."""
    from loaders.reference.councils import find_councils

    # several steps ask about the same sentence: read it once per document and report date
    memo = ctx.memo.setdefault("councils_in", {})
    key = (start, end, report_date(ctx))
    if key not in memo:
        # "Doncaster's children's services": the register reads names, not possessives
        span = _POSSESSIVE_S.sub("  ", ctx.doc.text[start:end])
        try:
            memo[key] = tuple(org for _, _, org in find_councils(span, report_date(ctx)))
        except Exception:  # noqa: BLE001 - the register is optional for extraction; fall back to the publisher
            return []
    return list(memo[key])


_POSSESSIVE_S = re.compile(r"['\u2019]s\b")


def council_in(ctx: Context, start: int, end: int) -> OrgRef | None:
    """The council a stretch of text names (the first), else the report's own council."""
    found = councils_in(ctx, start, end)
    return found[0] if found else publisher(ctx)


def mask_long_quotes(s: str) -> str:
    """Blank out quoted titles of four words or more (framework names, speech), keeping offsets."""

    def blank(m: re.Match[str]) -> str:
        return " " * len(m.group(0)) if len(m.group(0).split()) >= 4 else m.group(0)

    return re.sub(r"(?<!\w)['\u2018\u201c\"][^\u2019\u201d\"\n]{3,300}?['\u2019\u201d\"](?!\w)", blank, s)


def best_grade(s: str) -> str | None:
    """The grade a sentence gives the inspection it is about: the end of "from X to Y" first, then a
    verb of judging ("judged 'Good'"), then a noun ("an inadequate judgement"), which more often
    recalls an earlier inspection ("an improvement from the 'inadequate' judgement in 2014")."""
    for rx in _GRADE_PATTERNS:
        for a, grade in _grades_in(s):
            m = rx.search(s, max(0, a - 120))
            while m is not None and m.start("g") < a:
                m = rx.search(s, m.start() + 1)
            if m is not None and m.start("g") == a:
                return grade
    return None


# Cheap tests run before the grade patterns, which are costly and find nothing in most sentences.
# find_grades ignores a lowercase "ri"; area_pairs takes any "ri" that ends a word.
_GRADE_WORD = re.compile(r"(?i:outstanding|good|requir|adequate)|RI")
_PAIR_GRADE_WORD = re.compile(r"outstanding|good|requir|adequate|ri(?![\w-])", re.I)


_GRADE_WORDS = ("outstanding", "good", "requir", "adequate")
_RI_END = re.compile(r"ri(?![\w-])")


def _folded(s: str) -> str | None:
    """s.casefold() when each character folds to one and case-blind matching agrees with it: a
    lower-case word is in it exactly where the same word, case-blind, matches s. Else None."""
    f = s.casefold()
    if len(f) != len(s) or any(c in s for c in FOLD_UNSAFE):
        return None
    return f


def _grade_word_in(s: str) -> bool:
    """_GRADE_WORD.search(s) is not None, mostly without the case-blind scan."""
    f = _folded(s)
    if f is None:
        return _GRADE_WORD.search(s) is not None
    return any(w in f for w in _GRADE_WORDS) or "RI" in s


def _pair_grade_word_in(s: str) -> bool:
    """_PAIR_GRADE_WORD.search(s) is not None, mostly without the case-blind scan."""
    f = _folded(s)
    if f is None:
        return _PAIR_GRADE_WORD.search(s) is not None
    return any(w in f for w in _GRADE_WORDS) or _RI_END.search(f) is not None


def find_grades(s: str) -> list[tuple[int, str]]:
    """(offset, grade slug) of every judging phrase in a sentence, leftmost first."""
    return list(_grades_in(s))


# a word every match of each grade pattern holds (case-blind), in the order of _GRADE_PATTERNS
_GRADE_PATTERN_WORDS = (
    ("from",),
    ("judged", "rated", "graded", "deemed", "assessed", "found", "declared"),
    ("judged", "rated", "graded", "deemed", "found"),
    ("judgement", "judgment", "rating", "grade", "outcome"),
    ("judgement", "judgment", "rating", "grade", "outcome"),
    ("was", "were", "is", "are", "remain"),
)


@lru_cache(maxsize=16)  # a sentence's grades are asked for several times (best_grade: once per pattern)
def _grades_in(s: str) -> tuple[tuple[int, str], ...]:
    out: list[tuple[int, str]] = []
    if not _grade_word_in(s):
        return ()
    taken: list[tuple[int, int]] = []
    f = _folded(s)  # a pattern none of whose words the sentence holds cannot match: its scan is spared
    for rx, words in zip(_GRADE_PATTERNS, _GRADE_PATTERN_WORDS, strict=True):
        if f is not None and not any(w in f for w in words):
            continue
        for m in rx.finditer(s):
            a, b = m.span("g")
            if any(not (b <= x or a >= y) for x, y in taken):
                continue
            g = m.group("g")
            if g.lower() == "ri" and g != "RI":
                continue
            quoted = s[a - 1 : a] in ("'", "\u2018", '"', "\u201c", "*") or g[0].isupper()
            if g.lower() == "good" and rx in (_GRADE_NOUN, _GRADE_OF) and not quoted:
                continue  # "a good outcome": not a grade unless quoted or capitalised
            taken.append((a, b))
            out.append((a, grade_slug(g)))
    out.sort()
    return tuple(out)


def _blank_areas(s: str) -> str:
    """The sentence with judgement-area names blanked ("achieving permanence" is no aspiration)."""
    for _, rx in AREAS[1:]:
        s = rx.sub(lambda m: " " * len(m.group(0)), s)
    return s


_AFTER_AREA = re.compile(
    rf"\s*(?:[-\u2013:]\s*|(?:(?:was|were|is|are|remains?)\s+)?(?:(?:judged|rated|graded|assessed|found)\s+)?(?:to\s+be\s+|as\s+)?)"
    rf"{_Q}(?P<g>{GRADE})(?![\w-])(?!\s+(?:practice|quality|progress|work|standards?|outcomes?|support)\b)",
    re.I,
)


def area_pairs(s: str) -> dict[str, str]:
    """Grades written straight after their area: "Children who need help and protection: inadequate",
    "the impact of leaders was judged outstanding", "care leavers - requires improvement"."""
    return dict(_area_pairs(s))


# a word every match of an AREAS pattern holds (case-blind): "board" for "local safeguarding
# children board", the last word of the others' longer names
_AREA_WORDS = ("overall", "impact", "leadership", "protection", "leavers", "progress", "permanence", "performance", "lscb", "board")


@lru_cache(maxsize=16)  # asked twice for a sentence with grades
def _area_pairs(s: str) -> dict[str, str]:  # callers copy it
    out: dict[str, str] = {}
    if not _pair_grade_word_in(s):
        return out
    f = _folded(s)
    if f is not None and not any(w in f for w in _AREA_WORDS):
        return out  # no area named: the area scans cannot match
    for area, rx in AREAS:
        for m in rx.finditer(s):
            if area == "overall-effectiveness" and not re.match(r"overall\s+effectiveness", m.group(0), re.I):
                continue
            g = _AFTER_AREA.match(s, m.end())
            if g:
                out.setdefault(area, grade_slug(g.group("g")))
    return out


def area_grades(s: str) -> dict[str, str]:
    """Grades by area in one sentence: a grade belongs to the area named just before it ("the
    overall judgement was 'Requires Improvement', with adoption performance judged good"), else to
    the only area the sentence names, else to overall effectiveness."""
    areas = sorted((m.start(), m.end(), area) for area, rx in AREAS for m in rx.finditer(s))
    single = {a for _, _, a in areas if a != "overall-effectiveness"}
    out: dict[str, str] = {}
    chosen = best_grade(s)
    for pos, grade in find_grades(s):
        before = [a for x, y, a in areas if y <= pos and pos - y <= 80 and not re.search(r"[;,]\s+(?:with|and|but|while)\b", s[y:pos])]
        if before:
            area = before[-1]
        elif len(single) == 1 and not re.search(r"\boverall\b", s, re.I):
            area = next(iter(single))
        else:
            area = "overall-effectiveness"
        if area not in out or grade == chosen:
            out[area] = grade
    out.update(area_pairs(s))
    return out


def infer_type(m: Mention) -> str:
    when = str(m.start or m.published or "")
    if not when:
        return "ilacs"
    if m.start is None:  # published only: reports come out some weeks after fieldwork
        return "ilacs" if when >= "2018-03" else "sif" if when >= "2014-01" else "pre-sif-inspection"
    return "ilacs" if when >= "2018-01" else "sif" if when >= "2013-11" else "pre-sif-inspection"


def _months(d: PartialDate) -> int:
    return d.year * 12 + (int(d.value[5:7]) if len(d.value) >= 7 else 6)


def _same_date(a: PartialDate, b: PartialDate) -> bool:
    return a.value.startswith(b.value) or b.value.startswith(a.value)


def _types_agree(a: str | None, b: str | None) -> bool:
    if a is None or b is None or a == b:
        return True
    return {a, b} <= {"ilacs", "ilacs-short", "ilacs-standard"}


def date_roles(text: str, s0: int, s1: int, ranges: list[DateRange]) -> list[tuple[DateRange, str]]:
    """Each date of the sentence text[s0:s1] with its role: 'field' (fieldwork), 'pub' or 'skip'."""
    out: list[tuple[DateRange, str]] = []
    prev = s0
    for i, r in enumerate(ranges):
        role = None
        if _ADJECTIVAL.match(text, r.b):
            role = "field"
        else:
            before = text[prev : r.a]
            cues = list(_CUE.finditer(before))
            if cues:
                last = cues[-1]
                role = last.lastgroup
                if role == "skip" and last.group(0).lower() in ("by",) and re.search(r"\bOfsted\s*$|inspect\w*\s+by\s*$", before[: last.end()], re.I):
                    role = "field"
            elif len(before.strip()) <= 12:
                nxt = ranges[i + 1].a if i + 1 < len(ranges) else s1
                after = _CUE.search(text[r.b : min(nxt, r.b + 80)])
                role = after.lastgroup if after else None
        out.append((r, role or "skip"))
        prev = r.b
    return out


def _inspection_ranges(text: str, s0: int, s1: int) -> list[DateRange]:
    ranges = find_date_ranges(text, s0, s1)
    for m in _YEAR_INSPECTION.finditer(text, s0, s1):
        y = m.group("y") or m.group("y2")
        a = m.start("y") if m.group("y") else m.start("y2")
        if all(a >= r.b or a + 4 <= r.a for r in ranges):
            ranges.append(DateRange(PartialDate(y), None, a, a + 4))
    ranges.sort(key=lambda r: r.a)
    return ranges


def _person(name: str) -> PersonRef | None:
    from loaders.extract.people import person_ref

    return person_ref(name, OrgRef("Ofsted", kind="regulator"))


# --------------------------------------------------------------------------------- mentions


# A word every mention needs one of: an inspection anchor, a visit, a grade, a count or a
# publication ("lead"/"led" for _LEAD, which is case-sensitive, are tested apart).
_MENTION_WORD = re.compile(
    r"inspect|visit|jtai|ilacs|sif|recommendations|area|priority|publish|outstanding|good|requir|adequate|ri(?![\w-])",
    re.I,
)


_JUDGED_NOUN = re.compile(r"\b(?:judge?ment|rating)\b(?!s)", re.I)
_REPORT_PUBLISHED = re.compile(
    r"\b(?:the|its|Ofsted['\u2019]s|inspection)\s+report\b[^.]{0,40}\bpublished\b|\bOfsted\s+published\s+(?:its|the)\s+(?:inspection\s+)?report\b",
    re.I,
)


# _MENTION_WORD for the folded text (common.sentences_holding): a sentence it finds nothing in
# has no match of _MENTION_WORD (no match holds white space, so none runs across sentences)
_MENTION_WORD_FOLDED = re.compile(
    r"inspect|visit|jtai|ilacs|sif|recommendations|area|priority|publish|outstanding|good|requir|adequate|ri(?![\w-])"
)
# the same alternation as words and one pattern (_RI_END), for common.sentences_holding_words,
# which finds each word with str.find: ~0.35 -> ~0.2 ms a report against the whole-text scan of
# _MENTION_WORD_FOLDED with common.sentences_holding (kept as the plain form the tests check against)
_MENTION_WORDS_FOLDED = ("inspect", "visit", "jtai", "ilacs", "sif", "recommendations", "area", "priority", "publish",
                         "outstanding", "good", "requir", "adequate")


def sentence_mentions(ctx: Context, s0: int, s1: int, cued: bool | None = None) -> list[Mention]:
    """The inspection and visit mentions of one sentence (at most one of each kind). `cued`, when
    known, says whether _MENTION_WORD matches in the sentence."""
    text = ctx.doc.text
    raw = text[s0:s1]
    if not ((cued if cued is not None else _MENTION_WORD.search(raw)) or "lead" in raw or "led" in raw):
        return []  # none of the cues below can match: most sentences of a report
    s = mask_long_quotes(raw)
    # words each pattern needs, tested first: a substring test costs far less than a regex scan
    # (casefold, as the case-blind patterns also match "ſ" for "s")
    folded = raw.casefold()
    has_inspect = "inspect" in folded
    anchors = [m.start() for m in _INSPECTION_ANCHOR.finditer(s)] if has_inspect else []
    if has_inspect or "jtai" in folded or "ilacs" in folded or "sif" in folded:
        raw_folded = _folded(raw)  # each type's pattern needs one of its words (s is raw with quotes blanked)
        typed = [
            (t, m.start()) for t, rx in _TYPES if raw_folded is None or any(w in raw_folded for w in _TYPE_WORDS[t]) for m in rx.finditer(s)
        ]
    else:
        typed = []
    if typed and _FRAMEWORK_ACTION.search(s):
        anchors += [p for _, p in typed]
    visits = [m for m in _VISIT.finditer(s)] if "visit" in folded and not _NOT_OFSTED_VISIT.search(s) else []
    pairs = area_pairs(s)
    grades = find_grades(s) or [(0, g) for g in pairs.values()]
    judged_nouns = [m.start() for m in _JUDGED_NOUN.finditer(s)] if grades else []
    count = _COUNT.search(s) if "recommendations" in folded or "area" in folded or "priority" in folded else None
    lead = _LEAD.search(raw) if "lead" in raw or "led" in raw else None
    report_published = _REPORT_PUBLISHED.search(s) if "publish" in folded else None
    if not (anchors or visits or grades or count or lead or report_published):
        return []
    raw_folded = _folded(raw)  # the words of the patterns below: a sentence with none of them cannot match
    if not typed and (raw_folded is None or any(w in raw_folded for w in _OTHER_SUBJECT_WORDS)) and _OTHER_SUBJECT.search(s):
        return []
    if _GENERIC.search(s) and not _council_named(ctx, s0, s1):
        return []
    org = council_in(ctx, s0, s1)
    if org is not None and org == publisher(ctx) and not _council_named(ctx, s0, s1):
        org = _referred_council(ctx, s0, s) or org
    if org is None:
        return []
    ev = evidence(text, s0, s1, NAME, VERSION)
    out: list[Mention] = []
    insp = Mention(pos=s0, ev=ev, org=org)
    visit = Mention(pos=s0, ev=ev, org=org)
    if visits:
        visit.type = f"{visits[0].group('kind').lower()}-visit"
        f = _FOCUS.search(raw)
        if f:
            visit.focus = normalise_space(f.group("f")).rstrip(" ,")
    if typed:
        insp.type = typed[0][0]
    visit_pos = [m.start() for m in visits]
    aspiration = _ASPIRATION.search(_blank_areas(s)) if grades else None  # only grades can be aspirations
    insp_pos = anchors + judged_nouns + ([p for p, _ in grades] if not aspiration else [])
    future = _FUTURE.search(s) if raw_folded is None or any(w in raw_folded for w in _FUTURE_WORDS) else None
    for r, role in date_roles(text, s0, s1, _inspection_ranges(text, s0, s1)):
        if role == "skip" or (future and _after_report(ctx, r.start) and len(r.start.value) < 10):
            # "Ofsted will carry out its next visit in January": not happened, maybe never; a visit
            # booked for given days ("will be undertaken on 3 and 4 July") is kept as fixed
            continue
        rel = r.a - s0
        near_visit = min((abs(rel - p) for p in visit_pos), default=None)
        near_insp = min((abs(rel - p) for p in insp_pos), default=None)
        target = visit if near_visit is not None and (near_insp is None or near_visit <= near_insp) else insp
        if target is insp and near_insp is None:
            continue
        if role == "pub":
            target.published = target.published or r.start
        elif role == "field" and target.start is None:
            target.start, target.end = r.start, r.end
    if grades and not aspiration:
        strong = any(rx.search(s) for rx in (_GRADE_FROM_TO, _GRADE_VERB, _GRADE_VERB_OBJ, _GRADE_NOUN))
        about_services = re.search(r"\b(?:services|overall|report|council|authority|social\s+care)\b", s, re.I)
        if anchors or judged_nouns or insp.type or pairs or re.search(r"\bOfsted\b", s, re.I) or (strong and about_services):
            insp.grades.update({area: (grade, ev) for area, grade in area_grades(s).items()})
    if count and _counted_for_ofsted(s, count):
        n = parse_number(count.group("n"))
        if n and 0 < n < 100:
            if visits or re.search(r"\bthe\s+(?:focused\s+|monitoring\s+)?visit\b", s[count.end() : count.end() + 40], re.I):
                visit.count = n  # "the 2 areas for improvement from the visit"
            else:
                insp.count = n
    if lead:
        who = _person(lead.group("name") or lead.group("name2") or lead.group("name3"))
        if visits or re.search(r"\bthe\s+visit\b", s, re.I):
            visit.lead = who  # "The visit was led by ..."
        else:
            insp.lead = who
    if visit.type and (visit.start or (visit.focus and not future)):
        out.append(visit)
    elif not visit.type and (visit.count or visit.lead):
        visit.type, visit.weak = "monitoring-visit", True  # a back-reference: joins the visit already found
        visit.backref = True
        out.append(visit)
    if insp.dated or insp.grades or insp.count or insp.lead:
        if anchors or insp.grades or insp.count or insp.lead or insp.type:
            out.append(insp)
    elif not anchors and report_published:
        # "The report was published on 6 March 2019.": the inspection's, when one was just done
        for r, role in date_roles(text, s0, s1, _inspection_ranges(text, s0, s1)):
            if role == "pub":
                insp.published, insp.weak = r.start, True
                out.append(insp)
                break
    return out


def _counted_for_ofsted(s: str, count: re.Match[str]) -> bool:
    """A stated number of recommendations is Ofsted's when what follows says so ("from the visit",
    "identified by Ofsted") or the sentence names Ofsted and no other source near the number."""
    after = s[count.end() : count.end() + 40]
    if re.match(r"\s*(?:\w+\s+){0,2}?(?:from|in|by|of)\s+(?:the\s+)?(?:Ofsted|inspection|inspectors|visit|focused|monitoring|report)", after, re.I):
        return True
    near = s[max(0, count.start() - 40) : count.end() + 40]
    if _OFSTED_WORD.search(s) and not _NOT_OFSTED_SOURCE.search(near):
        return True
    return "area" in count.group("what").lower() and not _NOT_OFSTED_SOURCE.search(s)


# A subject that refers back to a council named earlier and, by its wording, not to the publisher:
# "the Island's services" (a county writing about the Isle of Wight), "that authority", "the latter".
_BACKREF = re.compile(
    r"\b(?:[Tt]he\s+(?P<place>Island|Borough|City|County|District)\b(?!\s+(?:of|Council)\b)|"
    r"(?i:(?:that|the\s+latter|the\s+other)\s+(?:local\s+)?(?:council|authority)\b|the\s+latter\b))"
)
_PLACE_FITS = {
    "Island": lambda c: bool(re.search(r"\b(?:Isle|Island|Isles)\b", c.official_name)),
    "Borough": lambda c: "Borough" in c.official_name or c.la_type in ("LBO", "MD"),
    "City": lambda c: "City" in c.official_name or c.la_type == "CC",
    "County": lambda c: "County" in c.official_name or c.la_type == "CTY",
    "District": lambda c: "District" in c.official_name or c.la_type == "NMD",
}


_FUTURE = re.compile(
    r"\b(?:will|shall|is\s+(?:due|expected|planned|scheduled)|are\s+(?:due|expected|planned|scheduled)|"
    r"(?:is|are)\s+to\s+(?:take\s+place|be\s+carried\s+out)|due\s+to\s+take\s+place|expected|planned|scheduled|forthcoming|upcoming)\b",
    re.I,
)
# a word every match of _FUTURE holds (case-blind)
_FUTURE_WORDS = ("will", "shall", "due", "expected", "planned", "scheduled", "place", "carried", "forthcoming", "upcoming")


def _after_report(ctx: Context, d: PartialDate | None) -> bool:
    """A date later than the report's own, compared at the precision both share."""
    rd = report_date(ctx)
    if d is None or rd is None:
        return False
    n = min(len(d.value), len(rd.value))
    return d.value[:n] > rd.value[:n]


def _referred_council(ctx: Context, s0: int, s: str) -> OrgRef | None:
    """The council a back-referring subject means, when that is clearly not the publisher: the one
    named most recently in this paragraph or the one before it."""
    from loaders.reference.councils import council_by_gss

    m = _BACKREF.search(s)
    pub = publisher(ctx)
    if m is None or pub is None:
        return None
    text = ctx.doc.text
    start = max(0, s0 - 1000)
    breaks = [b.end() for b in re.finditer(r"\n[ \t]*\n", text[start:s0])]
    if len(breaks) >= 2:
        start += breaks[-2]
    named = [org for org in councils_in(ctx, start, s0) if org.is_council]
    if not named or named[-1] == pub:
        return None
    cand = named[-1]
    place = m.group("place")
    if place is None:
        return cand
    fits = _PLACE_FITS[place]
    c, p = council_by_gss(cand.gss or ""), council_by_gss(pub.gss or "")
    if c is None or p is None or not fits(c) or fits(p):
        return None
    return cand


def _council_named(ctx: Context, s0: int, s1: int) -> bool:
    return bool(councils_in(ctx, s0, s1))


def heading_visits(ctx: Context) -> list[Mention]:
    """Visits listed as headings under a section about visits: "Front Door (2-3 November 2016)"."""
    text = ctx.doc.text
    out: list[Mention] = []
    for m in _VISIT_HEADING.finditer(text):
        ranges = find_date_ranges(text, m.start("dates"), m.end("dates"))
        if len(ranges) != 1:
            continue
        back = text[max(0, m.start() - 3000) : m.start()]
        kinds = list(re.finditer(r"\b(monitoring|focused)\s+visits?\b", back, re.I))
        if not kinds or _NOT_OFSTED_VISIT.search(back[max(0, kinds[-1].start() - 40) : kinds[-1].end()]):
            continue
        org = publisher(ctx)
        if org is None:
            continue
        r = ranges[0]
        out.append(
            Mention(
                pos=m.start(),
                ev=evidence(text, m.start(), m.end(), NAME, VERSION),
                org=org,
                type=f"{kinds[-1].group(1).lower()}-visit",
                start=r.start,
                end=r.end,
                focus=normalise_space(m.group("focus")),
            )
        )
    return out


def list_judgements(ctx: Context) -> list[tuple[int, str, str, Evidence]]:
    """Judgements printed as list items or table rows: area phrase, then the grade at the end."""
    text = ctx.doc.text
    out = []
    pos = 0
    for line in text.split("\n"):
        a, b = pos, pos + len(line)
        pos = b + 1
        if len(line) > 250:
            continue
        clean = line.replace("*", " ")
        area = None
        for slug, rx in AREAS:
            m = rx.search(clean)
            if m and (slug != "overall-effectiveness" or re.search(r"overall\s+effectiveness", clean, re.I)):
                area = slug
                start_area, end_area = m.start(), m.end()
                break
        if area is None:
            continue
        g = re.search(rf"(?:[\s\-\u2013:|]|^)['\u2018\"]?(?P<g>{GRADE})['\u2019\"]?[\s.|]*$", clean[end_area:], re.I)
        if not g or _ASPIRATION.search(clean[:start_area] + " " + clean[end_area : end_area + g.start()]):
            continue
        if g.group("g").lower() == "good" and not (g.group("g")[0].isupper() or "\t" in line or "|" in line or re.search(r"[-:\u2013]", clean[end_area : end_area + g.start("g")])):
            continue
        out.append((a, area, grade_slug(g.group("g")), evidence(text, a, b, NAME, VERSION)))
    return out


# --------------------------------------------------------------------------------- consolidation


def consolidate(mentions: list[Mention]) -> list[Found]:
    found: list[Found] = []
    pending: list[Mention] = []

    def merge(f: Found, m: Mention) -> None:
        t = f.m
        t.type = t.type or m.type
        if m.start and (t.start is None or len(m.start.value) > len(t.start.value)):
            t.start, t.end = m.start, m.end or (t.end if t.end and t.end > m.start else None)
            f.start_ev = m.ev
        elif m.end and t.end is None and t.start and m.end > t.start:
            t.end = m.end
        t.published = t.published or m.published
        for area, g in m.grades.items():
            t.grades.setdefault(area, g)
        t.count = t.count or m.count
        t.lead = t.lead or m.lead
        t.focus = t.focus or m.focus
        f.positions.append(m.pos)

    for m in sorted(mentions, key=lambda x: x.pos):
        same = [
            f for f in found
            if f.m.org == m.org and f.m.is_visit == m.is_visit and (m.backref or _types_agree(f.m.type, m.type))
        ]
        target = None
        if m.start:
            target = next((f for f in reversed(same) if f.m.start and _same_date(f.m.start, m.start)), None)
            if target is None and not m.is_visit:
                target = next(
                    (f for f in reversed(same) if f.m.start is None and f.m.published and 0 <= _months(f.m.published) - _months(m.start) <= 6),
                    None,
                )
        elif m.published:
            target = next((f for f in reversed(same) if f.m.published == m.published), None) or next(
                (f for f in reversed(same) if f.m.start and f.m.published is None and 0 <= _months(m.published) - _months(f.m.start) <= 6),
                None,
            )
        else:
            if same:
                target = same[-1]
            else:
                pending.append(m)
                continue
        if target is None:
            if not m.weak:
                found.append(Found(m=m, positions=[m.pos], start_ev=m.ev if m.start else None))
        else:
            merge(target, m)
    for m in pending:
        same = [f for f in found if f.m.org == m.org and f.m.is_visit == m.is_visit and _types_agree(f.m.type, m.type)]
        if same:
            merge(same[0], m)
        elif m.grades and re.search(r"\bOfsted\b", m.ev.quote, re.I) and not m.is_visit:
            found.append(Found(m=m, positions=[m.pos]))
    return [f for f in found if f.m.dated or f.m.grades]


def _sentences_to_read(text: str, spans: list[Span], cued: set[int] | None) -> Iterable[int]:
    """The indices of the sentences sentence_mentions may find something in, in order: the cued
    ones and those holding "lead" or "led" (it turns the others away at once), found with
    str.find; calling it for every sentence cost ~0.1 ms a report."""
    if cued is None:
        return range(len(spans))
    return sorted(cued | sentences_with(text, spans, ("lead", "led")))


@extractor(NAME, VERSION, requires=("report",), provides=("inspections",))
def extract_inspections(ctx: Context):
    text = ctx.doc.text
    mentions: list[Mention] = []
    spans = sentences(text)
    cued = sentences_holding_words(text, spans, _MENTION_WORDS_FOLDED, _RI_END)
    for i in _sentences_to_read(text, spans, cued):
        span = spans[i]
        mentions.extend(sentence_mentions(ctx, span.start, span.end, None if cued is None else i in cued))
    mentions.extend(heading_visits(ctx))
    found = consolidate(mentions)
    for pos, area, grade, ev in list_judgements(ctx):
        before = [f for f in found if not f.m.is_visit and min(f.positions) < pos]
        if before:
            target = max(before, key=lambda f: max(p for p in f.positions if p < pos))
            target.m.grades.setdefault(area, (grade, ev))
    emitted: list[tuple[Inspection, list[int]]] = []
    for f in found:
        m = f.m
        insp = Inspection(
            evidence=f.start_ev or m.ev,
            org=m.org,
            type=m.type or infer_type(m),
            start=m.start,
            end=m.end,
            published=m.published,
            lead_inspector=m.lead,
            stated_recommendation_count=m.count,
            focus=m.focus,
        )
        yield insp
        emitted.append((insp, sorted(f.positions)))
        for area, (grade, ev) in m.grades.items():
            yield Judgement(evidence=ev, inspection=insp, area=area, grade=grade)
    ctx.values["inspections"] = emitted


def inspection_before(ctx: Context, pos: int, *, visits: bool = True) -> Inspection | None:
    """The inspection (or visit) most recently mentioned before `pos`, for steps that hang things off it."""
    best: tuple[int, Inspection] | None = None
    for insp, positions in ctx.values.get("inspections", []) or []:
        if not visits and insp.type in VISIT_TYPES:
            continue
        earlier = [p for p in positions if p < pos]
        if earlier and (best is None or max(earlier) > best[0]):
            best = (max(earlier), insp)
    return best[1] if best else None


__all__ = ["extract_inspections", "inspection_before", "council_in", "publisher"]
