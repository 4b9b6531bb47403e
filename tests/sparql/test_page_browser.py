"""The /sparql page in headless Chromium: renders with the site's layout, no console errors, no
request leaving 127.0.0.1, and its link leads to the workbench."""

from __future__ import annotations

import pytest

from tests.browser_support import open_browser
from webapp import create_app

pytestmark = pytest.mark.browser


def test_sparql_page_in_a_real_browser(sample_store):
    app = create_app({"TESTING": True}, store=sample_store)
    with open_browser(app) as browser:
        browser.open("/sparql")
        driver = browser.driver
        assert driver.find_element("css selector", "h1").text == "SPARQL endpoint"
        link = driver.find_element("link text", "Open the query workbench")
        assert link.get_attribute("href").endswith("/workbench")
        browser.screenshot("sparql-page")
        assert browser.problems() == []
