"""People and the roles they hold: PersonMention, Membership and OrganisationMention facts.

What counts as a person. A run of name-shaped tokens (capitalised words, initials, hyphenated or
Mc/O' surnames) that contains none of the genre's capitalised common words (Council, Services,
Board, Ofsted, Trust, Children, Director ...) and is not a council's name, and that appears
  - after an honorific ("Cllr Bedi", "Councillor B Cassidy", "Lord Kamlesh Kumar Patel OBE"), or
  - next to a role ("the Minister, Edward Timpson", "The Commissioner is John Coughlan",
    "Nicola Clemo (Chief Executive, ...)", "X has been announced as the Chair of Y", "chaired by X",
    a sign-off "Tony Kershaw" over "Director of Law and Assurance"), or
  - at the start of a person-valued front-matter field ("Contact officer: Tolis Vouyioukas – 0129...").
  - in an attendance list of minutes ("Present:", "Apologies:", "In attendance:") or after a plural
    honorific ("Councillors B Smith, C Jones and D Brown"; each is a councillor), or
  - after a plural title ("His Majesty's Inspectors for this visit were X and Y").
A capitalised phrase anywhere else is not a person: precision matters more than recall.
Every rule reads the text with the line breaks of hard-wrapped prose as spaces and with a sign-off
written in capitals as if capitalised (same offsets), so a title or name broken over two lines
("the Minister of State for Children\nand Families, X") reads whole; evidence quotes the text itself.

Honorifics (Cllr, Councillor, Lord, Dr ...) go to PersonRef.title ("Councillor" is written "Cllr"
so one person keeps one title), post-nominals (CBE, OBE, MP, QC ...) to PersonRef.honours.

Identity (PersonRef.key), the rule every step uses through `person_ref` and `resolve_people`:
  1. A name with a given name and a surname is keyed by the slug of its full words, initials
     dropped (from the name too): "John Coughlan" -> "john-coughlan", in every report, so one
     person across reports is one node. Within one report, full names with the same first given name and surname are one
     person, named by the longest form ("Kamlesh Patel" ~ "Kamlesh Kumar Patel").
  2. Within one report, a partial name ("Cllr Cassidy", "Councillor B Cassidy", "Mr Coughlan") is
     the full-name person of the same surname whose given-name initials agree with its initials,
     when exactly one such person is named in the report.
  3. A partial name with no such partner is keyed by its initials and surname scoped to the
     organisation it is named with (the publishing council by default, the report itself when no
     council is known):
     "Councillor B Cassidy" of Walsall -> "b-cassidy--walsall-metropolitan-borough-council". So
     two people sharing a surname in different councils are never merged. The price: when a later
     report gives the full name, that person is "barbara-cassidy", a different node from the
     scoped key; linking the two needs a reconciliation step, not a guess.
A person carries one name (foaf:name has one value): the fullest form the report gives, so
"Councillor B Cassidy" and "Councillor Barbara Cassidy" are one node named "Barbara Cassidy";
every surface form is kept in ctx.values["people"] for later steps.

Organisation of a role: the one stated ("Chief Executive of Hampshire County Council", "Chief
Executive, Slough Children's Services Trust", "Commissioner for Children's Services in West
Sussex"), else the publishing council, except for national roles (ministers, inspectors, chairs,
advisers) and roles introduced by a possessive ("his Director of Children's Services"), which
keep no organisation rather than a guessed one.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import unicodedata
from loaders.extract import Context, extractor
from loaders.extract.common import evidence, find_dates, finditer_lines, sentence_at, sentences
from loaders.extract.report import front_matter
from loaders.model import Fact, Membership, OrganisationMention, OrgRef, PartialDate, PersonMention, PersonRef

NAME, VERSION = "people", "1.0"

# ------------------------------------------------------------------------------- vocabulary


def slug(text: str) -> str:
    """The project's slug (as graph.iri.slug: loaders may not import graph): NFKD, ascii,
    lower case, runs of anything but [a-z0-9] -> '-'."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = text.lower().replace("&", " and ").replace("'", "").replace("\u2019", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "x"


_HONORIFIC_TITLE = {
    "cllr": "Cllr", "cllrs": "Cllr", "councillor": "Cllr", "councillors": "Cllr", "lord": "Lord", "lady": "Lady",
    "baroness": "Baroness", "baron": "Baron", "dame": "Dame", "sir": "Sir", "dr": "Dr", "mr": "Mr", "mrs": "Mrs",
    "ms": "Ms", "miss": "Miss", "mx": "Mx", "prof": "Prof", "professor": "Professor", "rev": "Rev",
    "revd": "Rev", "reverend": "Rev", "hmi": "HMI", "rt": "Rt Hon",
}
_HON = r"(?:Cllrs?|Councillors?|Lord|Lady|Baroness|Baron|Dame|Sir|Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Professor|Rev|Revd|Reverend|HMI|COUNCILLOR|CLLR)"
_POST_ALT = r"(?:CBE|OBE|MBE|KBE|DBE|CB|MP|MEP|QC|KC|PhD|DPhil|JP|DL|FRSA|HMI|MSc|MBA|BSc|LLB|MA|BA)"
# a name word: not the start of an e-mail address ("Ali.omar@...") nor a possessive other than 's
_TOKEN = r"(?:Mc|Mac|O['’]|D['’])?[A-ZÀ-ÞĀ-ž][a-zß-ÿĀ-ž]+(?:-(?:[A-ZÀ-ÞĀ-ž][a-zß-ÿĀ-ž]+))*(?!\w)(?!['’](?!s\b))(?![.@]\w)"
_INITIAL = r"[A-Z]\.?(?![\w'’])"
# The lookahead changes no match (every one starts with a capital: an honorific or a name word)
# but lets the scan reject other positions at once: twice as fast over a whole report.
_CANDIDATE = re.compile(
    r"(?=[A-ZÀ-ÞĀ-ž])"
    rf"(?P<hon>(?:(?:The[ \t]+)?(?:Rt\.?[ \t]+Hon\.?[ \t]+)?{_HON}\.?[ \t]+){{1,2}})?"
    rf"(?P<seq>(?:{_INITIAL}|{_TOKEN})(?:[ ]+(?:{_INITIAL}|{_TOKEN})){{0,6}})"
    rf"(?P<post>(?:,?[ \t]*\(?{_POST_ALT}\)?(?![\w'’]))+)?"
)
_WORD = re.compile(rf"{_INITIAL}|{_TOKEN}")

# capitalised words of the genre that are never part of a person's name
_STOP = frozenset(
    """
    council councils service services plan plans board boards ofsted trust trusts children childrens child care
    social work worker workers england department departments education cabinet member members director directors
    directorate chief executive executives head heads officer officers commissioner commissioners minister
    ministers secretary state committee committees report reports inspection inspections improvement improvements
    local authority authorities county borough city district metropolitan government partnership partnerships
    safeguarding strategy strategies programme programmes family families people health court team teams group
    groups unit panel policy development agency act acts national regional school schools academy academies
    university college the this that these those our we all chair chairs chairman chairwoman chairperson lead
    leads deputy assistant interim acting corporate strategic independent leader leaders mayor cllr
    councillor update updates progress summary background recommendation recommendations purpose introduction
    appendix annex financial finance legal risk risks quality assurance performance practice management
    leadership support early help protection adoption fostering foster residential justice adult adults public
    resources housing planning monitoring visit visits framework frameworks model standards skills office region
    north south east west central greater london kingdom united british association network forum conference
    new key core joint single total overall annual select scrutiny overview portfolio holder holders item agenda
    section part paragraph table figure chapter contents date title subject contact telephone tel email
    phone mobile fax website address wards division divisions commissioning review reviews pathway
    transitions supervision recording data case cases audit audits staff staffing workforce recruitment
    training learning achievement access area areas inspectorate dear yours please following during in on at by
    for with from to of and since as it if when where further their his her its there here what who how why
    which while whilst although however therefore also both each every any some many most more other such
    no not yes new next last first second third final current former previous permanent temporary
    january february march april may june july august september october november december monday tuesday
    wednesday thursday friday saturday sunday spring summer autumn winter week month year
    sen send mash lscb ilacs sif dfe lga adcs nhs ccg police cafcass action actions delivery outcome outcomes
    secondary primary special needs disability disabilities education vulnerable looked after leaving leavers
    emergency duty response first contact initial assessment intervention interventions prevention edge
    project projects theme themes workstream workstreams priority priorities objective objectives total
    budget budgets savings funding grants cost costs capital revenue investment consultation engagement
    communication communications equality equalities diversity human rights implications strategic policies
    operational directorates services' governance accountability transformation change changes
    ofsted's government's council's policy's barnardo barnardos nspcc cafcass speaker madam or sirs
    """.split()
)
# endings of abstract nouns and participles, never of given names or surnames ("Related Activity")
_NOT_NAME_ENDING = re.compile(
    r"(?:tion|sion|ness|ship|ities|ity|ated|ised|ized|ising|izing|ative|ments|ings|ology|ance|\w{4}(?:ement|ency|ancy))$", re.I
)
# nouns that make the capitalised words before them a thing, not a person ("Front Door Team")
_THING_NOUNS = frozenset(
    """services service team teams board boards unit panel plan plans programme strategy group groups partnership
    council trust project projects hub hubs centre center network forum committee review model framework
    scheme fund policy system process pathway approach partnership""".split()
)
# places and institutions named after people
_NAMED_AFTER_NOUNS = frozenset(
    """school schools academy college primary infant infants junior juniors nursery hospital foundation house home
    homes centre center library hall court building road street way lane avenue close prize award fund memorial
    lecture ward wing""".split()
)
# last words of place names that are not surnames
_PLACE_ENDINGS = frozenset(
    "house road street lane avenue centre center hospital building library homes foundation nursery gardens square drive crescent".split()
)
_MONTHS = {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}

# ------------------------------------------------------------------------------- roles

_W = r"[A-Z][\w'’\-]*"
# words that may precede a title ("Interim Director", "Her Majesty's Chief Inspector")
_QUAL_WORDS = (
    r"Her[ \t]+Majesty['’]s", r"His[ \t]+Majesty['’]s", r"HM", r"Chief", r"Parliamentary", r"Interim", r"Acting",
    r"Deputy", r"Assistant", r"Executive", r"Corporate", r"Strategic", r"Group", r"Service", r"Senior", r"Lead",
    r"Independent", r"Permanent", r"Principal", r"Joint", r"National", r"Regional", r"Area", r"Operational",
    r"Divisional", r"Associate", r"Best[ \t]+Value",
    r"Statutory", r"statutory", r"Children['’]s[ \t]+Services", r"Children['’]s", r"DfE", r"Education", r"Schools", r"interim", r"acting", r"deputy",
    r"assistant", r"executive", r"corporate", r"strategic", r"independent", r"permanent", r"new", r"lead",
)
_QUAL = r"(?:(?:" + "|".join(_QUAL_WORDS) + r")[ \t]+)*"
_HEAD = (
    r"(?:Director|DIRECTOR|Chief[ \t]+Executive(?:[ \t]+Officer)?|CHIEF[ \t]+EXECUTIVE|Chief[ \t]+Officer|Chief[ \t]+Social[ \t]+Worker|"
    r"Principal[ \t]+Social[ \t]+Worker|Head|Cabinet[ \t]+Member|Portfolio[ \t]+Holder|Lead[ \t]+Member|Executive[ \t]+Member|Executive[ \t]+Lead(?:[ \t]+Member)?|Lead[ \t]+Councillor|"
    r"Leader(?:[ \t]+of[ \t]+the[ \t]+Council)?|Council[ \t]+Leader|Vice[- ]Chair(?:man|person)?|Chair(?:man|woman|person)?|"
    r"Commissioner|Minister(?:[ \t]+of[ \t]+State)?|Secretary[ \t]+of[ \t]+State|Under[- ]Secretary[ \t]+of[ \t]+State|Inspector|HMI|"
    r"Improvement[ \t]+Advis[eo]r|Advis[eo]r|Manager|Monitoring[ \t]+Officer|Mayor|DCS|"
    r"director|chief[ \t]+executive|cabinet[ \t]+member|portfolio[ \t]+holder|lead[ \t]+member|leader|chair|chairman|commissioner|"
    r"minister|secretary[ \t]+of[ \t]+state|inspector|improvement[ \t]+advis[eo]r|adviser|advisor)"
)
# "of/for X" that belongs to the title ("Director of Children's Services", "Cabinet Member for
# Children, Education and Families"); a list of areas is joined by commas and a final "and"
_OF = rf"(?:[ \t]+(?:of|for)[ \t]+(?:the[ \t]+)?{_W}(?:[ \t]+(?:and|&|of|for)[ \t]+{_W}|[ \t]+{_W})*(?:(?:,[ \t]+{_W}(?:[ \t]+{_W})*)+(?=[ \t]+(?:and|&)\s)[ \t]+(?:and|&)[ \t]+{_W}(?:[ \t]+{_W})*)?)?"
# "Executive Director, Children's Services": the area after a comma, when it is a service area
_AREA = rf"(?:(?:,|[ \t]+[–—-])[ \t]+(?:Children|People|Families|Education|Learning|Care|Young)[\w'’]*(?:[ \t]+(?:and|&)[ \t]+{_W}|[ \t]+{_W})*)"
ROLE = rf"(?:{_QUAL}{_HEAD}(?:[ \t]+designate)?(?:{_AREA}|{_OF})(?:[ \t]+\((?:DCS|DASS|CEO|S151|s151)\))?)"
_DET = r"(?P<det>\b(?:(?:[Tt]he|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|[Oo]ur|an?)[ \t]+)?(?:(?:new|former|previous|then)[ \t]+)?)"

# a role just before the person: "the Minister, Edward Timpson", "The Commissioner is John Coughlan",
# "Portfolio Holder Report of Councillor B Cassidy", "chaired by X"
_ROLE_BEFORE = re.compile(
    rf"(?:{_DET}(?P<role>{ROLE})(?P<sep>[ \t]*[,:–—(|][ \t]*(?:the[ \t]+(?=$))?|[ \t]+-[ \t]+|[ \t]+(?:is|was|will[ \t]+be|remains)[ \t]+|[ \t]+(?:Report|Update|Statement)[ \t]+(?:of|from|by)[ \t]+|[ \t]+)"
    rf"|(?P<chaired>\b(?:chaired|co-chaired|jointly[ \t]+chaired)[ \t]+by[ \t]+(?:the[ \t]+)?))$"
)
# a role just after the person: "X, the Chief Executive of Y", "X (Chief Executive, Y)", "X – Cabinet
# Member for Z", "X has since been announced as the Chair of Y", "X who is the ...", sign-offs
_ROLE_AFTER = re.compile(
    rf"(?P<sep>(?:,[ \t]*|[ \t]+)who[ \t]+(?:is|was|has[ \t]+been|became|(?:joined|started)(?:[ \t]+us)?[ \t]+as)[ \t]+|"
    rf"[ \t]+became[ \t]+|[ \t]*,[ \t]*|[ \t]*\([ \t]*|[ \t]+[–—-][ \t]+|"
    rf"[ \t]+(?:is|was|has|have|had)[ \t]+(?:(?:now|since|recently|also|formally|been|just)[ \t]+)*(?:been[ \t]+)?(?:appointed|announced|named|confirmed|elected|re-elected)[ \t]+(?:as[ \t]+)?|"
    rf"[ \t]+(?:will[ \t]+)?(?:joined|joins|join|started|starts|start|returned|returns)[ \t]+(?:us[ \t]+|the[ \t]+council[ \t]+)?as[ \t]+|"
    rf"[ \t]+(?:will[ \t]+)?(?:take|takes|took|has[ \t]+taken)[ \t]+up[ \t]+(?:the|her|his|their)[ \t]+(?:post|role|position)[ \t]+(?:of|as)[ \t]+|"
    rf"[ \t]*\|[ \t]*|"
    rf"[ \t]*,?[ \t]+(?:is|was)[ \t]+(?:(?:also|now|currently|still)[ \t]+)?(?=(?:the|our|an?)\s)|[ \t]+as[ \t]+|[ \t]*\n(?:[ \t]*\n)?[ \t]*|[ \t]+)"
    rf"{_DET}(?P<role>{ROLE})"
)
# titles official enough to stand next to a name with no punctuation ("Commissioner John Coughlan")
_STRONG_HEAD = re.compile(
    r"(?:(?:Interim|Acting|Executive|Corporate|Strategic|Deputy)\s+)*(?:Director|Chief\s+Executive|Cabinet\s+Member|"
    r"Portfolio\s+Holder|Lead\s+Member|Leader|Chair|Commissioner|Minister|Secretary\s+of\s+State|Lead\s+Inspector|HMI)\b"
)
_APPOINTED_AS = re.compile(r"\b(?:appointed|appoint|appoints|named|announced)\s*$")
_AS_ROLE = re.compile(rf"\s+as\s+{_DET}(?P<role>{ROLE})")
_ORG_TAIL = re.compile(
    rf"(?:\s*,\s*|\s+(?:of|at|for|in|from)\s+)(?:the\s+)?(?P<org>(?:DfE|{_W})(?:\s+(?:for|of|and|&|in)\s+{_W}|\s+{_W})*)"
)
_ORG_END = re.compile(
    r"\b(?:Council|Trust|Board|England|Partnership|Department|Agency|Association|Authority|Commission|Ofsted|"
    r"University|College|Foundation|Limited|Ltd|Office|Ministry|Government|CCG|Police|Cafcass|Barnardo['’]s|NSPCC|"
    r"Panel|Group|Committee|Society|Institute|Network|Alliance|Company|Partners|DfE|LGA|ADCS)$"
)
_KNOWN_ORGS = {
    "dfe": ("Department for Education", "government"),
    "department for education": ("Department for Education", "government"),
    "the department for education": ("Department for Education", "government"),
    "ofsted": ("Ofsted", "regulator"),
    "social work england": ("Social Work England", "regulator"),
    "health and care professions council": ("Health and Care Professions Council", "regulator"),
    "hcpc": ("Health and Care Professions Council", "regulator"),
    "care quality commission": ("Care Quality Commission", "regulator"),
    "local government association": ("Local Government Association", "organisation"),
    "lga": ("Local Government Association", "organisation"),
}
_APPOINTER = re.compile(
    r"(?P<who>Department\s+for\s+Education|DfE|Secretary\s+of\s+State(?:\s+for\s+Education)?|(?:Children['’]s\s+)?Minister|"
    r"Government)(?:\s*\([A-Za-z]+\))?\s+(?:has\s+|have\s+|had\s+)?(?:formally\s+)?appointed"
    r"|appointed\s+by\s+(?:the\s+)?(?P<by>Department\s+for\s+Education|DfE|Secretary\s+of\s+State(?:\s+for\s+Education)?|Minister|Government)",
)
# a start or end is read from a date right after one of these ("appointed on 5 March 2018",
# "left in March 2018"), or right after "since"/"from" themselves ("in post since May 2017")
_START_CUE = re.compile(
    r"\b(?:appointed|appointment|(?:take|takes|took|taken)\s+up|starts?|started|starting|joins?|joined|took\s+over|became|"
    r"began|commenced|(?:in\s+post\s+)?since(?=\s+\d|\s+[A-Z])|(?:with\s+effect\s+)?from(?=\s+\d))\b",
    re.I,
)
_END_CUE = re.compile(r"\b(?:until|left|leaves|leaving|stepped\s+down|stood\s+down|retired|retires|resigned|ended|departed)\b", re.I)

PERSON_FIELD_ROLES = {
    "contact_officer": ("contact-officer",),
    "author": ("report-author",),
    "lead_officer": (),
    "portfolio": ("cabinet-member",),
}
# roles that belong to no council unless the text names one
_NATIONAL_ROLES = {"minister", "lead-inspector", "chair", "improvement-adviser"}


def role_slug(title: str) -> str:
    """The canonical role for a title as written ("Executive Director of Children's Services" ->
    director-of-childrens-services); titles outside the canonical set keep their own slug."""
    t = " ".join(title.lower().replace("’", "'").split())
    t = re.sub(r"^(?:(?:the|his(?! majesty)|her(?! majesty)|their|its|our|a|an|new|interim|acting|permanent|temporary|former)\s+)+", "", t)
    if "commissioner" in t:
        # commissioners of other services (Best Value, police, the Children's Commissioner for England)
        other = r"\b(?:england|police|crime|information|best value|finance|financial|housing|health|commercial)\b"
        return slug(t) if re.search(other, t) else "childrens-services-commissioner"
    if re.search(r"\bdcs\b", t) or (
        "director" in t and "child" in t and not re.search(r"\b(?:assistant|deputy|service|operational|group|divisional|associate)\s+director", t)
    ):
        return "director-of-childrens-services"
    if "chief executive" in t and "deputy" not in t:
        return "chief-executive"
    if re.search(r"\b(?:cabinet|lead|executive)\s+member\b|\bportfolio\s+holder\b|^executive\s+lead\b|^lead\s+councillor\b", t):
        return "cabinet-member"
    if re.search(r"\bleader\b", t) and not re.search(r"\b(?:deputy|team|group|opposition)\b", t):
        return "leader-of-the-council"
    if re.search(r"\bchair(?:man|woman|person)?\b", t) and "vice" not in t:
        return "chair"
    if re.search(r"\bminister\b|\bsecretary of state\b|\bunder-secretary\b", t):
        return "minister"
    if re.search(r"\blead inspector\b|^hmi$", t):
        return "lead-inspector"
    if re.search(r"\bimprovement advis[eo]r\b", t):
        return "improvement-adviser"
    if re.search(r"\bauthor\b", t):
        return "report-author"
    if re.search(r"\bcontact\b|\bask for\b|\benquiries\b", t):
        return "contact-officer"
    return slug(t)


# ------------------------------------------------------------------------------- names

@dataclass(frozen=True)
class ParsedName:
    title: str | None
    honours: str | None
    words: tuple[str, ...]  # the name without honorifics or post-nominals

    @property
    def surname(self) -> str:
        return self.words[-1]

    @property
    def given(self) -> tuple[str, ...]:
        return self.words[:-1]

    @property
    def full(self) -> bool:
        """A given name written out, not only initials."""
        return any(len(w.rstrip(".")) > 1 for w in self.given)

    @property
    def initials(self) -> str:
        return "".join(w[0].upper() for w in self.given)

    @property
    def name(self) -> str:
        return " ".join(self.words)


def parse_name(raw: str) -> ParsedName | None:
    """Split honorifics and post-nominals off a written name; None when what is left is not
    name-shaped ("Head of Service", "Ofsted Inspection")."""
    s = " ".join(raw.replace("(", " ").replace(")", " ").replace(",", " ").split())
    words = s.split(" ")
    titles: list[str] = []
    while words and words[0].rstrip(".").lower() in _HONORIFIC_TITLE.keys() | {"the", "rt", "hon", "right", "honourable"}:
        w = words.pop(0).rstrip(".").lower()
        if w in _HONORIFIC_TITLE and _HONORIFIC_TITLE[w] not in titles:
            titles.append(_HONORIFIC_TITLE[w])
    honours: list[str] = []
    while words and re.fullmatch(_POST_ALT, words[-1]):
        honours.insert(0, words.pop())
    if not words or len(words) > 5:
        return None
    for w in words:
        if not re.fullmatch(rf"{_INITIAL}|{_TOKEN}", w) or w.lower().rstrip(".") in _STOP:
            return None
        if w.lower()[:3] in _MONTHS and w.lower() in _MONTHS:
            return None
    if len(words[-1].rstrip(".")) < 2:
        return None
    if any(_NOT_NAME_ENDING.search(w) for w in words):
        return None
    if len(words) == 1 and not titles:
        return None
    return ParsedName(" ".join(titles) or None, " ".join(honours) or None, tuple(w.rstrip(".") for w in words))


def _is_place(name: str) -> bool:
    from loaders.reference.councils import find_councils

    return any(b - a >= len(name) - 1 for a, b, _ in find_councils(name))


def person_ref(name: str, org: OrgRef | None = None) -> PersonRef | None:
    """The PersonRef for a name as written, under the identity rule of this module (no merging
    with other mentions: use the report's ctx.values["people"] for that)."""
    parsed = parse_name(name)
    if parsed is None:
        return None
    return _ref(parsed, org)


def _ref(parsed: ParsedName, scope: OrgRef | str | None, canonical: ParsedName | None = None) -> PersonRef:
    p = canonical or parsed
    name = p.name.replace("’", "'")  # one spelling of "O'Rourke" whichever quote the report types
    if p.full:
        # middle initials are dropped from the name as from the key, so a person named with and
        # without them in two reports keeps one name
        name = " ".join(w for w in p.words if len(w) > 1).replace("’", "'")
        key = slug(name)
    else:
        key = slug(" ".join([*p.given, p.surname]))
        if scope is not None:
            key = f"{key}--{slug(scope.name if isinstance(scope, OrgRef) else scope)}"
    return PersonRef(key=key, name=name, title=parsed.title or p.title, honours=parsed.honours or p.honours)


def looks_like_person_line(s: str) -> bool:
    """A line that is only a person's name ("Tony Kershaw", "Cllr Jane Smith OBE")."""
    m = _CANDIDATE.fullmatch(s.strip())
    if not m:
        return False
    parsed = parse_name(m.group())
    return parsed is not None and (parsed.full or parsed.title is not None) and len(parsed.words) <= 4


# ------------------------------------------------------------------------------- mentions

@dataclass
class _Mention:
    parsed: ParsedName
    start: int  # of the name as written, honorific included
    end: int
    written: str


@dataclass
class _Role:
    mention: _Mention
    title: str  # as written
    slug: str
    org: OrgRef | None
    ev_start: int
    ev_end: int
    own_org: bool = False  # the org was stated, not assumed
    no_org: bool = False  # "his Director": the org is someone else's
    start: PartialDate | None = None
    end: PartialDate | None = None
    appointed_by: OrgRef | None = None


@dataclass
class _State:
    text: str
    publisher: OrgRef | None
    on: PartialDate | None
    trust: str | None
    mentions: list[_Mention] = field(default_factory=list)
    roles: list[_Role] = field(default_factory=list)


def _org(name: str, st: _State) -> OrgRef | None:
    """An organisation a report names next to a person: a council through the register, a known
    national body, or any name ending like an organisation ("... Trust", "... Board")."""
    from loaders.reference.councils import resolve_council

    name = " ".join(name.split()).strip(" ,.;:()")
    name = re.sub(r"^the\s+", "", name, flags=re.I)
    name = re.sub(r"['’]s$", "", name)
    if not name:
        return None
    if name.lower() in ("trust", "the trust") and st.trust:
        name = st.trust
    if name.lower() in ("council", "county council", "borough council", "city council", "authority", "local authority"):
        return st.publisher
    known = _KNOWN_ORGS.get(name.lower())
    if known:
        return OrgRef(known[0], kind=known[1])
    council = resolve_council(name, st.on)
    if council is not None:
        return council
    if _ORG_END.search(name) and len(name.split()) >= 2:
        kind = "trust" if name.endswith("Trust") else "board" if name.endswith("Board") else "organisation"
        if name.endswith("Council"):
            return None  # a council the register does not know: not safe to mint
        if all(w.lower().strip("'’s") in _STOP for w in name.split()):
            # "the Improvement Board", "the Trust Board": every council has one, so it is named
            # by the trust or council it belongs to
            if name.startswith("Trust ") and st.trust:
                name = st.trust + name[len("Trust") :]
            elif st.publisher is not None:
                name = f"{st.publisher.name} {name}"
            else:
                return None
        return OrgRef(name, kind=kind)
    return None


def _split_role(role: str, st: _State) -> tuple[str, OrgRef | None]:
    """'Chief Executive of Hampshire County Council' -> ('Chief Executive', Hampshire County
    Council); 'Director of Children's Services' stays whole."""
    for m in re.finditer(r"(?=\s+(?:of|for)\s+(?:the\s+)?(?P<x>.+)$)", role):
        org = _org(m["x"], st)
        if org is not None:
            return role[: m.start()], org
    return role, None


def _candidates(text: str, start: int = 0, end: int | None = None) -> Iterable[_Mention]:
    end = len(text) if end is None else end
    for m in _CANDIDATE.finditer(text, start, end):
        hon = m["hon"] or ""
        seq_start, seq_end = m.span("seq")
        if not hon and text.find(" ", seq_start, seq_end) < 0:
            # one word (the words of a sequence are parted by spaces) and no title: no run below
            # could have two words, and a one-word run needs a title (most capitalised words)
            continue
        words = [(w.start(), w.end()) for w in _WORD.finditer(text, seq_start, seq_end)]
        # runs of name words between the genre's common words
        runs: list[list[tuple[int, int]]] = [[]]
        for a, b in words:
            word = text[a:b]
            if word.lower().rstrip(".") in _STOP or (len(word) > 1 and word.isupper()):
                runs.append([])
            else:
                runs[-1].append((a, b))
        for i, run in enumerate(runs):
            if not run:
                continue
            first = i == 0 and run[0][0] == seq_start
            if len(run) == 1 and not (first and hon):
                continue  # one word and no title: parse_name would refuse it (the commonest case)
            a, b = run[0][0], run[-1][1]
            post = m["post"] if (i == len(runs) - 1 and run[-1][1] == m.end("seq") and m["post"]) else ""
            written = (hon if first else "") + text[a:b] + (post or "")
            parsed = parse_name(written)
            if parsed is None or len(parsed.words) > 4:
                continue
            if parsed.title is None and (len(parsed.words) < 2):
                continue
            nxt = _WORD.match(text, b + 1) if text[b : b + 1] in (" ", "\t") else None
            if parsed.title is None and nxt and nxt.group().lower() in _THING_NOUNS:
                continue
            if parsed.surname.lower() in _PLACE_ENDINGS:
                continue  # "Sir John Cass House", "Dr Jane Smith Road"
            if nxt and nxt.group().lower() in _NAMED_AFTER_NOUNS:
                continue  # "Sir John Cass School", "Lady Margaret Hall": named after a person, not one
            s = m.start() if first and hon else a
            e = (m.end("post") if post else b)
            yield _Mention(parsed, s, e, text[s:e])


_DATE_LEAD = re.compile(r"(?:\b(?:on|from|in|since|of|effect\s+from|effective|until|till|by)|[,(])\s*(?:the\s+)?$", re.I)
_SENTENCE_DATE = re.compile(r"^\W*(?:\d+(?:\.\d+)*\.?\s+)?(?:on|in|from|since|with\s+effect\s+from)\s+$", re.I)


def _cued_date(text: str, a: int, b: int, cue: re.Pattern[str]) -> PartialDate | None:
    """The date an appointment or departure took effect: the first date after the cue word that
    reads as its time ("appointed, from 4 June 2019", "left in March 2018"), else a date that
    opens the sentence ("On 5 March 2018, the DfE appointed ...")."""
    cues = list(cue.finditer(text, a, b))
    if not cues:
        return None
    dates = find_dates(text, a, b, years=True)
    for m in cues:
        for d in dates:
            between = text[max(m.end(), d.start - 25) : d.start]
            if m.end() <= d.start <= m.end() + 80 and (not between.strip() or _DATE_LEAD.search(between)):
                return d.date
    for d in dates:
        if d.start < cues[0].start() and _SENTENCE_DATE.match(text[a : d.start]):
            return d.date
    return None


def _dates_for(text: str, a: int, b: int) -> tuple[PartialDate | None, PartialDate | None]:
    """Start or end dates stated in text[a:b] with an appointment or leaving cue."""
    start = _cued_date(text, a, b, _START_CUE)
    end = _cued_date(text, a, b, _END_CUE)
    if start is not None and end is not None and end < start:
        end = None
    return start, end


def _appointer(seg: str) -> OrgRef | None:
    """Children's services appointments in the genre are made by the DfE or its Secretary of State."""
    return OrgRef("Department for Education", kind="government") if _APPOINTER.search(seg) else None


_IN_PLACE = re.compile(r"[ \t]+in[ \t]+(?:the[ \t]+)?(?P<p>[A-Z][\w'’\-]*(?:[ \t]+[A-Z][\w'’\-]*)*)")


def _add_role(st: _State, men: _Mention, title: str, det: str | None, tail_from: int, sent, text: str) -> None:
    """Record that `men` holds the role `title` (as written); its organisation is the one the role
    or the words after it name, if any."""
    title = " ".join(title.split()).strip(" ,")
    det_words = (det or "").lower().split()
    ended = None
    if any(w in ("former", "previous") for w in det_words):
        _, ended = _dates_for(text, sent.start, sent.end)
        if ended is None:
            return  # a past role with no date says nothing usable
    if not title:
        return
    role_title, org = _split_role(title, st)
    own = org is not None
    if org is None:
        t = _ORG_TAIL.match(text, tail_from, sent.end)
        if t:
            org = _org(t["org"], st)
            own = org is not None
            if org is None and re.search(r"director|head", role_title, re.I) and t.group().lstrip().startswith(","):
                extra = t["org"]
                if re.search(r"child|famil|people|young|education|learning|care", extra, re.I):
                    role_title = f"{role_title}, {extra}"
    if org is None:  # "Commissioner for Children's Services in West Sussex"
        pm = _IN_PLACE.match(text, tail_from, sent.end)
        if pm:
            org = _org(pm["p"], st)
            own = org is not None
    no_org = bool(det_words) and det_words[0] in ("his", "her", "their", "its")
    if org is None and det_words and det_words[0] == "its":
        # "The Council has appointed X as its Director": the body the sentence opens with
        subject = re.search(r"\b(?:the[ \t]+)?(Council|Authority|Trust)\b", text[sent.start : men.start], re.I)
        if subject:
            org = _org(subject.group(1), st)
            no_org = org is None
    st.roles.append(_Role(men, role_title, role_slug(role_title), org, sent.start, sent.end, own, no_org, end=ended))


def _capitalised(s: str) -> str:
    """'JANE SMITH, HEAD OF SERVICE' -> 'Jane Smith, Head of Service', keeping every offset."""
    small = {"of", "and", "for", "the", "in", "to", "on", "at", "by"}
    return re.sub(
        r"[A-Za-z]+(?:['’][A-Za-z]+)?",
        lambda m: m.group().lower() if m.group().lower() in small and m.start() else m.group().capitalize(),
        s,
    )


def _scan_fields(st: _State) -> None:
    for f in front_matter(st.text, keys=tuple(PERSON_FIELD_ROLES)):
        text = st.text
        if f.value.isupper():  # "CONTACT OFFICER: JANE SMITH": read the value as if capitalised
            text = text[: f.start] + _capitalised(f.value) + text[f.end :]
        found = list(_candidates(text, f.start, f.end))
        cands = [c for c in found if c.start == f.start]
        if not cands:
            # "Portfolio: Children and Young People - Cllr Sam Hughes": the name after the area,
            # taken only when an honorific marks it as a person
            cands = [c for c in found if c.parsed.title is not None][:1]
        if not cands:
            continue
        men = cands[0]
        st.mentions.append(men)
        line_end = text.find("\n", f.end)
        line_end = len(text) if line_end < 0 else line_end
        label_start = text.rfind("\n", 0, f.start) + 1
        ev = (label_start, max(f.end, line_end))
        label_title = _label_title(f.written_label or f.label)
        slugs = PERSON_FIELD_ROLES[f.key] or (role_slug(label_title),)
        if f.label.startswith("report "):  # "Report of:", "Report by:" name who wrote it
            slugs = ("report-author",)
        if f.label in ("report author and contact details", "author and contact details"):
            slugs = ("report-author", "contact-officer")
        if men.start > f.start:
            before = _ROLE_BEFORE.search(text[f.start : men.start])
            if before and before["role"] and before["sep"].strip():
                _add_role(st, men, before["role"], before["det"], men.end, _Span(*ev), text)
        # a role stated in the value: "Nicola Clemo (Chief Executive, Slough Children's Services Trust)"
        after = _ROLE_AFTER.match(text, men.end, f.end)
        stated = None
        if after and after["sep"].strip():
            _add_role(st, men, after["role"], after["det"], after.end("role"), _Span(*ev), text)
            stated = st.roles[-1].slug if st.roles and st.roles[-1].mention is men else None
        for s in slugs:
            if s == stated:
                continue  # "Portfolio: Cllr Bedi – Cabinet Member for ..." says it better than the label
            title = "Report Author" if s == "report-author" and len(slugs) == 2 else label_title
            st.roles.append(_Role(men, title, s, st.publisher, *ev))


def _label_title(label: str) -> str:
    """'CONTACT OFFICER' -> 'Contact Officer'; 'if calling please ask for' -> 'If calling please ask for'."""
    words = label.split()
    if label.isupper():  # keep acronyms such as SLT, CLT
        words = [w if len(w) <= 4 and not re.search(r"[AEIOU]", w) else w.title() for w in words]
    label = " ".join(words)
    return label[:1].upper() + label[1:]


@dataclass(frozen=True)
class _Span:
    start: int
    end: int


def _sentence_finder(text: str):
    """sentence_at for many positions: one pass over the sentences, then binary search."""
    spans = sentences(text)
    starts = [s.start for s in spans]

    def at(pos: int):
        i = bisect.bisect_right(starts, pos) - 1
        if i >= 0 and spans[i].start <= pos < spans[i].end:
            return spans[i]
        return sentence_at(text, pos)

    return at


def _scan_text(st: _State) -> None:
    text = st.text
    sentence_of = _sentence_finder(text)
    taken = {m.start for m in st.mentions}
    for men in _candidates(text):
        if men.start in taken:
            continue
        sent = sentence_of(men.start)
        if not (sent.start <= men.start < sent.end):
            sent = _Span(text.rfind("\n", 0, men.start) + 1, men.end)
        left_from = max(sent.start, men.start - 160)
        # a sign-off's role sits on the next line: let the left context of a line reach one line up
        left = text[left_from : men.start]
        found = False
        before = _ROLE_BEFORE.search(left)
        if before and (before["role"] or before["chaired"]):
            if before["chaired"]:
                board = _CHAIRED_BODY.search(text[sent.start : left_from + before.start()])
                org = _org(board["b"], st) if board else None
                st.roles.append(_Role(men, "Chair", "chair", org, sent.start, sent.end, org is not None))
                found = True
            elif before["sep"].strip() or (
                (men.parsed.full or men.parsed.title) and not _ends_line(text, men) and _STRONG_HEAD.match(before["role"])
            ):
                _add_role(st, men, before["role"], before["det"], men.end, sent, text)
                found = True
                head = left[: before.start("role") if not before["det"] else before.start("det")]
                owner = _OWNER.search(head) if not before["det"] else None
                if owner is not None and not st.roles[-1].own_org:
                    # "The Trust's Chair, X": the owner named before the title
                    org = _org(owner["o"], st)
                    if org is not None:
                        st.roles[-1].org, st.roles[-1].own_org = org, True
                chaired = _CHAIRED_TAIL.search(head)
                if chaired:
                    # "a Board chaired by the Chief Executive, X": X holds both
                    board = _CHAIRED_BODY.search(text[sent.start : left_from + chaired.start()])
                    org = _org(board["b"], st) if board else None
                    st.roles.append(_Role(men, "Chair", "chair", org, sent.start, sent.end, org is not None))
        chairs = _CHAIRS.match(text, men.end, sent.end)
        if chairs:
            org = _org(chairs["b"], st)
            st.roles.append(_Role(men, "Chair", "chair", org, sent.start, sent.end, org is not None))
            found = True
        after = None if chairs else _ROLE_AFTER.match(text, men.end, min(len(text), men.end + 200))
        if after:
            sep = after["sep"]
            if "\n" in sep:
                # a sign-off: the name alone on its line, the title alone on the next
                le = text.find("\n", after.end("role"))
                le = len(text) if le < 0 else le
                role_line = _role_line_title(text, after.start("role"), le)
                rest = text[after.end("role") : le]
                if (
                    _alone_on_line(text, men)
                    and len(role_line.split()) <= 12
                    and not role_line.endswith(".")
                    and not re.search(r"\b(?!(?:of|and|for|the|in)\b)[a-z]+\b", rest)  # a title, not a sentence
                ):
                    title, org = _split_role(role_line, st)
                    st.roles.append(_Role(men, title, role_slug(title), org, men.start, le, org is not None))
                    found = True
            elif _CLAUSE_AFTER.match(text, after.end("role")):
                pass  # the title opens a new clause: it is someone else's
            elif sep.strip() and not _names_next(text, after.end("role")):
                _add_role(st, men, after["role"], after["det"], after.end("role"), sent, text)
                found = True
            elif _STRONG_HEAD.match(after["role"]) and (
                men.parsed.title is not None or _alone_on_line(text, men, tail_ok=True)
            ):
                # "Councillor Barbara Cassidy Cabinet Member Children's Services": no separator at all
                _add_role(st, men, after["role"], after["det"], after.end("role"), sent, text)
                found = True
        if after and after["sep"].strip() == "(":
            close = re.compile(r"[ \t]*\)").match(text, after.end("role"))
            again = _ROLE_AFTER.match(text, close.end(), min(len(text), close.end() + 200)) if close else None
            if again and again["sep"].strip() in ("-", "–", "—", ",") and not _CLAUSE_AFTER.match(text, again.end("role")):
                _add_role(st, men, again["role"], again["det"], again.end("role"), sent, text)
                found = True
        appointed = _APPOINTED_AS.search(left)
        if appointed:
            asr = _AS_ROLE.match(text, men.end, sent.end)
            if asr:
                _add_role(st, men, asr["role"], asr["det"], asr.end("role"), sent, text)
                found = True
        if found or men.parsed.title is not None or (men.parsed.full and men.parsed.honours):
            st.mentions.append(men)


# a role after a comma that a verb follows is the subject of a new clause, not an apposition:
# "following the report of Professor X, the Secretary of State has issued a direction"
_CLAUSE_AFTER = re.compile(
    r"[ \t]+(?:has|have|had|is|are|was|were|will|would|shall|should|may|must|can|could|did|does|today|then|"
    r"issued|issues|said|says|wrote|writes|appointed|appoints|decided|decides|agreed|agrees|confirmed|announced|"
    r"approved|directed|requires|required|asked|made|wishes|considered)\b(?![ \t]+by\b)"
)


def _soft_wrapped(text: str) -> str:
    """The text with the line breaks of hard-wrapped prose turned into spaces (same length, so
    every offset holds): a break is soft when the line before is long enough to be wrapped prose
    and the sentence visibly runs on (the next line starts in lower case, or the line before ends
    with a lower-case word, a comma or a name's honorific and given name). Breaks before list
    items, table rows and labels, and every break of a short line, stay."""
    soft: list[int] = []
    for m in re.finditer(r"\n", text):
        ls = text.rfind("\n", 0, m.start()) + 1
        prev = text[ls : m.start()].rstrip()
        le = text.find("\n", m.end())
        nxt = text[m.end() : len(text) if le < 0 else le].lstrip(" \t")
        if len(prev) < 40 or not nxt or re.match(r"[-•*|+\u2022(]|\d+(?:\.\d+)*[.)]?\s|[A-Z][\w ()'’/-]{0,40}(?::|\t)", nxt):
            continue
        if (
            re.match(r"[a-z]", nxt)
            or re.search(r"(?:\s[a-z][\w'’-]*|,)$", prev)
            or re.search(rf"(?:^|\s){_HON}\.?(?:[ \t]+[A-Z][a-z]+)?$", prev)
        ):
            soft.append(m.start())
    if not soft:
        return text
    parts, last = [], 0
    for i in soft:
        parts += [text[last:i], " "]
        last = i + 1
    parts.append(text[last:])
    return "".join(parts)


# \b(?:Councillors|Cllrs): the boundary tested after the "C", so the scan can skip to each "C"
_PLURAL_HON = re.compile(r"C(?<=\bC)(?:ouncillors|llrs)\.?[ \t]+")
_LIST_ITEM = re.compile(rf"(?:[ \t]*\([^()\n]{{1,40}}\))?(?:[ \t]*,[ \t]*|[ \t]+and[ \t]+|[ \t]*&[ \t]*)(?P<n>(?:{_INITIAL}[ ]+)*{_TOKEN}(?:[ ]+{_TOKEN})?)")
# attendance lists of minutes: every full name in them is a person, role or not
_ATTENDANCE = re.compile(
    r"^[ \t*#>]*(?:Present|Also[ \t]+present|In[ \t]+attendance|Attendees|Members[ \t]+present|"
    r"Apologies(?:[ \t]+for[ \t]+absence)?(?:[ \t]+(?:were[ \t]+)?received[ \t]+from)?)[ \t]*(?::|[–—-][ \t])",
    re.I | re.M,
)


def _scan_lists(st: _State) -> None:
    """Names that carry no role of their own: "Councillors B Smith, C Jones and D Brown" (each
    is a councillor) and the names of Present:/Apologies: lists in minutes."""
    text = st.text
    spans = [(m.start, m.end) for m in st.mentions]

    def free(a: int, b: int) -> bool:
        return not any(a < e and s < b for s, e in spans)

    def add(men: _Mention) -> None:
        st.mentions.append(men)
        spans.append((men.start, men.end))

    for hon in _PLURAL_HON.finditer(text):
        first = _CANDIDATE.match(text, hon.end())
        if not first or not first["seq"]:
            continue
        pos = first.end("seq")
        for item in [first, *_iter_list_items(text, pos)]:
            a, b = item.start("seq") if item is first else item.start("n"), item.end("seq") if item is first else item.end("n")
            parsed = parse_name("Cllr " + text[a:b])
            if parsed is not None and len(parsed.words) <= 3 and free(a, b):
                add(_Mention(parsed, a, b, text[a:b]))
    for label in _ATTENDANCE.finditer(text):
        block_end = text.find("\n\n", label.end())
        block_end = len(text) if block_end < 0 else block_end
        for men in _candidates(text, label.end(), min(block_end, label.end() + 2000)):
            if (men.parsed.full or men.parsed.title is not None) and free(men.start, men.end):
                add(men)


def _top_alternatives(group: str) -> list[str]:
    """The alternatives of a pattern written "(?:a|b(?:c|d)|e)", split at its own bars only."""
    assert group.startswith("(?:") and group.endswith(")")
    out, depth, start, i = [], 0, 3, 3
    while i < len(group) - 1:
        c = group[i]
        if c == "\\":
            i += 1
        elif c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(group[start:i])
            start = i + 1
        i += 1
    out.append(group[start : len(group) - 1])
    return out


# The first character of any match of _DET followed by ROLE: a determiner's, else a qualifier's, else
# a title's (each written starting with a plain letter), as a look-ahead in front of _ROLES_ARE. It
# changes no match, but turns most words of a long line away before the alternations are tried.
_ROLE_FIRST = "(?=[" + "".join(sorted(
    set("TtHhIiOoanfp")  # [Tt]he [Hh]is [Hh]er [Tt]heir [Ii]ts [Oo]ur an? new former previous then
    | {w[0] for w in _QUAL_WORDS}
    | {alt[0] for alt in _top_alternatives(_HEAD)}
)) + "])"
# "His Majesty's Inspectors for this visit were X and Y", "The lead inspectors are X, Y and Z"
_ROLES_ARE = re.compile(
    rf"{_ROLE_FIRST}{_DET}(?P<role>{ROLE})(?P<plural>s)?(?:[ \t]+(?:for|on|during|of)[ \t]+(?:this|the)[ \t]+[a-z]+)?[ \t]+(?:were|are)[ \t]+"
)
# what every match of _ROLES_ARE holds; like it, never across a line break
_ROLES_ARE_NEEDS = re.compile(r"[ \t](?:were|are)[ \t]")


def _scan_role_lists(st: _State) -> None:
    text = st.text
    sentence_of = _sentence_finder(text)
    by_start = {m.start: m for m in st.mentions}
    for m in finditer_lines(_ROLES_ARE, text, _ROLES_ARE_NEEDS):
        sent = sentence_of(m.start())
        pos, names = m.end(), []
        while pos < sent.end:
            men = by_start.get(pos) or next(
                (c for c in _candidates(text, pos, sent.end) if c.start == pos and (c.parsed.full or c.parsed.title)), None
            )
            if men is None:
                break
            names.append(men)
            sep = re.compile(r"[ \t]*,[ \t]*(?:and[ \t]+)?|[ \t]+and[ \t]+").match(text, men.end)
            if not sep:
                break
            pos = sep.end()
        if len(names) < 2 and not m["plural"]:
            continue  # one name after a singular title is the ordinary "The Chair is X" case
        for men in names:
            if men.start not in by_start:
                st.mentions.append(men)
                by_start[men.start] = men
            if not any(r.mention is men for r in st.roles):
                _add_role(st, men, m["role"], m["det"], men.end, sent, text)


def _iter_list_items(text: str, pos: int):
    while True:
        m = _LIST_ITEM.match(text, pos)
        if not m:
            return
        yield m
        pos = m.end()


_UPPER_LINE = re.compile(r"^[ \t]*(?P<t>[A-Z][A-Z.'’,&\- ]{3,120}?)[ \t]*$", re.M)


def _capitalised_sign_offs(text: str) -> str:
    """"JANE DOE" over "DIRECTOR OF CHILDREN'S SERVICES": a sign-off in capitals, read as if it were
    capitalised (same offsets) so the sign-off rule sees a name over a title."""
    lines = [m for m in _UPPER_LINE.finditer(text) if re.search(r"[A-Z]{2}", m["t"])]
    swaps: list[tuple[int, int, str]] = []
    for a, b in zip(lines, lines[1:]):
        if text[a.end() : b.start()].count("\n") > 2 or text[a.end() : b.start()].strip():
            continue  # not the next line (one blank line between is allowed)
        name, role = _capitalised(a["t"]), _capitalised(b["t"])
        if looks_like_person_line(name) and _STRONG_HEAD.match(role):
            swaps += [(a.start("t"), a.end("t"), name), (b.start("t"), b.end("t"), role)]
    if not swaps:
        return text
    parts, last = [], 0
    for i, j, repl in sorted(set(swaps)):
        parts += [text[last:i], repl]
        last = j
    parts.append(text[last:])
    return "".join(parts)


def _names_next(text: str, pos: int) -> bool:
    """"Sir Alan Wood, the Children's Commissioner, Anne Longfield": a role between two names
    belongs to the one after it."""
    m = re.compile(r"[ \t]*,[ \t]*").match(text, pos)
    if not m:
        return False
    nxt = next(iter(_candidates(text, m.end(), min(len(text), m.end() + 80))), None)
    return nxt is not None and nxt.start == m.end() and (nxt.parsed.full or nxt.parsed.title is not None)


# "X chairs the Improvement Board", "Lord X CBE, who chairs the Children's Partnership"
_CHAIRS = re.compile(
    r"[ \t]*,?[ \t]+(?:who[ \t]+)?(?:also[ \t]+|now[ \t]+|currently[ \t]+)?(?:chairs|co-chairs|jointly[ \t]+chairs|will[ \t]+chair|has[ \t]+chaired|chaired)"
    r"[ \t]+(?:the[ \t]+|our[ \t]+)?(?P<b>(?:[A-Z][\w'’\-]*[ \t]+(?:(?:of|for|and|&)[ \t]+(?:the[ \t]+)?)?)*"
    r"(?:Board|Sub-Board|Panel|Group|Partnership|Committee|Forum|Commission|Council|Trust))\b"
)
_CHAIRED_TAIL = re.compile(r"\b(?:chaired|co-chaired|jointly[ \t]+chaired)[ \t]+by[ \t]+(?:the[ \t]+)?$")
_OWNER = re.compile(r"(?:\b[Tt]he[ \t]+)?(?P<o>(?:[A-Z][\w\-]*[ \t]+){0,5}[A-Z][\w\-]*)['’]s[ \t]+$")
_CHAIRED_BODY = re.compile(r"(?P<b>(?:[A-Z][\w'’\-]*\s+)*(?:Board|Panel|Group|Partnership|Committee|Forum))\b[^.]*$")


def _ends_line(text: str, men: _Mention) -> bool:
    le = text.find("\n", men.end)
    return not text[men.end : len(text) if le < 0 else le].strip(" \t*#|")


def _alone_on_line(text: str, men: _Mention, tail_ok: bool = False) -> bool:
    ls = text.rfind("\n", 0, men.start) + 1
    le = text.find("\n", men.end)
    le = len(text) if le < 0 else le
    before = text[ls : men.start].strip(" \t*#|>")
    after = text[men.end : le].strip(" \t*#|")
    return not before and (not after or tail_ok)


def _role_line_title(text: str, a: int, b: int) -> str:
    s = text[a:b]
    for dm in find_dates(s, years=True):
        s = s[: dm.start]
        break
    return " ".join(s.split()).strip(" ,*|-–—")


# \b[Aa]ppointed\b..., its first letter taken first (and the boundary before it tested after it),
# so the scan skips to each "A" and "a" instead of testing a word boundary at every character
_APPOINTED_ROLE = re.compile(rf"[Aa](?<=\b[Aa])ppointed\b(?!\s+by\b)(?P<mid>[^.]{{0,60}}?)\b(?:[Aa]n?|[Tt]he)\s+(?P<role>{ROLE})")


def _appointments(st: _State) -> None:
    """"On 5 March 2018, the DfE appointed a Children's Commissioner for Buckinghamshire. The
    Commissioner is John Coughlan": the date, the appointer and the place of an appointment
    stated without a name go to the named holder of that role in the next sentences."""
    text = st.text
    rx = _APPOINTED_ROLE
    sentence_of = _sentence_finder(text)
    for m in rx.finditer(text):
        sent = sentence_of(m.start())
        slug_ = role_slug(m["role"])
        start, _ = _dates_for(text, sent.start, sent.end)
        by = _appointer(text[sent.start : sent.end])
        title, org = _split_role(m["role"], st)
        if org is None:
            pm = _IN_PLACE.match(text, m.end(), sent.end)
            if pm:
                org = _org(pm["p"], st)
        for r in st.roles:
            if r.slug == slug_ and sent.start <= r.ev_start <= sent.end + 400 and r.ev_start >= sent.start:
                if r.start is None and start is not None:
                    r.start = start
                    r.ev_start = sent.start
                r.appointed_by = r.appointed_by or by
                if org is not None and not r.own_org:
                    r.org, r.own_org = org, True


def _role_dates(st: _State) -> None:
    for r in st.roles:
        if r.start is None and r.end is None and r.slug not in ("contact-officer", "report-author"):
            r.start, r.end = _dates_for(st.text, r.ev_start, r.ev_end)
            seg = st.text[r.ev_start : r.ev_end]
            if re.search(r"\bappointed\b", seg):
                r.appointed_by = r.appointed_by or _appointer(seg)


_TRUST_NAME = re.compile(r"\b((?:[A-Z][\w'’]*[ \t]+){1,6}Trust)\b")  # within a line
_TRUST_WORD = re.compile(r"Trust")


def _defined_trust(text: str) -> str | None:
    """The trust a report calls "the Trust": the trust it names most often in full."""
    names = [m.group(1) for m in finditer_lines(_TRUST_NAME, text, _TRUST_WORD)]
    names = [re.sub(r"^(?:The|This|A|Our)\s+", "", n) for n in names]
    names = [n for n in names if len(n.split()) >= 2 and n.split()[0] not in ("NHS", "Foundation")]
    return Counter(names).most_common(1)[0][0] if names else None


# ------------------------------------------------------------------------------- identity

def resolve_people(mentions: list[tuple[ParsedName, OrgRef | str | None]]) -> list[PersonRef]:
    """PersonRefs for the mentions of one report, in order, under the module's identity rule."""
    fulls: dict[tuple[str, str], ParsedName] = {}
    for p, _ in mentions:
        if p.full:
            k = (p.given[0].lower(), p.surname.lower())
            if k not in fulls or len(p.words) > len(fulls[k].words):
                fulls[k] = p
    out: list[PersonRef] = []
    for p, org in mentions:
        if p.full:
            out.append(_ref(p, org, fulls[(p.given[0].lower(), p.surname.lower())]))
            continue
        partners = [
            f for f in fulls.values()
            if f.surname.lower() == p.surname.lower() and f.initials.startswith(p.initials)
        ]
        out.append(_ref(p, org, partners[0]) if len(partners) == 1 else _ref(p, org))
    return out


# ------------------------------------------------------------------------------- the step

@extractor(NAME, VERSION, requires=("publisher", "report_date"), provides=("people",))
def extract_people(ctx: Context) -> Iterable[Fact]:
    text = ctx.doc.text
    publisher = ctx.values.get("publisher")
    on = ctx.values.get("report_date")
    # every step reads the unwrapped text; evidence quotes the text itself (same offsets)
    st = _State(_capitalised_sign_offs(_soft_wrapped(text)), publisher if isinstance(publisher, OrgRef) else None,
                on if isinstance(on, PartialDate) else None, _defined_trust(text))
    _scan_fields(st)
    _scan_text(st)
    _scan_lists(st)
    _scan_role_lists(st)
    st.mentions = [m for m in st.mentions if not _is_place(m.parsed.name)]
    keep = {id(m) for m in st.mentions}
    st.roles = [r for r in st.roles if id(r.mention) in keep]
    _appointments(st)
    _role_dates(st)

    for r in st.roles:
        national = r.slug in _NATIONAL_ROLES or re.search(r"inspector|minister|secretary-of-state|england|^national-", r.slug)
        if r.org is None and not r.no_org and not national and not r.own_org:
            r.org = st.publisher
        elif r.org is None and "inspector" in r.slug and re.search(r"\bOfsted\b", text[r.ev_start : r.ev_end]):
            r.org = OrgRef("Ofsted", kind="regulator")
        if r.slug == "childrens-services-commissioner" and r.appointed_by is None and re.search(r"\bDfE\b", r.title):
            r.appointed_by = OrgRef("Department for Education", kind="government")

    # identity: a partial name is scoped by the organisation it is first named with, else by the
    # publishing council, else (no council known) by the report itself; every mention of the same
    # partial name in the report gets the same scope
    default: OrgRef | str = st.publisher or f"report {ctx.doc.source_file}"
    group_scope: dict[tuple[str, str], OrgRef] = {}
    for r in st.roles:
        g = (r.mention.parsed.initials, r.mention.parsed.surname.lower())
        if r.org is not None and g not in group_scope:
            group_scope[g] = r.org
    refs = resolve_people(
        [(m.parsed, group_scope.get((m.parsed.initials, m.parsed.surname.lower()), default)) for m in st.mentions]
    )
    by_mention = {id(m): ref for m, ref in zip(st.mentions, refs)}
    canonical: dict[str, PersonRef] = {}
    for ref in refs:
        best = canonical.get(ref.key)
        canonical[ref.key] = ref if best is None else replace(
            best, title=_better_title(best.title, ref.title), honours=best.honours or ref.honours
        )
    people: dict[str, PersonRef] = {}
    for m in st.mentions:
        ref = canonical[by_mention[id(m)].key]
        people[" ".join(m.written.split())] = ref
        people[m.parsed.name] = ref
    ctx.values["people"] = people

    seen: set[str] = set()
    for m in st.mentions:
        ref = canonical[by_mention[id(m)].key]
        if ref.key in seen:
            continue
        seen.add(ref.key)
        yield PersonMention(evidence=evidence(text, m.start, m.end, NAME, VERSION, 0.9), person=ref)

    merged: dict[tuple[str, str, str], _Role] = {}
    for r in st.roles:
        ref = canonical[by_mention[id(r.mention)].key]
        k = (ref.key, r.slug, r.org.name if r.org else "")
        prev = merged.get(k)
        if prev is None:
            merged[k] = r
        else:
            if prev.start is None and r.start is not None:  # keep the evidence that states the date
                prev.start, prev.ev_start, prev.ev_end = r.start, r.ev_start, r.ev_end
            prev.end = prev.end or r.end
            prev.appointed_by = prev.appointed_by or r.appointed_by
    orgs: dict[str, tuple[OrgRef, _Role]] = {}
    for (key, _, _), r in merged.items():
        ref = canonical[key]
        yield Membership(
            evidence=evidence(text, r.ev_start, r.ev_end, NAME, VERSION, 0.85),
            person=ref,
            role=r.slug,
            role_title=r.title,
            org=r.org,
            start=r.start,
            end=r.end if (r.start is None or r.end is None or r.end >= r.start) else None,
            appointed_by=r.appointed_by,
        )
        for o in (r.org, r.appointed_by):
            if o is not None and o.name not in orgs:
                orgs[o.name] = (o, r)
    for o, r in orgs.values():
        yield OrganisationMention(evidence=evidence(text, r.ev_start, r.ev_end, NAME, VERSION, 0.8), org=o)


def _better_title(a: str | None, b: str | None) -> str | None:
    """Prefer an office (Cllr, Lord, Dr) over a courtesy title (Mr, Ms)."""
    weak = {None, "Mr", "Mrs", "Ms", "Miss", "Mx"}
    return a if a not in weak or b in weak else b
