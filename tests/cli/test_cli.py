"""Every CLI command through click's CliRunner, against a real on-disk Oxigraph store."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph

from cskg.cli import cli
from tests.conftest import SAMPLES

COMMANDS = ["load", "load-reference", "compact", "remove", "export", "query", "stats", "validate", "serve"]


@pytest.fixture
def run(tmp_path):
    runner = CliRunner()
    store = str(tmp_path / "store")

    def invoke(*args: str, **kw):
        return runner.invoke(cli, ["--store", store, *args], catch_exceptions=False, **kw)

    return invoke


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage: cli " + command in result.output or f"Usage: cskg {command}" in result.output or "Usage:" in result.output
    assert "--store" in result.output


def test_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and "cskg, version" in result.output


def test_load_then_stats_query_export_remove(run, tmp_path):
    loaded = run("load", str(SAMPLES))
    assert loaded.exit_code == 0, loaded.output
    assert "5 loaded, 0 unchanged, 0 failed" in loaded.output

    again = run("load", str(SAMPLES))
    assert "0 loaded, 5 unchanged, 0 failed" in again.output

    stats = run("stats", "--json")
    data = json.loads(stats.output)
    assert data["sources"]["report"] == 5 and data["entities"]["reports"] == 5

    q = run("query", "SELECT ?file WHERE { ?r a schema:Report ; cs:sourceFile ?file } ORDER BY ?file", "--format", "csv")
    lines = q.output.strip().splitlines()
    assert lines[0] == "file" and len(lines) == 6 and lines[1].startswith("buckinghamshire-2018")

    out = tmp_path / "all.trig"
    exported = run("export", "--format", "trig", "-o", str(out))
    assert exported.exit_code == 0
    ds = Dataset()
    ds.parse(out, format="trig")
    assert len(list(ds.graphs())) >= 6  # five reports + metadata (+ default)

    turtle = run("export", "--format", "turtle", "--graph", "slough-2017-06-19-cabinet-childrens-services-trust-update.txt")
    g = Graph().parse(data=turtle.output, format="turtle")
    assert len(g) > 10

    removed = run("remove", "slough-2017-06-19-cabinet-childrens-services-trust-update.txt")
    assert removed.exit_code == 0 and "removed slough" in removed.output
    assert json.loads(run("stats", "--json").output)["sources"]["report"] == 4


def test_a_large_load_compacts_the_store_and_keeps_its_content(run, monkeypatch):
    import cskg.cli

    monkeypatch.setattr(cskg.cli, "COMPACT_AFTER", 3)  # the samples stand in for a large load
    loaded = run("load", str(SAMPLES))
    assert loaded.exit_code == 0, loaded.output
    assert "compacting the store after 5 reports written" in loaded.output and "compacted in" in loaded.output
    assert "compacting" not in run("load", str(SAMPLES)).output  # nothing written, nothing to compact
    assert "compacting" not in run("load", "--no-compact", str(SAMPLES)).output
    before = run("export", "--format", "nquads").output
    compacted = run("compact")
    assert compacted.exit_code == 0 and "compacted in" in compacted.output
    assert sorted(run("export", "--format", "nquads").output.splitlines()) == sorted(before.splitlines())


def test_user_errors_are_one_line_and_exit_1(run, tmp_path):
    missing = run("remove", "nothing-like-this.txt")
    assert missing.exit_code == 1 and "no source named" in missing.output and "Traceback" not in missing.output

    bad_query = run("query", "SELECT ?x WHERE { ?x ?y }")
    assert bad_query.exit_code == 1 and "error:" in bad_query.output and "Traceback" not in bad_query.output

    not_a_query = run("query", "no-such-library-query")
    assert not_a_query.exit_code == 1 and "library" in not_a_query.output


def test_load_reports_failures_and_exits_1_but_loads_the_rest(run, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text((SAMPLES / "slough-2017-06-19-cabinet-childrens-services-trust-update.txt").read_text())
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    result = run("load", str(folder))
    assert result.exit_code == 1
    assert "1 loaded" in result.output and "1 failed" in result.output
    assert "broken.pdf" in result.output
    assert "Traceback" not in result.output


def test_store_locked_by_another_process_is_a_clear_error(tmp_path):
    from graph.store import OxigraphStore

    holder = OxigraphStore(tmp_path / "store")
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "store"), "stats"])
    holder.close()
    assert result.exit_code == 1
    assert "in use by another cskg process" in result.output


def test_load_reference_once_and_validate(run):
    first = run("load-reference")
    assert first.exit_code == 0, first.output
    second = run("load-reference", "--if-missing")
    assert "already loaded" in second.output
    validated = run("validate")
    assert validated.exit_code == 0, validated.output


def test_serve_refuses_nothing_but_binds_localhost_by_default():
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert "127.0.0.1" in result.output


def test_query_plan_prints_oxigraph_plan_without_opening_the_store(run, tmp_path):
    result = run("query", "interventions", "--plan")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Slice(start = 0, length = 1000)"
    assert any(line.strip() == "QuadPattern(?intervention <https://w3id.org/cskg/def/cs#subjectOrganisation> ?council)"
               for line in lines)
    assert any(line.startswith("    ") for line in lines)  # a tree, indented by depth
    assert not (tmp_path / "store").exists()  # planned without the store: nothing opened, nothing locked


def test_query_plan_binds_parameters_and_reports_problems_plainly(run, monkeypatch):
    bound = run("query", "people-at-a-council", "--plan", "-p", "organisation_name=Slough")
    assert bound.exit_code == 0 and 'LCASE(STR("Slough"))' in bound.output
    bad = run("query", "SELECT * WHERE { ?s ?p }", "--plan")
    assert bad.exit_code != 0 and "error at 1:" in bad.output  # the query's own line, not the PREFIX lines'
    unknown = run("query", "report-facts", "--plan", "-p", "nope=1")
    assert unknown.exit_code != 0 and "unknown parameter(s): nope" in unknown.output

    import graph.query

    monkeypatch.setattr(graph.query, "oxigraph_command", lambda: None)
    missing = run("query", "interventions", "--plan")
    assert missing.exit_code != 0 and "pip install oxigraph" in missing.output
