"""The red team's failing cases on the fixture reports, each now read right: an inspection of a
partner council, a visit not yet made, numbered lists followed by numbered headings, job-advert
salaries, the purpose and year of each amount, alternative delivery by a trust or company. The
general rules are tested on invented sentences in the test module of each step."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from loaders.extract import extract
from loaders.model import Inspection, Judgement, MonetaryAmount, OrganisationChange, Recommendation
from loaders.readers import read_document

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@cache
def facts(name: str) -> list:
    [path] = [p for p in (FIXTURES / "heldout").iterdir() if p.name.startswith(name)] or [
        p for p in (FIXTURES / "reports").iterdir() if p.name.startswith(name) and not p.name.endswith(".py")
    ]
    return extract(read_document(path))


def of(kind, name: str) -> list:
    return [f for f in facts(name) if isinstance(f, kind)]


def test_the_islands_good_judgement_is_the_isle_of_wights_not_hampshires():
    good = [j for j in of(Judgement, "hampshire-2021") if j.grade == "good"]
    assert good and {j.inspection.org.gss for j in good} == {"E06000046"}


def test_torbays_future_monitoring_visit_is_not_a_visit():
    visits = [i for i in of(Inspection, "torbay-2017") if i.type == "monitoring-visit"]
    assert not any(str(i.start).startswith("2018") for i in visits)


@pytest.mark.parametrize(
    "name, last",
    [
        ("cumberland-2025", "the consistency of supervision."),
        ("medway-2020", "Ensure that care leavers receive their entitlements."),
        ("north-northamptonshire-2024", "Access to suitable accommodation for care leavers."),
        ("rotherham-2019", "The sufficiency of local placements for children in care."),
    ],
)
def test_lists_end_before_the_next_numbered_heading(name, last):
    recs = of(Recommendation, name)
    assert recs and recs[-1].text == last


def test_money_on_the_fixtures():
    def got(name):
        return {(a.amount, a.purpose, a.financial_year) for a in of(MonetaryAmount, name)}

    assert not any(a.amount == Decimal(65000) for a in of(MonetaryAmount, "bradford-2021"))
    assert (Decimal(350000), "funding", "2019/20") in got("lancashire-2018")
    iow = got("isle-of-wight-2013")
    assert (Decimal(200000), "cost", "2013/14") in iow and (Decimal(1100000), "saving", None) in iow
    torbay = got("torbay-2017")
    assert (Decimal(1750000), "funding", "2017/18") in torbay and (Decimal(420000), "saving", None) in torbay


@pytest.mark.parametrize(
    "name, body, date",
    [
        ("doncaster-2014", "Doncaster Children's Services Trust", "2014-10-01"),
        ("sandwell-2019", "Sandwell Children's Trust", "2018-04-01"),
        ("sunderland-2016", "Together for Children Sunderland", None),
        ("birmingham-2016", "Birmingham Children's Trust", None),
    ],
)
def test_alternative_delivery_is_an_organisation_change(name, body, date):
    changes = {(c.new_org.name, str(c.date) if c.date else None) for c in of(OrganisationChange, name)}
    assert (body, date) in changes
