"""`make bench` runs the benchmark it names: the quick run, the full run, or the store figures on a
store given with STORE=dir. The Makefile's own STORE default (`make run`'s store) must not turn a
plain `make bench` into a run on that store. Checked with `make -n`, which prints the command."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def bench_command(*args: str, env_extra: dict[str, str] | None = None) -> list[str]:
    # a make running these tests passes its own variables down through MAKEFLAGS: not these
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "STORE", "FULL"}}
    env.update(env_extra or {})
    out = subprocess.run(["make", "-n", "bench", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    lines = [line for line in out.stdout.splitlines() if "benchmarks.run" in line]
    assert len(lines) == 1, out.stdout
    return lines[0].split("benchmarks.run", 1)[1].split()


def test_plain_make_bench_is_the_quick_run():
    assert bench_command() == []


def test_full_run():
    assert bench_command("FULL=1") == ["--full"]


def test_store_on_the_command_line_takes_the_store_figures():
    assert bench_command("FULL=1", "STORE=/data/big-store") == ["--full", "--on-store", "/data/big-store"]


def test_store_from_the_environment_takes_the_store_figures():
    assert bench_command(env_extra={"STORE": "/data/big-store"}) == ["--on-store", "/data/big-store"]
