"""The HTML reader leaves a text node alone when collapsing its white space would not change it:
it must give what the substitution gives for every string."""

from __future__ import annotations

import random

from loaders.readers import html


def test_spaced_is_the_white_space_substitution():
    pieces = [" ", "  ", "\t", "\n", "\r", "\f", "\v", "\r\n", "\u00a0", "\u2003", "\x1c", "\x85", "\u2028", "a", "Ab",
              "x y", ".", "\u2019"]
    rnd = random.Random(41)
    strings = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 12))) for _ in range(20000)]
    for s in strings + list(pieces):
        assert html._spaced(s) == html._WS.sub(" ", s), repr(s)
