"""Plain text and Markdown.

Council papers reach us as text in several shapes: straight exports (often cp1252, not UTF-8),
UTF-16 from Windows tools, and Markdown-ish conversions of Word files that keep `**bold**`,
`<u>`, `<sup>` and `<p>` tags, pipe tables and `--` rules. The rendition is a cleaned version of
the file: markup dropped, table cells separated by tabs, separator lines removed, so extractors
and readers see prose. Offsets refer to this cleaned text, never to the file's bytes.

Blocks: headings (`#` lines and short stand-alone title lines), list items (bullets `-`, `*`,
`•` and numbered `1.`, `1.1`, `a)`, `(iv)`), table rows (pipe tables and tab-separated lines) and
paragraphs (runs of other lines).
"""

from __future__ import annotations

import codecs
import html
import re
from pathlib import Path

from loaders.model import Document, ReaderError
from loaders.readers import sha256_bytes
from loaders.readers.frontmatter import apply_front_matter
from loaders.readers.render import Rendition, tidy_line


def _latin1_for_undefined(exc: UnicodeError) -> tuple[str, int]:
    # cp1252 leaves five bytes undefined; Latin-1 gives them a (control) character instead of failing
    if isinstance(exc, UnicodeDecodeError):
        return exc.object[exc.start : exc.end].decode("latin-1"), exc.end
    raise exc


codecs.register_error("cskg-latin1", _latin1_for_undefined)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


# control characters other than tab, line feed, carriage return and form feed
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    controls = len(_CONTROL.findall(sample))
    return controls > max(8, len(sample) // 100)


def decode(data: bytes) -> str:
    """Bytes to text: a BOM decides; else UTF-8; else cp1252 (Latin-1 for its five gaps).
    UTF-16 without a BOM is recognised by its zero bytes. Binary data raises ReaderError."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                raise ReaderError(f"the file starts with a {encoding.upper()} byte-order mark but is not valid {encoding.upper()}") from None
            break
    else:
        head = data[:4096]
        if b"\x00" in head:
            text = _decode_utf16_without_bom(data)
            if text is None:
                raise ReaderError("this is a binary file, not text")
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("cp1252", errors="cskg-latin1")
    if _looks_binary(text):
        raise ReaderError("this is a binary file, not text")
    return text


def _decode_utf16_without_bom(data: bytes) -> str | None:
    head = data[:4096]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    # ASCII-heavy UTF-16 has a zero in almost every other byte, on one side only
    if odd > len(head) // 4 and even < odd // 8:
        encoding = "utf-16-le"
    elif even > len(head) // 4 and odd < even // 8:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return data[: len(data) - len(data) % 2].decode(encoding)
    except UnicodeDecodeError:
        return None


# ---------------------------------------------------------------------------------------------
# Cleaning one line of Markdown-ish text

_INLINE_TAGS = re.compile(r"</?(?:u|b|i|s|em|strong|sup|sub|span|font|a|strike|del|ins|mark|small|big|code)\b[^<>]*/?>", re.I)
_BLOCK_TAGS = re.compile(
    r"</?(?:p|div|br|ol|ul|li|center|table|thead|tbody|tr|td|th|h[1-6]|hr|blockquote|pre|img)\b[^<>]*/?>", re.I
)
_SEPARATOR = re.compile(r"^[\s|:+]*(?:[-=_~*]\s*){2,}[-=_~*|:+\s]*$")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});", re.I)
_BOLD = re.compile(r"\*\*+|(?<![\w\\])__+(?=\S)|(?<=\S)__+(?!\w)")
_ITALIC = re.compile(r"(?<![\w*\\])\*(?=[^\s*])([^*\n]*?[^\s*])\*(?![\w*])")
_CODE = re.compile(r"`+([^`\n]*)`+")
_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\s]*\)")
_HEADING = re.compile(r"^(#{1,6})\s*(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^([-*+•·▪◦‣●○■□➢➤✓]|o(?=\s))\s+(?=\S)")
_NUMBERED = re.compile(
    r"^(?:\d{1,3}(?:\.\d{1,3})*[.)]?|\(\d{1,3}\)|[a-z][.)]|\([a-z]{1,4}\)|(?:[ivx]{1,5})[.)]|[A-Z][.)])\s+(?=\S)"
)


def clean_inline(line: str) -> str:
    # each pattern only runs when its trigger character is present: 50 MB files must stay quick
    if "<" in line:
        line = _BLOCK_TAGS.sub(" ", _INLINE_TAGS.sub("", line))
    if "](" in line:
        line = _LINK.sub(r"\1", line)
    if "`" in line:
        line = _CODE.sub(r"\1", line)
    if "*" in line or "__" in line:
        line = _BOLD.sub("", line)
        line = _ITALIC.sub(r"\1", line)
    if "&" in line:
        line = _ENTITY.sub(lambda m: html.unescape(m.group(0)), line)
    return line


def _table_cells(line: str) -> str | None:
    """A pipe-table row as tab-separated cells, or None when the line is not one."""
    s = line.strip()
    if not (s.startswith("|") or (s.endswith("|") and s.count("|") >= 2)):
        return None
    cells = [tidy_line(clean_inline(c)) for c in s.strip("|").split("|")]
    while cells and not cells[-1]:
        cells.pop()
    while cells and not cells[0]:
        cells.pop(0)
    return "\t".join(cells)


# ---------------------------------------------------------------------------------------------
# Lines to blocks


def _is_title_line(s: str) -> bool:
    """A short stand-alone line that reads as a heading: 'Summary', 'SOCIAL WORK ENGLAND',
    '1 Purpose of Report'."""
    body = _NUMBERED.sub("", s, count=1)
    words = body.split()
    if not words or len(words) > 12 or len(body) > 90 or "\t" in s:
        return False
    if body[-1] in ".,;:!?" or not (body[0].isupper() or body[0].isdigit()):
        return False
    if re.match(r"[^:]{1,40}:\s", body):  # "Date: 19 June 2017" is a field, not a heading
        return False
    caps = sum(1 for w in words if w[0].isupper() or not w[0].isalpha())
    return body.isupper() or caps * 2 >= len(words)


def render_lines(lines: list[str], out: Rendition, page: int | None = None) -> None:
    """Classify cleaned-on-the-fly source lines into blocks and add them to `out`."""
    para: list[str] = []
    para_kind = "paragraph"
    para_level: int | None = None

    def flush() -> None:
        nonlocal para, para_kind, para_level
        if para:
            kind = para_kind
            if len(para) == 1 and _is_title_line(para[0]):
                # a numbered line counts only when short: "2 Recommendation(s)", "(a) Financial"
                if kind == "paragraph" or (not _BULLET.match(para[0]) and len(para[0].split()) <= 8):
                    kind = "heading"
            out.add("\n".join(para), kind, level=para_level, page=page)
        para, para_kind, para_level = [], "paragraph", None

    for raw in lines:
        if not raw.strip():
            flush()
            continue
        if _SEPARATOR.match(raw):
            flush()
            continue
        indent = len(raw) - len(raw.lstrip(" \t"))
        cells = _table_cells(raw)
        if cells is not None:
            flush()
            if any(c.isalnum() for c in cells):
                out.add(cells, "table-row", page=page)
            continue
        stripped = raw.strip()
        m = _HEADING.match(stripped)
        if m:
            flush()
            out.add(tidy_line(clean_inline(m.group(2))), "heading", level=len(m.group(1)), page=page)
            continue
        if stripped.startswith(">"):
            stripped = stripped.lstrip("> ")
        line = tidy_line(clean_inline(stripped))
        if not line:
            continue
        if "\t" in line:
            flush()
            out.add(line, "table-row", page=page)
            continue
        bullet = _BULLET.match(line)
        if bullet:
            rest = line[bullet.end() :]
            # Word-to-Markdown converters turn numbered paragraphs into bullets: "- 1.1 In June ..."
            if _NUMBERED.match(rest):
                line = rest
            elif bullet.group(1) in "-*+":
                line = "• " + rest
        if bullet or _NUMBERED.match(line):
            flush()
            para, para_kind, para_level = [line], "list-item", (indent + 1) // 2 + 1
            continue
        para.append(line)
    flush()


def read(path: Path, data: bytes) -> Document:
    text = decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out = Rendition()
    pages = text.split("\f")
    for number, page in enumerate(pages, start=1):
        if number > 1:
            out.page_break(number)
        render_lines(page.split("\n"), out, number if len(pages) > 1 else None)
    media = "text/markdown" if path.suffix.lower() in (".md", ".markdown") else "text/plain"
    doc = Document(
        source_file=path.name, path=str(path), media_type=media, sha256=sha256_bytes(data), text=out.text, blocks=out.blocks
    )
    if len(pages) > 1:
        doc.pages = len(pages)
    apply_front_matter(doc)
    return doc
