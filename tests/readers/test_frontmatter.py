from __future__ import annotations

import pytest

from loaders.model import Document
from loaders.readers import read_document
from loaders.readers.frontmatter import normalise_label, parse_front_matter
from loaders.readers.render import Rendition
from loaders.readers.text import render_lines

from reader_checks import SAMPLES, check_document


def _doc(text: str) -> Document:
    out = Rendition()
    render_lines(text.split("\n"), out)
    return Document("x.txt", "x.txt", "text/plain", "", out.text, out.blocks)


def _sample(prefix: str) -> Document:
    path = next(SAMPLES.glob(f"{prefix}*.txt"), None)
    if path is None:
        pytest.skip(f"sample {prefix} not present")
    doc = read_document(path)
    check_document(doc)
    return doc


def test_label_normalisation():
    assert normalise_label("WARD(S):") == "ward"
    assert normalise_label("Is this a Key Decision?") == "is this a key decision"
    assert normalise_label("**Portfolio & Holder**") == "portfolio and holder"


def test_two_column_table_sample():
    md = _sample("buckinghamshire").metadata
    assert md["report_to"] == "Cabinet"  # "Report to Cabinet", no colon
    assert md["title"] == "Children's Services Update"
    assert md["date"] == "Monday 18 June 2018"
    assert md["contact_officer"] == "Tolis Vouyioukas – 01296 382603"
    assert md["author"].startswith("Cabinet Member for Children's Services")


def test_question_labels_and_unknown_labels_sample():
    md = _sample("havering").metadata
    assert md["cabinet_member"] == "Cllr Benham"
    assert md["slt_lead"] == "Tim Aldridge"
    assert md["report_author"].startswith("Ali Omar")
    assert md["key_decision"] == "YES"
    assert md["subject"].startswith("A Business Case setting out an improvement plan")
    assert md["financial_summary"].startswith("This report recommends an investment of £0.75m")


def test_several_labels_on_one_line_and_continuations_sample():
    md = _sample("slough").metadata
    assert md["report_to"] == "Cabinet"
    assert md["date"] == "19 June 2017"
    assert md["contact_officer"].startswith("Nicola Clemo (Chief Executive, Slough Children's Services Trust) Cate Duffy")
    assert md["ward"] == "All"
    assert md["portfolio"] == "Cllr Bedi – Cabinet Member for Children, Education and Families"


def test_report_by_opener_sample():
    md = _sample("west-sussex").metadata
    assert md["report_by"] == "the Director of Children's Services and the Director of Law and Assurance"


def test_no_front_matter_sample():
    # a portfolio holder's report with no label/value pairs at all: nothing is invented
    assert _sample("walsall").metadata == {}


def test_inline_pairs_and_spans():
    doc = _doc("REPORT TO: Cabinet   DATE: 19 June 2017\nContact Officer: Jane Smith\nHead of Service\n\nBody text.")
    md, fields = parse_front_matter(doc)
    assert md == {"report_to": "Cabinet", "date": "19 June 2017", "contact_officer": "Jane Smith Head of Service"}
    a, b = fields["date"]
    assert doc.text[a:b] == "19 June 2017"


def test_prose_after_a_label_line_is_not_part_of_the_value():
    doc = _doc(
        "Date: 18 June 2018\nContact officer: Jane Smith\nThe purpose of this report is to update Cabinet on the "
        "progress made since the inspection, and to set out the next steps.\n\nMore."
    )
    md, _ = parse_front_matter(doc)
    assert md == {"date": "18 June 2018", "contact_officer": "Jane Smith"}


def test_value_in_the_next_block():
    md, _ = parse_front_matter(_doc("Contact officer:\n\nJane Smith, 01234 567890\n\nSummary"))
    assert md == {"contact_officer": "Jane Smith, 01234 567890"}


def test_labels_deep_in_the_body_are_ignored():
    filler = "\n\n".join(f"Paragraph {i} of the report body goes on for a while." for i in range(200))
    md, _ = parse_front_matter(_doc(filler + "\n\nDate: 1 January 2020"))
    assert md == {}


def test_mid_sentence_words_are_not_labels():
    md, _ = parse_front_matter(_doc("We will report to: the board as needed, said the director by: email."))
    assert md == {}
