"""Council register and name resolution, against the real register in data/reference."""

from __future__ import annotations

import pytest

from loaders.model import OrgRef, PartialDate
from loaders.reference.councils import (
    council_by_gss,
    councils,
    councils_by_urn,
    find_councils,
    resolve_council,
)

BKM = OrgRef("Buckinghamshire County Council", "E10000002", "council")
BUC = OrgRef("Buckinghamshire Council", "E06000060", "council")


def test_register_covers_every_current_childrens_services_council():
    current = [c for c in councils() if c.childrens_services and c.current]
    assert len(current) == 153
    assert all(c.gss and c.dfe_number and c.ofsted_urn for c in current)
    assert all(c.gss.startswith("E") for c in councils())


def test_register_keeps_abolished_councils_with_successors():
    bkm = council_by_gss("E10000002")
    assert bkm is not None and bkm.official_name == "Buckinghamshire County Council"
    assert bkm.end_date == "2020-03-31" and bkm.replaced_by == ("BUC",)
    assert bkm.dfe_number == "825"
    # Ofsted kept the county's URN for the unitary: both carry it
    assert {c.code for c in councils_by_urn("80442")} == {"BKM", "BUC"}
    assert council_by_gss("E10000006").replaced_by == ("CBD", "WAF")  # Cumbria


def test_changed_gss_codes_take_the_current_one_and_keep_the_old():
    barnsley = council_by_gss("E08000016")
    assert barnsley is not None and barnsley.gss == "E08000038"
    assert "E08000016" in barnsley.former_gss
    assert council_by_gss("e08000038") is barnsley


def test_statistical_neighbours_are_gss_codes():
    slough = council_by_gss("E06000039")
    assert len(slough.statistical_neighbours) == 10
    assert all(council_by_gss(g) is not None for g in slough.statistical_neighbours)


@pytest.mark.parametrize(
    "name, on, expected",
    [
        ("Bucks", "2018-06-18", BKM),
        ("Buckinghamshire", PartialDate("2018"), BKM),
        ("Buckinghamshire", "2021-05", BUC),
        ("Buckinghamshire", None, BUC),
        ("Buckinghamshire", "2020-03-31", BKM),
        ("Buckinghamshire", "2020-04-01", BUC),
        ("LB Tower Hamlets", None, OrgRef("London Borough of Tower Hamlets", "E09000030", "council")),
        ("Buckinghamshire County Council", "2018", BKM),
        # a formal name keeps the body it names even after abolition
        ("Buckinghamshire County Council", "2021", BKM),
        # an anachronistic name means the council of the day
        ("Buckinghamshire Council", "2019", BKM),
        ("BCP", None, OrgRef("Bournemouth, Christchurch and Poole Council", "E06000058", "council")),
        ("Bournemouth, Christchurch and Poole", "2022", OrgRef("Bournemouth, Christchurch and Poole Council", "E06000058", "council")),
        ("Bournemouth, Christchurch & Poole Council", None, OrgRef("Bournemouth, Christchurch and Poole Council", "E06000058", "council")),
        ("Poole", "2015", OrgRef("Borough of Poole", "E06000029", "council")),
        ("the London Borough of Havering", None, OrgRef("London Borough of Havering", "E09000016", "council")),
        ("Havering Council", "2019", OrgRef("London Borough of Havering", "E09000016", "council")),
        ("City of Bradford Metropolitan District Council", None, OrgRef("City of Bradford Metropolitan District Council", "E08000032", "council")),
        ("Bradford Council", None, OrgRef("City of Bradford Metropolitan District Council", "E08000032", "council")),
        ("Slough", "2017", OrgRef("Slough Borough Council", "E06000039", "council")),
        ("Walsall Council", "2015", OrgRef("Walsall Metropolitan Borough Council", "E08000030", "council")),
        ("Walsall MBC", None, OrgRef("Walsall Metropolitan Borough Council", "E08000030", "council")),
        ("WEST SUSSEX COUNTY COUNCIL", None, OrgRef("West Sussex County Council", "E10000032", "council")),
        ("Dorset", "2017", OrgRef("Dorset County Council", "E10000009", "council")),
        ("Dorset", "2020", OrgRef("Dorset Council", "E06000059", "council")),
        ("Northamptonshire", "2019", OrgRef("Northamptonshire County Council", "E10000021", "council")),
        ("Cumbria County Council", "2024", OrgRef("Cumbria County Council", "E10000006", "council")),
        ("Saint Helens Council", None, OrgRef("St Helens Council", "E08000013", "council")),
        ("Hull", None, OrgRef("Hull City Council", "E06000010", "council")),
        ("Barnsley", None, OrgRef("Barnsley Metropolitan Borough Council", "E08000038", "council")),
    ],
)
def test_resolve_council(name, on, expected):
    assert resolve_council(name, on) == expected


def test_bare_place_prefers_the_council_with_childrens_services():
    # "Durham" is both the county (a unitary) and the old City of Durham district
    assert resolve_council("Durham").gss == "E06000047"
    # a district keeps its own formal name
    assert resolve_council("Aylesbury Vale District Council").gss == "E07000004"


@pytest.mark.parametrize("name", ["SBC", "Kingston", "Richmond", "London", "Springfield", "Council", "", "Newport"])
def test_unknown_or_ambiguous_names_give_nothing(name):
    assert resolve_council(name) is None
    assert resolve_council(name, "2020") is None


def test_bad_date_is_rejected():
    with pytest.raises(ValueError):
        resolve_council("Slough", "June 2017")


def test_find_councils_spans_longest_match_and_date():
    text = (
        "Reading the papers, officers of the London Borough of Havering met Bucks staff and "
        "Bournemouth, Christchurch and Poole Council. Kent. County Council staff came from Slough."
    )
    found = [(text[s:e], ref.gss) for s, e, ref in find_councils(text, "2018-06")]
    assert found == [
        ("London Borough of Havering", "E09000016"),
        ("Bucks", "E10000002"),
        ("Bournemouth, Christchurch and Poole Council", "E06000058"),
        ("Kent", "E10000016"),
        ("Slough", "E06000039"),
    ]


def test_find_councils_ignores_lower_case_words_and_bare_district_names():
    text = "We are reading the bury report in Wycombe, then meeting Wycombe District Council in Reading."
    found = [(text[s:e], ref.name) for s, e, ref in find_councils(text, "2018")]
    assert found == [
        ("Wycombe District Council", "Wycombe District Council"),
        ("Reading", "Reading Borough Council"),
    ]


def test_find_councils_reads_possessives_and_apostrophes():
    text = "Slough's trust met King's Lynn and West Norfolk Borough Council and Walsall\u2019s DCS."
    found = [(text[s:e], ref.gss) for s, e, ref in find_councils(text, "2020")]
    assert found == [
        ("Slough", "E06000039"),
        ("King's Lynn and West Norfolk Borough Council", "E07000146"),
        ("Walsall", "E08000030"),
    ]
