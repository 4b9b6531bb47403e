"""The network, connections, query-library and workbench pages in a real headless Chromium: no
console errors (the app's strict Content-Security-Policy applies), no request leaving 127.0.0.1,
clicking a node opens the entity's page, the workbench runs a library query and shows its rows.
Screenshots go to tests/artifacts/."""

from __future__ import annotations

import shutil
from urllib.parse import quote

import pytest

from tests.analytics.constructed import ADA, NORTH, constructed_app, iri, library_fixtures
from tests.browser_support import Browser, LiveServer, _chromium_driver

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site():
    app, store = constructed_app()
    server = LiveServer(app)
    server.start()
    driver, profile = _chromium_driver()
    try:
        yield Browser(driver, server.url), store
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
        server.stop()
        store.close()


@pytest.fixture
def fixture_library(monkeypatch):
    yield from library_fixtures(monkeypatch)


def wait_for_network(b: Browser, canvas_id: str):
    b.wait_for(lambda d: d.execute_script(
        f"return !!(window.cskgNetworks && window.cskgNetworks['{canvas_id}'])"), timeout=20)
    b.wait_for(lambda d: d.execute_script(
        f"var n = window.cskgNetworks['{canvas_id}']; return n.physics.options.enabled === false;"), timeout=30)


def test_clicking_a_node_opens_its_entity_page(site):
    b, store = site
    b.open("/network?focus=" + quote(iri(store, ADA)))
    wait_for_network(b, "network-canvas")
    assert b.problems() == []
    ids = b.driver.execute_script("return window.cskgNetworks['network-canvas'].body.data.nodes.getIds()")
    assert iri(store, NORTH) in ids
    b.screenshot("network-focus")
    b.open("/network?focus=" + quote(iri(store, ADA)))
    wait_for_network(b, "network-canvas")
    b.driver.execute_script(
        "window.cskgNetworks['network-canvas'].body.emitter.emit('click', {nodes: [arguments[0]], edges: []})", iri(store, NORTH))
    b.wait_for(lambda d: d.current_url.endswith("/id/organisation/northshire-county-council"))


def test_a_real_click_on_the_canvas_opens_the_page(site):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    b, store = site
    b.open("/network?focus=" + quote(iri(store, NORTH)))
    wait_for_network(b, "network-canvas")
    target = iri(store, ADA)
    # the whole canvas in view: Selenium offsets from the centre of the element's visible part
    b.driver.execute_script("document.getElementById('network-canvas').scrollIntoView({block: 'center'})")
    # where vis-network drew the node, relative to the canvas centre
    x, y = b.driver.execute_script("""
        var n = window.cskgNetworks['network-canvas'];
        var p = n.canvasToDOM(n.getPositions([arguments[0]])[arguments[0]]);
        var c = document.getElementById('network-canvas').getBoundingClientRect();
        return [p.x - c.width / 2, p.y - c.height / 2];""", target)
    canvas = b.driver.find_element(By.ID, "network-canvas")
    ActionChains(b.driver).move_to_element_with_offset(canvas, int(x), int(y)).click().perform()
    b.wait_for(lambda d: d.current_url.endswith("/id/person/ada-quill"))


def test_overview_and_connections_pages_render_cleanly(site):
    b, _ = site
    for path, name, canvas in [
        ("/network/overview?types=council&types=person&types=intervention&types=programme&types=organisation", "network-overview", "network-canvas"),
        ("/connections?from=Northshire+County+Council&to=Eastham+Borough+Council&max=2", "connections", "network-canvas"),
        ("/connections/central?type=person&type=council&measure=betweenness", "connections-central", None),
    ]:
        b.open(path)
        if canvas:
            wait_for_network(b, canvas)
        assert b.problems() == [], path
        b.screenshot(name)


def test_library_pages_render_their_views(site, fixture_library):
    b, _ = site
    for path, name, selector in [
        ("/queries", "library-index", ".query-list"),
        ("/queries/interventions_timeline", "library-timeline", "svg.chart circle.dot"),
        ("/queries/councils_by_programmes", "library-bar", "svg.chart rect.bar"),
        ("/queries/people_of_council?council=Northshire+County+Council", "library-graph", "#network-canvas canvas"),
    ]:
        b.open(path)
        b.wait_for(lambda d: d.execute_script("return !!document.querySelector(arguments[0])", selector))
        assert b.problems() == [], path
        b.screenshot(name)


def _rows_in_yasr(driver) -> int:
    return driver.execute_script("return document.querySelectorAll('#workbench-table tbody tr').length")


def test_workbench_runs_a_library_query_and_shows_rows(site, fixture_library):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    b, _ = site
    b.open("/workbench")
    b.wait_for(lambda d: d.execute_script("return !!(window.cskgYasgui && document.querySelector('.CodeMirror'))"), timeout=20)
    Select(b.driver.find_element(By.ID, "example")).select_by_value("interventions_timeline")
    # the example's metadata says view: timeline, so the timeline is drawn from the rows
    b.wait_for(lambda d: d.execute_script("return document.querySelectorAll('#workbench-chart circle.dot').length") == 2, timeout=20)
    assert "Every improvement notice" in b.driver.find_element(By.ID, "example-description").text
    b.screenshot("workbench-timeline")
    Select(b.driver.find_element(By.ID, "view")).select_by_value("table")
    b.wait_for(lambda d: _rows_in_yasr(d) == 2, timeout=10)
    table = b.driver.find_element(By.ID, "workbench-table")
    assert "Eastham Borough Council" in table.text
    link = table.find_element(By.LINK_TEXT, "Eastham Borough Council")
    assert link.get_attribute("href").endswith("/id/organisation/eastham-borough-council")
    b.screenshot("workbench-table")
    Select(b.driver.find_element(By.ID, "view")).select_by_value("graph")
    wait_for_network(b, "workbench-network")
    labels = b.driver.execute_script(
        "return window.cskgNetworks['workbench-network'].body.data.nodes.get().map(function (n) { return n.label; })")
    assert "Eastham Borough Council" in labels
    b.screenshot("workbench-network")
    assert b.problems() == []
    # the address now carries the query: opening it again restores it
    shared = b.driver.current_url
    assert "query=" in shared and "view=graph" in shared
    b.open(shared.replace(b.base_url, ""))
    b.wait_for(lambda d: d.execute_script("return !!window.cskgYasgui"), timeout=20)
    text = b.driver.execute_script("return window.cskgYasgui.getTab().getQuery()")
    assert "cs:subjectOrganisation ?council" in text


def test_workbench_shows_the_endpoint_error_position(site):
    from selenium.webdriver.common.by import By

    b, _ = site
    b.open("/workbench?query=" + quote("SELECT * WHERE { ?s ?p }"))
    b.wait_for(lambda d: d.execute_script("return !!window.cskgYasgui"), timeout=20)
    b.driver.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    try:
        b.wait_for(lambda d: "error at 1:25" in d.find_element(By.CSS_SELECTOR, ".yasr").text, timeout=20)
    finally:
        b.screenshot("workbench-error")
    # the editor marks the line too, before anything is sent; its tooltip lists what was expected
    from selenium.webdriver.common.action_chains import ActionChains

    icon = b.driver.find_element(By.CSS_SELECTOR, ".parseErrorIcon")
    ActionChains(b.driver).move_to_element(icon).perform()
    b.wait_for(lambda d: "Expected" in d.find_element(By.CSS_SELECTOR, ".yasqe_tooltip").text)
    # a 400 from the endpoint is logged by Chromium as a failed resource load; nothing else may be
    problems = [p for p in b.problems() if "status of 400" not in p]
    assert problems == []


def test_workbench_draws_construct_results_as_a_network(site):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    b, store = site
    query = "CONSTRUCT { ?person org:memberOf ?council } WHERE { ?m org:member ?person ; org:organization ?council }"
    b.open("/workbench?view=graph&query=" + quote(query))
    b.wait_for(lambda d: d.execute_script("return !!window.cskgYasgui"), timeout=20)
    assert Select(b.driver.find_element(By.ID, "view")).first_selected_option.get_attribute("value") == "graph"
    b.driver.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    wait_for_network(b, "workbench-network")
    network = "window.cskgNetworks['workbench-network']"
    ids = b.driver.execute_script(f"return {network}.body.data.nodes.getIds()")
    assert {iri(store, ADA), iri(store, NORTH)} <= set(ids)
    edge_labels = b.driver.execute_script(f"return {network}.body.data.edges.get().map(function (e) {{ return e.label; }})")
    assert edge_labels and set(edge_labels) == {"member of"}
    assert b.problems() == []
    b.screenshot("workbench-construct")


def test_workbench_bar_chart_for_a_bar_query(site, fixture_library):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    b, _ = site
    b.open("/workbench?example=councils_by_programmes")
    b.wait_for(lambda d: d.execute_script("return !!window.cskgYasgui"), timeout=20)
    assert "How many improvement programmes" in b.driver.find_element(By.ID, "example-description").text
    assert Select(b.driver.find_element(By.ID, "view")).first_selected_option.get_attribute("value") == "bar"
    b.driver.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    b.wait_for(lambda d: d.execute_script("return document.querySelectorAll('#workbench-chart rect.bar').length") == 1, timeout=20)
    ticks = b.driver.execute_script(
        "return Array.from(document.querySelectorAll('#workbench-chart .tick-label')).map(function (t) { return t.textContent; })")
    assert ticks == ["0", "1"]  # whole numbers: whole ticks, the longest bar reaching the last
    assert b.problems() == []
    b.screenshot("workbench-bar")
