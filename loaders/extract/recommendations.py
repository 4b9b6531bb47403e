"""Ofsted's recommendations and areas for improvement, as the ordered list that follows an
introduction such as "The inspection identified the following areas for improvement:",
"Ofsted recommended that the local authority:" or a "Recommendations" heading inside a section
about an inspection.

The list belongs to Ofsted when its introduction names Ofsted, an inspection or a visit, or when
an inspection or visit was mentioned shortly before it and the introduction does not name some
other source (a review, an audit, a committee). The report's own recommendations to its
committee ("Cabinet is recommended to approve ...") are the committee's business, not Ofsted's,
and are skipped. Each item becomes a Recommendation with its printed position, linked to the
inspection most recently mentioned before the list. A list ends at a numbered line whose number
goes back ("5. Finance" after item 6) or at a short Title-Case heading after items that are sentences.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice

from loaders.extract import Context, extractor
from loaders.extract.common import evidence, normalise_space
from loaders.extract.inspections import inspection_before
from loaders.model import Recommendation

NAME, VERSION = "recommendations", "1.0"

_INTRO = re.compile(
    r"(?P<afi>areas?\s+(?:identified\s+)?(?:for|of)\s+(?:further\s+)?(?:improvement|development)|areas?\s+(?:where|in\s+which)\b[^:]{0,80}\bimprove|"
    r"what\s+needs\s+to\s+improve|improvement\s+areas)"
    r"|(?P<pa>priority\s+actions?)"
    r"|(?P<rec>recommend\w*)",
    re.I,
)
_OFSTED = re.compile(r"\bOfsted\b|\binspect\w*|\binspectors?\b|\bvisits?\b|\bHMI\b", re.I)
_OTHER_SOURCE = re.compile(
    r"\b(?:review|audit\w*|peer|consultation|Consultation\s+Institute|task\s+and\s+finish|committee|scrutiny|panel|"
    r"officers?|report\s+recommends|we\s+recommend)\b",
    re.I,
)
_DECISION = re.compile(
    r"^(?:that\s+)?(?:the\s+)?(?:cabinet|council|committee|members?|board|panel|executive)\b|^(?:to\s+)?(?:note|approve|agree|"
    r"endorse|delegate|consider|resolve|authorise)\b",
    re.I,
)
_ITEM = re.compile(r"^[ \t]*(?:[-\u2022*\u25aa\u25cf\u2013>\u27a2\uf0b7]|\(?\d{1,2}[.)]|\(?[a-z][.)]|\(?[ivx]{1,4}[.)])[ \t]+(?P<body>\S.*)$")
_HEADING = re.compile(r"^[ \t#*]*(?:\d+(?:\.\d+)*\.?\s+)?(?:recommendations|areas\s+for\s+(?:further\s+)?improvement|what\s+needs\s+to\s+improve)[ \t*:]*$", re.I)
_NEAR = 4000  # how far back an inspection mention still frames a list


def _lines(text: str, start: int) -> Iterator[tuple[int, int]]:
    pos = start
    while pos < len(text):
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl
        yield pos, end
        pos = end + 1


def list_items(text: str, start: int) -> list[tuple[int, int, str]]:
    """The list items from `start` on: (start, end, text), continuation lines joined."""
    items: list[list] = []
    blank = 0
    style = None
    number: int | None = None
    for a, b in islice(_lines(text, start), 400):
        line = text[a:b]
        if not line.strip():
            blank += 1
            if blank > 2 and items:
                break
            continue
        m = _ITEM.match(line)
        if m and items and _marker(line) != style:
            break  # "2. Finance" after a bulleted list is the next section, not an item
        if m and items and (_goes_back(number, _number(line)) or (_is_heading(m.group("body")) and not all(
            _is_heading(text[ia:ib]) for ia, ib in items
        ))):
            break  # "5. Finance" after item 6, or "Other Inspections" after sentences: the report's next section
        if m:
            style = style or _marker(line)
            number = _number(line)
            items.append([a + m.start("body"), b])
        elif items and blank == 0 and not line.strip().endswith(":") and (line[:1].isspace() or line.strip()[:1].islower()):
            items[-1][1] = b  # a wrapped line of the same item
        elif items:
            break
        elif len(line.strip()) > 0:
            break
        blank = 0
    return [(a, b, normalise_space(text[a:b])) for a, b in items]


_SMALL_WORDS = {"and", "of", "the", "for", "to", "in", "on", "a", "an", "with", "&"}


def _number(line: str) -> int | None:
    m = re.match(r"\s*\(?(\d{1,2})[.)]", line)
    return int(m.group(1)) if m else None


def _goes_back(previous: int | None, current: int | None) -> bool:
    """A numbered list only counts up; a number at or below the last one starts another list."""
    return previous is not None and current is not None and current <= previous


def _is_heading(body: str) -> bool:
    """A short Title-Case line with no full stop ("Other Inspections", "Financial Implications")."""
    words = body.strip().rstrip(":").split()
    if not words or len(words) > 6 or body.rstrip().endswith((".", ";", ",")):
        return False
    return all(w[:1].isupper() or w.lower() in _SMALL_WORDS or not w[:1].isalpha() for w in words)


def _marker(line: str) -> str:
    head = line.strip()[:6]
    if re.match(r"\(?\d", head):
        return "number"
    if re.match(r"\(?[ivx]{1,4}[.)]", head):
        return "roman"
    if re.match(r"\(?[a-z][.)]", head):
        return "letter"
    return "bullet"


def _type(m: re.Match[str]) -> str:
    if m.group("afi"):
        return "area-for-improvement"
    if m.group("pa"):
        return "priority-action"
    return "recommendation"


@extractor(NAME, VERSION, requires=("inspections",), provides=("recommendations",))
def extract_recommendations(ctx: Context):
    text = ctx.doc.text
    seen: set[int] = set()
    for a, b in _lines(text, 0):
        line = text[a:b].strip()
        if not line:
            continue
        heading = bool(_HEADING.match(text[a:b]))
        if not heading and (not line.endswith((":", ":-", ";")) or _ITEM.match(text[a:b])):
            continue
        intro = _INTRO.search(line)
        if not intro:
            continue
        inspection = inspection_before(ctx, a + 1)
        near = inspection is not None and _recent_mention(ctx, a) is not None
        if _OFSTED.search(line):
            framed = True
        else:
            framed = near and not _OTHER_SOURCE.search(line)
        if not framed or (heading and not near):
            continue
        items = list_items(text, b + 1)
        if not items or any(_DECISION.match(t) for _, _, t in items[:2]):
            continue
        for pos, (ia, ib, item) in enumerate(items, start=1):
            if ia in seen:
                continue
            seen.add(ia)
            yield Recommendation(
                evidence=evidence(text, ia, ib, NAME, VERSION),
                text=item,
                position=pos,
                inspection=inspection,
                raised_by=None if inspection else _ofsted(),
                type=_type(intro),
            )


def _recent_mention(ctx: Context, pos: int):
    for insp, positions in ctx.values.get("inspections", []) or []:
        if any(0 <= pos - p <= _NEAR for p in positions):
            return insp
    return None


def _ofsted():
    from loaders.model import OrgRef

    return OrgRef("Ofsted", kind="regulator")
