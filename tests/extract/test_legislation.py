"""Acts cited: titles cut from the sentence, years, chapters from the table, sections, the
"Children's Act" misspelling, well-known Acts without a year, one fact per Act."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.extract import Context
from loaders.extract.legislation import CHAPTERS, extract_legislation
from loaders.model import Document, Legislation


def run(text: str) -> list[Legislation]:
    ctx = Context(Document("t.txt", "t.txt", "text/plain", "0", text))
    out = list(extract_legislation(ctx))
    assert all(f.evidence.check(text) for f in out)
    return out


@pytest.mark.parametrize(
    "text, title, chapter, section",
    [
        ("Following the Children and Social Work Act 2017 receiving Royal Assent, ...", "Children and Social Work Act 2017", 16, None),
        ("The Council is under a duty pursuant to the Children's Act 1989 to safeguard children.", "Children Act 1989", 41, None),
        ("The PSED under section 149 of the Equality Act 2010 requires due regard.", "Equality Act 2010", 15, "149"),
        ("Under Section 17 of the Children Act 1989 the council supports children in need.", "Children Act 1989", 41, "17"),
        ("The duty in section 11 of the Children Act 2004 applies to partners.", "Children Act 2004", 31, "11"),
        ("There are no Human Rights Act implications in relation to this report.", "Human Rights Act 1998", 42, None),
        ("Information is shared in line with the Data Protection Act 2018.", "Data Protection Act 2018", 12, None),
        ("The Apprenticeships, Skills, Children and Learning Act 2009 created the duty.", "Apprenticeships, Skills, Children and Learning Act 2009", 22, None),
        ("Care leavers are supported under the Children (Leaving Care) Act 2000.", "Children (Leaving Care) Act 2000", 35, None),
        ("The Local Government Act 1972 gives the power to delegate.", "Local Government Act 1972", 70, None),
        ("The Widgets Act 2031 is not in the table.", "Widgets Act 2031", None, None),
    ],
)
def test_acts(text, title, chapter, section):
    [act] = run(text)
    assert (act.title, act.chapter, act.section) == (title, chapter, section)
    assert act.year == int(title[-4:])


def test_one_fact_per_act_first_mention_is_the_evidence():
    text = "The Equality Act 2010 applies. Section 149 of the Equality Act 2010 sets out the duty. The Care Act 2014 too."
    got = run(text)
    assert [a.title for a in got] == ["Equality Act 2010", "Care Act 2014"]
    assert got[0].evidence.start == text.index("Equality")


def test_ambiguous_act_without_a_year_is_skipped():
    # two Children Acts (1989, 2004) and two Data Protection Acts: no year, no Act
    assert run("The Children Act and the Data Protection Act both apply.") == []


def test_regulations_and_non_acts_are_not_acts():
    assert run("Regulations 15 to 20 of the Care Planning, Placement and Case Review (England) Regulations 2010 apply.") == []
    assert run("We will act in 2019 to improve services.") == []


def test_chapter_table_years_are_consistent():
    for (title, year), chapter in CHAPTERS.items():
        assert title.endswith("Act") and 1900 < year < 2030 and 0 < chapter < 200


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("Children Act 1989 and the Equality section 149 of (\n,.'")), max_size=300))
def test_arbitrary_text_never_crashes(text):
    for f in run(text):
        assert 0 <= f.evidence.start < f.evidence.end <= len(text)
