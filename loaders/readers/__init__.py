"""Readers: one module per format, each `read(path) -> Document`."""

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
    if not data:
        raise ReaderError("the file is empty")
    module_name, media_type = _READERS[suffix]
    module = importlib.import_module(module_name)
    doc: Document = module.read(path, data)
    doc.media_type = doc.media_type or media_type
    if not doc.text.strip():
        raise ReaderError("no readable text in the file")
    return doc
