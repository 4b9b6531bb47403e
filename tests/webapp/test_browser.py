"""Each page type in a real headless Chromium: no console errors, no request leaving
127.0.0.1, a screenshot under tests/artifacts/; the report viewer scrolls to a clicked fact and
the search box suggests as you type."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

NORTHMOOR = "organisation/northmoor-metropolitan-borough-council"
INSPECTION = "inspection/northmoor-metropolitan-borough-council--sif--2017-11-06"
REPORT = "report/northmoor-2018-03-12-cabinet-childrens-services-improvement-txt"

PAGES = {
    "home": "/",
    "search": "/search?q=northmoor",
    "councils": "/councils",
    "reports": "/reports",
    "council": f"/id/{NORTHMOOR}",
    "person": "/id/person/peter-hallam",
    "organisation": "/id/organisation/department-for-education",
    "inspection": f"/id/{INSPECTION}",
    "judgement": f"/id/{INSPECTION.replace('inspection/', 'judgement/')}--overall-effectiveness",
    "intervention": "/id/intervention/northmoor-metropolitan-borough-council--statutory-direction--2018-01-15",
    "programme": "/id/programme/northmoor-metropolitan-borough-council--northmoor-children-first-programme",
    "recommendation": f"/id/{INSPECTION.replace('inspection/', 'recommendation/')}--01",
    "report": f"/id/{REPORT}",
    "resource": "/resource?iri=https%3A%2F%2Fw3id.org%2Fcskg%2Fdef%2Ftheme%2Fpractice-quality",
    "not-found": "/id/organisation/no-such-council",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_page_loads_cleanly(browser, name):
    from selenium.webdriver.common.by import By

    browser.open(PAGES[name])
    h1 = browser.driver.find_element(By.TAG_NAME, "h1").text
    assert h1.strip()
    assert browser.driver.find_element(By.CSS_SELECTOR, "a.skip-link").get_attribute("href").endswith("#main")
    browser.screenshot(f"explorer-{name}")
    problems = browser.problems()
    if name == "not-found":  # the page itself answers 404, which Chromium logs
        problems = [p for p in problems if "no-such-council - Failed to load resource" not in p]
    assert problems == []


def test_report_viewer_scrolls_to_a_clicked_fact(browser):
    from selenium.webdriver.common.by import By

    browser.open(f"/id/{REPORT}")
    links = browser.driver.find_elements(By.CSS_SELECTOR, "a.fact__jump")
    target = links[-1]  # the last passage is far below the first screen
    anchor = target.get_attribute("data-ev")
    browser.driver.execute_script("window.scrollTo(0, 0)")
    browser.driver.execute_script("arguments[0].click()", target)
    mark = browser.driver.find_element(By.ID, anchor)

    def in_view(driver):
        return driver.execute_script(
            "const r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight;",
            mark,
        )

    browser.wait_for(in_view)
    assert "flash" in mark.get_attribute("class") and "current" in mark.get_attribute("class")
    assert browser.driver.execute_script("return location.hash") == f"#{anchor}"
    item = browser.driver.find_element(By.CSS_SELECTOR, f'.fact[data-ev="{anchor}"]')
    assert "is-current" in item.get_attribute("class")
    browser.screenshot("explorer-report-after-click")
    assert browser.problems() == []


def test_search_suggests_as_you_type(browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.open("/")
    box = browser.driver.find_element(By.ID, "home-search")
    box.send_keys("hallam")
    browser.wait_for(lambda d: d.find_elements(By.CSS_SELECTOR, "#suggest-1 [role=option]"))
    options = browser.driver.find_elements(By.CSS_SELECTOR, "#suggest-1 [role=option]")
    assert "Peter Hallam" in options[0].text
    browser.screenshot("explorer-suggestions")
    box.send_keys(Keys.ARROW_DOWN, Keys.ENTER)
    browser.wait_for(lambda d: "/id/person/peter-hallam" in d.current_url)
    assert browser.problems() == []
