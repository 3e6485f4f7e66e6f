"""The statistics a worker remembers (web/analytics/cache.py) move with the read models: a page, its
downloads and the API show a new ruling as soon as the statistics projection has it, never before
and never later, and a remembered result is the result computed afresh, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask

from domain import clock
from domain.application import Docket
from projections import queries
from projections.settings import Settings
from scripts.cli import main as medcourt
from scripts.demo import generate
from tests.court_clock import COURT_TODAY
from tests.integration.test_analytics import cli_stats_here, get_json, read_tables
from tests.integration.test_api_support import ApiClient
from tests.integration.web_support import CLERK, PASSWORD, file_civil_case, sign_in
from web import create_app
from web.analytics import cache
from web.analytics.sections import TABS

START = date(COURT_TODAY.year - 5, 1, 1)
PERIOD = f"from={START}&to={COURT_TODAY}"


def make_app(settings: Settings, **config: Any) -> Flask:
    # The page does not project by itself on either store: only `medcourt projections run` moves the read models.
    return create_app({"TESTING": True, "MEDCOURT_SETTINGS": settings, "SECRET_KEY": "test", "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 64,
                       "PROJECT_INLINE": False, **config})


@pytest.fixture
def installation(settings: Settings, capsys: pytest.CaptureFixture[str]) -> Iterator[tuple[Flask, Docket]]:
    """A small demo docket, projected by `medcourt projections run`, and an app with an analyst."""
    assert medcourt(["init"]) == 0
    docket = Docket(env=settings.event_store_env())
    generate(docket, 30, 3, COURT_TODAY)
    assert medcourt(["projections", "run", "--until-caught-up"]) == 0
    capsys.readouterr()
    app = make_app(settings)
    app.extensions["medcourt"].accounts.create_user("analyst", PASSWORD, "analyst", language="en")
    try:
        yield app, docket
    finally:
        app.extensions["medcourt"].close()


def overview_figures(client: Any) -> dict[tuple[str, str], str]:
    """The outcomes table of the analysts' overview tab, overall: (row, figure) -> value."""
    page = client.get(f"/analytics?{PERIOD}&by=none")
    assert page.status_code == 200
    return {(row, field): value for row, field, value, _text in read_tables(page.get_data(as_text=True)).tables["table-outcomes"]}


def rule_on_a_new_case(docket: Docket, app: Flask) -> None:
    """A clerk files a case, assigns it to a judge of the court, and the judge gives a ruling (it is withdrawn)."""
    with app.app_context(), app.extensions["medcourt"].read() as conn:
        judge = next(j for j in queries.judge_choices(conn) if j["court"] == "ALA")
    number = file_civil_case(docket, received_on=clock.today() - timedelta(days=3))
    docket.assign_judge(number, judge["judge_id"], CLERK)
    docket.issue_ruling(number, {"disposition": "withdrawn", "decided_on": clock.today()}, {"user": "judge", "role": "judge", "judge_id": judge["judge_id"]})


def test_the_page_shows_a_new_ruling_once_the_statistics_projection_has_it(
    settings: Settings, installation: tuple[Flask, Docket], capsys: pytest.CaptureFixture[str]
) -> None:
    app, docket = installation
    remembered = app.extensions[cache.EXTENSION]
    browser = app.test_client()
    sign_in(browser, "analyst")

    # The analyst opens the overview twice: the second time every figure is remembered, and the same.
    before = overview_figures(browser)
    misses = remembered.misses
    assert overview_figures(browser) == before and remembered.misses == misses and remembered.hits > 0
    resolved, incoming = int(before[("all", "resolved")]), int(before[("all", "incoming")])
    download = get_json(browser, f"/analytics/outcomes.json?{PERIOD}&by=none")
    assert download["groups"][0]["resolved"] == resolved

    # A ruling is recorded; until the statistics projection has it, the page shows what the read models hold.
    rule_on_a_new_case(docket, app)
    assert overview_figures(browser) == before

    # The projection catches up: the page, its download and the API show the new ruling at once.
    assert medcourt(["projections", "run", "--until-caught-up"]) == 0
    after = overview_figures(browser)
    assert (int(after[("all", "resolved")]), int(after[("all", "incoming")])) == (resolved + 1, incoming + 1)
    assert get_json(browser, f"/analytics/outcomes.json?{PERIOD}&by=none")["groups"][0]["resolved"] == resolved + 1
    with app.app_context():
        token = app.extensions["medcourt_api_tokens"].create("analyst", name="tests", created_by="tests")[0]
    api = ApiClient(app.test_client(), token).get(f"/api/statistics/outcomes?{PERIOD}&by=none").get_json()
    assert api["groups"][0]["resolved"] == resolved + 1
    assert cli_stats_here(capsys, "outcomes", "--from", str(START), "--to", str(COURT_TODAY))["groups"][0]["resolved"] == resolved + 1


def figures_and_charts(client: Any, url: str) -> tuple[dict[str, Any], list[str]]:
    response = client.get(url)
    assert response.status_code == 200, url
    return figures_and_charts_of(response.get_data(as_text=True))


def figures_and_charts_of(page: str) -> tuple[dict[str, Any], list[str]]:
    """A page's statistics tables and its charts' SVG."""
    return read_tables(page).tables, re.findall(r"<svg .*?</svg>", page, flags=re.S)


def test_a_remembered_result_is_the_result_computed_afresh(settings: Settings, installation: tuple[Flask, Docket]) -> None:
    app, _docket = installation
    uncached = make_app(settings, STATS_CACHE_SIZE=0)
    try:
        uncached.extensions["medcourt"].accounts.create_user("analyst2", PASSWORD, "analyst", language="en")
        remembering, fresh = app.test_client(), uncached.test_client()
        sign_in(remembering, "analyst")
        sign_in(fresh, "analyst2")
        for query in ("by=track", "by=court&track=civil", "by=judge"):
            for measure in ("outcomes", "pending", "experts", "compensation"):
                url = f"/analytics/{measure}.json?{PERIOD}&{query}"
                first = get_json(remembering, url)
                first["groups"].clear()  # what a caller does to its copy stays with it
                assert get_json(remembering, url) == get_json(fresh, url)
            for tab in TABS:
                url = f"/analytics?{PERIOD}&{query}&section={tab}"
                assert figures_and_charts(remembering, url) == figures_and_charts(fresh, url), tab
        assert len(app.extensions[cache.EXTENSION]) > 0 and len(uncached.extensions[cache.EXTENSION]) == 0
    finally:
        uncached.extensions["medcourt"].close()


def test_a_section_is_remembered_in_each_language_apart(installation: tuple[Flask, Docket]) -> None:
    app, _docket = installation
    year = COURT_TODAY.year - 1
    anyone = app.test_client()
    url = f"/public/statistics?from={year}-01-01&to={year}-12-31"
    english, russian, english_again = (anyone.get(url, headers={"Accept-Language": language}).get_data(as_text=True) for language in ("en", "ru", "en"))
    assert "Liability rate" in english and "Liability rate" not in russian and "Коэффициент" in russian
    assert figures_and_charts_of(english) == figures_and_charts_of(english_again)
