"""Named programmes, plans, strategies and boards: invented sentences from many councils, the
generic names that are not programmes, and the samples against the gold."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.extract import Context
from loaders.extract.programmes import extract_programmes
from loaders.model import Document, OrganisationMention, OrgRef, PartialDate, Programme
from loaders.reference.councils import council_by_gss, resolve_council

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"
GOLD = json.loads((SAMPLES / "seeds-gold.json").read_text(encoding="utf-8"))


def run(text: str, council: str = "Hampshire", date: str = "2019-06"):
    doc = Document("t.txt", "t.txt", "text/plain", "0", text)
    ctx = Context(doc)
    ctx.values["report_date"] = PartialDate(date)
    ctx.values["publisher"] = resolve_council(council, date)
    for fact in extract_programmes(ctx):
        assert fact.evidence.check(text), fact
        ctx.facts.append(fact)
    return ctx


def names(ctx) -> list[str]:
    return [f.name for f in ctx.facts if isinstance(f, Programme)]


def boards(ctx) -> list[str]:
    return [f.org.name for f in ctx.facts if isinstance(f, OrganisationMention) and f.org.kind == "board"]


@pytest.mark.parametrize(
    "text, name",
    [
        ("To facilitate this, we have developed 'Side by Side', a programme built on sharing expertise.", "Side by Side"),
        ("A new quality assurance approach, called 'Beyond Auditing', has been launched.", "Beyond Auditing"),
        ("The Trust works with the University on a project 'Measuring What Matters'.", "Measuring What Matters"),
        ("By way of reminder, Change for Children is our transformation programme.", "Change for Children"),
        ("The Children First Practice Improvement Plan will be submitted in July.", "Children First Practice Improvement Plan"),
        ("Since the launch of the Early Help Strategy in November 2013 we have developed systems.", "Early Help Strategy"),
        ("This theme will progress the work of the Social Care Academy.", "Social Care Academy"),
        ("We secured better outcomes for 795 'Troubled Families' in the borough.", "Troubled Families"),
        ("The hubs were established as part of Safe, Secure, Successful in 2016.", "Safe, Secure, Successful"),
        ("The Ofsted Delivery Plan was approved by the Council.", "Ofsted Delivery Plan"),
        ("Hertfordshire's Family Safeguarding model has been adopted.", "Family Safeguarding"),
        ("The Stronger Families programme supports 400 families.", "Stronger Families"),
        ("Staff are trained in the Signs of Safety practice model.", "Signs of Safety"),
    ],
)
def test_named_programmes(text, name):
    assert name in names(run(text))


@pytest.mark.parametrize(
    "text",
    [
        "The Plan will build on the actions already in hand.",
        "We have produced an improvement plan and an action plan.",
        "The Slough Joint Wellbeing Strategy, the JSNA and the Five Year Plan set the context.",
        "Ofsted will continue to use the Single Inspection Framework for re-inspections.",
        "Ensuring the Council Plan is delivered remains a priority.",
        "Actions\tOutcomes\tEvidence\nProject\tNone\tNone",
    ],
)
def test_generic_plans_are_not_programmes(text):
    got = names(run(text))
    assert not any(n in ("Plan", "Improvement Plan", "Five Year Plan", "Council Plan", "Single Inspection Framework") for n in got)
    assert not any(re.search(r"\bJSNA\b|\bNone\b|^Ensuring\b", n) for n in got)


def test_board_oversees_programme_and_generic_board_is_the_councils():
    ctx = run(
        "The Children's Services Improvement Plan will be overseen by the Improvement Board, chaired by the Chief Executive.",
        council="Hampshire",
    )
    [prog] = [f for f in ctx.facts if isinstance(f, Programme) and not f.name.endswith("Board")]
    assert prog.overseen_by is not None and prog.overseen_by.kind == "board"
    assert prog.overseen_by.name == "Hampshire County Council Improvement Board"
    assert prog.org.gss == "E10000014"


def test_the_board_refers_back_to_the_last_named_board():
    ctx = run(
        "In August 2016, the council and Trust established a Joint Improvement Board. The purpose of the Board is to "
        "oversee the delivery of the Ofsted Delivery Plan.",
        council="Slough",
        date="2017-06",
    )
    [prog] = [f for f in ctx.facts if isinstance(f, Programme) and not f.name.endswith("Board")]
    assert prog.name == "Ofsted Delivery Plan"
    assert prog.overseen_by.name.endswith("Joint Improvement Board")
    assert any(b.endswith("Joint Improvement Board") for b in boards(ctx))


def test_one_fact_per_programme_per_report():
    ctx = run(
        "The Early Help Strategy was launched in 2018. The Early Help Strategy is reviewed yearly. "
        "Regular reports go to the Change for Children Programme Board. Change for Children is our programme."
    )
    assert sorted(names(ctx)) == ["Change for Children", "Early Help Strategy"]


def test_programme_of_another_council():
    ctx = run("Essex County Council's Partners in Practice programme supports us.", council="Suffolk")
    [prog] = [f for f in ctx.facts if isinstance(f, Programme)]
    assert prog.name == "Partners in Practice" and "Essex" in prog.org.name


def test_samples_recall_of_programmes():
    from loaders.readers import read_document

    found = 0
    for item in GOLD["programmes"]:
        doc = read_document(SAMPLES / f"{item['doc']}.txt")
        c = council_by_gss(item["gss"])
        ctx = Context(doc)
        ctx.values["publisher"] = OrgRef(c.official_name, c.gss, "council")
        ctx.values["report_date"] = PartialDate(re.search(r"\d{4}", item["doc"]).group(0))
        progs = [f for f in extract_programmes(ctx) if isinstance(f, Programme)]
        norm = lambda s: " ".join(re.sub(r"[^a-z0-9 ]+", " ", s.lower()).split())  # noqa: E731
        if any(norm(item["name"]) in norm(p.name) and p.org.gss == item["gss"] for p in progs):
            found += 1
    assert found == len(GOLD["programmes"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("Ab Cd Plan Board 'Side' programme, & of the\n\t.")), max_size=300))
def test_arbitrary_text_never_crashes(text):
    ctx = run(text)
    for f in ctx.facts:
        assert 0 <= f.evidence.start < f.evidence.end <= len(text)


def test_boards_with_only_common_words_are_qualified_by_the_council():
    ctx = run("Minutes of the Children's Services Improvement Board held on 12 March 2019.", council="Rotherham")
    assert boards(ctx) == ["Rotherham Metropolitan Borough Council Children's Services Improvement Board"]
    ctx = run("The Change for Children Programme Board met in May.", council="Buckinghamshire", date="2018-06")
    assert boards(ctx) == ["Change for Children Programme Board"]


def test_workstreams_become_themes_of_the_programme_just_named():
    ctx = run(
        "We are implementing the Family Valued programme with Leeds City Council. The programme has three workstreams: "
        "Restorative Practice, Family Group Conferencing and Workforce Development.",
        council="Northumberland",
    )
    [prog] = [f for f in ctx.facts if isinstance(f, Programme)]
    assert prog.name == "Family Valued" and prog.org.gss == "E06000057"
    assert prog.themes == ("restorative-practice", "family-group-conferencing", "workforce-development")


def test_themes_listed_as_bullets():
    ctx = run(
        "The Practice Improvement Programme is organised around the following themes:\n"
        "- Supervision\n- Quality Assurance\n- Adolescent Safeguarding\n",
        council="Havering",
    )
    [prog] = [f for f in ctx.facts if isinstance(f, Programme)]
    assert prog.themes == ("supervision", "quality-assurance", "adolescent-safeguarding")


def test_only_the_subject_programme_is_overseen_by_the_board():
    ctx = run(
        "The Stronger Families Programme, the Council's version of the national Troubled Families Programme, is "
        "overseen by the Early Help Partnership Board.",
        council="Northumberland",
    )
    by = {p.name: p.overseen_by for p in ctx.facts if isinstance(p, Programme)}
    assert by["Stronger Families Programme"].name == "Early Help Partnership Board"
    assert by["Troubled Families"] is None


def test_a_partner_council_is_not_the_owner():
    ctx = run("We are implementing the Family Valued programme with Leeds City Council as our Partners in Practice.",
              council="Northumberland")
    assert {p.org.gss for p in ctx.facts if isinstance(p, Programme)} == {"E06000057"}


def test_an_improvement_board_is_also_the_programme_it_leads():
    ctx = run("3.2 The Leader of the Council chairs the Children's Services Improvement Board.", council="Sunderland")
    assert "Children's Services Improvement Board" in names(ctx)
    assert boards(ctx) == ["Sunderland City Council Children's Services Improvement Board"]
    ctx = run("Reports go to the Change for Children Programme Board and the Improvement Board.", council="Buckinghamshire",
              date="2018-06")
    assert sorted(names(ctx)) == ["Change for Children", "Improvement Board"]
    assert names(run("The Children\u2019s Services Improvement Board is chaired by the Chief Executive.", council="Rotherham")) == [
        "Children's Services Improvement Board"
    ]


def test_a_quoted_name_may_contain_a_grade_word():
    assert names(run('3.1 The improvement plan, "Getting to Good", has six workstreams.', council="Sunderland")) == ["Getting to Good"]


@pytest.mark.parametrize(
    "text",
    [
        "Ofsted Inspection Update and Improvement Plan",
        'The letter uses "Secretary of State", the commissioner named after his role.',
        "The Trust's Placement Sufficiency Strategy is attached.",
    ],
)
def test_titles_quotes_and_possessives_are_not_programme_names(text):
    got = names(run(text))
    assert not any(n.startswith(("Ofsted Inspection", "Secretary", "Trust")) for n in got), got


def test_the_improvement_plan_is_the_councils_plan_unless_short_for_a_fuller_name():
    ctx = run("The notice requires the Council to deliver the Improvement Plan agreed with the Board.", council="Torbay")
    [prog] = [f for f in ctx.facts if isinstance(f, Programme)]
    assert prog.name == "Improvement Plan" and prog.org.gss == "E06000027"
    ctx = run(
        "This report explains the Children First Practice Improvement Plan ('the Improvement Plan'). The Improvement "
        "Plan will be submitted in July.",
        council="West Sussex",
    )
    assert names(ctx) == ["Children First Practice Improvement Plan"]
    assert names(run("We have produced an improvement plan.")) == []
