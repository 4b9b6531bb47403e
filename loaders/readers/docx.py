"""DOCX: Word committee reports.

The body is read in document order: paragraphs, and tables as one table-row block per row with
cells joined by tabs (merged cells appear once; a nested table's text stays in its cell). Headings
come from the "Heading N" and "Title" styles or an outline level. List numbering lives in
numbering.xml, referenced from a paragraph's `w:numPr` or its style's: the reader keeps a
counter per list and level and renders the level's text pattern ("%1.%2", "(%1)") in the
level's format (decimal, letters, roman); bullets become "•". Headers and footers are skipped:
they repeat on every page and carry no facts.

The file is a zip, so before python-docx opens it the members' declared sizes are checked: a
zip bomb (a small file that inflates to gigabytes) is refused.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from loaders.model import Document, ReaderError
from loaders.readers import sha256_bytes
from loaders.readers.frontmatter import apply_front_matter
from loaders.readers.render import Rendition, tidy_line

MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200  # inflation of one member; Word XML compresses about 10:1
MAX_MEMBERS = 10_000

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def check_zip(data: bytes) -> None:
    if not data.startswith(b"PK"):
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            raise ReaderError("this is an old binary Word (.doc) file, not .docx; save it as .docx")
        raise ReaderError("this is not a DOCX file (not a zip archive)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ReaderError(f"the DOCX file is damaged ({exc})") from None
    if len(infos) > MAX_MEMBERS:
        raise ReaderError(f"the DOCX archive holds {len(infos)} files; refused as a possible zip bomb")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED_BYTES:
        raise ReaderError(f"the DOCX file would unpack to {total // (1024 * 1024)} MB; refused as a possible zip bomb")
    for i in infos:
        if i.file_size > 1024 * 1024 and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            raise ReaderError(f"a part of the DOCX file ({i.filename}) inflates {i.file_size // max(i.compress_size, 1)} times; refused as a possible zip bomb")
    if "word/document.xml" not in {i.filename for i in infos}:
        raise ReaderError("this zip archive is not a Word document (no word/document.xml)")


# ---------------------------------------------------------------------------------------------
# Numbering


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + numeral, n - value
    return out


def _letters(n: int) -> str:
    s = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def _format(n: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return _letters(n).lower()
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


class _Numbering:
    """Counters for every (numId, level), rendering each level's lvlText."""

    def __init__(self, document) -> None:  # noqa: ANN001
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId -> ilvl -> (fmt, text, start)
        self.abstract_of: dict[str, str] = {}
        self.counters: dict[str, list[int]] = {}  # abstractNum -> counters per level
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for an in root.findall(f"{W}abstractNum"):
            lv: dict[int, tuple[str, str, int]] = {}
            for lvl in an.findall(f"{W}lvl"):
                fmt = lvl.find(f"{W}numFmt")
                text = lvl.find(f"{W}lvlText")
                start = lvl.find(f"{W}start")
                lv[int(lvl.get(f"{W}ilvl", "0"))] = (
                    fmt.get(f"{W}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{W}val", "") if text is not None else "",
                    int(start.get(f"{W}val", "1")) if start is not None and start.get(f"{W}val", "1").isdigit() else 1,
                )
            abstract[an.get(f"{W}abstractNumId", "")] = lv
        for num in root.findall(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            if ref is not None:
                aid = ref.get(f"{W}val", "")
                self.abstract_of[num.get(f"{W}numId", "")] = aid
                self.levels[num.get(f"{W}numId", "")] = abstract.get(aid, {})

    def label(self, num_id: str, ilvl: int) -> str | None:
        levels = self.levels.get(num_id)
        if not levels or num_id == "0":
            return None
        fmt, text, _ = levels.get(ilvl, ("bullet", "•", 1))
        if fmt == "bullet":
            return "•"
        if fmt == "none":
            return None
        key = self.abstract_of.get(num_id, num_id)
        counters = self.counters.setdefault(key, [0] * 9)
        ilvl = min(max(ilvl, 0), 8)
        if counters[ilvl] == 0:
            counters[ilvl] = levels.get(ilvl, (fmt, text, 1))[2]
        else:
            counters[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0

        def sub(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            lf = levels.get(k, ("decimal", "", 1))[0]
            return _format(counters[k] or levels.get(k, ("", "", 1))[2], lf if k != ilvl else fmt)

        rendered = re.sub(r"%([1-9])", sub, text or f"%{ilvl + 1}.")
        return rendered.strip() or None


def _num_pr(p, styles: dict) -> tuple[str, int] | None:  # noqa: ANN001
    """A paragraph's (numId, ilvl), directly or through its style chain."""
    ppr = p.find(f"{W}pPr")
    num = ppr.find(f"{W}numPr") if ppr is not None else None
    style_id = None
    if ppr is not None:
        ps = ppr.find(f"{W}pStyle")
        style_id = ps.get(f"{W}val") if ps is not None else None
    seen = set()
    while num is None and style_id and style_id not in seen:
        seen.add(style_id)
        num, style_id = styles.get(style_id, (None, None))
    if num is None:
        return None
    nid = num.find(f"{W}numId")
    lvl = num.find(f"{W}ilvl")
    if nid is None:
        return None
    return nid.get(f"{W}val", "0"), int(lvl.get(f"{W}val", "0")) if lvl is not None and lvl.get(f"{W}val", "0").isdigit() else 0


# ---------------------------------------------------------------------------------------------
# Text


def _text(el) -> str:  # noqa: ANN001
    """A paragraph's (or cell's) visible text: runs, tabs and breaks, text boxes once; deleted
    text and field codes skipped (they are not w:t)."""
    parts: list[str] = []
    stack = [el]
    while stack:
        node = stack.pop()
        tag = node.tag
        if tag == _MC_FALLBACK:
            continue  # Word stores a text box twice, the second copy for old readers
        stack.extend(reversed(node))
        if tag == f"{W}t":
            parts.append(node.text or "")
        elif tag == f"{W}tab":
            parts.append("\t")
        elif tag in (f"{W}br", f"{W}cr"):
            parts.append("\n")
        elif tag == f"{W}p" and node is not el:
            parts.append("\n")
        elif tag == f"{W}noBreakHyphen":
            parts.append("-")
    return "".join(parts)


def _heading_level(p, style_names: dict[str, str]) -> int | None:  # noqa: ANN001
    ppr = p.find(f"{W}pPr")
    if ppr is None:
        return None
    ol = ppr.find(f"{W}outlineLvl")
    ps = ppr.find(f"{W}pStyle")
    name = style_names.get(ps.get(f"{W}val", ""), "") if ps is not None else ""
    m = re.match(r"(?i)heading\s*(\d)", name)
    if m:
        return int(m.group(1))
    if name.lower() == "title":
        return 1
    if ol is not None and ol.get(f"{W}val", "9").isdigit() and int(ol.get(f"{W}val", "9")) < 9:
        return int(ol.get(f"{W}val")) + 1
    return None


def _body_items(body):  # noqa: ANN001, ANN202
    """Body paragraphs and tables in order, looking inside content controls (templates wrap
    front matter in them)."""
    stack = list(reversed(list(body.iterchildren())))
    while stack:
        el = stack.pop()
        if el.tag in (f"{W}sdt", f"{W}customXml"):
            content = el.find(f"{W}sdtContent") if el.tag == f"{W}sdt" else el
            if content is not None:
                stack.extend(reversed(list(content.iterchildren())))
        else:
            yield el


def read(path: Path, data: bytes) -> Document:
    check_zip(data)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ReaderError(f"the DOCX file is damaged ({type(exc).__name__})") from None
    except Exception as exc:  # malformed XML inside the package
        raise ReaderError(f"the DOCX file is damaged ({type(exc).__name__}: {str(exc)[:100]})") from None

    styles: dict[str, tuple] = {}
    style_names: dict[str, str] = {}
    for st in document.styles.element.findall(f"{W}style"):
        sid = st.get(f"{W}styleId", "")
        name = st.find(f"{W}name")
        style_names[sid] = name.get(f"{W}val", "") if name is not None else ""
        ppr = st.find(f"{W}pPr")
        based = st.find(f"{W}basedOn")
        styles[sid] = (ppr.find(f"{W}numPr") if ppr is not None else None, based.get(f"{W}val") if based is not None else None)
    numbering = _Numbering(document)

    out = Rendition()
    body = document.element.body
    for el in _body_items(body):
        if el.tag == f"{W}p":
            text = "\n".join(tidy_line(line) for line in _text(el).split("\n"))
            text = re.sub(r"\n{2,}", "\n", text).strip()
            if not text:
                continue
            level = _heading_level(el, style_names)
            num = _num_pr(el, styles)
            label = numbering.label(*num) if num else None
            if level is not None:
                out.add(f"{label} {text}" if label and label != "•" else text, "heading", level=level)
            elif num is not None:
                out.add(f"{label} {text}" if label else text, "list-item", level=num[1] + 1)
            else:
                out.add(text, "paragraph")
        elif el.tag == f"{W}tbl":
            for tr in el.iterchildren(f"{W}tr"):
                cells = []
                for tc in tr.iterchildren(f"{W}tc"):
                    tcpr = tc.find(f"{W}tcPr")
                    vmerge = tcpr.find(f"{W}vMerge") if tcpr is not None else None
                    if vmerge is not None and vmerge.get(f"{W}val", "continue") == "continue":
                        cells.append("")  # the merged cell's text is in the row above
                        continue
                    cells.append(tidy_line(" ".join(_text(tc).replace("\t", " ").split())))
                while cells and not cells[-1]:
                    cells.pop()
                while cells and not cells[0]:
                    cells.pop(0)
                if cells:
                    out.add("\t".join(cells), "table-row")
    doc = Document(
        source_file=path.name,
        path=str(path),
        media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        sha256=sha256_bytes(data),
        text=out.text,
        blocks=out.blocks,
    )
    apply_front_matter(doc)
    return doc
