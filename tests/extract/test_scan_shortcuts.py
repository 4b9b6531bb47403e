"""The shortcuts that spare the extractors a regex scan must find exactly what the scan finds."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from loaders.extract import common, inspections, programmes, report
from loaders.readers import read_document

FIXTURES = sorted(p for p in Path(__file__).parents[1].joinpath("fixtures").rglob("*") if p.suffix in (".txt", ".html"))


def _texts() -> list[str]:
    return [read_document(str(p), p.read_bytes()).text for p in FIXTURES]


def _random_texts(pieces: list[str], n: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 40))) for _ in range(n)]


def _spans(matches) -> list[tuple[tuple[int, int], str]]:
    return [(m.span(), m.group()) for m in matches]


LABEL_PIECES = ["Contact", "officer", "contact officer", "Report  author", "\t", "|", ":", "**", " ", "\n", "\n\n",
                " " * 120, "\t" * 30, "Date", "date of meeting", ">", "#", "*", "x", "Portfolio Holder(s)",
                "cabinet\n\nmember", "TO", "to", "\u017fubject", "\u0130", "author's name", "-"]


def test_label_matches_are_the_label_scan():
    texts = _texts() + _random_texts(LABEL_PIECES, 400, 1)
    for text in texts:
        for start, end in ((0, len(text)), (0, len(text) // 2), (len(text) // 3, len(text))):
            assert _spans(report._label_matches(text, start, end)) == _spans(report._LABEL_RE.finditer(text, start, end))


def test_finditer_lines_is_finditer():
    rx = re.compile(r"\b(?:[A-Z][a-z]+[ \t]+){1,3}Trust\b")
    needle = re.compile("Trust")
    texts = _texts() + _random_texts(["Trust", "The", "Big", " ", "\t", "\n", "x", "Trusts", "a"], 400, 2)
    for text in texts:
        assert _spans(common.finditer_lines(rx, text, needle)) == _spans(rx.finditer(text))


@pytest.mark.parametrize("text", ["An \u0130nspection.", "Stra\u00dfe visit.", "A visit. Good work.", "inspection\n\nvisit"])
def test_sentences_holding_agrees_with_a_case_blind_search(text):
    spans = common.sentences(text)
    held = common.sentences_holding(text, spans, inspections._MENTION_WORD_FOLDED)
    expected = {i for i, sp in enumerate(spans) if inspections._MENTION_WORD.search(text[sp.start : sp.end])}
    assert held is None or held == expected


def test_grade_word_tests_are_the_grade_word_scans():
    pieces = ["good", "GOOD", "ri", "RI", "r\u0130", "r\u0131", "\u017f", "requir", "adequate", "out\u017ftanding",
              "\ufb06", "\u00df", "-", "x", " ", "\u0345", "\u212a"]
    for s in _random_texts(pieces, 3000, 3):
        assert inspections._grade_word_in(s) == (inspections._GRADE_WORD.search(s) is not None)
        assert inspections._pair_grade_word_in(s) == (inspections._PAIR_GRADE_WORD.search(s) is not None)


def test_the_plan_pattern_matches_as_written_plainly():
    plain = re.compile(
        r"\b(?:[Tt]he|[Oo]ur|[Ii]ts|[Tt]he\s+(?:Council|Authority)['\u2019]s)\s+(?P<name>(?:(?:Children['\u2019]s|Practice|"
        r"Service|Services|Social\s+Care|Ofsted)\s+)*Improvement\s+(?:Plan|Programme))\b"
    )
    pieces = ["The", "the", "Our", "Its", "Ohe", "Tur", "Council's", " ", "\n", "Improvement", "Plan", "Programme",
              "Children's", "x", "T", "O", "I"]
    for text in _texts() + _random_texts(pieces, 500, 4):
        assert _spans(programmes._THE_PLAN.finditer(text)) == _spans(plain.finditer(text))


@pytest.mark.parametrize(
    ("rx", "words"),
    [(inspections._OTHER_SUBJECT, inspections._OTHER_SUBJECT_WORDS), (inspections._FUTURE, inspections._FUTURE_WORDS)],
)
def test_every_match_holds_one_of_the_words(rx, words):
    for text in _texts():
        for sp in common.sentences(text):
            s = text[sp.start : sp.end]
            f = inspections._folded(s)
            if f is not None and not any(w in f for w in words):
                assert rx.search(s) is None, s
