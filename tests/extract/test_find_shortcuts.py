"""Sentence finders that look for words with str.find instead of scanning a regex over the whole
text: each must give exactly the sentences that common.sentences_holding gives."""

from __future__ import annotations

import random
import re
from pathlib import Path

from loaders.extract import common, inspections, programmes
from loaders.readers import read_document

FIXTURES = sorted(p for p in Path(__file__).parents[1].joinpath("fixtures").rglob("*") if p.suffix in (".txt", ".html"))
SAMPLES = sorted(Path(__file__).parents[2].joinpath("data", "samples").glob("*.txt"))


def _texts() -> list[str]:
    return [read_document(str(p), p.read_bytes()).text for p in FIXTURES + SAMPLES]


# characters casefold() treats apart: folded_text refuses a text with one (the finders then give
# None, as sentences_holding does), so they go in one text in ten
UNSAFE = ["\u0130", "\u0131", "\u0345", "\u00df", "\ufb06"]


def _random_texts(pieces: list[str], n: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        chosen = [rnd.choice(pieces) for _ in range(rnd.randint(0, 60))]
        if chosen and rnd.random() < 0.1:
            chosen[rnd.randrange(len(chosen))] = rnd.choice(UNSAFE)
        out.append("".join(chosen))
    return out


# white space of every kind a sentence can end at, sentence ends, abbreviations, list markers, and
# characters case-blind matching reads as ASCII letters (long s, Kelvin sign)
SEPARATORS = [" ", "  ", "\t", "\n", "\n\n", "\n \n", "\u00a0", "\u2003", "\x1c", ".", ". ", "! ", "? ", ".' ", ".) ",
              "Mr. ", "e.g. ", "1. ", "- ", "\u2022 ", "(a) ", "x", "X", "-", "'", "\u017f", "\u212a"]

MENTION_PIECES = SEPARATORS + [
    "inspect", "INSPECTION", "visit", "Visits", "jtai", "JTAI", "ilacs", "sif", "SIF", "recommendations", "area", "AREA",
    "priority", "publish", "outstanding", "good", "GOOD", "requir", "adequate", "ri", "RI", "Ri-", "henri", "r\u0130",
    "prio", "rity", "insp", "ect", "go", "od", "are", "a", "vi\u017fit", "\u017fif",
]

THEME_PIECES = SEPARATORS + [
    "theme", "themes", "THEMES", "work", "Work", "streams", "stream", "workstream", "workstreams", "network", "key", "KEY",
    "areas", "key areas", "strand", "strands", "pillar", "pillars", "priority", "priorities", "priorit", "prioritise",
    "monkey", "themed", "works", "pillar's",
]


def _agrees(text: str, found: set[int] | None, rx: re.Pattern[str]) -> bool:
    spans = common.sentences(text)
    return found == common.sentences_holding(text, spans, rx)


def test_the_mention_words_are_the_mention_pattern():
    """The words and the pattern given to sentences_holding_words make up _MENTION_WORD_FOLDED."""
    assert "|".join(inspections._MENTION_WORDS_FOLDED) + "|" + inspections._RI_END.pattern == inspections._MENTION_WORD_FOLDED.pattern
    assert all(w and not any(c.isspace() for c in w) and w == w.lower() for w in inspections._MENTION_WORDS_FOLDED)


def test_mention_sentences_found_by_words_are_those_the_scan_finds():
    texts = _texts() + _random_texts(MENTION_PIECES, 4000, 21)
    for text in texts:
        spans = common.sentences(text)
        found = common.sentences_holding_words(text, spans, inspections._MENTION_WORDS_FOLDED, inspections._RI_END)
        assert _agrees(text, found, inspections._MENTION_WORD_FOLDED), text


def test_sentences_holding_words_for_other_words():
    """Words that overlap each other or run into one another, with and without a pattern."""
    rnd = random.Random(22)
    alphabet = ["ab", "ba", "a", "b", "aba", "bb"]
    for text in _random_texts(SEPARATORS + alphabet + ["abab", "bab"], 2000, 23):
        words = rnd.sample(alphabet, rnd.randint(1, 4))
        also = re.compile(r"b(?![\w-])") if rnd.random() < 0.5 else None
        rx = re.compile("|".join(words) + ("|" + also.pattern if also else ""))
        spans = common.sentences(text)
        assert _agrees(text, common.sentences_holding_words(text, spans, words, also), rx), (text, words)


def test_theme_sentences_found_from_first_words_are_those_the_scan_finds():
    texts = _texts() + _random_texts(THEME_PIECES, 4000, 24)
    for text in texts:
        spans = common.sentences(text)
        found = common.sentences_holding_from(text, spans, programmes._THEME_WORD_FOLDED, programmes._THEME_FIRSTS)
        assert _agrees(text, found, programmes._THEME_WORD_FOLDED), text


def test_sentences_holding_from_with_overlapping_matches():
    """A match that runs over the start of another (the scan skips it) and matches that cross
    sentences: trying the first words in order must skip what the scan skips."""
    rx = re.compile(r"ab\s+ab|ba+|b\s+a")
    for text in _random_texts(SEPARATORS + ["ab", "ba", "a", "b", "aab", "ab ab", "b\n\na"], 3000, 25):
        spans = common.sentences(text)
        assert _agrees(text, common.sentences_holding_from(text, spans, rx, ("ab", "b")), rx), text


# the character class folded_text scanned for before its `in` tests
_FOLD_UNSAFE_CLASS = re.compile("[\u0130\u0131\u0345]")


def _folded_text_as_written(text: str) -> str | None:
    folded = text.casefold()
    if len(folded) != len(text) or _FOLD_UNSAFE_CLASS.search(text):
        return None
    return folded


def test_folded_text_refuses_what_the_class_scan_refused():
    assert set(common.FOLD_UNSAFE) == {chr(c) for c in range(0x110000) if _FOLD_UNSAFE_CLASS.fullmatch(chr(c))}
    for text in _texts() + _random_texts(SEPARATORS + ["Abc", "\u2019"], 2000, 26):
        assert common.folded_text(text) == _folded_text_as_written(text)


def test_sentences_holding_from_skips_what_a_match_across_sentences_covers():
    """"ab\n\nab ab": the scan's one match runs into the second sentence over the "ab" that would
    start another, so only the first sentence holds a match start."""
    rx = re.compile(r"ab\s+ab")
    text = "ab\n\nab ab"
    spans = common.sentences(text)
    assert len(spans) == 2 and common.sentences_holding(text, spans, rx) == {0}
    assert common.sentences_holding_from(text, spans, rx, ("ab",)) == {0}
    for text in _random_texts(["ab", " ", "\n\n", "x", ". ", "ab ab", "ab\n\nab"], 3000, 27):
        spans = common.sentences(text)
        assert _agrees(text, common.sentences_holding_from(text, spans, rx, ("ab",)), rx), text


# --------------------------------------------------------------------------- sentences_with


def _with_as_written(text: str, spans, words) -> set[int]:
    return {i for i, sp in enumerate(spans) if any(w in text[sp.start : sp.end] for w in words)}


def test_sentences_with_is_the_test_of_each_sentence():
    """Words with and without white space (an occurrence may run across two sentences), words
    inside others, sentences from common.sentences and spans of any kind."""
    rnd = random.Random(28)
    pool = ["ab", "b a", "a.", "ba", "a", "ab ab", ". a", "x"]
    for text in _random_texts(SEPARATORS + ["ab", "ba", "a", "b", "ab ab", "b a", "Trust", "Ltd"], 3000, 29):
        words = rnd.sample(pool, rnd.randint(1, 4))
        spans = common.sentences(text)
        assert common.sentences_with(text, spans, words) == _with_as_written(text, spans, words), (text, words)
        cuts = sorted(rnd.sample(range(len(text) + 1), min(len(text) + 1, 2 * rnd.randint(0, 4))))
        spans = [common.Span(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False)]
        assert common.sentences_with(text, spans, words) == _with_as_written(text, spans, words), (text, words, spans)


def test_delivery_and_direction_sentences_are_those_each_sentence_test_finds():
    from loaders.extract import interventions as iv

    assert set(iv._DELIVERY_WORDS) == {w for needs in iv._DELIVERY_NEEDS for w in needs}
    pieces = MENTION_PIECES + ["transfer", "moved", "passed", "Trust", "trust", "company", "organisation", "body",
                               "mutual", "behalf", "notice", "NOTICE", "no\u017fice", "direction", "Direction", "DIRECTIONS"]
    for text in _texts() + _random_texts(pieces, 3000, 30):
        spans = common.sentences(text)
        assert common.sentences_with(text, spans, iv._DELIVERY_WORDS) == {
            i for i, sp in enumerate(spans) if any(any(w in text[sp.start : sp.end] for w in needs) for needs in iv._DELIVERY_NEEDS)
        }
        held = common.sentences_holding_words(text, spans, iv._KIND_WORDS_FOLDED)
        assert held is None or held == {
            i for i, sp in enumerate(spans) if any(w in text[sp.start : sp.end].casefold() for w in iv._KIND_WORDS_FOLDED)
        }, text


TAKEOVER_PIECES = MENTION_PIECES + ["Trust", "the Trust took over", "The Trust assumed", "Company", "Partnership", "Ltd",
                                    "Limited", "transferred to", "TRANSFERRED", "moved into", "mo\u017fed", "MOVED",
                                    "Children's Services", "children", "lead", "led", "Led", "misled", "leader"]


def test_takeover_sentences_left_out_change_nothing():
    """_takeovers reads only the sentences holding a trust ending or a moving verb: in the others
    no body is named and none of its patterns can match."""
    from loaders.extract import interventions as iv

    for text in _texts() + _random_texts(TAKEOVER_PIECES, 3000, 32):
        spans = common.sentences(text)
        kept = set(iv._takeover_sentences(text, spans))
        assert list(iv._takeover_sentences(text, spans)) == sorted(kept)
        for i, sp in enumerate(spans):
            s = text[sp.start : sp.end]
            read = any(w in s for w in iv._TRUST_ENDINGS) or "transferred" in s.casefold() or "moved" in s.casefold()
            assert i in kept or not read, s
            if i not in kept:
                assert not (iv._TAKEOVER.search(s) or iv._TRANSFER.search(s) or iv._BACK_TAKEOVER.search(s)), s


def test_inspection_sentences_left_out_are_those_sentence_mentions_turns_away():
    """extract_inspections reads the cued sentences and those holding "lead" or "led": the others
    fail sentence_mentions' first test."""
    for text in _texts() + _random_texts(TAKEOVER_PIECES, 3000, 33):
        spans = common.sentences(text)
        cued = common.sentences_holding_words(text, spans, inspections._MENTION_WORDS_FOLDED, inspections._RI_END)
        kept = set(inspections._sentences_to_read(text, spans, cued))
        assert list(inspections._sentences_to_read(text, spans, cued)) == sorted(kept)
        for i, sp in enumerate(spans):
            raw = text[sp.start : sp.end]
            if i not in kept:  # sentence_mentions' first test, as written there
                assert not (inspections._MENTION_WORD.search(raw) or "lead" in raw or "led" in raw), raw


def test_money_sentences_left_out_hold_no_amount_and_no_trust():
    from loaders.extract import money

    pieces = TAKEOVER_PIECES + ["\u00a3", "\u00a35m", "\u00a3 2,000", "\u00a31.5 million", "5m", "Slough Children's Trust",
                                "the Trust", "Trust's", "TRUST"]
    for text in _texts() + _random_texts(pieces, 3000, 34):
        spans = common.sentences(text)
        kept = common.sentences_with(text, spans, money._AMOUNT_OR_TRUST)
        for i, sp in enumerate(spans):
            s = text[sp.start : sp.end]
            if i not in kept:
                assert money._named_trust(s) is None and money.AMOUNT.search(s) is None, s
