"""`cskg paths` and `cskg central` through click's CliRunner, on the constructed graph."""

from __future__ import annotations

import json

from click.testing import CliRunner

from cskg.cli import cli


def run(store_path, *args):
    return CliRunner().invoke(cli, ["--store", str(store_path), *args], catch_exceptions=False)


def test_paths_tells_the_chain_with_its_evidence(constructed_path):
    result = run(constructed_path, "paths", "Northshire County Council", "Southshire County Council", "--max", "1")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "path 1 (2 steps): Northshire County Council -> Ada Quill -> Southshire County Council"
    assert "“Ada Quill was appointed Children's Services Commissioner for Northshire in March 2018.” (Northshire improvement)" in result.output


def test_paths_json_accepts_iris(constructed_path):
    a = "https://w3id.org/cskg/id/person/ben-north"
    b = "https://w3id.org/cskg/id/person/cal-south"
    result = run(constructed_path, "paths", a, b, "--format", "json", "--max", "2")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["from"]["iri"] == a and data["to"]["label"] == "Cal South"
    assert [n["label"] for n in data["paths"][0]["nodes"]] == [
        "Ben North", "Northshire County Council", "Ada Quill", "Southshire County Council", "Cal South"]


def test_paths_unknown_name_is_one_plain_error(constructed_path):
    result = CliRunner().invoke(cli, ["--store", str(constructed_path), "paths", "Nobody Known", "Ada Quill"])
    assert result.exit_code == 1
    assert result.output.strip() == "error: no entity is labelled 'Nobody Known'"
    assert "Traceback" not in result.output


def test_central_table_and_json(constructed_path):
    table = run(constructed_path, "central", "--type", "person", "--measure", "betweenness", "--top", "2")
    assert table.exit_code == 0, table.output
    rows = table.output.splitlines()
    assert rows[0].split()[:3] == ["#", "name", "type"]
    assert rows[1].split()[1:3] == ["Ada", "Quill"]
    assert len(rows) == 3
    data = json.loads(run(constructed_path, "central", "--type", "organisation", "--format", "json").output)
    assert [r["label"] for r in data["rows"]] == ["Department for Education"]
    assert data["measure"] == "degree"
