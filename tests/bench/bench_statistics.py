"""Statistics benchmark (issue 15): how the analysts' figures answer as the docket grows.

Run on an installation that already holds a docket (``medcourt demo --cases N``), after its
read models have caught up (``medcourt projections run --until-caught-up``):

    MEDCOURT_DATABASE_URL=... MEDCOURT_VAR=... python -m tests.bench.bench_statistics --label 10000

It measures, and adds to ``bench/results/statistics-<backend>.json`` under the docket's size:

- ``outcomes``: ``statistics.outcomes`` in-process (what ``medcourt stats outcomes`` runs after
  start-up), over the docket's whole period and over its last full year, by nothing, track,
  month and judge; median and max of several calls after a warm-up call;
- ``measures``: every other measure in-process the same way (whole period, by nothing and by month);
- ``sections``: each section of the ``/analytics`` page built in-process, the same two periods;
- ``cli``: the wall time of ``medcourt stats outcomes --no-catch-up`` as a process, start-up included;
- ``http``: under gunicorn (4 workers) with 8 client threads: the ``/analytics`` page as it opens
  (the overview tab, as ``medcourt bench``'s ``statistics_page``), every tab of it, and one
  measure's page: p50, p95, p99, throughput.

Figures taken on a shared machine are a floor; the results file records the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from projections import statistics as stats
from projections.db import views_engine
from projections.settings import Settings, load_settings
from projections.tables import cases as cases_table

RESULTS = Path("bench/results")


def _latency(action: Callable[[], Any], repeats: int) -> dict[str, float]:
    action()  # warm-up: caches, plans
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1)}


def periods(settings: Settings) -> dict[str, tuple[date, date]]:
    engine = views_engine(settings)
    with engine.connect() as conn:
        first, last = conn.execute(select(func.min(cases_table.c.received_on), func.max(cases_table.c.received_on))).one()
    return {"whole": (first, last), "last_year": (date(last.year - 1, 1, 1), date(last.year - 1, 12, 31))}


def bench_outcomes(settings: Settings, spans: dict[str, tuple[date, date]], repeats: int = 5) -> dict[str, Any]:
    engine = views_engine(settings)
    figures: dict[str, Any] = {}
    with engine.connect() as conn:
        for span, (start, end) in spans.items():
            for by in (None, "track", "month", "judge"):
                figures[f"{span}_by_{by or 'nothing'}"] = _latency(lambda by=by, start=start, end=end: stats.outcomes(conn, start, end, by=by), repeats)
    return figures


def bench_measures(settings: Settings, spans: dict[str, tuple[date, date]], repeats: int = 5) -> dict[str, Any]:
    engine = views_engine(settings)
    figures: dict[str, Any] = {}
    start, end = spans["whole"]
    with engine.connect() as conn:
        for name, measure in stats.MEASURES.items():
            if name == "outcomes":
                continue
            for by in (None, "month"):
                figures[f"{name}_whole_by_{by or 'nothing'}"] = _latency(lambda measure=measure, by=by: measure(conn, start, end, by=by), repeats)
        for by in (None, "court"):
            figures[f"pending_at_end_by_{by or 'nothing'}"] = _latency(lambda by=by: stats.pending(conn, end, by=by), repeats)
    return figures


def bench_sections(settings: Settings, spans: dict[str, tuple[date, date]], repeats: int = 3) -> dict[str, Any]:
    from web import create_app
    from web.analytics import sections
    from web.analytics.measures import StatsQuery

    app = create_app({"MEDCOURT_SETTINGS": settings, "SECRET_KEY": uuid.uuid4().hex, "STATS_CACHE_SIZE": 0})  # cold: every section computed
    engine = views_engine(settings)
    figures: dict[str, Any] = {}
    with app.test_request_context("/analytics"), engine.connect() as conn:
        for span, (start, end) in spans.items():
            query = StatsQuery("outcomes", start, end, "track")
            for build in sections.DASHBOARD:
                figures[f"{span}_{build.__name__}"] = _latency(lambda build=build, query=query: build(conn, query), repeats)
    return figures


def bench_cli(settings: Settings, spans: dict[str, tuple[date, date]], repeats: int = 3) -> dict[str, Any]:
    env = {**os.environ, "MEDCOURT_VAR": str(settings.var_dir)}
    if settings.database_url:
        env["MEDCOURT_DATABASE_URL"] = settings.database_url
    start, end = spans["whole"]
    command = [sys.executable, "-m", "scripts.cli", "stats", "outcomes", "--from", str(start), "--to", str(end), "--by", "track", "--no-catch-up"]
    startup = [sys.executable, "-c", "import scripts.cli, projections.statistics, projections.projector"]
    return {"stats_outcomes_by_track_process": _latency(lambda: subprocess.run(command, env=env, check=True, capture_output=True), repeats),
            "python_and_imports_alone": _latency(lambda: subprocess.run(startup, env=env, check=True, capture_output=True), repeats)}


def bench_pages(settings: Settings, spans: dict[str, tuple[date, date]], seconds: float) -> dict[str, Any]:
    from tests.bench.bench_http import load, served
    from web.accounts import AccountStore

    password = uuid.uuid4().hex
    username = f"analyst_{uuid.uuid4().hex[:6]}"
    AccountStore(views_engine(settings)).create_user(username, password, "analyst", language="en")
    (start, end), (year_start, year_end) = spans["whole"], spans["last_year"]
    from web.analytics.sections import TABS

    pages = {
        "statistics_page": [f"/analytics?from={start}&to={end}", f"/analytics?from={year_start}&to={year_end}&by=track"],
        "statistics_tabs": [f"/analytics?from={year_start}&to={year_end}&by=track&section={tab}" for tab in TABS]
        + [f"/analytics?from={start}&to={end}&section={tab}" for tab in TABS],
        "outcomes_page": [f"/analytics/outcomes?from={year_start}&to={year_end}&by=month"],
    }
    results: dict[str, Any] = {"workers": 4, "client_threads": 8, "seconds_per_page": seconds}
    with served(settings, 4) as port:
        # Warm-up, not measured: the workers' first requests (imports, catalogs, connection pools) and the
        # client threads' sign-ins (password hashing) would otherwise fall inside the first page's figures.
        load(port, username, password, [path for paths in pages.values() for path in paths], min(seconds, 8.0), 8)
        for name, paths in pages.items():
            results[name] = load(port, username, password, paths, seconds, 8)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", required=True, help="the docket's size, as the results name it (e.g. 10000)")
    parser.add_argument("--seconds", type=float, default=20.0, help="load per page for the HTTP figures (0: skip them)")
    parser.add_argument("--output-dir", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    settings = load_settings()
    spans = periods(settings)
    engine = views_engine(settings)
    with engine.connect() as conn:
        cases = conn.execute(select(func.count()).select_from(cases_table)).scalar_one()
        facts = conn.execute(select(func.count()).select_from(stats.t.stat_outcomes)).scalar_one()
        section_facts = conn.execute(select(func.count()).select_from(stats.t.stat_sections)).scalar_one()
    figures: dict[str, Any] = {
        "cases": cases, "stat_outcomes_rows": facts, "stat_sections_rows": section_facts, "load_average_before": os.getloadavg(),
        "periods": {k: [str(a), str(b)] for k, (a, b) in spans.items()},
    }
    figures["outcomes"] = bench_outcomes(settings, spans)
    print(json.dumps(figures["outcomes"]), flush=True)
    figures["measures"] = bench_measures(settings, spans)
    print(json.dumps(figures["measures"]), flush=True)
    figures["sections"] = bench_sections(settings, spans)
    print(json.dumps(figures["sections"]), flush=True)
    figures["cli"] = bench_cli(settings, spans)
    print(json.dumps(figures["cli"]), flush=True)
    if args.seconds > 0:
        figures["http"] = bench_pages(settings, spans, args.seconds)
        print(json.dumps(figures["http"]), flush=True)
    figures["load_average_after"] = os.getloadavg()
    args.output_dir.mkdir(parents=True, exist_ok=True)
    path = args.output_dir / f"statistics-{'postgresql' if settings.database_url else 'sqlite'}.json"
    document = json.loads(path.read_text()) if path.exists() else {"machine": {"cores": os.cpu_count()}, "sizes": {}}
    if any("stat_sections_rows" not in size for size in document["sizes"].values()):
        # Figures of the code before every section read the statistics projection: kept, apart.
        document.setdefault("before_sections_read_model", {}).update(
            {label: size for label, size in document["sizes"].items() if "stat_sections_rows" not in size})
        document["sizes"] = {label: size for label, size in document["sizes"].items() if "stat_sections_rows" in size}
    document["sizes"][args.label] = {"measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **figures}
    path.write_text(json.dumps(document, indent=2) + "\n")
    print(f"results in {path}")
    write_growth_table(args.output_dir, Path("docs/performance.md"))
    return 0


GROWTH_MARKER = "## Statistics growth"


def write_growth_table(results: Path, doc: Path) -> None:
    """Regenerate the statistics growth table at the end of docs/performance.md from bench/results/statistics-*.json."""
    if not doc.exists():
        return
    lines = [GROWTH_MARKER, "", "Generated by `python -m tests.bench.bench_statistics` from `bench/results/statistics-*.json`; do not edit by hand.",
             "In-process figures in ms (median of repeated calls after a warm-up); HTTP under gunicorn, 4 workers, 8 client threads.", "",
             "Every section reads the statistics projection's facts (`stat_outcomes`, `stat_sections`), kept by day at several grains",
             "(all dimensions, none, one), so an overall figure reads rows that grow with the calendar. *stats outcomes* is",
             "`statistics.outcomes` over the docket's whole period (about six years) by month, by track and by nothing: what",
             "`medcourt stats outcomes` spends after Python has started. *Slowest other measure* is the slowest of the other measures",
             "over the whole period (by nothing or by month). The page opens on its overview tab (case flow by month and outcomes);",
             "*tabs* is a random mix of every tab over the last full year by track and over the whole period.",
             "The load average is the machine's when the run began: 2 cores shared with two other engineers' test suites and the",
             "building of the next benchmark docket, so absolute figures are pessimistic.", ""]
    for path in sorted(results.glob("statistics-*.json")):
        sizes = {label: size for label, size in json.loads(path.read_text())["sizes"].items() if "stat_sections_rows" in size}
        if not sizes:
            lines += [f"### {path.name}", "", "Only figures from before every section read the statistics projection (in the file).", ""]
            continue
        lines += [f"### {path.name}", "",
                  "| cases | fact rows (outcomes + sections) | load avg (1 min, start / end) | stats outcomes: by month / by track / overall | "
                  "slowest other measure | /analytics sections summed (last year) | `medcourt stats outcomes` process | "
                  "/analytics page p50 / p95 | every tab p50 / p95 |",
                  "| ---: | ---: | ---: | --- | --- | ---: | --- | --- | --- |"]
        for name, g in sorted(sizes.items(), key=lambda item: (int(item[1]["cases"]), item[1]["measured_at"])):
            after = g["outcomes"]
            outcomes = " / ".join(str(after[f"whole_by_{by}"]["median_ms"]) for by in ("month", "track", "nothing"))
            slowest_name, slowest = max(g.get("measures", {}).items(), key=lambda item: item[1]["median_ms"], default=("n/a", {"median_ms": "n/a"}))
            sections = round(sum(v["median_ms"] for k, v in g["sections"].items() if k.startswith("last_year_")), 1)
            cli = g["cli"]
            http = g.get("http", {})

            def page(name: str, http: dict[str, Any] = http) -> str:
                figures = http.get(name)
                return f"{figures['p50_ms']} / {figures['p95_ms']} ({figures['requests']} requests)" if figures else "not measured"

            # A label other than the docket's size names a run of its own (e.g. before and after a change).
            run = "" if name == str(g["cases"]) or name.isdigit() else f" ({name})"
            lines.append(f"| {g['cases']:,}{run} | {g['stat_outcomes_rows']:,} + {g['stat_sections_rows']:,} | "
                         f"{g['load_average_before'][0]:.1f} / {g.get('load_average_after', [float('nan')])[0]:.1f} | "
                         f"{outcomes} | {slowest['median_ms']} ({slowest_name}) | {sections} | "
                         f"{cli['stats_outcomes_by_track_process']['median_ms']} (Python alone {cli['python_and_imports_alone']['median_ms']}) | "
                         f"{page('statistics_page')} | {page('statistics_tabs')} |")
        lines.append("")
    # Before "## Measured figures", which `medcourt bench` regenerates to the end of the file.
    text = doc.read_text()
    following = "## Measured figures"
    head = text[: text.index(GROWTH_MARKER)] if GROWTH_MARKER in text else text[: text.index(following)] if following in text else text + "\n"
    tail = text[text.index(following):] if following in text else ""
    doc.write_text(head.rstrip() + "\n\n" + "\n".join(lines) + "\n" + tail)


if __name__ == "__main__":
    sys.exit(main())
