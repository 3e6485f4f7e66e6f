"""Benchmarks of the projections, for ``medcourt bench``: each function returns a dict of figures.

- ``catch_up``: projecting the whole log of demo cases from position zero, events per second
  (all three projections, and each), against ``bulk_insert``: a plain executemany INSERT of
  as many rows in batches of the same size, the floor any projection is measured against;
- ``stats_latency``: ``statistics.outcomes`` over the whole docket, without and with breakdowns;
- ``dashboard_latency``: ``queries.judge_dashboard`` and ``queries.search_cases``.

``bench_projections(cases, seed)`` runs them all on a fresh installation (SQLite in a
temporary folder, or the empty PostgreSQL database of ``settings``).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Date, Integer, MetaData, String, Table, create_engine, func, insert, select

from domain.application import Docket
from projections import queries, schema
from projections import statistics as stats
from projections.projector import DEFAULT_BATCH, PROJECTION_NAMES, Projector
from projections.settings import Settings
from projections.tables import cases as cases_table
from scripts.demo import generate

TODAY = date(2026, 1, 15)  # demo data up to a fixed day: the same docket on every run


def _timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def _latency(action: Callable[[], Any], repeats: int) -> dict[str, float]:
    action()  # warm caches and connection pools first
    times = sorted(_timed(action)[0] * 1000 for _ in range(repeats))
    return {"median_ms": round(statistics.median(times), 2), "max_ms": round(times[-1], 2)}


def prepare(settings: Settings, cases: int = 500, seed: int = 1) -> dict[str, Any]:
    """Fill an empty installation with ``cases`` demo cases and create the read models' schema."""
    docket = Docket(env=settings.event_store_env(create_tables=True))
    try:
        seconds, _ = _timed(lambda: generate(docket, cases, seed, TODAY))
        events = sum(1 for _ in docket.iter_log(batch=2000))
    finally:
        docket.close()
    schema.upgrade(settings)
    return {"cases": cases, "events": events, "generate_seconds": round(seconds, 2)}


def catch_up(settings: Settings, batch_size: int = DEFAULT_BATCH) -> dict[str, Any]:
    """Rebuild every projection from position zero, each alone and then all together (as
    ``projections rebuild`` and ``run`` do); events of the log per second."""
    figures: dict[str, Any] = {"batch_size": batch_size}
    with Projector(settings, batch_size=batch_size) as projector:
        events = sum(1 for _ in projector.docket.iter_log(batch=2000))
        for name in PROJECTION_NAMES:
            seconds, _ = _timed(lambda name=name: projector.rebuild([name]))
            figures[f"{name}_alone_events_per_s"] = round(events / seconds) if seconds else None
        seconds, _ = _timed(projector.rebuild)
    figures.update(events=events, seconds=round(seconds, 2), events_per_s=round(events / seconds) if seconds else None)
    return figures


def bulk_insert(settings: Settings, rows: int, batch_size: int = DEFAULT_BATCH) -> dict[str, Any]:
    """A plain bulk INSERT of ``rows`` timeline-like rows, one transaction per batch: the floor."""
    scratch = Table(
        "bench_bulk_rows", MetaData(),
        Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True), Column("kind", String(40)),
        Column("day", Date), Column("number", Integer), Column("data", JSON),
    )
    engine = create_engine(settings.views_url)
    try:
        scratch.drop(engine, checkfirst=True)
        scratch.create(engine)
        payload = [
            {"id": i, "kind": "HearingScheduled", "day": TODAY, "number": i % 97, "data": {"hearing_id": "H1", "courtroom": "2", "purpose": "main hearing"}}
            for i in range(1, rows + 1)
        ]

        def insert_all() -> None:
            for start in range(0, rows, batch_size):
                with engine.begin() as conn:
                    conn.execute(insert(scratch), payload[start:start + batch_size])

        seconds, _ = _timed(insert_all)
        scratch.drop(engine)
    finally:
        engine.dispose()
    return {"rows": rows, "seconds": round(seconds, 2), "rows_per_s": round(rows / seconds) if seconds else None}


def stats_latency(settings: Settings, repeats: int = 5) -> dict[str, Any]:
    """Latency of ``statistics.outcomes`` over the docket's five years, by nothing, track, month, judge."""
    engine = create_engine(settings.views_url)
    figures: dict[str, Any] = {}
    try:
        with engine.connect() as conn:
            first = conn.execute(select(func.min(cases_table.c.received_on))).scalar_one() or TODAY
            for by in (None, "track", "month", "judge"):
                figures[f"outcomes_by_{by or 'nothing'}"] = _latency(lambda by=by: stats.outcomes(conn, first, TODAY, by=by), repeats)
            figures["pending_by_court"] = _latency(lambda: stats.pending(conn, TODAY, by="court"), repeats)
    finally:
        engine.dispose()
    return figures


def dashboard_latency(settings: Settings, repeats: int = 20) -> dict[str, Any]:
    """Latency of the busiest judge's dashboard and of a docket search by party name."""
    engine = create_engine(settings.views_url)
    try:
        with engine.connect() as conn:
            busiest = conn.execute(
                select(cases_table.c.judge_id).where(cases_table.c.status == "pending", cases_table.c.judge_id.is_not(None))
                .group_by(cases_table.c.judge_id).order_by(func.count().desc()).limit(1)
            ).scalar()
            figures: dict[str, Any] = {"judge_id": busiest}
            if busiest:
                figures["judge_dashboard"] = _latency(lambda: queries.judge_dashboard(conn, busiest, TODAY), repeats)
            clerk = queries.Viewer(role="clerk", court="ALA")
            figures["search_by_name"] = _latency(lambda: queries.search_cases(conn, clerk, text="hospital"), repeats)
    finally:
        engine.dispose()
    return figures


def bench_projections(cases: int = 500, seed: int = 1, settings: Settings | None = None, batch_size: int = DEFAULT_BATCH) -> dict[str, Any]:
    """Everything above on a fresh installation: SQLite in a temporary folder unless ``settings``
    names an empty PostgreSQL database. Returns ``{"data", "catch_up", "bulk_insert",
    "catch_up_to_bulk_insert", "stats", "dashboard"}``."""
    with tempfile.TemporaryDirectory(prefix="medcourt-bench-") as folder:
        current = settings or Settings(database_url=None, var_dir=Path(folder))
        data = prepare(current, cases, seed)
        rebuilt = catch_up(current, batch_size)
        floor = bulk_insert(current, rebuilt["events"], batch_size)
        ratio = round(rebuilt["events_per_s"] / floor["rows_per_s"], 3) if rebuilt["events_per_s"] and floor["rows_per_s"] else None
        return {
            "data": data, "catch_up": rebuilt, "bulk_insert": floor, "catch_up_to_bulk_insert": ratio,
            "stats": stats_latency(current), "dashboard": dashboard_latency(current),
        }


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(bench_projections(int(sys.argv[1]) if len(sys.argv) > 1 else 500), indent=2))
