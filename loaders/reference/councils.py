"""The council register: every English council, current and abolished, and name resolution.

Built from mySociety's register of local authorities (codes, names, dates, successions) joined
to the Data to Insight lookup (Ofsted URN, DfE number, statistical neighbours) on GSS code or
DfE number. A name resolves to the council in force at a date: a bare place name ("Dorset")
follows reorganisations, a formal name ("Dorset County Council") keeps the body it names.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path

from loaders.model import OrgRef, PartialDate

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "reference"
REGISTER_CSV = "uk-la-mysociety.csv"
NAME_LOOKUP_CSV = "uk-la-name-lookup-mysociety.csv"
GSS_LOOKUP_CSV = "uk-la-gss-lookup-mysociety.csv"
D2I_CSV = "la-lookup-d2i.csv"

# types whose councils run children's services (county, unitary, metropolitan, London borough,
# City of London)
CHILDRENS_SERVICES_TYPES = frozenset({"CTY", "UA", "MD", "LBO", "CC"})
# combined and strategic authorities are not councils
_NOT_COUNCILS = frozenset({"COMB", "SRA"})

# well-established short forms, mapped to the place name they stand for
_ABBREVIATIONS = {
    "bucks": "buckinghamshire",
    "herts": "hertfordshire",
    "hants": "hampshire",
    "notts": "nottinghamshire",
    "lancs": "lancashire",
    "leics": "leicestershire",
    "lincs": "lincolnshire",
    "northants": "northamptonshire",
    "oxon": "oxfordshire",
    "wilts": "wiltshire",
    "worcs": "worcestershire",
    "glos": "gloucestershire",
    "cambs": "cambridgeshire",
    "staffs": "staffordshire",
    "derbys": "derbyshire",
    "b and nes": "bath and north east somerset",
    "banes": "bath and north east somerset",
    "rbkc": "kensington and chelsea",
    "lbbd": "barking and dagenham",
}

# words that make a name formal (it names a body, not a place)
_FORMAL_WORDS = frozenset(
    {"council", "borough", "county", "city", "district", "authority", "corporation", "mbc", "mdc"}
)
_PREFIXES = ("the ", "london borough of ", "royal borough of ", "city and county of ", "city of ", "borough of ",
             "county of ", "council of the ", "metropolitan borough of ", "lb ", "rb ")
_SUFFIXES = (" metropolitan borough council", " metropolitan district council", " london borough council",
             " borough council", " district council", " county council", " city council", " unitary authority",
             " london boro", " council", " corporation", " mbc", " mdc", " ua", " district", " county", " city of",
             " city")
# capitalised only at the start of a sentence when not a place
_COMMON_WORDS = frozenset({"reading", "bury"})
# stems that name something larger than the council they were cut from ("City of London")
_NOT_STEMS = frozenset({"london", "the", "isles", "scilly isles"})
_SMALL_WORDS = frozenset({"and", "of", "upon", "on", "the", "in", "under", "le", "with", "by", "s"})


@dataclass(frozen=True)
class Council:
    code: str  # mySociety register code, e.g. BKM
    official_name: str
    nice_name: str
    gss: str
    dfe_number: str | None
    ofsted_urn: str | None
    la_type: str  # register type code: CTY UA MD LBO CC NMD
    la_type_name: str
    region: str | None
    start_date: str | None  # YYYY-MM-DD
    end_date: str | None
    replaced_by: tuple[str, ...]  # register codes of the successors (Cumbria had two)
    alt_names: tuple[str, ...]
    lat: float | None
    long: float | None
    former_gss: tuple[str, ...] = ()
    statistical_neighbours: tuple[str, ...] = ()  # GSS codes, nearest first
    population_0_25: int | None = None

    @property
    def childrens_services(self) -> bool:
        return self.la_type in CHILDRENS_SERVICES_TYPES

    @property
    def current(self) -> bool:
        return self.end_date is None

    def in_force(self, day: str) -> bool:
        return (self.start_date is None or self.start_date <= day) and (self.end_date is None or day <= self.end_date)

    def ref(self) -> OrgRef:
        return OrgRef(name=self.official_name, gss=self.gss, kind="council")


# ---------------------------------------------------------------------------------------------
# normalisation


@lru_cache(maxsize=65536)
def normalise(name: str) -> str:
    """Lower-case ASCII words separated by single spaces; '&' is 'and', apostrophes vanish."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    text = text.replace("&", " and ").replace("'", "").replace("\u2019", "")
    text = re.sub(r"\bsaint\b", "st", text)
    return " ".join(re.findall(r"[a-z0-9]+", text))


def _stems(name: str) -> set[str]:
    """The place name inside a council name: 'London Borough of Havering' -> 'havering'."""
    out: set[str] = set()
    todo = [normalise(name)]
    while todo:
        n = todo.pop()
        if not n or n in out:
            continue
        out.add(n)
        for p in _PREFIXES:
            if n.startswith(p):
                todo.append(n[len(p):])
        for s in _SUFFIXES:
            if n.endswith(s):
                todo.append(n[: -len(s)])
    return out


def _is_formal(norm: str) -> bool:
    return any(w in _FORMAL_WORDS for w in norm.split())


def _day(on: PartialDate | str | None) -> str | None:
    """A representative day for a partial date: mid-year or mid-month."""
    if on is None:
        return None
    value = str(on)
    PartialDate(value)  # validates
    if len(value) == 4:
        return value + "-07-01"
    if len(value) == 7:
        return value + "-15"
    return value


# ---------------------------------------------------------------------------------------------
# loading


def _read(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _float(v: str) -> float | None:
    try:
        return float(v) if v else None
    except ValueError:
        return None


def _split(v: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in v.split(",") if x.strip())


@cache
def councils() -> list[Council]:
    """Every English council in the register (current and abolished), districts included."""
    register = [
        r for r in _read(REGISTER_CSV) if r["nation"] == "England" and r["local-authority-type"] not in _NOT_COUNCILS
    ]
    known_gss = {r["gss-code"] for r in _read(GSS_LOOKUP_CSV)}
    by_gss: dict[str, dict[str, str]] = {}
    by_dfe: dict[str, dict[str, str]] = {}
    for row in _read(D2I_CSV):
        by_gss[row["la_code_new"]] = row
        by_dfe[row["la_code"]] = row
    out = [_council(r, by_gss, by_dfe, known_gss) for r in register]
    # the register leaves some abolished councils without a region; their successor covers the area
    region = {c.code: c.region for c in out}
    return [
        replace(c, region=next((region[s] for s in c.replaced_by if region.get(s)), None)) if not c.region else c
        for c in out
    ]


def _council(r: dict[str, str], by_gss: dict, by_dfe: dict, known_gss: set[str]) -> Council:
    cs_type = r["local-authority-type"] in CHILDRENS_SERVICES_TYPES
    dfe = r["old-ons-la-code"] if cs_type and r["old-ons-la-code"].isdigit() else None
    gss, former = r["gss-code"], _split(r["former-gss-codes"])
    names = set(_split_alt(r["alt-names"]))
    urn, neighbours, pop, region = None, (), None, r["region"] or None
    d2i = by_gss.get(gss) if cs_type else None
    if d2i is None and dfe in by_dfe:
        other = by_dfe[dfe]
        if other["la_code_new"] not in known_gss and not r["end-date"]:
            # the same council under a GSS code newer than the register (Barnsley, Sheffield)
            d2i, former, gss = other, former + (gss,), other["la_code_new"]
        else:
            # a successor inherited the DfE number and Ofsted URN (Buckinghamshire, North
            # Yorkshire, Somerset): the URN also finds the predecessor's inspections
            urn = other["urn"]
    if d2i is not None:
        dfe = dfe or d2i["la_code"]
        urn = d2i["urn"]
        neighbours = _split(d2i["stat_neighbours_la_code"])
        pop = int(d2i["ons_population_0-25"]) if d2i["ons_population_0-25"].isdigit() else None
        region = region or d2i["region_name"] or None
        names.add(d2i["local_authority_ons_name"])
        names.update(_split(d2i["also_known_as"].strip("[]")))
    return Council(
        code=r["local-authority-code"],
        official_name=r["official-name"],
        nice_name=r["nice-name"],
        gss=gss,
        dfe_number=dfe,
        ofsted_urn=urn,
        la_type=r["local-authority-type"],
        la_type_name=r["local-authority-type-name"],
        region=region,
        # the register dates councils it already knew in 2005 from when it began, not from their founding
        start_date=None if r["start-date"].startswith("2005-") else r["start-date"] or None,
        end_date=r["end-date"] or None,
        replaced_by=_split(r["replaced-by"]),
        alt_names=tuple(sorted(n for n in names if n and n != r["official-name"])),
        lat=_float(r["lat"]),
        long=_float(r["long"]),
        former_gss=former,
        statistical_neighbours=neighbours,
        population_0_25=pop,
    )


def _split_alt(v: str) -> list[str]:
    # alt-names is comma-separated although names like "Bristol, City of" hold a comma: drop
    # the pieces that are no name on their own ("City of"); the lookup CSV has the whole names
    return [x for x in _split(v) if any(w not in _FORMAL_WORDS | _SMALL_WORDS for w in normalise(x).split())]


@cache
def _by_code() -> dict[str, Council]:
    return {c.code: c for c in councils()}


@cache
def _by_gss() -> dict[str, Council]:
    out: dict[str, Council] = {}
    for row in _read(GSS_LOOKUP_CSV):
        c = _by_code().get(row["local-authority-code"])
        if c is not None:
            out[row["gss-code"]] = c
    for c in councils():
        for g in c.former_gss:
            out.setdefault(g, c)
        out[c.gss] = c
    return out


def council_by_gss(gss: str) -> Council | None:
    return _by_gss().get(gss.strip().upper())


def council_by_code(code: str) -> Council | None:
    return _by_code().get(code)


def councils_by_urn(urn: str) -> list[Council]:
    """Councils that held an Ofsted URN (a successor and its predecessor may share one)."""
    return [c for c in councils() if c.ofsted_urn == str(urn).strip()]


def council_in_force(candidates: list[Council], on: PartialDate | str | None) -> Council | None:
    """Of councils sharing an identifier, the one in force at `on` (the current one without a date)."""
    day = _day(on)
    live = [c for c in candidates if (c.in_force(day) if day else c.current)]
    if len(live) > 1:
        # on a changeover day the successor wins
        live = [max(live, key=lambda c: c.start_date or "")]
    return live[0] if live else None


# ---------------------------------------------------------------------------------------------
# the name index


@cache
def _index() -> dict[str, frozenset[str]]:
    """normalised name -> register codes of English councils known by it."""
    index: dict[str, set[str]] = defaultdict(set)
    by_code = _by_code()
    for row in _read(NAME_LOOKUP_CSV):
        if row["local-authority-code"] in by_code:
            index[normalise(row["la-name"])].add(row["local-authority-code"])
    for c in councils():
        names = [c.official_name, c.nice_name, *c.alt_names]
        for name in names:
            index[normalise(name)].add(c.code)
        stems = {s for name in names for s in _stems(name) if not _is_formal(s) and s not in _NOT_STEMS}
        for stem in stems:
            for variant in _variants(c, stem):
                index[variant].add(c.code)
    for short, long in _ABBREVIATIONS.items():
        if long in index:
            index[short] |= index[long]
    index.pop("", None)
    return {k: frozenset(v) for k, v in index.items()}


def _variants(c: Council, stem: str) -> list[str]:
    out = [stem, f"{stem} council"]
    official = normalise(c.official_name)
    if c.la_type == "CTY":
        out.append(f"{stem} county council")
    if c.la_type == "LBO":
        out += [f"london borough of {stem}", f"{stem} london borough council", f"{stem} borough council"]
    if c.la_type == "MD":
        out += [f"{stem} metropolitan borough council", f"{stem} metropolitan district council", f"{stem} mbc",
                f"{stem} borough council"]
    if "borough" in official.split():
        out.append(f"{stem} borough council")
    if "city" in official.split():
        out += [f"{stem} city council", f"city of {stem} council", f"city of {stem}"]
    if "district" in official.split():
        out.append(f"{stem} district council")
    return out


def _candidates(norm: str) -> frozenset[str]:
    index = _index()
    if norm in index:
        return index[norm]
    for stem in sorted(_stems(norm), key=len, reverse=True):
        if stem in index:
            return index[stem]
    return frozenset()


def _choose(codes: frozenset[str], formal: bool, day: str | None) -> Council | None:
    by_code = _by_code()
    cands = [by_code[c] for c in codes]
    if day is not None:
        live = [c for c in cands if c.in_force(day)]
        if live:
            cands = live
        else:
            mapped = {m.code: m for c in cands for m in _in_force_equivalents(c, day, formal)}
            if len(mapped) == 1:
                cands = list(mapped.values())
    if len(cands) > 1:
        cs = [c for c in cands if c.childrens_services]
        cands = cs or cands
    if len(cands) > 1 and day is not None:
        # on a changeover day a council and its successor are both in force: the successor wins
        successors = [c for c in cands if any(c.code in p.replaced_by for p in cands)]
        cands = successors if len(successors) == 1 else cands
    if len(cands) > 1 and day is None:
        current = [c for c in cands if c.current]
        cands = current or cands
    return cands[0] if len(cands) == 1 else None


def _in_force_equivalents(c: Council, day: str, formal: bool) -> list[Council]:
    """The councils that stood for `c`'s area on `day`: predecessors running children's services
    for a council not yet created; for an abolished one named as a place, its successors."""
    by_code = _by_code()
    if c.start_date and day < c.start_date:
        preds = [p for p in councils() if c.code in p.replaced_by and p.childrens_services]
        out = []
        for p in preds:
            out += [p] if p.in_force(day) else _in_force_equivalents(p, day, formal)
        return out
    if c.end_date and day > c.end_date and not formal:
        out = []
        for code in c.replaced_by:
            s = by_code.get(code)
            if s is not None and s.childrens_services:
                out += [s] if s.in_force(day) else _in_force_equivalents(s, day, formal)
        return out
    return []


def resolve_council_record(name: str, on: PartialDate | str | None = None) -> Council | None:
    """The council a name stands for at date `on`; None for unknown or ambiguous names."""
    norm = normalise(name)
    if not norm:
        return None
    if norm in _ABBREVIATIONS:
        norm = _ABBREVIATIONS[norm]
    codes = _candidates(norm)
    if not codes:
        return None
    return _choose(codes, _is_formal(norm), _day(on))


def resolve_council(name: str, on: PartialDate | str | None = None) -> OrgRef | None:
    """OrgRef(official name, GSS, kind='council') of the council a name means at date `on`."""
    c = resolve_council_record(name, on)
    return c.ref() if c is not None else None


# ---------------------------------------------------------------------------------------------
# finding councils in text

_TOKEN = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*|&")
_POSSESSIVE = re.compile(r"['\u2019]s$", re.I)
# between two words of one name: spaces, a comma, a hyphen (no sentence break)
_GAP = re.compile(r"[ \t\u00a0]*(?:[,\-\u2013]|\n(?!\s*\n))?[ \t\u00a0]*")


@cache
def _text_index() -> tuple[dict[str, frozenset[str]], int]:
    """Names worth looking for in running text: all names of children's services councils, and
    only formal names of districts (a bare district name is usually the town)."""
    by_code = _by_code()
    out: dict[str, frozenset[str]] = {}
    for name, codes in _index().items():
        keep = frozenset(c for c in codes if by_code[c].childrens_services or _is_formal(name))
        if keep:
            out[name] = keep
    longest = max(len(k.split()) for k in out)
    return out, longest


@cache
def _first_words() -> frozenset[str]:
    """The first word of every name in the text index: most capitalised words start none."""
    return frozenset(k.split(" ", 1)[0] for k in _text_index()[0])


@lru_cache(maxsize=65536)  # the same words come back in every sentence of every report
def _token_forms(tok: str) -> tuple[str, str | None]:
    """A token's normalised form, and that of the token without its possessive ("Slough's")."""
    norm = normalise(tok) if tok != "&" else "and"
    return norm, (normalise(tok[:-2]) if _POSSESSIVE.search(tok) else None)


def _capitalised(words: list[str]) -> bool:
    for w in words:
        if w.lower() in _SMALL_WORDS or w == "&":
            continue
        if not w[0].isupper() and not w[0].isdigit():
            return False
    return True


def _sentence_start(text: str, pos: int) -> bool:
    before = text[max(0, pos - 80) : pos].rstrip()
    return not before or before[-1] in ".!?:\n\"'\u2018\u201c"


# A token of _TOKEN's tokenisation that does not start with a lower-case ASCII letter: a position
# starts a token when it holds a word character that no token before it runs on to (neither a word
# character nor an apostrophe after one precedes it). Names start only at capitalised words and
# numbers, so find_councils looks at these tokens, not at every one. (The first character is read
# first and the look-behinds are written from after it: most positions fail at the first test.)
_NAME_START = re.compile(r"[^\W_a-z](?<![^\W_]{2})(?<![^\W_]['\u2019][^\W_])[^\W_]*(?:['\u2019][^\W_]+)*")


@lru_cache(maxsize=65536)
def _start_forms(tok: str) -> tuple[str, str | None] | None:
    """_token_forms(tok) for a token a name can start with (capitalised or a number, and its
    first word the first word of a name, or normalised to nothing); None for any other."""
    if not (tok[0].isupper() or tok[0].isdigit()):
        return None
    norm, bare = _token_forms(tok)
    first_words = _first_words()
    if norm and norm.split(" ", 1)[0] not in first_words and (not bare or bare.split(" ", 1)[0] not in first_words):
        return None  # no name starts with this word
    return norm, bare


@cache
def _key_prefixes() -> frozenset[str]:
    """Every key of the text index cut after each of its words (and the empty key): once the words
    read from a position make none of these, no longer run of them from there is a name."""
    out = {""}
    for k in _text_index()[0]:
        words = k.split(" ")
        out.update(" ".join(words[:n]) for n in range(1, len(words) + 1))
    return frozenset(out)


def find_councils(text: str, on: PartialDate | str | None = None) -> list[tuple[int, int, OrgRef]]:
    """Every council named in `text`, as (start, end, OrgRef); the longest name wins, names
    must be capitalised as names are, and ambiguous names are left out."""
    index, longest = _text_index()
    key_prefixes = _key_prefixes()
    day = _day(on)
    out: list[tuple[int, int, OrgRef]] = []
    resume = 0  # the end of the last name taken: the next starts after it
    for c in _NAME_START.finditer(text):
        tok = c.group()
        forms = _start_forms(tok)
        if forms is None or c.start() < resume:
            continue
        # "Slough's": `bare` is the name without the possessive, for a name's last word
        norm, bare0 = forms
        tokens = [(c.start(), c.end(), tok)]
        parts = [norm]
        bare = [bare0]
        # the key of each prefix of the words, skipping words that normalise to nothing
        prefixes = [norm]
        key = norm
        if longest > 1 and key in key_prefixes:
            # the words a name starting here could run on to: the tokens after it, while only a gap
            # a name can hold parts them, up to the longest name, and while they still begin a name
            for m in _TOKEN.finditer(text, c.end()):
                if not _GAP.fullmatch(text, tokens[-1][1], m.start()):
                    break
                tokens.append((m.start(), m.end(), m.group()))
                p, b = _token_forms(m.group())
                parts.append(p)
                bare.append(b)
                if p:
                    key = f"{key} {p}" if key else p
                prefixes.append(key)
                if len(tokens) >= longest or key not in key_prefixes:
                    break
        match = None
        last = 0
        # longest first
        trim = 0
        for k in range(len(parts), 0, -1):
            key = prefixes[k - 1]
            if key in index:
                match, last = key, k - 1
                break
            if bare[k - 1]:
                key = f"{prefixes[k - 2]} {bare[k - 1]}" if k > 1 and prefixes[k - 2] else bare[k - 1]
                if key in index:
                    match, last, trim = key, k - 1, 2
                    break
        if match is None:
            continue
        words = [t[2] for t in tokens[: last + 1]]
        start, end = tokens[0][0], tokens[last][1] - trim
        if not _capitalised(words) or (len(words) == 1 and match in _COMMON_WORDS and _sentence_start(text, start)):
            continue
        council = _choose(index[match], _is_formal(match), day)
        if council is not None:
            out.append((start, end, council.ref()))
        resume = tokens[last][1]
    return out


__all__ = [
    "Council",
    "councils",
    "council_by_gss",
    "council_by_code",
    "councils_by_urn",
    "council_in_force",
    "resolve_council",
    "resolve_council_record",
    "find_councils",
    "normalise",
]
