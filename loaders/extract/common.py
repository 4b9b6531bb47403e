"""Shared helpers for extractors: sentences with offsets, dates as the text gives them, evidence.

All functions are pure and work on code-point offsets into the document's text rendition.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from loaders.model import Evidence, PartialDate

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
            ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
            ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_ORD = r"(?:st|nd|rd|th)?"
_SUP_ORD = r"(?:<sup>\s*(?:st|nd|rd|th)\s*</sup>|st|nd|rd|th)?"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
# The first character of every match of the patterns below, as a look-ahead in front of them: it
# changes no match (each alternative of what follows starts with one of these, and the patterns are
# case-blind alike), but a case-blind alternation is tried alternative by alternative at every word,
# and the look-ahead turns most words away at once: the scans take half the time.
_MONTH_FIRST = "(?=[" + "".join(sorted({m[0] for m in MONTHS})) + "])"
_DAY_FIRST = r"(?=[\dmtwfs])"  # a day, or the weekday before it

# "4 June 2019", "24th March 2015", "Monday 18 June 2018", "4<sup>th</sup> June 2019"
DAY_MONTH_YEAR = re.compile(
    rf"\b{_DAY_FIRST}{_WEEKDAY}(?P<d>[0-3]?\d){_SUP_ORD}\s+(?:of\s+)?(?P<m>{_MONTH_ALT})\.?,?\s+(?P<y>(?:19|20)\d\d)\b", re.I
)
# "June 4, 2019", "June 4th 2019"
MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH_FIRST}(?P<m>{_MONTH_ALT})\.?\s+(?P<d>[0-3]?\d){_ORD},?\s+(?P<y>(?:19|20)\d\d)\b", re.I)
# "November 2017", "Nov 2017"
MONTH_YEAR = re.compile(rf"\b{_MONTH_FIRST}(?P<m>{_MONTH_ALT})\.?,?\s+(?P<y>(?:19|20)\d\d)\b", re.I)
# "2019-06-04"
ISO_DATE = re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")
# "04/06/2019", "4.6.19"
NUMERIC_DATE = re.compile(r"\b(?P<d>[0-3]?\d)[/.](?P<m>[01]?\d)[/.](?P<y>(?:19|20)?\d\d)\b")
YEAR = re.compile(r"\b(?P<y>(?:19|20)\d\d)\b")
_DIGIT = re.compile(r"\d")
# what every date and range pattern but NUMERIC_DATE holds: a text without it has none of them
_YEAR_DIGITS = re.compile(r"(?:19|20)\d\d")


@dataclass(frozen=True)
class DateMatch:
    date: PartialDate
    start: int
    end: int


def _valid(y: int, m: int, d: int | None = None) -> bool:
    if not (1990 <= y <= 2100 and 1 <= m <= 12):
        return False
    if d is None:
        return True
    import calendar

    return 1 <= d <= calendar.monthrange(y, m)[1]


def find_dates(text: str, start: int = 0, end: int | None = None, *, years: bool = False) -> list[DateMatch]:
    """Every date in text[start:end], most precise reading first, non-overlapping, in order.
    Bare years are included only when `years` is true (they are too often not dates)."""
    end = len(text) if end is None else end
    segment = text[start:end]
    found: list[DateMatch] = []
    if not _DIGIT.search(segment):
        return found  # every date has digits; most sentences have none
    taken: list[tuple[int, int]] = []
    with_year = _YEAR_DIGITS.search(segment) is not None

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    def add(a: int, b: int, value: str) -> None:
        if free(a, b):
            taken.append((a, b))
            found.append(DateMatch(PartialDate(value), start + a, start + b))

    for rx in (DAY_MONTH_YEAR, MONTH_DAY_YEAR) if with_year else ():
        for m in rx.finditer(segment):
            y, mo, d = int(m["y"]), MONTHS[m["m"].lower()], int(m["d"])
            if _valid(y, mo, d):
                add(m.start(), m.end(), f"{y:04d}-{mo:02d}-{d:02d}")
    for m in ISO_DATE.finditer(segment) if with_year else ():
        y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
        if _valid(y, mo, d):
            add(m.start(), m.end(), f"{y:04d}-{mo:02d}-{d:02d}")
    for m in NUMERIC_DATE.finditer(segment):
        y = int(m["y"])
        y = y + 2000 if y < 100 else y
        mo, d = int(m["m"]), int(m["d"])
        if _valid(y, mo, d):  # UK order: day/month/year
            add(m.start(), m.end(), f"{y:04d}-{mo:02d}-{d:02d}")
    for m in MONTH_YEAR.finditer(segment) if with_year else ():
        y, mo = int(m["y"]), MONTHS[m["m"].lower()]
        if m["m"].lower() == "may" and segment[max(0, m.start() - 4) : m.start()].lower().strip() in ("it", "we", "this"):
            continue  # "it may 2019..." is rare but "May" the verb is not a month
        if _valid(y, mo):
            add(m.start(), m.end(), f"{y:04d}-{mo:02d}")
    if years and with_year:
        for m in YEAR.finditer(segment):
            add(m.start(), m.end(), m["y"])
    found.sort(key=lambda dm: dm.start)
    return found


def parse_date(text: str) -> PartialDate | None:
    """The first date in a short string ("Monday 18 June 2018" -> 2018-06-18), years included."""
    found = find_dates(text, years=True)
    return found[0].date if found else None


# --------------------------------------------------------------------------------- sentences

_ABBREV = re.compile(
    r"(?:\b(?:Cllr|Mr|Mrs|Ms|Dr|Prof|St|No|Nos|Para|para|e\.g|i\.e|etc|cf|vs|Co|Ltd|inc|approx|Jan|Feb|Mar|Apr|Jun|Jul|"
    r"Aug|Sep|Sept|Oct|Nov|Dec|Cllrs|Rt|Hon)|\b[A-Z])\.$"
)
_NUMBERING = re.compile(r"[\s\-•*\u2022]*(?:\d+(?:\.\d+)*|[a-z]|[ivx]+)\.")
_SENT_END = re.compile(r"[.!?](?:['\"\u2019\u201d)\]]*)(?=\s+|$)")


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def text(self, doc_text: str) -> str:
        return doc_text[self.start : self.end]


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def sentences(text: str) -> list[Span]:
    """Sentence spans over the whole text: split at blank lines and line breaks that end a
    block, then at sentence punctuation (not after common abbreviations or initials)."""
    return list(_sentences_cached(text))


@lru_cache(maxsize=8)
def _sentences_cached(text: str) -> tuple[Span, ...]:
    spans: list[Span] = []
    for para in re.finditer(r"[^\n]+(?:\n(?![ \t]*\n)(?![ \t]*(?:[-•*\u2022]|\d+(?:\.\d+)*[.)]?\s|\(?[a-z]\)|\(?[ivx]+\))\s)[^\n]+)*", text):
        a, b = para.start(), para.end()
        cursor = a
        for m in _SENT_END.finditer(text, a, b):
            head = text[cursor : m.start() + 1]
            if _ABBREV.search(head[-12:]) or _NUMBERING.fullmatch(head):
                continue
            s, e = _trim(text, cursor, m.end())
            if e > s:
                spans.append(Span(s, e))
            cursor = m.end()
        s, e = _trim(text, cursor, b)
        if e > s:
            spans.append(Span(s, e))
    return tuple(spans)


def sentence_at(text: str, pos: int) -> Span:
    """The sentence containing offset `pos` (or the nearest line when none does)."""
    for span in sentences(text):
        if span.start <= pos < span.end:
            return span
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    return Span(*_trim(text, line_start, len(text) if line_end < 0 else line_end))


def iter_sentences(text: str) -> Iterator[tuple[Span, str]]:
    for span in sentences(text):
        yield span, text[span.start : span.end]


def finditer_lines(rx: re.Pattern[str], text: str, needle: re.Pattern[str]) -> Iterator[re.Match[str]]:
    """rx.finditer(text), for a pattern whose every match lies within one line (it can look at
    the line break after it, not past it) and contains a match of `needle`: only the lines
    where needle (a cheap scan) matches are searched with rx (a costly one). Same matches, same
    order: no match crosses a line, so the lines are searched independently either way."""
    done = -1
    for n in needle.finditer(text):
        if n.start() <= done:
            continue  # a line already searched
        ls = text.rfind("\n", 0, n.start()) + 1
        le = text.find("\n", n.start())
        le = len(text) if le < 0 else le
        yield from rx.finditer(text, ls, min(le + 1, len(text)))
        done = le


# Characters whose case-blind matching casefold() does not mirror: U+0130 and U+0131 match "i"
# case-blind but casefold to something else; U+0345 is no word character but casefolds to one.
# (inspections._folded checks them too)
FOLD_UNSAFE = ("\u0130", "\u0131", "\u0345")


@lru_cache(maxsize=4)
def folded_text(text: str) -> str | None:
    """text.casefold() when it keeps every offset and mirrors case-blind matching: a lower-case
    pattern matches it where the same pattern, case-blind, matches the text. None otherwise."""
    folded = text.casefold()
    # three `in` tests rather than a scan for the character class: the same answer, but the scan
    # cost ~0.1 ms over a report (a substring test of one character is a fast memory search)
    if len(folded) != len(text) or any(c in text for c in FOLD_UNSAFE):
        return None  # a character folded to several, or one of the exceptions: callers check each sentence
    return folded


def sentences_holding(text: str, spans: Sequence[Span], folded_rx: re.Pattern[str]) -> set[int] | None:
    """The indices of the sentences (spans from sentences(text)) in which a match of folded_rx, a
    lower-case pattern, starts in the folded text; None when the text cannot be folded. For a
    pattern whose case-blind form needs such a match, the other sentences need not be searched."""
    folded = folded_text(text)
    if folded is None:
        return None
    starts = [sp.start for sp in spans]
    out: set[int] = set()
    for m in folded_rx.finditer(folded):
        i = bisect.bisect_right(starts, m.start()) - 1
        if i >= 0 and m.start() < spans[i].end:
            out.add(i)
    return out


def sentences_holding_words(
    text: str, spans: Sequence[Span], words: Sequence[str], also: re.Pattern[str] | None = None
) -> set[int] | None:
    """sentences_holding(text, spans, rx) for rx the alternation of `words` (lower-case, none
    empty or holding white space) and of `also` (a lower-case pattern none of whose matches holds
    white space), found with str.find: an alternation of words is a slow regex scan (~20 ns a
    character: its first letters are common ones), a find of one word a fast one.

    The same set: every character that is not white space lies in exactly one sentence (sentences
    are parted by white space only), so a match, holding none, lies in one. A sentence holding an
    occurrence of a word holds a match start of rx: the scan either starts a match there or
    passes over it inside an earlier match, which lies in the same sentence. So each word is
    looked for once per sentence that holds it, from the end of the sentence it was last found in."""
    folded = folded_text(text)
    if folded is None:
        return None
    starts = [sp.start for sp in spans]
    out: set[int] = set()
    find = folded.find
    for word in words:
        i = find(word)
        while i >= 0:
            k = bisect.bisect_right(starts, i) - 1
            if k < 0 or i >= spans[k].end:  # not in a sentence (not so for spans from sentences(text))
                i = find(word, i + 1)
                continue
            out.add(k)
            i = find(word, spans[k].end)
    if also is not None:
        for m in also.finditer(folded):
            k = bisect.bisect_right(starts, m.start()) - 1
            if k >= 0 and m.start() < spans[k].end:
                out.add(k)
    return out


def sentences_with(text: str, spans: Sequence[Span], words: Sequence[str]) -> set[int]:
    """{i for i, sp in enumerate(spans) if any(w in text[sp.start : sp.end] for w in words)}, for
    sorted spans that do not overlap and words that are not empty, found with str.find over the
    whole text: a loop over every sentence testing each word cost more than the few finds."""
    starts = [sp.start for sp in spans]
    out: set[int] = set()
    for word in words:
        i = text.find(word)
        while i >= 0:
            k = bisect.bisect_right(starts, i) - 1
            if k >= 0 and i + len(word) <= spans[k].end:
                out.add(k)
                i = text.find(word, spans[k].end)  # the sentence is taken: on to the next
            else:
                i = text.find(word, i + 1)
    return out


def sentences_holding_from(text: str, spans: Sequence[Span], folded_rx: re.Pattern[str], firsts: Sequence[str]) -> set[int] | None:
    """sentences_holding(text, spans, folded_rx) for a pattern each of whose matches starts with
    one of `firsts` (lower-case, none empty): the pattern is tried only where one of them is
    (found with str.find), not scanned over the whole text (~0.3 ms a report for the themes').

    The same set: the scan tries each position from the end of its last match and can match
    only where one of `firsts` starts, so trying those positions in order, skipping any before
    the last match's end, finds the scan's matches."""
    folded = folded_text(text)
    if folded is None:
        return None
    at: set[int] = set()
    for word in firsts:
        i = folded.find(word)
        while i >= 0:
            at.add(i)
            i = folded.find(word, i + 1)
    starts = [sp.start for sp in spans]
    out: set[int] = set()
    pos = 0
    for p in sorted(at):
        if p < pos:
            continue
        m = folded_rx.match(folded, p)
        if m is None:
            continue
        pos = m.end()  # never empty: it starts with a word
        k = bisect.bisect_right(starts, p) - 1
        if k >= 0 and p < spans[k].end:
            out.add(k)
    return out


# --------------------------------------------------------------------------------- evidence

MAX_QUOTE = 600


def evidence(text: str, start: int, end: int, name: str, version: str, confidence: float = 0.8) -> Evidence:
    """Evidence for text[start:end], trimmed of surrounding white space; a very long span is
    cut to MAX_QUOTE characters (still verbatim, still matching its offsets)."""
    start, end = _trim(text, start, end)
    if end - start > MAX_QUOTE:
        end = start + MAX_QUOTE
    return Evidence(quote=text[start:end], start=start, end=end, extractor=name, version=version, confidence=confidence)


def sentence_evidence(text: str, pos: int, name: str, version: str, confidence: float = 0.8) -> Evidence:
    span = sentence_at(text, pos)
    return evidence(text, span.start, span.end, name, version, confidence)


def normalise_space(s: str) -> str:
    return " ".join(s.split())


# --------------------------------------------------------------------------------- date ranges

_DAY = r"(?P<{n}>[0-3]?\d)" + _SUP_ORD
_MON = r"(?P<{n}>" + _MONTH_ALT + r")\.?"
_YR = r"(?P<{n}>(?:19|20)\d\d)"
_TO = r"\s*(?:-|\u2013|\u2014|to|and|until|till)\s*"
# "3 and 4 July 2018", "2-3 November 2016", "28 February - 1 March 2017", "25 February 2019 to 8 March 2019",
# "November/December 2015", "between 25 February and 8 March 2019"
_RANGES = [
    re.compile(rf"\b{_DAY.format(n='d1')}{_TO}{_DAY.format(n='d2')}\s+{_MON.format(n='m2')},?\s+{_YR.format(n='y2')}\b", re.I),
    re.compile(
        rf"\b{_DAY.format(n='d1')}\s+{_MON.format(n='m1')}(?:,?\s+{_YR.format(n='y1')})?{_TO}"
        rf"{_DAY.format(n='d2')}\s+{_MON.format(n='m2')},?\s+{_YR.format(n='y2')}\b",
        re.I,
    ),
    re.compile(rf"\b{_MONTH_FIRST}{_MON.format(n='m1')}(?:\s+{_YR.format(n='y1')})?\s*(?:/|-|\u2013|to|and)\s*{_MON.format(n='m2')},?\s+{_YR.format(n='y2')}\b", re.I),
]


@dataclass(frozen=True)
class DateRange:
    start: PartialDate
    end: PartialDate | None
    a: int
    b: int


def find_date_ranges(text: str, start: int = 0, end: int | None = None) -> list[DateRange]:
    """Every date range in text[start:end] ("3 and 4 July 2018" -> 2018-07-03..2018-07-04), and every
    single date (as a range with no end) that is not part of one, in order."""
    end = len(text) if end is None else end
    segment = text[start:end]
    out: list[DateRange] = []
    if not _DIGIT.search(segment):
        return out

    def free(a: int, b: int) -> bool:
        return all(b <= r.a - start or a >= r.b - start for r in out)

    for rx in _RANGES if _YEAR_DIGITS.search(segment) else ():
        for m in rx.finditer(segment):
            if not free(m.start(), m.end()):
                continue
            g = m.groupdict()
            y2 = int(g["y2"])
            m2 = MONTHS[g["m2"].lower()]
            m1 = MONTHS[g["m1"].lower()] if g.get("m1") else m2
            y1 = int(g["y1"]) if g.get("y1") else (y2 - 1 if m1 > m2 else y2)
            if "d1" in g and g["d1"] is not None:
                d1, d2 = int(g["d1"]), int(g["d2"])
                if not (_valid(y1, m1, d1) and _valid(y2, m2, d2)):
                    continue
                s, e = f"{y1:04d}-{m1:02d}-{d1:02d}", f"{y2:04d}-{m2:02d}-{d2:02d}"
            else:
                if not (_valid(y1, m1) and _valid(y2, m2)):
                    continue
                s, e = f"{y1:04d}-{m1:02d}", f"{y2:04d}-{m2:02d}"
            if e < s:
                continue
            out.append(DateRange(PartialDate(s), PartialDate(e) if e != s else None, start + m.start(), start + m.end()))
    for dm in find_dates(text, start, end):
        if free(dm.start - start, dm.end - start):
            out.append(DateRange(dm.date, None, dm.start, dm.end))
    out.sort(key=lambda r: r.a)
    return out


# --------------------------------------------------------------------------------- numbers

NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen twenty".split()
    )
}
NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50})
NUMBER_ALT = r"\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))


def parse_number(word: str) -> int | None:
    """'12' -> 12, 'ten' -> 10, 'Twelve' -> 12; anything else None."""
    w = word.strip().lower()
    if w.isdigit():
        return int(w)
    return NUMBER_WORDS.get(w)
