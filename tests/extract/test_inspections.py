"""Inspections and judgements: invented sentences in the style of many councils' reports, the
negative cases (a children's home, a school, an aspiration), and the five samples against the gold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.extract import Context
from loaders.extract.inspections import extract_inspections
from loaders.model import Document, Inspection, Judgement, OrgRef, PartialDate
from loaders.reference.councils import council_by_gss, resolve_council

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"
GOLD = json.loads((SAMPLES / "seeds-gold.json").read_text(encoding="utf-8"))


def run(text: str, council: str | None = "Leeds City Council", date: str = "2019-06", steps=(extract_inspections,)):
    doc = Document("t.txt", "t.txt", "text/plain", "0", text)
    ctx = Context(doc)
    ctx.values["report_date"] = PartialDate(date)
    ctx.values["publisher"] = resolve_council(council, date) if council else None
    for step in steps:
        for fact in step(ctx):
            assert fact.evidence.check(text), fact
            ctx.facts.append(fact)
    return ctx


def inspections(ctx) -> list[Inspection]:
    return [f for f in ctx.facts if isinstance(f, Inspection)]


def grades(ctx, insp: Inspection | None = None) -> dict[str, str]:
    return {j.area: j.grade for j in ctx.facts if isinstance(j, Judgement) and (insp is None or j.inspection is insp)}


def test_ilacs_range_publication_and_overall_grade():
    ctx = run(
        "Ofsted carried out an inspection of the council's children's services between 25 February and 8 March 2019 "
        "under the ILACS framework. The report, published on 18 April 2019, judged services to be 'Outstanding' overall."
    )
    [i] = inspections(ctx)
    assert (i.type, str(i.start), str(i.end), str(i.published)) == ("ilacs", "2019-02-25", "2019-03-08", "2019-04-18")
    assert i.org.gss == "E08000035"
    assert grades(ctx) == {"overall-effectiveness": "outstanding"}


def test_month_precision_and_named_council():
    ctx = run("In March 2016 Ofsted judged Doncaster's children's services inadequate.", council="Leeds City Council", date="2016-09")
    [i] = inspections(ctx)
    assert str(i.start) == "2016-03" and i.type == "sif"
    assert "Doncaster" in i.org.name
    assert grades(ctx) == {"overall-effectiveness": "inadequate"}


def test_mentions_across_sentences_merge_into_one_inspection():
    ctx = run(
        "This report updates Cabinet on progress since the November 2017 Ofsted inspection.\n\n"
        "During the inspection, inspectors raised concerns about children placed at home.\n\n"
        "Since the publication of the Ofsted inspection report on 29th January 2018, the plan incorporates the ten Ofsted "
        "recommendations.\n\nWhere there has been a repeat inadequate judgement, the DfE appoints a commissioner for Leeds.",
        date="2018-06",
    )
    [i] = inspections(ctx)
    assert (str(i.start), str(i.published), i.stated_recommendation_count) == ("2017-11", "2018-01-29", 10)
    assert grades(ctx) == {"overall-effectiveness": "inadequate"}


def test_improved_from_to_takes_the_later_grade():
    ctx = run(
        'Following Ofsted\'s judgment in July 2013 that safeguarding services had improved from "inadequate" to '
        '"adequate", the Government lifted its Improvement Notice in July 2014.',
        council="Walsall",
        date="2015-04",
    )
    [i] = inspections(ctx)
    assert str(i.start) == "2013-07"
    assert grades(ctx) == {"overall-effectiveness": "adequate"}


def test_year_and_month_ranges_merge_and_this_inspection_found():
    ctx = run(
        "In November/December 2015, Ofsted undertook a full Single Inspection Framework inspection of services for "
        "children in need of help and protection. This inspection found services were 'inadequate'.\n\n"
        "Following the 2015 inspection, the council developed a joint action plan.",
        council="Slough",
        date="2017-06",
    )
    [i] = inspections(ctx)
    assert (i.type, str(i.start), str(i.end)) == ("sif", "2015-11", "2015-12")
    assert grades(ctx) == {"overall-effectiveness": "inadequate"}


def test_list_of_sub_judgements_after_the_inspection():
    text = (
        "In June 2018 our children's social care services were inspected by Ofsted under the new ILACS framework. "
        "The outcome was an overall 'Good' rating and three judgements:\n"
        " - The impact of leaders on social work practice with children and families -Good\n"
        " - The experiences and progress of children who need help and protection **Requires improvement**\n"
        " - The experiences and progress of children in care and care leavers Good\n"
    )
    ctx = run(text, council="Havering", date="2019-01")
    [i] = inspections(ctx)
    assert grades(ctx, i) == {
        "overall-effectiveness": "good",
        "impact-of-leaders": "good",
        "help-and-protection": "requires-improvement",
        "children-in-care-and-care-leavers": "good",
    }


def test_table_of_judgements():
    text = (
        "The ILACS inspection took place in October 2018 and the report was published on 30 November 2018.\n\n"
        "Judgement\tGrade\n"
        "Overall effectiveness\tInadequate\n"
        "The impact of leaders on social work practice with children and families\tInadequate\n"
        "The experiences and progress of children who need help and protection\tRequires improvement to be good\n"
        "The experiences and progress of children in care and care leavers\tRI\n"
    )
    ctx = run(text, council="Sunderland", date="2019-01")
    [i] = inspections(ctx)
    assert str(i.published) == "2018-11-30"
    assert grades(ctx) == {
        "overall-effectiveness": "inadequate",
        "impact-of-leaders": "inadequate",
        "help-and-protection": "requires-improvement",
        "children-in-care-and-care-leavers": "requires-improvement",
    }


def test_monitoring_visit_with_day_range_and_focus():
    ctx = run(
        "Ofsted carried out its third monitoring visit on 12 and 13 September 2018, focusing on children in need of help "
        "and protection.",
        council="Birmingham",
        date="2018-10",
    )
    [v] = inspections(ctx)
    assert (v.type, str(v.start), str(v.end)) == ("monitoring-visit", "2018-09-12", "2018-09-13")
    assert v.focus == "children in need of help and protection"
    assert grades(ctx) == {}


def test_focused_visit_month():
    ctx = run("A focused visit in January 2020 looked at the front door and decisions about contacts.", council="Kent", date="2020-03")
    [v] = inspections(ctx)
    assert (v.type, str(v.start)) == ("focused-visit", "2020-01")
    assert v.focus.startswith("the front door")


def test_visits_listed_as_headings_under_a_visits_section():
    text = (
        "Ofsted Quarterly Monitoring Visits\n\n"
        "To date, Ofsted have made two monitoring visits to the borough.\n\n"
        "Front Door (2-3 November 2016)\n\n"
        "The inspectors saw evidence that thresholds were applied.\n\n"
        "Services for Care Leavers (28 February \u2013 1 March 2017)\n\n"
        "Progress had been made in key areas.\n"
    )
    ctx = run(text, council="Slough", date="2017-06")
    got = sorted((str(v.start), str(v.end), v.focus) for v in inspections(ctx))
    assert got == [("2016-11-02", "2016-11-03", "Front Door"), ("2017-02-28", "2017-03-01", "Services for Care Leavers")]


def test_future_visit_without_a_date_is_not_an_inspection():
    ctx = run("Ofsted will be carrying out a series of monitoring visits. The Council will be re-inspected in due course.")
    assert inspections(ctx) == []


@pytest.mark.parametrize(
    "text",
    [
        "Rose Cottage, the council's children's home, was inspected in May 2019 and judged 'good'.",
        "Following the inadequate judgement received in December 2017, our residential home was re-inspected by Ofsted "
        "and was rated Good.",
        "St Mary's Primary School was rated 'Outstanding' by Ofsted in June 2019.",
        "The Local Authority's school improvement services were inspected in June 2014 and judged to be inadequate.",
        "The Youth Offending Team was inspected in March 2018 and rated 'good'.",
        "Our ambition is for children's services to be rated 'good' by Ofsted by the end of 2021.",
        "In January 2018, Ofsted introduced a new inspection framework to replace the Single Inspection Framework.",
        "A DfE monitoring visit in January 2015 concluded that our SEND work was 'very impressive'.",
        "All residential children's homes are judged to be \"Good\" or \"Outstanding\" by Ofsted.",
        "An escalation protocol is in place for audits judged to be 'inadequate'.",
        "The Ofsted Delivery Plan was endorsed by Ofsted in June/July 2016.",
        "A local authority which has experienced a repeat inadequate judgement may not have the wherewithal to improve.",
    ],
)
def test_not_the_councils_inspection(text):
    assert run(text, council="Walsall", date="2019-06").facts == []


def test_two_inspections_in_one_report_stay_apart():
    ctx = run(
        "The council's services were judged inadequate following the inspection in May 2015.\n\n"
        "At the ILACS inspection in June 2019, services were judged to be 'good'.",
        council="Bristol",
    )
    got = sorted((i.type, str(i.start)) for i in inspections(ctx))
    assert got == [("ilacs", "2019-06"), ("sif", "2015-05")]
    by_year = {str(j.inspection.start)[:4]: j.grade for j in ctx.facts if isinstance(j, Judgement)}
    assert by_year == {"2015": "inadequate", "2019": "good"}


def test_short_inspection_and_stated_areas_for_improvement():
    ctx = run(
        "Ofsted undertook a short inspection of Kent's children's services in March 2022; the council remains "
        "'Outstanding'. The report sets out 3 areas for improvement.",
        council="Kent",
        date="2022-07",
    )
    [i] = inspections(ctx)
    assert (i.type, str(i.start), i.stated_recommendation_count) == ("ilacs-short", "2022-03", 3)
    assert grades(ctx) == {"overall-effectiveness": "outstanding"}


def test_recommendations_of_another_review_are_not_counted():
    ctx = run(
        "The ILACS inspection in June 2019 judged services 'good'.\n\nThe independent review of foster care makes 36 "
        "recommendations to government."
    )
    [i] = inspections(ctx)
    assert i.stated_recommendation_count is None


def test_joint_targeted_area_inspection():
    ctx = run("A joint targeted area inspection (JTAI) of the response to domestic abuse took place in June 2017.", date="2017-09")
    [i] = inspections(ctx)
    assert (i.type, str(i.start)) == ("joint-targeted-area-inspection", "2017-06")


def test_lead_inspector_is_a_person():
    ctx = run("The ILACS inspection took place in May 2019. The lead inspector was Rachel Holden HMI.")
    [i] = inspections(ctx)
    assert i.lead_inspector is not None and i.lead_inspector.name == "Rachel Holden"


def test_no_council_no_inspection():
    assert run("Ofsted inspected the council's services in May 2019 and judged them 'good'.", council=None).facts == []


# --------------------------------------------------------------------------------- samples


def _sample_ctx(stem: str):
    from loaders.readers import read_document

    doc = read_document(SAMPLES / f"{stem}.txt")
    gss = next(i["gss"] for i in GOLD["inspections"] if i["doc"] == stem)
    c = council_by_gss(gss)
    ctx = Context(doc)
    ctx.values["publisher"] = OrgRef(c.official_name, c.gss, "council")
    stem_date = stem.split("-")[1:4]
    ctx.values["report_date"] = PartialDate("-".join(p for p in stem_date if p.isdigit()))
    for fact in extract_inspections(ctx):
        assert fact.evidence.check(doc.text)
        ctx.facts.append(fact)
    return ctx


def _matches(item: dict, insp: Inspection, ctx) -> bool:
    def ok(gold, got):
        return gold is None or (got is not None and (str(got) == gold or str(got).startswith(gold + "-")))

    if insp.org.gss != item["gss"]:
        return False
    dates = ok(item.get("start"), insp.start) and ok(item.get("end"), insp.end) and ok(item.get("published"), insp.published)
    if item.get("date"):
        dates = dates and (ok(item["date"], insp.start) or ok(item["date"], insp.published))
    g = grades(ctx, insp)
    keys = {"leaders": "impact-of-leaders", "help": "help-and-protection", "care": "children-in-care-and-care-leavers"}
    want = {keys[k]: v for k, v in (item.get("areas") or {}).items()}
    if item.get("overall"):
        want["overall-effectiveness"] = item["overall"]
    return dates and all(g.get(a) == v for a, v in want.items())


def test_samples_recall_of_inspections_visits_and_counts():
    found = {"inspections": 0, "monitoring_visits": 0, "recommendation_counts": 0}
    for kind in found:
        for item in GOLD[kind]:
            ctx = _sample_ctx(item["doc"])
            visits = kind == "monitoring_visits"
            for insp in inspections(ctx):
                if (insp.type in ("monitoring-visit", "focused-visit")) != visits:
                    continue
                if kind == "recommendation_counts":
                    hit = insp.stated_recommendation_count == item["count"]
                else:
                    hit = _matches(item, insp, ctx)
                if hit:
                    found[kind] += 1
                    break
    assert found == {k: len(GOLD[k]) for k in found}


def test_samples_have_no_extra_inspections():
    # every sample names one inspection of the council; visits are the only others
    for stem in {i["doc"] for i in GOLD["inspections"]}:
        ctx = _sample_ctx(stem)
        assert len([i for i in inspections(ctx) if i.type not in ("monitoring-visit", "focused-visit")]) == 1, stem


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("abc ILACSOfsted'inspection judged good inadequate 2019 May\n\t.:-£0123456789")), max_size=400))
def test_arbitrary_text_never_crashes(text):
    ctx = run(text, council="Leeds")
    for f in ctx.facts:
        assert 0 <= f.evidence.start < f.evidence.end <= len(text)


def test_grades_go_to_the_area_named_before_them():
    ctx = run(
        "Ofsted inspected services between 13 September and 6 October 2016. The overall judgement was \"Requires "
        "Improvement\", with adoption performance judged good.",
        council="Doncaster",
        date="2018-11",
    )
    assert grades(ctx) == {"overall-effectiveness": "requires-improvement", "adoption": "good"}


def test_the_later_judgement_wins_over_a_recalled_one():
    ctx = run(
        "Ofsted completed the ILACS inspection in January 2019. Rotherham was judged 'Good' overall, an improvement from "
        "the 'inadequate' judgement in 2014.",
        council="Rotherham",
    )
    assert grades(ctx)["overall-effectiveness"] == "good"


def test_report_published_sentence_joins_the_inspection_just_done():
    ctx = run("The ILACS inspection took place from 14 to 25 January 2019. The report was published on 6 March 2019.")
    [i] = inspections(ctx)
    assert (str(i.start), str(i.end), str(i.published)) == ("2019-01-14", "2019-01-25", "2019-03-06")


def test_a_report_published_alone_is_not_an_inspection():
    assert run("The annual report was published on 6 March 2019.").facts == []


def test_possessive_year_inspection():
    ctx = run("Following Ofsted's 2012 inspection, which rated safeguarding services inadequate, a plan was agreed.",
              council="Doncaster", date="2014-01")
    [i] = inspections(ctx)
    assert (i.type, str(i.start)) == ("pre-sif-inspection", "2012")
    assert grades(ctx) == {"overall-effectiveness": "inadequate"}


@pytest.mark.parametrize(
    "text",
    [
        "The Council's Fostering Service was inspected by Ofsted in March 2018 and judged 'Good'.",
        "We are preparing for our next ILACS inspection, expected in March 2020.",
        "Ofsted's Annual Report published in December 2018 noted national pressures.",
        "Sefton's SEND local area inspection took place in November 2016.",
        "The Adoption Agency was inspected in July 2015 and rated outstanding.",
    ],
)
def test_more_things_that_are_not_the_councils_inspection(text):
    assert run(text, council="Sefton", date="2023-01").facts == []


def test_bare_year_after_inspected_by_ofsted_in():
    ctx = run("The Council was last inspected by Ofsted in 2014 (SIF), when services were judged to require improvement.",
              council="Sefton", date="2016-01")
    [i] = inspections(ctx)
    assert (i.type, str(i.start)) == ("sif", "2014")
    assert grades(ctx) == {"overall-effectiveness": "requires-improvement"}


def test_sif_sub_judgements_with_colons_and_prose():
    text = (
        "Ofsted's inspection of services for children in need of help and protection, children looked after and care "
        "leavers took place in June 2016.\n\n"
        "Children who need help and protection: requires improvement\n"
        "Children looked after and achieving permanence: good\n"
        "Adoption performance: good\n"
        "The experiences and progress of care leavers: requires improvement\n"
        "Leadership, management and governance: requires improvement\n"
    )
    ctx = run(text, council="Wiltshire", date="2016-12")
    [i] = inspections(ctx)
    assert i.type == "sif"
    assert grades(ctx) == {
        "help-and-protection": "requires-improvement",
        "looked-after-and-achieving-permanence": "good",
        "adoption": "good",
        "care-leavers": "requires-improvement",
        "leadership-management-and-governance": "requires-improvement",
    }


def test_area_names_are_not_aspirations():
    ctx = run("At the inspection in June 2016, services for children looked after and achieving permanence were judged good.",
              council="Wiltshire", date="2016-12")
    assert grades(ctx) == {"looked-after-and-achieving-permanence": "good"}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=500))
def test_all_six_steps_survive_any_unicode_text(text):
    from loaders.extract.interventions import extract_interventions, link_commissioners
    from loaders.extract.legislation import extract_legislation
    from loaders.extract.money import extract_money
    from loaders.extract.programmes import extract_programmes
    from loaders.extract.recommendations import extract_recommendations

    steps = (extract_inspections, extract_interventions, link_commissioners, extract_recommendations,
             extract_programmes, extract_money, extract_legislation)
    ctx = run(text, council="Leeds", steps=steps)
    for f in ctx.facts:
        assert 0 <= f.evidence.start < f.evidence.end <= len(text)


def test_ilacs_outcome_report_template():
    text = (
        "1.1 Ofsted inspected Stockport's children's services under the ILACS framework from 4 to 15 March 2019. The "
        "inspection report was published on 26 April 2019 and is attached as Appendix 1.\n\n"
        "1.2 Ofsted judged the overall effectiveness of children's services in Stockport to be Good.\n\n"
        "1.3 Inspectors found that the experiences and progress of children in care and care leavers are outstanding.\n\n"
        "1.5 The previous inspection, in 2015, judged services as requiring improvement.\n"
    )
    ctx = run(text, council="Stockport", date="2019-05")
    by_start = {str(i.start): i for i in inspections(ctx)}
    assert set(by_start) == {"2019-03-04", "2015"}
    assert str(by_start["2019-03-04"].published) == "2019-04-26"
    assert grades(ctx, by_start["2019-03-04"]) == {"overall-effectiveness": "good", "children-in-care-and-care-leavers": "outstanding"}
    assert grades(ctx, by_start["2015"]) == {"overall-effectiveness": "requires-improvement"}


def test_visit_lead_and_count_refer_back_to_the_visit():
    ctx = run(
        "Ofsted carried out a focused visit to West Berkshire's children's services on 9 and 10 July 2024, looking at "
        "children in care. The visit was led by Mr Dominic Achterberg-Hale, His Majesty's Inspector.\n\n"
        "The Council's last full inspection, published on 21 March 2022, judged services requires improvement to be "
        "good. The Chief Executive has asked the Corporate Parenting Panel to monitor the 2 areas for improvement from "
        "the visit.",
        council="West Berkshire",
        date="2024-10",
    )
    by_type = {i.type: i for i in inspections(ctx)}
    visit = by_type["focused-visit"]
    assert (str(visit.start), visit.stated_recommendation_count) == ("2024-07-09", 2)
    assert visit.lead_inspector is not None and visit.lead_inspector.name == "Dominic Achterberg-Hale"
    full = by_type["ilacs"]
    assert str(full.published) == "2022-03-21" and full.stated_recommendation_count is None
    assert grades(ctx, full) == {"overall-effectiveness": "requires-improvement"}


def test_a_scheduled_visit_has_not_happened():
    ctx = run(
        "The council has made steady progress since the inspection. Ofsted is expected to undertake its next "
        "monitoring visit in September 2019. A focused visit is planned for the autumn.",
        date="2019-06-20",
    )
    assert not [i for i in inspections(ctx) if i.type in ("monitoring-visit", "focused-visit")]


def test_a_visit_that_happened_is_kept_next_to_a_planned_one():
    ctx = run(
        "Ofsted carried out a monitoring visit on 14 and 15 May 2019 which looked at the front door. "
        "The next monitoring visit will take place in October 2019.",
        date="2019-06-20",
    )
    [visit] = [i for i in inspections(ctx) if i.type == "monitoring-visit"]
    assert str(visit.start) == "2019-05-14"


def test_the_island_refers_back_to_the_other_council():
    ctx = run(
        "3.1 Since 2014 Hampshire County Council has supported the Isle of Wight Council under a "
        "partnership agreement.\n\n3.2 The Island's children's services were judged good by Ofsted in an "
        "inspection published on 2 March 2019.",
        council="Hampshire County Council",
    )
    [insp] = inspections(ctx)
    assert insp.org.gss == council_by_gss("E06000046").gss
    assert grades(ctx, insp) == {"overall-effectiveness": "good"}


def test_that_authority_refers_back_but_its_services_stay_the_publishers():
    text = (
        "Kent County Council agreed to support Medway Council during 2019. {} were judged 'requires improvement' "
        "by Ofsted in an inspection published on 11 November 2019."
    )
    away = run(text.format("That authority's services"), council="Kent County Council", date="2020-01")
    assert [i.org.gss for i in inspections(away)] == [resolve_council("Medway", "2020-01").gss]
    home = run(text.format("Its services"), council="Kent County Council", date="2020-01")
    assert [i.org.gss for i in inspections(home)] == [resolve_council("Kent", "2020-01").gss]


def test_the_county_does_not_point_away_from_a_county_publisher():
    ctx = run(
        "Surrey County Council works with Brighton and Hove City Council on adoption. The County's services were "
        "judged 'inadequate' by Ofsted in an inspection published on 5 June 2018.",
        council="Surrey County Council",
        date="2018-09",
    )
    assert [i.org.gss for i in inspections(ctx)] == [resolve_council("Surrey", "2018-09").gss]
