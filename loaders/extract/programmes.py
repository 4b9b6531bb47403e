"""Named improvement programmes, plans, strategies and boards, and who oversees them.

A programme is named when the report gives it a distinctive name:
- a quoted title-case name next to a word that says what it is ("the 'Side by Side' programme",
  "a framework called 'Beyond Auditing'", "a project 'Measuring What Matters'");
- a capitalised name ending in Plan, Programme, Strategy, Model, Framework, Academy, Project,
  Initiative or Scheme ("Children First Practice Improvement Plan", "Social Care Academy"), or
  followed by a lower-case programme word ("the Troubled Families programme");
- a capitalised name that the sentence defines as one ("Change for Children is our
  transformation programme") or that work is "part of" ("as part of Safe, Secure, Successful");
- a national programme of the field named anywhere (Troubled Families, Partners in Practice ...).
A name made only of generic words ("Five Year Plan", "Action Plan", "Corporate Plan") is not
distinctive and is skipped; the one exception is the council's own "the Improvement Plan" (or
"Improvement Programme"), kept when the report names no fuller plan it could be short for.
Report titles ("... Update and Improvement Plan") are not programmes. Boards ("Joint Improvement
Board", "the Council's Improvement Board") become organisations of kind board, qualified by the
council when their name is one many councils share; a board that leads improvement is also
recorded as the programme it runs. A programme is overseen by the board its sentence says
oversees, monitors or governs it; its themes are the workstreams or themes listed for it. A
programme belongs to the council named as its owner ("Essex County Council's ..."), else to the
report's council.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.extract import Context, extractor
from loaders.extract.common import evidence, normalise_space, sentence_at, sentences, sentences_holding_from
from loaders.extract.inspections import publisher
from loaders.model import Evidence, OrganisationMention, OrgRef, Programme

NAME, VERSION = "programmes", "1.0"

_KIND_WORDS = r"Plan|Programme|Program|Strategy|Model|Framework|Academy|Project|Initiative|Scheme|Pathway|Pledge|Charter|Campaign|Pilot"
_SP = r"[ \u00a0]+"  # names never run across lines or table cells
_CONNECT = r"(?:of|for|and|&|to|in|on|with|by|of the|for the)"
_FIRST = r"[A-Z][\w'\u2019-]*"
_CAPWORD = r"(?:[A-Z][\w'\u2019-]*|\d{4}(?:[/-]\d{2,4})?)"
_CAPNAME = rf"{_FIRST}(?:{_SP}(?:{_CONNECT}{_SP})?{_CAPWORD}){{0,7}}"  # bounded: linear on long capitalised runs
_NAMED_KIND = re.compile(rf"(?<![\w'\u2019])(?P<name>{_CAPNAME}{_SP}(?:{_KIND_WORDS}))\b(?!{_SP}Board)")
_PROGRAMME_OF_BOARD = re.compile(rf"(?<![\w'\u2019])(?P<name>{_CAPNAME}){_SP}(?:Programme|Project|Plan){_SP}Board\b")
_LOWER_KIND = re.compile(rf"(?<![\w'\u2019])(?P<name>{_FIRST}(?:{_SP}(?:{_CONNECT}{_SP})?{_CAPWORD}){{1,7}}){_SP}(?:programme|project|initiative|scheme|strategy)\b")
_DEFINED = re.compile(
    rf"(?:^|[.;:]{_SP}|\b(?:[Bb]y{_SP}way{_SP}of{_SP}reminder|[Aa]s{_SP}a{_SP}reminder),{_SP})(?P<name>{_CAPNAME}){_SP}(?:is|was|will{_SP}be){_SP}(?:our|the|a|an){_SP}"
    rf"(?:[\w-]+{_SP}){{0,3}}(?:programme|strategy|plan|model|project|initiative|framework)\b"
)
_PART_OF = re.compile(rf"\b(?:as{_SP}part{_SP}of|through|under){_SP}(?:the{_SP})?(?P<name>{_FIRST}(?:,?{_SP}(?:&{_SP}|and{_SP})?{_CAPWORD}){{1,5}})(?=[ \u00a0]+[a-z(]|[,.;)]|$)")
# (?<!\w) before the opening quote, tested after it: the scan skips to each quote mark
_QUOTED = re.compile(r"['\u2018\u201c\"](?<!\w['\u2018\u201c\"])(?P<name>[A-Z][^'\u2019\u201d\"\n]{2,60}?)['\u2019\u201d\"](?!\w)")
_QUOTE_CUE = re.compile(
    r"\b(?:programmes?|projects?|initiatives?|strateg(?:y|ies)|plans?|models?|frameworks?|schemes?|campaigns?|pilots?|"
    r"academy|workstreams?)\b",
    re.I,
)
_NAMING = re.compile(r"\b(?:called|known\s+as|named|entitled|branded)\s*[\"'\u2018\u201c]?$", re.I)
# words of a report's own title, not of a programme: "Ofsted Inspection Update and Improvement Plan"
_TITLE_WORDS = re.compile(r"\b(?:Update|Report|Briefing|Outcome)\b")
_BOARD = re.compile(rf"(?<![\w'\u2019])(?P<name>(?:{_FIRST}(?:['\u2019]s)?{_SP}(?:{_CONNECT}{_SP})?){{0,7}}(?:Improvement|Challenge|Programme|Partnership|Transformation|Safeguarding|Parenting|Workforce|Strategic|Executive|Project|Practice|Assurance|Oversight){_SP}Board)\b")
_THE_BOARD = re.compile(r"the(?<=\bthe)\s+Board\b")  # \bthe..., the boundary tested after "the": a faster scan
_IMPROVEMENT_BOARD = re.compile(r"\b(?:Improvement|Transformation|Challenge|Practice|Oversight|Assurance)\s+Board$")
_OVERSEE = re.compile(r"\b(?:overs(?:ee|aw|een|ees|eeing|ight)|monitor\w*|govern\w*|chair\w*|accountable|report(?:s|ing)?\s+to|driv\w+\s+by)\b", re.I)

# National programmes of the children's services field, named without a kind word.
NATIONAL = (
    "Troubled Families",
    "Supporting Families",
    "Partners in Practice",
    "Signs of Safety",
    "Family Safeguarding",
    "Mockingbird",
    "Staying Close",
    "Staying Put",
    "Step Up to Social Work",
    "Frontline",
    "Family Drug and Alcohol Court",
    "Reducing Parental Conflict",
    "Strengthening Families",
    "No Wrong Door",
    "Pause",
)
_NATIONAL = re.compile(r"(?<!\w)(?P<name>" + "|".join(re.escape(n) for n in NATIONAL) + r")(?!\w)")

# Words that cannot make a name distinctive on their own.
GENERIC = frozenset(
    """the a an our this that its their council councils county borough city authority improvement improvements action
    actions delivery high level business corporate annual draft new revised updated overall strategic operational local
    five four three two ten one year years medium term plan plans programme programmes program strategy strategies model
    models framework frameworks academy project projects initiative initiatives scheme schemes pathway pledge charter
    service services transformation recovery alternative inspection single quality assurance performance financial
    budget communications risk management policy
    of for and & to in on with by at""".split()
)
# Words many councils' boards share: a board named only with these is qualified by the council.
BOARD_WORDS = frozenset(
    """board children child young people services safeguarding partnership parenting corporate challenge education
    joint practice programme executive strategic workforce adults adult health wellbeing well-being care social
    improvement""".split()
)
_NOT_NAMES = re.compile(
    r"^(?:Minutes|Notes|Meeting|Appendix|Table|Section|Annex|Figure|Page|Item|Agenda|Report|Summary|Recommendation|Background|Financial|Legal|"
    r"Risk|Equalit|Human|Property|Other|Is|When|Were|Was|Are|Council|Trust|Committee|Members?|Monday|Tuesday|Wednesday|Thursday|Friday|January|February|March|April|May|June|July|August|"
    r"September|October|November|December|Please|Following|In|At|On|For|The|This|These|A|An|Our|We|Its|As|By|Under|"
    r"Through|From|To|With|Since|During|All|Each|Both|Any|Current|Draft|Ensuring|Ensure|Developed|Develop|Revising|Revise|"
    r"Compiled|Facilitated|Implement|Implemented|Deliver|Delivered|Establish|Established|Launch|Launched|Support|Supported|"
    r"Strengthen|Improve|Improved|Review|Reviewed|Agree|Approve|Note|Whilst|While|Where|If|When|Although)\b(?:['\u2019]s\b)?"
)


@dataclass
class _Found:
    name: str
    ev: Evidence
    org: OrgRef | None
    overseen_by: OrgRef | None = None
    themes: list[str] = field(default_factory=list)


def _clean(name: str) -> str:
    name = normalise_space(name).replace("\u2019", "'")  # one spelling of "Children's" whatever the typography.strip(" ,.;:'\"\u2018\u2019\u201c\u201d")
    # leading sentence words are not part of a name: "Following the Early Help Strategy"
    while True:
        m = _NOT_NAMES.match(name)
        if not m or m.end() >= len(name):
            break
        rest = name[m.end() :].lstrip()
        if not rest or not rest[0].isupper() and not rest[0].isdigit():
            rest = re.sub(rf"^(?:(?:{_CONNECT}|the|The)\s+)+", "", rest)
        if rest == name:
            break
        name = rest
    name = re.sub(rf"^(?:(?:{_CONNECT}|the|The)\s+)+", "", name)
    return name


def distinctive(name: str) -> bool:
    """A name says which plan it is: a word beyond the generic ones, or a long formal title
    ("Children's Social Care Improvement Programme Plan"); an Academy is an institution."""
    if re.search(r"\bInspection\s+Framework\b", name):
        return False  # Ofsted's framework, not the council's programme
    words = [w.lower().strip("'\u2019,") for w in name.split()]
    words = [w[:-2] if w.endswith(("'s", "\u2019s")) else w for w in words]
    content = [w for w in words if not re.fullmatch(_CONNECT, w)]
    if words and words[-1] == "academy" and len(content) >= 2:
        return True
    if len(content) >= 5:
        return True
    return any(w not in GENERIC and not w.isdigit() and not re.fullmatch(r"\d{4}(?:[/-]\d{2,4})?", w) for w in words)


def _title_case(name: str) -> bool:
    words = name.split()
    if not words or len(words) > 7 or not words[0][0].isupper() or not words[-1][0].isupper():
        return False
    caps = sum(1 for w in words if w[0].isupper())
    return caps >= (len(words) + 1) // 2 and all(w[0].isupper() or re.fullmatch(_CONNECT, w) for w in words)


# Each name pattern ends in a word from a short list; matching only near those words keeps a long
# run of capitalised words (a table, a list of names) from costing a regex attempt at every word.
_ANCHORS = {
    "board": re.compile(r"\bBoard\b"),
    "kind": re.compile(rf"\b(?:{_KIND_WORDS})\b"),
    "lower": re.compile(r"\b(?:programme|strategy|plan|model|project|initiative|framework|scheme)\b"),
}


_LOWER_WORDS = ("programme", "strategy", "plan", "model", "project", "initiative", "framework", "scheme")
# A word each pattern needs: most sentences have none, and a substring test costs far less than a scan.
_NEEDS: dict[re.Pattern[str], tuple[str, ...]] = {
    _BOARD: ("Board",),
    _PROGRAMME_OF_BOARD: ("Board",),
    _NAMED_KIND: tuple(_KIND_WORDS.split("|")),
    _LOWER_KIND: _LOWER_WORDS,
    _DEFINED: _LOWER_WORDS,
    _NATIONAL: NATIONAL,
    _PART_OF: ("part", "through", "under"),
}


# _NEEDS by the pattern's id: a compiled pattern hashes its whole program on every lookup (not
# cached), which cost more than the word tests; the patterns live as long as the module
_NEEDS_BY_ID = {id(rx): words for rx, words in _NEEDS.items()}


def _any_word(words: set[str]) -> re.Pattern[str]:
    """A pattern that finds one of `words` (plain text) wherever one is: grouped by first letter,
    so the scan tests one alternative per letter."""
    groups: dict[str, list[str]] = {}
    for w in sorted(words, key=len, reverse=True):
        groups.setdefault(w[0], []).append(re.escape(w[1:]))
    return re.compile("|".join(f"{re.escape(first)}(?:{'|'.join(rest)})" for first, rest in groups.items()))


# one of the words of any pattern of _NEEDS: in a sentence without one (most), none can match
_NEEDED_WORD = _any_word({w for words in _NEEDS.values() for w in words})


def anchored(rx: re.Pattern[str], s: str) -> list[re.Match[str]]:
    """rx's matches in s that end at one of its anchor words (all matches for unanchored patterns)."""
    needs = _NEEDS_BY_ID.get(id(rx))
    if needs is not None:
        for word in needs:
            if word in s:
                break
        else:
            return []
    anchor = (
        _ANCHORS["board"] if rx is _BOARD or rx is _PROGRAMME_OF_BOARD else
        _ANCHORS["kind"] if rx is _NAMED_KIND else
        _ANCHORS["lower"] if rx is _LOWER_KIND or rx is _DEFINED else None
    )
    if anchor is None:
        return list(rx.finditer(s))
    out: dict[tuple[int, int], re.Match[str]] = {}
    for a in anchor.finditer(s):
        for m in rx.finditer(s, max(0, a.start() - 200), min(len(s), a.end() + 12)):
            if m.start() <= a.start() < m.end():
                out.setdefault(m.span(), m)
    if len(out) < 2:
        return list(out.values())
    # overlapping windows can yield a match and its own tail: keep the longest
    spans = sorted(out, key=lambda sp: (sp[1], sp[0]))
    kept = [sp for sp in spans if not any(o[0] < sp[0] and o[1] == sp[1] for o in spans)]
    return [out[sp] for sp in sorted(kept)]


def _names(s: str, needed: bool = True) -> list[tuple[int, int, str]]:
    """(start, end, name) of every programme name in a sentence. `needed` false says that the
    sentence holds none of the words of _NEEDS, so that no pattern there can match."""
    out: list[tuple[int, int, str]] = []

    def add(a: int, b: int, name: str) -> None:
        name = _clean(name)
        if len(name) < 4 or not distinctive(name) or _TITLE_WORDS.search(name) or _NOT_NAMES.fullmatch(name.split()[0]) and len(name.split()) == 1:
            return
        if any(not (b <= x or a >= y) for x, y, _ in out):
            return
        out.append((a, b, name))

    for m in _QUOTED.finditer(s):
        name = m.group("name")
        window = s[max(0, m.start() - 40) : m.end() + 40]
        cued = _QUOTE_CUE.search(window) or _NAMING.search(s[max(0, m.start() - 25) : m.start() + 1])
        if _title_case(name) and cued and not re.fullmatch(r"(?:good|outstanding|inadequate|requires improvement)", name, re.I):
            add(m.start("name"), m.end("name"), name)
    for rx in (_NATIONAL, _PROGRAMME_OF_BOARD, _NAMED_KIND, _DEFINED, _PART_OF, _LOWER_KIND) if needed else ():
        for m in anchored(rx, s):
            name = m.group("name")
            if rx is _PART_OF and not re.search(r",|&", name) and not _title_case(name):
                continue
            if rx is _PART_OF and not re.search(r",|&", name):
                continue  # "as part of the Improvement Plan" is caught by the kind-word rule
            add(m.start("name"), m.end("name"), name)
    out.sort()
    return out


def _owner(ctx: Context, pos: int) -> OrgRef | None:
    """The council a programme is named as belonging to ("Essex County Council's Partners in
    Practice programme", "Hertfordshire's Family Safeguarding"), else the report's council."""
    window_start = max(0, pos - 60)
    window = ctx.doc.text[window_start:pos]
    for org_start, org_end, org in reversed(_councils_with_spans(ctx, window_start, pos)):
        if re.fullmatch(r"(?:['\u2019]s)?\s*(?:the\s+)?", window[org_end:]):
            return org
    return publisher(ctx)


def _councils_with_spans(ctx: Context, start: int, end: int) -> list[tuple[int, int, OrgRef]]:
    from loaders.reference.councils import find_councils

    span = re.sub(r"['\u2019]s\b", "  ", ctx.doc.text[start:end])
    return find_councils(span, ctx.values.get("report_date"))


# \b(?:[Tt]he|[Oo]ur|[Ii]ts|[Tt]he\s+(?:Council|Authority)['\u2019]s)..., its first letter taken first
# (and the boundary tested after it), so the scan skips to each T, O or I
_THE_PLAN = re.compile(
    r"[TtOoIi](?<=\b[TtOoIi])(?:(?<=[Tt])he|(?<=[Oo])ur|(?<=[Ii])ts|(?<=[Tt])he\s+(?:Council|Authority)['\u2019]s)\s+(?P<name>(?:(?:Children['\u2019]s|Practice|Service|Services|Social\s+Care|"
    r"Ofsted)\s+)*Improvement\s+(?:Plan|Programme))\b"
)


def _the_plans(ctx: Context) -> dict[str, _Found]:
    text = ctx.doc.text
    out: dict[str, _Found] = {}
    for m in _THE_PLAN.finditer(text):
        name = _clean(m.group("name"))
        if name.lower() not in out:
            span = sentence_at(text, m.start())
            out[name.lower()] = _Found(name, evidence(text, span.start, span.end, NAME, VERSION), publisher(ctx))
    return out


def _board(ctx: Context, name: str) -> OrgRef:
    name = _clean(re.sub(r"^(?:the\s+)?(?:Council|County\s+Council|Authority)['\u2019]s\s+", "", name))
    words = {re.sub(r"['\u2019]s$", "", w.lower()) for w in name.split()}
    if not (words - GENERIC - BOARD_WORDS):
        pub = publisher(ctx)
        if pub is not None:
            name = f"{pub.name} {name}"  # "Improvement Board" alone would be one node for every council
    return OrgRef(name, kind="board")


@extractor(NAME, VERSION, requires=("report",), provides=("programmes",))
def extract_programmes(ctx: Context):
    text = ctx.doc.text
    found: dict[str, _Found] = {}
    order: list[str] = []
    boards: dict[str, tuple[OrgRef, Evidence]] = {}
    last_board: OrgRef | None = None
    last_named: tuple[int, str] | None = None
    spans = sentences(text)
    themed = sentences_holding_from(text, spans, _THEME_WORD_FOLDED, _THEME_FIRSTS)
    for i, span in enumerate(spans):
        s = text[span.start : span.end]
        needed = _NEEDED_WORD.search(s) is not None
        names = _names(s, needed)
        sentence_boards = []
        for m in anchored(_BOARD, s) if needed else ():
            org = _board(ctx, m.group("name"))
            sentence_boards.append(org)
            boards.setdefault(org.name, (org, evidence(text, span.start, span.end, NAME, VERSION)))
            written = _clean(m.group("name"))
            if _IMPROVEMENT_BOARD.search(written) and written.lower() not in found:
                # a board that leads improvement is also the programme it runs (the contract's
                # "board-led workstream"), under its name as written
                found[written.lower()] = _Found(written, evidence(text, span.start, span.end, NAME, VERSION), _owner(ctx, span.start + m.start("name")))
                order.append(written.lower())
        if not sentence_boards and last_board is not None and _THE_BOARD.search(s):
            sentence_boards.append(last_board)
        if sentence_boards:
            last_board = sentence_boards[-1]
        if names:
            ev = evidence(text, span.start, span.end, NAME, VERSION)
        for a, b, name in names:
            key = name.lower()
            if key not in found:
                found[key] = _Found(name, ev, _owner(ctx, span.start + a))
                order.append(key)
        if names and sentence_boards and _OVERSEE.search(s):
            # the sentence's subject is overseen: "The X Plan, part of the national Y, is overseen by ..."
            subject = found[names[0][2].lower()]
            subject.overseen_by = subject.overseen_by or sentence_boards[0]
        if names:
            last_named = (span.end, names[0][2].lower())
        themes = _themes(text, span.start, span.end) if themed is None or i in themed else []
        if themes:
            target = names[0][2].lower() if names else (last_named[1] if last_named and span.start - last_named[0] < 600 else None)
            if target:
                found[target].themes.extend(t for t in themes if t not in found[target].themes)
    for org, ev in boards.values():
        yield OrganisationMention(evidence=ev, org=org)
    # "the Improvement Plan": the council's own plan, named only generically; kept when the report
    # names no fuller plan it could be short for ("Children First Practice Improvement Plan ('the
    # Improvement Plan')")
    for key, f in _the_plans(ctx).items():
        if key not in found and not any(k.endswith(key) for k in found):
            found[key] = f
            order.append(key)
    programmes = []
    for key in _dedupe(order):
        f = found[key]
        programmes.append(
            Programme(evidence=f.ev, name=f.name, org=f.org or publisher(ctx), overseen_by=f.overseen_by, themes=tuple(f.themes))
        )
    yield from programmes
    ctx.values["programmes"] = programmes


_THEMES_INTRO = re.compile(
    r"\b(?:themes?|workstreams?|work\s+streams?|strands?|pillars?|priorit(?:y|ies)|key\s+areas)\b[^.:\n]{0,60}:[ \t]*(?P<inline>[^\n]*)",
    re.I,
)


# the words _THEMES_INTRO starts with, for the folded text (common.sentences_holding): a sentence
# where none starts has no match (the words other than "work" and "key" hold no white space; the
# ends of those two start no word of the list)
_THEME_WORD_FOLDED = re.compile(r"\b(?:themes?|workstreams?|work\s+streams?|strands?|pillars?|priorit(?:y|ies)|key\s+areas)\b")
# the words each match of it starts with, for common.sentences_holding_from: its scan over the
# whole folded text cost ~0.3 ms a report
_THEME_FIRSTS = ("theme", "work", "strand", "pillar", "priorit", "key")


def theme_slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace("&", " and ").replace("'", "").replace("\u2019", "")).strip("-")


def _themes(text: str, s0: int, s1: int) -> list[str]:
    """Theme slugs a sentence lists ("three workstreams: Restorative Practice, Family Group
    Conferencing and Workforce Development") or introduces as a list of short items."""
    from loaders.extract.recommendations import list_items

    m = _THEMES_INTRO.search(text, s0, s1)
    if not m:
        return []
    inline = m.group("inline").strip().rstrip(".;")
    if inline:
        parts = re.split(r",\s*|\s+and\s+|;\s*", inline)
    elif m.end() >= s1 - 1:
        parts = [t for _, _, t in list_items(text, text.find("\n", m.end()) + 1)]
    else:
        parts = []
    names = [p.strip(" .;:-\u2022") for p in parts]
    if not names or any(len(n.split()) > 8 or not n[:1].isupper() for n in names):
        return []  # prose, not a list of theme names
    return [theme_slug(n) for n in names if n]


def _dedupe(keys: list[str]) -> list[str]:
    """'X' and 'X Programme' are one programme: keep the shorter name."""
    out = []
    for k in keys:
        base = re.sub(r"\s+(?:programme|program)$", "", k)
        if base != k and base in keys:
            continue
        out.append(k)
    return out
