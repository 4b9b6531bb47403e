from __future__ import annotations

import io
import zipfile

import docx
import pytest

from loaders.model import ReaderError
from loaders.readers import docx as docx_reader
from loaders.readers import read_document

from reader_checks import FIXTURES, check_document, kinds

KENT = FIXTURES / "kent-2022-09-20-cabinet-committee-ilacs-outcome.docx"


def test_fixture_blocks():
    doc = read_document(KENT)
    check_document(doc)
    assert kinds(doc, "heading")[:3] == ["Kent County Council", "Summary", "Introduction"]
    items = kinds(doc, "list-item")
    assert items[0].startswith("1. Ofsted published its report on 29 July 2022.")
    assert items[2].startswith("3. The Council will invest £3.5m in 2022/23")
    assert items[3] == "• The timeliness of strategy discussions out of hours."
    rows = kinds(doc, "table-row")
    assert "Overall effectiveness\tGood" in rows
    assert "The impact of leaders on social work practice with children and families\tOutstanding" in rows


def test_fixture_front_matter():
    doc = read_document(KENT)
    md = doc.metadata
    assert md["report_to"] == "Children's, Young People and Education Cabinet Committee"
    assert md["date"] == "20 September 2022"
    assert md["subject"] == "Ofsted Inspection of Local Authority Children's Services"
    assert md["report_by"].startswith("Mrs Susan Pryor, Cabinet Member for Integrated Children's Services")
    assert md["ward"] == "All"


def _docx_bytes(build) -> bytes:
    d = docx.Document()
    build(d)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_multilevel_numbering_and_restart():
    def build(d):
        d.add_paragraph("First point.", style="List Number")
        d.add_paragraph("Second point.", style="List Number")
        d.add_paragraph("Plain paragraph between.")
        d.add_paragraph("Third point.", style="List Number")
        d.add_heading("Heading two", level=2)

    doc = read_document("x.docx", _docx_bytes(build))
    check_document(doc)
    assert kinds(doc, "list-item") == ["1. First point.", "2. Second point.", "3. Third point."]
    assert [(b.kind, b.level) for b in doc.blocks][-1] == ("heading", 2)


def test_merged_cells_appear_once():
    def build(d):
        t = d.add_table(rows=2, cols=3)
        a = t.cell(0, 0).merge(t.cell(0, 1))
        a.text = "Merged label"
        t.cell(0, 2).text = "value"
        t.cell(1, 0).text, t.cell(1, 1).text, t.cell(1, 2).text = "x", "y", "z"

    doc = read_document("x.docx", _docx_bytes(build))
    assert kinds(doc, "table-row") == ["Merged label\tvalue", "x\ty\tz"]


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_zip_bomb_member_is_refused():
    data = _zip({"word/document.xml": b"<w:document/>", "word/media/huge.bin": b"\0" * (8 * 1024 * 1024)})
    with pytest.raises(ReaderError, match="zip bomb"):
        read_document("x.docx", data)


def test_total_unzipped_size_is_capped(monkeypatch):
    monkeypatch.setattr(docx_reader, "MAX_UNZIPPED_BYTES", 10_000)
    with pytest.raises(ReaderError, match="would unpack to"):
        read_document(KENT)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"This is plain text, not a zip", "not a DOCX file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old Microsoft Office file"),
        (b"PK\x03\x04 truncated", "damaged"),
    ],
)
def test_not_a_docx(data, message):
    with pytest.raises(ReaderError, match=message):
        read_document("x.docx", data)


def test_zip_without_word_document():
    with pytest.raises(ReaderError, match="not a Word document"):
        read_document("x.docx", _zip({"hello.txt": b"hi"}))


def test_broken_xml_inside():
    data = KENT.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members = {i.filename: z.read(i.filename) for i in z.infolist()}
    members["word/document.xml"] = members["word/document.xml"][:500]
    with pytest.raises(ReaderError, match="damaged"):
        read_document("x.docx", _zip(members))


def test_text_box_fallback_copy_is_not_read_twice():
    from docx.oxml import parse_xml

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    box = (
        f'<w:r xmlns:w="{w}" xmlns:mc="{mc}"><mc:AlternateContent>'
        "<mc:Choice Requires=\"wps\"><w:t>Boxed note</w:t></mc:Choice>"
        "<mc:Fallback><w:t>Boxed note</w:t></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )

    def build(d):
        p = d.add_paragraph("Before. ")
        p._p.append(parse_xml(box))

    doc = read_document("x.docx", _docx_bytes(build))
    assert doc.text == "Before. Boxed note"
