"""The front-matter reader tests a line for a colon before scanning it for inline labels: it must
find exactly what the scan finds."""

from __future__ import annotations

import random
from pathlib import Path

from loaders.readers import frontmatter, read_document

FIXTURES = sorted(p for p in Path(__file__).parents[1].joinpath("fixtures").rglob("*") if p.suffix in (".txt", ".html"))

PIECES = list(frontmatter._LABEL_TO_KEY)[:40] + [
    "Report to", "REPORT TO", "Contact officer", "Date", "date", "(s)", "?", ":", " :", "\uff1a", "\ufe55", "\u02d0",
    " ", "\t", "\n", "x", "'", "\u2019", "Cabinet", "\u017fubject", "\u212a", "\u0130",
]


def _spans(matches) -> list[tuple[tuple[int, int], dict]]:
    return [(m.span(), m.groupdict()) for m in matches]


def test_inline_labels_found_after_the_colon_test_are_the_scans():
    rnd = random.Random(31)
    lines = []
    for p in FIXTURES:
        lines += read_document(str(p), p.read_bytes()).text.split("\n")
    lines += ["".join(rnd.choice(PIECES) for _ in range(rnd.randint(0, 12))) for _ in range(5000)]
    for line in lines:
        assert _spans(frontmatter._inline_matches(line)) == _spans(frontmatter._INLINE.finditer(line)), line
        at_start, scanned = frontmatter._inline_at_start(line), frontmatter._INLINE.match(line)
        assert (at_start and (at_start.span(), at_start.groupdict())) == (scanned and (scanned.span(), scanned.groupdict())), line
