"""Extraction on reports unlike the samples: `cskg eval` over the invented held-out style reports
(tests/fixtures/heldout) and the reader fixtures (tests/fixtures/reports), each against its gold
file. The floors are the scores reached when they were set; a change that lowers one is a
regression to look at, not a number to lower."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.evaluation import evaluate, load_gold
from loaders.readers import is_supported

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

# kind -> floor of recall; "people_precision"/"people_recall" for the person nodes
FLOORS = {
    "heldout": {
        "memberships": 1.0, "interventions": 1.0, "monitoring_visits": 1.0, "funding": 1.0,
        "inspections": 1.0, "recommendation_counts": 1.0, "programmes": 1.0,
        "people_precision": 1.0, "people_recall": 1.0,
    },
    "reports": {
        "memberships": 1.0, "interventions": 1.0, "monitoring_visits": 1.0, "funding": 1.0,
        "inspections": 1.0, "recommendation_counts": 1.0, "programmes": 1.0,
        "people_precision": 1.0, "people_recall": 1.0,
    },
}


@pytest.fixture(scope="module", params=sorted(FLOORS))
def scored(request):
    folder = FIXTURES / request.param
    reports = sorted(p for p in folder.iterdir() if is_supported(p) and p.name != "README.md")
    return request.param, evaluate(load_gold(folder / "gold.json"), reports)


def test_every_report_loads(scored):
    name, report = scored
    assert report.reports and all(status.startswith("loaded") for status in report.reports.values()), report.reports


def test_scores_do_not_fall_below_their_floors(scored):
    name, report = scored
    got = {k: v.recall for k, v in report.kinds.items() if v.recall is not None}
    got["people_precision"] = report.person_precision
    got["people_recall"] = report.person_recall
    low = {k: (round(got[k], 3), floor) for k, floor in FLOORS[name].items() if got[k] < floor - 1e-9}
    assert not low, f"{name}: below floor (got, floor): {low}\n{report.text(verbose=True)}"


def test_gold_names_only_files_that_exist():
    for name in FLOORS:
        folder = FIXTURES / name
        stems = {p.stem for p in folder.iterdir() if is_supported(p) and p.name != "README.md"}
        gold = load_gold(folder / "gold.json")
        docs = {item["doc"] for kind, items in gold.items() if isinstance(items, list) for item in items
                if isinstance(item, dict)}
        assert docs <= stems, docs - stems
