"""Plain text and Markdown. (Minimal for now: the full reader with blocks and encodings comes
with the readers issue.)"""

from __future__ import annotations

from pathlib import Path

from loaders.model import Document, ReaderError
from loaders.readers import sha256_bytes


def decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read(path: Path, data: bytes) -> Document:
    if b"\x00" in data[:4096]:
        raise ReaderError("this looks like a binary file, not text")
    text = decode(data).replace("\r\n", "\n").replace("\r", "\n")
    return Document(source_file=path.name, path=str(path), media_type="text/plain", sha256=sha256_bytes(data), text=text)
