from __future__ import annotations

import io

import pytest
from reportlab.lib import pdfencrypt
from reportlab.pdfgen import canvas

from loaders.model import ReaderError
from loaders.readers import pdf as pdf_reader
from loaders.readers import read_document

from reader_checks import FIXTURES, check_document, kinds

TORBAY = FIXTURES / "torbay-2017-10-12-scrutiny-ofsted-inspection-update.pdf"


def _pdf(pages: list[str], **kw) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1, **kw)
    for text in pages:
        c.drawString(72, 720, text)
        c.showPage()
    c.save()
    return buf.getvalue()


def test_two_column_front_page_reads_column_by_column():
    doc = read_document(TORBAY)
    check_document(doc)
    text = doc.text
    # the left column ends with 2.1, the right column starts with 2.2: read in that order, whole
    assert text.index("2.1 The Department for Education issued an Improvement Notice") < text.index("2.2 On 2 May 2017")
    assert "2.2 On 2 May 2017 the Secretary of State for Education appointed Dr Alan Whitford as Commissioner for Children's Services in Torbay." in text
    assert "1.2 The inspection report was published on 29 November 2016." in text


def test_front_matter_table_rows_and_metadata():
    doc = read_document(TORBAY)
    rows = kinds(doc, "table-row")
    assert rows[:2] == ["Meeting:\tChildren's Services Overview and Scrutiny Sub-Board", "Date:\t12 October 2017"]
    assert "Overall effectiveness\tInadequate" in rows
    assert "Children looked after and achieving permanence\tRequires improvement to be good" in rows
    assert doc.metadata["date"] == "12 October 2017"
    assert doc.metadata["report_to"] == "Children's Services Overview and Scrutiny Sub-Board"
    # a ruled table cell wrapped over three lines stays one value
    assert doc.metadata["contact_officer"] == (
        "Kerry Vosper, Head of Improvement, Children's Services Improvement Team, Torbay Council, "
        "Town Hall, Castle Circus, Torquay (telephone 01803 208 544)"
    )
    assert doc.metadata["title"] == "Ofsted Inspection Update and Improvement Plan"


def test_pages_and_running_footer():
    doc = read_document(TORBAY)
    assert doc.pages == 3
    assert [b.page for b in doc.blocks if b.kind == "page-break"] == [2, 3]
    grades = next(b for b in doc.blocks if doc.block_text(b).startswith("Overall effectiveness"))
    assert grades.page == 2
    assert "Overview and Scrutiny - page" not in doc.text  # repeated on every page: dropped
    assert "a) Ensure that all children at risk of significant harm are seen and protected promptly." in kinds(doc, "list-item")


def test_unruled_label_value_lines_become_rows():
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    for i, (label, value) in enumerate([("Report to:", "Cabinet"), ("Date:", "18 June 2018"), ("Portfolio:", "Children")]):
        c.drawString(72, 720 - 16 * i, label)
        c.drawString(200, 720 - 16 * i, value)
    c.drawString(72, 640, "A paragraph of ordinary prose follows the front matter here.")
    c.showPage()
    c.save()
    doc = read_document("x.pdf", buf.getvalue())
    check_document(doc)
    assert kinds(doc, "table-row") == ["Report to:\tCabinet", "Date:\t18 June 2018", "Portfolio:\tChildren"]
    assert doc.metadata == {"report_to": "Cabinet", "date": "18 June 2018", "portfolio": "Children"}


def _page(items: list[tuple[float, float, str]]) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    for x, y, text in items:
        c.drawString(x, y, text)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_columns_with_different_line_spacing():
    left = ["The inspection took place in March 2019 and", "the inspectors looked at the help given to",
            "children who need protection across the", "county, meeting social workers and families."]
    right = ["The commissioner was appointed in April and", "will report to the Secretary of State with",
             "a view on whether the council can improve", "its services without a change of control."]
    items = [(72, 780, "Ofsted Inspection Update")]
    items += [(72, 740 - 13 * i, t) for i, t in enumerate(left)]
    items += [(320, 737 - 15.5 * i, t) for i, t in enumerate(right)]  # baselines never line up
    items += [(72, 600, "A closing paragraph that runs across the whole width of the page, under both columns.")]
    doc = read_document("x.pdf", _page(items))
    check_document(doc)
    assert kinds(doc, "paragraph") == [
        " ".join(left),
        " ".join(right),
        "A closing paragraph that runs across the whole width of the page, under both columns.",
    ]


def test_single_column_prose_is_not_split():
    lines = ["This report sets out the progress made since the inspection in the spring of that year,",
             "and explains how the improvement board will oversee the plan over the coming months.",
             "Short line.", "The board is chaired by the independent chair and meets every month at County Hall."]
    doc = read_document("x.pdf", _page([(72, 740 - 14 * i, t) for i, t in enumerate(lines)]))
    assert doc.text == " ".join(lines)


def test_encrypted_pdfs():
    with pytest.raises(ReaderError, match="password-protected"):
        read_document("x.pdf", _pdf(["Secret"], encrypt=pdfencrypt.StandardEncryption("secret", ownerPassword="o")))
    # an empty user password (owner-only restrictions) opens
    doc = read_document("x.pdf", _pdf(["Report to: Cabinet"], encrypt=pdfencrypt.StandardEncryption("", ownerPassword="o")))
    assert doc.text == "Report to: Cabinet"


def test_page_cap(monkeypatch):
    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 2)
    with pytest.raises(ReaderError, match="has 3 pages; the limit is 2"):
        read_document("x.pdf", _pdf(["one", "two", "three"]))


def test_inflating_stream_is_refused(monkeypatch):
    monkeypatch.setattr(pdf_reader, "MAX_STREAM_BYTES", 200)
    data = _pdf(["A line of text that makes the content stream longer than the limit " * 3], pageCompression=1)
    with pytest.raises(ReaderError, match="possible PDF bomb"):
        read_document("x.pdf", data)


def test_no_text_layer():
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.rect(100, 100, 200, 200)
    c.showPage()
    c.save()
    with pytest.raises(ReaderError, match="no text layer"):
        read_document("scan.pdf", buf.getvalue())


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.4\n garbage garbage", "damaged"),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF", "no pages"),
    ],
)
def test_damaged(data, message):
    with pytest.raises(ReaderError, match=message):
        read_document("x.pdf", data)


def test_truncated_fixture_is_an_error_not_a_crash():
    data = TORBAY.read_bytes()
    try:
        doc = read_document("x.pdf", data[: len(data) // 2])
    except ReaderError:
        return
    check_document(doc)
