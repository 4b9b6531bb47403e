"""Readers: one module per format, each `read(path, data) -> Document`.

Every reader produces one normalised text rendition (what all offsets refer to) and its blocks
(headings, paragraphs, list items, table rows, page breaks), then runs the front-matter parser
(loaders.readers.frontmatter) to fill `Document.metadata` and `Document.fields`. Bad input ends in
a ReaderError whose message is one sentence for people; `read_document` adds the checks common to
all formats (size, emptiness, content that does not match the file's suffix) and turns any
library failure on malformed input into a ReaderError too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from loaders.model import Document, ReaderError

Reader = Callable[[Path, bytes], Document]

# suffix -> (module, media type); modules are imported lazily so a missing optional library
# only affects its own format
_READERS: dict[str, tuple[str, str]] = {
    ".txt": ("loaders.readers.text", "text/plain"),
    ".text": ("loaders.readers.text", "text/plain"),
    ".md": ("loaders.readers.text", "text/markdown"),
    ".markdown": ("loaders.readers.text", "text/markdown"),
    ".html": ("loaders.readers.html", "text/html"),
    ".htm": ("loaders.readers.html", "text/html"),
    ".pdf": ("loaders.readers.pdf", "application/pdf"),
    ".docx": ("loaders.readers.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}

SUPPORTED_SUFFIXES = tuple(sorted(_READERS))

# Files larger than this are refused before reading: nothing in the genre comes close.
MAX_FILE_BYTES = 200 * 1024 * 1024


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in _READERS


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_MAGIC = (
    (b"%PDF-", "a PDF"),
    (b"PK\x03\x04", "a zip archive (DOCX, XLSX or similar)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file (.doc or .xls)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
)
_EXPECTED = {".pdf": b"%PDF-", ".docx": b"PK\x03\x04"}


def _sniff(data: bytes) -> tuple[bytes, str] | None:
    head = data[:1024].lstrip()
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return magic, what
    if head[:300].lower().lstrip(b"\xef\xbb\xbf").startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body")):
        return b"<", "an HTML page"
    return None


def _mislabelled(suffix: str, data: bytes) -> str | None:
    """Why the content is not what the suffix says, or None. Text and HTML can hold anything
    textual, so only binary formats are checked against them."""
    found = _sniff(data)
    what = found[1] if found else None
    expected = _EXPECTED.get(suffix)
    if expected is not None:
        if (found and found[0] == expected) or (expected == b"%PDF-" and expected in data[:1024]):
            return None
        return f"the file is named {suffix} but is {what or 'not a ' + suffix.lstrip('.').upper() + ' file'}"
    if found and found[0] != b"<":
        return f"the file is named {suffix} but is {what}"
    return None


def read_document(path: str | Path, data: bytes | None = None) -> Document:
    """Read one file into a Document, or raise ReaderError saying why not."""
    import importlib

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in _READERS:
        raise ReaderError(f"unsupported file type {suffix or '(none)'}; cskg reads {', '.join(SUPPORTED_SUFFIXES)}")
    if data is None:
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise ReaderError(f"file is {size // (1024 * 1024)} MB; the limit is {MAX_FILE_BYTES // (1024 * 1024)} MB")
            data = path.read_bytes()
        except OSError as exc:
            raise ReaderError(f"cannot read the file: {exc.strerror or exc}") from None
    if not data or not data.strip():
        raise ReaderError("the file is empty")
    module_name, media_type = _READERS[suffix]
    mislabelled = _mislabelled(suffix, data)
    if mislabelled:
        raise ReaderError(mislabelled)
    module = importlib.import_module(module_name)
    try:
        doc: Document = module.read(path, data)
    except ReaderError:
        raise
    except RecursionError:
        raise ReaderError("the file is nested too deeply to read") from None
    except MemoryError:
        raise ReaderError("the file needs more memory than is available to read it") from None
    except Exception as exc:  # a parser library failing on malformed input
        kind = suffix.lstrip(".").upper()
        raise ReaderError(f"the {kind} file is damaged or not what its name says ({type(exc).__name__})") from None
    doc.media_type = doc.media_type or media_type
    if not doc.text.strip():
        raise ReaderError("no readable text in the file")
    return doc
