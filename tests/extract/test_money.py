"""Amounts of money: normalisation, financial years (in the sentence or a table's header row),
purpose (savings are not grants) and what is funded; the samples against the gold."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.extract import Context
from loaders.extract.money import extract_money, financial_year, to_pounds
from loaders.extract.programmes import extract_programmes
from loaders.model import Document, MonetaryAmount, OrgRef, PartialDate, Programme
from loaders.reference.councils import resolve_council

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"
GOLD = json.loads((SAMPLES / "seeds-gold.json").read_text(encoding="utf-8"))


def run(text: str, council: str = "Cornwall", date: str = "2019-06"):
    doc = Document("t.txt", "t.txt", "text/plain", "0", text)
    ctx = Context(doc)
    ctx.values["report_date"] = PartialDate(date)
    ctx.values["publisher"] = resolve_council(council, date)
    for step in (extract_programmes, extract_money):
        for fact in step(ctx):
            assert fact.evidence.check(text), fact
            ctx.facts.append(fact)
    return ctx


def amounts(ctx) -> list[MonetaryAmount]:
    return [f for f in ctx.facts if isinstance(f, MonetaryAmount)]


@pytest.mark.parametrize(
    "written, pounds",
    [
        ("£0.75m", 750000),
        ("£1.4 million", 1400000),
        ("£24.411m", 24411000),
        ("£420k", 420000),
        ("£200,000", 200000),
        ("£2.5 million", 2500000),
        ("£1.2bn", 1200000000),
        ("£15,250.50", Decimal("15250.50")),
    ],
)
def test_amounts_are_normalised_to_pounds(written, pounds):
    [a] = amounts(run(f"The council will invest {written} in the service."))
    assert a.amount == Decimal(pounds)
    assert a.currency == "GBP"


@pytest.mark.parametrize(
    "a, b, fy",
    [("2019", "20", "2019/20"), ("19", "20", "2019/20"), ("2019", "2020", "2019/20"), ("1999", "00", "1999/00"), ("2019", "21", None)],
)
def test_financial_year(a, b, fy):
    assert financial_year(a, b) == fy


def test_to_pounds_units():
    assert to_pounds("1,234", None) == Decimal(1234) and to_pounds("3", "k") == Decimal(3000)


def test_year_next_to_each_amount_and_savings_are_not_grants():
    ctx = run("Proposals are in place to make savings of £4.386m in 2015/16 and £2.028m in 2016/17.", council="Walsall")
    got = [(a.amount, a.purpose, a.financial_year) for a in amounts(ctx)]
    assert got == [(Decimal("4386000"), "saving", "2015/16"), (Decimal("2028000"), "saving", "2016/17")]


@pytest.mark.parametrize(
    "text, purpose",
    [
        ("The Trust received £1.4 million from the Innovation Fund.", "funding"),
        ("A grant of £250,000 was awarded by the DfE.", "funding"),
        ("The service is forecasting an overspend of £3.2m this year.", "cost"),
        ("The placements budget for 2020/21 is £42m.", "budget"),
        ("Efficiencies of £500k will be delivered through the restructure.", "saving"),
        ("The contract is worth £12m over five years.", "funding"),
    ],
)
def test_purpose(text, purpose):
    [a] = amounts(run(text))
    assert a.purpose == purpose


def test_short_financial_year_and_funded_programme():
    ctx = run(
        "A business case proposes to invest £0.75m for 19/20 in the Children's Social Care Improvement Programme Plan.",
        council="Havering",
    )
    [a] = amounts(ctx)
    assert (a.amount, a.financial_year, a.purpose) == (Decimal("750000"), "2019/20", "funding")
    assert isinstance(a.funded, Programme) and a.funded.name.startswith("Children's Social Care Improvement")


def test_table_under_a_header_row_of_years():
    text = (
        "The Trust has received certainty from the Council on the amounts in its Core Contract, as follows:-\n\n"
        "2017/18\t2018/19\t2019/20\n"
        "£24.411m\t£24.811m\t£25.211m\n\n"
        "There are no other implications.\n"
    )
    ctx = run(text, council="Slough", date="2017-06")
    got = [(a.amount, a.financial_year) for a in amounts(ctx)]
    assert got == [(Decimal("24411000"), "2017/18"), (Decimal("24811000"), "2018/19"), (Decimal("25211000"), "2019/20")]
    assert all(a.evidence.quote == "£24.411m\t£24.811m\t£25.211m" for a in amounts(ctx))


def test_table_with_row_labels_and_a_total_column():
    text = (
        "Total Cost\n"
        "Yr2 19/20\tYr3 20/21\tTotal\n"
        "One off Revenue costs\n"
        "Ofsted Improvement\t£0.75m\t£0.25m\t£1m\n"
        "Total:\t£0.75m\t£0.25m\t£1m\n"
    )
    got = sorted((a.amount, a.financial_year) for a in amounts(run(text, council="Havering")))
    assert got == [(Decimal("250000"), "2020/21"), (Decimal("750000"), "2019/20")]


def test_a_trust_named_in_the_sentence_is_funded():
    ctx = run("Doncaster Children's Services Trust will receive £50m in 2019/20.", council="Doncaster")
    [a] = amounts(ctx)
    assert a.funded == OrgRef("Doncaster Children's Services Trust", kind="trust") and a.financial_year == "2019/20"


def test_no_pound_sign_no_amount():
    assert amounts(run("There were 1,400 referrals in 2019/20 and 24.4% were repeat referrals.")) == []


def test_samples_recall_of_funding():
    from loaders.readers import read_document

    found = 0
    for item in GOLD["funding"]:
        doc = read_document(SAMPLES / f"{item['doc']}.txt")
        ctx = Context(doc)
        ctx.values["publisher"] = None
        ctx.values["report_date"] = PartialDate(re.search(r"\d{4}", item["doc"]).group(0))
        values = [f.amount for f in extract_money(ctx) if isinstance(f, MonetaryAmount)]
        if any(abs(v - Decimal(item["amount"])) < 1 for v in values):
            found += 1
    assert found == len(GOLD["funding"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("£0123456789.,mkbn million 19/20 2019-20 savings grant\t\n")), max_size=300))
def test_arbitrary_text_never_crashes(text):
    ctx = run(text)
    for f in ctx.facts:
        assert 0 <= f.evidence.start < f.evidence.end <= len(text)


def test_the_trust_refers_back_to_the_trust_named_before():
    ctx = run(
        "This is the annual report of Doncaster Children's Services Trust.\n\nThe Trust's contract with the Council is "
        "worth £46.5m in 2018/19.",
        council="Doncaster",
    )
    [a] = amounts(ctx)
    assert a.funded == OrgRef("Doncaster Children's Services Trust", kind="trust")


def test_a_range_shares_its_unit():
    got = [a.amount for a in amounts(run("The pressure is estimated at £2-3m in 2020/21."))]
    assert got == [Decimal("2000000")]
    got = [a.amount for a in amounts(run("Savings of £2 to £3 million are expected."))]
    assert got == [Decimal("2000000"), Decimal("3000000")]


def _got(ctx) -> list[tuple[Decimal, str, str | None]]:
    return [(a.amount, a.purpose, a.financial_year) for a in amounts(ctx)]


def test_a_job_advert_salary_is_not_money_for_services():
    ctx = run(
        "Vacancy: Service Manager - Fostering, Grade M3, up to £58,000. Apply by 12 June 2019.\n\n"
        "Cabinet approved £1.2m of grant for the fostering service."
    )
    assert _got(ctx) == [(Decimal("1200000"), "funding", None)]
    assert _got(run("The post of Head of Safeguarding carries a salary of £72,500 per annum.")) == []


def test_each_amount_takes_the_cue_of_its_own_clause():
    ctx = run(
        "Members are asked to agree additional funding of £1.6 million in 2019/20 and £400k in 2020/21 for the "
        "edge of care team, noting efficiencies of £0.9m in 2020/21."
    )
    assert _got(ctx) == [
        (Decimal("1600000"), "funding", "2019/20"),
        (Decimal("400000"), "funding", "2020/21"),
        (Decimal("900000"), "saving", "2020/21"),
    ]


def test_a_year_belongs_to_its_own_amount_and_over_years_has_none():
    ctx = run("The contract costs £310,000 in 2016/17, against savings of £2.5 million over four years.")
    assert _got(ctx) == [(Decimal("310000"), "cost", "2016/17"), (Decimal("2500000"), "saving", None)]


def test_investment_offset_by_savings():
    ctx = run("The Borough will invest a further £2.25 million in early help in 2018/19, offset in part by reductions of £600k.")
    assert _got(ctx) == [(Decimal("2250000"), "funding", "2018/19"), (Decimal("600000"), "saving", None)]
