"""PDF: committee reports as councils publish them (Word exports, agenda packs).

Library choice, measured on tests/fixtures/reports/torbay-...pdf (a ruled front-matter table, a
two-column front page, a grade table, a running footer); no real council PDFs were at hand
offline, so the constructed pages in tests/readers/test_pdf.py stand in for the other layouts:

- pdfplumber's `extract_text()` merges the two columns line by line ("...on the Commissioner
  for Children's Services in Torbay.") and is useless for the front page;
- pdfminer's layout analysis (LAParams) keeps columns apart but splits every table cell into its
  own box, so "Date:" ends up far from "12 October 2017" and the grade table is scrambled;
- pypdfium2's text follows the content stream: right only when the producer wrote in reading
  order, and running heads come first;
- PyMuPDF is AGPL, so not an option.

So: pdfplumber (MIT; pdfminer underneath) for the words and their positions, and a small layout
pass here. Ruled tables (Word tables with borders: front matter, grade tables) come from
pdfplumber's table finder, so a cell wrapped over several lines stays one cell. Other words become
physical lines, split into segments at wide gaps. A page region is read as two columns when lines
on both sides run up to one vertical gutter (text ending just left of it and starting just right
of it, four words or more; the columns' baselines need not line up); otherwise segments on one
line are cells of an unruled table and are joined by tabs, which keeps label/value front matter on
one row. Lines become paragraphs by vertical spacing; running heads and footers repeated on most
pages are dropped. Pages are separated by a form-feed block and every block carries its page.

Limits: more than MAX_PAGES pages, or a content stream that inflates past MAX_STREAM_BYTES,
is refused (PDF bombs); an empty user password is tried, other encrypted files are refused.
"""

from __future__ import annotations

import base64
import io
import itertools
import re
import statistics
import zlib
from collections import Counter
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

from loaders.model import Document, ReaderError
from loaders.readers import sha256_bytes
from loaders.readers.frontmatter import apply_front_matter
from loaders.readers.render import Rendition
from loaders.readers.text import render_lines

MAX_PAGES = 2000
MAX_STREAM_BYTES = 64 * 1024 * 1024
MAX_TEXT_CHARS = 40_000_000
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"})


@dataclass
class _Seg:
    x0: float
    x1: float
    text: str


@dataclass
class _Line:
    top: float
    bottom: float
    segs: list[_Seg]
    row: bool = False  # a row of a ruled table: never split into columns, never joined to prose

    @property
    def text(self) -> str:
        return "\t".join(s.text for s in self.segs)


def _lines(words: list[dict]) -> list[_Line]:
    """Words to physical lines (same baseline, across the whole page), split at wide gaps."""
    words = sorted(words, key=lambda w: (round(w["top"]), w["x0"]))
    rows: list[list[dict]] = []
    for w in words:
        if rows and abs(w["top"] - rows[-1][0]["top"]) <= 2.5:
            rows[-1].append(w)
        else:
            rows.append([w])
    out = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        size = statistics.median((w["bottom"] - w["top"]) for w in row)
        gap = max(6.0, size * 0.9)  # wider than a word space, narrower than a column gutter
        segs = [_Seg(row[0]["x0"], row[0]["x1"], row[0]["text"])]
        for w in row[1:]:
            if w["x0"] - segs[-1].x1 > gap:
                segs.append(_Seg(w["x0"], w["x1"], w["text"]))
            else:
                segs[-1].text += " " + w["text"]
                segs[-1].x1 = w["x1"]
        out.append(_Line(min(w["top"] for w in row), max(w["bottom"] for w in row), segs))
    return out


def _gutter(lines: list[_Line], width: float) -> float | None:
    """The x of a column gutter that prose on both sides runs up to, if there is one."""
    if len(lines) > 400:  # no report page has that many lines; spare the quadratic scan
        return None
    best, best_support = None, 0
    for x in range(int(width * 0.3), int(width * 0.7), 2):
        # prose runs up to the gutter from the left and starts just after it on the right; the
        # two columns' baselines need not line up, so each side is counted on its own
        left = right = 0
        for line in lines:
            if line.row or any(s.x0 < x < s.x1 for s in line.segs):
                continue
            before = [s for s in line.segs if s.x1 <= x]
            after = [s for s in line.segs if s.x0 >= x]
            if before and x - before[-1].x1 < 30 and len(before[-1].text.split()) >= 4:
                left += 1
            if after and after[0].x0 - x < 30 and len(after[0].text.split()) >= 4:
                right += 1
        support = min(left, right)
        if support > best_support:
            best, best_support = x, support
    return best if best_support >= 3 else None


def _ruled_tables(page) -> tuple[list[_Line], list[tuple[float, float, float, float]]]:  # noqa: ANN001
    """Tables drawn with rules, as rows of cells. Their cells' wrapped lines are joined, which
    the line-by-line reading cannot do, and they are never mistaken for text columns."""
    rows: list[_Line] = []
    boxes = []
    for table in page.find_tables():
        cells = table.extract(x_tolerance=1.5, y_tolerance=2.5)
        if len(cells) < 1 or max((len(r) for r in cells), default=0) < 2:
            continue  # a one-column "table" is usually a box drawn round a paragraph
        boxes.append(table.bbox)
        for r, row in zip(table.rows, cells, strict=False):
            texts = [" ".join((c or "").translate(_LIGATURES).split()) for c in row]
            segs = [_Seg(0, 0, t) for t in texts if t]
            if segs:
                rows.append(_Line(r.bbox[1], r.bbox[3], segs, row=True))
    return rows, boxes


def _inside(word: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    cx, cy = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def _flow(lines: list[_Line], width: float) -> list[list[_Line]]:
    """Lines in reading order, as runs; a two-column run is read left column first."""
    x = _gutter(lines, width)
    if x is None:
        return [lines]
    runs: list[list[_Line]] = []
    region: list[_Line] = []
    spanning: list[_Line] = []

    def close() -> None:
        if region:
            runs.append([_Line(l.top, l.bottom, [s for s in l.segs if s.x1 <= x]) for l in region])
            runs.append([_Line(l.top, l.bottom, [s for s in l.segs if s.x0 >= x]) for l in region])
            region.clear()

    for line in lines:
        if line.row or any(s.x0 < x < s.x1 for s in line.segs):
            close()
            spanning.append(line)
        else:
            if spanning:
                runs.append(spanning)
                spanning = []
            region.append(line)
    close()
    if spanning:
        runs.append(spanning)
    return [[l for l in run if l.segs] for run in runs if any(l.segs for l in run)]


_LIST_START = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*[.)]?|\(?[a-z]\)|[a-z]\.|\([ivx]{1,4}\)|[•·▪●○■–-])\s")


def _paragraphs(run: list[_Line]) -> list[str]:
    """A run of lines as logical lines: paragraphs joined with spaces, table rows kept, blank
    strings between paragraphs."""
    out: list[str] = []
    gaps = [b.top - a.bottom for a, b in zip(run, run[1:], strict=False)]
    normal = statistics.median(gaps) if gaps else 0.0
    para: list[str] = []
    prev: _Line | None = None
    for line in run:
        text = line.text
        new = (
            prev is None
            or len(line.segs) > 1
            or len(prev.segs) > 1
            or line.row
            or prev.row
            or line.top - prev.bottom > max(normal * 1.6, normal + 2.5)
            or bool(_LIST_START.match(text))
        )
        if new and para:
            out.append(_join(para))
            out.append("")
            para = []
        para.append(text)
        prev = line
    if para:
        out.append(_join(para))
    return out


def _join(lines: list[str]) -> str:
    s = lines[0]
    for nxt in lines[1:]:
        if s.endswith("-") and len(s) > 1 and s[-2].isalpha() and nxt[:1].islower():
            s = s[:-1] + nxt  # a word hyphenated at the line end
        else:
            s += " " + nxt
    return s


def _furniture(pages: list[list[_Line]], heights: list[float]) -> set[str]:
    """Running heads and footers: lines near the top or bottom edge repeated on most pages."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines, height in zip(pages, heights, strict=True):
        edge = {re.sub(r"\d+", "#", l.text) for l in lines if l.top < height * 0.1 or l.bottom > height * 0.9}
        counts.update(edge)
    return {k for k, n in counts.items() if n >= max(2, (len(pages) + 1) // 2)}


def _check_streams(pdf) -> None:  # noqa: ANN001
    """Refuse content streams that inflate past the limit, before pdfminer inflates them whole."""
    from pdfminer.pdftypes import resolve1

    for page in pdf.pages:
        contents = resolve1(page.page_obj.attrs.get("Contents"))
        streams = contents if isinstance(contents, list) else [contents]
        for ref in streams:
            stream = resolve1(ref)
            raw = getattr(stream, "rawdata", None)
            filters = resolve1(getattr(stream, "attrs", {}).get("Filter"))
            names = [str(getattr(f, "name", f)) for f in (filters if isinstance(filters, list) else [filters])]
            if not raw or "FlateDecode" not in names:
                continue
            try:
                if names[0] == "ASCII85Decode":
                    raw = base64.a85decode(raw.strip().removeprefix(b"<~").removesuffix(b"~>"), ignorechars=b" \t\n\r\f\v")
                inflater = zlib.decompressobj()
                inflater.decompress(raw, MAX_STREAM_BYTES)
            except (zlib.error, ValueError):
                continue  # pdfminer copes with (or skips) broken streams itself
            if inflater.unconsumed_tail:
                raise ReaderError(f"a page's content inflates past {MAX_STREAM_BYTES // (1024 * 1024)} MB; refused as a possible PDF bomb")


def _dedupe_chars(chars: list[dict], tolerance: float = 1) -> list[dict]:
    """pdfplumber's `utils.dedupe_chars`, same result, in linear order restoration: pdfplumber puts
    the survivors back in page order with `chars.index`, quadratic in the characters on a page
    (2.6 of 2.8 s on a 5-page report)."""
    from pdfplumber.utils.clustering import cluster_objects

    key = itemgetter("upright", "text", "fontname", "size")
    pos_key = itemgetter("doctop", "x0")
    order = {id(c): i for i, c in enumerate(chars)}
    unique = []
    for _grp, grp_chars in itertools.groupby(sorted(chars, key=key), key=key):
        for y_cluster in cluster_objects(list(grp_chars), itemgetter("doctop"), tolerance):
            for x_cluster in cluster_objects(y_cluster, itemgetter("x0"), tolerance):
                unique.append(min(x_cluster, key=pos_key))
    unique.sort(key=lambda c: order[id(c)])
    return unique


def _deduped(page):  # noqa: ANN001, ANN202 - pdfplumber's Page.dedupe_chars with the linear dedupe
    from pdfplumber.page import FilteredPage

    view = FilteredPage(page, lambda _obj: True)
    view._objects = dict(page.objects)
    view._objects["char"] = _dedupe_chars(page.chars)
    return view


def read(path: Path, data: bytes) -> Document:
    if b"%PDF-" not in data[:1024]:
        raise ReaderError("this is not a PDF file (no %PDF header)")
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfplumber wraps pdfminer's errors in its own exception
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        if isinstance(inner, PDFPasswordIncorrect):
            raise ReaderError("the PDF is password-protected") from None
        if isinstance(inner, PDFEncryptionError):
            raise ReaderError(f"the PDF is encrypted in a way that cannot be read ({inner})") from None
        if isinstance(inner, (PDFSyntaxError, PSException)):
            raise ReaderError(f"the PDF is damaged ({inner or 'syntax error'})") from None
        raise ReaderError(f"the PDF is damaged ({type(inner).__name__}: {str(inner)[:100]})") from None
    with pdf:
        try:
            count = len(pdf.pages)
        except Exception as exc:  # a broken page tree
            raise ReaderError(f"the PDF's page list is damaged ({type(exc).__name__})") from None
        if count > MAX_PAGES:
            raise ReaderError(f"the PDF has {count} pages; the limit is {MAX_PAGES}")
        if count == 0:
            raise ReaderError("the PDF has no pages")
        _check_streams(pdf)
        pages, heights, widths = [], [], []
        for page in pdf.pages:
            try:
                # bold faked by overprinting doubles every character; dedupe_chars undoes it
                view = _deduped(page)
                rows, boxes = _ruled_tables(view)
                words = [w for w in view.extract_words(x_tolerance=1.5, y_tolerance=2.5) if not _inside(w, boxes)]
                for w in words:
                    w["text"] = w["text"].translate(_LIGATURES)
            except Exception as exc:
                raise ReaderError(f"page {page.page_number} of the PDF cannot be read ({type(exc).__name__})") from None
            pages.append(sorted(_lines(words) + rows, key=lambda l: l.top))
            heights.append(float(page.height))
            widths.append(float(page.width))
            page.flush_cache()
    furniture = _furniture(pages, heights)
    out = Rendition(MAX_TEXT_CHARS)
    for number, (lines, width) in enumerate(zip(pages, widths, strict=True), start=1):
        if number > 1:
            out.page_break(number)
        lines = [l for l in lines if re.sub(r"\d+", "#", l.text) not in furniture]
        logical: list[str] = []
        for run in _flow(lines, width):
            logical += _paragraphs(run) + [""]
        render_lines(logical, out, number)
    doc = Document(
        source_file=path.name, path=str(path), media_type="application/pdf", sha256=sha256_bytes(data),
        text=out.text, blocks=out.blocks, pages=count,
    )
    if not doc.text.strip():
        raise ReaderError("the PDF has no text layer (a scanned document?); cskg does not do OCR")
    apply_front_matter(doc)
    return doc
