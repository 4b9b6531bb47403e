"""Helpers for the reader tests: every document a reader returns must be self-consistent."""

from __future__ import annotations

from pathlib import Path

from loaders.model import Document

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "reports"
SAMPLES = Path(__file__).resolve().parent.parent.parent / "data" / "samples"


def check_document(doc: Document) -> None:
    """Blocks are in order, non-empty, trimmed and point into the text; field spans hold the
    metadata values."""
    end = 0
    for b in doc.blocks:
        piece = doc.text[b.start : b.end]
        assert b.start >= end and b.end > b.start, b
        assert piece and piece == piece.strip(" \t\n"), (b, piece)
        end = b.end
    assert set(doc.fields) <= set(doc.metadata)
    for key, (a, b) in doc.fields.items():
        assert " ".join(doc.text[a:b].split()) == doc.metadata[key], key


def kinds(doc: Document, kind: str) -> list[str]:
    return [doc.block_text(b) for b in doc.blocks if b.kind == kind]
