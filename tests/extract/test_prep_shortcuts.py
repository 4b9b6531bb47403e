"""More shortcuts that spare the extractors work: each must find exactly what the slow path finds
(see test_scan_shortcuts.py for the others)."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from loaders.extract import common, inspections, people, programmes
from loaders.readers import read_document
from loaders.reference import councils

FIXTURES = sorted(p for p in Path(__file__).parents[1].joinpath("fixtures").rglob("*") if p.suffix in (".txt", ".html"))
SAMPLES = sorted(Path(__file__).parents[2].joinpath("data", "samples").glob("*.txt"))


def _texts() -> list[str]:
    return [read_document(str(p), p.read_bytes()).text for p in FIXTURES + SAMPLES]


def _random_texts(pieces: list[str], n: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 40))) for _ in range(n)]


def _spans(matches) -> list[tuple[tuple[int, int], dict]]:
    return [(m.span(), m.groupdict()) for m in matches]


# --------------------------------------------------------------------------- people._candidates


def _candidates_in_full(text: str, start: int = 0, end: int | None = None):
    """people._candidates as written before its shortcut: every sequence is split into words."""
    end = len(text) if end is None else end
    for m in people._CANDIDATE.finditer(text, start, end):
        hon = m["hon"] or ""
        seq_start = m.start("seq")
        words = [(w.start(), w.end()) for w in people._WORD.finditer(text, seq_start, m.end("seq"))]
        runs: list[list[tuple[int, int]]] = [[]]
        for a, b in words:
            word = text[a:b]
            if word.lower().rstrip(".") in people._STOP or (len(word) > 1 and word.isupper()):
                runs.append([])
            else:
                runs[-1].append((a, b))
        for i, run in enumerate(runs):
            if not run:
                continue
            first = i == 0 and run[0][0] == seq_start
            if len(run) == 1 and not (first and hon):
                continue
            a, b = run[0][0], run[-1][1]
            post = m["post"] if (i == len(runs) - 1 and run[-1][1] == m.end("seq") and m["post"]) else ""
            written = (hon if first else "") + text[a:b] + (post or "")
            parsed = people.parse_name(written)
            if parsed is None or len(parsed.words) > 4:
                continue
            if parsed.title is None and (len(parsed.words) < 2):
                continue
            nxt = people._WORD.match(text, b + 1) if text[b : b + 1] in (" ", "\t") else None
            if parsed.title is None and nxt and nxt.group().lower() in people._THING_NOUNS:
                continue
            if parsed.surname.lower() in people._PLACE_ENDINGS:
                continue
            if nxt and nxt.group().lower() in people._NAMED_AFTER_NOUNS:
                continue
            s = m.start() if first and hon else a
            e = (m.end("post") if post else b)
            yield people._Mention(parsed, s, e, text[s:e])


NAME_PIECES = ["John", "Smith", "J.", "J", "Cllr", "Mr", "Dr.", "Sir", "The", "Rt Hon", "OBE", ", MBE", "(CBE)", " ", "  ",
               "\t", "\n", "-", "O'Brien", "McDonald", "Mac", "D\u2019Souza", "Jean-Luc", "Ali.omar@x", "Smith's", "Council",
               "Director", "CHILDREN", "\u00c9lodie", "\u0100da", "x", ".", ",", "'", "\u2019", "School", "House", "A.B", "Ab-Cd"]


def _mentions(found) -> list[tuple]:
    return [(m.start, m.end, m.written, m.parsed) for m in found]


def test_name_candidates_are_those_of_the_full_split():
    texts = [people._capitalised_sign_offs(people._soft_wrapped(t)) for t in _texts()] + _random_texts(NAME_PIECES, 3000, 11)
    for text in texts:
        assert _mentions(people._candidates(text)) == _mentions(_candidates_in_full(text))
        if len(text) > 20:
            a, b = len(text) // 4, len(text) // 2
            assert _mentions(people._candidates(text, a, b)) == _mentions(_candidates_in_full(text, a, b))


def test_a_sequence_without_a_space_is_one_word():
    """What the shortcut stands on: a candidate's sequence with no space in it splits into at most one word."""
    for text in _texts() + _random_texts(NAME_PIECES, 3000, 12):
        for m in people._CANDIDATE.finditer(text):
            if " " not in m.group("seq"):
                assert len(list(people._WORD.finditer(text, *m.span("seq")))) <= 1, m.group("seq")


def _first_chars(seq) -> tuple[set[int] | None, bool]:
    """The characters a match of a parsed pattern (a sequence of re._parser items) can start with
    (None: any), and whether the sequence can match empty; zero-width assertions are skipped."""
    from re import _constants as c

    out: set[int] = set()
    for op, av in seq:
        if op is c.LITERAL:
            first, empty = {av}, False
        elif op is c.IN:
            first, empty = set(), False
            for o, a in av:
                if o is c.LITERAL:
                    first.add(a)
                elif o is c.RANGE:
                    first |= set(range(a[0], a[1] + 1))
                else:
                    return None, False  # a category or a negated set: anything
        elif op is c.SUBPATTERN:
            first, empty = _first_chars(av[3])
        elif op is c.BRANCH:
            first, empty = set(), False
            for alt in av[1]:
                f, e = _first_chars(alt)
                if f is None:
                    return None, False
                first |= f
                empty = empty or e
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            first, empty = _first_chars(av[2])
            empty = empty or av[0] == 0
        elif op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            first, empty = set(), True
        else:
            return None, False
        if first is None:
            return None, False
        out |= first
        if not empty:
            return out, False
    return out, True


def test_the_role_look_ahead_lets_every_first_character_of_a_role_list_through():
    from re import _parser

    plain = people._ROLES_ARE.pattern.replace(people._ROLE_FIRST, "", 1)
    assert plain != people._ROLES_ARE.pattern
    first, empty = _first_chars(_parser.parse(plain, people._ROLES_ARE.flags))
    assert first is not None and not empty
    allowed = {ord(ch) for ch in people._ROLE_FIRST[4:-2]}
    assert first <= allowed, sorted(chr(x) for x in first - allowed)


def test_role_lists_are_found_as_the_plain_pattern_finds_them():
    plain = re.compile(people._ROLES_ARE.pattern.replace(people._ROLE_FIRST, "", 1), people._ROLES_ARE.flags)
    pieces = ["The", "the", "Joint", "Best Value", "Director", "Directors", "of", "Children's", "Services", "Chief Executive",
              "were", "are", " ", "\t", "\n", "Cabinet Members", "for", "this", "year", "Interim", "new", "an", "a", "x", "HMI",
              "Lead Members", "Vice-Chair", "Under-Secretary of State", "(DCS)", ",", "and", "Jo", "Bloggs"]
    texts = [people._capitalised_sign_offs(people._soft_wrapped(t)) for t in _texts()] + _random_texts(pieces, 3000, 15)
    for text in texts:
        found = common.finditer_lines(people._ROLES_ARE, text, people._ROLES_ARE_NEEDS)
        assert _spans(found) == _spans(common.finditer_lines(plain, text, people._ROLES_ARE_NEEDS))


# --------------------------------------------------------------------------- programmes.anchored


def test_the_words_each_pattern_needs_are_found_by_the_patterns_id():
    assert len(programmes._NEEDS_BY_ID) == len(programmes._NEEDS)
    for rx, words in programmes._NEEDS.items():
        assert programmes._NEEDS_BY_ID[id(rx)] is words


# --------------------------------------------------------------------------- date patterns


def _plain(rx: re.Pattern[str]) -> re.Pattern[str]:
    """The pattern without the first-character look-ahead put in front of it."""
    pattern = rx.pattern.replace(common._MONTH_FIRST, "").replace(common._DAY_FIRST, "")
    assert pattern != rx.pattern
    return re.compile(pattern, rx.flags)


DATE_PIECES = ["4", "18", "31", "2019", "1999", "20", "19", " ", "  ", "\n", "\n\n", "\t", ",", ".", "-", "/", "\u2013",
               "June", "JUNE", "june", "Jun", "Sept", "sep", "\u017fep", "Au\u017fgu\u017ft", "Augu\u017ft", "May", "may",
               "Monday", "MONDAY", "mon", "Tuesday", "Saturday", "\u017faturday", "th", "st", "<sup>th</sup>", "of", "to",
               "and", "x", "\u0130", "\u0131", "\u212a", "Dec", "dec", "March", "MAR", "Nov", "April", "apr\u0131l",
               "\u0661", "\u0662\u0660\u0661\u0669", "a", "between", "Oct", "Jan", "Feb", "Jul", "O"]


@pytest.mark.parametrize(
    "rx", [common.DAY_MONTH_YEAR, common.MONTH_DAY_YEAR, common.MONTH_YEAR, common._RANGES[2]],
    ids=["day-month-year", "month-day-year", "month-year", "month-range"],
)
def test_the_date_patterns_match_as_written_plainly(rx):
    plain = _plain(rx)
    # case-blind, "s" is also the long s: the look-ahead must let it through as the month does
    fixed = ["\u017fep 2019", "\u017fept 4, 2019", "\u017fEPTEMBER 2019 to Oct 2019", "\u017faturday 4 June 2019",
             "4 \u017fep 2019", "SEP 2019", "Sat 4 June 2019", "Sunday, 4th of May 2019", "\u0661 June 2019",
             "June/July 2019", "\u017fep-Oct 2019", "MAY 2019", "it may 2019"]
    for text in fixed + _texts() + _random_texts(DATE_PIECES, 4000, 13):
        assert _spans(rx.finditer(text)) == _spans(plain.finditer(text))


def test_every_month_and_weekday_starts_with_a_look_ahead_letter():
    firsts = set(common._MONTH_FIRST[4:-2])
    assert all(m[0] in firsts for m in common.MONTHS)
    for day in ("mon", "tues", "wednes", "thurs", "fri", "satur", "sun"):
        assert re.fullmatch(common._DAY_FIRST + ".", day[0])


# --------------------------------------------------------------------------- money.AMOUNT


def test_the_amount_pattern_matches_as_written_plainly():
    from loaders.extract import money

    plain = re.compile(
        r"(?<![\w.])£\s?(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:\s?(?P<u>bn|billion|m|mn|million|k|thousand)\b)?",
        re.I,
    )
    pieces = ["£", "££", "1", "12", "1,000", ",", ".", "5", " ", "\n", "m", "M", "bn", "million", "k", "\u212a", "x", "_",
              "\u00e9", ".£", "a£", "(", "2.5", "\u0661", "thousand"]
    for text in _texts() + _random_texts(pieces, 4000, 14):
        assert _spans(money.AMOUNT.finditer(text)) == _spans(plain.finditer(text))
        assert _spans(money.AMOUNT.finditer(text, 1, max(1, len(text) - 1))) == _spans(plain.finditer(text, 1, max(1, len(text) - 1)))


# --------------------------------------------------------------------------- councils.find_councils


def _find_councils_token_by_token(text: str, on=None) -> list:
    """councils.find_councils as written before its shortcuts: every token of the text is read."""
    index, longest = councils._text_index()
    first_words = councils._first_words()
    day = councils._day(on)
    tokens = [(m.start(), m.end(), m.group()) for m in councils._TOKEN.finditer(text)]
    # "Slough's": `bare` is the name without the possessive, for a name's last word; both are
    # made only for the tokens a name could start at or run on to (most start none)
    n = len(tokens)
    norms: list[str | None] = [None] * n
    bare: list[str | None] = [None] * n

    def form(j: int) -> str:
        if norms[j] is None:
            norms[j], bare[j] = councils._token_forms(tokens[j][2])
        return norms[j]  # type: ignore[return-value]
    out: list = []
    i = 0
    while i < n:
        tok = tokens[i][2]
        if not (tok[0].isupper() or tok[0].isdigit()):
            i += 1
            continue
        if form(i) and norms[i].split(" ", 1)[0] not in first_words and (
            not bare[i] or bare[i].split(" ", 1)[0] not in first_words
        ):
            i += 1  # no name starts with this word
            continue
        match = None
        parts = [norms[i]]
        last = i
        for j in range(i + 1, min(n, i + longest)):
            if not councils._GAP.fullmatch(text, tokens[j - 1][1], tokens[j][0]):
                break
            parts.append(form(j))
        # the key of each prefix of the words, skipping words that normalise to nothing
        prefixes: list[str] = []
        key = ""
        for p in parts:
            if p:
                key = f"{key} {p}" if key else p
            prefixes.append(key)
        # longest first
        trim = 0
        for k in range(len(parts), 0, -1):
            key = prefixes[k - 1]
            if key in index:
                match, last = key, i + k - 1
                break
            if bare[i + k - 1]:
                key = f"{prefixes[k - 2]} {bare[i + k - 1]}" if k > 1 and prefixes[k - 2] else bare[i + k - 1]
                if key in index:
                    match, last, trim = key, i + k - 1, 2
                    break
        if match is None:
            i += 1
            continue
        words = [t[2] for t in tokens[i : last + 1]]
        start, end = tokens[i][0], tokens[last][1] - trim
        if not councils._capitalised(words) or (len(words) == 1 and match in councils._COMMON_WORDS and councils._sentence_start(text, start)):
            i += 1
            continue
        council = councils._choose(index[match], councils._is_formal(match), day)
        if council is not None:
            out.append((start, end, council.ref()))
        i = last + 1
    return out


COUNCIL_PIECES = ["Slough", "Slough's", "slough", "Kent", "County", "Council", "of", "London", "Borough", "Havering", " ",
                  "  ", "\n", "\n\n", ",", "-", "'", "\u2019", "x", "St", "Helens", "&", "and", "The", "the", "Isle", "Wight",
                  "Bristol", "City", "_", "1", "\u00e9", "\u00c9", "O'Kent", "Kent'", "''", "North", "Yorkshire", "\u00a0",
                  "\t", "\u2013", "Royal", "Windsor", "Maidenhead", "Kingston", "upon", "Hull", "Thames", "Council's", "KENT",
                  "Stoke-on-Trent", "\u00bd", "\u2167", "Durham", "Hartlepool", "Bournemouth", "Christchurch", "Poole", "."]


def test_councils_are_found_as_reading_every_token_finds_them():
    texts = _texts()
    texts += [t[i : i + 300] for t in texts for i in range(0, len(t), 150)]
    texts += _random_texts(COUNCIL_PIECES, 6000, 16)
    for text in texts:
        for on in (None, "2019-06-01", "2008-01-01"):
            assert councils.find_councils(text, on) == _find_councils_token_by_token(text, on), (text[:80], on)


# --------------------------------------------------------------------------- inspections: grades and areas

GRADE_PIECES = ["judged", "JUDGED", "rated", "graded", "deemed", "assessed", "found", "found to be", "declared", "from", "to",
                "was", "were", "is", "are", "remains", "remained", "judgement", "judgment", "rating", "grade", "outcome",
                "outstanding", "good", "Good", "GOOD", "requires improvement", "requiring improvement to be good", "RI", "ri",
                "inadequate", "adequate", "overall", "effectiveness", "the impact of leaders", "leadership, management and governance",
                "children who need help and protection", "children in care and care leavers", "progress of children in care",
                "looked after and achieving permanence", "adoption performance", "experiences and progress of care leavers",
                "LSCB", "local safeguarding children board", " ", "'", "\u2018", "\u2019", "\"", "*", ":", "-", "\u2013", ",",
                "\u017f", "\u0130", "\u0131", "\u212a", "x", "services", "the council", "\n"]


def _grades_unfiltered(s: str) -> tuple:
    inspections._grades_in.cache_clear()
    words, inspections._GRADE_PATTERN_WORDS = inspections._GRADE_PATTERN_WORDS, (("",),) * len(inspections._GRADE_PATTERNS)
    try:
        return inspections._grades_in(s)
    finally:
        inspections._GRADE_PATTERN_WORDS = words
        inspections._grades_in.cache_clear()


def _areas_unfiltered(s: str) -> dict:
    inspections._area_pairs.cache_clear()
    words, inspections._AREA_WORDS = inspections._AREA_WORDS, ("",)
    try:
        return inspections._area_pairs(s)
    finally:
        inspections._AREA_WORDS = words
        inspections._area_pairs.cache_clear()


def _sentence_texts() -> list[str]:
    out = []
    for text in _texts():
        out += [inspections.mask_long_quotes(text[sp.start : sp.end]) for sp in common.sentences(text)]
    return out + _random_texts(GRADE_PIECES, 4000, 17)


def test_grades_and_area_pairs_are_those_of_every_scan():
    for s in _sentence_texts():
        assert inspections._grades_in(s) == _grades_unfiltered(s), s
        assert inspections._area_pairs(s) == _areas_unfiltered(s), s


def test_every_grade_and_area_match_holds_one_of_its_words():
    patterns = list(zip(inspections._GRADE_PATTERNS, inspections._GRADE_PATTERN_WORDS, strict=True))
    patterns += [(rx, inspections._AREA_WORDS) for _, rx in inspections.AREAS]
    for s in _sentence_texts():
        f = inspections._folded(s)
        if f is None:
            continue
        for rx, words in patterns:
            for m in rx.finditer(s):
                assert any(w in f for w in words), (rx.pattern[:40], m.group())


# --------------------------------------------------------------------------- literal-first rewrites


def test_act_words_and_appointments_are_found_as_written_plainly():
    from loaders.extract import legislation

    act = re.compile(r"\bAct\b")
    appointed = re.compile(rf"\b[Aa]ppointed\b(?!\s+by\b)(?P<mid>[^.]{{0,60}}?)\b(?:[Aa]n?|[Tt]he)\s+(?P<role>{people.ROLE})")
    pieces = ["Act", "Acts", "act", "ACT", "xAct", "Act_", "_Act", "the", "Children", "Appointed", "appointed", "appointed by",
              "reappointed", "Director of Children's Services", "a", "an", "The", "Chief Executive", " ", "\n", ".", ",", "\u00e9",
              "1989", "Commissioner", "x", "A", "ppointed"]
    for text in _texts() + _random_texts(pieces, 4000, 18):
        assert _spans(legislation._ACT_WORD.finditer(text)) == _spans(act.finditer(text))
        assert _spans(people._APPOINTED_ROLE.finditer(text)) == _spans(appointed.finditer(text))


# --------------------------------------------------------------------------- programmes: sentences with no needed word


def _names_as_written(s: str) -> list[tuple[int, int, str]]:
    """programmes._names before the needed-word test: every anchored pattern is tried."""
    out: list[tuple[int, int, str]] = []

    def add(a: int, b: int, name: str) -> None:
        name = programmes._clean(name)
        if (len(name) < 4 or not programmes.distinctive(name) or programmes._TITLE_WORDS.search(name)
                or programmes._NOT_NAMES.fullmatch(name.split()[0]) and len(name.split()) == 1):
            return
        if any(not (b <= x or a >= y) for x, y, _ in out):
            return
        out.append((a, b, name))

    for m in programmes._QUOTED.finditer(s):
        name = m.group("name")
        window = s[max(0, m.start() - 40) : m.end() + 40]
        cued = programmes._QUOTE_CUE.search(window) or programmes._NAMING.search(s[max(0, m.start() - 25) : m.start() + 1])
        if programmes._title_case(name) and cued and not re.fullmatch(r"(?:good|outstanding|inadequate|requires improvement)", name, re.I):
            add(m.start("name"), m.end("name"), name)
    for rx in (programmes._NATIONAL, programmes._PROGRAMME_OF_BOARD, programmes._NAMED_KIND, programmes._DEFINED,
               programmes._PART_OF, programmes._LOWER_KIND):
        for m in programmes.anchored(rx, s):
            name = m.group("name")
            if rx is programmes._PART_OF and not re.search(r",|&", name):
                continue
            add(m.start("name"), m.end("name"), name)
    out.sort()
    return out


PROGRAMME_PIECES = ["'Side by Side' programme", "the Troubled Families", "Partners in Practice", "Plan", "plan", "Board",
                    "Improvement Board", "as part of", "through", "under", "Safe, Secure, Successful", "Change for Children",
                    "is our", "transformation programme", "Children First Practice Improvement Plan", "Strategy", "Model",
                    "Pause", "Frontline", " ", ". ", ", ", "\n", "x", "The", "Early Help", "Academy", "called", "\u2018Beyond\u2019",
                    "Pathway", "scheme", "project", "Mockingbird", "Staying Put"]


def test_sentences_with_no_needed_word_name_nothing_the_patterns_find():
    words = {w for ws in programmes._NEEDS.values() for w in ws}
    for w in words:
        assert programmes._NEEDED_WORD.fullmatch(w), w
    sentences = []
    for text in _texts():
        sentences += [text[sp.start : sp.end] for sp in common.sentences(text)]
    for s in sentences + _random_texts(PROGRAMME_PIECES, 3000, 19):
        needed = programmes._NEEDED_WORD.search(s) is not None
        assert needed == any(w in s for w in words), s
        assert programmes._names(s, needed) == programmes._names(s) == _names_as_written(s), s
        if not needed:
            assert all(programmes.anchored(rx, s) == [] for rx in programmes._NEEDS), s
