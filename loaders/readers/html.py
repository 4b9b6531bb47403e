"""HTML (.html, .htm): committee report pages and minutes saved from council websites.

The rendition holds the visible text only: `script`, `style`, `template`, the `head`, navigation
menus and anything hidden (`hidden`, `aria-hidden`, `display:none`, `visibility:hidden`,
`sr-only`) are dropped. Block elements become blocks: `h1`-`h6` headings, `li` list items
(ordered lists numbered "1.", "2." as the browser would, honouring `start`; bullets "•"), table
rows with their cells joined by tabs (nested tables collapse into their cell's text), everything
else paragraphs. Whitespace is collapsed as a browser would; `br` keeps a line break.

lxml parses (it is fast and tolerant of tag soup); the tree is then walked with an explicit stack
rather than recursion, so a deeply nested document cannot exhaust Python's recursion limit. libxml2
gives up past a fixed nesting depth (2,048 even in huge mode) and silently loses the rest of the
page, so such documents are parsed again with BeautifulSoup's html.parser, which has no limit.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import bs4
import lxml.etree
import lxml.html

from loaders.model import Document, ReaderError
from loaders.readers import sha256_bytes
from loaders.readers.frontmatter import apply_front_matter
from loaders.readers.render import Rendition, tidy_line
from loaders.readers.text import decode

_SKIP = {
    "script", "style", "noscript", "template", "head", "title", "meta", "link", "iframe", "object", "embed",
    "svg", "math", "canvas", "nav", "select", "option", "datalist", "input", "textarea", "button", "map", "area",
    "audio", "video", "source", "track", "param",
}
_HEADINGS = {f"h{i}": i for i in range(1, 7)}
_BLOCKS = {
    "p", "div", "section", "article", "main", "header", "footer", "aside", "address", "blockquote", "pre",
    "figure", "figcaption", "caption", "dl", "dt", "dd", "ul", "ol", "li", "table", "thead", "tbody", "tfoot",
    "tr", "td", "th", "form", "fieldset", "legend", "details", "summary", "hr", "center", "body", "html",
    *_HEADINGS,
}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_HIDDEN_CLASS = re.compile(r"(?:^|\s)(?:sr-only|visually-hidden|visuallyhidden|screen-reader-text|hidden|d-none)(?:\s|$)")
_WS = re.compile(r"[ \t\n\r\f\v]+")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)


def _spaced(s: str) -> str:
    """_WS.sub(" ", s). A string with none of the characters but single spaces is its own result
    (each match is one space, put back as one): most text nodes, which are then not scanned, and
    the substitution over every node cost ~0.4 ms an HTML report."""
    if "  " in s or "\n" in s or "\t" in s or "\r" in s or "\f" in s or "\v" in s:
        return _WS.sub(" ", s)
    return s


def _decode(data: bytes) -> str:
    if not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        m = _META_CHARSET.search(data[:8192])
        if m:
            try:
                encoding = codecs.lookup(m.group(1).decode("ascii")).name
            except LookupError:
                encoding = None
            if encoding and encoding not in ("utf-16-le", "utf-16-be", "utf-16", "utf-32"):
                if encoding in ("latin-1", "iso8859-1", "ascii"):
                    encoding = "cp1252"  # what browsers do with these labels
                try:
                    return data.decode(encoding)
                except UnicodeDecodeError:
                    pass
    return decode(data)


def _hidden(attrs: Mapping[str, str]) -> bool:
    get = attrs.get
    if get("hidden") is not None or get("aria-hidden", "").lower() == "true":
        return True
    style, cls = get("style"), get("class")
    return bool((style and _HIDDEN_STYLE.search(style)) or (cls and _HIDDEN_CLASS.search(cls)))


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + numeral, n - value
    return out


def _marker(list_type: str, n: int) -> str:
    if list_type in ("a", "A"):
        s, k = "", n
        while k > 0:
            k, r = divmod(k - 1, 26)
            s = chr(97 + r) + s
        return (s.upper() if list_type == "A" else s) + "."
    if list_type in ("i", "I"):
        return (_roman(n).upper() if list_type == "I" else _roman(n)) + "."
    return f"{n}."


class _Walker:
    def __init__(self, out: Rendition) -> None:
        self.out = out
        self.buf: list[str] = []
        self.ctx: list[list] = [["paragraph", None, ""]]  # kind, level, pending list marker
        self.lists: list[list] = []  # [type, next number] for each open list; type "" = bullets
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.cell_depth = 0

    def text(self, s: str | None) -> None:
        if not s:
            return
        s = _spaced(s)
        (self.cell if self.cell is not None else self.buf).append(s)

    def flush(self) -> None:
        raw = "".join(self.buf)
        self.buf = []
        lines = [tidy_line(line) for line in raw.split("\n")]
        text = "\n".join(line for line in lines if line)
        if not text:
            return
        top = self.ctx[-1]
        kind, level, marker = top
        if marker:
            text, top[2] = f"{marker} {text}", ""
        self.out.add(text, kind, level=level)

    def start(self, tag: str, el: Mapping[str, str]) -> None:
        if self.cell_depth:
            if tag in ("td", "th"):
                self.cell_depth += 1
            if tag == "br" or tag in _BLOCKS:
                self.cell.append(" ")  # type: ignore[union-attr]
            return
        if tag == "br":
            self.buf.append("\n")
            return
        if tag not in _BLOCKS:
            return
        self.flush()
        if tag in ("td", "th"):
            if self.row is None:
                self.row = []
            self.cell, self.cell_depth = [], 1
        elif tag == "tr":
            self.row = []
        elif tag in ("ul", "ol"):
            start = el.get("start", "1")
            list_type = (el.get("type") or "1") if tag == "ol" else ""
            self.lists.append([list_type, int(start) if start.strip().lstrip("-").isdigit() else 1])
        elif tag == "li":
            marker = "•"
            if self.lists and self.lists[-1][0]:
                value = el.get("value", "")
                if value.strip().isdigit():
                    self.lists[-1][1] = int(value)
                marker = _marker(self.lists[-1][0], self.lists[-1][1])
                self.lists[-1][1] += 1
            self.ctx.append(["list-item", max(1, len(self.lists)), marker])
            return
        if tag in _HEADINGS:
            self.ctx.append(["heading", _HEADINGS[tag], ""])
        elif tag not in ("td", "th", "tr"):
            self.ctx.append(["paragraph", None, ""])

    def end(self, tag: str) -> None:
        if self.cell_depth:
            if tag in ("td", "th"):
                self.cell_depth -= 1
                if self.cell_depth == 0:
                    self.row.append(tidy_line(_spaced("".join(self.cell))))  # type: ignore[union-attr, arg-type]
                    self.cell = None
            elif tag in _BLOCKS:
                self.cell.append(" ")  # type: ignore[union-attr]
            return
        if tag not in _BLOCKS:
            return
        self.flush()
        if tag == "tr" or (tag == "table" and self.row):
            self._emit_row()
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        if tag not in ("td", "th", "tr") and len(self.ctx) > 1:
            self.ctx.pop()

    def _emit_row(self) -> None:
        cells = self.row or []
        self.row = None
        while cells and not cells[-1]:
            cells.pop()
        while cells and not cells[0]:
            cells.pop(0)
        if cells:
            self.out.add("\t".join(cells), "table-row")


def _lxml_events(root: lxml.html.HtmlElement) -> Iterator[tuple[str, str, object]]:
    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        el, closing = stack.pop()
        tag = el.tag.lower().rpartition("}")[2] if isinstance(el.tag, str) else ""  # type: ignore[attr-defined]
        if closing:
            yield "end", tag, None
            yield "text", "", el.tail  # type: ignore[attr-defined]
            continue
        if not tag or tag in _SKIP or _hidden(el.attrib):  # type: ignore[attr-defined]  # comments have no tag
            yield "text", "", el.tail  # type: ignore[attr-defined]
            continue
        yield "start", tag, el.attrib  # type: ignore[attr-defined]
        yield "text", "", el.text  # type: ignore[attr-defined]
        stack.append((el, True))
        stack.extend((child, False) for child in reversed(el))  # type: ignore[call-overload]


def _soup_events(soup: bs4.BeautifulSoup) -> Iterator[tuple[str, str, object]]:
    stack: list[tuple[object, bool]] = [(soup, False)]
    while stack:
        el, closing = stack.pop()
        if isinstance(el, bs4.NavigableString):
            if type(el) is bs4.NavigableString:  # not a comment, doctype or CDATA
                yield "text", "", str(el)
            continue
        tag = (el.name or "").lower()  # type: ignore[attr-defined]
        if closing:
            yield "end", tag, None
            continue
        attrs = {k: " ".join(v) if isinstance(v, list) else v for k, v in el.attrs.items()}  # type: ignore[attr-defined]
        if tag in _SKIP or _hidden(attrs):
            continue
        yield "start", tag, attrs
        stack.append((el, True))
        stack.extend((child, False) for child in reversed(el.contents))  # type: ignore[attr-defined]


def walk(events: Iterator[tuple[str, str, object]], out: Rendition) -> None:
    walker = _Walker(out)
    for event, tag, value in events:
        if event == "text":
            walker.text(value)  # type: ignore[arg-type]
        elif event == "start":
            walker.start(tag, value)  # type: ignore[arg-type]
        else:
            walker.end(tag)
    walker.flush()
    if walker.row:
        walker._emit_row()


def read(path: Path, data: bytes) -> Document:
    text = _decode(data)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses str input with an encoding declaration
    if not text.strip():
        raise ReaderError("the file is empty")
    out = Rendition()
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError):
        root = None
    if root is not None and not any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        walk(_lxml_events(root), out)
    else:
        # libxml2 stops at a fixed nesting depth and drops the rest of the document; Python's
        # own parser has no such limit and the walk is iterative, so the text survives
        walk(_soup_events(bs4.BeautifulSoup(text, "html.parser")), out)
    doc = Document(
        source_file=path.name, path=str(path), media_type="text/html", sha256=sha256_bytes(data), text=out.text, blocks=out.blocks
    )
    apply_front_matter(doc)
    title = _title(root) if root is not None else _soup_title(text)
    if title:
        # kept out of the rendition so offsets stay those of the page body; often the only place
        # a council's web page names the council ("Minutes - ... - Norfolk County Council")
        doc.metadata["html_title"] = title
    return doc


def _title(root: lxml.html.HtmlElement) -> str | None:
    el = root.find(".//title")
    return _clean(el.text_content()) if el is not None else None


def _soup_title(text: str) -> str | None:
    el = bs4.BeautifulSoup(text, "html.parser").find("title")
    return _clean(el.get_text()) if el is not None else None


def _clean(s: str) -> str | None:
    s = _WS.sub(" ", s).strip()
    return s[:300] or None
