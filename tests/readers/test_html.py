from __future__ import annotations

from loaders.readers import read_document

from reader_checks import FIXTURES, check_document, kinds

ROTHERHAM = FIXTURES / "rotherham-2019-09-16-cabinet-ofsted-response.html"


def test_fixture_visible_text_only():
    doc = read_document(ROTHERHAM)
    check_document(doc)
    for hidden in ("dataLayer", "Cookie settings", "Skip to the recommendations", "End of report", "Meetings", "border"):
        assert hidden not in doc.text, hidden
    assert doc.text.startswith("Children’s Services Improvement: Response to the Ofsted Inspection")
    assert "£1.2 million" in doc.text and "&pound;" not in doc.text


def test_fixture_structure():
    doc = read_document(ROTHERHAM)
    assert kinds(doc, "heading")[:3] == [
        "Children’s Services Improvement: Response to the Ofsted Inspection",
        "1. Summary",
        "2. Recommendations",
    ]
    rows = kinds(doc, "table-row")
    assert "Date:\tMonday 16 September 2019" in rows
    assert "Overall effectiveness\tRequires improvement to be good" in rows
    items = kinds(doc, "list-item")
    assert items[0].startswith("1. The quality and consistency of supervision")
    assert items[5] == "6. The sufficiency of local placements for children in care."
    assert items[6].startswith("• The Children’s Services Improvement Board is chaired by")
    # a paragraph's source line breaks are collapsed like a browser does
    summary = next(t for t in kinds(doc, "paragraph") if t.startswith("Ofsted inspected"))
    assert "\n" not in summary and "  " not in summary


def test_fixture_front_matter():
    doc = read_document(ROTHERHAM)
    assert doc.metadata["report_to"] == "Cabinet"
    assert doc.metadata["date"] == "Monday 16 September 2019"
    assert doc.metadata["cabinet_member"].startswith("Councillor Priya Hallam, Cabinet Member")
    assert doc.metadata["report_author"] == "Dawn Whitcombe, Head of Service Improvement 01709 822 431"
    assert doc.metadata["director"].startswith("Martin Ellery")
    assert doc.metadata["key_decision"] == "No"


def test_lists_numbering_breaks_and_nested_tables():
    html = b"""<html><body><ol start="3"><li>Three<ul><li>inner</li></ul></li><li value="9">Nine</li></ol>
    <ol type="a"><li>alpha</li><li>beta</li></ol><ol type="i"><li>one</li><li>two</li></ol>
    <p>line<br>break</p>
    <table><tr><td>Outer <table><tr><td>inner cell</td></tr></table></td><td>right</td></tr></table></body></html>"""
    doc = read_document("x.html", html)
    check_document(doc)
    assert kinds(doc, "list-item") == ["3. Three", "• inner", "9. Nine", "a. alpha", "b. beta", "i. one", "ii. two"]
    assert [b.level for b in doc.blocks if b.kind == "list-item"][:2] == [1, 2]
    assert "line\nbreak" in kinds(doc, "paragraph")
    assert kinds(doc, "table-row") == ["Outer inner cell\tright"]


def test_deep_nesting_keeps_all_text():
    depth = 5000  # past libxml2's limit, which would silently drop the rest of the page
    html = b"<html><body>" + b"<div>" * depth + b"deep text" + b"</div>" * depth + b"<p>after the nest</p></body></html>"
    doc = read_document("x.html", html)
    check_document(doc)
    assert doc.text == "deep text\n\nafter the nest"


def test_meta_charset_and_entities():
    html = '<html><head><meta charset="windows-1252"></head><body><p>Caf\xe9 &amp; &lt;b&gt; &#8211; &nbsp;x</p></body></html>'
    doc = read_document("x.htm", html.encode("cp1252"))
    assert doc.text == "Café & <b> – x"
