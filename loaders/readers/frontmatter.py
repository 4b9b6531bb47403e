"""Front matter of committee reports: the label/value pairs at the top of the first page.

Templates vary by council, but the shapes are few: a two-column table ("Report to" | "Cabinet"),
one pair per line ("Date: 18 June 2018", "Contact officer:<tab>Tolis Vouyioukas"), several pairs
on one line ("REPORT TO: Cabinet DATE: 19 June 2017"), and label-less openers ("Report to
Cabinet", "Report by the Director of Children's Services"). This module works on any reader's
rendition and blocks, so every format gets the same treatment.

Known labels map to canonical keys (`report_to`, `date`, `title`, `subject`, `author`,
`report_author`, `report_by`, `contact_officer`, `cabinet_member`, `portfolio`, `ward`,
`slt_lead`, `director`, `key_decision`); other labels are kept under a slug of their own text when
the layout makes them unambiguous (a table cell, an upper-case label, a question). A value runs to
the next label on its line, or for a label that opens its block, through that block's following
lines. The first occurrence of a key wins. `Document.fields` holds each value's span.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from loaders.model import Block, Document

# Front matter sits on the first page; past this point labels are part of the report body.
HEAD_CHARS = 6000
HEAD_BLOCKS = 80
MAX_VALUE_CHARS = 400

_KNOWN: dict[str, tuple[str, ...]] = {
    "report_to": ("report to", "to", "meeting", "committee", "decision maker", "decision-maker", "report for",
                  "name of committee", "meeting of", "decision taker", "forum"),
    "date": ("date", "date of meeting", "meeting date", "date of report", "report date", "date of decision",
             "decision date", "date of cabinet"),
    "title": ("title", "report title", "title of report", "report name", "name of report"),
    "subject": ("subject", "subject heading", "report subject", "subject of report"),
    "author": ("author", "authors"),
    "report_author": ("report author", "report authors", "report author and contact details", "author of report",
                      "report author and contact", "lead author", "report author/lead officer"),
    "report_by": ("report by", "report of", "report from", "report submitted by", "submitted by", "by"),
    "contact_officer": ("contact officer", "contact officers", "contact", "contact details", "officer contact",
                        "contact officer and telephone number", "contact officer details", "contact name",
                        "report contact", "contact officer and contact details", "officer contact details",
                        "for further information contact", "lead officer", "lead officers", "report contact officer"),
    "cabinet_member": ("cabinet member", "cabinet members", "lead member", "lead cabinet member", "portfolio holder",
                       "cabinet portfolio holder", "executive member", "responsible cabinet member",
                       "relevant cabinet member", "cabinet member responsible", "lead councillor", "cabinet lead"),
    "portfolio": ("portfolio", "portfolios", "cabinet portfolio", "portfolio area"),
    "ward": ("ward", "wards", "wards affected", "ward affected", "divisions affected", "electoral divisions affected",
             "electoral division", "division"),
    "slt_lead": ("slt lead", "clt lead", "smt lead", "senior leadership team lead", "elt lead", "cmt lead"),
    "director": ("director", "strategic director", "corporate director", "executive director", "lead director",
                 "responsible director", "director lead", "chief officer", "responsible officer"),
    "key_decision": ("key decision", "is this a key decision", "is it a key decision", "key decision yes/no",
                     "key decision yes or no"),
}
_LABEL_TO_KEY = {label: key for key, labels in _KNOWN.items() for label in labels}
# labels that are too common as words to be trusted mid-line or without a colon
_WEAK = {"to", "by", "meeting", "committee", "contact", "division", "forum", "title", "subject", "author", "director"}

_ONE_LINE = {"date", "key_decision", "ward"}



def _label_alternation(labels: list[str]) -> str:
    """Labels longest first, grouped by first letter (keeping that order in each group): only one
    group can match at a position, so the match is the same, and the regex engine skips the other
    groups on their first letter instead of trying every label."""
    groups: dict[str, list[str]] = {}
    for label in sorted(labels, key=len, reverse=True):
        groups.setdefault(label[0].lower(), []).append(re.escape(label).replace(r"\ ", r"\s+"))
    return "|".join(f"(?:{'|'.join(g)})" for g in groups.values())


_ALT = _label_alternation(list(_LABEL_TO_KEY))
# a known label followed by a colon, anywhere in a line ("REPORT TO: Cabinet DATE: 19 June 2017")
_INLINE = re.compile(rf"(?<![\w'’])(?P<label>{_ALT})(?:\s*\(s\))?\s*[?]?\s*:[ \t]*", re.I)


# Every match of _INLINE holds a colon: a line without one (most front-matter lines are prose) is
# not scanned with its long case-blind alternation (0.32 -> 0.06 ms a report over the front matter)
def _inline_matches(line: str) -> Iterable[re.Match[str]]:
    return _INLINE.finditer(line) if ":" in line else ()


def _inline_at_start(line: str) -> re.Match[str] | None:
    return _INLINE.match(line) if ":" in line else None


# a label opening a line, ended by a colon or tab (or "Report to Cabinet" with neither)
_OPENER = re.compile(r"^(?P<label>report\s+(?:to|by|of|from))\b[ \t:]*(?=\S)", re.I)
_GENERIC = re.compile(r"^(?P<label>[A-Za-z][\w/&'’()\- ]{0,60}?)\s*(?P<sep>[?:]|\t)[ \t]*")


def normalise_label(label: str) -> str:
    s = label.lower().replace("&", " and ").replace("(s)", "")
    s = re.sub(r"[*:?.]+", " ", s)
    return " ".join(s.split())


def _slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", normalise_label(label)).strip("_")[:40]


def key_for(label: str) -> str | None:
    return _LABEL_TO_KEY.get(normalise_label(label))


class _Collector:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.metadata: dict[str, str] = {}
        self.fields: dict[str, tuple[int, int]] = {}

    def put(self, key: str, start: int, end: int) -> bool:
        text = self.doc.text
        while start < end and text[start] in " \t\n:–—-|*":
            start += 1
        while end > start and text[end - 1] in " \t\n|*;,":
            end -= 1
        if end <= start or key in self.metadata or not key:
            return False
        if end - start > MAX_VALUE_CHARS:
            return False
        self.metadata[key] = " ".join(text[start:end].split())
        self.fields[key] = (start, end)
        return True


def _row_pairs(col: _Collector, block: Block) -> None:
    """A table row: label cells followed by their value cells."""
    text = col.doc.text
    cells = [(m.start() + block.start, m.end() + block.start) for m in re.finditer(r"[^\t]+", text[block.start : block.end])]
    i = 0
    while i < len(cells):
        a, b = cells[i]
        label = text[a:b].strip()
        key = key_for(label)
        if key is None and re.fullmatch(r"[A-Za-z][\w/&'’()\- ]{0,60}[:?]", label) and len(label.split()) <= 8:
            key = _slug(label)
        if key is None:
            i += 1
            continue
        j = i + 1
        while j < len(cells) and key_for(text[cells[j][0] : cells[j][1]]) is None:
            j += 1
        if j > i + 1:
            col.put(key, cells[i + 1][0], cells[j - 1][1])
        i = j


def _line_pairs(col: _Collector, block: Block, next_block: Block | None) -> None:
    text = col.doc.text
    pos = block.start
    lines = text[block.start : block.end].split("\n")
    offsets = []
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    for n, (line, lstart) in enumerate(zip(lines, offsets, strict=True)):
        labels: list[tuple[str, int, int]] = []  # key, label start, value start (absolute)
        m = _OPENER.match(line)
        if m and not _inline_at_start(line):
            labels.append((key_for(m.group("label")) or "", lstart, lstart + m.end()))
        for m in _inline_matches(line):
            label = m.group("label")
            norm = normalise_label(label)
            if m.start() > 0 and (norm in _WEAK or not (label.isupper() or label.istitle() or line[: m.start()].rstrip().endswith(("**", "\t")))):
                continue  # "... the report to: Cabinet" mid-sentence is not a field
            if m.start() == 0 or not labels or m.start() + lstart >= labels[-1][2]:
                labels.append((_LABEL_TO_KEY[norm], lstart + m.start(), lstart + m.end()))
        if not labels and n == 0:
            g = _GENERIC.match(line)
            if g and (g.group("sep") == "?" or g.group("label").isupper()) and len(g.group("label").split()) <= 8:
                labels.append((key_for(g.group("label")) or _slug(g.group("label")), lstart, lstart + g.end()))
        if not labels:
            continue
        line_end = lstart + len(line)
        for k, (key, _a, vstart) in enumerate(labels):
            vend = labels[k + 1][1] if k + 1 < len(labels) else line_end
            last = k + 1 == len(labels)
            if last and labels[0][1] == lstart and key not in _ONE_LINE:
                # a label opening its line owns the block's next few short lines (a second contact,
                # a phone number), up to another label; a long line is prose, not part of the value
                for later, later_start in zip(lines[n + 1 : n + 4], offsets[n + 1 : n + 4], strict=False):
                    if len(later) > 100 or _inline_at_start(later) or _OPENER.match(later):
                        break
                    vend = later_start + len(later)
            if vstart >= vend and last and next_block is not None and next_block.kind != "page-break":
                nxt = text[next_block.start : next_block.end]
                if len(nxt) <= 200 and not _inline_at_start(nxt) and not _OPENER.match(nxt):
                    vstart, vend = next_block.start, next_block.end
            col.put(key, vstart, vend)


def parse_front_matter(doc: Document) -> tuple[dict[str, str], dict[str, tuple[int, int]]]:
    col = _Collector(doc)
    blocks = [b for b in doc.blocks[:HEAD_BLOCKS] if b.start < HEAD_CHARS]
    for i, block in enumerate(blocks):
        if block.kind == "page-break":
            if col.metadata:
                break  # the front matter ended with the first page
            continue
        if block.kind == "table-row":
            _row_pairs(col, block)
        else:
            _line_pairs(col, block, blocks[i + 1] if i + 1 < len(blocks) else None)
    return col.metadata, col.fields


def apply_front_matter(doc: Document) -> Document:
    """Fill doc.metadata and doc.fields from the front matter; values already set are kept."""
    metadata, fields = parse_front_matter(doc)
    for key, value in metadata.items():
        if key not in doc.metadata:
            doc.metadata[key] = value
            doc.fields[key] = fields[key]
    return doc
