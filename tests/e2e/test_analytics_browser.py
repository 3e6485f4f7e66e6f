"""An analyst in a real browser: the dashboards draw, a filter redraws a chart and its table, a CSV
downloads; the API's browsable docs render from vendored assets. Screenshots under tests/e2e/artifacts/."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from werkzeug.serving import make_server

from tests.court_clock import last_year
from tests.e2e.conftest import LiveCourt, sign_in
from tests.integration.test_api_support import build_demo
from tests.integration.web_support import Court

pytestmark = pytest.mark.e2e

LAST_YEAR = last_year()


@pytest.fixture(scope="module")
def live_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveCourt]:
    """The demo court (five years of cases) served on 127.0.0.1 in a thread."""
    demo = build_demo(tmp_path_factory.mktemp("e2e-analytics") / "var")
    server = make_server("127.0.0.1", 0, demo.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="medcourt-e2e-analytics", daemon=True)
    thread.start()
    try:
        yield LiveCourt(f"http://127.0.0.1:{server.server_port}", demo.app, Court())
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        demo.app.extensions["medcourt"].close()


def test_an_analyst_filters_the_dashboard_and_a_chart_and_its_table_follow(page: Page, live_demo: LiveCourt) -> None:
    # Sign in and open the dashboard for last year.
    sign_in(page, live_demo, "analyst")
    start, end = LAST_YEAR
    page.goto(f"{live_demo.url}/analytics?from={start}&to={end}")
    expect(page.get_by_role("heading", name="Outcome statistics")).to_be_visible()
    flow_chart = page.locator("svg#chart-flow")
    expect(flow_chart).to_be_visible()
    table = page.locator("#table-flow")
    chart_before = flow_chart.locator("desc").text_content()
    incoming_before = table.locator('td[data-field="incoming"]').all_text_contents()
    assert chart_before and len(incoming_before) == 12

    # Choose a court: the form applies the filter at once, and the chart and its table redraw for that court.
    page.get_by_label("Court", exact=True).select_option("ALA")
    page.wait_for_url("**court=ALA**")
    expect(page.get_by_label("Court", exact=True)).to_have_value("ALA")
    chart_after = flow_chart.locator("desc").text_content()
    incoming_after = table.locator('td[data-field="incoming"]').all_text_contents()
    assert chart_after and chart_after != chart_before and "court: Almaty (city)" in chart_after
    assert incoming_after != incoming_before
    assert sum(int(n) for n in incoming_after) < sum(int(n.replace(",", "")) for n in incoming_before)
    # Every point of the chart says the figure the table shows for the same month.
    points = flow_chart.locator("circle").evaluate_all("nodes => nodes.map(n => n.getAttribute('data-value'))")
    assert [int(v) for v in points[:12]] == [int(n) for n in incoming_after]

    # The section's CSV downloads with the filter applied.
    with page.expect_download() as download:
        page.locator("#section-flow").get_by_role("link", name="CSV").click()
    saved = download.value.path()
    assert saved is not None
    lines = saved.read_text().splitlines()
    assert lines[0].startswith("key,incoming") and len(lines) == 13
    assert [row.split(",")[1] for row in lines[1:]] == incoming_after


def test_the_api_documentation_renders_in_the_browser_without_network(page: Page, live_demo: LiveCourt) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_demo.url}/api/docs")
    expect(page.get_by_text("Medcourt API").first).to_be_visible()
    expect(page.locator(".opblock-summary-path", has_text="/api/cases/{docket_number}/ruling").first).to_be_visible()
    assert requested and all(url.startswith(live_demo.url) for url in requested), requested
