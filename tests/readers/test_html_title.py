"""The page <title> is kept in metadata, never in the text, so offsets are those of the body."""

from __future__ import annotations

from pathlib import Path

from loaders.extract import Context
from loaders.extract.report import extract_report
from loaders.readers import read_document

ROOT = Path(__file__).resolve().parents[2]
NORFOLK = ROOT / "tests" / "fixtures" / "heldout" / "norfolk-2013-03-12-childrens-services-committee-minutes.html"

PAGE = (
    "<html><head><title>\n  Decision - Cabinet Member for Children -\n  Cheshire East Council </title></head>"
    "<body><h1>Decision: Fostering allowances</h1><p>Decision date: 4 May 2021</p>"
    "<p>The Cabinet Member approved the new fostering allowances.</p></body></html>"
)


def test_title_goes_to_metadata_not_text(tmp_path):
    p = tmp_path / "decision.html"
    p.write_text(PAGE, encoding="utf-8")
    doc = read_document(p)
    assert doc.metadata["html_title"] == "Decision - Cabinet Member for Children - Cheshire East Council"
    assert "Cheshire East" not in doc.text
    assert doc.text.startswith("Decision: Fostering allowances")


def test_publisher_from_the_title_when_the_page_names_no_council(tmp_path):
    p = tmp_path / "decision.html"
    p.write_text(PAGE, encoding="utf-8")
    ctx = Context(read_document(p))
    [info] = list(extract_report(ctx))
    assert info.publisher is not None and info.publisher.name == "Cheshire East Council"
    assert info.evidence.quote == ctx.doc.text[info.evidence.start : info.evidence.end]


def test_a_page_without_a_title_has_none(tmp_path):
    p = tmp_path / "bare.html"
    p.write_text("<html><body><p>Cabinet agreed the report.</p></body></html>", encoding="utf-8")
    assert "html_title" not in read_document(p).metadata


def test_norfolk_minutes_publisher_comes_from_the_title():
    ctx = Context(read_document(NORFOLK))
    list(extract_report(ctx))
    assert ctx.values["publisher"].gss == "E10000020"
