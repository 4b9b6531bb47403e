"""Ofsted's recommendations and areas for improvement as ordered lists linked to the inspection;
the report's own recommendations and other bodies' lists are not Ofsted's."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.extract import Context
from loaders.extract.inspections import extract_inspections
from loaders.extract.recommendations import extract_recommendations
from loaders.model import Document, Inspection, PartialDate, Recommendation
from loaders.reference.councils import resolve_council


def run(text: str, council: str = "Lancashire", date: str = "2019-06"):
    doc = Document("t.txt", "t.txt", "text/plain", "0", text)
    ctx = Context(doc)
    ctx.values["report_date"] = PartialDate(date)
    ctx.values["publisher"] = resolve_council(council, date)
    for step in (extract_inspections, extract_recommendations):
        for fact in step(ctx):
            assert fact.evidence.check(text), fact
            ctx.facts.append(fact)
    return ctx


def recs(ctx) -> list[Recommendation]:
    return [f for f in ctx.facts if isinstance(f, Recommendation)]


def test_numbered_areas_for_improvement_after_the_inspection():
    ctx = run(
        "Ofsted inspected the council's children's services in February 2019 and judged them 'inadequate'.\n\n"
        "3.1 Ofsted has identified 3 areas where the service needs to improve:\n"
        " 1. The quality of plans, particularly timescales for actions.\n"
        " 2. The quality and regularity of supervision and management oversight.\n"
        " 3. Staff recruitment and retention.\n\n"
        "3.2 The Plan will build on these."
    )
    [insp] = [f for f in ctx.facts if isinstance(f, Inspection)]
    got = [(r.position, r.type, r.text) for r in recs(ctx)]
    assert got == [
        (1, "area-for-improvement", "The quality of plans, particularly timescales for actions."),
        (2, "area-for-improvement", "The quality and regularity of supervision and management oversight."),
        (3, "area-for-improvement", "Staff recruitment and retention."),
    ]
    assert all(r.inspection is insp for r in recs(ctx))
    assert insp.stated_recommendation_count == 3


def test_ofsted_recommended_bullets_with_wrapped_lines():
    ctx = run(
        "The ILACS inspection took place in May 2018.\n\n"
        "Ofsted recommended that the local authority:\n"
        "\u2022 improves the timeliness of initial health assessments for children\n"
        "  coming into care\n"
        "\u2022 strengthens the response to children who go missing\n"
    )
    got = [(r.position, r.type, r.text) for r in recs(ctx)]
    assert got == [
        (1, "recommendation", "improves the timeliness of initial health assessments for children coming into care"),
        (2, "recommendation", "strengthens the response to children who go missing"),
    ]
    assert recs(ctx)[0].evidence.quote.endswith("coming into care")


def test_areas_identified_after_a_monitoring_visit_belong_to_the_visit():
    ctx = run(
        "Ofsted carried out a monitoring visit on 28 February and 1 March 2017, focusing on care leavers.\n\n"
        "Progress had been made in key areas.\n\n"
        "There were specific areas identified for further improvement:\n"
        "- Improve accessibility to health advice and support.\n"
        "- Develop consistent performance reporting.\n",
        council="Slough",
        date="2017-06",
    )
    assert [r.position for r in recs(ctx)] == [1, 2]
    assert all(r.inspection is not None and r.inspection.type == "monitoring-visit" for r in recs(ctx))


def test_priority_actions_heading():
    ctx = run(
        "The inspection in January 2020 judged the council 'inadequate'.\n\n"
        "Priority actions:\n"
        "(a) Ensure that all children at risk of harm are seen promptly.\n"
        "(b) Ensure that managers oversee casework.\n"
    )
    assert [(r.position, r.type) for r in recs(ctx)] == [(1, "priority-action"), (2, "priority-action")]


def test_the_reports_own_recommendations_are_not_ofsteds():
    ctx = run(
        "The ILACS inspection took place in March 2019.\n\n"
        "Recommendations\n\n"
        "Cabinet is recommended to:\n"
        "(a) note the progress made since the inspection;\n"
        "(b) approve the improvement plan.\n"
    )
    assert recs(ctx) == []


def test_another_bodys_recommendations_are_not_ofsteds():
    ctx = run(
        "The ILACS inspection took place in March 2019.\n\n"
        "The peer review made the following recommendations:\n"
        "- Simplify the front door.\n"
        "- Review caseloads.\n"
    )
    assert recs(ctx) == []


def test_no_inspection_in_the_report_means_no_list():
    ctx = run("Areas for improvement:\n- Better data.\n- More staff.\n")
    assert recs(ctx) == []


def test_list_items_that_mention_areas_are_not_intros():
    ctx = run(
        "The ILACS inspection took place in March 2019.\n\n"
        "The plan must meet these criteria:\n"
        "- That all of the 12 areas for improvement are satisfactorily addressed;\n"
        "- That the voice of the child is central to the Plan;\n"
    )
    assert recs(ctx) == []


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("ab Ofsted inspection May 2019 areas for improvement:\n-1.• ")), max_size=400))
def test_arbitrary_text_never_crashes(text):
    ctx = run(text)
    for f in ctx.facts:
        assert 0 <= f.evidence.start < f.evidence.end <= len(text)


def test_a_numbered_section_after_bullets_ends_the_list():
    ctx = run(
        "The ILACS inspection took place in January 2019.\n\n"
        "What needs to improve:\n"
        "- The quality of assessments.\n"
        "- Management oversight.\n\n"
        "2. Finance\n\n"
        "The budget is set.\n"
    )
    assert [r.text for r in recs(ctx)] == ["The quality of assessments.", "Management oversight."]


def _numbered_list_then(next_line: str) -> list[str]:
    ctx = run(
        "Inspectors visited the authority in March 2019 and judged services to be 'requires improvement'.\n\n"
        "The inspection identified the following areas for improvement:\n"
        "(1) the timeliness of return home interviews for children who go missing.\n"
        "(2) the quality of pathway plans for care leavers.\n"
        "(3) the consistency of management oversight.\n"
        f"{next_line}\n"
        "The service has already started work on each of these.\n"
    )
    return [r.text for r in recs(ctx)]


def test_a_numbered_heading_that_goes_back_ends_the_list():
    assert len(_numbered_list_then("2. Previous inspections")) == 3
    assert len(_numbered_list_then("3. Budget Implications")) == 3


def test_a_title_case_heading_after_sentences_ends_the_list():
    assert len(_numbered_list_then("(4) Equality Impact Assessment")) == 3
    assert len(_numbered_list_then("(4) the stability of placements for older children.")) == 4


def test_numbered_items_then_a_lower_section_number():
    ctx = run(
        "Ofsted carried out a focused visit in June 2019.\n\n"
        "Inspectors recommended that the council:\n"
        "5. Improves the quality of assessments for disabled children.\n"
        "6. Ensures that care leavers know their entitlements.\n"
        "4. Risk Management\n"
        "There are no risks arising from this report.\n"
    )
    assert [r.position for r in recs(ctx)] == [1, 2]
