"""Reading the Ofsted outcomes table into records (real table in data/reference)."""

from __future__ import annotations

import pytest

from loaders.reference.ofsted import read_outcomes


@pytest.fixture(scope="module")
def outcomes():
    records, skipped = read_outcomes()
    assert skipped == []
    return {(o.urn, str(o.published)): o for o in records}


def test_every_row_becomes_a_record(outcomes):
    assert len(outcomes) == 497


def test_framework_follows_dates_and_labels(outcomes):
    assert outcomes[("80578", "2019-05-08")].type == "ilacs-standard"  # West Sussex
    assert outcomes[("80574", "2025-07-08")].type == "ilacs-short"  # Walsall
    # labelled standard, but fieldwork in November 2017 was under the old framework
    assert outcomes[("80462", "2018-01-19")].type == "sif"  # Doncaster
    # an overrunning standard inspection keeps its type
    assert outcomes[("80580", "2019-07-22")].type == "ilacs-standard"  # Wiltshire
    # graded, but the standard/short label was not read
    assert outcomes[("80438", "2024-05-16")].type == "ilacs"  # Brighton and Hove
    assert outcomes[("80553", "2016-02-17")].type == "sif"  # Slough
    assert outcomes[("80476", "2013-08-23")].type == "pre-sif-inspection"  # Kent


def test_grades_and_areas(outcomes):
    ws = outcomes[("80578", "2019-05-08")]
    assert dict(ws.grades) == {
        "overall-effectiveness": "inadequate", "impact-of-leaders": "inadequate",
        "help-and-protection": "inadequate", "children-in-care-and-care-leavers": "inadequate",
    }
    assert (ws.start.value, ws.end.value, ws.lead_inspector) == ("2019-02-25", "2019-03-08", "Linda Steele")
    later = dict(outcomes[("80578", "2023-05-11")].grades)
    assert later["children-in-care"] == "good" and later["care-leavers"] == "requires-improvement"
    # since the 2026 framework there is no overall grade
    nn = dict(outcomes[("2637539", "2026-07-07")].grades)
    assert "overall-effectiveness" not in nn and nn["impact-of-leaders"] == "outstanding"


def test_unreadable_values_are_reported_not_guessed(outcomes):
    notts = outcomes[("80533", "2019-01-07")]
    assert "overall effectiveness grade not read" in notts.problems
    assert dict(notts.grades)["help-and-protection"] == "requires-improvement"  # "to requires improvement"
    assert outcomes[("80442", "2018-01-29")].grades == ()  # SIF: date and link only


def test_council_in_force_at_the_inspection(outcomes):
    assert outcomes[("80442", "2018-01-29")].council.official_name == "Buckinghamshire County Council"
    assert outcomes[("80442", "2022-02-11")].council.official_name == "Buckinghamshire Council"
