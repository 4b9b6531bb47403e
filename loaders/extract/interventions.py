"""Government intervention in the council's children's services: improvement notices and
statutory directions (and revised directions), with their dates and issuer; a children's trust
or other body taking the services over, as an organisation change: "transfer to X Trust on 1
October 2014", "transfer ... to a new company, X", "establish a children's trust, X, to deliver ...",
"X, which has delivered children's social care on behalf of the Council since ..." (dated by the
day the change happens, not by the direction requiring it; options and proposals are not changes).

A date belongs to the intervention when the nearest cue before it in the sentence is the
intervention itself ("a Statutory Direction ..., dated 4 June 2019") or a verb of issuing; a
cue of ending ("lifted", "removed", "revoked") makes it the end date. Mentions of the same kind
for the same council merge into one intervention per report unless their start dates differ.
Hypothetical and generic mentions ("a direction may be issued", "councils subject to
intervention") are not interventions.

A second step links commissioner appointments, found by the people step, to the statutory
direction they serve: it re-emits those memberships with `generated_by` set (the graph merges
them on the same IRI).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from loaders.extract import Context, extractor
from loaders.extract.common import (
    DateRange,
    Span,
    evidence,
    find_date_ranges,
    normalise_space,
    sentences,
    sentences_holding_words,
    sentences_with,
)
from loaders.extract.inspections import council_in, publisher
from loaders.model import Evidence, Intervention, Membership, OrganisationChange, OrgRef, PartialDate

NAME, VERSION = "interventions", "1.0"
LINK_NAME = "link-commissioners"

DFE = OrgRef("Department for Education", kind="government")

_KIND = re.compile(
    r"(?P<notice>\bimprovement\s+notices?\b)"
    r"|(?P<direction>\bstatutory\s+directions?\b|\brevised\s+directions?\b"
    r"|\bdirections?\b(?!\s+of\s+travel)(?=[^.]{0,60}?\b(?:issued|dated|section\s+497A|(?:from|by)\s+the\s+(?:DfE|Department|Secretary|Minister))\b)"
    r"|(?<=\bSecretary\sof\sState\s)(?:issued\s+)?(?:a\s+)?directions?\b)",
    re.I,
)
# "the Minister revoked the Direction": capitalised, the formal instrument (case matters here)
_CAP_DIRECTION = re.compile(r"\b(?:the|a|this|its|revised|new)\s+Directions?\b(?!\s+of\s+[Tt]ravel)")
_REVISED = re.compile(r"\b(?:revised|new|further|updated|amended|second)\s+(?:statutory\s+)?direction\b|\bdirection\s+(?:was|has\s+been)\s+(?:revised|updated|amended)\b", re.I)
_HYPOTHETICAL = re.compile(r"\b(?:may|might|could|would|can)\s+(?:be\s+)?(?:issue|issued|face|lead|result)\b|\bif\s+(?:the\s+)?(?:council|authority)\b|\bavoid\w*\b|\brisk\s+of\b", re.I)
_GENERIC = re.compile(r"\b(?:local\s+authorities|councils)\b|\b(?:a|any)\s+(?:local\s+authority|council)\b", re.I)
_ISSUER = re.compile(r"\b(?:DfE|Department\s+for\s+Education|Secretary\s+of\s+State|Minister|Government|Ministerial)\b", re.I)
_END_CUE = re.compile(r"\b(?:lift(?:ed|ing|s)?|remov(?:ed|al|ing)|revok\w*|revocation|rescind\w*|withdr[ae]wn?|withdrawal|end(?:ed|s)?|ceased?|discharged|came\s+off|exit(?:ed)?)\b", re.I)
_START_CUE = re.compile(
    r"\b(?:issu\w+|dated|served|imposed|placed|received|made|signed|given|put\s+in\s+place|from|since)\b", re.I
)
_OTHER_EVENT = re.compile(r"\b(?:inspect\w*|judge?ment|visit\w*|meeting|published|publication|report)\b", re.I)

_TRUST = r"(?P<trust>(?:[A-Z][\w'\u2019&-]*\s+){1,6}(?:Trust|Company|Partnership|Ltd|Limited))"
_TAKEOVER = re.compile(
    rf"\b(?:the\s+)?{_TRUST}\s+(?:took\s+over|assumed|took\s+on|has\s+taken\s+over|was\s+(?:established|set\s+up|created|launched)\s+to\s+(?:run|deliver|manage))"
    r"(?P<rest>[^.]{0,200})",
)
_TRUST_RE = re.compile(_TRUST)
_TRUST_ENDINGS = ("Trust", "Company", "Partnership", "Ltd", "Limited")
# \b[Tt]he..., the boundary tested after the "T": the scan skips to each "T" and "t"
_BACK_TAKEOVER = re.compile(r"[Tt](?<=\b[Tt])he\s+Trust\s+(?:took\s+over|assumed|took\s+on|has\s+taken\s+over)\b")
_TRANSFER = re.compile(rf"\b(?:transferred|moved)\s+(?:in)?to\s+(?:the\s+)?{_TRUST}", re.I)


# A body's name as written: capitalised words, with the small words names use inside them
# ("Together for Children Sunderland", "Achieving for Children", "Birmingham Children's Trust").
_BODY = r"(?P<body>[A-Z][\w'\u2019&-]*(?:\s+(?:(?:for|of|and|&|in|the)\s+)?[A-Z][\w'\u2019&-]*){0,7})"
_NEW_BODY = (
    r"(?:a|an)\s+(?:new\s+|voluntary\s+|independent\s+|not-for-profit\s+|wholly[- ]owned\s+|arm['\u2019]?s[- ]length\s+)*"
    r"(?:children['\u2019]?s\s+)?(?:services\s+)?(?:trust|company|organisation|body|mutual)(?:,\s*|\s+(?:called|named|known\s+as)\s+)"
)
_DELIVERY = [
    # "transfer children's social care to a new company, Together for Children Sunderland";
    # "functions to transfer to Doncaster Children's Services Trust on 1 October 2014"
    re.compile(
        rf"\b(?:transfer(?:red|ring|s)?|mov(?:e|ed|ing)|pass(?:ed|ing)?)\b(?:\s+(?!to\b)[\w'\u2019-]+){{0,6}}?\s+(?:in)?to\s+"
        rf"(?:(?P<new>{_NEW_BODY})|the\s+)?{_BODY}"
    ),
    # "establish a voluntary children's trust, Birmingham Children's Trust, to deliver children's social care"
    re.compile(rf"\b(?:establish\w*|set(?:ting)?\s+up|creat(?:e|ed|ing)|form(?:ed|ing)?)\s+{_NEW_BODY}(?:the\s+)?{_BODY}"),
    # "Sandwell Children's Trust, which has delivered children's social care on behalf of the Council"
    re.compile(
        rf"{_BODY},?\s+(?:which|that)\s+(?:has\s+|have\s+|had\s+)?(?:delivered|run|provided|managed|operated)\s+"
        r"[^.;]{0,60}?\bon\s+behalf\s+of\b"
    ),
]
# Words each _DELIVERY pattern (case-sensitive) cannot match without: most sentences have none,
# and a substring test costs far less than a scan
_DELIVERY_NEEDS = [
    ("transfer", "mov", "pass"),
    ("trust", "company", "organisation", "body", "mutual"),
    ("behalf",),
]
_DELIVERY_WORDS = tuple(w for needs in _DELIVERY_NEEDS for w in needs)
_ORG_NAME = re.compile(r"\b(?:Trust|Company|Ltd|Limited|Partnership|CIC|LLP|Mutual|Children['\u2019]?s?)$|\bChildren\b")
_MAYBE = re.compile(r"\b(?:may|might|could|would|options?|consider\w*|whether|if|explor\w+|feasibility)\b", re.I)
_WHEN = re.compile(r"\b(?:on|from|since|with\s+effect\s+from)\s+$", re.I)


@dataclass
class _Mention:
    pos: int
    ev: Evidence
    org: OrgRef
    type: str
    start: PartialDate | None
    end: PartialDate | None
    issuer: OrgRef | None
    revised: bool


def _ranges(text: str, s0: int, s1: int) -> list[DateRange]:
    """The sentence's dates, with bare years where a preposition makes them dates ("in 2013")."""
    ranges = find_date_ranges(text, s0, s1)
    for m in re.finditer(r"\b(?:in|from|since|during)\s+(?P<y>(?:19|20)\d\d)\b(?![/\-\u2013]\d)", text[s0:s1]):
        a, b = s0 + m.start("y"), s0 + m.end("y")
        if all(b <= r.a or a >= r.b for r in ranges):
            ranges.append(DateRange(PartialDate(m.group("y")), None, a, b))
    return sorted(ranges, key=lambda r: r.a)


def _dates(text: str, s0: int, s1: int, kind_pos: int) -> tuple[PartialDate | None, PartialDate | None]:
    """Start and end of the intervention from the dates of the sentence: a date is the end when a
    verb of ending stands between the intervention (or just before it) and the date, the start
    when the intervention or a verb of issuing is the nearest cue before it."""
    start = end = None
    prev = s0
    for r in _ranges(text, s0, s1):
        window = text[max(prev, min(kind_pos, r.a) - 40) : r.a]
        before = text[prev : r.a]
        prev = r.b
        if abs(kind_pos - r.a) > 160:
            continue
        if _END_CUE.search(window):
            end = end or r.start
            continue
        offset = r.a - len(before)
        cues = [(m.end(), "start") for m in _START_CUE.finditer(before)]
        cues += [(m.end(), "other") for m in _OTHER_EVENT.finditer(before)]
        if offset <= kind_pos < r.a:
            cues.append((kind_pos - offset + 1, "start"))
        if not cues:
            # "In June 2019 the DfE issued a direction": the date leads, nothing else happens between
            between = text[r.b : kind_pos] if kind_pos > r.b else "x" * 99
            if r.a - s0 <= 12 and len(between) < 80 and not (_OTHER_EVENT.search(between) or _END_CUE.search(between) or re.search(r"visit|officials", between, re.I)):
                start = start or r.start
        elif max(cues)[1] == "start" and r.a > kind_pos:
            # a date before the intervention is named belongs to something else ("since 1 April 2018
            # under the direction issued on 12 October 2016")
            start = start or r.start
    return start, end


_KIND_WORDS_FOLDED = ("notice", "direction")


def _mentions(ctx: Context) -> list[_Mention]:
    text = ctx.doc.text
    out: list[_Mention] = []
    spans = sentences(text)
    # the sentences whose casefolded text holds "notice" or "direction" (neither pattern can match
    # in the others: most sentences), found in the folded text at once when it can be folded
    held = sentences_holding_words(text, spans, _KIND_WORDS_FOLDED)
    for i in range(len(spans)) if held is None else sorted(held):
        span = spans[i]
        s = text[span.start : span.end]
        folded = s.casefold()  # casefold, as the case-blind _KIND also matches "ſ" for "s"
        if "notice" not in folded and "direction" not in folded:
            continue  # neither pattern can match: most sentences
        k = _KIND.search(s) or _CAP_DIRECTION.search(s)
        if not k or _HYPOTHETICAL.search(s):
            continue
        org = council_in(ctx, span.start, span.end)
        if org is None:
            continue
        if _GENERIC.search(s) and org == publisher(ctx) and not re.search(r"\b(?:the|our|this)\s+(?:county\s+|borough\s+|city\s+)?(?:council|authority)\b|\bwe\b", s, re.I):
            continue
        kind = "improvement-notice" if k.re is _KIND and k.group("notice") else "statutory-direction"
        start, end = _dates(text, span.start, span.end, span.start + k.start())
        issuer = DFE if _ISSUER.search(s) else None
        out.append(
            _Mention(span.start, evidence(text, span.start, span.end, NAME, VERSION), org, kind, start, end, issuer, bool(_REVISED.search(s)))
        )
    return out


def _same_date(a: PartialDate, b: PartialDate) -> bool:
    return a.value.startswith(b.value) or b.value.startswith(a.value)


def consolidate(mentions: list[_Mention]) -> list[_Mention]:
    merged: list[_Mention] = []
    for m in mentions:
        same = [x for x in merged if x.org == m.org and x.type == m.type and x.revised == m.revised]
        target = next((x for x in same if m.start is None or x.start is None or _same_date(x.start, m.start)), None)
        if target is None:
            merged.append(m)
            continue
        if m.start and (target.start is None or len(m.start.value) > len(target.start.value)):
            target.start, target.ev = m.start, m.ev
        target.end = target.end or m.end
        target.issuer = target.issuer or m.issuer
    # an undated, endless mention adds nothing but a bare node; keep it only when it is all there is
    return [m for m in merged if m.start or m.end or not any(x.org == m.org and x.type == m.type and x is not m for x in merged)]


@extractor(NAME, VERSION, requires=("report",), provides=("interventions",))
def extract_interventions(ctx: Context):
    found: list[Intervention] = []
    for m in consolidate(_mentions(ctx)):
        iv = Intervention(evidence=m.ev, org=m.org, type=m.type, start=m.start, end=m.end, issuer=m.issuer, revised=m.revised)
        found.append(iv)
        yield iv
    ctx.values["interventions"] = found
    yield from _organisation_changes(ctx)


def _organisation_changes(ctx: Context):
    """Each body that took over (or is to take over) the council's services, once per report: the
    mention that dates the change wins."""
    chosen: dict[str, OrganisationChange] = {}
    for ch in [*_takeovers(ctx), *_deliveries(ctx)]:
        old = chosen.get(ch.new_org.name)
        if old is None or (old.date is None and ch.date is not None):
            chosen[ch.new_org.name] = ch
    yield from chosen.values()


def _deliveries(ctx: Context):
    """Alternative delivery written as a transfer, an establishment or delivery on the council's
    behalf; the date is the one the change is said to happen on ("on", "from", "since"), not that of
    the direction requiring it."""
    from loaders.reference.councils import resolve_council

    text = ctx.doc.text
    spans = sentences(text)
    # only the sentences holding a word some pattern needs (the others find no candidate below):
    # found with str.find over the text, where testing every word in every sentence cost ~0.3 ms
    for i in sorted(sentences_with(text, spans, _DELIVERY_WORDS)):
        span = spans[i]
        s = text[span.start : span.end]
        candidates = [rx for rx, needs in zip(_DELIVERY, _DELIVERY_NEEDS) if any(w in s for w in needs)]
        if not candidates:
            continue  # no pattern can match: the tests below would change nothing
        if not re.search(r"children|social\s+care", s, re.I) or _MAYBE.search(s):
            continue
        for rx in candidates:
            m = rx.search(s)
            if m is None:
                continue
            body = normalise_space(re.sub(r"^(?:The|the)\s+", "", m.group("body")))
            if rx is _DELIVERY[0] and not m.group("new") and not _ORG_NAME.search(body):
                continue  # "staff moved to County Hall": a place, not a body
            if len(body.split()) < 2 or resolve_council(body, report_date_of(ctx)) is not None or re.fullmatch(r"[\w\s]*Council", body):
                continue
            org = council_in(ctx, span.start, span.end)
            if org is None or org.name == body:
                continue
            date = None
            for r in _ranges(text, span.start, span.end):
                if r.a - span.start >= m.start("body") and _WHEN.search(text[max(span.start, r.a - 25) : r.a]):
                    date = r.start
                    break
            yield OrganisationChange(
                evidence=evidence(text, span.start, span.end, NAME, VERSION),
                org=org,
                new_org=OrgRef(body, kind="trust"),
                date=date,
                description=normalise_space(s)[:300],
            )
            break


def report_date_of(ctx: Context) -> PartialDate | None:
    d = ctx.values.get("report_date")
    return d if isinstance(d, PartialDate) else None


_MOVED_WORDS_FOLDED = ("transferred", "moved")


def _takeover_sentences(text: str, spans: list[Span]) -> Iterable[int]:
    """The indices of the sentences _takeovers reads, in order: those holding a trust ending or
    (casefolded) a moving verb. In the others no body is named and no pattern can match
    (_BACK_TAKEOVER needs "Trust"); they are found with str.find, where testing each sentence
    cost ~0.3 ms a report."""
    moved_in = sentences_holding_words(text, spans, _MOVED_WORDS_FOLDED)
    if moved_in is None:
        return range(len(spans))
    return sorted(moved_in | sentences_with(text, spans, _TRUST_ENDINGS))


def _takeovers(ctx: Context):
    text = ctx.doc.text
    last_trust: str | None = None
    spans = sentences(text)
    for i in _takeover_sentences(text, spans):
        span = spans[i]
        s = text[span.start : span.end]
        # _TRUST (case-sensitive) ends in one of these words: most sentences have none
        bodies = any(w in s for w in _TRUST_ENDINGS)
        named = [normalise_space(re.sub(r"^(?:The|the)\s+", "", t.group(0))) for t in _TRUST_RE.finditer(s)] if bodies else []
        named = [n for n in named if n not in ("Trust", "Company", "Partnership")]
        # _TRANSFER (case-blind) needs one of its verbs; casefold, as it also matches "ſ" for "s"
        folded = s.casefold()
        moved = "transferred" in folded or "moved" in folded
        m = (bodies and _TAKEOVER.search(s)) or (moved and _TRANSFER.search(s)) or (last_trust and _BACK_TAKEOVER.search(s))
        if named:
            last_trust = named[-1]
        if not m or not re.search(r"children|social\s+care|services", s, re.I):
            continue
        trust = normalise_space(re.sub(r"^(?:The|the)\s+", "", m.group("trust"))) if m.re is not _BACK_TAKEOVER else last_trust
        if trust in ("Trust", "Company", "Partnership"):
            continue
        org = council_in(ctx, span.start, span.end)
        if org is None or org.name == trust:
            continue
        dates = find_date_ranges(text, span.start, span.end)
        yield OrganisationChange(
            evidence=evidence(text, span.start, span.end, NAME, VERSION),
            org=org,
            new_org=OrgRef(trust, kind="trust"),
            date=dates[0].start if dates else None,
            description=normalise_space(s)[:300],
        )


@extractor(LINK_NAME, VERSION, requires=("interventions",))
def link_commissioners(ctx: Context):
    directions = [iv for iv in ctx.values.get("interventions", []) or [] if iv.type == "statutory-direction"]
    if not directions:
        return
    for f in list(ctx.facts):
        if not isinstance(f, Membership) or f.role != "childrens-services-commissioner" or f.generated_by is not None:
            continue
        candidates = [d for d in directions if f.org is None or d.org == f.org or f.org.kind == "government"]
        if not candidates:
            continue
        if f.start:
            dated = [d for d in candidates if d.start and d.start.value[:7] <= f.start.value[:7]]
            candidates = dated or candidates
        chosen = max(candidates, key=lambda d: d.start.value if d.start else "")
        yield replace(f, generated_by=chosen)
