"""``medcourt projections run|rebuild|status`` and ``medcourt stats ...`` (DOMAIN.md sections 4 and 5)."""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import queue
import signal
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from sqlalchemy import Connection, select

from domain import clock
from domain.vocabulary import COURTS, SPECIALTIES, TRACKS
from projections import schema, tables
from projections import statistics as stats
from projections.db import views_engine
from projections.projector import DEFAULT_BATCH, PROJECTION_NAMES, Projector, unknown_projections
from projections.settings import Settings
from scripts.cli import UsageError
from scripts.context import Progress, iso_date, positive_int, settings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    projections = subparsers.add_parser("projections", help="build and follow the read models (search, dashboards, statistics)")
    sub = projections.add_subparsers(dest="projections_command", required=True, metavar="SUBCOMMAND")

    run = sub.add_parser("run", help="follow the event log and keep the read models current (polls; stop with Ctrl-C or SIGTERM)")
    run.add_argument("names", nargs="*", metavar="NAME", help=f"projections to run (default all: {', '.join(PROJECTION_NAMES)})")
    run.add_argument("--until-caught-up", action="store_true", help="stop once every projection has processed the whole log")
    run.add_argument("--batch-size", type=positive_int, default=DEFAULT_BATCH, metavar="N", help=f"events per transaction (default {DEFAULT_BATCH})")
    run.add_argument("--poll", type=_seconds, default=0.5, metavar="SECONDS", help="pause between looks at the log once caught up (default 0.5)")
    run.add_argument("--throttle", type=_seconds, default=0.0, metavar="SECONDS", help="pause after each batch, to ease the load on a busy database (default 0)")
    run.set_defaults(func=cmd_run)

    rebuild = sub.add_parser("rebuild", help="empty a projection (or all) and project the whole log again from position zero")
    rebuild.add_argument("names", nargs="*", metavar="NAME", help="projections to rebuild (default all)")
    rebuild.add_argument("--batch-size", type=positive_int, default=DEFAULT_BATCH, metavar="N", help=f"events per transaction (default {DEFAULT_BATCH})")
    rebuild.add_argument(
        "--jobs", type=positive_int, default=1, metavar="N",
        help="rebuild up to N projections at once, each in its own process (default 1: together, in this process); for PostgreSQL on a machine with several cores (SQLite takes one writer at a time)",
    )
    rebuild.set_defaults(func=cmd_rebuild)

    status = sub.add_parser("status", help="each projection's position, the head of the log, and the lag")
    status.add_argument("--format", choices=("text", "json"), default="text")
    status.set_defaults(func=cmd_status)

    statistics = subparsers.add_parser("stats", help="court statistics (DOMAIN.md section 4) as JSON or CSV")
    measures = statistics.add_subparsers(dest="stats_command", required=True, metavar="MEASURE")
    # Every measure the statistics registry declares, with its breakdowns; ``pending`` is counted at a date.
    for name, declared in stats.REGISTRY.items():
        if declared.at_a_date:
            continue
        measure = measures.add_parser(name, help=declared.summary)
        measure.add_argument("--from", dest="start", type=iso_date, required=True, metavar="YYYY-MM-DD", help="first day of the period (court-local)")
        measure.add_argument("--to", dest="end", type=iso_date, required=True, metavar="YYYY-MM-DD", help="last day of the period (court-local)")
        _common_stats_options(measure, declared.breakdowns)
        measure.set_defaults(func=cmd_stats, measure=name)
    pending = measures.add_parser("pending", help=stats.REGISTRY["pending"].summary)
    pending.add_argument("--at", type=iso_date, default=None, metavar="YYYY-MM-DD", help="the date (default: today at the court)")
    _common_stats_options(pending, stats.REGISTRY["pending"].breakdowns)
    pending.set_defaults(func=cmd_stats, measure="pending")


def _common_stats_options(parser: argparse.ArgumentParser, breakdowns: tuple[str, ...]) -> None:
    parser.add_argument("--by", choices=breakdowns, default=None, help="break the figures down by this")
    filters = parser.add_argument_group("filters", "count only these (any combination, with any breakdown)")
    filters.add_argument("--court", choices=list(COURTS), default=None, help="only this court (region code)")
    filters.add_argument("--track", choices=TRACKS, default=None, help="only this track")
    filters.add_argument("--specialty", choices=SPECIALTIES, default=None, metavar="SPECIALTY", help="only this medical specialty")
    filters.add_argument("--judge", default=None, metavar="ID",
                         help=f"only this judge's figures (judge id, or '{stats.UNASSIGNED}'): rulings they gave, examinations they "
                              "ordered, hearings booked for them, otherwise the cases now assigned to them")
    parser.add_argument("--format", choices=("json", "csv", "xlsx"), default="json", help="xlsx: an Excel workbook on standard output (redirect it to a file)")
    parser.add_argument("--public", action="store_true", help="suppress counts from 1 to 4 (as '<5'), the counts that would give them away and the figures built on them ('suppressed')")
    parser.add_argument("--no-catch-up", action="store_true", help="read the read models as they are, without first projecting new events")


def _seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = -1
    if not 0 <= number <= 3600:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number of seconds from 0 to 3600")
    return number


def _names(names: list[str]) -> list[str]:
    unknown = unknown_projections(names)
    if unknown:
        raise UsageError(f"medcourt projections: unknown projection {', '.join(unknown)} (known: {', '.join(PROJECTION_NAMES)})")
    return list(dict.fromkeys(names)) or list(PROJECTION_NAMES)


def _projector(current: Settings, names: list[str], batch_size: int = DEFAULT_BATCH) -> Projector:
    schema.upgrade(current)  # idempotent: a fresh installation works without `medcourt init`
    return Projector(current, names, batch_size=batch_size)


def _stop_on_signals(stop: threading.Event) -> Callable[[], None]:
    """SIGTERM and SIGINT end the run after the batch in progress; returns the undo."""
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    for sig in previous:
        signal.signal(sig, lambda *_: stop.set())

    def restore() -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    return restore


def cmd_run(args: argparse.Namespace) -> int:
    names = _names(args.names)
    current = settings()
    stop = threading.Event()
    with _projector(current, names, args.batch_size) as projector:
        progress = Progress("projected events", total=projector.head() * len(names) - sum(projector.position(n) for n in names))
        restore = _stop_on_signals(stop) if threading.current_thread() is threading.main_thread() else (lambda: None)
        try:
            processed = projector.run(
                until_caught_up=args.until_caught_up, poll_interval=args.poll, throttle=args.throttle, stop=stop,
                on_batch=lambda _name, count: progress.advance(count),
            )
        finally:
            restore()
        progress.done()
        positions = {name: projector.position(name) for name in names}
    print(", ".join(f"{name}: {processed[name]} events, at position {positions[name]}" for name in names))
    return 0


def cmd_rebuild(args: argparse.Namespace) -> int:
    names = _names(args.names)
    current = settings()
    with _projector(current, names, args.batch_size) as projector:
        progress = Progress(f"rebuilding {', '.join(names)}", total=projector.head() * len(names))
        if args.jobs > 1 and len(names) > 1:
            processed = _rebuild_in_processes(current, names, args.batch_size, args.jobs, progress)
        else:
            # Rebuilt together, the projections decode each batch of the log once between them.
            processed = projector.rebuild(names, on_batch=lambda _name, n: progress.advance(n))
        elapsed = progress.done()
        head = projector.head()
    events = max(processed.values(), default=0)
    rate = f" ({events / elapsed:,.0f} events/s)" if elapsed > 0 and events else ""
    print(f"Rebuilt {', '.join(names)} from {events} events in {elapsed:.1f}s{rate}; at position {head}.")
    return 0


# The slowest to rebuild first, so that with fewer processes than projections the quick ones fill in beside it.
REBUILD_ORDER = ("statistics", "cases", "timeline", "registry")


def _rebuild_in_processes(current: Settings, names: list[str], batch_size: int, jobs: int, progress: Progress) -> dict[str, int]:
    """Each projection rebuilt in a process of its own, ``jobs`` at a time: the projections share
    nothing but the event log they read, and on a machine with several cores the rebuild then takes
    about as long as its slowest projection. Each process reports its batches for the progress line."""
    ordered = sorted(names, key=lambda name: REBUILD_ORDER.index(name) if name in REBUILD_ORDER else len(REBUILD_ORDER))
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no engine or connection crosses a fork
    with context.Manager() as manager:
        batches = manager.Queue()
        with ProcessPoolExecutor(max_workers=min(jobs, len(names)), mp_context=context) as pool:
            futures = [pool.submit(_rebuild_one, current, name, batch_size, batches) for name in ordered]
            while not all(future.done() for future in futures):
                with contextlib.suppress(queue.Empty):
                    progress.advance(batches.get(timeout=0.25))
            # A failure in any process is this command's failure (its message, exit code 1).
            processed = dict(future.result() for future in futures)
    return {name: processed[name] for name in names}


def _rebuild_one(current: Settings, name: str, batch_size: int, batches: Any) -> tuple[str, int]:
    with Projector(current, [name], batch_size=batch_size) as projector:
        processed = projector.rebuild([name], on_batch=lambda _name, n: batches.put(n))
    return name, processed[name]


def cmd_status(args: argparse.Namespace) -> int:
    with _projector(settings(), list(PROJECTION_NAMES)) as projector:
        rows = projector.status()
    if args.format == "json":
        json.dump([vars(row) for row in rows], sys.stdout, indent=2)
        print()
        return 0
    print(f"{'projection':<12}{'position':>10}{'head':>10}{'lag (events)':>14}{'lag (seconds)':>15}")
    for row in rows:
        print(f"{row.name:<12}{row.position:>10}{row.head:>10}{row.lag_events:>14}{row.lag_seconds:>15.1f}")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    current = settings()
    if args.no_catch_up:
        schema.upgrade(current)
    else:
        with _projector(current, ["cases", "registry", "statistics"]) as projector:
            projector.catch_up()
    with views_engine(current).connect() as conn:
        if args.judge is not None and args.judge != stats.UNASSIGNED and args.judge not in _judge_ids(conn):
            raise UsageError(f"medcourt stats {args.measure}: '{args.judge}' is not a judge of the registry")
        try:
            result = _measure(conn, args)
        except ValueError as error:  # a query the statistics refuse (e.g. a public period that is not a whole quarter or year)
            raise UsageError(f"medcourt stats {args.measure}: {error}") from None
    if args.format == "csv":
        sys.stdout.write(stats.to_csv(result))
    elif args.format == "xlsx":
        sys.stdout.flush()
        sys.stdout.buffer.write(stats.to_xlsx(result))
    else:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
        print()
    return 0


def _judge_ids(conn: Connection) -> set[str]:
    return {row.judge_id for row in conn.execute(select(tables.judges.c.judge_id))}


def _measure(conn: Connection, args: argparse.Namespace) -> dict[str, Any]:
    filters = stats.Filters(court=args.court, track=args.track, specialty=args.specialty, judge_id=args.judge)
    if args.measure == "pending":
        return stats.pending(conn, args.at or clock.today(), by=args.by, filters=filters, public=args.public)
    if args.end < args.start:
        raise UsageError(f"medcourt stats {args.measure}: the period ends ({args.end}) before it starts ({args.start})")
    return stats.MEASURES[args.measure](conn, args.start, args.end, by=args.by, filters=filters, public=args.public)
