"""The Python API examples in docs/python-api.md and the README run as written."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re

from rdflib import Graph

import cskg
from tests.conftest import ROOT


def test_the_documented_example_runs(tmp_path, monkeypatch):
    doc = (ROOT / "docs" / "python-api.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", doc, re.S)
    assert blocks
    (tmp_path / "data").symlink_to(ROOT / "data")
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile("\n".join(blocks), "docs/python-api.md", "exec"), {})
    lines = out.getvalue().splitlines()
    assert "5 loaded" in lines[0]
    assert re.match(r"^\d+ councils; .+ - (Outstanding|Good|Requires improvement|Inadequate) \d{4}", lines[2])
    assert "role" in lines[3] or "inspection" in lines[3]
    south_east = Graph().parse("south-east.ttl", format="turtle")
    assert len(south_east) > 10
    entity = json.loads((tmp_path / "west-sussex.jsonld").read_text())
    assert entity["@context"]["cs"] and entity["@graph"]
    assert os.path.getsize("west-sussex.jsonld") > 100


def test_rows_as_dataframe_or_a_clear_message():
    rows = cskg.Rows(["a"], [[None]])
    assert rows.dicts() == [{"a": None}]
    try:
        import pandas  # noqa: F401
    except ImportError:
        try:
            rows.to_dataframe()
        except ImportError as exc:
            assert "pip install pandas" in str(exc)
        else:
            raise AssertionError("to_dataframe without pandas must say how to get it")
    else:
        assert list(rows.to_dataframe().columns) == ["a"]


def test_the_readme_example_runs(tmp_path, monkeypatch):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Using cskg from Python", 1)[1]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)[:1]
    assert blocks
    (tmp_path / "data").symlink_to(ROOT / "data")
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(blocks[0], "README.md", "exec"), {})
    lines = out.getvalue().splitlines()
    assert "5 loaded" in lines[0]
    assert re.match(r"^\d+ councils; .+ - (Outstanding|Good|Requires improvement|Inadequate) \d{4}", lines[2])
    entity = json.loads((tmp_path / "west-sussex.jsonld").read_text())
    assert entity["@graph"]
