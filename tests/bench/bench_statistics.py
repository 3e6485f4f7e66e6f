"""Statistics benchmark (issue 15): how the analysts' figures answer as the docket grows.

Run on an installation that already holds a docket (``medcourt demo --cases N``), after its
read models have caught up:

    MEDCOURT_DATABASE_URL=... MEDCOURT_VAR=... python -m tests.bench.bench_statistics --label 10000

It measures, and adds to ``bench/results/statistics-<backend>.json`` under the docket's size:

- ``outcomes``: ``statistics.outcomes`` in-process (what ``medcourt stats outcomes`` runs after
  start-up), over the docket's whole period and over its last full year, by nothing, track,
  month and judge; median and max of several calls after a warm-up call;
- ``sections``: each section of the ``/analytics`` page built in-process, the same two periods;
- ``cli``: the wall time of ``medcourt stats outcomes --no-catch-up`` as a process, start-up included;
- ``http``: the ``/analytics`` page (as ``medcourt bench``'s ``statistics_page``) and one measure's
  page, under gunicorn (4 workers) with 8 client threads: p50, p95, p99, throughput.

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


def bench_before(settings: Settings, spans: dict[str, tuple[date, date]], module_path: Path, repeats: int = 5) -> dict[str, Any]:
    """``outcomes`` as the code before the statistics projection computed it (a copy of that
    projections/statistics.py, e.g. ``git show b1128a1:projections/statistics.py``), beside today's."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("statistics_before", module_path)
    assert spec is not None and spec.loader is not None
    before = importlib.util.module_from_spec(spec)
    sys.modules["statistics_before"] = before
    spec.loader.exec_module(before)
    engine = views_engine(settings)
    figures: dict[str, Any] = {}
    with engine.connect() as conn:
        for span, (start, end) in spans.items():
            for by in (None, "track", "month", "judge"):
                figures[f"{span}_by_{by or 'nothing'}"] = _latency(lambda by=by, start=start, end=end: before.outcomes(conn, start, end, by=by), repeats)
    return figures


def bench_sections(settings: Settings, spans: dict[str, tuple[date, date]], repeats: int = 3) -> dict[str, Any]:
    from web import create_app
    from web.analytics import sections
    from web.analytics.measures import StatsQuery

    app = create_app({"MEDCOURT_SETTINGS": settings, "SECRET_KEY": uuid.uuid4().hex})
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
    pages = {
        "statistics_page": [f"/analytics?from={start}&to={end}", f"/analytics?from={year_start}&to={year_end}&by=track"],
        "outcomes_page": [f"/analytics/outcomes?from={year_start}&to={year_end}&by=month"],
    }
    results: dict[str, Any] = {"workers": 4, "client_threads": 8, "seconds_per_page": seconds}
    with served(settings, 4) as port:
        for name, paths in pages.items():
            results[name] = load(port, username, password, paths, seconds, 8)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", required=True, help="the docket's size, as the results name it (e.g. 10000)")
    parser.add_argument("--seconds", type=float, default=15.0, help="load per page for the HTTP figures (0: skip them)")
    parser.add_argument("--output-dir", type=Path, default=RESULTS)
    parser.add_argument("--before", type=Path, help="also time a copy of the previous projections/statistics.py on the same docket")
    args = parser.parse_args(argv)
    settings = load_settings()
    spans = periods(settings)
    engine = views_engine(settings)
    with engine.connect() as conn:
        cases = conn.execute(select(func.count()).select_from(cases_table)).scalar_one()
        facts = conn.execute(select(func.count()).select_from(stats.t.stat_outcomes)).scalar_one()
    figures: dict[str, Any] = {
        "cases": cases, "stat_outcomes_rows": facts, "load_average_before": os.getloadavg(),
        "periods": {k: [str(a), str(b)] for k, (a, b) in spans.items()},
    }
    figures["outcomes"] = bench_outcomes(settings, spans)
    print(json.dumps(figures["outcomes"]), flush=True)
    if args.before:
        figures["outcomes_before"] = bench_before(settings, spans, args.before)
        print(json.dumps(figures["outcomes_before"]), flush=True)
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
             "Figures in ms (median of repeated calls in-process; HTTP under gunicorn, 4 workers, 8 client threads).", "",
             "*Before* is the code before the statistics projection (outcomes recomputed from case and ruling rows), timed on the same",
             "docket in the same run; *after* reads `stat_outcomes`. The page figure is the whole `/analytics` dashboard, of which",
             "outcomes are three sections of ten: the other seven (experts, hearings, mediation, compensation, appeals, funnel,",
             "pending ages) still count case rows. The load average is the machine's when the run began (2 cores shared with",
             "other engineers' test suites), so absolute figures are pessimistic; compare before and after within a row.",
             "The PostgreSQL docket is the demo stopped part-way (generation ran at about 60 events/s on the loaded machine), then",
             "`ANALYZE`d as autovacuum would after a bulk load: with stale planner statistics the funnel section took 0.7-1 s.", ""]
    for path in sorted(results.glob("statistics-*.json")):
        sizes = json.loads(path.read_text())["sizes"]
        lines += [f"### {path.name}", "",
                  "| cases | stat_outcomes rows | load avg | outcomes whole period by month: before / after | by track: before / after | "
                  "/analytics sections summed (last year) | `medcourt stats outcomes` process (Python start-up alone) | page p50 / p95 |",
                  "| ---: | ---: | ---: | --- | --- | ---: | --- | --- |"]
        for g in sorted(sizes.values(), key=lambda size: int(size["cases"])):
            before, after = g.get("outcomes_before", {}), g["outcomes"]

            def pair(key: str, before: dict[str, Any] = before, after: dict[str, Any] = after) -> str:
                old = before.get(key, {}).get("median_ms")
                return f"{old if old is not None else 'n/a'} / {after[key]['median_ms']}"

            sections = round(sum(v["median_ms"] for k, v in g["sections"].items() if k.startswith("last_year_")), 1)
            cli = g["cli"]
            http = g.get("http", {}).get("statistics_page")
            page = f"{http['p50_ms']} / {http['p95_ms']} ({http['requests']} requests)" if http else "not measured"
            lines.append(f"| {g['cases']:,} | {g['stat_outcomes_rows']:,} | {g['load_average_before'][0]:.1f} | {pair('whole_by_month')} | "
                         f"{pair('whole_by_track')} | {sections} | {cli['stats_outcomes_by_track_process']['median_ms']} "
                         f"({cli['python_and_imports_alone']['median_ms']}) | {page} |")
        lines.append("")
    # Before "## Measured figures", which `medcourt bench` regenerates to the end of the file.
    text = doc.read_text()
    following = "## Measured figures"
    head = text[: text.index(GROWTH_MARKER)] if GROWTH_MARKER in text else text[: text.index(following)] if following in text else text + "\n"
    tail = text[text.index(following):] if following in text else ""
    doc.write_text(head.rstrip() + "\n\n" + "\n".join(lines) + "\n" + tail)


if __name__ == "__main__":
    sys.exit(main())
