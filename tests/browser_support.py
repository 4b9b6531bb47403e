"""Browser-test support: the app served by waitress on 127.0.0.1 in a background thread, and a
headless Debian Chromium driven by Selenium that records console messages and every request.

Use from a conftest.py:

    from tests.browser_support import browser, live_server  # noqa: F401

`live_server` needs an `app` fixture (a Flask app) in scope; `browser` yields a `Browser` whose
`open(path)` loads a page from the live server, `problems()` lists console errors and requests
that left 127.0.0.1, and `screenshot(name)` saves tests/artifacts/<name>.png. A test module with
its own app (at module scope) uses `with open_browser(app) as browser:` instead.
Tests that use them are skipped when Chromium, chromedriver or Selenium is missing.
"""

from __future__ import annotations

import json
import shutil
import socket
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
LOCAL_SCHEMES = {"data", "blob", "about", "chrome", "chrome-extension", "devtools"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    def __init__(self, app) -> None:
        from waitress.server import create_server

        self.port = _free_port()
        self.server = create_server(app, host="127.0.0.1", port=self.port, threads=4)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.thread.start()
        for _ in range(200):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"the test server on port {self.port} did not start")

    def stop(self) -> None:
        self.server.close()
        self.thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_server(app):
    server = LiveServer(app)
    server.start()
    yield server
    server.stop()


class Browser:
    """A Selenium Chrome driver plus the bookkeeping the tests assert on."""

    def __init__(self, driver, base_url: str) -> None:
        self.driver = driver
        self.base_url = base_url

    def open(self, path: str) -> None:
        self.driver.get_log("browser")  # drop what earlier pages logged
        self.driver.get_log("performance")
        self.driver.get(self.base_url + path)

    def console_errors(self) -> list[str]:
        return [e["message"] for e in self.driver.get_log("browser") if e.get("level") == "SEVERE"]

    def requests(self) -> list[str]:
        urls = []
        for entry in self.driver.get_log("performance"):
            msg = json.loads(entry["message"])["message"]
            if msg.get("method") == "Network.requestWillBeSent":
                urls.append(msg["params"]["request"]["url"])
        return urls

    @staticmethod
    def is_local(url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in LOCAL_SCHEMES or (parts.hostname or "") in LOCAL_HOSTS

    def problems(self) -> list[str]:
        """Console errors and requests that left 127.0.0.1 since the last `open`."""
        found = [f"console: {m}" for m in self.console_errors()]
        found += [f"external request: {u}" for u in self.requests() if not self.is_local(u)]
        return found

    def screenshot(self, name: str, width: int = 1280) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        height = self.driver.execute_script(
            "return Math.min(4000, Math.max(document.body.scrollHeight, document.documentElement.scrollHeight))"
        )
        self.driver.set_window_size(width, max(800, int(height)))
        path = ARTIFACTS / f"{name}.png"
        self.driver.save_screenshot(str(path))
        self.driver.set_window_size(width, 900)
        return path

    def wait_for(self, condition, timeout: float = 10):
        from selenium.webdriver.support.ui import WebDriverWait

        return WebDriverWait(self.driver, timeout).until(condition)


def _chromium_driver():
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("selenium is not installed (pip install -e .[dev])")
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("Debian chromium and chromium-driver are not installed")
    profile = tempfile.mkdtemp(prefix="cskg-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-default-apps", "--disable-extensions", "--mute-audio",
        "--window-size=1280,900", f"--user-data-dir={profile}",
    ):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(60)
    return driver, profile


@contextmanager
def open_browser(app):
    """Serve `app` and drive a browser at it, for tests that build their own app (any scope):

        with open_browser(my_app) as browser: ...
    """
    server = LiveServer(app)
    server.start()
    try:
        driver, profile = _chromium_driver()
        try:
            yield Browser(driver, server.url)
        finally:
            driver.quit()
            shutil.rmtree(profile, ignore_errors=True)
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser(live_server):
    driver, profile = _chromium_driver()
    try:
        yield Browser(driver, live_server.url)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
