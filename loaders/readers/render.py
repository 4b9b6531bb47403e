"""Building a text rendition and its blocks together, so that every block's offsets are right by
construction: a reader appends block texts, the builder places them and records where they went."""

from __future__ import annotations

import re

from loaders.model import Block, ReaderError

# Refuse renditions past this size: a 50 MB text file must load, a decompression bomb must not.
MAX_TEXT_CHARS = 120_000_000

_SPACES = re.compile(r"[ \u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_TAB = re.compile(r" *\t *")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def tidy_line(s: str) -> str:
    """One line of display text: invisible characters dropped, space runs collapsed, tabs kept."""
    if not s.isprintable():  # cheap test first: tabs, controls, odd spaces and invisibles all fail it
        s = _SPACES.sub(" ", _CONTROL.sub("", _INVISIBLE.sub("", s)))
        if "\t" in s:
            s = _TAB.sub("\t", s)
    elif "  " in s:
        s = _SPACES.sub(" ", s)
    return s.strip(" ")


class Rendition:
    """Text plus blocks. Consecutive blocks of the same run (list items, table rows) are separated
    by one newline, everything else by a blank line."""

    def __init__(self, max_chars: int = MAX_TEXT_CHARS) -> None:
        self._parts: list[str] = []
        self._pos = 0
        self._last_kind: str | None = None
        self.blocks: list[Block] = []
        self.max_chars = max_chars

    def add(self, text: str, kind: str, *, page: int | None = None, level: int | None = None, tight: bool | None = None) -> Block | None:
        text = text.strip(" \t\n")
        if not text:
            return None
        if self._parts:
            if tight is None:
                tight = kind == self._last_kind and kind in ("list-item", "table-row")
            sep = "\n" if tight or self._last_kind == "page-break" or kind == "page-break" else "\n\n"
            self._append(sep)
        start = self._pos
        self._append(text)
        block = Block(kind, start, self._pos, page, level)
        self.blocks.append(block)
        self._last_kind = kind
        return block

    def page_break(self, page: int | None) -> None:
        """A form feed between pages, as its own block."""
        if self._parts and self._last_kind != "page-break":
            self.add("\f", "page-break", page=page)

    def _append(self, s: str) -> None:
        self._pos += len(s)
        if self._pos > self.max_chars:
            raise ReaderError(f"the text is longer than {self.max_chars // 1_000_000} million characters; refused")
        self._parts.append(s)

    @property
    def text(self) -> str:
        if self._last_kind == "page-break" and self.blocks:  # no trailing form feed
            last = self.blocks.pop()
            self._parts = self._parts[:-2]
            self._pos = last.start - 1
            self._last_kind = self.blocks[-1].kind if self.blocks else None
        return "".join(self._parts)
