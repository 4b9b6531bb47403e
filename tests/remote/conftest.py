"""A real Oxigraph server (the `oxigraph` binary of the PyPI package `oxigraph`), started once per
session on a free port with its data in a temporary folder."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph.remote import RemoteStore


def _oxigraph_binary() -> str | None:
    beside_python = Path(sys.executable).parent / "oxigraph"
    return str(beside_python) if beside_python.exists() else shutil.which("oxigraph")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    binary = _oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
    port = _free_port()
    location = tmp_path_factory.mktemp("oxigraph-server")
    log = open(location / "server.log", "wb")  # noqa: SIM115 - closed at teardown
    proc = subprocess.Popen([binary, "serve", "--location", str(location / "data"), "--bind", f"127.0.0.1:{port}"],
                            stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"the oxigraph server did not start: {(location / 'server.log').read_text()}")
            time.sleep(0.1)
    yield f"sparql+http://127.0.0.1:{port}"
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture
def remote(oxigraph_server):
    """The server's store, emptied before each test."""
    store = RemoteStore.from_url(oxigraph_server)
    store.update("DROP SILENT ALL")
    yield store
    store.close()
