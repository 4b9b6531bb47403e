from __future__ import annotations

import codecs

import pytest

from loaders.model import ReaderError
from loaders.readers import read_document
from loaders.readers.text import decode

from reader_checks import FIXTURES, check_document, kinds

TEXT = "Report to: Cabinet\nDate: 9 March 2020\n\nThe Council’s investment of £850,000 in 2019/20 – café.\n"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        TEXT.encode("utf-16-le"),  # no BOM: recognised by its zero bytes
        TEXT.encode("cp1252"),
        TEXT.replace("\n", "\r\n").encode("cp1252"),
        TEXT.replace("\n", "\r").encode("utf-8"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le-nobom", "cp1252", "cp1252-crlf", "utf8-cr"],
)
def test_encodings_and_newlines(data):
    doc = read_document("r.txt", data)
    check_document(doc)
    assert "\r" not in doc.text and "\ufeff" not in doc.text
    assert "The Council’s investment of £850,000 in 2019/20 – café." in doc.text
    assert doc.metadata["report_to"] == "Cabinet" and doc.metadata["date"] == "9 March 2020"


def test_cp1252_undefined_bytes_fall_back_to_latin1():
    assert decode(b"caf\xe9 \x81 \x9d ok") == "café \x81 \x9d ok"


def test_cp1252_fixture():
    path = FIXTURES / "blackpool-2020-03-09-executive-monitoring-visit-cp1252.txt"
    doc = read_document(path)
    check_document(doc)
    assert doc.metadata["contact_officer"] == "Amélie Fairbrother, Head of Safeguarding"
    assert doc.metadata["cabinet_member"] == "Councillor Bernard O’Rourke – Children’s Services"
    assert doc.metadata["title"] == "Children’s Services – Monitoring Visit Update"
    assert "“steady progress”" in doc.text
    assert any(t.startswith("1.2 Inspectors found") for t in kinds(doc, "list-item"))


MARKDOWN = """# **Council – 13 April 2015**

Portfolio Holder Report of **Councillor B Cassidy**, wrote to the Director on 24<sup>th</sup> March.

<p>Following the <u>Ofsted</u> inspection &amp; review.</p>
--

| Judgement | Grade |
|---|---|
| **Overall effectiveness** | Inadequate |

- 1.1 In June 2018 Havering was inspected.
 - The impact of leaders -Good
* A starred bullet

1. Note the first numbered item.
a) lettered item
"""


def test_markdown_is_cleaned_and_blocks_point_into_the_rendition():
    doc = read_document("r.md", MARKDOWN.encode())
    check_document(doc)
    text = doc.text
    for markup in ("**", "<sup>", "<p>", "<u>", "|", "--", "&amp;", "# "):
        assert markup not in text, markup
    assert kinds(doc, "heading")[0] == "Council – 13 April 2015"
    assert "wrote to the Director on 24th March." in text
    assert "Following the Ofsted inspection & review." in text
    assert kinds(doc, "table-row") == ["Judgement\tGrade", "Overall effectiveness\tInadequate"]
    items = kinds(doc, "list-item")
    assert items == [
        "1.1 In June 2018 Havering was inspected.",
        "• The impact of leaders -Good",
        "• A starred bullet",
        "1. Note the first numbered item.",
        "a) lettered item",
    ]
    levels = [b.level for b in doc.blocks if b.kind == "list-item"]
    assert levels[1] > levels[0]
    assert doc.media_type == "text/markdown"


def test_form_feeds_become_pages():
    doc = read_document("r.txt", b"Page one text.\f\fPage two text.\fPage three.")
    check_document(doc)
    assert doc.pages == 4
    assert [b.kind for b in doc.blocks].count("page-break") == 2  # an empty page adds no second break
    assert [b.page for b in doc.blocks if b.kind == "paragraph"] == [1, 3, 4]
    assert not doc.text.endswith("\f")


def test_plain_text_keeps_its_words():
    doc = read_document("r.txt", b"Line one\nline two of the same paragraph.\n\n\n\nNext paragraph here.")
    assert doc.text == "Line one\nline two of the same paragraph.\n\nNext paragraph here."
    assert [b.kind for b in doc.blocks] == ["paragraph", "paragraph"]


def test_binary_is_refused():
    with pytest.raises(ReaderError, match="binary"):
        read_document("r.txt", bytes(range(256)) * 20)
