"""The README's session is true: its commands run and print the lines it shows.

Lines of expected output must each appear in the command's output (white space trimmed); a line
`...` stands for output the README leaves out. The commands run from the repository root with the
store in a temporary folder.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def session() -> list[tuple[str, list[str]]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"<!-- session -->\s*```console\n(.*?)```", readme, re.S)
    assert m, "README.md has no <!-- session --> console block"
    steps: list[tuple[str, list[str]]] = []
    for line in m.group(1).splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif steps and line.strip():
            steps[-1][1].append(line.rstrip())
    return steps


def test_readme_opens_with_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```[a-z]*\n(.*?)```", text, re.S).group(1).split()
    assert first_block == ["make", "run", "make", "test"]


@pytest.mark.slow
def test_readme_session_runs_as_written(tmp_path):
    env = {**os.environ, "CSKG_STORE": str(tmp_path / "store"),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    steps = session()
    assert len(steps) >= 4
    for command, expected in steps:
        result = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=600)
        assert result.returncode in (0, 141), f"`{command}` failed:\n{result.stderr[-2000:]}"  # 141: head closed the pipe
        got = [line.strip() for line in (result.stdout + result.stderr).splitlines()]
        for line in expected:
            if line.strip() == "...":
                continue
            assert line.strip() in got, f"`{command}` no longer prints:\n{line}\n--- it printed:\n" + "\n".join(got[:60])
