"""The report step: publisher, title, meeting date, committee and portfolio from the opening of
invented reports in several councils' templates, and the five samples."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.extract import Context
from loaders.extract.report import council_from_domain, extract_report, front_matter
from loaders.model import Document, PartialDate, ReportInfo

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


def report(text: str) -> tuple[ReportInfo | None, Context]:
    doc = Document("t.txt", "t.txt", "text/plain", "0", text)
    ctx = Context(doc)
    facts = list(extract_report(ctx))
    for f in facts:
        assert f.evidence.check(text)
    assert len(facts) <= 1
    return (facts[0] if facts else None), ctx


def test_front_matter_table():
    text = (
        "\n\nReport to Cabinet\n\nTitle:\tChildren's Services Update\nDate:\tMonday 18 June 2018\n"
        "Author:\tCabinet Member for Children's Services\nContact officer:\tTolis Vouyioukas – 01296 382603\n"
        "Local members affected:\tAll Electoral Divisions\nPortfolio areas affected:\tAll portfolio areas\n\n"
        "Summary\n\nThe purpose of this report is to update Cabinet. Buckinghamshire has improved.\n"
    )
    info, ctx = report(text)
    assert info.title == "Children's Services Update"
    assert info.evidence.quote == "Children's Services Update"
    assert info.date == PartialDate("2018-06-18")
    assert info.committee == "Cabinet"
    assert info.portfolio is None  # "All portfolio areas" is not a portfolio
    assert info.publisher.gss == "E10000002"  # the county council, in force in 2018
    assert ctx.values["report_date"] == PartialDate("2018-06-18")


def test_letterhead_and_fields_on_one_line():
    text = (
        "SLOUGH BOROUGH COUNCIL\n\nREPORT TO: Cabinet **DATE:** 19 June 2017\n\n"
        "CONTACT OFFICER: Nicola Clemo (Chief Executive, Slough Children's Services Trust)\n"
        "Cate Duffy (Director of Children's Service)\n\nWARD(S): All\n\n"
        "PORTFOLIO: Cllr Bedi – Cabinet Member for Children, Education and Families\n\n"
        "PART I **NON-KEY DECISION**\n\nSLOUGH CHILDREN'S SERVICES TRUST – UPDATE\n\n1 **Purpose of Report**\n"
    )
    info, _ = report(text)
    assert info.publisher.name == "Slough Borough Council"
    assert info.committee == "Cabinet"
    assert info.date == PartialDate("2017-06-19")
    assert info.title == "Slough Children's Services Trust – Update"
    assert info.evidence.quote == "SLOUGH CHILDREN'S SERVICES TRUST – UPDATE"
    assert info.portfolio == "Children, Education and Families"


def test_meeting_heading_and_title_with_a_person():
    text = (
        "# **Council – 13 April 2015**\n\n# Portfolio Holder Report of Councillor B Cassidy, Children's Services\n\n"
        "The outcomes for Walsall children improved. Walsall has a new plan. Dudley was a partner.\n"
    )
    info, _ = report(text)
    assert info.date == PartialDate("2015-04-13")
    assert info.committee == "Council"
    assert info.title == "Portfolio Holder Report of Councillor B Cassidy, Children's Services"
    assert info.portfolio == "Children's Services"
    assert info.publisher.gss == "E08000030"  # named most often in the opening


def test_cover_letter_pack():
    text = (
        "\n\nPublic Document Pack\n\nTony Kershaw\n\nDirector of Law and Assurance\n\nIf calling please ask for:\n\n"
        "Natalie Jones-Punch on 033 022 25098\n\nEmail: natalie.jones-punch@westsussex.gov.uk\n\n"
        "www.westsussex.gov.uk\n\nCounty Hall\nChichester\nWest Sussex\nPO19 1RQ\n\n18 June 2019\n\nDear Member,\n\n"
        "Children and Young People's Services Select Committee - Wednesday, 19 June 2019\n\n"
        "Please find enclosed the following document.\n\nYours sincerely\n\nTony Kershaw\n\n"
        "This page is intentionally left blank\n\nChildren and Young People's Services Select Committee\n--\n\n"
        "19 June 2019\n\nChildren First Practice Improvement Plan (Ofsted inspection action)\n--\n\n"
        "Report by the Director of Children's Services\n"
    )
    info, _ = report(text)
    assert info.title == "Children First Practice Improvement Plan (Ofsted inspection action)"
    assert info.date == PartialDate("2019-06-19")
    assert info.committee == "Children and Young People's Services Select Committee"
    assert info.publisher.gss == "E10000032"


def test_subject_heading_and_email_domain():
    text = (
        "\n\nCABINET\n\nSubject Heading:\tA Business Case for Children's Social Care.\t\t\n"
        "Cabinet Member:\tCllr Benham\t\t\nReport Author and contact details:\tAli Omar "
        "<u>Ali.omar@havering.gov.uk</u> 01708 431671\n\nSUMMARY\n\nThis report was written in April 2019.\n"
    )
    info, ctx = report(text)
    assert info.title == "A Business Case for Children's Social Care"
    assert info.committee == "Cabinet"
    assert info.date is None
    assert info.publisher.name == "London Borough of Havering"
    assert ctx.values["report_date"] == PartialDate("2019")  # stands in for resolving councils


@pytest.mark.parametrize(
    "opening, publisher, committee, date",
    [
        ("LONDON BOROUGH OF TOWER HAMLETS\n\nMeeting: Cabinet\nDate of meeting: 24 July 2019\n",
         "London Borough of Tower Hamlets", "Cabinet", "2019-07-24"),
        ("Lancashire County Council\n\nReport to: Children's Services Scrutiny Committee\nMeeting Date: 3 March 2021\n",
         "Lancashire County Council", "Children's Services Scrutiny Committee", "2021-03-03"),
        ("Cabinet\n\n12 March 2020\n\nOfsted Focused Visit Outcome\n\nContact: jo.bloggs@leeds.gov.uk\n",
         "Leeds City Council", "Cabinet", "2020-03-12"),
        ("Meeting of the Corporate Parenting Board held on 5 February 2018\n\nBristol City Council\n",
         "Bristol City Council", "Corporate Parenting Board", "2018-02-05"),
        ("Council: Rotherham\nMeeting: Cabinet\nDate: 1 June 2016\n", "Rotherham Metropolitan Borough Council",
         "Cabinet", "2016-06-01"),
    ],
)
def test_templates(opening, publisher, committee, date):
    info, _ = report(opening + "\nReport title here\n\nThe report follows.\n")
    assert info.publisher is not None and info.publisher.name == publisher
    assert info.committee == committee
    assert info.date == PartialDate(date)


def test_title_skips_letterheads_addresses_and_labels():
    text = (
        "Public Document Pack\n\nSLOUGH BOROUGH COUNCIL\n\nReport to Cabinet\n\nSt Martin's Place\n51 Bath Road\n"
        "SL1 3UF\n\nAgenda Item 7\n\nFostering Recruitment Strategy 2020-2023\n\n1. Purpose\n"
    )
    info, _ = report(text)
    assert info.title == "Fostering Recruitment Strategy 2020-2023"


def test_reports_at_reorganisation_dates_resolve_to_the_council_then():
    old, _ = report("Date: 18 June 2018\n\nBuckinghamshire children are safe. Buckinghamshire is improving.\n")
    new, _ = report("Date: 18 June 2021\n\nBuckinghamshire children are safe. Buckinghamshire is improving.\n")
    assert old.publisher.gss == "E10000002"
    assert new.publisher.gss == "E06000060"


def test_domain_labels_map_to_councils_generally():
    assert council_from_domain("eastsussex", "2019").name == "East Sussex County Council"
    assert council_from_domain("towerhamlets", "2019").name == "London Borough of Tower Hamlets"
    assert council_from_domain("miltonkeynes", "2019").name == "Milton Keynes Council"
    assert council_from_domain("moderngov", "2019") is None


def test_no_publisher_when_nothing_says():
    info, ctx = report("Title: Fostering Update\n\nThe service improved.\n")
    assert info.title == "Fostering Update"
    assert info.publisher is None and ctx.values["publisher"] is None


def test_front_matter_value_on_next_line_and_continuations():
    text = "If calling please ask for:\n\nJane Doe on 01234\n\nContact officer: A Smith\nB Jones\n\nTitle: X Plan\n"
    got = [(f.key, f.value) for f in front_matter(text)]
    assert ("contact_officer", "Jane Doe on 01234") in got
    assert ("contact_officer", "A Smith") in got and ("contact_officer", "B Jones") in got
    assert ("title", "X Plan") in got
    for f in front_matter(text):
        assert text[f.start : f.end] == f.value


def test_empty_text():
    info, ctx = report("")
    assert info is None and ctx.values["publisher"] is None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.text(max_size=400),
        st.lists(
            st.sampled_from(["Title:", "Date:", " 5 June 2019", "\n", "Cabinet", " – ", "**", "Report to ",
                             "SLOUGH BOROUGH COUNCIL", "@leeds.gov.uk", "\t", "Public Document Pack", "x"]),
            max_size=40,
        ).map("".join),
    )
)
def test_arbitrary_text_never_crashes(text):
    report(text)


@pytest.mark.parametrize(
    "stem, gss, date, committee",
    [
        ("buckinghamshire-2018-06-18-cabinet-childrens-services-update", "E10000002", "2018-06-18", "Cabinet"),
        ("havering-2019-cabinet-childrens-social-care-improvement-plan-business-case", "E09000016", None, "Cabinet"),
        ("slough-2017-06-19-cabinet-childrens-services-trust-update", "E06000039", "2017-06-19", "Cabinet"),
        ("walsall-2015-04-13-council-portfolio-holder-report-childrens-services", "E08000030", "2015-04-13", "Council"),
        ("west-sussex-2019-06-19-select-committee-children-first-improvement-plan", "E10000032", "2019-06-19",
         "Children and Young People's Services Select Committee"),
    ],
)
@pytest.mark.parametrize("reader", [False, True])
def test_samples(stem, gss, date, committee, reader):
    from loaders.readers import read_document

    path = SAMPLES / f"{stem}.txt"
    info, _ = report(read_document(path).text if reader else path.read_text(encoding="utf-8"))
    assert info.publisher.gss == gss
    assert (info.date.value if info.date else None) == date
    assert info.committee == committee
    assert info.title and len(info.title) > 10


# ------------------------------------------------------------------ templates beyond the samples


@pytest.mark.parametrize(
    "opening, title, committee, date",
    [
        # a committee line and its date separated only by spaces (text exports collapse the gap)
        ("CHILDREN, EDUCATION AND SKILLS SCRUTINY COMMITTEE 10 MARCH 2016\n\n"
         "CHILDREN'S SERVICES IMPROVEMENT - PROGRESS REPORT\n\nReport of: Corporate Director, Children and Families\n",
         "Children's Services Improvement - Progress Report", "Children, Education and Skills Scrutiny Committee",
         "2016-03-10"),
        ("Corporate Parenting Panel\tWednesday 4 May 2022\n\nFostering Service Annual Report\n",
         "Fostering Service Annual Report", "Corporate Parenting Panel", "2022-05-04"),
        # minutes: the heading dates the meeting
        ("SANDWELL CHILDREN'S IMPROVEMENT BOARD\n\nMINUTES OF THE MEETING HELD ON TUESDAY 6 MARCH 2018 AT "
         "SANDWELL COUNCIL HOUSE\n\nPresent:\nJane Doe (Chair)\n", None, "Sandwell Children's Improvement Board",
         "2018-03-06"),
        # the date first in a moderngov "Meeting:" field
        ("Meeting: 02/03/2021 - Executive (Item 102)\n\nChildren's Services Improvement\n", None, "Executive",
         "2021-03-02"),
    ],
)
def test_more_templates(opening, title, committee, date):
    info, _ = report(opening + "\nThe report follows.\n")
    if title is not None:
        assert info.title == title
    assert info.committee == committee
    assert info.date == PartialDate(date)


def test_letter_takes_its_date_and_subject_line():
    text = (
        "Department for Education\nSanctuary Buildings, Great Smith Street, London SW1P 3BT\n\n"
        "Councillor Ann Other\nLeader, Thurrock Council\nCivic Offices, New Road, Grays RM17 6SL\n\n"
        "12 October 2023\n\nDear Councillor Other,\n\n"
        "THURROCK COUNCIL: CHILDREN'S SERVICES - IMPROVEMENT NOTICE\n\n"
        "I am writing about the improvement notice issued to the Council.\n"
    )
    info, _ = report(text)
    assert info.title == "Thurrock Council: Children's Services - Improvement Notice"
    assert info.date == PartialDate("2023-10-12")
    assert info.publisher.name == "Thurrock Council"


def test_portfolio_wrapped_onto_the_next_line_and_case_sensitive():
    text = (
        "LANCASHIRE COUNTY COUNCIL\n\nReport to\tCabinet\nDate of meeting\t8 November 2018\n"
        "Lead Member\tCounty Councillor Jo Bloggs, Lead Member for\nChildren, Young People and Schools\n"
        "Report title\tChildren's Services Improvement\n"
    )
    info, _ = report(text)
    assert info.portfolio == "Children, Young People and Schools"
    info, _ = report("Report to: Cabinet\nDate: 1 May 2020\nPortfolio Holder: Councillor Jo Bloggs, Portfolio "
                     "Holder for Children's Services (Lead Member)\nTitle: Fostering Update\n")
    assert info.portfolio == "Children's Services"


def test_contact_labels_of_other_templates():
    for label in ("Contact for further information", "Contact Point"):
        fields = front_matter(f"{label}: Jo Bloggs, Head of Service, 01772 530214\n")
        assert [(f.key, f.value) for f in fields] == [("contact_officer", "Jo Bloggs, Head of Service, 01772 530214")]


def test_html_page_title_is_its_h1_not_the_navigation():
    from loaders.readers import read_document

    html = (
        "<html><body><div id='mgHeader'><a href='/'>Home</a> | <a href='/c'>Committees</a> | "
        "<a href='/m'>Councillors</a></div><div id='side'><h3>Jobs at the Council</h3><p>Social worker</p></div>"
        "<h1>Issue - items at meetings - Fostering Recruitment Campaign</h1>"
        "<h2>Meeting: 07/06/2022 - Executive (Item 12)</h2><p>The Council will recruit foster carers.</p>"
        "<p>Contact: democratic.services@medway.gov.uk</p></body></html>"
    ).encode()
    doc = read_document("medway-page.html", html)
    ctx = Context(doc)
    facts = list(extract_report(ctx))
    assert facts[0].title == "Fostering Recruitment Campaign"
    assert facts[0].evidence.check(doc.text)
    assert facts[0].committee == "Executive" and facts[0].date == PartialDate("2022-06-07")


def test_minutes_line_names_the_committee_and_letter_subject_in_sentence_case():
    info, _ = report("Minutes\n\nMinutes of the meeting of the Children's Services Committee held at County Hall, Norwich "
                     "on Tuesday 12 March 2013 at 10am.\n\nPresent: Mr Roger Chalk (Chairman)\n")
    assert info.committee == "Children's Services Committee" and info.date == PartialDate("2013-03-12")
    info, _ = report("Ofsted\nPiccadilly Gate\nStore Street\nManchester M1 2WD\n\n8 March 2022\n\nMr Kieran Hall\n"
                     "Director of Children's Services\nSomerset County Council\n\nDear Mr Hall\n\n"
                     "Monitoring visit to Somerset children's services\n\nThis letter summarises the findings.\n")
    assert info.title == "Monitoring visit to Somerset children's services"
    assert info.date == PartialDate("2022-03-08")
